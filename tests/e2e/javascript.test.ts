// How much JavaScript public pages make a phone download and run, counted in the browser: every
// inline script's text plus every script file the page loads (islands' modules included), as
// uncompressed bytes. And the one script sign-in and sign-up need, the show-password button,
// working with JavaScript and absent without it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from './browser.ts';

/** Raw bytes (before gzip): the budget holds on a connection that compresses nothing. */
const BUDGET_BYTES = 1024;

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Loads the page and adds up its JavaScript: inline scripts and every JS response. */
async function javaScriptBytes(page: Page, url: string): Promise<{ total: number; parts: string[] }> {
  const files: Array<Promise<[string, number]>> = [];
  const listener = (response: import('playwright-core').Response) => {
    const type = response.headers()['content-type'] ?? '';
    if (type.includes('javascript') || response.request().resourceType() === 'script') {
      files.push(response.body().then((body) => [new URL(response.url()).pathname, body.length]));
    }
  };
  page.on('response', listener);
  try {
    const response = await page.goto(url, { waitUntil: 'networkidle' });
    expect(response?.status(), url).toBe(200);
    // Islands hydrate when the browser is idle; give them the chance to ask for their modules.
    await page.waitForTimeout(300);
    await page.waitForLoadState('networkidle');
    const inline = await page.evaluate(() =>
      [...document.querySelectorAll('script:not([src])')].map((s) => new TextEncoder().encode(s.textContent ?? '').length),
    );
    const fetched = await Promise.all(files);
    const parts = [...inline.map((n, i) => `inline #${i + 1}: ${n} B`), ...fetched.map(([path, n]) => `${path}: ${n} B`)];
    const total = inline.reduce((a, b) => a + b, 0) + fetched.reduce((a, [, n]) => a + n, 0);
    return { total, parts };
  } finally {
    page.off('response', listener);
  }
}

describe(`every public page ships under ${BUDGET_BYTES} bytes of JavaScript (uncompressed)`, () => {
  const pages: Array<[string, string]> = [
    ['home', '/'],
    ['Arabic home', '/ar'],
    ['activities', '/activities'],
    ['activities with filters', '/activities?category=language&childcare=1'],
    ['an activity', '/activities/1'],
    ['help wanted', '/help-wanted'],
    ['Kümmerer', '/kuemmerer'],
    ['consultation hours', '/consultations'],
    ['sign-in', '/sign-in'],
    ['sign-up', '/sign-up'],
    ['Ukrainian sign-up', '/uk/sign-up'],
    ['forgot password', '/forgot-password'],
    ['claim a sign-in', '/claim'],
    // Only the print button's few bytes beside the layout's: printing needs none.
    ['printable programme', '/programme'],
    ['Arabic printable programme beside German', '/ar/programme?bilingual=1'],
  ];
  let context: BrowserContext;
  beforeAll(async () => {
    context = await newContext(browser, baseUrl);
  });
  afterAll(async () => {
    await context?.close();
  });

  it.each(pages)('%s (%s)', async (_name, url) => {
    const page = await context.newPage();
    try {
      const { total, parts } = await javaScriptBytes(page, url);
      expect(total, `${url}: ${total} bytes of JavaScript\n  ${parts.join('\n  ')}`).toBeLessThanOrEqual(BUDGET_BYTES);
    } finally {
      await page.close();
    }
  });
});

describe('the show-password button', () => {
  it('shows and hides the password with JavaScript, and says which it does', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await page.goto('/sign-in');
      const input = page.locator('#field-password');
      await input.fill('geheim genug');
      const toggle = page.getByRole('button', { name: 'Passwort zeigen' });
      await toggle.waitFor();
      expect(await toggle.getAttribute('aria-controls')).toBe('field-password');
      await toggle.click();
      expect(await input.getAttribute('type')).toBe('text');
      const hide = page.getByRole('button', { name: 'Passwort verbergen' });
      await hide.click();
      expect(await input.getAttribute('type')).toBe('password');
      expect(await input.inputValue()).toBe('geheim genug');

      // Every password field on a page gets its own, in the page's language.
      await page.goto('/uk/sign-up');
      const toggles = page.locator('.password-toggle');
      await toggles.first().waitFor();
      expect(await page.locator('input[type="password"]').count()).toBe(await toggles.count());
      expect((await toggles.first().textContent())?.trim()).not.toBe('Passwort zeigen');
    } finally {
      await context.close();
    }
  });

  it('is not there without JavaScript, where it could do nothing', async () => {
    const context = await newContext(browser, baseUrl, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto('/sign-in');
      expect(await page.getByRole('button', { name: 'Passwort zeigen' }).count()).toBe(0);
      expect(await page.locator('#field-password').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
