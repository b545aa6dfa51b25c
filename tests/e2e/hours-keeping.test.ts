// An organiser confirms a month's hours on a phone (360 × 740), in the demo
// town: Stellwerk's organiser adds hours by hand for two volunteers (so the test does not
// depend on the demo's own hours), confirms one entry, then all pending ones of the month in
// one step; the page never scrolls sideways. axe on the month page in German and Arabic and on
// the coordinators' /coordinate/hours.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

/** Last month in the town's calendar (Berlin), so that the hours have happened. */
function lastMonth(): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const MONTH = lastMonth();
const PAGE = `/organise/organisation/stellwerk/hours?month=${MONTH}`;
const WHAT = `Spenden sortieren ${Date.now().toString(36)}`;
const PHONE = { width: 360, height: 740 };

let browser: Browser;
let organiser: BrowserContext;
let coordinator: BrowserContext;
let page: Page;

async function expectNoAxeFindings(where: string, on: Page): Promise<void> {
  const violations = await axeViolations(on);
  expect(violations, describeViolations(where, violations)).toEqual([]);
}

/** Whether the page fits the phone's width (nothing to scroll sideways). */
function fitsWidth(on: Page): Promise<boolean> {
  return on.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

beforeAll(async () => {
  browser = await launchBrowser();
  // The portal's Content-Security-Policy rightly blocks the injected axe script, which needs
  // JavaScript on; the pages themselves post plain forms (tests/http/hours-keeping.test.ts).
  organiser = await newContext(browser, inject('baseUrl'), { bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
  coordinator = await newContext(browser, inject('baseUrl'), { bypassCSP: true, viewport: PHONE });
  page = await organiser.newPage();
});
afterAll(async () => {
  await organiser?.close();
  await coordinator?.close();
  await browser?.close();
});

describe('an organiser confirms a month’s hours on a phone', () => {
  it('adds hours by hand for the organisation’s volunteers', async () => {
    await signIn(page, 'organiser@example.org');
    await page.goto(PAGE);
    expect(await page.locator('h1').innerText()).toContain('Stunden');
    const people = page.locator('input[name="userIds"]');
    // The demo's Stellwerk volunteers: up to two of them at once.
    const chosen = Math.min(2, await people.count());
    expect(chosen).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < chosen; i++) await people.nth(i).check();
    await page.locator('#field-date').fill(`${MONTH}-03`);
    await page.locator('#field-startTime').fill('10:00');
    await page.locator('#field-hours').selectOption('1');
    await page.locator('#field-minutes').selectOption('30');
    await page.locator('#field-description').fill(WHAT);
    await page.locator('#field-place').fill('Stellwerk, Lager');
    await page.getByRole('button', { name: 'Stunden eintragen' }).click();
    await expect.poll(() => page.locator('[role="status"]').innerText()).toMatch(/Die Stunden für (eine Person|2 Personen) sind eingetragen\./);
    expect(new URL(page.url()).search).toBe(`?month=${MONTH}`);
    expect(await page.locator('.keep-entry', { hasText: WHAT }).count()).toBe(chosen);
    // A second day for the first of them, so that there is more than one entry to confirm.
    await page.locator('input[name="userIds"]').nth(0).check();
    await page.locator('#field-date').fill(`${MONTH}-04`);
    await page.locator('#field-startTime').fill('14:00');
    await page.locator('#field-description').fill(WHAT);
    await page.getByRole('button', { name: 'Stunden eintragen' }).click();
    await expect.poll(() => page.locator('.keep-entry', { hasText: WHAT }).count()).toBe(chosen + 1);
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeFindings('the month page (de, phone)', page);
  });

  it('confirms one entry, then all pending ones of the month in one step', async () => {
    const mine = page.locator('.keep-entry', { hasText: WHAT });
    await mine.first().getByRole('button', { name: /^Bestätigen/ }).click();
    await expect.poll(() => page.locator('[role="status"]').innerText()).toContain('Ein Eintrag ist bestätigt.');
    expect(await page.locator('.keep-entry', { hasText: WHAT }).first().innerText()).toContain('Bestätigt');

    const all = page.getByRole('button', { name: /offenen Eintr(ag|äge) aus .* bestätigen/ });
    await all.click();
    await expect.poll(() => page.locator('[role="status"]').innerText()).toMatch(/bestätigt\./);
    for (const text of await page.locator('.keep-entry', { hasText: WHAT }).allInnerTexts()) expect(text).toContain('Bestätigt');
    // Nothing of the month is pending any more: no "confirm all", no checkboxes.
    expect(await page.locator('.keep-confirm-all').count()).toBe(0);
    expect(await page.locator('input[name="entryIds"]').count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
  });

  it('downloads the month’s deployment list for the insurer: the confirmed entries, for German Excel', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Einsatzliste .* herunterladen \(CSV\)$/ }).click()]);
    expect(download.suggestedFilename()).toBe(`einsatzliste-stellwerk-${MONTH}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split(/\r?\n/);
    expect(lines[0]!.split(';').length).toBeGreaterThan(5);
    // The entries added by hand above, each a row of its own as on the page, confirmed.
    const ours = lines.filter((line) => line.includes(WHAT));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toHaveLength(await page.locator('.keep-entry', { hasText: WHAT }).count());
    for (const line of ours) expect(line).toContain('Bestätigt');
  });

  it('reads right to left in Arabic', async () => {
    await page.goto(`/ar${PAGE}`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('h1').innerText()).toContain('الساعات');
    expect(await fitsWidth(page)).toBe(true);
    await expectNoAxeFindings('the month page (ar, phone)', page);
  });

  it('the coordinators keep the town’s hours', async () => {
    const coordinatorPage = await coordinator.newPage();
    await signIn(coordinatorPage, 'coordinator@example.org');
    await coordinatorPage.goto('/coordinate/hours');
    expect(await coordinatorPage.locator('h1').innerText()).toBe('Stunden der Kümmerer und der Nachbarschaftshilfe');
    await expectNoAxeFindings('/coordinate/hours', coordinatorPage);
    // Their deployment list is the town's; the library's (not their organisation) is not theirs to download.
    const [download] = await Promise.all([coordinatorPage.waitForEvent('download'), coordinatorPage.getByRole('link', { name: /^Einsatzliste .* herunterladen \(CSV\)$/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^einsatzliste-stadt-\d{4}-\d{2}\.csv$/);
    expect((await coordinatorPage.request.get(`/organise/organisation/stadtbibliothek/hours/deployments.csv?month=${MONTH}`)).status()).toBe(404);
  });
});
