// Calendar feeds in the browser, on the demo town: the .ics download and the organisation's
// subscribe links on an activity page, the browse page's feed for its filters, the personal
// feed's secret address (made, copied with the copy button, renewed: the old one dies) in German
// with JavaScript and in Arabic without, and axe on the page that shows a new address.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { contentLineProblems, parseBoth, type ParsedCalendar } from '../helpers/calendars.ts';
import { ROOT } from '../helpers/portal.ts';
import { launchBrowser, newContext } from './browser.ts';

const baseUrl = inject('baseUrl');
/** UIDs carry the host of the portal's public address (PUBLIC_URL, here the address it listens on). */
const host = new URL(baseUrl).host;
const PERSONAL_ADDRESS = new RegExp(`^${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/feeds/personal/[a-z2-7]{32}\\.ics$`);

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, email: string, locale: '' | '/ar' = '') {
  await page.goto(`${locale}/sign-in`);
  await page.locator('#field-login').fill(email);
  await page.locator('#field-password').fill('ankommen-demo');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === (locale || '/'));
}

/** Reads a calendar with both parsers, which must agree, and checks the raw lines. */
function readCalendar(body: string): ParsedCalendar {
  expect(body.startsWith('BEGIN:VCALENDAR\r\n'), body.slice(0, 200)).toBe(true);
  expect(contentLineProblems(body)).toEqual([]);
  const { icalJs, nodeIcal } = parseBoth(body);
  expect(nodeIcal.occurrences).toEqual(icalJs.occurrences);
  return icalJs;
}

/** GETs a feed the way a calendar app would and reads it; the answer must be a calendar. */
async function fetchCalendar(request: APIRequestContext, url: string): Promise<{ body: string; calendar: ParsedCalendar }> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  expect(response.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  const body = await response.text();
  return { body, calendar: readCalendar(body) };
}

const uidsOf = (calendar: ParsedCalendar) => new Set(calendar.occurrences.map((o) => o.uid));

/** The UID an activity has everywhere: its download's (`series-…` for a date of a series). */
async function uidOfActivity(request: APIRequestContext, id: string): Promise<string> {
  const { calendar } = await fetchCalendar(request, `${baseUrl}/activities/${id}/calendar.ics`);
  const uids = [...uidsOf(calendar)];
  expect(uids).toHaveLength(1);
  expect(uids[0]).toMatch(new RegExp(`^(activity-${id}|series-\\d+)@`));
  return uids[0]!;
}

async function hrefOf(page: Page, selector: string): Promise<string> {
  const href = await page.locator(selector).getAttribute('href');
  expect(href, selector).toBeTruthy();
  return href!;
}

describe('an activity page', () => {
  let context: BrowserContext;
  let page: Page;
  let id: string;

  beforeAll(async () => {
    context = await newContext(browser, baseUrl, { acceptDownloads: true });
    page = await context.newPage();
    await page.goto('/activities');
    await page.locator('.activity-card__title a').first().click();
    await page.waitForURL((url) => /^\/activities\/\d+$/.test(url.pathname));
    id = /^\/activities\/(\d+)$/.exec(new URL(page.url()).pathname)![1]!;
  });
  afterAll(async () => {
    await context?.close();
  });

  it('downloads the activity as an .ics file that both parsers read alike', async () => {
    const link = page.locator('.activity__calendar a[data-feed="download"]');
    expect(await link.count()).toBe(1);
    const isSeries = (await link.textContent())!.includes('Alle Termine');
    const download = page.waitForEvent('download');
    await link.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.ics$/);
    const body = await readFile((await file.path())!, 'utf8');
    const calendar = readCalendar(body);
    expect(calendar.occurrences.length).toBeGreaterThan(0);
    const uids = [...uidsOf(calendar)];
    expect(uids).toHaveLength(1);
    if (isSeries) expect(uids[0]).toMatch(new RegExp(`^series-\\d+@${host.replace(/[.[\]]/g, '\\$&')}$`));
    else expect(uids[0]).toBe(`activity-${id}@${host}`);
    // The file speaks the page's language: its title is the page's heading.
    const heading = (await page.locator('h1').textContent())!.trim();
    expect(calendar.occurrences.map((o) => o.summary)).toContain(heading);
  });

  it('offers the organisation’s feed as webcal: and http(s), and the feed holds this activity', async () => {
    const https = await hrefOf(page, '.activity__calendar a[data-feed="https"]');
    const webcal = await hrefOf(page, '.activity__calendar a[data-feed="webcal"]');
    expect(https).toMatch(/^https?:\/\/[^/]+\/feeds\/organisations\/[a-z0-9-]+\.ics$/);
    expect(webcal).toBe(https.replace(/^https?:/, 'webcal:'));
    const { calendar } = await fetchCalendar(page.request, https);
    expect(uidsOf(calendar)).toContain(await uidOfActivity(page.request, id));
  });

  it('names its calendars in the head for browsers and apps that look for them', async () => {
    const alternates = await page.locator('head link[rel="alternate"][type="text/calendar"]').evaluateAll((links) => links.map((l) => l.getAttribute('href')));
    expect(alternates).toContain(await hrefOf(page, '.activity__calendar a[data-feed="download"]'));
    expect(alternates).toContain(await hrefOf(page, '.activity__calendar a[data-feed="https"]'));
  });
});

