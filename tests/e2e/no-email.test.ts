// The whole life of a newcomer without an e-mail address, in a real browser: a coordinator
// registers her; on a 360 px phone without JavaScript, in Ukrainian, she claims the account
// with the code from the sheet, keeps the sign-in name printed on it, signs out and back in
// with it; forgets her password, finds no mail route and gets a new code from the coordinator,
// who finds her by name; chooses a new password (her other phone is signed out); at last adds
// an e-mail address, confirms it by mail and signs in with it. Axe checks every new page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { de } from '../../src/i18n/messages/de.ts';
import { uk } from '../../src/i18n/messages/uk.ts';
import { linkIn, mailsTo } from '../helpers/visitor.ts';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

const FIRST_PASSWORD = 'Лелека над Дніпром';
const NEW_PASSWORD = 'Два лелеки на даху';
const EMAIL = `iryna-${Date.now().toString(36)}@test.example`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let coordinator: Page;
/** Her phone: no JavaScript, 360 px, Ukrainian. */
let phone: Page;
/** A second device she signed in on, which must be signed out when the password is replaced. */
let otherPhone: Page;
let code = '';
let sheetPath = '';

async function context(options: Parameters<typeof newContext>[2] = {}): Promise<Page> {
  const created = await newContext(browser, inject('baseUrl'), { bypassCSP: true, ...options });
  contexts.push(created);
  return created.newPage();
}

/** Axe needs JavaScript: a page seen without it is checked again in a context with it, with
 * the same cookies and size. */
