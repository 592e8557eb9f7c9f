// The blind search index of agent memory. FTS5 never sees a memory's words: each normalised word
// of a key and a value becomes HMAC-SHA256(index subkey, agent id + word), truncated, as a hex
// token, and a query is normalised and hashed the same way. The database file then holds no
// memory plaintext, BM25 still ranks (term and document frequencies survive hashing), and FTS5
// syntax in a query cannot reach the engine: the MATCH expression is built only from quoted hex
// tokens. Keying by agent keeps one agent's doclists apart from another's and makes equal words
// of two agents unlinkable. The cost: whole-word matches only — no prefix, phrase or NEAR search,
// no stemming ("deploy" does not find "deploying").
import { createHmac } from 'node:crypto';

/** 10 bytes (80 bits): collisions among an agent's distinct words are negligible. */
const TOKEN_BYTES = 10;
/** A token's length as stored: hex, two characters a byte. */
export const TOKEN_HEX_LENGTH = TOKEN_BYTES * 2;
/** Longer "words" (hashes, base64 blobs) are cut: the index stays small and such runs rarely repeat anyway. */
const MAX_WORD_LENGTH = 64;
/** Distinct words of a query that are searched; a 10 KB query is reduced, never refused. */
export const MAX_QUERY_WORDS = 32;

// Words too common to tell memories apart: matching every entry on "the" would make auto-inject
// pick memories that share nothing with the task.
const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have i if in into is it its of on or our so than that the their then there these this to was we were what when which who will with you your'.split(
    ' ',
  ),
);

/** The searchable words of a text: NFKC, lower case, runs of letters and digits, stop words dropped. */
export function normaliseWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0].slice(0, MAX_WORD_LENGTH);
    if (!STOP_WORDS.has(word)) words.push(word);
  }
  return words;
}

export class BlindIndex {
  constructor(private readonly key: Buffer) {}

  private token(agentId: string, word: string): string {
    return createHmac('sha256', this.key).update(agentId).update('\0').update(word).digest().subarray(0, TOKEN_BYTES).toString('hex');
  }

  /** The FTS5 document of one entry: a token per word of key and value (repeats kept, for BM25). */
  documentTokens(agentId: string, key: string, value: string): string {
    return [...normaliseWords(key), ...normaliseWords(value)].map((word) => this.token(agentId, word)).join(' ');
  }

  /** The distinct tokens of a query's searchable words (at most MAX_QUERY_WORDS), in the query's order. */
  queryTokens(agentId: string, query: string): string[] {
    return [...new Set(normaliseWords(query))].slice(0, MAX_QUERY_WORDS).map((word) => this.token(agentId, word));
  }

  /**
   * The MATCH expression for a query: its distinct words' tokens, OR'ed, each quoted (hex cannot
   * spell an FTS5 keyword anyway). Null when the query has no searchable word.
   */
  matchExpression(agentId: string, query: string): string | null {
    return matchExpressionOf(this.queryTokens(agentId, query));
  }
}

/** OR of quoted tokens; null for none. Only tokens made by BlindIndex may be passed. */
export function matchExpressionOf(tokens: readonly string[]): string | null {
  return tokens.length === 0 ? null : tokens.map((token) => `"${token}"`).join(' OR ');
}
