// Reading deliveries: GitHub's signature example, Uptime Kuma by header or body shape, the event
// filter and payload paths.
import { describe, expect, it } from 'vitest';
import { describeDelivery, isUptimeKuma, passesEventFilter, valueAtPath } from './webhook-payload';
import { githubSignature, githubSignatureMatches, secretMatches } from './webhook-signatures';

describe('webhook signatures', () => {
  it('computes GitHub’s documented example and refuses a one-digit change', () => {
    const body = Buffer.from('Hello, World!');
    const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(githubSignature("It's a Secret to Everybody", body)).toBe(expected);
    expect(githubSignatureMatches(expected, "It's a Secret to Everybody", body)).toBe(true);
    expect(githubSignatureMatches(expected.replace(/7$/, '6'), "It's a Secret to Everybody", body)).toBe(false);
    expect(githubSignatureMatches('', "It's a Secret to Everybody", body)).toBe(false);
  });

  it('compares a presented secret with the stored one; an empty one never matches', () => {
    expect(secretMatches('s3cret', 's3cret')).toBe(true);
    expect(secretMatches('s3cre', 's3cret')).toBe(false);
    expect(secretMatches('', '')).toBe(false);
  });
});

describe('webhook payloads', () => {
  const down = { heartbeat: { status: 0, msg: 'timeout' }, monitor: { name: 'web', url: 'https://example.com' }, msg: '[web] down' };

  it('detects Uptime Kuma by its agent header, its user agent, or its body shape', () => {
    expect(isUptimeKuma({ 'x-uptime-kuma-agent': '1' }, {})).toBe(true);
    expect(isUptimeKuma({ 'user-agent': 'Uptime-Kuma/1.23.16' }, {})).toBe(true);
    expect(isUptimeKuma({}, down)).toBe(true);
    expect(isUptimeKuma({}, { message: 'hello' })).toBe(false);
  });

  it('summarises Uptime Kuma, GitHub and generic deliveries in one readable line', () => {
    expect(describeDelivery('generic', {}, down, 'kuma')).toEqual({ source: 'uptime_kuma', event: 'down', summary: 'monitor web is DOWN: timeout (https://example.com)' });
    expect(describeDelivery('generic', {}, { ...down, heartbeat: { status: 1, msg: 'OK' } }, 'kuma').summary).toBe('monitor web is UP: OK (https://example.com)');
    const push = { ref: 'refs/heads/main', commits: [{}, {}], repository: { full_name: 'acme/app' }, sender: { login: 'fred' } };
    expect(describeDelivery('github', { 'x-github-event': 'push' }, push, 'gh')).toEqual({ source: 'github', event: 'push', summary: 'GitHub push in acme/app to main: 2 commits by fred' });
    expect(describeDelivery('generic', {}, { event: 'deploy', message: 'v2 is live' }, 'ci')).toEqual({ source: 'generic', event: 'deploy', summary: 'Webhook “ci”: v2 is live' });
  });

  it('filters by event name and reads dotted payload paths', () => {
    expect(passesEventFilter('*', '')).toBe(true);
    expect(passesEventFilter('push, pull_request', 'pull_request')).toBe(true);
    expect(passesEventFilter('push', 'issues')).toBe(false);
    expect(passesEventFilter('push', '')).toBe(false);
    expect(valueAtPath({ commits: [{ id: 'abc' }] }, 'commits.0.id')).toBe('abc');
    expect(valueAtPath({ monitor: { name: 'web' } }, 'monitor.missing')).toBe('');
    expect(valueAtPath({ monitor: { port: 443 } }, 'monitor')).toBe('{"port":443}');
  });
});
