// An organiser at a phone-sized screen: the signed-in header, the dashboard and the activity
// form fit 375 px without sideways scrolling and pass axe; creating and publishing works.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../helpers/portal.ts';
import { launchBrowser, newContext } from './browser.ts';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser, inject('baseUrl'), { viewport: { width: 375, height: 800 }, bypassCSP: true });
  page = await context.newPage();
  await page.goto('/sign-in');
  // The demo town's organiser of Stellwerk and the sports club.
  await page.locator('#field-login').fill('organiser@example.org');
  await page.locator('#field-password').fill('ankommen-demo');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function seriousViolations(): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } };
    const result = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(' | ')}`);
}

describe('organiser pages at 375 px', () => {
  it.each(['/organise', '/organise/new?organisation=1', '/ar/organise/new?organisation=1'])('%s fits and passes axe', async (url) => {
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations()).toEqual([]);
  });

  it('creates a draft and publishes it', async () => {
    await page.goto('/organise/new?organisation=1');
    await page.locator('#field-title').fill('Spieleabend für alle');
    await page.locator('#field-category').selectOption('leisure');
    await page.locator('#field-date').fill('2031-02-03');
    await page.locator('#field-startTime').fill('18:00');
    await page.locator('#field-endTime').fill('21:00');
    await page.locator('#field-placeName').fill('Stellwerk');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((url) => /^\/organise\/\d+$/.test(url.pathname));
    await page.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator('main [role="status"]').textContent()).toContain('Das Angebot ist veröffentlicht.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations()).toEqual([]);
  });

  it('checks a guest in with one tap, without reloading the page', async () => {
    // The organiser signs up for the demo town's first activity, then runs its door.
    await page.goto('/activities/1');
    await page.locator('#field-partySize').selectOption('2');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState();
    await page.goto('/organise/1/attendees');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations()).toEqual([]);
    // Wait for the island to take over the form, then tap.
    await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
    let navigated = false;
    page.once('framenavigated', () => {
      navigated = true;
    });
    const row = page.locator('li.attendee').first();
    await row.getByRole('button', { name: /einchecken/ }).click();
    await row.getByRole('button', { name: /rückgängig/ }).waitFor();
    expect(await row.locator('.door-state').textContent()).toBe('Eingecheckt: 2 von 2 Personen');
    expect(navigated).toBe(false);
    // And it was saved: after a reload the guest is still checked in.
    await page.reload();
    expect(await page.locator('li.attendee').first().textContent()).toContain('Rückgängig');
  });
});
