// Helping hands in the demo town: the organiser adds a role to one of her coming activities,
// a resident finds it on /help-wanted, signs up and sees it under "My shifts", and the
// organiser sees filled / needed. axe on the three new pages; the Arabic page is right-to-left
// and fits a 375 px phone.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

const ROLE_NAME = `Aufbau und Abbau ${Date.now().toString(36)}`;

let browser: Browser;
let organiser: BrowserContext;
let resident: BrowserContext;
let rolesPath = '';

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.locator('#field-login').fill(email);
  await page.locator('#field-password').fill('ankommen-demo');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

beforeAll(async () => {
  browser = await launchBrowser();
  // The portal's Content-Security-Policy rightly blocks the injected axe script.
  organiser = await newContext(browser, inject('baseUrl'), { bypassCSP: true });
  resident = await newContext(browser, inject('baseUrl'), { bypassCSP: true, viewport: { width: 375, height: 800 } });
});
afterAll(async () => {
  // Leave the demo town as it was for the files that follow.
  if (rolesPath) {
    const page = await organiser.newPage();
    await page.goto(rolesPath);
    const role = page.locator('li.volunteer-role', { hasText: ROLE_NAME });
    if ((await role.count()) > 0) {
      await role.locator('summary', { hasText: 'Aufgabe entfernen' }).click();
      await role.getByRole('button', { name: /Ja, diese Aufgabe entfernen/ }).click();
      await page.waitForLoadState();
    }
  }
  await organiser?.close();
  await resident?.close();
  await browser?.close();
});

describe('a resident signs up for a shift from /help-wanted', () => {
  let organiserPage: Page;
  let residentPage: Page;

  it('the organiser adds a role to her last coming published activity', async () => {
    organiserPage = await signIn(organiser, 'organiser@example.org');
    await organiserPage.goto('/organise');
    const published = organiserPage.locator('li.organise-activity', { hasText: 'Veröffentlicht' });
    expect(await published.count()).toBeGreaterThan(0);
    // The last one in the list starts latest: its shift is surely still ahead.
    const href = await published.last().locator('h3 a').getAttribute('href');
    expect(href).toMatch(/^\/organise\/\d+$/);
    await organiserPage.goto(href!);
    await organiserPage.getByRole('link', { name: 'Helfer-Aufgaben verwalten' }).click();
    await organiserPage.waitForURL((url) => /^\/organise\/\d+\/roles$/.test(url.pathname));
    rolesPath = new URL(organiserPage.url()).pathname;

    const form = organiserPage.locator('#add-role-title + * form, section[aria-labelledby="add-role-title"] form').first();
    await form.locator('input[name="name"]').fill(ROLE_NAME);
    await form.locator('input[name="peopleNeeded"]').fill('2');
    await form.locator('textarea[name="whatToBring"]').fill('Feste Schuhe');
    await form.locator('input[name="skills"][value="setup"]').check();
    await form.locator('input[name="languages"][value="ar"]').check();
    await form.getByRole('button', { name: 'Aufgabe anlegen' }).click();
    await organiserPage.waitForLoadState();
    expect(await organiserPage.locator('main [role="status"]').textContent()).toContain('Aufgabe angelegt');
    expect(await organiserPage.locator('li.volunteer-role', { hasText: ROLE_NAME }).textContent()).toContain('0 von 2 besetzt');
    expect(await axeFindings(organiserPage)).toEqual([]);
  });

  it('the resident finds it on /help-wanted, signs up and sees it under "My shifts"', async () => {
    residentPage = await signIn(resident, 'resident@example.org');
    await residentPage.goto('/help-wanted?skill=setup');
    expect(await axeFindings(residentPage)).toEqual([]);
    const card = residentPage.locator('article.volunteer-role', { hasText: ROLE_NAME });
    expect(await card.textContent()).toContain('Feste Schuhe');
    await card.getByRole('button', { name: /Ich helfe mit/ }).click();
    await residentPage.waitForLoadState();
    expect(await residentPage.locator('main [role="status"]').first().textContent()).toContain('Danke! Sie sind eingetragen.');

    await residentPage.goto('/my-shifts');
    const shift = residentPage.locator('li.my-shift', { hasText: ROLE_NAME });
    expect(await shift.count()).toBe(1);
    expect(await shift.getByRole('link', { name: /Austragen/ }).count()).toBe(1);
    expect(await axeFindings(residentPage)).toEqual([]);
    expect(await residentPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('the organiser sees 1 of 2 filled, and who signed up', async () => {
    await organiserPage.goto(rolesPath);
    const role = organiserPage.locator('li.volunteer-role', { hasText: ROLE_NAME });
    const text = (await role.textContent()) ?? '';
    expect(text).toContain('1 von 2 besetzt');
    expect(text).toContain('resident@example.org');
    await organiserPage.goto('/organise');
    expect(await organiserPage.locator('main').textContent()).toContain(`${ROLE_NAME} 1/2`);
  });

  it('in Arabic, /help-wanted is right-to-left and fits a 375 px phone', async () => {
    await residentPage.goto('/ar/help-wanted');
    expect(await residentPage.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await residentPage.locator('html').getAttribute('lang')).toBe('ar');
    expect(await residentPage.locator('h1').textContent()).toContain('مطلوب متطوعون');
    // Both filter forms open: the shifts' and the help requests'.
    for (const summary of await residentPage.locator('details.filters > summary').all()) await summary.click();
    expect(await residentPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await residentPage.goto('/ar/my-shifts');
    expect(await residentPage.locator('main').textContent()).toContain(ROLE_NAME);
    expect(await residentPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('withdrawing from help wanted asks first, keeps the filters and leaves the shift under "withdrawn"', async () => {
    await residentPage.goto('/help-wanted?skill=setup');
    const card = residentPage.locator('article.volunteer-role', { hasText: ROLE_NAME });
    await card.getByRole('link', { name: /Austragen/ }).click();
    await residentPage.waitForURL((url) => /^\/my-shifts\/\d+\/withdraw$/.test(url.pathname));
    const question = (await residentPage.locator('h1').textContent()) ?? '';
    expect(question).toMatch(new RegExp(`^Aus „${ROLE_NAME}“ bei „.+“ am .+ austragen\\?$`));
    expect(await residentPage.locator('main').textContent()).toContain('Dann sind nur noch 0 von 2 Plätzen besetzt');
    expect(await axeFindings(residentPage)).toEqual([]);
    // "No" changes nothing and goes back to the filtered list.
    await residentPage.getByRole('link', { name: 'Nein, dabei bleiben' }).click();
    await residentPage.waitForURL((url) => url.pathname === '/help-wanted' && url.searchParams.get('skill') === 'setup');
    expect(await card.getByRole('link', { name: /Austragen/ }).count()).toBe(1);
    // "Yes" withdraws and comes back to the same filtered list.
    await card.getByRole('link', { name: /Austragen/ }).click();
    await residentPage.getByRole('button', { name: 'Ja, austragen' }).click();
    await residentPage.waitForURL((url) => url.pathname === '/help-wanted' && url.searchParams.get('skill') === 'setup');
    expect(await residentPage.locator('main [role="status"]').first().textContent()).toContain('Sie haben sich ausgetragen.');
    await residentPage.goto('/my-shifts');
    expect(await residentPage.locator('#withdrawn-title + ul').textContent()).toContain(ROLE_NAME);
  });
});
