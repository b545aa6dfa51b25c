// The activity list as a newcomer uses it, in the demo town: each card says what matters before
// opening it (no German needed, childcare, the languages spoken), the list says how many
// activities match, politely to screen readers, and the filter form keeps its shape on tablets
// and desktops (measured in the browser, not looked at).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { catalogues, type Locale } from '../../src/i18n/index.ts';
import { languageName } from '../../src/i18n/format.ts';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser, baseUrl);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function cardTexts(page: Page): Promise<string[]> {
  return page.locator('.activity-card').evaluateAll((cards) => cards.map((c) => (c.textContent ?? '').replace(/\s+/g, ' ')));
}

describe('activity cards say what matters', () => {
  it.each(['de', 'ar', 'uk'] as Locale[])('no German needed, childcare and the languages spoken, in %s', async (locale) => {
    const words = catalogues[locale];
    const prefix = locale === 'de' ? '' : `/${locale}`;
    const page = await context.newPage();
    try {
      await page.goto(`${prefix}/activities?noGerman=1`);
      const noGerman = await cardTexts(page);
      expect(noGerman.length).toBeGreaterThan(0);
      for (const text of noGerman) expect(text).toContain(words['activity.noGermanNeeded']);

      await page.goto(`${prefix}/activities?childcare=1`);
      const childcare = await cardTexts(page);
      expect(childcare.length).toBeGreaterThan(0);
      for (const text of childcare) expect(text).toContain(words['activity.childcare']);

      // A card for an activity held in Arabic names the language in the reader's language.
      await page.goto(`${prefix}/activities?language=ar`);
      const arabic = await cardTexts(page);
      expect(arabic.length).toBeGreaterThan(0);
      for (const text of arabic) expect(text).toContain(languageName(locale, 'ar'));

      // And an activity that asks for German (a course) is not marked "no German needed".
      await page.goto(`${prefix}/activities?level=A1`);
      const course = await cardTexts(page);
      expect(course.length).toBeGreaterThan(0);
      for (const text of course) expect(text).not.toContain(words['activity.noGermanNeeded']);
    } finally {
      await page.close();
    }
  });
});

describe('the list says how many activities match', () => {
  /** All cards over all pages, following "next". */
  async function countAllCards(page: Page, url: string, cards: string): Promise<number> {
    let total = 0;
    await page.goto(url);
    for (let pages = 0; pages < 20; pages++) {
      total += await page.locator(cards).count();
      const next = page.locator('a[rel="next"]');
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForLoadState();
    }
    return total;
  }

  it.each([
    ['a filtered list on one page', '/activities?category=language', '.activity-card'],
    ['the whole list over several pages', '/activities', '.activity-card'],
    ['a filtered list in Arabic', '/ar/activities?childcare=1', '.activity-card'],
    // The same for the roles that need helpers.
    ['help wanted', '/help-wanted', '.volunteer-role'],
    ['help wanted, filtered', '/help-wanted?skill=setup', '.volunteer-role'],
  ])('%s (%s)', async (_name, url, cards) => {
    const page = await context.newPage();
    try {
      await page.goto(url);
      const status = page.locator('main .result-count');
      expect(await status.getAttribute('role', { timeout: 5000 })).toBe('status');
      const text = (await status.textContent()) ?? '';
      const shown = Number(new Intl.NumberFormat('en', { useGrouping: false }).format(Number(text.replace(/[^\d٠-٩]/g, '').replace(/[٠-٩]/g, (d) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(d))))));
      expect(shown, text).toBeGreaterThan(0);
      expect(shown, text).toBe(await countAllCards(page, url, cards));
    } finally {
      await page.close();
    }
  });
});

describe('the filter form keeps its shape', () => {
  it.each([768, 1024, 1280])('at %i px wide, on the activity list and on help wanted', async (width) => {
    const wide = await newContext(browser, baseUrl, { viewport: { width, height: 1000 } });
    try {
      const page = await wide.newPage();
      for (const url of ['/activities', '/help-wanted']) {
        await page.goto(url);
        // /help-wanted has two filter forms (shifts and help requests): both open, both measured.
        for (const summary of await page.locator('details.filters > summary').all()) await summary.click();
        const boxes = await page.locator('.filters__form select').evaluateAll((selects) =>
          selects.map((s) => {
            const box = s.getBoundingClientRect();
            const label = document.querySelector(`label[for="${s.id}"]`)!.getBoundingClientRect();
            return { id: s.id, height: box.height, gapBelowLabel: box.top - label.bottom };
          }),
        );
        expect(boxes.length).toBeGreaterThan(1);
        const heights = boxes.map((b) => b.height);
        // Every select is as tall as one line of text with its padding, and all are alike.
        for (const box of boxes) {
          expect(box.height, `${url} ${box.id} at ${width}px: ${JSON.stringify(boxes)}`).toBeLessThan(64);
          expect(box.gapBelowLabel, `${url} ${box.id} sits right under its label`).toBeLessThan(16);
        }
        expect(Math.max(...heights) - Math.min(...heights), `${url} at ${width}px: ${JSON.stringify(boxes)}`).toBeLessThanOrEqual(1);
      }
    } finally {
      await wide.close();
    }
  });
});
