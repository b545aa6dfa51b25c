// Text people wrote is shown in an isolate, so that it cannot turn the page's own words around.
// The portal now drops bidi overrides from what is typed, but rows written before (or by a
// tool) may still hold one: a demo town whose every name, title, place and note ends in a
// right-to-left override (U+202E) is shown to each role, in German and Arabic, and each such
// text must sit alone in its isolate (<bdi>, an element with dir) or its own block — never
// run on into the page's words or another person's text.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loadDemoTown } from '../../src/features/demo/demo-town.ts';
import { startPortal, type Portal } from '../helpers/portal.ts';
import { launchBrowser, newContext } from './browser.ts';

const OVERRIDE = '\u202E';
const MARK = ` ${OVERRIDE}evil`;
const PASSWORD = 'ankommen-demo';

/** Every column a person writes and another reads. */
const WRITTEN: Record<string, string[]> = {
  app_user: ['display_name'],
  organisation: ['name', 'description'],
  activity: ['title', 'description', 'place_name', 'address', 'contact_name', 'cost', 'cancel_reason'],
  rsvp: ['note', 'walk_in_name'],
  volunteer_role: ['name', 'what_to_bring'],
  volunteer_profile: ['availability'],
  kuemmerer: ['note', 'contact_details', 'decision_message'],
  mentoring_request: ['note', 'contact_detail'],
  mentorship: ['end_reason'],
  mentoring_meeting: ['place', 'private_note'],
  volunteer_hours: ['description', 'place'],
};

