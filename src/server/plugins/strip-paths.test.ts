import { describe, expect, it } from 'vitest';
import { describePluginError, stripPaths } from './strip-paths';

describe('stripPaths', () => {
  it('removes absolute paths and file URLs, keeps web URLs and relative paths', () => {
    expect(stripPaths("ENOENT: no such file or directory, open '/srv/m3shd/files/secret.txt'")).toBe("ENOENT: no such file or directory, open '[path]'");
    expect(stripPaths('see /etc/passwd and C:\\Users\\ann\\notes.txt and file:///home/ann/x')).toBe('see [path] and [path] and [path]');
    expect(stripPaths('https://example.com/a/b?c=d and docs/readme.md and and/or')).toBe('https://example.com/a/b?c=d and docs/readme.md and and/or');
    expect(stripPaths('(/var/lib/x/y)')).toBe('([path])');
  });

  it('describes an error in one line without its stack', () => {
    const error = new Error('boom at /opt/plugins/evil.js:3\n    at setup (/opt/plugins/evil.js:3:9)');
    expect(describePluginError(error)).toBe('boom at [path]');
    expect(describePluginError('plain')).toBe('plain');
    expect(describePluginError(42)).toBe('unknown error');
  });
});
