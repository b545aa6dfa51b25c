// The account journey in a real browser, once with JavaScript and once without: sign up,
// confirm through the mail, sign in, switch to Arabic (right to left), sign out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { de } from '../../src/i18n/messages/de.ts';
import { ar } from '../../src/i18n/messages/ar.ts';
import { linkIn, mailsTo } from '../helpers/visitor.ts';
import { launchBrowser, newContext } from './browser.ts';

const PASSWORD = 'Ein langer Satz zum Merken';
let counter = 0;
const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@test.example`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each([
  { mode: 'with JavaScript', javaScriptEnabled: true },
  { mode: 'without JavaScript', javaScriptEnabled: false },
])('the account journey $mode', ({ mode, javaScriptEnabled }) => {
  let context: BrowserContext;
  let page: Page;
  const baseUrl = inject('baseUrl');

  beforeAll(async () => {
    context = await newContext(browser, baseUrl, { javaScriptEnabled });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('JavaScript is really ' + (javaScriptEnabled ? 'on' : 'off'), async () => {
    await page.goto('/');
    // page.evaluate runs even with scripts disabled; a <noscript> check shows what the page sees.
    const scriptsRan = await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.innerHTML = '<noscript><span>off</span></noscript>';
      return probe.querySelector('span') === null;
    });
    expect(scriptsRan, mode).toBe(javaScriptEnabled);
  });

  it('refuses an empty sign-up form with an error summary and a message at the e-mail field', async () => {
    await page.goto('/sign-up');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/sign-up');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('heading').textContent()).toContain(de['form.errorSummary']);
    // The summary links to the field with the problem.
    expect(await summary.locator('a[href="#field-email"]').count()).toBe(1);
    const emailError = page.locator('#field-email-error');
    expect(await emailError.isVisible()).toBe(true);
    expect((await emailError.textContent())?.trim()).toBe(de['error.required']);
    expect(await page.locator('#field-email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-email').getAttribute('aria-describedby')).toContain('field-email-error');
    expect(await page.title()).toMatch(/^Fehler: /);
    if (javaScriptEnabled) {
      // GOV.UK: with JavaScript the summary takes the focus after a failed post.
      await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
    }
  });

  it('signs up, confirms by mail, signs in, switches to Arabic and signs out', async () => {
    const email = uniqueEmail(javaScriptEnabled ? 'e2e-js' : 'e2e-nojs');

    // Home page → "Registrieren" in the header.
    await page.goto('/');
    await page.locator('header nav').getByRole('link', { name: de['nav.signUp'], exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sign-up');
    expect(await page.locator('h1').textContent()).toBe(de['signUp.title']);

    await page.locator('#field-email').fill(email);
    await page.locator('#field-password').fill(PASSWORD);
    await page.locator('#field-displayName').fill('Amal');
    await page.locator('main form button[type="submit"]').click();

    // The sign-in page says to check the mail.
    await page.waitForURL((url) => url.pathname === '/sign-in');
    const sent = page.locator('main [role="status"]');
    await sent.waitFor();
    expect((await sent.textContent())?.replace(/\s+/g, ' ').trim()).toBe(de['signUp.checkEmail'].replace('{email}', email));

    // The mail's link opens the confirmation page; confirming is a button (a POST).
    const [mail] = await mailsTo(email);
    expect(mail, 'confirmation mail').toBeDefined();
    expect(mail!.subject).toBe(de['email.confirm.subject']);
    const link = linkIn(mail!);
    expect(link.pathname).toBe('/confirm-email');
    await page.goto(link.pathname + link.search);
    expect(await page.locator('h1').textContent()).toBe(de['confirm.title']);
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('_action=accounts.confirmEmail'));
    await page.getByRole('button', { name: de['confirm.submit'], exact: true }).click();
    const answer = await posted;
    await page.waitForLoadState();
    // The form posts with the page's own Origin (the page's referrer policy must allow that).
    expect(answer.status(), `confirming in a browser (sent Origin: ${(await answer.request().allHeaders()).origin ?? '(none)'})`).toBe(303);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect((await page.locator('main [role="status"]').textContent())?.trim()).toBe(de['confirm.done']);

    // Sign in through the form.
    await page.locator('#field-login').fill(email);
    await page.locator('#field-password').fill(PASSWORD);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.locator('header nav').getByRole('link', { name: de['nav.account'], exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/account');
    expect(await page.locator('h1').textContent()).toBe(de['account.title']);
    expect(await page.locator('main').textContent()).toContain(email);
    // Confirmed: no reminder to confirm.
    expect(await page.locator('main').textContent()).not.toContain(de['confirm.pending']);

    // Language switcher: open it (a <details>, works without JavaScript) and choose Arabic.
    const switcher = page.locator('details.language-switcher');
    await switcher.locator('summary').click();
    expect(await switcher.getAttribute('open')).not.toBeNull();
    await switcher.getByRole('button', { name: 'العربية', exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/ar'));
    expect(new URL(page.url()).pathname).toBe('/ar/account');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    expect(await page.locator('h1').textContent()).toBe(ar['account.title']);

    // Sign out with the button in the header.
    await page.locator('header').getByRole('button', { name: ar['nav.signOut'], exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/ar' || url.pathname === '/ar/');
    const nav = page.locator('header nav');
    expect(await nav.getByRole('link', { name: ar['nav.signIn'], exact: true }).isVisible()).toBe(true);
    expect(await nav.getByRole('button', { name: ar['nav.signOut'] }).count()).toBe(0);
    expect((await page.locator('main [role="status"]').textContent())?.trim()).toBe(ar['signOut.done']);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');

    // The account is closed to this browser now.
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
