// Draws the web app's PNG icons from the two SVGs in public/icons with the machine's Chromium
// (the one the browser tests use), so that no image service or graphics package is needed.
// Run it after changing an SVG and commit the PNGs: `node scripts/make-icons.ts`.
//   icon-192.png, icon-512.png                 the icon with rounded corners ("any")
//   icon-maskable-192.png, icon-maskable-512.png  full-bleed, the mark inside the safe zone
//                                              (the middle 80 %), for Android's masks
//   apple-touch-icon.png                       180 × 180 full-bleed: iOS rounds it itself
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ICONS = fileURLToPath(new URL('../public/icons/', import.meta.url));

const outputs: Array<{ file: string; source: string; size: number }> = [
  { file: 'icon-192.png', source: 'icon.svg', size: 192 },
  { file: 'icon-512.png', source: 'icon.svg', size: 512 },
  { file: 'icon-maskable-192.png', source: 'icon-maskable.svg', size: 192 },
  { file: 'icon-maskable-512.png', source: 'icon-maskable.svg', size: 512 },
  { file: 'apple-touch-icon.png', source: 'icon-maskable.svg', size: 180 },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const { file, source, size } of outputs) {
    const svg = await readFile(path.join(ICONS, source), 'utf8');
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await writeFile(path.join(ICONS, file), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    console.log(`public/icons/${file}: ${size} × ${size}`);
  }
} finally {
  await browser.close();
}