let auditor: Page | undefined;
async function expectAccessible(page: Page, where: string): Promise<void> {
  if (page === phone || page === otherPhone) {
    auditor ??= await context({ viewport: { width: 360, height: 740 }, locale: 'uk-UA' });
    await auditor.context().clearCookies();
    await auditor.context().addCookies(await page.context().cookies());
    await auditor.goto(page.url());
    page = auditor;
  }
  expect(await axeFindings(page), where).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${where} overflows`).toBe(true);
}

async function signIn(page: Page, login: string, password: string, prefix = ''): Promise<void> {
  await page.goto(`${prefix}/sign-in`);
  await page.locator('#field-login').fill(login);
  await page.locator('#field-password').fill(password);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState();
}

async function signOut(page: Page): Promise<void> {
  await page.locator('form[action*="accounts.signOut"] button').first().click();
  await page.waitForLoadState();
}

const main = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

/** Reads the code and the sign-in name off the sheet the coordinator is looking at. */
async function readSheet(page: Page): Promise<{ code: string; signInName: string }> {
  const sheet = page.locator('article.claim-sheet');
  await sheet.waitFor();
  return {
    code: ((await sheet.locator('[data-claim-code]').textContent()) ?? '').trim(),
    signInName: ((await sheet.locator('[data-sign-in-name]').textContent()) ?? '').trim(),
  };
}

/** Both steps at /uk/claim, on her phone. */
async function redeem(page: Page, typedCode: string, password: string): Promise<void> {
  await page.goto('/uk/claim');
  await page.locator('#field-code').fill(typedCode);
  await page.locator('main form button[type="submit"]').click();
  await page.locator('#field-signInName').waitFor();
  expect(await main(page)).toContain('Ірина Бондар');
  expect(await page.locator('#field-signInName').inputValue()).toBe('ірина');
  await page.locator('#field-password').fill(password);
  await page.locator('main form.stack button[type="submit"]').click();
  await page.waitForLoadState();
}

beforeAll(async () => {
  browser = await launchBrowser();
  coordinator = await context();
  await signIn(coordinator, 'coordinator@example.org', 'ankommen-demo');
  phone = await context({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'uk-UA' });
  otherPhone = await context({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'uk-UA' });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('a newcomer without an e-mail address', () => {
  it('is registered by a coordinator; the sheet carries her code and her sign-in name', async () => {
    await coordinator.goto('/coordinate/new-request');
    await coordinator.locator('#field-name').fill('Ірина Бондар');
    await coordinator.locator('#field-locale').selectOption('uk');
    await coordinator.locator('input[name="topics"][value="german"]').check();
    await coordinator.locator('input[name="languages"][value="uk"]').check();
    await coordinator.locator('#field-contactPreference').selectOption('coordinator');
    await coordinator.locator('#field-paperConsent').check();
    await coordinator.locator('main form button[type="submit"]').click();
    await coordinator.waitForURL((url) => /^\/coordinate\/claim-sheet\/\d+$/.test(url.pathname));
    sheetPath = new URL(coordinator.url()).pathname;
    const sheet = await readSheet(coordinator);
    code = sheet.code;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(sheet.signInName).toBe('ірина');
    expect(await coordinator.locator('article.claim-sheet').textContent()).toContain('/uk/sign-in');
  });

  it('claims the account on her phone in two steps, keeping the printed sign-in name', async () => {
    await phone.goto('/uk/claim');
    await expectAccessible(phone, '/uk/claim');
    await phone.locator('#field-code').fill(code.toLowerCase().replaceAll('-', ' '));
    await phone.locator('main form button[type="submit"]').click();
    await phone.locator('#field-signInName').waitFor();
    await expectAccessible(phone, '/uk/claim, second step');
    // A weak password is refused on the second step, which stays on the second step.
    await phone.locator('#field-password').fill('коротко');
    await phone.locator('main form.stack button[type="submit"]').click();
    await phone.locator('#field-password-error').waitFor();
    expect(await phone.locator('#field-signInName').inputValue()).toBe('ірина');
    await phone.locator('#field-password').fill(FIRST_PASSWORD);
    await phone.locator('main form.stack button[type="submit"]').click();
    await phone.waitForURL((url) => url.pathname === '/uk/my-kuemmerer');
    expect(await phone.locator('main [role="status"]').textContent()).toContain('«ірина»');
  });

  it('signs out and back in with her sign-in name, as typed on any keyboard', async () => {
    await signOut(phone);
    await signIn(phone, 'Ірина', FIRST_PASSWORD, '/uk');
    expect(new URL(phone.url()).pathname).toBe('/uk');
    await phone.goto('/uk/account');
    expect(await phone.locator('[data-sign-in-name]').textContent()).toBe('ірина');
    await expectAccessible(phone, '/uk/account');
    await signIn(otherPhone, 'ірина', FIRST_PASSWORD, '/uk');
    expect(new URL(otherPhone.url()).pathname).toBe('/uk');
  });

  it('forgets her password: the page tells her where to get a new code instead of a mail', async () => {
    await signOut(phone);
    await phone.goto('/uk/forgot-password');
    await expectAccessible(phone, '/uk/forgot-password');
    await phone.locator('#field-login').fill('ірина');
    await phone.locator('main form button[type="submit"]').click();
    await phone.locator('main [role="status"]').waitFor();
    expect(await main(phone)).toContain(uk['forgot.noEmail']);
    expect(await phone.locator('main [role="status"]').textContent()).toContain('«ірина»');
    expect(await phone.locator('main a[href="/uk/claim"]').count()).toBe(1);
  });

  it('a coordinator finds her by name and prints a new code for a new password', async () => {
    await coordinator.goto('/coordinate/people?q=Ірина');
    await expectAccessible(coordinator, '/coordinate/people');
    const card = coordinator.locator('main li', { hasText: 'Ірина Бондар' });
    expect(await card.locator('[data-sign-in-name]').textContent()).toBe('ірина');
    await card.locator(`a[href="${sheetPath}"]`).click();
    await coordinator.waitForURL((url) => url.pathname === sheetPath);
    expect(await main(coordinator)).toContain('ірина');
    await coordinator.locator('main form button[type="submit"]').click();
    const sheet = await readSheet(coordinator);
    expect(sheet.code).not.toBe(code);
    expect(sheet.signInName).toBe('ірина');
    code = sheet.code;
  });

  it('chooses a new password with it; her other phone is signed out, the old password is gone', async () => {
    await redeem(phone, code, NEW_PASSWORD);
    expect(new URL(phone.url()).pathname).toBe('/uk/account');
    expect(await phone.locator('main [role="status"]').textContent()).toContain('«ірина»');
    await otherPhone.goto('/uk/account');
    expect(new URL(otherPhone.url()).pathname).toBe('/uk/sign-in');
    await signOut(phone);
    await signIn(phone, 'ірина', FIRST_PASSWORD, '/uk');
    await phone.locator('#field-password-error').waitFor();
    await signIn(phone, 'ірина', NEW_PASSWORD, '/uk');
    expect(new URL(phone.url()).pathname).toBe('/uk');
  });

  it('adds an e-mail address later, confirms it by mail and can sign in with it', async () => {
    await phone.goto('/uk/account');
    await phone.locator('#field-newEmail').fill(EMAIL);
    await phone.locator('#field-password').fill(NEW_PASSWORD);
    await phone.locator('form[action*="accounts.changeEmail"] button[type="submit"]').click();
    await phone.locator('main [role="status"]').waitFor();
    expect(await main(phone)).toContain(EMAIL);
    const [mail] = await mailsTo(EMAIL);
    const link = linkIn(mail!);
    expect(link.pathname).toBe('/uk/confirm-email');
    await phone.goto(link.pathname + link.search);
    await phone.locator('main form button[type="submit"]').click();
    await phone.waitForURL((url) => url.pathname === '/uk/account');
    expect(await phone.locator('main [role="status"]').textContent()).toContain(uk['confirm.changed']);
    expect(await main(phone)).toContain(EMAIL);
    await signOut(phone);
    await signIn(phone, EMAIL, NEW_PASSWORD, '/uk');
    expect(new URL(phone.url()).pathname).toBe('/uk');
    // With a confirmed address she resets a forgotten password herself: no more codes for her.
    await coordinator.goto(sheetPath);
    expect(await main(coordinator)).toContain(de['coordinate.hasEmail']);
    expect(await coordinator.locator('main form button[type="submit"]').count()).toBe(0);
  });
});
