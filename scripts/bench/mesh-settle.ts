// Benchmark: how long the /mesh view's force layout takes to come to rest in Chromium (software
// WebGL here), with the real agents of a fresh hub plus N synthetic nodes (?demo=N), at a phone
// and a desktop size. The page reports it itself: the stage's data-settle-ms is the time from
// the agents arriving to the layout resting (src/components/mesh3d/mesh-canvas.tsx). Starts the
// built hub on a free port with a throwaway data dir, signs in as the first-start admin. Prints
// figures; asserts nothing.
//   npm run build && npx tsx scripts/bench/mesh-settle.ts
import { chromium } from 'playwright';
import { startBenchHub } from './bench-hub';
import { freePort } from '../../src/testing/free-port';

const chromiumPath = process.env.MESH_CHROMIUM ?? '/usr/bin/chromium';
const NODE_COUNTS = [0, 10, 100, 300];
const SIZES = [
  { name: 'phone 430×932', width: 430, height: 932 },
  { name: 'desktop 1440×900', width: 1440, height: 900 },
];
const RUNS = 3;

async function main(): Promise<void> {
  const port = await freePort();
  const hub = await startBenchHub({ port });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ baseURL: hub.url });
    const login = await context.request.post('/api/login', { data: { username: 'admin', password: hub.adminPassword } });
    if (login.status() !== 200) throw new Error(`POST /api/login answered ${login.status()}`);
    const page = await context.newPage();
    console.log('mesh layout settle time (ms from agents arriving to rest), median of', RUNS, 'loads');
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const count of NODE_COUNTS) {
        const samples: number[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          await page.goto(count > 0 ? `/mesh?demo=${count}` : '/mesh');
          const stage = page.locator('section[aria-label="3D mesh"]');
          await stage.locator('canvas').waitFor({ timeout: 30_000 });
          await page.waitForFunction(() => document.querySelector('section[aria-label="3D mesh"]')?.getAttribute('data-settle-ms') !== null, undefined, { timeout: 30_000 });
          samples.push(Number(await stage.getAttribute('data-settle-ms')));
        }
        samples.sort((a, b) => a - b);
        console.log(`  ${size.name.padEnd(18)} ${String(count).padStart(3)} synthetic nodes: ${samples[Math.floor(samples.length / 2)]} ms  (runs: ${samples.join(', ')})`);
      }
    }
  } finally {
    await browser.close();
    await hub.stop();
  }
}

await main();
