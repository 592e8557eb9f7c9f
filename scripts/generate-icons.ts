// Renders public/favicon.svg into the PWA's PNG icons with Chromium (Playwright):
// 192 and 512 ("any"), 512 maskable (the glyph inside the safe zone on a full-bleed background)
// and the 180 apple-touch-icon (full bleed: iOS rounds the corners itself). Run after changing
// the favicon: `npx tsx scripts/generate-icons.ts`; the PNGs are committed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const publicDir = path.join(projectRoot, 'public');
// The manifest's background colour and the favicon's own tile (--bg in globals.css).
const BACKGROUND = '#0b0d12';

interface IconSpec {
  file: string;
  size: number;
  /** Full-bleed background with the glyph scaled to this share of the edge; omit for the favicon as drawn. */
  glyphShare?: number;
}

const ICONS: IconSpec[] = [
  { file: 'icons/icon-192.png', size: 192 },
  { file: 'icons/icon-512.png', size: 512 },
  // Maskable: launchers may crop to a circle of 80% of the edge; the glyph's farthest point
  // (a node's rim, 27.6 of the favicon's 64 units from its centre) stays inside it at 0.8.
  { file: 'icons/icon-maskable-512.png', size: 512, glyphShare: 0.8 },
  { file: 'icons/apple-touch-icon.png', size: 180, glyphShare: 0.86 },
];

function pageFor(svg: string, icon: IconSpec): string {
  const source = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const glyph = Math.round(icon.size * (icon.glyphShare ?? 1));
  const background = icon.glyphShare ? BACKGROUND : 'transparent';
  return `<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:${icon.size}px;height:${icon.size}px;display:grid;place-items:center;background:${background}">
<img src="${source}" width="${glyph}" height="${glyph}" alt=""></div></body></html>`;
}

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(publicDir, 'favicon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.MESH_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
      await page.setContent(pageFor(svg, icon));
      await page.locator('img').evaluate((image: HTMLImageElement) => image.decode());
      const target = path.join(publicDir, icon.file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await page.screenshot({ path: target, omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } });
      await page.close();
      console.log(`wrote public/${icon.file} (${icon.size}×${icon.size})`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
