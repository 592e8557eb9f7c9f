import { describe, expect, it } from 'vitest';
import { PERMISSIONS, PRESETS, ROLE_PERMISSIONS } from './permissions';

describe('permissions', () => {
  it('has the 17 permissions of the spec', () => {
    expect(PERMISSIONS).toHaveLength(17);
    expect(new Set(PERMISSIONS).size).toBe(17);
  });

  it('builds the presets from the spec lists', () => {
    expect(PRESETS.worker).toHaveLength(9);
    expect(PRESETS.mobile).toEqual(PRESETS.worker.filter((permission) => permission !== 'voice:dispatch'));
    expect(PRESETS.commander).toEqual(expect.arrayContaining([...PRESETS.worker, 'agents:write', 'admin:analytics']));
    expect(PRESETS.commander).toHaveLength(11);
    expect(PRESETS.admin).toHaveLength(17);
  });

  it('maps roles: admin all, user the commander preset, viewer the read permissions', () => {
    expect(ROLE_PERMISSIONS.admin).toHaveLength(17);
    expect(ROLE_PERMISSIONS.user).toEqual(PRESETS.commander);
    expect(ROLE_PERMISSIONS.viewer).toEqual(['tasks:read', 'agents:read', 'messages:read', 'memory:read']);
  });
});
