// Linking Telegram in a real browser: in Persian, on a 360 px phone without JavaScript, an
// organiser opens "Messages by Telegram" from the account page, makes a link, and the QR code
// beside it (for reading the page on a computer) decodes to exactly the link; the page fits the
// phone. "/start" in the chat (the bot API's local stand-in) links it, the page says so.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { translator } from '../../src/i18n/index.ts';
import { BOT_USERNAME, messagesToChat, writeToBot } from '../helpers/bot-api.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

const t = translator('fa');
const CHAT = 7002;

let browser: Browser;
let context: BrowserContext;
let phone: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser, inject('baseUrl'), { viewport: { width: 360, height: 740 }, locale: 'fa', javaScriptEnabled: false });
  phone = await context.newPage();
  await signIn(phone, 'library@example.org', { prefix: '/fa' });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('linking Telegram on a phone, in Persian, without JavaScript', () => {
  let link = '';

  it('is offered on the account page and explains the steps', async () => {
    await phone.goto('/fa/account');
    await phone.locator(`a[href="/fa/account/telegram"]`).click();
    await phone.waitForURL((u) => u.pathname === '/fa/account/telegram');
    expect(await phone.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await phone.locator('main h1').textContent()).toBe(t('telegram.title'));
    expect(await phone.locator('.telegram-steps li').count()).toBe(3);
  });

  it('makes a link whose QR code decodes to it, and fits the phone', async () => {
    await phone.locator('main form button[type="submit"]').click();
    const anchor = phone.locator('[data-testid="telegram-deep-link"]');
    await anchor.waitFor();
    link = (await anchor.getAttribute('href'))!;
    expect(link).toMatch(new RegExp(`^https://t\\.me/${BOT_USERNAME}\\?start=[a-z2-7]{32}$`));
    const png = PNG.sync.read(await phone.locator('.telegram-qr__code').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(link);
    const width = await phone.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    expect(await phone.locator('main').textContent()).toContain(t('telegram.code.keepPrivate'));
  });

  it('is linked once "/start" reaches the bot, and the bot said so in the account’s language', async () => {
    await writeToBot(inject('botApiUrl'), CHAT, `/start ${new URL(link).searchParams.get('start')}`, 'en');
    await expect.poll(async () => (await messagesToChat(inject('botApiUrl'), CHAT)).length, { timeout: 10_000 }).toBe(1);
    // The organiser's account speaks German: the bot writes in the account's language.
    const [reply] = await messagesToChat(inject('botApiUrl'), CHAT);
    expect(reply!.text.startsWith(translator('de')('telegram.bot.linked', { name: 'Petra Schulte', town: 'Altena' }))).toBe(true);
    expect(reply!.text).toContain(`${inject('baseUrl')}/account/notifications`);
    await phone.locator('main a.button--secondary').first().click();
    await phone.waitForURL((u) => u.pathname === '/fa/account/telegram');
    expect(await phone.locator('main').textContent()).toContain(t('telegram.linked.just'));
    expect(await phone.locator('[data-testid="telegram-deep-link"]').count()).toBe(0);
  });
});
