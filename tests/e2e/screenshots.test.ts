// Full-page screenshots of the home page on a phone and a desktop, in German and Arabic, for a
// person to look at (test-results/ is not committed).
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
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
