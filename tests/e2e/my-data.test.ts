// A person's rights over their data, in a real browser: in Arabic, on a 360 px phone without
// JavaScript, she signs up, downloads everything the portal holds about her and reads it on
// the printable page, changes her e-mail address (confirmed by mail, the old address told),
// and deletes her account — a wrong password first, which deletes nothing. Afterwards neither
// address signs in, and the new one can sign up again as a new person. Axe checks each page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ar } from '../../src/i18n/messages/ar.ts';
import { translator } from '../../src/i18n/index.ts';
import { linkIn, mailsTo } from '../helpers/visitor.ts';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

const PASSWORD = 'شجرة زيتون على التلة';
const stamp = Date.now().toString(36);
const FIRST_EMAIL = `salma-${stamp}@test.example`;
const NEW_EMAIL = `salma-new-${stamp}@test.example`;
const NAME = 'سلمى';
const t = translator('ar');

let browser: Browser;
const contexts: BrowserContext[] = [];
/** Her phone: no JavaScript, 360 px, Arabic. */
let phone: Page;
/** Axe needs JavaScript: each page she sees is checked again here, with her cookies. */
let auditor: Page;

async function context(options: Parameters<typeof newContext>[2]): Promise<Page> {
  const created = await newContext(browser, inject('baseUrl'), { viewport: { width: 360, height: 740 }, locale: 'ar', ...options });
  contexts.push(created);
  return created.newPage();
}

