// The paper consent form prints on one A4 page: in each language with German beside it (the
// longest pair decides), blank and with a person's name — as Chromium's own print to PDF
// lays it out, with the page's print styles.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCALES } from '../../src/i18n/locales.ts';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser, inject('baseUrl'));
  page = await context.newPage();
  await page.goto('/sign-in');
  await page.locator('#field-login').fill('coordinator@example.org');
  await page.locator('#field-password').fill('ankommen-demo');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** The pages of a PDF, counted from its page objects. */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

async function printed(url: string): Promise<{ pages: number; text: string }> {
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
  // What is printed is the sheet alone: the site's header, the hint and the button stay on screen.
  const text = await page.evaluate(() => {
    const shown = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.closest('.consent-sheet') === null && el.children.length === 0);
    return shown.filter((el) => getComputedStyle(el).display !== 'none' && el.offsetParent !== null).map((el) => el.textContent?.trim()).filter(Boolean).join(' | ');
  });
  return { pages: pageCount(pdf), text };
}

describe('the paper consent form', () => {
  it.each(LOCALES)('blank, in %s (and German), fits one A4 page', async (locale) => {
    await page.emulateMedia({ media: 'print' });
    const { pages } = await printed(`/coordinate/consent-form?language=${locale}`);
    expect(pages).toBe(1);
  });

  it('with a registered person’s name (Persian and German) fits one page, and prints nothing but the sheet', async () => {
    await page.emulateMedia({ media: 'screen' });
    await page.goto('/coordinate/people');
    const href = await page.locator('a[href$="/consent-form"]').first().getAttribute('href');
    await page.emulateMedia({ media: 'print' });
    const { pages, text } = await printed(href!);
    expect(pages).toBe(1);
    expect(text).toBe('');
  });
});
