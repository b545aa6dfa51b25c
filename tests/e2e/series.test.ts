// An organiser's dates, with and without JavaScript: a date in the past is saved only after
// the warning is confirmed (and the draft deleted again); a weekly series is published from a
// button that says it publishes every date, edited for this date, this and all following, and
// the whole series; a date is cancelled and reinstated; at the end the whole series is
// cancelled. The pages pass axe and fit a 375 px phone.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each([
  { mode: 'with JavaScript', javaScriptEnabled: true, first: '2031-03-04', suffix: 'A' },
  { mode: 'without JavaScript', javaScriptEnabled: false, first: '2031-03-05', suffix: 'B' },
])('an organiser’s dates $mode', ({ mode, javaScriptEnabled, first, suffix }) => {
  let context: BrowserContext;
  let page: Page;
  const title = `Nähkurs ${suffix}`;

  beforeAll(async () => {
    // The portal's Content-Security-Policy rightly blocks the injected axe script.
    context = await newContext(browser, inject('baseUrl'), { javaScriptEnabled, bypassCSP: true, viewport: { width: 375, height: 800 } });
    page = await context.newPage();
    await page.goto('/sign-in');
    await page.locator('#field-login').fill('organiser@example.org');
    await page.locator('#field-password').fill('ankommen-demo');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/');
  });
  afterAll(async () => {
    await context?.close();
  });

  const flash = async () => (await page.locator('main [role="status"]').textContent())?.replace(/\s+/g, ' ').trim() ?? '';
  const submit = async (name: string | RegExp) => {
    await page.getByRole('button', { name, exact: typeof name === 'string' }).click();
    await page.waitForLoadState();
  };
  // axe runs as a script in the page, which a browser without JavaScript does not run.
  const axeClean = async () => {
    if (javaScriptEnabled) expect(await axeFindings(page)).toEqual([]);
  };
  const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  /** The dates of the series as the organiser's page lists them. */
  const listed = async () => (await page.locator('.series-date').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  const openDate = async (index: number) => {
    const item = page.locator('.series-date').nth(index);
    const link = item.locator('a.series-date__when');
    if ((await link.count()) > 0) {
      await link.click();
      await page.waitForLoadState();
    }
  };
  const fact = async (activityPath: string, name: string) => {
    const other = await context.newPage();
    await other.goto(activityPath);
    const text = (await other.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]').textContent())?.trim() ?? '';
    await other.close();
    return text;
  };

  it('JavaScript is really ' + (javaScriptEnabled ? 'on' : 'off'), async () => {
    const scriptsRan = await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.innerHTML = '<noscript><span>off</span></noscript>';
      return probe.querySelector('span') === null;
    });
    expect(scriptsRan, mode).toBe(javaScriptEnabled);
  });

  it('saves a date in the past only after the warning naming it is confirmed, and deletes the draft again', async () => {
    await page.goto('/organise/new?organisation=1');
    await page.locator('#field-title').fill(`Rückblick ${suffix}`);
    await page.locator('#field-category').selectOption('leisure');
    await page.locator('#field-date').fill('2021-06-05');
    await page.locator('#field-startTime').fill('18:00');
    await page.locator('#field-endTime').fill('20:00');
    await page.locator('#field-placeName').fill('Stellwerk');
    await submit('Als Entwurf speichern');
    const warning = page.locator('.past-dates');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Ein Termin liegt in der Vergangenheit: Samstag, 5. Juni 2021 um 18:00.');
    expect(await page.locator('.error-summary a[href="#field-confirmPast"]').count()).toBe(1);
    // What was typed is still there.
    expect(await page.locator('#field-title').inputValue()).toBe(`Rückblick ${suffix}`);
    await fits();
    await axeClean();
    await page.getByLabel('Ja, das Datum stimmt – trotzdem speichern.').check();
    await submit('Als Entwurf speichern');
    await page.waitForURL((url) => /^\/organise\/\d+$/.test(url.pathname));
    expect(await flash()).toContain('Der Entwurf ist gespeichert.');

    // A draft offers deleting, not cancelling; it takes two steps.
    expect(await page.getByRole('heading', { name: 'Angebot absagen' }).count()).toBe(0);
    await page.locator('summary', { hasText: 'Entwurf löschen' }).click();
    await submit('Ja, endgültig löschen');
    await page.waitForURL((url) => url.pathname === '/organise');
    expect(await flash()).toContain('Der Entwurf ist gelöscht.');
    expect(await page.locator('main').textContent()).not.toContain(`Rückblick ${suffix}`);
  });

  it('publishes a weekly series of four dates from a button that says so', async () => {
    await page.goto('/organise/new?organisation=1');
    await page.locator('#field-title').fill(title);
    await page.locator('#field-category').selectOption('leisure');
    await page.locator('#field-date').fill(first);
    await page.locator('#field-startTime').fill('18:00');
    await page.locator('#field-endTime').fill('20:00');
    await page.locator('#field-placeName').fill('Stellwerk');
    await page.locator('#field-repeat').selectOption('weekly');
    await page.locator('#field-repeatCount').fill('4');
    await submit('Als Entwurf speichern');
    await page.waitForURL((url) => /^\/organise\/\d+$/.test(url.pathname));
    expect(await flash()).toContain('4 Termine sind als Entwurf gespeichert.');
    expect(await listed()).toHaveLength(4);
    await submit('Alle 4 Termine veröffentlichen');
    expect(await flash()).toContain('Alle 4 Termine der Reihe sind veröffentlicht.');
    expect((await listed()).every((d) => d.includes('Veröffentlicht'))).toBe(true);
    await fits();
    await axeClean();
  });

  it('edits the second date alone, then it and all following, then the whole series', async () => {
    await openDate(1);
    const second = page.url();
    await page.getByRole('link', { name: 'Bearbeiten' }).click();
    await page.waitForLoadState();
    // The question calendar programs ask; "this date" is the default.
    expect(await page.getByRole('radio', { name: 'Nur dieser Termin' }).isChecked()).toBe(true);
    await fits();
    await axeClean();
    await page.locator('#field-cost').fill('Spende erbeten');
    await submit('Änderungen speichern');
    expect(await flash()).toContain('Gespeichert.');

    await page.getByRole('link', { name: 'Bearbeiten' }).click();
    await page.waitForLoadState();
    await page.getByRole('radio', { name: /Dieser und alle folgenden Termine/ }).check();
    await page.locator('#field-placeName').fill('Stadtbücherei');
    await submit('Änderungen speichern');
    expect(await flash()).toContain('Die Änderungen sind für 3 Termine gespeichert.');
    expect(page.url()).toBe(second);

    await openDate(0);
    await page.getByRole('link', { name: 'Bearbeiten' }).click();
    await page.waitForLoadState();
    await page.getByRole('radio', { name: /Alle Termine der Reihe/ }).check();
    await page.locator('#field-startTime').fill('17:00');
    await page.locator('#field-endTime').fill('19:00');
    await submit('Änderungen speichern');
    expect(await flash()).toContain('Die Änderungen sind für 4 Termine gespeichert.');
    // Each date on its own day at the new time.
    const dates = await listed();
    expect(dates).toHaveLength(4);
    for (const d of dates) expect(d).toContain('17:00–19:00');

    // What visitors see: only the second date asks for a donation; the place changed from it on.
    const ids = await page.locator('.series-date a.series-date__when').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname.split('/').pop()));
    const firstId = new URL(page.url()).pathname.split('/').pop();
    const [secondId, thirdId] = ids;
    expect(await fact(`/activities/${firstId}`, 'Wo')).toContain('Stellwerk');
    expect(await fact(`/activities/${secondId}`, 'Wo')).toContain('Stadtbücherei');
    expect(await fact(`/activities/${thirdId}`, 'Wo')).toContain('Stadtbücherei');
    expect(await fact(`/activities/${secondId}`, 'Kosten')).toBe('Spende erbeten');
    expect(await fact(`/activities/${thirdId}`, 'Kosten')).toBe('Kostenlos');
  });

  it('cancels the third date and reinstates it', async () => {
    await openDate(2);
    await page.locator('#field-reason').fill('Feiertag');
    await submit('Angebot absagen');
    const box = page.locator('.cancelled-by-you');
    expect(await box.textContent()).toContain('Sie haben diesen Termin abgesagt.');
    expect(await box.textContent()).toContain('Grund: Feiertag');
    // The organiser's own cancellation is a state, not an error.
    expect(await box.getAttribute('class')).not.toContain('notice--error');
    expect(await page.locator('.series-date--current').textContent()).toContain('Abgesagt');
    await fits();
    await axeClean();
    await submit('Wieder ansetzen');
    expect(await flash()).toContain('Der Termin findet wieder statt.');
    expect(await page.locator('.series-date--current').textContent()).toContain('Veröffentlicht');
  });

  it('cancels the whole series at the end', async () => {
    await openDate(0);
    await page.getByRole('radio', { name: /Alle Termine der Reihe/ }).check();
    await page.locator('#field-reason').fill('Der Kurs fällt aus.');
    await submit('Angebot absagen');
    expect(await flash()).toContain('4 Termine sind abgesagt.');
    expect((await listed()).every((d) => d.includes('Abgesagt'))).toBe(true);
  });
});
