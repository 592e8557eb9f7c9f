import { describe, expect, it } from 'vitest';
import { boundAddress, listeningLine, nextStepsLines, openUrl } from './startup-banner';

describe('startup banner', () => {
  it('shows the address as bound, IPv6 in brackets', () => {
    expect(boundAddress({ address: '0.0.0.0', family: 'IPv4', port: 3000 })).toBe('0.0.0.0:3000');
    expect(boundAddress({ address: '::', family: 'IPv6', port: 3000 })).toBe('[::]:3000');
    expect(boundAddress({ address: '127.0.0.1', family: 'IPv4', port: 41234 })).toBe('127.0.0.1:41234');
  });

  it('says a wildcard address means every interface and names the URL to open', () => {
    const url = openUrl({ host: '0.0.0.0', port: 3000 });
    expect(url).toBe('http://localhost:3000');
    expect(listeningLine({ version: '1.2.3', bound: '0.0.0.0:3000', pid: 42, url, apiOnly: false })).toBe(
      'hub 1.2.3 listening on http://0.0.0.0:3000 (pid 42, every interface; open http://localhost:3000)',
    );
    expect(listeningLine({ version: '1.2.3', bound: '127.0.0.1:3000', pid: 42, url: 'http://127.0.0.1:3000', apiOnly: true })).toBe(
      'hub 1.2.3 listening on http://127.0.0.1:3000 (pid 42) (API only: MESH_UI=off)',
    );
    expect(openUrl({ host: '0.0.0.0', port: 3000, publicUrl: 'https://mesh.example.com' })).toBe('https://mesh.example.com');
  });

  it('next steps: sign in, the CLI with the master token, a worker whose token comes in MESH_TOKEN', () => {
    const text = nextStepsLines({ url: 'http://localhost:3000', firstStart: { masterToken: 'm3shd_master_abc', admin: { username: 'admin', password: 'pw' } } }).join('\n');
    expect(text).toContain('Open http://localhost:3000 and sign in as admin');
    expect(text).toContain('export MESH_HUB=http://localhost:3000 MESH_TOKEN=m3shd_master_abc');
    expect(text).toMatch(/MESH_TOKEN=\$\(npm run -s mesh -- token create --agent echo\) npm run -s worker -- --id echo --runtime command --command cat/);
    expect(text).not.toContain('--token');
    expect(text).not.toContain('pw');
  });
});
