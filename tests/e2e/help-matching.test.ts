// Matching in the demo town without JavaScript: Klaus offers interpreting in his volunteer
// profile (a child seat without a car is refused next to the field first), a newcomer asks for
// an interpreter, the coordinator sees Klaus among the fitting helpers with the reasons and asks
// him directly, and Klaus finds the request with the filters of /help-wanted ("fits my
// profile"). axe (which needs JavaScript) on the profile, the filtered list and the
// coordinator's view of the request, from separate contexts. The demo town is left as it was.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

const baseUrl = inject('baseUrl');
const ADDRESS = `Bachstraße ${Date.now() % 1000}, 58762 Altena`;
const NOTE = 'Elterngespräch in der Grundschule';

let browser: Browser;
let resident: BrowserContext;
let newcomer: BrowserContext;
let coordinator: BrowserContext;
let requestId = '';

beforeAll(async () => {
  browser = await launchBrowser();
  // bypassCSP lets axe in later; JavaScript stays off for the journeys.
  resident = await newContext(browser, baseUrl, { javaScriptEnabled: false });
  newcomer = await newContext(browser, baseUrl, { javaScriptEnabled: false });
  coordinator = await newContext(browser, baseUrl, { javaScriptEnabled: false });
});
afterAll(async () => {
  await resident?.close();
  await newcomer?.close();
  await coordinator?.close();
  await browser?.close();
});

