// Queries with a long input (a 10 KB memory search) cannot travel in a GET URL: Node refuses
// request heads over 16 KB. Such queries are sent as POST instead (the hub allows tRPC's method
// override); everything else keeps batched GETs. Shared by the Node client and the browser's.

/** Input JSON longer than this goes as POST (URL encoding can triple it). */
export const LONG_QUERY_INPUT_CHARS = 2_000;

export function isLongQuery(operation: { type: string; input: unknown }): boolean {
  if (operation.type !== 'query' || operation.input === undefined) return false;
  return (JSON.stringify(operation.input)?.length ?? 0) > LONG_QUERY_INPUT_CHARS;
}
