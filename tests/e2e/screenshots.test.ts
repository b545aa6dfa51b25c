// Full-page screenshots of the home page on a phone and a desktop, in German and Arabic, and of
// the printable programme on screen and as it prints (German, and Arabic beside German), for a
// person to look at (test-results/ is not committed).
import { execFile } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ROOT } from '../helpers/portal.ts';
import { launchBrowser, newContext } from './browser.ts';

const DIR = path.join(ROOT, 'test-results', 'screenshots');
let browser: Browser;

beforeAll(async () => {
  await mkdir(DIR, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('home page screenshots', () => {
  const cases = [
    { lang: 'de', url: '/', width: 375, height: 800 },
    { lang: 'de', url: '/', width: 1280, height: 900 },
    { lang: 'ar', url: '/ar', width: 375, height: 800 },
    { lang: 'ar', url: '/ar', width: 1280, height: 900 },
  ];
  it.each(cases)('home-$lang-$width ($width×$height)', async ({ lang, url, width, height }) => {
    const context = await newContext(browser, inject('baseUrl'), { viewport: { width, height } });
    try {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'networkidle' });
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await page.evaluate(() => document.fonts.ready);
      const file = path.join(DIR, `home-${lang}-${width}.png`);
      await rm(file, { force: true });
      await page.screenshot({ path: file, fullPage: true });
      const { size } = await stat(file);
      expect(size).toBeGreaterThan(10 * 1024);
    } finally {
      await context.close();
    }
  });
});

describe('printable programme screenshots', () => {
  // On screen with its form; and the first A4 page as Chromium prints it (poppler's pdftoppm
  // turns it into an image).
  const cases = [
    { name: 'programme-de', lang: 'de', url: '/programme', print: false },
    { name: 'programme-ar', lang: 'ar', url: '/ar/programme?bilingual=1', print: false },
    { name: 'programme-de-print', lang: 'de', url: '/programme', print: true },
    { name: 'programme-ar-print', lang: 'ar', url: '/ar/programme?bilingual=1', print: true },
  ];
  it.each(cases)('$name', async ({ name, lang, url, print }) => {
    const context = await newContext(browser, inject('baseUrl'), { viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'networkidle' });
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await page.locator('.programme-entry').count()).toBeGreaterThan(0);
      await page.evaluate(() => document.fonts.ready);
      const file = path.join(DIR, `${name}.png`);
      await rm(file, { force: true });
      if (print) {
        await page.emulateMedia({ media: 'print' });
        const pdf = path.join(DIR, `${name}.pdf`);
        await writeFile(pdf, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
        await promisify(execFile)('pdftoppm', ['-r', '110', '-f', '1', '-l', '1', '-singlefile', '-png', pdf, file.replace(/\.png$/, '')]);
      } else {
        await page.screenshot({ path: file, fullPage: true });
      }
      const { size } = await stat(file);
      expect(size).toBeGreaterThan(10 * 1024);
    } finally {
      await context.close();
    }
  });
});