describe('a volunteer offers help, a coordinator asks them, the filters find the request', () => {
  it('the profile form refuses a child seat without a car next to the field, then saves the offer and shows it back', async () => {
    const page = await resident.newPage();
    await signIn(page, 'resident@example.org');
    await page.goto('/account/volunteer-profile');
    await page.locator('input[name="languages"][value="uk"]').check();
    await page.locator('input[name="helpKinds"][value="school"]').check();
    await page.locator('input[name="hasChildSeat"]').check();
    await page.getByRole('button', { name: 'Profil speichern' }).click();
    await page.waitForURL((url) => url.pathname === '/account/volunteer-profile');
    const error = page.locator('#field-hasChildSeat-error');
    await expect(error.innerText()).resolves.toContain('Ein Kindersitz geht nur mit Auto.');
    // The fieldset names its error; the error summary links to it; what was ticked stays ticked.
    await expect(page.locator('#field-hasChildSeat').getAttribute('aria-describedby')).resolves.toBe('field-hasChildSeat-error');
    await expect(page.locator('.error-summary a[href="#field-hasChildSeat"]').count()).resolves.toBe(1);
    await expect(page.locator('input[name="helpKinds"][value="school"]').isChecked()).resolves.toBe(true);

    await page.locator('input[name="hasCar"]').check();
    await page.getByRole('button', { name: 'Profil speichern' }).click();
    await page.waitForURL((url) => url.pathname === '/account/volunteer-profile');
    await expect(page.locator('main').innerText()).resolves.toContain('Gespeichert');
    await page.goto('/account/volunteer-profile');
    for (const selector of ['input[name="helpKinds"][value="school"]', 'input[name="hasCar"]', 'input[name="hasChildSeat"]', 'input[name="languages"][value="uk"]']) {
      await expect(page.locator(selector).isChecked(), selector).resolves.toBe(true);
    }
    await expect(page.locator('input[name="helpsAsWoman"]').isChecked()).resolves.toBe(false);
  });

  it('a newcomer asks for someone to come to school with her', async () => {
    const page = await newcomer.newPage();
    await signIn(page, 'newcomer-uk@example.org');
    await page.goto('/help-requests/new');
    await page.locator('#field-kind').selectOption('school');
    await page.locator('input[name="when"][value="week"]').check();
    await page.locator('#field-district').fill('Altena-Mitte');
    await page.locator('#field-address').fill(ADDRESS);
    await page.locator('input[name="languages"][value="uk"]').check();
    await page.locator('#field-note').fill(NOTE);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname.endsWith('/my-help-requests'));
    const ids = await page.locator('main a[href*="/help-requests/"]').evaluateAll((links) => links.map((a) => Number(/\/help-requests\/(\d+)$/.exec(a.getAttribute('href') ?? '')?.[1] ?? 0)));
    requestId = String(Math.max(...ids));
    expect(Number(requestId)).toBeGreaterThan(0);
  });

  it('the coordinator sees Klaus with the reasons and asks him directly', async () => {
    const page = await coordinator.newPage();
    await signIn(page, 'coordinator@example.org');
    await page.goto(`/help-requests/${requestId}`);
    const part = page.locator('#suggested-helpers');
    const klaus = part.locator('li', { hasText: 'Klaus Hoffmann' });
    await expect(klaus.innerText()).resolves.toContain('spricht Ukrainisch · bietet „Begleitung zur Schule oder Kita“ an');
    await expect(klaus.innerText()).resolves.toContain('Benachrichtigt am');
    await klaus.getByRole('button', { name: 'Klaus Hoffmann direkt fragen' }).click();
    await page.waitForURL((url) => url.pathname === `/help-requests/${requestId}`);
    await expect(page.locator('main').innerText()).resolves.toContain('Gefragt. Die Person bekommt eine Nachricht in ihrer Sprache.');
    const after = page.locator('#suggested-helpers li', { hasText: 'Klaus Hoffmann' });
    await expect(after.innerText()).resolves.toContain('Direkt gefragt am');
    await expect(after.getByRole('button').count()).resolves.toBe(0);
  });

  it('Klaus finds it with the filters of /help-wanted, without the address or the note', async () => {
    const page = await resident.newPage();
    await page.goto('/help-wanted');
    await page.locator('#help-requests details.filters summary').click();
    await page.locator('#filter-rkind').selectOption('school');
    await page.locator('input[name="rday"][value="week"]').check();
    await page.locator('input[name="fits"]').check();
    await page.getByRole('button', { name: 'Anfragen zeigen' }).click();
    await page.waitForURL((url) => url.searchParams.get('rkind') === 'school' && url.searchParams.get('fits') === 'on');
    const card = page.locator(`#help-request-${requestId}`);
    await expect(card.innerText()).resolves.toContain('Begleitung zur Schule oder Kita');
    const main = await page.locator('main').innerText();
    expect(main).not.toContain(ADDRESS);
    expect(main).not.toContain(NOTE);
    expect(main).not.toContain('Олена');
    // Another kind: the request is not among them.
    await page.goto('/help-wanted?rkind=lift');
    await expect(page.locator(`#help-request-${requestId}`).count()).resolves.toBe(0);
  });

  it('axe finds nothing on the profile (German, Arabic, with an error), the filtered list and the coordinator\'s view (axe needs JavaScript)', async () => {
    for (const [account, urls] of [
      ['resident@example.org', ['/account/volunteer-profile', '/ar/account/volunteer-profile', `/help-wanted?rkind=school&rday=week&fits=on`, '/fa/help-wanted?rday=week']],
      ['coordinator@example.org', [`/help-requests/${requestId}`, `/ar/help-requests/${requestId}`]],
    ] as const) {
      const context = await newContext(browser, baseUrl, { bypassCSP: true });
      try {
        const page = await context.newPage();
        await signIn(page, account);
        for (const url of urls) {
          expect((await page.goto(url))?.status(), url).toBe(200);
          const found = await axeViolations(page);
          expect(found, describeViolations(url, found)).toEqual([]);
        }
        if (account === 'resident@example.org') {
          // The profile with the error next to the field.
          await page.goto('/account/volunteer-profile');
          await page.locator('input[name="hasCar"]').uncheck();
          await page.getByRole('button', { name: 'Profil speichern' }).click();
          await page.locator('#field-hasChildSeat-error').waitFor();
          const found = await axeViolations(page);
          expect(found, describeViolations('profile with an error', found)).toEqual([]);
        }
      } finally {
        await context.close();
      }
    }
  });

  it('leaves the demo town as it was: the request withdrawn, the offer taken back', async () => {
    const asker = await newcomer.newPage();
    await asker.goto('/my-help-requests');
    await asker.locator('form', { has: asker.locator(`input[name="requestId"][value="${requestId}"]`) }).locator('button[type="submit"]').click();
    await asker.waitForURL((url) => url.pathname.endsWith('/my-help-requests'));
    const page = await resident.newPage();
    await page.goto('/account/volunteer-profile');
    for (const selector of ['input[name="helpKinds"][value="school"]', 'input[name="hasCar"]', 'input[name="hasChildSeat"]', 'input[name="languages"][value="uk"]']) await page.locator(selector).uncheck();
    await page.getByRole('button', { name: 'Profil speichern' }).click();
    await page.waitForURL((url) => url.pathname === '/account/volunteer-profile');
    await expect(page.locator('input[name="helpKinds"][value="school"]').isChecked()).resolves.toBe(false);
  });
});
