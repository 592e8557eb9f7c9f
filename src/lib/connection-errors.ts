// Why a request never reached the hub, in a few words (connection refused, host not found, a TLS
// certificate problem...), read from the error's cause chain: fetch wraps the socket's error as
// `TypeError: fetch failed` with the system error (its `code`) as the cause, and tRPC wraps that
// again. Shared by the worker and the mesh CLI so both say the same thing.

/** Socket and TLS error codes that mean "no hub answered at that address", and what they mean. */
export const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted TLS certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted TLS certificate (unknown issuer)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  // An https:// URL for a hub that speaks plain HTTP (or the reverse through a proxy).
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed: is the hub served over plain http?',
  EPROTO: 'TLS handshake failed',
};

export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** Why the hub could not be reached, or null when the error is not about reaching it. */
export function unreachableReason(error: unknown): string | null {
  for (const cause of causeChain(error)) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && code in UNREACHABLE_CODES) return UNREACHABLE_CODES[code]!;
  }
  for (const cause of causeChain(error)) {
    // fetch refuses some ports outright (1, 25, 6000...), before any connection.
    if (cause instanceof Error && cause.message === 'bad port') return 'fetch does not allow that port';
  }
  // undici says only "fetch failed" when it has no better cause.
  for (const cause of causeChain(error)) {
    if (cause instanceof TypeError && cause.message === 'fetch failed') return 'no answer';
  }
  return null;
}

/** A request that gave up waiting (AbortSignal.timeout, or aborted). */
export function isTimeout(error: unknown): boolean {
  return causeChain(error).some((cause) => cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError'));
}
