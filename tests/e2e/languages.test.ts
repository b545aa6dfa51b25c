// Arabic and Persian pages as a reader sees them, on the demo town: Latin fragments (".ics",
// "(https)", e-mail addresses, the claim code and address) keep their order inside right-to-left
// text, numbers and list steps come in the page's digits, a Persian date reads the Persian way
// with the Gregorian date beside it, and every home page names the demo roles in its language.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/features/demo/demo-town.ts';
import { translator } from '../../src/i18n/index.ts';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser, inject('baseUrl'));
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

const LATIN_DIGIT = /[0-9]/;
/** The demo roles as the console prints them (English, for whoever starts the portal); a home
 * page shows these only when it has no label of its own. */
const CONSOLE_LABELS = DEMO_PEOPLE.map((p) => p.role);

/**
 * Where each character of an element's text is drawn, left to right on the screen: the
 * characters in the order the eye meets them, skipping invisible formatting characters.
 */
async function drawnOrder(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const drawn: Array<{ ch: string; x: number }> = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let i = 0; i < node.data.length; i++) {
        const ch = node.data[i]!;
        if (/[\u2066-\u2069\s]/.test(ch)) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width > 0) drawn.push({ ch, x: box.left + box.width / 2 });
      }
    }
    return drawn.sort((a, b) => a.x - b.x).map((d) => d.ch).join('');
  });
}

/** A demo person signed in, in a browser context of their own (close it when done). */
async function signedIn(email: string): Promise<Page> {
  const own = await newContext(browser, inject('baseUrl'));
  const signedInPage = await own.newPage();
  await signedInPage.goto('/sign-in');
  await signedInPage.locator('#field-login').fill(email);
  await signedInPage.locator('#field-password').fill('ankommen-demo');
  await signedInPage.locator('main form button[type="submit"]').click();
  await signedInPage.waitForURL((url) => url.pathname === '/');
  return signedInPage;
}

async function bidiOf(locator: Locator): Promise<{ direction: string; unicodeBidi: string }> {
  return locator.evaluate((el) => ({ direction: getComputedStyle(el).direction, unicodeBidi: getComputedStyle(el).unicodeBidi }));
}

