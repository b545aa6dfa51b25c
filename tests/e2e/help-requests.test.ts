// Help requests in the demo town without JavaScript: a newcomer asks, in Persian, for someone
// to interpret in Dari; a volunteer finds it on /help-wanted (no address there), takes it with
// one click and then sees the address and the note. axe (which needs JavaScript) on the list
// and the request from separate contexts; the forms are in tests/e2e/accessibility.test.ts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

const baseUrl = inject('baseUrl');
const ADDRESS = `Lüdenscheider Straße ${Date.now() % 1000}, 58762 Altena`;
const NOTE = 'Termin im Jobcenter, Zimmer 4';

let browser: Browser;
let newcomer: BrowserContext;
let volunteer: BrowserContext;

beforeAll(async () => {
  browser = await launchBrowser();
  // bypassCSP lets axe in; JavaScript stays off.
  newcomer = await newContext(browser, baseUrl, { bypassCSP: true, javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  volunteer = await newContext(browser, baseUrl, { bypassCSP: true, javaScriptEnabled: false });
});
afterAll(async () => {
  await newcomer?.close();
  await volunteer?.close();
  await browser?.close();
});

describe('a newcomer asks for an interpreter, a volunteer takes it', () => {
  let requestPath = '';

  it('the newcomer posts an interpreting request on the Persian page, without JavaScript', async () => {
    const page = await newcomer.newPage();
    await signIn(page, 'newcomer-ar@example.org', { prefix: '/fa' });
    await page.goto('/fa/help-requests/new');
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await page.locator('#field-kind').selectOption('interpreting');
    await page.locator('input[name="when"][value="time"]').check();
    await page.locator('#field-date').fill(new Date(Date.now() + 6 * 24 * 3600_000).toISOString().slice(0, 10));
    await page.locator('#field-time').fill('09:30');
    await page.locator('#field-district').fill('Altena-Mitte');
    await page.locator('#field-address').fill(ADDRESS);
    await page.locator('input[name="languages"][value="fa"]').check();
    // Not the wish for a woman helper: Klaus, who takes it below, helps as a man (that rule: help-matching.test.ts).
    await page.locator('input[name="needsCar"]').check();
    await page.locator('#field-note').fill(NOTE);
    await page.getByRole('button', { name: 'فرستادن درخواست' }).click();
    await page.waitForURL((url) => url.pathname === '/fa/my-help-requests');
    const main = await page.locator('main').innerText();
    expect(main).toContain('درخواست شما ثبت شد.');
    expect(main).toContain('ترجمهٔ شفاهی');
    requestPath = (await page.locator('main .card-list h3 a').first().getAttribute('href'))!.replace(/^\/fa/, '');
    expect(requestPath).toMatch(/^\/help-requests\/\d+$/);
  });

  it('the volunteer sees the minimum on /help-wanted, takes it with one click and then sees the address', async () => {
    const page = await volunteer.newPage();
    await signIn(page, 'resident@example.org');
    await page.goto('/help-wanted');
    const id = requestPath.split('/').pop()!;
    const card = page.locator('li.help-request', { has: page.locator(`input[name="requestId"][value="${id}"]`) });
    await expect(card.innerText()).resolves.toContain('Dolmetschen');
    await expect(card.innerText()).resolves.toContain('Altena-Mitte');
    const list = await page.locator('main').innerText();
    expect(list).not.toContain(ADDRESS);
    expect(list).not.toContain(NOTE);

    await card.getByRole('button', { name: 'Ich übernehme das' }).click();
    await page.waitForURL((url) => url.pathname === requestPath);
    const detail = await page.locator('main').innerText();
    expect(detail).toContain('Sie haben die Anfrage übernommen.');
    expect(detail).toContain(ADDRESS);
    expect(detail).toContain(NOTE);
  });

  it('axe finds nothing on the list with a request, the request taken, and the Persian request (axe needs JavaScript)', async () => {
    for (const [account, urls] of [['resident@example.org', ['/help-wanted', requestPath]], ['newcomer-ar@example.org', [`/fa${requestPath}`]]] as const) {
      const context = await newContext(browser, baseUrl, { bypassCSP: true });
      try {
        const page = await context.newPage();
        await signIn(page, account);
        for (const url of urls) {
          expect((await page.goto(url))?.status(), url).toBe(200);
          const found = await axeViolations(page);
          expect(found, describeViolations(url, found)).toEqual([]);
        }
      } finally {
        await context.close();
      }
    }
  });

  it('the newcomer sees who helps, by first name, and can hand it back', async () => {
    const page = await newcomer.newPage();
    await page.goto(`/fa${requestPath}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Klaus');
    expect(text).not.toContain('Hoffmann');
    // Leave the demo town as it was for the files that follow.
    await page.getByRole('button', { name: 'پس دادن' }).click();
    await page.waitForURL((url) => url.pathname === '/fa/my-help-requests');
    await page.getByRole('button', { name: 'پس گرفتن درخواست' }).first().click();
    await page.waitForURL((url) => url.pathname === '/fa/my-help-requests');
    await expect(page.locator('main').innerText()).resolves.toContain('درخواست شما پس گرفته شد.');
  });
});
