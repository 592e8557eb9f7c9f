// Where sign-in sends the visitor afterwards (?next=/tasks/<id>). Only a path on this same
// origin is accepted: anything that could leave the hub (//evil.example, /\evil.example,
// https://…, javascript:…) or loop back to the login page falls back to the dashboard, so the
// login page is no open redirect.

export const DEFAULT_RETURN_PATH = '/';
const MAX_RETURN_PATH_LENGTH = 2_000;
const PROBE_ORIGIN = 'http://return-path.invalid';

/** The same-origin path (with query and hash) to return to, or "/" when `value` is not one. */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value || value.length > MAX_RETURN_PATH_LENGTH) return DEFAULT_RETURN_PATH;
  // A relative path starts with exactly one slash; browsers read "\" as "/" and drop tabs and
  // newlines from URLs, so either could turn "/\evil" or "/\n/evil" into another host.
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) return DEFAULT_RETURN_PATH;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return DEFAULT_RETURN_PATH;
  }
  if (url.origin !== PROBE_ORIGIN) return DEFAULT_RETURN_PATH;
  if (url.pathname === '/login' || url.pathname.startsWith('/login/') || url.pathname.startsWith('/api/')) return DEFAULT_RETURN_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The login page's address that returns to `path` afterwards ("/login" for the dashboard). */
export function loginPathFor(path: string): string {
  const target = safeReturnPath(path);
  return target === DEFAULT_RETURN_PATH ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}