describe('the browse page with a filter', () => {
  it('offers a feed with the same filter, which holds only what the filter picks', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await page.goto('/activities?category=language');
      const shown = await page.locator('.activity-card__title a').evaluateAll((links) => links.map((l) => /\/activities\/(\d+)/.exec(l.getAttribute('href') ?? '')?.[1]));
      expect(shown.length).toBeGreaterThan(0);

      const https = await hrefOf(page, 'main a[data-feed="https"]');
      const webcal = await hrefOf(page, 'main a[data-feed="webcal"]');
      expect(webcal).toBe(https.replace(/^https?:/, 'webcal:'));
      const url = new URL(https);
      expect(url.pathname).toBe('/feeds/activities.ics');
      expect(url.searchParams.get('category')).toBe('language');

      const { body, calendar } = await fetchCalendar(page.request, https);
      const uids = uidsOf(calendar);
      for (const id of shown) expect(uids).toContain(await uidOfActivity(page.request, id!));
      // Every event is in the language category ("Sprache" in a German feed)…
      const events = new ICAL.Component(ICAL.parse(body)).getAllSubcomponents('vevent');
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        const categories = event.getAllProperties('categories').flatMap((p) => p.getValues() as string[]);
        expect(categories, String(event.getFirstPropertyValue('uid'))).toContain('Sprache');
      }
      // …and the unfiltered feed has activities that this one leaves out.
      const all = uidsOf((await fetchCalendar(page.request, '/feeds/activities.ics')).calendar);
      expect([...all].filter((uid) => !uids.has(uid)).length).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});

