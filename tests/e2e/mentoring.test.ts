// Kümmerer mentoring in the browser, on the demo town: a resident applies, the coordinator
// approves; a newcomer asks; the coordinator assigns the top suggestion; both see each other;
// the Kümmerer logs a meeting that both see (the private note only one of them). Then the
// claim-code journey in Arabic, and axe on every new page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

const PASSWORD = 'ankommen-demo';

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

/** A signed-in person in their own browser context (CSP bypassed so that axe can be injected). */
async function person(email: string): Promise<Page> {
  const context = await newContext(browser, inject('baseUrl'), { bypassCSP: true });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.locator('#field-login').fill(email);
  await page.locator('#field-password').fill(PASSWORD);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}


async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await axeFindings(page), where).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${where} overflows`).toBe(true);
}

let kuemmerer: Page;
let coordinator: Page;
let newcomer: Page;

describe('from application to a logged meeting', () => {
  beforeAll(async () => {
    kuemmerer = await person('kuemmerer@example.org');
    coordinator = await person('coordinator@example.org');
    newcomer = await person('newcomer-ar@example.org');
  });

  it('a resident applies to be a Kümmerer', async () => {
    await kuemmerer.goto('/kuemmerer');
    await expectAccessible(kuemmerer, '/kuemmerer');
    // Sending without consent is refused next to the checkbox.
    await kuemmerer.locator('input[name="topics"][value="german"]').check();
    await kuemmerer.locator('input[name="languages"][value="ar"]').check();
    await kuemmerer.locator('input[name="languages"][value="de"]').check();
    await kuemmerer.locator('#field-contactDetails').fill('Telefon 02352 123456');
    await kuemmerer.getByRole('button', { name: 'Bewerbung abschicken' }).click();
    await kuemmerer.locator('.error-summary').waitFor();
    expect(await kuemmerer.locator('.error-summary').textContent()).toContain('Bitte bestätigen Sie die Regeln für Kümmerer.');
    await expectAccessible(kuemmerer, '/kuemmerer with errors');
    // What was typed is still there.
    expect(await kuemmerer.locator('input[name="languages"][value="ar"]').isChecked()).toBe(true);
    await kuemmerer.locator('input[name="topics"][value="paperwork"]').check();
    await kuemmerer.locator('input[name="codeOfConduct"]').check();
    await kuemmerer.getByRole('button', { name: 'Bewerbung abschicken' }).click();
    await kuemmerer.locator('main [role="status"]').waitFor();
    expect(await kuemmerer.locator('main').textContent()).toContain('Ihr Stand: Bewerbung wird geprüft');
  });

  it('the coordinator approves the application', async () => {
    await coordinator.goto('/coordinate');
    await expectAccessible(coordinator, '/coordinate');
    expect(await coordinator.locator('main').textContent()).toContain('Maria Lange');
    await coordinator.goto('/coordinate/applications');
    await expectAccessible(coordinator, '/coordinate/applications');
    const card = coordinator.locator('li.application', { hasText: 'Maria Lange' });
    await card.getByRole('button', { name: 'Freigeben' }).click();
    await coordinator.locator('main [role="status"]').waitFor();
    expect(await coordinator.locator('li.application', { hasText: 'Maria Lange' }).textContent()).toContain('Freigegeben');
    await kuemmerer.goto('/kuemmerer');
    expect(await kuemmerer.locator('main').textContent()).toContain('Ihr Stand: Freigegeben');
  });

  it('a newcomer asks for a Kümmerer', async () => {
    await newcomer.goto('/my-kuemmerer');
    await expectAccessible(newcomer, '/my-kuemmerer');
    await newcomer.locator('input[name="topics"][value="paperwork"]').check();
    await newcomer.locator('input[name="languages"][value="ar"]').check();
    await newcomer.locator('#field-note').fill('Brief vom Jobcenter verstehen');
    // Without the consent box the request is refused next to it, and nothing is saved.
    await newcomer.getByRole('button', { name: 'Anfrage senden' }).click();
    await newcomer.locator('#field-consent-error').waitFor();
    await expectAccessible(newcomer, '/my-kuemmerer without consent');
    await newcomer.locator('#field-consent').check();
    await newcomer.getByRole('button', { name: 'Anfrage senden' }).click();
    await newcomer.locator('main [role="status"]').waitFor();
    expect(await newcomer.locator('main').textContent()).toContain('Ihre Anfrage');
  });

  it('the coordinator assigns the top suggestion, with its reason in words', async () => {
    await coordinator.goto('/coordinate/requests');
    await expectAccessible(coordinator, '/coordinate/requests');
    const card = coordinator.locator('li.request', { hasText: 'سمير الأحمد' });
    const top = card.locator('.suggestion--top');
    expect(await top.textContent()).toContain('Maria Lange');
    expect(await top.textContent()).toMatch(/spricht (Deutsch und )?Arabisch · deckt 1 von 1 Themen ab · 0 von 2 Plätzen belegt/);
    // Assigning asks first: both people are told at once.
    await top.getByRole('link', { name: /Zuordnen|Maria Lange/ }).click();
    await coordinator.waitForURL((url) => /^\/coordinate\/requests\/\d+\/assign$/.test(url.pathname));
    expect(await coordinator.locator('h1').textContent()).toBe('Maria Lange als Kümmerer für سمير الأحمد zuordnen?');
    expect(await coordinator.locator('main').textContent()).toContain('Beide bekommen Bescheid');
    await expectAccessible(coordinator, 'the question before assigning');
    await coordinator.getByRole('button', { name: 'Ja, zuordnen' }).click();
    await coordinator.waitForURL((url) => url.pathname === '/coordinate/requests');
    await coordinator.locator('main [role="status"]').waitFor();
    expect(await coordinator.locator('main [role="status"]').textContent()).toContain('Zugeordnet.');
    await coordinator.goto('/coordinate/mentorships');
    await expectAccessible(coordinator, '/coordinate/mentorships');
  });

  it('both sides see each other', async () => {
    await newcomer.goto('/my-kuemmerer');
    const mine = (await newcomer.locator('main').textContent()) ?? '';
    expect(mine).toContain('Ihr Kümmerer: Maria');
    expect(mine).not.toContain('Lange');
    expect(mine).toContain('Telefon 02352 123456');
    await expectAccessible(newcomer, '/my-kuemmerer with a Kümmerer');
    await kuemmerer.goto('/mentees');
    await expectAccessible(kuemmerer, '/mentees');
    expect(await kuemmerer.locator('main').textContent()).toContain('سمير الأحمد');
    await kuemmerer.locator('.mentee h2 a').first().click();
    await kuemmerer.waitForURL((url) => /^\/mentees\/\d+$/.test(url.pathname));
    expect(await kuemmerer.locator('main').textContent()).toContain('Brief vom Jobcenter verstehen');
  });

  it('the Kümmerer logs a meeting; both see it, the private note only the Kümmerer', async () => {
    await expectAccessible(kuemmerer, '/mentees/<id>');
    await kuemmerer.locator('#field-date').fill('2030-03-10');
    await kuemmerer.locator('#field-startTime').fill('15:00');
    await kuemmerer.locator('#field-endTime').fill('16:00');
    await kuemmerer.locator('#field-place').fill('Stadtbibliothek, Lesecafé');
    await kuemmerer.locator('#field-topics input[value="paperwork"]').check();
    await kuemmerer.locator('#field-privateNote').fill('Sorge um die Miete');
    await kuemmerer.getByRole('button', { name: 'Treffen speichern' }).click();
    await kuemmerer.locator('main [role="status"]').waitFor();
    const logged = (await kuemmerer.locator('.meeting-list').textContent()) ?? '';
    expect(logged).toContain('Stadtbibliothek, Lesecafé');
    expect(logged).toContain('Sorge um die Miete');
    expect(logged).toMatch(/15:00\s*[–-]\s*16:00/);
    await newcomer.goto('/my-kuemmerer');
    const seen = (await newcomer.locator('main').textContent()) ?? '';
    expect(seen).toContain('Stadtbibliothek, Lesecafé');
    expect(seen).toMatch(/15:00\s*[–-]\s*16:00/);
    expect(seen).not.toContain('Miete');
  });
});

describe('on a 375 px phone, in German and Arabic', () => {
  it('no mentoring page overflows sideways', async () => {
    const checks: Array<[Page, string]> = [
      [kuemmerer, '/kuemmerer'],
      [kuemmerer, '/mentees'],
      [kuemmerer, '/ar/mentees'],
      [newcomer, '/my-kuemmerer'],
      [newcomer, '/ar/my-kuemmerer'],
      [coordinator, '/coordinate'],
      [coordinator, '/coordinate/applications'],
      [coordinator, '/coordinate/requests'],
      [coordinator, '/coordinate/mentorships'],
      [coordinator, '/ar/coordinate/mentorships'],
      [coordinator, '/coordinate/new-request'],
    ];
    for (const [page, url] of checks) {
      await page.setViewportSize({ width: 375, height: 800 });
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(375);
    }
    const first = kuemmerer.locator('.mentee h2 a').first();
    await kuemmerer.goto('/mentees');
    await first.click();
    await kuemmerer.waitForURL((url) => /^\/mentees\/\d+$/.test(url.pathname));
    expect(await kuemmerer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    for (const page of [kuemmerer, newcomer, coordinator]) await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('the claim-code journey in Arabic', () => {
  let code = '';

  it('the coordinator registers a person without account; the sheet is Arabic, right to left', async () => {
    await coordinator.goto('/coordinate/new-request');
    await expectAccessible(coordinator, '/coordinate/new-request');
    await coordinator.locator('#field-name').fill('ليلى حسن');
    await coordinator.locator('#field-locale').selectOption('ar');
    await coordinator.locator('input[name="topics"][value="german"]').check();
    await coordinator.locator('input[name="languages"][value="ar"]').check();
    await coordinator.locator('#field-contactPreference').selectOption('coordinator');
    await coordinator.locator('#field-paperConsent').check();
    await coordinator.getByRole('button', { name: 'Anfrage eintragen und Code erzeugen' }).click();
    await coordinator.waitForURL((url) => /^\/coordinate\/claim-sheet\/\d+$/.test(url.pathname));
    const sheet = coordinator.locator('article.claim-sheet');
    expect(await sheet.getAttribute('lang')).toBe('ar');
    expect(await sheet.getAttribute('dir')).toBe('rtl');
    // The name is put into the Arabic sentence as its own isolate (U+2068 … U+2069).
    expect(await sheet.textContent()).toContain('أهلًا وسهلًا يا \u2068ليلى حسن\u2069!');
    const codeElement = sheet.locator('.claim-code');
    expect(await codeElement.getAttribute('dir')).toBe('ltr');
    code = ((await codeElement.textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await codeElement.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono/i);
    expect(await sheet.textContent()).toContain('/ar/claim');
    await expectAccessible(coordinator, 'claim sheet');
  });

  it('a fresh browser redeems the code at /ar/claim, chooses a password and sees the request', async () => {
    const context = await newContext(browser, inject('baseUrl'), { bypassCSP: true, locale: 'ar' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/ar/claim');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await expectAccessible(page, '/ar/claim');
    await page.locator('#field-code').fill(code.toLowerCase());
    await page.locator('main form button[type="submit"]').click();
    // Second step: greeted by name, with the sign-in name from the sheet.
    await page.locator('#field-signInName').waitFor();
    expect(await page.locator('main').textContent()).toContain('ليلى حسن');
    expect(await page.locator('#field-signInName').inputValue()).toBe('ليلى');
    await expectAccessible(page, '/ar/claim, second step');
    await page.locator('#field-password').fill('شجرة الزيتون في الحديقة');
    await page.locator('main form.stack button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/ar/my-kuemmerer');
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('أهلًا بك! تم إنشاء دخولك.');
    expect(main).toContain('طلبك');
    expect(main).toContain('تعلّم اللغة الألمانية');
    await expectAccessible(page, '/ar/my-kuemmerer after claiming');
  });

  it('the code fails a second time', async () => {
    const context = await newContext(browser, inject('baseUrl'), { locale: 'ar' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/ar/claim');
    await page.locator('#field-code').fill(code);
    await page.locator('main form button[type="submit"]').click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('#field-code-error').textContent()).toContain('هذا الرمز لا يعمل');
    expect(page.url()).toContain('/ar/claim');
  });
});
