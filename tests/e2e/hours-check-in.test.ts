// Checking a volunteer in, in the demo town, on a phone: Stellwerk's
// organiser puts up an activity starting in 40 minutes with a task, the resident signs up for
// it, and at the door the organiser checks him in on the roles page, sees him marked "was
// there", and finds him under "Helpers" on the door page. axe on both pages, and on both in
// Arabic (right to left).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

/** Berlin's wall-clock date and time `minutes` from now, as the activity form takes them. */
function berlinIn(minutes: number): { date: string; time: string } {
  const at = new Date(Date.now() + minutes * 60_000);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

const TITLE = `Stühle stellen ${Date.now().toString(36)}`;
let browser: Browser;
let organiser: BrowserContext;
let resident: BrowserContext;
let phone: Page;
let activityId: string;

async function expectNoAxeFindings(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, describeViolations(where, violations)).toEqual([]);
}

/** Whether the page fits the phone's width (nothing to scroll sideways). */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  browser = await launchBrowser();
  // The portal's Content-Security-Policy rightly blocks the injected axe script.
  // JavaScript on for axe; the check-in forms are plain forms either way (the HTTP test posts
  // them as a browser without JavaScript would).
  organiser = await newContext(browser, inject('baseUrl'), { bypassCSP: true, viewport: { width: 360, height: 780 } });
  resident = await newContext(browser, inject('baseUrl'), { javaScriptEnabled: false });
  phone = await organiser.newPage();
});
afterAll(async () => {
  await organiser?.close();
  await resident?.close();
  await browser?.close();
});

describe('the organiser checks a volunteer in at the door, on a phone', () => {
  it('an activity in 40 minutes with a task, and the resident signs up', async () => {
    await signIn(phone, 'organiser@example.org');
    const start = berlinIn(40);
    const end = berlinIn(160);
    await phone.goto('/organise/new?organisation=1');
    await phone.locator('#field-title').fill(TITLE);
    await phone.locator('#field-category').selectOption('leisure');
    await phone.locator('#field-date').fill(start.date);
    await phone.locator('#field-startTime').fill(start.time);
    await phone.locator('#field-endTime').fill(end.date === start.date ? end.time : '23:59');
    await phone.locator('#field-placeName').fill('Stellwerk');
    await phone.locator('main form button[type="submit"]').click();
    await phone.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    activityId = /\/organise\/(\d+)/.exec(new URL(phone.url()).pathname)![1]!;

    await phone.goto(`/organise/${activityId}/roles`);
    const add = phone.locator('section[aria-labelledby="add-role-title"]');
    await add.locator('input[name="name"]').fill('Stühle tragen');
    await add.locator('input[name="peopleNeeded"]').fill('2');
    await add.locator('button[type="submit"]').click();
    await expect.poll(() => phone.locator('main').innerText()).toContain('Stühle tragen');

    const page = await resident.newPage();
    await signIn(page, 'resident@example.org');
    await page.goto(`/activities/${activityId}`);
    await page.getByRole('button', { name: /Ich helfe mit/ }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Stühle tragen');
  });

  it('on the roles page: one tap, and he is marked as there', async () => {
    await phone.goto(`/organise/${activityId}/roles`);
    await expectNoAxeFindings(phone, 'roles page before check-in (phone)');
    await phone.getByRole('button', { name: 'Klaus Hoffmann einchecken' }).click();
    expect(new URL(phone.url()).hash).toMatch(/^#volunteer-\d+$/);
    const block = phone.locator(new URL(phone.url()).hash);
    await expect.poll(() => block.innerText()).toContain('War da');
    expect(await block.innerText()).toContain('Klaus Hoffmann ist eingecheckt.');
    expect(await block.getByRole('button', { name: 'Check-in von Klaus Hoffmann rückgängig machen' }).count()).toBe(1);
    expect(await fitsWidth(phone)).toBe(true);
    await expectNoAxeFindings(phone, 'roles page after check-in (phone)');
  });

  it('the door page lists him under "Helpers", checked in', async () => {
    await phone.goto(`/organise/${activityId}/attendees`);
    const helpers = phone.locator('#helpers');
    expect(await helpers.locator('h2').innerText()).toBe('Helfende');
    expect(await helpers.innerText()).toContain('Klaus Hoffmann');
    expect(await helpers.innerText()).toContain('War da');
    expect(await fitsWidth(phone)).toBe(true);
    await expectNoAxeFindings(phone, 'door page with helpers (phone)');
  });

  it('both pages pass axe in Arabic, right to left', async () => {
    for (const path of [`/ar/organise/${activityId}/roles`, `/ar/organise/${activityId}/attendees`]) {
      await phone.goto(path);
      expect(await phone.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await phone.locator('main').innerText()).toContain('كان حاضرًا');
      expect(await fitsWidth(phone)).toBe(true);
      await expectNoAxeFindings(phone, `${path} (phone)`);
    }
  });
});
