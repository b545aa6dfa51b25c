// Choosing a language in the browser: the offer of the browser's language can be dismissed
// (with and without JavaScript) and stays away; the menu takes a person to the page in their
// language and is remembered; Escape closes the menu and gives the focus back to its button.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { catalogues } from '../../src/i18n/index.ts';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each([
  { mode: 'with JavaScript', javaScriptEnabled: true },
  { mode: 'without JavaScript', javaScriptEnabled: false },
])('the language offer and menu $mode', ({ javaScriptEnabled }) => {
  it('stops offering Arabic once the person stays in German', async () => {
    // A browser set to Arabic, on a German page.
    const context = await newContext(browser, baseUrl, { javaScriptEnabled, locale: 'ar', extraHTTPHeaders: { 'Accept-Language': 'ar,de;q=0.5' } });
    try {
      const page = await context.newPage();
      await page.goto('/activities?category=language');
      const offer = page.locator('.language-offer');
      expect(await offer.getByRole('link').textContent()).toBe(catalogues.ar['nav.thisPageIn']);
      await offer.getByRole('button').click();
      await page.waitForURL((url) => url.pathname === '/activities' && url.searchParams.get('category') === 'language');
      expect(await page.locator('.language-offer').count()).toBe(0);
      for (const path of ['/', '/activities', '/help-wanted']) {
        await page.goto(path);
        expect(await page.locator('.language-offer').count(), path).toBe(0);
      }
    } finally {
      await context.close();
    }
  });

  it('takes the person to the page in the language chosen from the menu, and remembers it', async () => {
    const context = await newContext(browser, baseUrl, { javaScriptEnabled, extraHTTPHeaders: { 'Accept-Language': 'ar' } });
    try {
      const page = await context.newPage();
      await page.goto('/help-wanted');
      await page.locator('.language-switcher summary').click();
      await page.locator('.language-switcher').getByRole('button', { name: 'Українська' }).click();
      await page.waitForURL((url) => url.pathname === '/uk/help-wanted');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('uk');
      // Arabic is no longer offered on Ukrainian pages…
      expect(await page.locator('.language-offer').count()).toBe(0);
      // …and a German page offers Ukrainian, the language chosen.
      await page.goto('/activities');
      expect(await page.locator('.language-offer a').getAttribute('href')).toBe('/uk/activities');
    } finally {
      await context.close();
    }
  });
});

describe('the language menu and the keyboard', () => {
  it('closes on Escape and gives the focus back to its button', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await page.goto('/activities');
      const menu = page.locator('details.language-switcher');
      await menu.locator('summary').focus();
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('open')).not.toBeNull();
      // Into the menu, then Escape.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('details')?.className)).toContain('language-switcher');
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('open')).toBeNull();
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
      // Escape on the open menu's own button closes it too.
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('open')).not.toBeNull();
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('open')).toBeNull();
      // Escape elsewhere leaves other disclosures alone (the filters are not a menu).
      await page.locator('details.filters > summary').click();
      await page.keyboard.press('Escape');
      expect(await page.locator('details.filters').getAttribute('open')).not.toBeNull();
    } finally {
      await context.close();
    }
  });
});
