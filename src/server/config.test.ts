import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.databaseFile.endsWith('/data/m3shd.db')).toBe(true);
    expect(config.trustProxy).toBe(false);
    expect(config.sessionHours).toBe(24);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['MESH_SECRET_KEY', 'too-short'],
    ['MESH_MASTER_TOKEN', 'short'],
    ['DATABASE_URL', 'postgres://localhost/x'],
    ['MESH_TRUST_PROXY', 'maybe'],
    ['MESH_PUBLIC_URL', 'not a url'],
    ['MESH_SEARCH_URL', 'searx-host'],
    ['MESH_FILE_SUMMARY_MAX_BYTES', '-5'],
    ['MESH_PLUGIN_HOOK_TIMEOUT_MS', 'soon'],
  ])('refuses a malformed %s, naming it without echoing the value', (variable, value) => {
    let caught: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message).toContain(variable);
    expect((caught as ConfigError).message).not.toContain(value);
  });

  it('accepts a 32-byte base64 secret key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ MESH_SECRET_KEY: key }).secretKeyFromEnv?.length).toBe(32);
  });
});
