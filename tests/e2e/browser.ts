// Chromium for the browser tests: Debian's build, driven by playwright-core (no downloads).
import { DEMO_PASSWORD } from '../../src/features/demo/demo-town.ts';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

let addressCounter = 0;

/**
 * A fresh browser context on the portal. Each context comes from its own address (the portal
 * trusts X-Forwarded-For in tests), so that rate limits of one test do not spill into another.
 */
export function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  addressCounter += 1;
  return browser.newContext({
    baseURL,
    locale: 'de-DE',
    viewport: { width: 1280, height: 900 },
    ...options,
    extraHTTPHeaders: { 'X-Forwarded-For': `203.0.113.${((process.pid * 7) % 200) + addressCounter}`, ...options.extraHTTPHeaders },
  });
}

/**
 * Signs in through the sign-in form, as a person would, and waits for the home page of the
 * language (`prefix` '' for German, '/ar' for Arabic…).
 */
export async function signIn(page: Page, login: string, options: { password?: string; prefix?: string } = {}): Promise<void> {
  const prefix = options.prefix ?? '';
  await page.goto(`${prefix}/sign-in`);
  await page.locator('#field-login').fill(login);
  await page.locator('#field-password').fill(options.password ?? DEMO_PASSWORD);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === (prefix || '/'));
}