describe('the personal feed in German, with JavaScript', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await newContext(browser, baseUrl);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page = await context.newPage();
    await signIn(page, 'resident@example.org');
  });
  afterAll(async () => {
    await context?.close();
  });

  let address: string;

  it('is made on the settings page linked from the account page, and its address opens a calendar', async () => {
    await page.goto('/account');
    await page.getByRole('link', { name: 'Meine Termine im eigenen Kalender' }).click();
    await page.waitForURL((url) => url.pathname === '/account/calendar');
    expect(await page.locator('main').textContent()).toContain('Sie haben noch keine Kalender-Adresse.');
    await page.getByRole('button', { name: 'Kalender-Adresse erstellen', exact: true }).click();
    await page.locator('#calendar-address').waitFor();

    address = await page.locator('#calendar-address').inputValue();
    expect(address).toMatch(PERSONAL_ADDRESS);
    expect(await page.locator('#calendar-address').getAttribute('readonly')).not.toBeNull();
    expect(await hrefOf(page, '[data-testid="subscribe-personal"]')).toBe(address.replace(/^https?:/, 'webcal:'));

    // The resident's demo RSVP (the first language café) is in it.
    const { calendar } = await fetchCalendar(page.request, address);
    expect(calendar.occurrences.some((o) => o.summary.startsWith('Sprachcafé') && o.status === 'CONFIRMED')).toBe(true);
  });

  it('has a copy button once hydrated, which copies the address', async () => {
    const button = page.getByRole('button', { name: 'Adresse kopieren' });
    await button.waitFor();
    await button.click();
    await expect.poll(() => page.locator('[role="status"]').filter({ hasText: 'Adresse kopiert.' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(address);
  });

  it('makes a new address on request, and the old one stops working at once', async () => {
    await page.getByRole('button', { name: 'Neue Kalender-Adresse erstellen' }).click();
    await page.waitForFunction((old) => (document.getElementById('calendar-address') as HTMLInputElement | null)?.value !== old, address);
    const renewed = await page.locator('#calendar-address').inputValue();
    expect(renewed).toMatch(PERSONAL_ADDRESS);
    expect(renewed).not.toBe(address);
    expect(await hrefOf(page, '[data-testid="subscribe-personal"]')).toBe(renewed.replace(/^https?:/, 'webcal:'));
    expect((await page.request.get(address)).status()).toBe(404);
    await fetchCalendar(page.request, renewed);
  });
});

describe('the personal feed in Arabic, without JavaScript', () => {
  it('is made with the plain form, shown right to left, with the address left to right', async () => {
    const context = await newContext(browser, baseUrl, { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await signIn(page, 'newcomer-ar@example.org', '/ar');
      await page.goto('/ar/account');
      await page.getByRole('link', { name: 'مواعيدي في تقويمي الخاص' }).click();
      await page.waitForURL((url) => url.pathname === '/ar/account/calendar');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await page.locator('html').getAttribute('lang')).toBe('ar');

      await page.getByRole('button', { name: 'إنشاء عنوان التقويم', exact: true }).click();
      await page.locator('#calendar-address').waitFor();
      expect(new URL(page.url()).pathname).toBe('/ar/account/calendar');
      expect(await page.locator('h2#new-address-title').textContent()).toBe('عنوان تقويمك الجديد');
      const address = await page.locator('#calendar-address').inputValue();
      expect(address).toMatch(PERSONAL_ADDRESS);
      expect(await page.locator('#calendar-address').evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      expect(await hrefOf(page, '[data-testid="subscribe-personal"]')).toBe(address.replace(/^https?:/, 'webcal:'));
      // Without JavaScript there is no copy button that would do nothing.
      expect(await page.locator('button[aria-controls="calendar-address"]').count()).toBe(0);

      // The feed speaks the person's language.
      const { body } = await fetchCalendar(page.request, address);
      expect(new ICAL.Component(ICAL.parse(body)).getFirstPropertyValue('x-wr-calname')).toMatch(/^مواعيدي – \u2066Ankommen\u2069 /);
    } finally {
      await context.close();
    }
  });
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }>;
}

async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (values) => {
    const w = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } };
    return w.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
  }, TAGS);
  return (result.violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function describeViolations(where: string, violations: AxeViolation[]): string {
  const lines = violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${JSON.stringify(n.target)} ${n.html.slice(0, 200)}\n        ${(n.failureSummary ?? '').replace(/\n/g, ' | ')}`).join('\n')}`);
  return `${where}: ${violations.length} serious/critical axe violation(s)\n${lines.join('\n')}`;
}

describe('axe-core on the page that shows a new address', () => {
  const cases: Array<[string, string, '' | '/ar', string]> = [
    ['German', 'kuemmerer@example.org', '', 'Ihre neue Kalender-Adresse'],
    ['Arabic', 'newcomer-ar@example.org', '/ar', 'عنوان تقويمك الجديد'],
  ];
  it.each(cases)('%s: no serious or critical violations', async (language, email, locale, heading) => {
    // The portal's Content-Security-Policy rightly blocks the injected axe script.
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await signIn(page, email, locale);
      await page.goto(`${locale}/account/calendar`);
      await page.locator('main form[action*="calendar.createAddress"] button[type="submit"]').click();
      await page.locator('#new-address-title').filter({ hasText: heading }).waitFor();
      // Checked with the hydrated copy button in place.
      await page.locator('button[aria-controls="calendar-address"]').waitFor();
      const serious = await seriousAxeViolations(page);
      expect(serious, describeViolations(`${language} ${locale}/account/calendar`, serious)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
