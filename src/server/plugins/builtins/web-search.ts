// Built-in `web_search`: a SearXNG-compatible JSON endpoint (MESH_SEARCH_URL, e.g.
// https://searx.example.com/search), queried as `?q=<query>&format=json`. The answer lists the
// top results (title, URL, snippet) for the model; errors name the problem, never the endpoint
// (its URL may carry a key).
import { z } from 'zod';
import { webSearchArgs } from '@/lib/plugins';
import { ToolError, type Plugin } from '../plugin-api';

const searxResponse = z.object({
  results: z
    .array(
      z.object({
        title: z.string().catch(''),
        url: z.string().catch(''),
        content: z.string().nullish().catch(''),
      }),
    )
    .catch([]),
});

const MAX_SNIPPET_CHARS = 400;

export function webSearchPlugin(options: { searchUrl?: string }): Plugin {
  return {
    name: 'web_search',
    setup(manager) {
      manager.declareCapability('research', 'searches the web for current information');
      manager.registerTool({
        name: 'web_search',
        description: 'Searches the web. Arguments: {"query": "…", "limit": 1-10 (default 5)}.',
        args: webSearchArgs,
        async run(args, context) {
          if (!options.searchUrl) throw new ToolError('unavailable', 'web_search is not configured on this hub (MESH_SEARCH_URL)');
          const url = new URL(options.searchUrl);
          url.searchParams.set('q', args.query);
          url.searchParams.set('format', 'json');
          let response: Response;
          try {
            response = await fetch(url, { headers: { Accept: 'application/json' }, signal: context.signal });
          } catch {
            throw new ToolError('unavailable', context.signal.aborted ? 'the search backend did not answer in time' : 'the search backend cannot be reached');
          }
          if (!response.ok) {
            await response.arrayBuffer().catch(() => undefined);
            throw new ToolError('unavailable', `the search backend answered HTTP ${response.status}`);
          }
          let body: unknown;
          try {
            body = await response.json();
          } catch {
            throw new ToolError('unavailable', 'the search backend did not answer with JSON (is its JSON format enabled?)');
          }
          const results = searxResponse
            .parse(body)
            .results.filter((result) => result.url && /^https?:\/\//i.test(result.url))
            .slice(0, args.limit)
            .map((result) => ({ title: result.title.trim() || result.url, url: result.url, snippet: (result.content ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_SNIPPET_CHARS) }));
          const text =
            results.length === 0
              ? `No results for "${args.query}".`
              : [`Results for "${args.query}":`, ...results.map((result, index) => `${index + 1}. ${result.title} — ${result.url}${result.snippet ? `\n   ${result.snippet}` : ''}`)].join('\n');
          return { text, data: { query: args.query, results } };
        },
      });
    },
  };
}
