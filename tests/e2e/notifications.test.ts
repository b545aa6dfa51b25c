// Choosing what one gets and where, in a real browser without JavaScript, in Persian on a 360 px
// phone: a new person finds the settings from the account page, tries to switch changes and
// cancellations off entirely and is told why not at that row (nothing saved), then switches
// reminders off and the weekly programme on with two interests. Axe checks each state; the
// page never scrolls sideways; screenshots go to test-results/screenshots/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fa } from '../../src/i18n/messages/fa.ts';
import { catalogues } from '../../src/i18n/index.ts';
import { ROOT } from '../helpers/portal.ts';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

const PHONE = { width: 360, height: 740 };
const EMAIL = `notify-e2e-${Date.now().toString(36)}@test.example`;
const PASSWORD = 'باران بهاری روی پنجره';
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
/** The Persian catalogue as pages show it (Latin runs isolated). */
const shown = catalogues.fa;

let browser: Browser;
const contexts: BrowserContext[] = [];
let phone: Page;
let auditor: Page | undefined;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
  const context = await newContext(browser, inject('baseUrl'), { viewport: PHONE, javaScriptEnabled: false, locale: 'fa-IR' });
  contexts.push(context);
  phone = await context.newPage();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

/**
 * Axe needs JavaScript: the page is opened again, with the phone's cookies, where it runs, and
 * `again` repeats on it what brought the phone to its state (a refused form shows its message
 * once).
 */
async function expectAccessible(where: string, again?: (page: Page) => Promise<void>): Promise<void> {
  if (!auditor) {
    const context = await newContext(browser, inject('baseUrl'), { viewport: PHONE, bypassCSP: true, locale: 'fa-IR' });
    contexts.push(context);
    auditor = await context.newPage();
  }
  await auditor.context().clearCookies();
  await auditor.context().addCookies(await phone.context().cookies());
  await auditor.goto(phone.url());
  await again?.(auditor);
  expect(await axeFindings(auditor), where).toEqual([]);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${where} scrolls sideways`).toBe(true);
}

const checkbox = (name: string, value: string, on: Page = phone) => on.locator(`input[type="checkbox"][name="${name}"][value="${value}"]`);

/** Unticks every way changes and cancellations come, and saves. */
async function switchChangesOff(page: Page): Promise<void> {
  await checkbox('changes', 'email', page).uncheck();
  await checkbox('reminders', 'email', page).uncheck();
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/fa/account/notifications');
  await page.locator('.error-summary').waitFor();
}
const main = async () => ((await phone.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe('notification settings on a phone without JavaScript, in Persian', () => {
  it('a new person finds the settings on the account page', async () => {
    await phone.goto('/fa/sign-up');
    await phone.locator('#field-email').fill(EMAIL);
    await phone.locator('#field-password').fill(PASSWORD);
    await phone.locator('#field-displayName').fill('Shirin');
    await phone.locator('main form button[type="submit"]').click();
    await phone.waitForURL((url) => url.pathname === '/fa/sign-in');
    await phone.locator('#field-login').fill(EMAIL);
    await phone.locator('#field-password').fill(PASSWORD);
    await phone.locator('main form button[type="submit"]').click();
    await phone.waitForURL((url) => url.pathname === '/fa');

    await phone.goto('/fa/account');
    await phone.getByRole('link', { name: fa['notifications.accountLink'] }).click();
    await phone.waitForURL((url) => url.pathname === '/fa/account/notifications');
    expect(await phone.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await phone.locator('h1').textContent()).toBe(fa['notifications.title']);
    // Each topic is a group named by its legend, its boxes named by their labels.
    for (const topic of ['reminders', 'changes', 'waitlist', 'shifts', 'mentoring', 'weekly_programme'] as const) {
      const group = phone.getByRole('group', { name: shown[`notifications.topic.${topic}`] });
      expect(await group.count(), topic).toBe(1);
      expect(await group.getByRole('checkbox', { name: shown['notifications.channel.email'] }).count(), topic).toBe(1);
    }
    expect(await checkbox('changes', 'email').isChecked()).toBe(true);
    expect(await checkbox('weekly_programme', 'email').isChecked()).toBe(false);
    await expectAccessible('/fa/account/notifications');
    await phone.screenshot({ path: path.join(SHOTS, 'notifications-fa-360.png'), fullPage: true });
  });

  it('switching changes and cancellations off entirely is refused at that row, and nothing is saved', async () => {
    await switchChangesOff(phone);
    const summary = phone.locator('.error-summary');
    expect(await phone.title()).toMatch(new RegExp(`^${fa['form.errorTitlePrefix']}`));
    const error = phone.locator('#field-changes-error');
    expect(((await error.textContent()) ?? '').trim()).toBe(shown['notifications.error.required']);
    // The summary links to the row, and the row's group is described by the message.
    expect(await summary.locator('a[href="#field-changes"]').count()).toBe(1);
    expect(await phone.locator('#field-changes').getAttribute('aria-describedby')).toContain('field-changes-error');
    // What was ticked is shown as posted.
    expect(await checkbox('reminders', 'email').isChecked()).toBe(false);
    await expectAccessible('/fa/account/notifications with the refusal', switchChangesOff);
    await phone.screenshot({ path: path.join(SHOTS, 'notifications-fa-360-refused.png'), fullPage: true });

    await phone.goto('/fa/account/notifications');
    expect(await checkbox('changes', 'email').isChecked(), 'nothing was saved').toBe(true);
    expect(await checkbox('reminders', 'email').isChecked(), 'nothing was saved').toBe(true);
  });

  it('reminders off, the weekly programme on with two interests: saved and shown again', async () => {
    await checkbox('reminders', 'email').uncheck();
    await checkbox('weekly_programme', 'email').check();
    await checkbox('categories', 'language').check();
    await checkbox('categories', 'sports').check();
    await phone.locator('input[name="childcare"]').check();
    await phone.locator('main form button[type="submit"]').click();
    await phone.waitForURL((url) => url.pathname === '/fa/account/notifications');
    expect(await main()).toContain(shown['notifications.saved']);
    await phone.reload();
    expect(await checkbox('reminders', 'email').isChecked()).toBe(false);
    expect(await checkbox('changes', 'email').isChecked()).toBe(true);
    expect(await checkbox('weekly_programme', 'email').isChecked()).toBe(true);
    expect(await checkbox('categories', 'language').isChecked()).toBe(true);
    expect(await checkbox('categories', 'sports').isChecked()).toBe(true);
    expect(await checkbox('categories', 'culture').isChecked()).toBe(false);
    expect(await phone.locator('input[name="childcare"]').isChecked()).toBe(true);
    expect(await phone.locator('input[name="noGermanNeeded"]').isChecked()).toBe(false);
  });
});
