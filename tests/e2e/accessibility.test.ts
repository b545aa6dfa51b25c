// Automatic accessibility checks with axe-core (WCAG 2.2 AA rules), keyboard entry through the
// skip link, and reflow at 320 CSS pixels (WCAG 1.4.10) in German and Arabic.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('axe-core finds no moderate, serious or critical problems', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // The portal's Content-Security-Policy rightly blocks the injected axe script.
    context = await newContext(browser, baseUrl, { bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  const pages: Array<[string, string]> = [
    ['home page', '/'],
    ['sign-in page', '/sign-in'],
    ['sign-up page', '/sign-up'],
    ['Arabic home page', '/ar'],
    ['Arabic sign-up page', '/ar/sign-up'],
    ['browse page with filters that match nothing (form open)', '/activities?category=sports&level=C1'],
    ['Arabic browse page', '/ar/activities?childcare=1'],
    // The demo town's first activity (ids start at 1 in a fresh database).
    ['activity page', '/activities/1'],
    ['Arabic activity page', '/ar/activities/1'],
    ['help wanted', '/help-wanted'],
    ['Kümmerer page', '/kuemmerer'],
    ['forgot password', '/forgot-password'],
    ['Persian browse page', '/fa/activities'],
  ];
  it.each(pages)('%s (%s)', async (name, url) => {
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    const found = await axeViolations(page);
    expect(found, describeViolations(`${name} ${url}`, found)).toEqual([]);
  });

  it('sign-up page showing errors (/sign-up after an empty post)', async () => {
    await page.goto('/sign-up');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === '/sign-up');
    await page.locator('.error-summary').waitFor();
    expect(await page.title()).toMatch(/^Fehler: /);
    const found = await axeViolations(page);
    expect(found, describeViolations('sign-up page with errors', found)).toEqual([]);
  });
});

describe('signed-in pages: axe-core finds no moderate, serious or critical problems', () => {
  // Each account sees its own pages: a newcomer with a Kümmerer, a Kümmerer with a mentee, a
  // volunteer, a coordinator.
  const cases: Array<[string, string, string]> = [
    ['newcomer-uk@example.org', 'my activities', '/my-activities'],
    ['newcomer-uk@example.org', 'Ukrainian my activities', '/uk/my-activities'],
    ['newcomer-uk@example.org', 'my Kümmerer', '/my-kuemmerer'],
    ['resident@example.org', 'my shifts', '/my-shifts'],
    ['resident@example.org', 'account', '/account'],
    ['resident@example.org', 'Arabic account', '/ar/account'],
    ['mentor@example.org', 'my mentees', '/mentees'],
    ['coordinator@example.org', 'matching requests', '/coordinate/requests'],
  ];
  const contexts = new Map<string, BrowserContext>();
  afterAll(async () => {
    for (const context of contexts.values()) await context.close();
  });

  it.each(cases)('%s: %s (%s)', async (account, name, url) => {
    let context = contexts.get(account);
    if (!context) {
      context = await newContext(browser, baseUrl, { bypassCSP: true });
      contexts.set(account, context);
      const signIn = await context.newPage();
      await signIn.goto('/sign-in');
      await signIn.locator('#field-email').fill(account);
      await signIn.locator('#field-password').fill('ankommen-demo');
      await signIn.locator('main form button[type="submit"]').click();
      await signIn.waitForURL((u) => u.pathname === '/');
      await signIn.close();
    }
    const page = await context.newPage();
    try {
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      const found = await axeViolations(page);
      expect(found, describeViolations(`${account} ${name} ${url}`, found)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the confirmation steps: axe-core finds no moderate, serious or critical problems', () => {
  it('before cancelling a place and before withdrawing from a shift, in German and Arabic', async () => {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.locator('#field-email').fill('resident@example.org');
      await page.locator('#field-password').fill('ankommen-demo');
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL((u) => u.pathname === '/');
      // A place to cancel: the first activity that still takes RSVPs.
      await page.goto('/activities');
      for (const href of await page.locator('.activity-card__title a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!))) {
        await page.goto(href);
        if ((await page.locator('form[action$="rsvps.create"]').count()) === 0) continue;
        await page.locator('form[action$="rsvps.create"] button[type="submit"]').click();
        await page.waitForLoadState();
        break;
      }
      await page.goto('/my-activities');
      const cancel = await page.locator('#upcoming-title + ul a[href*="/cancel"]').first().getAttribute('href');
      expect(cancel).toBeTruthy();
      // A shift to withdraw from.
      await page.goto('/help-wanted');
      await page.locator('article.volunteer-role form[action*="volunteering.signUp"] button').first().click();
      await page.waitForLoadState();
      await page.goto('/my-shifts');
      const withdraw = await page.locator('a[href*="/withdraw"]').first().getAttribute('href');
      expect(withdraw).toBeTruthy();
      for (const url of [cancel!, `/ar${cancel!.split('?')[0]}`, withdraw!, `/ar${withdraw}`]) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        expect(await page.locator('main h1').count(), url).toBe(1);
        const found = await axeViolations(page);
        expect(found, describeViolations(url, found)).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});

describe('keyboard', () => {
  it('reaches the skip link first, and it shows when focused', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await page.goto('/');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return null;
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          className: el.className,
          href: el.getAttribute('href'),
          inViewport: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
          shown: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0,
          clipped: style.clipPath !== 'none' && style.clipPath !== '' ? style.clipPath : null,
        };
      });
      expect(focused?.className).toContain('skip-link');
      expect(focused?.href).toBe('#main');
      expect(focused, JSON.stringify(focused)).toMatchObject({ inViewport: true, shown: true, clipped: null });
      expect(await page.locator('.skip-link').isVisible()).toBe(true);
      // Following it moves the focus to the main content.
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
    } finally {
      await context.close();
    }
  });
});

describe('reflow at 320 CSS pixels: no horizontal scrolling', () => {
  const cases: Array<[string, string]> = [
    ['German home page', '/'],
    ['German sign-up page', '/sign-up'],
    ['Arabic home page', '/ar'],
    ['Arabic sign-up page', '/ar/sign-up'],
    ['browse page with filters that match nothing (form open)', '/activities?category=sports&level=C1'],
    ['Arabic browse page', '/ar/activities?childcare=1'],
    // The demo town's first activity (ids start at 1 in a fresh database).
    ['activity page', '/activities/1'],
    ['Arabic activity page', '/ar/activities/1'],
    // The longest language name in the header's switcher.
    ['Ukrainian home page', '/uk'],
    ['Ukrainian browse page', '/uk/activities'],
  ];
  let context: BrowserContext;
  beforeAll(async () => {
    context = await newContext(browser, baseUrl, { viewport: { width: 320, height: 640 } });
  });
  afterAll(async () => {
    await context?.close();
  });

  it.each(cases)('%s (%s)', async (_name, url) => {
    const page = await context.newPage();
    try {
      await page.goto(url);
      const sizes = await page.evaluate(() => {
        const root = document.documentElement;
        // Name what sticks out, so a failure says where to look.
        const wide = [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > root.clientWidth + 0.5 || r.left < -0.5);
          })
          .slice(0, 8)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} [${Math.round(el.getBoundingClientRect().left)}–${Math.round(el.getBoundingClientRect().right)}]`);
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
      });
      expect(sizes.scrollWidth, `${url}: scrollWidth ${sizes.scrollWidth} > 320; elements outside: ${sizes.wide.join(', ')}`).toBeLessThanOrEqual(320);
    } finally {
      await page.close();
    }
  });
});
