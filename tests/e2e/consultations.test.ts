// Consultation hours in the demo town, with JavaScript off: Stellwerk's organiser publishes an
// hour (German and Arabic spoken there), a newcomer reading the portal in Persian books a slot
// in Dari (fa) and is told an interpreter is being looked for, a volunteer takes the
// interpreting request on /help-wanted, the booking then names the interpreter, and the office
// checks her in from the day list on a phone. axe on the list, the booking page and the day list.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

/** Three weeks ahead, within the public list's eight weeks. */
const DAY = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
const HOURS_PAGE = '/organise/organisation/stellwerk/consultation-hours';
const PLACE = `Stellwerk, Beratungsraum ${Date.now().toString(36)}`;

let browser: Browser;
let office: BrowserContext;
let newcomer: BrowserContext;
let volunteer: BrowserContext;
let officePage: Page;
let newcomerPage: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // The portal's Content-Security-Policy rightly blocks the injected axe script.
  office = await newContext(browser, inject('baseUrl'), { bypassCSP: true, javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  newcomer = await newContext(browser, inject('baseUrl'), { bypassCSP: true, javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  volunteer = await newContext(browser, inject('baseUrl'), { javaScriptEnabled: false });
  officePage = await office.newPage();
  newcomerPage = await newcomer.newPage();
});
afterAll(async () => {
  await office?.close();
  await newcomer?.close();
  await volunteer?.close();
  await browser?.close();
});

describe('a slot booked in Dari, and the office checks the newcomer in', () => {
  it('the organiser publishes a consultation hour', async () => {
    await signIn(officePage, 'organiser@example.org');
    await officePage.goto(HOURS_PAGE);
    await officePage.locator('#field-date').fill(DAY);
    await officePage.locator('#field-startTime').fill('09:00');
    await officePage.locator('#field-endTime').fill('10:00');
    await officePage.locator('#field-place').fill(PLACE);
    for (const topic of ['housing', 'residence']) await officePage.locator(`input[name="topics"][value="${topic}"]`).check();
    for (const language of ['de', 'ar']) await officePage.locator(`input[name="languages"][value="${language}"]`).check();
    await officePage.getByRole('button', { name: 'Sprechstunde veröffentlichen' }).click();
    await expect.poll(() => officePage.locator('[role="status"]').innerText()).toContain('Die Sprechstunde ist veröffentlicht.');
  });

  it('the newcomer, in Persian, sees that nobody there speaks Dari and books anyway', async () => {
    await signIn(newcomerPage, 'newcomer-ar@example.org', { prefix: '/fa' });
    await newcomerPage.goto('/fa/consultations?language=fa');
    expect(await newcomerPage.locator('html').getAttribute('dir')).toBe('rtl');
    const hour = newcomerPage.locator('li.card', { hasText: PLACE });
    await expect.poll(() => hour.innerText()).toContain('مترجم لازم است');
    await hour.locator('a.button').first().click();
    // The slot's own booking page (src/pages/[...locale]/consultations/slots/[id].astro), in Persian.
    expect(new URL(newcomerPage.url()).pathname).toMatch(/^\/fa\/consultations\/slots\/\d+$/);
    expect(await newcomerPage.locator('#field-language').inputValue()).toBe('fa');
    await newcomerPage.locator('#field-topic').selectOption('residence');
    await newcomerPage.locator('#field-note').fill('تمدید اقامت');
    await newcomerPage.getByRole('button', { name: 'رزرو وقت' }).click();
    await newcomerPage.waitForURL((url) => url.pathname === '/fa/consultations');
    expect(await newcomerPage.locator('[role="status"]').innerText()).toContain('مترجم لازم است');
    const mine = newcomerPage.locator('section[aria-labelledby="mine-title"] li.card', { hasText: PLACE });
    expect(await mine.innerText()).toContain('ادارات و اقامت');
    expect(await mine.locator('.interpreter-state').innerText()).toContain('در حال پیدا کردن مترجم هستیم.');
  });

  it('a volunteer finds the interpreting request on /help-wanted (no note there) and takes it', async () => {
    const page = await volunteer.newPage();
    await signIn(page, 'resident@example.org');
    await page.goto('/help-wanted');
    const card = page.locator('li.help-request', { hasText: PLACE });
    expect(await card.innerText()).toContain('Dolmetschen');
    expect(await page.locator('main').innerText()).not.toContain('تمدید اقامت');
    await card.getByRole('button', { name: 'Ich übernehme das' }).click();
    await page.waitForURL((url) => /^\/help-requests\/\d+$/.test(url.pathname));
    const detail = await page.locator('main').innerText();
    expect(detail).toContain('Sie haben die Anfrage übernommen.');
    expect(detail).toContain(PLACE);
  });

  it('the newcomer’s booking now names the interpreter, on her list and on the slot’s page', async () => {
    await newcomerPage.goto('/fa/consultations');
    const mine = newcomerPage.locator('section[aria-labelledby="mine-title"] li.card', { hasText: PLACE });
    expect(await mine.locator('.interpreter-state').innerText()).toContain('مترجم پیدا شد: Klaus');
    await mine.locator('h3 a').click();
    await newcomerPage.waitForURL((url) => /^\/fa\/consultations\/slots\/\d+$/.test(url.pathname));
    expect(await newcomerPage.locator('section[aria-labelledby="mine-title"] .interpreter-state').innerText()).toContain('مترجم پیدا شد: Klaus');
  });

  it('the office sees the booking on its day list and checks her in', async () => {
    await officePage.goto(`${HOURS_PAGE}/day?date=${DAY}`);
    const booking = officePage.locator('li.card', { hasText: 'سمير الأحمد' });
    const text = await booking.innerText();
    expect(text).toContain('Behörden und Aufenthalt');
    expect(text).toContain('Dolmetscher gefunden: Klaus');
    expect(text).toContain('تمدید اقامت');
    await booking.getByRole('button', { name: /Ist da/ }).click();
    await expect.poll(() => officePage.locator('[role="status"]').innerText()).toContain('Eingecheckt.');
    expect(await officePage.locator('li.card', { hasText: 'سمير الأحمد' }).locator('.notice--success').last().innerText()).toContain('Ist da');
    expect(await officePage.locator('li.card', { hasText: 'سمير الأحمد' }).locator('button').count()).toBe(0);
  });
});

describe('a Kümmerer books for his mentee, without JavaScript', () => {
  it('Hans books a slot at the Integration Office for Olena; it is hers and he sees it among those he booked', async () => {
    const context = await newContext(browser, inject('baseUrl'), { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await signIn(page, 'mentor@example.org');
      await page.goto('/consultations');
      const hour = page.locator('li.card', { hasText: 'Integrationsbüro, Raum 104' }).nth(1);
      await hour.locator('a.button').first().click();
      await page.waitForURL((url) => /^\/consultations\/slots\/\d+$/.test(url.pathname));
      await page.locator('#field-forUserId').selectOption({ label: 'Олена Коваленко' });
      await page.locator('#field-topic').selectOption('work');
      await page.locator('#field-language').selectOption('uk');
      await page.getByRole('button', { name: 'Termin buchen' }).click();
      await page.waitForURL((url) => url.pathname === '/consultations');
      expect(await page.locator('[role="status"]').innerText()).toContain('Die Person bekommt eine Bestätigung in ihrer Sprache.');
      const others = await page.locator('section[aria-labelledby="others-title"]').innerText();
      expect(others).toContain('Олена Коваленко');
      expect(others).toContain('Arbeit und Jobcenter');
    } finally {
      await context.close();
    }
  });
});

describe('the office on the day: a walk-in, and an hour cancelled', () => {
  it('adds a walk-in to the queue and checks her in, then cancels next week’s hour', async () => {
    await officePage.goto(`${HOURS_PAGE}/day?date=${DAY}`);
    await officePage.locator('#field-name').fill('Leyla Walk-in');
    await officePage.locator('#field-topic').selectOption('housing');
    await officePage.locator('#field-language').selectOption('tr');
    await officePage.getByRole('button', { name: 'In die Warteschlange' }).click();
    await expect.poll(() => officePage.locator('[role="status"]').innerText()).toContain('Aufgenommen');
    const walkIn = officePage.locator('section[aria-labelledby="walk-ins-title"] li.card', { hasText: 'Leyla Walk-in' });
    await walkIn.getByRole('button', { name: /Ist da/ }).click();
    await expect.poll(() => officePage.locator('section[aria-labelledby="walk-ins-title"] li.card', { hasText: 'Leyla Walk-in' }).locator('.notice--success').innerText()).toContain('Ist da');

    // Stellwerk's demo hour next Thursday: cancelled from its own page; it leaves the public list.
    await officePage.goto(HOURS_PAGE);
    const change = officePage.locator('li.card', { hasText: 'Stellwerk, Beratungsraum, Lennestraße 12' }).first().getByRole('link', { name: 'Ändern oder absagen' });
    const hourPath = (await change.getAttribute('href'))!;
    await change.click();
    await officePage.waitForURL((url) => url.pathname === hourPath);
    await officePage.getByRole('button', { name: 'Sprechstunde absagen' }).click();
    await officePage.waitForURL((url) => url.pathname === HOURS_PAGE);
    expect(await officePage.locator('[role="status"]').innerText()).toContain('Die Sprechstunde ist abgesagt.');
    expect(await officePage.locator(`a[href="${hourPath}"]`).count()).toBe(0);
  });
});

describe('axe-core finds no moderate, serious or critical problems', () => {
  it('on the Persian list and booking page, and on the day list with a booking', async () => {
    // axe runs as a script, so these pages are opened with JavaScript on.
    const reader = await newContext(browser, inject('baseUrl'), { bypassCSP: true });
    try {
      const page = await reader.newPage();
      await signIn(page, 'newcomer-ar@example.org', { prefix: '/fa' });
      await page.goto('/fa/consultations?language=fa');
      expect(await axeFindings(page)).toEqual([]);
      const slot = await page.locator('li.card', { hasText: PLACE }).locator('a.button').first().getAttribute('href');
      await page.goto(slot!);
      expect(await axeFindings(page)).toEqual([]);
      const staff = await reader.newPage();
      await staff.context().clearCookies();
      await signIn(staff, 'organiser@example.org');
      await staff.goto(`${HOURS_PAGE}/day?date=${DAY}`);
      expect(await axeFindings(staff)).toEqual([]);
      // The page to change or cancel an hour, in German and in Arabic.
      await staff.goto(HOURS_PAGE);
      const hourPath = await staff.locator('a', { hasText: 'Ändern oder absagen' }).first().getAttribute('href');
      await staff.goto(hourPath!);
      expect(await axeFindings(staff)).toEqual([]);
      await staff.goto(`/ar${hourPath}`);
      expect(await axeFindings(staff)).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
