// GET /api/openapi.json (the REST routes' OpenAPI 3.1 document) and GET /api/docs, a readable
// page of it: Swagger UI served from the installed swagger-ui-dist package, from the hub's own
// origin (the CSP allows no CDN), with its initialiser as a file rather than an inline script.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Hub } from '../hub';
import { openApiJson } from '../rest/openapi';
import { sendJson } from './json-response';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

const ASSETS: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>m3shd hub · REST API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="api-docs"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(OPENAPI_PATH)}, dom_id: '#api-docs', deepLinking: true, tryItOutEnabled: false });\n`;

let assetDir: string | undefined;
const assetCache = new Map<string, Buffer>();

function readAsset(file: string): Buffer {
  let cached = assetCache.get(file);
  if (!cached) {
    assetDir ??= path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    cached = fs.readFileSync(path.join(assetDir, file));
    assetCache.set(file, cached);
  }
  return cached;
}

export function isApiDocsPath(pathname: string): boolean {
  return pathname === OPENAPI_PATH || pathname === DOCS_PATH || pathname.startsWith(`${DOCS_PATH}/`);
}

/** Public, like the spec's docs pages: the document describes the API, it holds no data. */
export function handleApiDocs(hub: Hub, request: IncomingMessage, response: ServerResponse, pathname: string): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: { code: 'METHOD_NOT_SUPPORTED', message: 'use GET' } }, { Allow: 'GET, HEAD' });
    return;
  }
  if (pathname === OPENAPI_PATH) {
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : openApiJson(hub.config.version));
    return;
  }
  const name = pathname === DOCS_PATH ? '' : pathname.slice(DOCS_PATH.length + 1);
  if (name === '' || name === 'index.html') return send(request, response, 'text/html; charset=utf-8', PAGE, 'no-cache');
  if (name === 'init.js') return send(request, response, 'text/javascript; charset=utf-8', INIT, 'no-cache');
  const asset = ASSETS[name];
  if (!asset) {
    sendJson(response, 404, { error: { code: 'NOT_FOUND', message: 'not found' } });
    return;
  }
  send(request, response, asset.type, readAsset(asset.file), 'public, max-age=86400');
}

function send(request: IncomingMessage, response: ServerResponse, type: string, body: string | Buffer, cacheControl: string): void {
  response.writeHead(200, { 'Content-Type': type, 'Cache-Control': cacheControl });
  response.end(request.method === 'HEAD' ? undefined : body);
}
