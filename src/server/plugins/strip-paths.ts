// Plugin answers and errors leave the hub without filesystem paths (spec 17, "plugin path
// disclosure"): absolute POSIX paths of two or more segments, Windows drive paths and file://
// URLs become `[path]`. A slash after a letter, a colon or a dot is left alone, so web URLs
// (`https://a.b/c/d`), `and/or` and relative paths such as `docs/readme.md` pass unchanged.

const POSIX_ABSOLUTE = /(?<![\w:/.~-])\/(?:[^\s/'"`<>()[\]{},;]+\/)+[^\s/'"`<>()[\]{},;]*/g;
const WINDOWS_ABSOLUTE = /\b[A-Za-z]:\\(?:[^\s\\'"`<>]+\\?)+/g;
const FILE_URL = /\bfile:\/\/\S+/gi;

export function stripPaths(text: string): string {
  return text.replace(FILE_URL, '[path]').replace(WINDOWS_ABSOLUTE, '[path]').replace(POSIX_ABSOLUTE, '[path]');
}

/** One line, no stack, no path: what a log line or an error may say about a plugin's failure. */
export function describePluginError(error: unknown, maxChars = 300): string {
  const message = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : 'unknown error';
  return stripPaths(message.split('\n')[0]!.trim()).slice(0, maxChars) || 'unknown error';
}