describe.each(['ar', 'fa'] as const)('%s pages', (locale) => {
  it('show "(.ics)" and "(https)" as written, the brackets around the Latin word, on an activity page', async () => {
    await page.goto(`/${locale}/activities/1`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    // Drawn left to right, a right-to-left line shows its closing bracket first (mirrored, it
    // looks like an opening one): ")" then ".ics" then "(". The fault drew "(ics.)": ")ics.(".
    expect(await drawnOrder(page.locator('[data-feed="download"]'))).toMatch(/^\).ics\(/);
    expect(await drawnOrder(page.locator('[data-feed="https"]'))).toMatch(/^\)https\(/);
  });

  it('isolate the demo sign-ins’ addresses and the password left to right, and name every role in the page’s language', async () => {
    await page.goto(`/${locale}`);
    const addresses = page.locator('.demo-sign-ins dd bdi');
    expect(await addresses.count()).toBeGreaterThanOrEqual(10);
    for (const address of await addresses.all()) expect(await bidiOf(address)).toEqual({ direction: 'ltr', unicodeBidi: 'isolate' });
    expect(await bidiOf(page.locator('.demo-sign-ins code'))).toEqual({ direction: 'ltr', unicodeBidi: 'isolate' });
    expect(await drawnOrder(page.locator('.demo-sign-ins dd bdi').first())).toBe('admin@example.org');
    // Role labels: none is the English console label (the two Kümmerer showed "Kümmerer (free places)" and the like).
    for (const role of await page.locator('.demo-sign-ins dt').allTextContents()) expect(CONSOLE_LABELS, role).not.toContain(role.trim());
  });
});

describe('coordination in Persian', () => {
  it('a Kümmerer offered for a hand-over keeps the Latin name apart from the Persian reason in the choice', async () => {
    const coordinator = await signedIn('coordinator@example.org');
    try {
      await coordinator.goto('/fa/coordinate/mentorships');
      const options = await coordinator.locator('.reassign-form select option').allTextContents();
      expect(options.length).toBeGreaterThan(0);
      // An <option> cannot hold <bdi>: the name comes as its own isolate (U+2068 … U+2069).
      for (const option of options) expect(option).toMatch(/^\u2068[^\u2069]+\u2069 — /);
    } finally {
      await coordinator.context().close();
    }
  });
});

describe('every home page names the demo roles in its own language', () => {
  it.each(['/', '/en', '/uk', '/tr'])('%s', async (path) => {
    await page.goto(path);
    const roles = await page.locator('.demo-sign-ins dt').allTextContents();
    expect(roles.length).toBeGreaterThanOrEqual(10);
    for (const role of roles) expect(CONSOLE_LABELS, `${path}: ${role}`).not.toContain(role.trim());
  });
});

describe('Persian numbers and dates', () => {
  it('a sign-up deadline reads weekday day month year, the Persian comma, the Gregorian date beside, Persian digits only', async () => {
    const prefix = translator('fa')('activity.rsvpUntil', { date: '' }).replace(/[\u2066-\u2069]/g, '').trim();
    let deadline = '';
    // The demo town's activities with a deadline the day before: find the first one.
    for (let id = 1; id <= 60 && !deadline; id++) {
      await page.goto(`/fa/activities/${id}`);
      const lines = await page.locator('.rsvp p.muted').allTextContents();
      deadline = lines.find((l) => l.includes(prefix)) ?? '';
    }
    expect(deadline, 'no Persian activity page shows a deadline').not.toBe('');
    expect(deadline).not.toMatch(LATIN_DIGIT);
    expect(deadline).not.toContain(',');
    expect(deadline).toMatch(/(شنبه|یکشنبه|دوشنبه|سه‌شنبه|چهارشنبه|پنجشنبه|جمعه) [۰-۹]+ [^\s]+ ۱۴[۰-۹]{2} \([۰-۹]+ [^\s]+ ۲۰[۰-۹]{2}\)، ساعت [۰-۹]{2}:[۰-۹]{2}/);
  });

  it('an activity page shows the Gregorian date beside the Solar Hijri one; the cards of the list do not', async () => {
    await page.goto('/fa/activities/1');
    expect(await page.locator('.facts time').first().textContent()).toMatch(/[۰-۹]+ [^\s]+ \([۰-۹]+ [^\s)]+\)/);
    await page.goto('/fa/activities');
    expect(await page.locator('.activity-card__when').first().textContent()).not.toContain('(');
  });

  it('the claim sheet numbers its steps in Persian digits, isolates address and code, and gives the validity with year and Gregorian date', async () => {
    const sheet = await signedIn('coordinator@example.org');
    try {
      await sheet.goto('/coordinate/new-request');
      await sheet.locator('#field-name').fill('Dariush Rahimi');
      await sheet.locator('#field-locale').selectOption('fa');
      await sheet.locator('input[name="topics"][value="paperwork"]').check();
      await sheet.locator('input[name="languages"][value="fa"]').check();
      await sheet.locator('#field-contactPreference').selectOption('in_person');
      await sheet.locator('#field-paperConsent').check();
      await sheet.locator('main form button[type="submit"]').click();
      await sheet.waitForURL((url) => /^\/coordinate\/claim-sheet\/\d+$/.test(url.pathname));
      const article = sheet.locator('article.claim-sheet');
      expect(await article.getAttribute('lang')).toBe('fa');
      expect(await sheet.locator('.claim-steps').evaluate((el) => getComputedStyle(el).listStyleType)).toBe('persian');
      for (const piece of ['.claim-steps .claim-url', '.claim-steps .claim-code']) expect(await bidiOf(sheet.locator(piece))).toEqual({ direction: 'ltr', unicodeBidi: 'isolate' });
      expect(await drawnOrder(sheet.locator('.claim-steps .claim-url'))).toMatch(/^https?:\/\/.+\/fa\/claim$/);
      const validity = (await article.locator('p').allTextContents()).find((p) => p.includes('۱۴')) ?? '';
      expect(validity).toMatch(/[۰-۹]+ [^\s]+ ۱۴[۰-۹]{2} \([۰-۹]+ [^\s]+ ۲۰[۰-۹]{2}\)/);
      expect(validity).not.toMatch(LATIN_DIGIT);
    } finally {
      await sheet.context().close();
    }
  });

  it('Arabic lists keep the digits Intl writes for Arabic (0–9), like the rest of the page; Persian ones and choices use Persian digits', async () => {
    await page.goto('/ar/kuemmerer');
    expect(await page.locator('ol.conduct-list').evaluate((el) => getComputedStyle(el).listStyleType)).toBe('decimal');
    const applicant = await signedIn('kuemmerer@example.org');
    try {
      await applicant.goto('/fa/kuemmerer');
      expect(await applicant.locator('ol.conduct-list').evaluate((el) => getComputedStyle(el).listStyleType)).toBe('persian');
      expect(await applicant.locator('#field-maxMentees option').allTextContents()).toEqual(['۱', '۲', '۳', '۴', '۵']);
    } finally {
      await applicant.context().close();
    }
  });
});
