// next-auth's route refuses a malformed JSON body with 400 before next-auth, which would
// answer it with a 500 (it calls request.json() unguarded).
import { describe, expect, it } from 'vitest';
import { POST } from '@/app/api/auth/[...nextauth]/route';
import { refuseMalformedAuthBody } from './next-auth-request';

const callbackUrl = 'http://127.0.0.1:3000/api/auth/callback/credentials';
const post = (body: string, contentType = 'application/json') => new Request(callbackUrl, { method: 'POST', headers: { 'Content-Type': contentType }, body });
const context = { params: Promise.resolve({ nextauth: ['callback', 'credentials'] }) };

describe('next-auth route body guard', () => {
  it('answers a garbage JSON body 400 naming the body, without reaching next-auth', async () => {
    for (const body of ['{garbage', '', '{"username":', '\u0000']) {
      const response = await POST(post(body), context);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'bad_input', field: 'body' } });
    }
  });

  it('answers JSON that is not an object 400', async () => {
    for (const body of ['null', '42', '"text"', '[1,2]']) {
      expect((await POST(post(body), context)).status, body).toBe(400);
    }
  });

  it('lets well-formed bodies and other requests through to next-auth', async () => {
    expect(await refuseMalformedAuthBody(post('{"username":"admin","password":"x","csrfToken":"t"}'))).toBeNull();
    expect(await refuseMalformedAuthBody(post('username=admin&password=%E0%A4%A', 'application/x-www-form-urlencoded'))).toBeNull();
    expect(await refuseMalformedAuthBody(new Request('http://127.0.0.1:3000/api/auth/session'))).toBeNull();
  });

  it('refuses an oversized JSON body', async () => {
    const response = await refuseMalformedAuthBody(post(JSON.stringify({ username: 'x'.repeat(20_000) })));
    expect(response?.status).toBe(413);
  });
});
