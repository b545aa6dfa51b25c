// Where people find their own lists on a 320 px phone, in German and Ukrainian: the header
// keeps its two entries (My activities, My account) and each of those pages lists the
// person's own pages — My shifts for everyone who volunteers, My mentees for a Kümmerer.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { catalogues, type Locale } from '../../src/i18n/index.ts';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('#field-login').fill(email);
  await page.locator('#field-password').fill('ankommen-demo');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** The link's box, and whether it sticks out of the 320 px page. */
async function reachable(page: Page, name: string): Promise<{ width: number; height: number; inside: boolean }> {
  const link = page.locator('nav.my-nav').getByRole('link', { name, exact: true });
  const box = (await link.boundingBox())!;
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  return { width: box.width, height: box.height, inside: box.x >= 0 && box.x + box.width <= width };
}

describe.each(['de', 'uk'] as Locale[])('a Kümmerer who also volunteers, on a 320 px phone in %s', (locale) => {
  const words = catalogues[locale];
  const prefix = locale === 'de' ? '' : `/${locale}`;

  it('finds My mentees and My shifts from both header entries; the header keeps its entries and its first row stays short', async () => {
    const context = await newContext(browser, baseUrl, { viewport: { width: 320, height: 640 }, extraHTTPHeaders: { 'Accept-Language': locale } });
    try {
      const page = await context.newPage();
      await signIn(page, 'mentor@example.org');
      await page.goto(`${prefix}/`);
      const header = page.locator('header nav');
      // The header's entries for a signed-in person without organisation roles: four to find
      // things (activities, help wanted, Kümmerer, consultation hours), My activities, My
      // account and Sign out.
      expect(await header.locator('li').count()).toBe(7);
      // Its first row: the brand beside the language button, about one line in German. The
      // longest language name ("Українська") goes under the globe (layout.css) rather than
      // out of the page: the button is taller then, but stays within its column.
      const row = await page.evaluate(() => {
        const inner = document.querySelector('.site-header__inner')!;
        const button = document.querySelector('.language-switcher summary')!.getBoundingClientRect();
        return {
          brand: document.querySelector('header .brand')!.getBoundingClientRect().height,
          button: { right: button.right, height: button.height },
          edge: document.documentElement.clientWidth - Number.parseFloat(getComputedStyle(inner).paddingInlineEnd),
        };
      });
      expect(row.button.right, 'the language button stays inside the page').toBeLessThanOrEqual(row.edge + 0.5);
      expect(row.button.height, 'the language button’s height').toBeLessThanOrEqual(row.brand * (locale === 'uk' ? 2 : 1.25));

      for (const entry of [words['nav.myActivities'], words['nav.account']]) {
        await page.goto(`${prefix}/`);
        await header.getByRole('link', { name: entry, exact: true }).click();
        await page.waitForLoadState();
        for (const name of [words['mentees.title'], words['myShifts.title'], words['my.title']]) {
          const box = await reachable(page, name);
          expect(box.inside, `${entry} → ${name}`).toBe(true);
          expect(box.height, `${entry} → ${name}: a target to tap`).toBeGreaterThanOrEqual(44);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      }
      await page.locator('nav.my-nav').getByRole('link', { name: words['mentees.title'], exact: true }).click();
      await page.waitForURL((url) => url.pathname === `${prefix}/mentees`);
      expect(await page.locator('nav.my-nav [aria-current="page"]').textContent()).toBe(words['mentees.title']);
      await page.locator('nav.my-nav').getByRole('link', { name: words['myShifts.title'], exact: true }).click();
      await page.waitForURL((url) => url.pathname === `${prefix}/my-shifts`);
    } finally {
      await context.close();
    }
  });
});

describe('someone who is not a Kümmerer', () => {
  it('is not shown My mentees, and is shown My Kümmerer', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await signIn(page, 'newcomer-ar@example.org');
      await page.goto('/my-activities');
      const nav = page.locator('nav.my-nav');
      expect(await nav.getByRole('link', { name: catalogues.de['mentees.title'] }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: catalogues.de['myk.title'], exact: true }).count()).toBe(1);
      expect(await nav.getByRole('link', { name: catalogues.de['myShifts.title'], exact: true }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
