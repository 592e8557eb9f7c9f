// Throwaway probe: fps of /mesh?demo=100 at several viewport sizes (software WebGL).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright';
const port = 3391;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-probe-'));
const hub = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { cwd: '/work/main', env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MESH_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] });
const password = await new Promise<string>((resolve) => { let out = ''; hub.stdout!.on('data', (c) => { out += c; if (out.includes('listening on')) resolve(/password: (\S+)/.exec(out)![1]!); }); });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [w, h] of [[1280, 800], [640, 480], [430, 932]]) {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, viewport: { width: w, height: h } });
  await context.request.post('/api/login', { data: { username: 'admin', password } });
  const page = await context.newPage();
  await page.goto('/mesh?demo=100');
  await page.waitForSelector('text=/draw calls/');
  await page.waitForTimeout(6000);
  const text = await page.locator('[role=status]').filter({ hasText: 'Synthetic' }).textContent();
  const box = await page.locator('section[aria-label="3D mesh"] canvas').boundingBox();
  // JS cost per frame: time the scene's callbacks via a long task observer is not available; sample rAF gaps.
  const gaps = await page.evaluate(() => new Promise<number[]>((resolve) => { const t: number[] = []; let last = performance.now(); const step = (now: number) => { t.push(now - last); last = now; if (t.length < 20) requestAnimationFrame(step); else resolve(t); }; requestAnimationFrame(step); }));
  console.log(w, h, 'canvas', Math.round(box!.width), Math.round(box!.height), /\d+ fps[^.]*/.exec(text ?? '')?.[0], 'median rAF gap', gaps.sort((a, b) => a - b)[10]!.toFixed(1));
  await context.close();
}
await browser.close();
hub.kill('SIGTERM');
await new Promise((r) => hub.once('exit', r));
fs.rmSync(dataDir, { recursive: true, force: true });
