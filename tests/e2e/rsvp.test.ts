// A newcomer finds an activity with two filters, RSVPs with two children and sees it in "My
// activities" — with JavaScript and without. Uses the demo town (the Arabic-speaking newcomer).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each([
  { mode: 'with JavaScript', javaScriptEnabled: true, account: 'newcomer-ar@example.org' },
  { mode: 'without JavaScript', javaScriptEnabled: false, account: 'newcomer-uk@example.org' },
])('finding and joining an activity $mode', ({ javaScriptEnabled, account }) => {
  let context: BrowserContext;
  let page: Page;
  let myActivity = '';

  beforeAll(async () => {
    context = await newContext(browser, inject('baseUrl'), { javaScriptEnabled, viewport: { width: 375, height: 800 } });
    page = await context.newPage();
    await page.goto('/sign-in');
    await page.locator('#field-login').fill(account);
    await page.locator('#field-password').fill('ankommen-demo');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/');
  });
  afterAll(async () => {
    await context?.close();
  });

  it('filters, RSVPs for three (with two children) and finds it under "My activities"', async () => {
    await page.goto('/activities');
    await page.locator('details.filters > summary').click();
    await page.locator('#filter-category').selectOption('language');
    await page.locator('input[name="childcare"]').check();
    await page.getByRole('button', { name: 'Angebote zeigen' }).click();
    await page.waitForURL((url) => url.searchParams.get('category') === 'language' && url.searchParams.get('childcare') === '1');
    const first = page.locator('.activity-card__title a').first();
    const title = (await first.textContent())!.trim();
    expect(title.length).toBeGreaterThan(0);
    await first.click();
    await page.waitForURL((url) => /^\/activities\/\d+$/.test(url.pathname));

    await page.locator('#field-partySize').selectOption('3');
    await page.locator('#field-note').fill('Zwei Kinder, 4 und 7 Jahre');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState();
    const status = (await page.locator('main [role="status"]').textContent()) ?? '';
    expect(status).toMatch(/Sie sind angemeldet\.|Warteliste/);
    expect(await page.locator('.rsvp').textContent()).toContain('Sie kommen zu 3.');

    await page.getByRole('link', { name: 'Meine Angebote' }).first().click();
    await page.waitForURL((url) => url.pathname === '/my-activities');
    expect(await page.locator('main').textContent()).toContain(title);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    myActivity = title;
  });

  it('cancels from "My activities" only after saying what happens to the seats', async () => {
    await page.goto('/my-activities');
    const card = page.locator('li.my-rsvp', { hasText: myActivity });
    const cancel = card.getByRole('link', { name: /^Absagen/ });
    await cancel.click();
    await page.waitForURL((url) => /^\/activities\/\d+\/cancel$/.test(url.pathname));
    expect(await page.locator('h1').textContent()).toMatch(new RegExp(`^Ihren Platz bei „${myActivity.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}“ am .+ absagen\\?$`));
    expect(await page.locator('main').textContent()).toMatch(/Ihre 3 Plätze (gehen an die Nächsten auf der Warteliste|werden für andere frei)\./);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // "No" keeps the place.
    await page.getByRole('link', { name: 'Nein, Platz behalten' }).click();
    await page.waitForURL((url) => url.pathname === '/my-activities');
    expect(await page.locator('#upcoming-title + ul').textContent()).toContain(myActivity);

    // "Yes" cancels and comes back to "My activities", which lists it as cancelled.
    await cancel.click();
    await page.getByRole('button', { name: 'Ja, absagen' }).click();
    await page.waitForURL((url) => url.pathname === '/my-activities');
    expect(await page.locator('main [role="status"]').first().textContent()).toContain('Sie haben abgesagt.');
    expect(await page.locator('#cancelled-title + ul').textContent()).toContain(myActivity);
    expect(await page.locator('main').textContent()).not.toContain('Sie haben sich noch zu keinem Angebot angemeldet.');
  });
});