async function expectAccessible(where: string): Promise<void> {
  await auditor.context().clearCookies();
  await auditor.context().addCookies(await phone.context().cookies());
  await auditor.goto(phone.url());
  expect(await auditor.evaluate(() => document.documentElement.dir), where).toBe('rtl');
  expect(await axeFindings(auditor), where).toEqual([]);
  expect(await auditor.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${where} overflows`).toBe(true);
}

const main = async () => ((await phone.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
const submit = (action: string) => phone.locator(`form[action*="${action}"] button[type="submit"]`).click();

async function signIn(login: string, password: string): Promise<void> {
  await phone.goto('/ar/sign-in');
  await phone.locator('#field-login').fill(login);
  await phone.locator('#field-password').fill(password);
  await submit('accounts.signIn');
  await phone.waitForLoadState();
}

beforeAll(async () => {
  browser = await launchBrowser();
  phone = await context({ javaScriptEnabled: false });
  auditor = await context({ javaScriptEnabled: true, bypassCSP: true });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('my data, in Arabic, without JavaScript', () => {
  it('JavaScript is really off on her phone', async () => {
    await phone.goto('/ar');
    const scriptsRan = await phone.evaluate(() => {
      const probe = document.createElement('div');
      probe.innerHTML = '<noscript><span>off</span></noscript>';
      return probe.querySelector('span') === null;
    });
    expect(scriptsRan).toBe(false);
  });

  it('signs up and confirms her address', async () => {
    await phone.goto('/ar/sign-up');
    await phone.locator('#field-email').fill(FIRST_EMAIL);
    await phone.locator('#field-password').fill(PASSWORD);
    await phone.locator('#field-displayName').fill(NAME);
    await submit('accounts.signUp');
    await phone.waitForURL((url) => url.pathname === '/ar/sign-in');
    const [mail] = await mailsTo(FIRST_EMAIL);
    const link = linkIn(mail!);
    await phone.goto(link.pathname + link.search);
    await phone.locator('main form button[type="submit"]').click();
    await phone.waitForURL((url) => url.pathname === '/ar/sign-in');
    await signIn(FIRST_EMAIL, PASSWORD);
    expect(new URL(phone.url()).pathname).toBe('/ar');
  });

  it('finds My data from her account page and downloads everything as JSON', async () => {
    await phone.goto('/ar/account');
    await phone.locator('main').getByRole('link', { name: ar['privacyData.accountLink'] }).click();
    await phone.waitForURL((url) => url.pathname === '/ar/account/data');
    expect(await phone.locator('h1').textContent()).toBe(ar['privacyData.title']);
    await expectAccessible('/ar/account/data');

    const [download] = await Promise.all([phone.waitForEvent('download'), phone.locator('[data-testid="download-json"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^ankommen-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(await readFile((await download.path())!, 'utf8')) as { format: string; account: Array<Record<string, unknown>> };
    expect(data.format).toBe('ankommen.personal-data/1');
    expect(data.account).toHaveLength(1);
    expect(data.account[0]).toMatchObject({ email: FIRST_EMAIL, display_name: NAME, locale: 'ar' });
    // Secrets are never in it: only whether a password is set.
    expect(JSON.stringify(data)).not.toMatch(/argon2/);
  });

  it('reads the same data on the printable page, right to left', async () => {
    await phone.goto('/ar/account/data');
    await phone.locator('main').getByRole('link', { name: ar['privacyData.viewLink'] }).click();
    await phone.waitForURL((url) => url.pathname === '/ar/account/data/view');
    const text = await main();
    expect(text).toContain(NAME);
    expect(text).toContain(FIRST_EMAIL);
    await expectAccessible('/ar/account/data/view');
  });

  it('changes her e-mail address: confirmed from the new address, the old one told', async () => {
    await phone.goto('/ar/account/data');
    await phone.locator('main').getByRole('link', { name: ar['privacyData.changeEmail'] }).click();
    await phone.waitForURL((url) => url.pathname === '/ar/account');
    await phone.locator('#field-newEmail').fill(NEW_EMAIL);
    await phone.locator('form[action*="accounts.changeEmail"] #field-password').fill(PASSWORD);
    await submit('accounts.changeEmail');
    await phone.locator('main [role="status"]').waitFor();
    expect(await main()).toContain(NEW_EMAIL);

    const [confirmation] = await mailsTo(NEW_EMAIL);
    expect(confirmation!.subject).toBe(t('email.changeEmail.subject'));
    const link = linkIn(confirmation!);
    await phone.goto(link.pathname + link.search);
    await phone.locator('main form button[type="submit"]').click();
    await phone.waitForURL((url) => url.pathname === '/ar/account');
    expect(await phone.locator('main [role="status"]').textContent()).toContain(t('confirm.changed'));

    const told = await mailsTo(FIRST_EMAIL, { atLeast: 2 });
    expect(told.map((m) => m.subject)).toContain(t('email.emailChanged.subject'));
  });

  it('deletes her account: the page explains first, a wrong password deletes nothing', async () => {
    await phone.goto('/ar/account/data');
    await phone.locator('main').getByRole('link', { name: ar['privacyData.deleteAccount'] }).click();
    await phone.waitForURL((url) => url.pathname === '/ar/account/delete');
    expect(await phone.locator('h1').textContent()).toBe(ar['erasure.title']);
    // What happens is said before the button.
    const explained = await phone.evaluate(() => {
      const button = document.querySelector('form[action*="erasure.deleteOwnAccount"] button[type="submit"]');
      const firstList = document.querySelector('main ul, main ol');
      return Boolean(button && firstList && firstList.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(explained).toBe(true);
    await expectAccessible('/ar/account/delete');

    await phone.locator('#field-password').fill('كلمة خاطئة تماما');
    await submit('erasure.deleteOwnAccount');
    await phone.locator('#field-password-error').waitFor();
    expect(new URL(phone.url()).pathname).toBe('/ar/account/delete');
    await expectAccessible('/ar/account/delete with a wrong password');
    // Still there: her account page opens.
    await phone.goto('/ar/account');
    expect(await main()).toContain(NEW_EMAIL);

    await phone.goto('/ar/account/delete');
    await phone.locator('#field-password').fill(PASSWORD);
    await submit('erasure.deleteOwnAccount');
    await phone.waitForURL((url) => url.pathname === '/ar/account/deleted');
    expect(await phone.locator('h1').textContent()).toBe(ar['erasure.done.title']);
    // Signed out: the header offers signing in again.
    expect(await phone.locator('header nav').getByRole('link', { name: ar['nav.signIn'], exact: true }).isVisible()).toBe(true);
    await expectAccessible('/ar/account/deleted');
  });

  it('neither address signs in any more, and the new one can sign up as a new person', async () => {
    for (const address of [NEW_EMAIL, FIRST_EMAIL]) {
      await signIn(address, PASSWORD);
      expect(new URL(phone.url()).pathname, address).toBe('/ar/sign-in');
      await phone.locator('main .error-summary, main [role="alert"]').first().waitFor();
    }
    await phone.goto('/ar/account/data');
    expect(new URL(phone.url()).pathname).toBe('/ar/sign-in');

    await phone.goto('/ar/sign-up');
    await phone.locator('#field-email').fill(NEW_EMAIL);
    await phone.locator('#field-password').fill(PASSWORD);
    await phone.locator('#field-displayName').fill(NAME);
    await submit('accounts.signUp');
    await phone.waitForURL((url) => url.pathname === '/ar/sign-in');
    const mails = await mailsTo(NEW_EMAIL, { atLeast: 2 });
    expect(mails.at(-1)!.subject).toBe(t('email.confirm.subject'));
  });
});
