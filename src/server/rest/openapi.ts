// GET /api/openapi.json: an OpenAPI 3.1 document of the REST routes, built (once, lazily) by
// zod-openapi from the procedures' own zod input schemas, so the document cannot drift from
// what the hub validates. Path parameters take the schema of the input field they fill.
import { z } from 'zod';
import { voiceDispatchInput } from '@/lib/templates';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { objectShape, procedureInputSchema, unwrapSchema } from './query-input';
import { REST_ROUTES, type RestRoute } from './routes';

type AnySchema = z.core.$ZodType;

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'The tRPC error code, e.g. BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS' }),
      message: z.string(),
      field: z.string().optional().meta({ description: 'The input field that was refused' }),
      limit: z.string().optional().meta({ description: 'The limit that was exceeded (its name in the hub’s limits)' }),
    }),
  })
  .meta({ id: 'Error' });

const errorResponses = {
  '400': { description: 'Bad input: the message names the field (and the limit)', content: { 'application/json': { schema: errorSchema } } },
  '401': { description: 'No valid token or session', content: { 'application/json': { schema: errorSchema } } },
  '403': { description: 'A permission is missing, or a cookie-authenticated change came from another origin', content: { 'application/json': { schema: errorSchema } } },
  '404': { description: 'Not found', content: { 'application/json': { schema: errorSchema } } },
  '409': { description: 'Conflict (a stale lease, a duplicate)', content: { 'application/json': { schema: errorSchema } } },
  '429': { description: 'Rate limited; Retry-After says when to come back', content: { 'application/json': { schema: errorSchema } } },
};

function operationFor(route: RestRoute): ZodOpenApiOperationObject {
  const procedures = route.procedure ? [route.procedure] : route.variants!.map((variant) => variant.procedure);
  const schema = procedureInputSchema(procedures[0]!);
  const shape = objectShape(schema) ?? {};
  const fromPath = new Set(Object.values(route.params ?? {}));
  const rest = (fields: Record<string, AnySchema>) => Object.fromEntries(Object.entries(fields).filter(([name]) => !fromPath.has(name)));
  const pathShape = Object.fromEntries(Object.entries(route.params ?? {}).map(([param, field]) => [param, (unwrapSchema(shape[field]) ?? z.string()) as z.ZodType]));
  const operation: ZodOpenApiOperationObject = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(\w)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    description: `Runs the tRPC procedure ${procedures.join(' / ')} (same input, permission and answer).`,
    responses: { [String(route.status ?? 200)]: { description: route.status === 201 ? 'Created' : 'OK', content: { 'application/json': { schema: z.unknown() } } }, ...errorResponses },
  };
  if (Object.keys(pathShape).length > 0) operation.requestParams = { path: z.object(pathShape) };
  if (route.method === 'GET' || route.method === 'DELETE') {
    const query = rest(shape);
    if (Object.keys(query).length > 0) operation.requestParams = { ...operation.requestParams, query: z.object(query as Record<string, z.ZodType>) };
    return operation;
  }
  const bodies = (route.variants ?? [{ procedure: route.procedure!, when: undefined }]).map((variant) => {
    const fields = rest(objectShape(procedureInputSchema(variant.procedure)) ?? {}) as Record<string, z.ZodType>;
    if (variant.when?.value !== undefined) fields[variant.when.field] = z.literal(variant.when.value);
    return z.object(fields);
  });
  const body = bodies.length === 1 ? bodies[0]! : z.union(bodies);
  operation.requestBody = { required: true, content: { 'application/json': { schema: body } } };
  return operation;
}

function buildDocument(version: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of REST_ROUTES) {
    const item = (paths[route.path] ??= {}) as Record<string, ZodOpenApiOperationObject>;
    item[route.method.toLowerCase()] = operationFor(route);
  }
  paths['/api/stream'] = {
    get: {
      operationId: 'getApiStream',
      summary: 'The live event stream (SSE): id, event type and JSON data per event; resume with Last-Event-ID',
      tags: ['events'],
      requestParams: {
        query: z.object({
          types: z.string().optional().meta({ description: 'Comma-separated event types to receive (default: all)' }),
          lastEventId: z.string().regex(/^\d{1,15}$/).optional().meta({ description: 'Resume after this event id (the Last-Event-ID header wins)' }),
        }),
      },
      responses: { '200': { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } }, ...errorResponses },
    },
  };
  // Its own handler (src/server/http/voice-endpoint.ts): a Siri Shortcut posts what was said and
  // gets one sentence back; bearer tokens only, and errors as { error: { code, message } }.
  paths['/api/voice/dispatch'] = {
    post: {
      operationId: 'postApiVoiceDispatch',
      summary: 'Dispatch a task from a spoken sentence (needs voice:dispatch; bearer token only)',
      description: 'Send {"text": "…"} as JSON or the sentence as text/plain. The answer is one sentence to speak back (text/plain), or JSON with the template, variables and task id when the request has Accept: application/json; with that header, errors are { error: { code, message, field? } } with a lowercase code (unauthorized, forbidden, bad_input, not_understood).',
      tags: ['templates'],
      security: [{ bearerAuth: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: voiceDispatchInput }, 'text/plain': { schema: z.string().max(1_000) } } },
      responses: {
        '200': { description: 'The task was created; the sentence says which', content: { 'text/plain': { schema: z.string() }, 'application/json': { schema: z.unknown() } } },
        '400': errorResponses['400'],
        '401': errorResponses['401'],
        '403': errorResponses['403'],
        '422': { description: 'No template matched what was said', content: { 'application/json': { schema: errorSchema } } },
      },
    },
  };
  paths['/api/health'] = {
    get: { operationId: 'getApiHealth', summary: 'Health check (no authentication)', tags: ['hub'], security: [], responses: { '200': { description: 'Healthy' }, '503': { description: 'Degraded' } } },
  };
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'm3shd hub REST API',
      version,
      description: 'The REST door of the hub. Every operation runs the tRPC procedure it names, with the same input schema, permission and answer. Send `Authorization: Bearer <token>` (master or agent token) or the dashboard session cookie; cookie-authenticated changes must come from the hub’s own origin.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The master token or an agent token' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'm3sh_session' },
      },
    },
    paths,
  });
}

let cached: { version: string; json: string } | undefined;

/** The document as JSON text, built on first request. */
export function openApiJson(version: string): string {
  if (cached?.version !== version) cached = { version, json: JSON.stringify(buildDocument(version)) };
  return cached.json;
}

export function openApiDocument(version: string): ReturnType<typeof buildDocument> {
  return JSON.parse(openApiJson(version)) as ReturnType<typeof buildDocument>;
}
