// A guard in front of next-auth's route: next-auth reads a JSON body with `request.json()`
// and lets a parse error escape as a 500. A POST whose JSON body is not a JSON object is
// refused here with 400, before next-auth sees it.
const MAX_AUTH_BODY_BYTES = 16 * 1024;

function refuse(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: { code: 'bad_input', message, field: 'body' } }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** A 400 answer for a malformed JSON body, or null when next-auth may handle the request. */
export async function refuseMalformedAuthBody(request: Request): Promise<Response | null> {
  if (request.method !== 'POST') return null;
  const contentType = request.headers.get('content-type') ?? '';
  // next-auth parses exactly these two; a form body (what its own pages send) cannot fail to parse.
  if (!contentType.includes('application/json')) return null;
  let text: string;
  try {
    text = await request.clone().text();
  } catch {
    return refuse(400, 'body: could not be read');
  }
  if (text.length > MAX_AUTH_BODY_BYTES) return refuse(413, `body: exceeds ${MAX_AUTH_BODY_BYTES / 1024} KB`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(400, 'body: is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(400, 'body: must be a JSON object');
  return null;
}