let dir: string;
let portal: Portal;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ankommen-bidi-'));
  const handle = await openDatabase({ dataDir: path.join(dir, 'pglite') });
  await migrateToLatest(handle.db);
  await loadDemoTown(handle.db, { now: new Date(), timeZone: 'Europe/Berlin' });
  for (const [table, columns] of Object.entries(WRITTEN)) {
    for (const column of columns) {
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} || ${MARK} where ${sql.ref(column)} is not null and ${sql.ref(column)} <> ''`.execute(handle.db);
    }
  }
  // Two more volunteers on one role, so that the resident sees a list of fellow volunteers' names.
  const role = await handle.db.selectFrom('volunteer_role').select('id').orderBy('id').executeTakeFirstOrThrow();
  const people = await handle.db.selectFrom('app_user').select(['id', 'email']).where('email', 'in', ['resident@example.org', 'newcomer-uk@example.org', 'mentor-tr@example.org']).execute();
  for (const person of people) {
    // Fellow volunteers are shown by first name: the override goes into it.
    await handle.db.updateTable('app_user').set({ display_name: `${OVERRIDE}evil ${person.email}` }).where('id', '=', person.id).execute();
    await handle.db.insertInto('volunteer_signup').values({ role_id: role.id, user_id: person.id, status: 'active' }).onConflict((oc) => oc.doNothing()).execute();
  }
  await handle.close();
  portal = await startPortal({ DATA_DIR: path.join(dir, 'pglite'), DEMO_TOWN: 'auto', TRUST_PROXY: 'true' });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Each text node with an override whose isolate (or block) holds more than that one text. */
function leaks(page: Page): Promise<string[]> {
  return page.evaluate((override) => {
    const isolating = (el: Element) => el.tagName === 'BDI' || (el.hasAttribute('dir') && el !== document.documentElement);
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.nodeValue?.includes(override)) continue;
      // Inside a sentence the island writes, the name is isolated by U+2068 … U+2069 around it
      // (door-text.ts): an isolate as good as <bdi>, when it closes after the override.
      const at = node.nodeValue.indexOf(override);
      const opened = node.nodeValue.lastIndexOf('\u2068', at);
      if (opened !== -1 && node.nodeValue.lastIndexOf('\u2069', at) < opened && node.nodeValue.indexOf('\u2069', at) !== -1) continue;
      let container = node.parentElement!;
      if (container.closest('textarea, option, script, style, title')) continue;
      while (container !== document.body && !isolating(container) && getComputedStyle(container).display === 'inline') container = container.parentElement!;
      const text = (container.textContent ?? '').trim();
      // An isolate holding one person's text is fine whatever follows the override in it; a
      // block is fine only when nothing of the page follows (the marker ends each value).
      const alone = text.split(override).length === 2 && (isolating(container) || text.endsWith('evil'));
      if (!alone) found.push(`<${container.tagName.toLowerCase()} class="${container.className}">${text.slice(0, 160)}`);
    }
    return found;
  }, OVERRIDE);
}

async function signedIn(email: string | null): Promise<Page> {
  const context = await newContext(browser, portal.url);
  const page = await context.newPage();
  if (email) {
    await page.goto('/sign-in');
    await page.locator('#field-login').fill(email);
    await page.locator('#field-password').fill(PASSWORD);
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/');
  }
  return page;
}

/** The first link on a page whose address matches, as a path. */
async function firstLink(page: Page, pattern: RegExp): Promise<string | null> {
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.find((href) => pattern.test(href)) ?? null;
}

async function expectIsolated(page: Page, paths: string[]): Promise<void> {
  const found: string[] = [];
  for (const base of paths) {
    for (const prefix of ['', '/ar']) {
      const where = `${prefix}${base}`;
      const response = await page.goto(where === '/ar/' ? '/ar' : where);
      expect(response?.status(), where).toBeLessThan(400);
      for (const leak of await leaks(page)) found.push(`${where}: ${leak}`);
    }
  }
  expect(found).toEqual([]);
}

describe('text people wrote', () => {
  it('is isolated on the public pages', async () => {
    const page = await signedIn(null);
    await page.goto('/activities');
    const activity = await firstLink(page, /^\/activities\/\d+/);
    await page.goto('/help-wanted');
    const withRole = await firstLink(page, /^\/activities\/\d+/);
    await expectIsolated(page, ['/', '/activities', activity!, withRole!, '/help-wanted', '/kuemmerer']);
  });

  it('is isolated on the pages of residents, volunteers and newcomers', async () => {
    for (const email of ['resident@example.org', 'newcomer-ar@example.org', 'newcomer-uk@example.org', 'mentor@example.org']) {
      const page = await signedIn(email);
      await expectIsolated(page, ['/my-activities', '/my-shifts', '/account', '/my-kuemmerer', '/kuemmerer']);
      await page.context().close();
    }
    const resident = await signedIn('resident@example.org');
    // Hours: what and where of each entry, the organisations' names, and on the certificate.
    await expectIsolated(resident, ['/my-hours', '/my-hours/certificate?organisation=stellwerk']);
    for (const where of ['/my-hours', '/my-hours/certificate?organisation=stellwerk']) {
      await resident.goto(where);
      expect((await resident.locator('main').textContent())?.split(OVERRIDE).length, `${where} shows what people wrote`).toBeGreaterThan(3);
    }
    await resident.goto('/my-shifts');
    const shift = await firstLink(resident, /^\/activities\/\d+/);
    await expectIsolated(resident, [shift!]);
    await resident.goto(shift!);
    // Two fellow volunteers' names and the role's name (in the withdraw link, for screen readers).
    expect((await resident.locator('.volunteer-role__mine').first().textContent())?.split(OVERRIDE)).toHaveLength(4);
    const mentor = await signedIn('mentor@example.org');
    await mentor.goto('/mentees');
    const mentee = await firstLink(mentor, /^\/mentees\/\d+/);
    await expectIsolated(mentor, ['/mentees', mentee!]);
  });

  it('is isolated on the organisers’ and coordinators’ pages', async () => {
    const organiser = await signedIn('organiser@example.org');
    await organiser.goto('/organise');
    const managed = await firstLink(organiser, /^\/organise\/\d+$/);
    await expectIsolated(organiser, ['/organise', managed!, `${managed}/attendees`, `${managed}/roles`, '/organise/organisation/stellwerk/hours']);
    const coordinator = await signedIn('coordinator@example.org');
    await expectIsolated(coordinator, ['/coordinate', '/coordinate/applications', '/coordinate/requests', '/coordinate/mentorships', '/coordinate/hours']);
    const admin = await signedIn('admin@example.org');
    await admin.goto('/admin');
    const organisation = await firstLink(admin, /^\/admin\/organisations\//);
    await expectIsolated(admin, ['/admin', organisation!]);
  });
});
