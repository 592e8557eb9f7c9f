// The logger censors credentials wherever they sit in a logged object, at any level it logs.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHubLogger, REDACTION_CENSOR } from './logger';

function memoryLogger(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createHubLogger({ logLevel: level, logFormat: 'json' }, destination), lines };
}

describe('createHubLogger', () => {
  it('censors authorization headers, cookies, tokens, passwords, keys and secrets', () => {
    const { logger, lines } = memoryLogger();
    logger.info(
      {
        req: { method: 'GET', headers: { authorization: 'Bearer tok-abc-123', cookie: 'm3sh_session=sess-xyz', 'user-agent': 'curl/8' } },
        headers: { authorization: 'Bearer tok-top', 'x-webhook-secret': 'hook-secret-1' },
        res: { headers: { 'set-cookie': 'm3sh_session=sess-new' } },
        token: 'tok-plain',
        user: { password: 'pw-hunter2', apiKey: 'key-789' },
        config: { secretKey: 'c2VjcmV0', secret: 'shh' },
      },
      'request',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    for (const secret of ['tok-abc-123', 'sess-xyz', 'tok-top', 'hook-secret-1', 'sess-new', 'tok-plain', 'pw-hunter2', 'key-789', 'c2VjcmV0', 'shh']) {
      expect(line).not.toContain(secret);
    }
    const parsed = JSON.parse(line);
    expect(parsed.req.headers).toEqual({ authorization: REDACTION_CENSOR, cookie: REDACTION_CENSOR, 'user-agent': 'curl/8' });
    expect(parsed.res.headers['set-cookie']).toBe(REDACTION_CENSOR);
    expect(parsed).toMatchObject({ level: 'info', msg: 'request', service: 'm3shd', time: expect.any(String), token: REDACTION_CENSOR });
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = memoryLogger('info');
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['shown']);
  });
});
