import { describe, expect, it } from 'vitest';
import { describeHubFailure, displayHubUrl } from './hub-failure';

const fetchFailed = (code: string) => Object.assign(new Error('request failed'), { cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) }) });
const refused = (httpStatus: number, message: string) => Object.assign(new Error(message), { data: { httpStatus, message } });

describe('describeHubFailure', () => {
  it('names the URL and the socket-level cause', () => {
    expect(describeHubFailure(fetchFailed('ECONNREFUSED'), 'http://127.0.0.1:3000')).toBe('cannot reach the hub at http://127.0.0.1:3000 (connection refused)');
    expect(describeHubFailure(fetchFailed('ENOTFOUND'), 'https://mesh.example.com/')).toBe('cannot reach the hub at https://mesh.example.com (host not found)');
    expect(describeHubFailure(fetchFailed('CERT_HAS_EXPIRED'), 'https://mesh.example.com')).toBe('cannot reach the hub at https://mesh.example.com (TLS certificate expired)');
  });

  it('says what a refusal means: a wrong token, another agent’s token', () => {
    expect(describeHubFailure(refused(401, 'invalid or revoked token'), 'http://hub:3000')).toBe('the hub at http://hub:3000 refused the token (401: invalid or revoked token); check MESH_TOKEN');
    expect(describeHubFailure(refused(403, 'this token is bound to agent rex, not echo'), 'http://hub:3000')).toBe(
      'the hub at http://hub:3000 refused this agent (403: this token is bound to agent rex, not echo)',
    );
  });

  it('never shows credentials in the URL', () => {
    expect(displayHubUrl('https://user:secret@mesh.example.com/')).toBe('https://mesh.example.com');
  });
});
