// The login page's ?next= is a same-origin path or nothing: no open redirect.
import { describe, expect, it } from 'vitest';
import { loginPathFor, safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
  it('keeps a same-origin path with its query and hash', () => {
    expect(safeReturnPath('/tasks/0197a1b2-c3d4')).toBe('/tasks/0197a1b2-c3d4');
    expect(safeReturnPath('/tasks?status=failed#top')).toBe('/tasks?status=failed#top');
    expect(safeReturnPath('/a/../admin')).toBe('/admin');
  });

  it('refuses everything that could leave the hub, and falls back to the dashboard', () => {
    for (const value of [
      null,
      undefined,
      '',
      'tasks',
      'https://evil.example/x',
      '//evil.example/x',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
      ' /tasks',
      `/${'a'.repeat(2_001)}`,
    ]) {
      expect(safeReturnPath(value), String(value)).toBe('/');
    }
  });

  it('does not return to the login page or an API route', () => {
    expect(safeReturnPath('/login')).toBe('/');
    expect(safeReturnPath('/login?next=/login')).toBe('/');
    expect(safeReturnPath('/api/logout')).toBe('/');
  });
});

describe('loginPathFor', () => {
  it('carries the page to return to, encoded', () => {
    expect(loginPathFor('/tasks/abc?x=1')).toBe('/login?next=%2Ftasks%2Fabc%3Fx%3D1');
    expect(loginPathFor('/')).toBe('/login');
    expect(loginPathFor('//evil.example')).toBe('/login');
  });
});
