// "My hours" in the demo town on a phone: the demo volunteer sees confirmed and pending hours
// and the progress toward the Ehrenamtskarte NRW, corrects the pending entry, and reads the
// page in Arabic; a site admin opens the card's threshold (and sees a wrong value refused next
// to its field). axe on /my-hours, /ar/my-hours, the correction page and the admin page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

let browser: Browser;
let volunteer: BrowserContext;
let admin: BrowserContext;
let page: Page;

async function expectNoAxeViolations(where: string, on: Page): Promise<void> {
  const violations = await axeViolations(on);
  expect(violations, describeViolations(where, violations)).toEqual([]);
}

beforeAll(async () => {
  browser = await launchBrowser();
  // The portal's Content-Security-Policy rightly blocks the injected axe script.
  volunteer = await newContext(browser, inject('baseUrl'), { bypassCSP: true, viewport: { width: 360, height: 740 } });
  admin = await newContext(browser, inject('baseUrl'), { bypassCSP: true, viewport: { width: 360, height: 740 } });
  page = await volunteer.newPage();
});
afterAll(async () => {
  await volunteer?.close();
  await admin?.close();
  await browser?.close();
});

describe('a volunteer’s hours', () => {
  it('shows confirmed and pending hours and the progress toward the card', async () => {
    await signIn(page, 'resident@example.org');
    await page.goto('/my-hours');
    const main = page.locator('main');
    const text = await main.innerText();
    // This morning's entry by hand, and the demo year's café shifts, checked in.
    expect(text).toContain('Kleiderkammer sortieren');
    expect(text).toContain('Ausschank und Kuchen');
    expect(await main.locator('.pill', { hasText: 'Noch nicht bestätigt' }).count()).toBeGreaterThan(0);
    expect(await main.locator('.pill', { hasText: /^Bestätigt$/ }).count()).toBeGreaterThan(0);
    expect(await main.locator('#progress-count').innerText()).toMatch(/^\d+ von 250 Stunden, noch \d+$/);
    expect(await main.locator('progress').getAttribute('aria-labelledby')).toBe('progress-label');
    // "My hours" is among the person's pages, marked as the current one.
    expect(await page.locator('.my-nav a[aria-current="page"]').innerText()).toBe('Meine Stunden');
    await expectNoAxeViolations('/my-hours', page);
  });

  it('corrects the pending entry on its page', async () => {
    const entry = page.locator('article.hours-entry', { hasText: 'Kleiderkammer sortieren' });
    await entry.getByRole('link', { name: /Korrigieren/ }).click();
    await page.waitForURL((url) => /^\/my-hours\/\d+$/.test(url.pathname));
    expect(await page.locator('#field-hours').inputValue()).toBe('2');
    await expectNoAxeViolations('the correction page', page);

    // A wrong number first: the message next to the field, focus on the summary.
    await page.locator('#field-minutes').fill('75');
    await page.getByRole('button', { name: 'Korrektur speichern' }).click();
    await expect.poll(() => page.locator('#field-minutes-error').innerText()).toContain('von 0 bis 59');
    expect(await page.locator('#field-minutes').inputValue()).toBe('75');
    await expectNoAxeViolations('the correction page with an error', page);

    await page.locator('#field-hours').fill('2');
    await page.locator('#field-minutes').fill('45');
    await page.getByRole('button', { name: 'Korrektur speichern' }).click();
    await page.waitForURL((url) => url.pathname === '/my-hours');
    expect(await page.locator('[role="status"]').innerText()).toContain('Ihre Korrektur ist gespeichert.');
    const corrected = await page.locator('article.hours-entry', { hasText: 'Kleiderkammer sortieren' }).innerText();
    expect(corrected).toContain('2 Std., 45 Min.');
    expect(corrected).toContain('von Ihnen korrigiert');
  });

  it('reads right to left in Arabic', async () => {
    await page.goto('/ar/my-hours');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('h1').innerText()).toBe('ساعاتي');
    expect(await page.locator('main').innerText()).toContain('لم تُؤكَّد بعد');
    await expectNoAxeViolations('/ar/my-hours', page);
  });
});

describe('the card’s threshold', () => {
  it('a site admin sees the rule and a wrong value refused next to its field', async () => {
    const adminPage = await admin.newPage();
    await signIn(adminPage, 'admin@example.org');
    await adminPage.goto('/admin');
    await adminPage.getByRole('link', { name: 'Die Schwelle, die Ehrenamtliche auf „Meine Stunden“ sehen.' }).click();
    await adminPage.waitForURL((url) => url.pathname === '/admin/recognition');
    expect(await adminPage.locator('#field-hoursPerYear').inputValue()).toBe('250');
    expect(await adminPage.locator('#field-state').inputValue()).toBe('NW');
    await expectNoAxeViolations('/admin/recognition', adminPage);

    await adminPage.locator('#field-hoursPerWeek').fill('61');
    await adminPage.getByRole('button', { name: 'Regel speichern' }).click();
    await expect.poll(() => adminPage.locator('#field-hoursPerWeek-error').innerText()).toContain('von 1 bis 60');
    await expectNoAxeViolations('/admin/recognition with an error', adminPage);
  });
});
