// Help requests on someone's behalf in the demo town, without JavaScript: Hans, the Ukrainian
// newcomer's Kümmerer, asks for someone to go with her to the doctor (refused at the field
// until he confirms she agreed); Klaus takes it, sharing his phone number; Olena sees his first
// name and number, and after he reports it done she says thanks, once; the coordinator's
// overview shows it. axe (which needs JavaScript) on the pages from separate contexts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

const baseUrl = inject('baseUrl');
const ADDRESS = `Praxis am Markt ${Date.now() % 1000}, 58762 Altena`;
const ASKER_CONTACT = 'Signal 0157 5550456';
const HELPER_CONTACT = 'Handy 0171 5550333';
const THANKS = 'Дякую, Klaus!';

let browser: Browser;
let kuemmerer: BrowserContext;
let helper: BrowserContext;
let newcomer: BrowserContext;

beforeAll(async () => {
  browser = await launchBrowser();
  kuemmerer = await newContext(browser, baseUrl, { javaScriptEnabled: false });
  helper = await newContext(browser, baseUrl, { javaScriptEnabled: false });
  newcomer = await newContext(browser, baseUrl, { javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
});
afterAll(async () => {
  for (const context of [kuemmerer, helper, newcomer]) await context?.close();
  await browser?.close();
});

describe('a Kümmerer asks for his newcomer, a volunteer takes it, she says thanks', () => {
  let requestPath = '';

  it('the Kümmerer chooses his newcomer; without her consent to a doctor\'s visit nothing is saved', async () => {
    const page = await kuemmerer.newPage();
    await signIn(page, 'mentor@example.org');
    await page.goto('/help-requests/new');
    await page.locator('#field-forPerson').selectOption({ label: 'Олена Коваленко' });
    await page.locator('#field-kind').selectOption('doctor');
    await page.locator('input[name="when"][value="time"]').check();
    await page.locator('#field-date').fill(new Date(Date.now() + 8 * 24 * 3600_000).toISOString().slice(0, 10));
    await page.locator('#field-time').fill('08:15');
    await page.locator('#field-district').fill('Altena-Mitte');
    await page.locator('#field-address').fill(ADDRESS);
    await page.locator('input[name="languages"][value="uk"]').check();
    await page.locator('#field-askerContact').fill(ASKER_CONTACT);
    await page.getByRole('button', { name: 'Anfrage abschicken' }).click();
    await expect(page.locator('#field-healthConsent-error').innerText()).resolves.toContain('brauchen wir diese Einwilligung');
    // What he typed is still there, the choice of person too.
    await expect(page.locator('#field-address').inputValue()).resolves.toBe(ADDRESS);
    await expect(page.locator('#field-forPerson option:checked').innerText()).resolves.toBe('Олена Коваленко');
    await page.locator('#field-healthConsent').check();
    await page.getByRole('button', { name: 'Anfrage abschicken' }).click();
    await page.waitForURL((url) => url.pathname === '/my-help-requests');
    const posted = page.locator('section[aria-labelledby="posted-title"]');
    await expect(posted.innerText()).resolves.toContain('Für: Олена');
    requestPath = (await posted.locator('h3 a').first().getAttribute('href'))!;
    expect(requestPath).toMatch(/^\/help-requests\/\d+$/);
  });

  it('the volunteer takes it with a phone number; both see each other\'s first name and contact', async () => {
    const page = await helper.newPage();
    await signIn(page, 'resident@example.org');
    await page.goto('/help-wanted');
    const id = requestPath.split('/').pop()!;
    const card = page.locator('li.help-request', { has: page.locator(`input[name="requestId"][value="${id}"]`) });
    await expect(card.innerText()).resolves.toContain('Begleitung zum Arzt');
    expect(await page.locator('main').innerText()).not.toContain(ASKER_CONTACT);
    await card.locator(`#take-contact-${id}`).fill(HELPER_CONTACT);
    await card.getByRole('button', { name: 'Ich übernehme das' }).click();
    await page.waitForURL((url) => url.pathname === requestPath);
    const detail = await page.locator('main').innerText();
    expect(detail).toContain(ASKER_CONTACT);
    expect(detail).toContain(ADDRESS);
    expect(detail).toContain('Олена');

    const asker = await newcomer.newPage();
    await signIn(asker, 'newcomer-uk@example.org', { prefix: '/uk' });
    await asker.goto(`/uk${requestPath}`);
    const hers = await asker.locator('main').innerText();
    expect(hers).toContain('Klaus');
    expect(hers).not.toContain('Hoffmann');
    expect(hers).toContain(HELPER_CONTACT);
  });

  it('after he reports it done, she thanks him once; he reads it on the request', async () => {
    const page = await helper.newPage();
    await page.goto(requestPath);
    await page.locator('input[name="outcome"][value="done"]').check();
    await page.locator('#field-minutes').fill('95');
    await page.locator('section[aria-labelledby="finish-title"] button[type="submit"]').click();
    await expect(page.locator('main').innerText()).resolves.toContain('95');

    const asker = await newcomer.newPage();
    await asker.goto(`/uk${requestPath}`);
    await asker.locator('#field-message').fill(THANKS);
    await asker.locator('section[aria-labelledby="thank-title"] button[type="submit"]').click();
    await expect(asker.locator('main').innerText()).resolves.toContain(THANKS);
    expect(await asker.locator('#thank-title').count()).toBe(0);

    await page.goto(requestPath);
    await expect(page.locator('main').innerText()).resolves.toContain(THANKS);
  });

  it('the coordinator\'s overview counts it and lists the open requests; axe finds nothing on it, the form for someone else and the thanked request', async () => {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await signIn(page, 'coordinator@example.org');
      await page.goto('/coordinate');
      await page.getByRole('link', { name: 'Hilfe-Anfragen' }).click();
      await page.waitForURL((url) => url.pathname === '/coordinate/help-requests');
      const text = await page.locator('main').innerText();
      expect(text).toContain('Begleitung zum Arzt');
      expect(text).toContain('Offene Anfragen');
      expect(await page.locator('#open-requests li').count()).toBeGreaterThanOrEqual(3);
      for (const url of ['/coordinate/help-requests', '/ar/coordinate/help-requests', requestPath]) {
        expect((await page.goto(url))?.status(), url).toBe(200);
        const found = await axeViolations(page);
        expect(found, describeViolations(url, found)).toEqual([]);
      }
    } finally {
      await context.close();
    }
    const asKuemmerer = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await asKuemmerer.newPage();
      await signIn(page, 'mentor@example.org');
      for (const url of ['/help-requests/new', '/fa/help-requests/new', '/my-help-requests']) {
        expect((await page.goto(url))?.status(), url).toBe(200);
        const found = await axeViolations(page);
        expect(found, describeViolations(url, found)).toEqual([]);
      }
    } finally {
      await asKuemmerer.close();
    }
  });
});
