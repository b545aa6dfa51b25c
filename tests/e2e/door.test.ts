// The whole way, in one go: an organiser publishes an activity; a newcomer finds it with two
// filters and signs up with two children; at the door, on a 375 px phone, the organiser checks
// the family in with one tap; the CSV holds their row.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
let organiserContext: BrowserContext;
let newcomerContext: BrowserContext;
let organiser: Page;
let newcomer: Page;

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.locator('#field-login').fill(email);
  await page.locator('#field-password').fill('ankommen-demo');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
}

beforeAll(async () => {
  browser = await launchBrowser();
  organiserContext = await newContext(browser, inject('baseUrl'), { viewport: { width: 375, height: 800 }, acceptDownloads: true });
  newcomerContext = await newContext(browser, inject('baseUrl'), { viewport: { width: 375, height: 800 } });
  organiser = await organiserContext.newPage();
  newcomer = await newcomerContext.newPage();
  await signIn(organiser, 'library@example.org');
  await signIn(newcomer, 'newcomer-ar@example.org');
});
afterAll(async () => {
  await organiserContext?.close();
  await newcomerContext?.close();
  await browser?.close();
});

describe('from publishing to the door', () => {
  it('works for the organiser and the family, on phones', async () => {
    // The library's organiser publishes a reading afternoon with childcare.
    await organiser.goto('/organise');
    await organiser.getByRole('link', { name: 'Neues Angebot' }).first().click();
    await organiser.locator('#field-title').fill('Vorlesenachmittag');
    await organiser.locator('#field-category').selectOption('culture');
    await organiser.locator('#field-date').fill('2031-04-09');
    await organiser.locator('#field-startTime').fill('15:00');
    await organiser.locator('#field-endTime').fill('16:30');
    await organiser.locator('#field-placeName').fill('Stadtbibliothek');
    await organiser.locator('#field-capacity').fill('12');
    await organiser.locator('input[name="childcare"]').check();
    await organiser.locator('main form button[type="submit"]').click();
    await organiser.waitForURL((url) => /^\/organise\/\d+$/.test(url.pathname));
    const id = /\/organise\/(\d+)$/.exec(new URL(organiser.url()).pathname)![1]!;
    await organiser.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    await organiser.waitForLoadState();

    // The newcomer filters by topic and date range and finds it.
    await newcomer.goto('/activities?category=culture&from=2031-04-09&to=2031-04-09');
    await newcomer.getByRole('link', { name: 'Vorlesenachmittag' }).click();
    await newcomer.waitForURL((url) => url.pathname === `/activities/${id}`);
    await newcomer.locator('#field-partySize').selectOption('3');
    await newcomer.locator('#field-note').fill('Mit meinen zwei Kindern (5 und 8)');
    await newcomer.locator('main form button[type="submit"]').click();
    await newcomer.waitForLoadState();
    expect(await newcomer.locator('.rsvp').textContent()).toContain('Sie kommen zu 3.');

    // At the door: one tap.
    await organiser.goto(`/organise/${id}/attendees`);
    expect(await organiser.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const row = organiser.locator('li.attendee', { hasText: 'سمير الأحمد' });
    expect(await row.textContent()).toContain('Mit meinen zwei Kindern (5 und 8)');
    await organiser.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
    await row.getByRole('button', { name: /einchecken/ }).click();
    await row.getByRole('button', { name: /rückgängig/ }).waitFor();
    // The count at the top follows at once, and again after a reload.
    expect(await organiser.locator('.attendees__summary').textContent()).toBe('3 von 3 Personen eingecheckt');
    await organiser.reload();
    expect(await organiser.locator('.attendees__summary').textContent()).toBe('3 von 3 Personen eingecheckt');

    // The CSV holds the family, checked in.
    const download = organiser.waitForEvent('download');
    await organiser.getByRole('link', { name: 'Liste als CSV herunterladen' }).click();
    const file = await (await download).path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(file!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('سمير الأحمد,3,Angemeldet,,,Eingecheckt,3,Mit meinen zwei Kindern (5 und 8)\r\n');
  });
});
