/**
 * Renders client/public/icons/icon.svg to the PNG sizes a home screen asks for, with the
 * system's Chromium (no download, no network). Run after changing the SVG:
 * `npx tsx scripts/renderIcons.ts`; the PNGs are committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const dir = path.resolve(import.meta.dirname, '../client/public/icons');
const svg = fs.readFileSync(path.join(dir, 'icon.svg'), 'utf8');
/** Maskable icons are cropped to a circle by some launchers: the art is drawn full-bleed, without round corners. */
const fullBleed = svg.replace(/rx="96"/, 'rx="0"');
const sizes: { file: string; size: number; source: string }[] = [
  { file: 'icon-192.png', size: 192, source: svg },
  { file: 'icon-512.png', size: 512, source: svg },
  { file: 'maskable-512.png', size: 512, source: fullBleed },
  { file: 'apple-touch-icon.png', size: 180, source: fullBleed },
];

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const browser = await chromium.launch({ ...(executablePath && { executablePath }), args: ['--no-sandbox'] });
for (const { file, size, source } of sizes) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${source}`);
  await page.screenshot({ path: path.join(dir, file), omitBackground: true });
  await page.close();
}
await browser.close();
