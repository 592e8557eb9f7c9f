// A fake SearXNG search API for tests and local runs: a real HTTP server answering
// GET /search?q=…&format=json as SearXNG does (`{ query, number_of_results, results: [{ title,
// url, content, engine, score }] }`), with deterministic results made from the query, so the
// web_search plugin's real client runs unchanged. `format` other than json → 403, as a SearXNG
// instance without the JSON format enabled answers. By hand: `npx tsx src/testing/fake-search.ts [port]`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listen } from './fake-anthropic';

export interface FakeSearch {
  /** Give the hub `${url}/search` as MESH_SEARCH_URL. */
  url: string;
  /** The `q` of every request, in order. */
  queries: string[];
  /** Answer every later request with this HTTP status (e.g. 500); 200 is normal. */
  setStatus(status: number): void;
  close(): Promise<void>;
}

export interface FakeSearchResult {
  title: string;
  url: string;
  content: string;
  engine: string;
  score: number;
}

/** What the fake finds for a query: three results naming it. */
export function fakeSearchResults(query: string): FakeSearchResult[] {
  const slug = query.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'query';
  return [1, 2, 3].map((rank) => ({
    title: `Result ${rank} for ${query}`,
    url: `https://example.com/${slug}/${rank}`,
    content: `Snippet ${rank} about ${query}.`,
    engine: 'fake',
    score: 1 / rank,
  }));
}

export async function startFakeSearch(options: { port?: number; host?: string } = {}): Promise<FakeSearch> {
  const queries: string[] = [];
  let status = 200;
  const server = await listen((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname !== '/search') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    if (url.searchParams.get('format') !== 'json') {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
      return;
    }
    const query = url.searchParams.get('q') ?? '';
    queries.push(query);
    if (status !== 200) {
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end('search backend error');
      return;
    }
    const results = query ? fakeSearchResults(query) : [];
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ query, number_of_results: results.length, results, answers: [], suggestions: [], unresponsive_engines: [] }));
  }, options);
  return {
    url: server.url,
    queries,
    setStatus: (next) => {
      status = next;
    },
    close: server.close,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
  const fake = await startFakeSearch({ port });
  console.log(`fake SearXNG listening on ${fake.url} (set MESH_SEARCH_URL=${fake.url}/search)`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
