// The door on a 375 px phone, with and without JavaScript, on a long list (40 walk-ins ahead of
// the people who signed up): a tap updates the counter, keeps the keyboard focus in the row and
// is announced; a partial party and a no-show are states of their own; an outage (503) or a
// change made meanwhile (409) leaves a message in the row; without JavaScript the page comes
// back at the row. Then the organiser's attendance chart: today's check-ins count in this
// month, and its twelve month labels do not overlap at 375 px in German, Arabic, Persian and
// Ukrainian.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeFindings } from './axe.ts';
import { launchBrowser, newContext } from './browser.ts';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;
const PHONE = { width: 375, height: 800 };
const WALK_INS = 40;
/** Demo accounts that sign up, with their party sizes. */
const GUESTS = [
  ['resident@example.org', 'Klaus Hoffmann', 3],
  ['mentor@example.org', 'Hans Berger', 2],
  ['kuemmerer@example.org', 'Maria Lange', 1],
  ['newcomer-uk@example.org', 'Олена Коваленко', 1],
  ['admin@example.org', 'Admin Demo', 1],
] as const;
const REGISTERED = WALK_INS + GUESTS.reduce((sum, [, , party]) => sum + party, 0);

let browser: Browser;
let organiserContext: BrowserContext;
let page: Page;
let activityId = '';
let doorUrl = '';

/** The town's calendar date and minute of the day, `daysAgo` days back. */
function berlin(daysAgo = 0): { date: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() - daysAgo * 86_400_000))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

async function signIn(context: BrowserContext, email: string): Promise<void> {
  const response = await context.request.post('/sign-in?_action=accounts.signIn', { form: { login: email, password: 'ankommen-demo' }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status(), email).toBe(303);
  expect((await context.cookies()).some((c) => c.name === 'session'), email).toBe(true);
}

async function post(context: BrowserContext, path: string, form: Record<string, string>): Promise<void> {
  const response = await context.request.post(path, { form, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status(), `${path} ${JSON.stringify(form)}`).toBe(303);
}

/** A date in the past is saved and published only once the organiser confirms it. */
async function confirmPastDateIfAsked(page: Page, submit: () => Promise<void>): Promise<void> {
  const confirm = page.locator('#field-confirmPast');
  if ((await confirm.count()) === 0) return;
  await confirm.check();
  await submit();
  await page.waitForLoadState();
}

/** Creates and publishes an activity of the library through its form; returns its id. */
async function publish(title: string, date: string, startTime: string, endTime: string): Promise<string> {
  const form = await organiserContext.newPage();
  await form.goto('/organise');
  await form.getByRole('link', { name: 'Neues Angebot' }).first().click();
  await form.locator('#field-title').fill(title);
  await form.locator('#field-category').selectOption('leisure');
  await form.locator('#field-date').fill(date);
  await form.locator('#field-startTime').fill(startTime);
  await form.locator('#field-endTime').fill(endTime);
  await form.locator('#field-placeName').fill('Stadtbibliothek');
  await form.locator('main form button[type="submit"]').click();
  await form.waitForLoadState();
  await confirmPastDateIfAsked(form, () => form.locator('main form button[type="submit"]').first().click());
  await form.waitForURL((url) => /^\/organise\/\d+$/.test(url.pathname));
  const id = /\/organise\/(\d+)$/.exec(new URL(form.url()).pathname)![1]!;
  const publishButton = () => form.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
  await publishButton();
  await form.waitForLoadState();
  await confirmPastDateIfAsked(form, publishButton);
  await form.close();
  return id;
}

const row = (p: Page, name: string): Locator => p.locator('li.attendee', { hasText: name });
const summary = (p: Page) => p.locator('.attendees__summary');
const focused = (p: Page) => p.evaluate(() => ({ label: document.activeElement?.getAttribute('aria-label') ?? null, row: document.activeElement?.closest('li')?.id ?? null }));

beforeAll(async () => {
  browser = await launchBrowser();
  organiserContext = await newContext(browser, baseUrl, { viewport: PHONE });
  await signIn(organiserContext, 'library@example.org');
  // Tonight, a few minutes before midnight: people are checked in before it starts.
  const today = berlin();
  if (today.minutes >= 23 * 60 + 50) throw new Error('These tests need the activity to start later today (in Berlin): run them before 23:50.');
  activityId = await publish('Spieleabend an der Tür', today.date, '23:58', '23:59');
  doorUrl = `/organise/${activityId}/attendees`;
  for (const [email, , party] of GUESTS) {
    const guest = await newContext(browser, baseUrl);
    await signIn(guest, email);
    await post(guest, `/activities/${activityId}?_action=rsvps.create`, { activityId, partySize: String(party), note: '' });
    await guest.close();
  }
  // Walk-ins whose names sort first make the list long: the people who signed up are far down.
  for (let i = 1; i <= WALK_INS; i++) {
    await post(organiserContext, `${doorUrl}?_action=attendance.addWalkIn`, { activityId, name: `Aa Gast ${String(i).padStart(2, '0')}`, partySize: '1' });
  }
  // An afternoon 40 days ago (an earlier month), with three families.
  const past = await publish('Lesecafé im Herbst', berlin(40).date, '15:00', '17:00');
  for (const name of ['Familie Nowak', 'Familie Haddad', 'Familie Şahin']) {
    await post(organiserContext, `/organise/${past}/attendees?_action=attendance.addWalkIn`, { activityId: past, name, partySize: '2' });
  }
  page = await organiserContext.newPage();
}, 180_000);

afterAll(async () => {
  await organiserContext?.close();
  await browser?.close();
});

describe('the door with JavaScript', () => {
  it('updates the counter, keeps the focus on the row and announces each check-in', async () => {
    await page.goto(doorUrl);
    await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await summary(page).textContent()).toBe(`${WALK_INS} von ${REGISTERED} Personen eingecheckt`);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const klaus = row(page, 'Klaus Hoffmann');
    expect(await klaus.locator('.door-state').textContent()).toBe('Erwartet');
    await klaus.getByRole('button', { name: 'Klaus Hoffmann einchecken' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => summary(page).textContent()).toBe(`${WALK_INS + 3} von ${REGISTERED} Personen eingecheckt`);
    expect(await klaus.locator('.door-state').textContent()).toBe('Eingecheckt: 3 von 3 Personen');
    expect(await focused(page)).toEqual({ label: 'Check-in von Klaus Hoffmann rückgängig machen', row: await klaus.getAttribute('id') });
    await expect.poll(() => page.locator('.door [role="status"]').textContent()).toBe(`Klaus Hoffmann: Eingecheckt: 3 von 3 Personen. ${WALK_INS + 3} von ${REGISTERED} Personen eingecheckt`);

    // The focus is where the undo is: one more key press takes it back.
    await page.keyboard.press('Enter');
    await expect.poll(() => summary(page).textContent()).toBe(`${WALK_INS} von ${REGISTERED} Personen eingecheckt`);
    expect(await klaus.locator('.door-state').textContent()).toBe('Erwartet');
    expect((await focused(page)).label).toBe('Klaus Hoffmann einchecken');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('records two of a party of three, and a no-show only for someone not checked in', async () => {
    const hans = row(page, 'Hans Berger');
    await hans.locator('summary', { hasText: 'Nicht alle da?' }).click();
    await hans.getByLabel('Wie viele von \u2068Hans Berger\u2069 sind da?').selectOption('1');
    await hans.locator('.attendee__partial-form button').click();
    await expect.poll(() => hans.locator('.door-state').textContent()).toBe('Eingecheckt: 1 von 2 Personen');
    expect(await summary(page).textContent()).toBe(`${WALK_INS + 1} von ${REGISTERED} Personen eingecheckt`);
    expect(await hans.locator('details').getAttribute('open')).toBeNull();
    // Checked in: undo, or change the number; "did not come" is not offered.
    expect(await hans.locator('button[value="noShow"]').count()).toBe(0);
    expect(await hans.locator('summary').textContent()).toBe('Anzahl ändern');

    const maria = row(page, 'Maria Lange');
    await maria.getByRole('button', { name: 'Maria Lange als nicht gekommen markieren' }).click();
    await expect.poll(() => maria.locator('.door-state').textContent()).toBe('Nicht gekommen');
    expect(await page.locator('.door__counts .muted').textContent()).toBe('5 Personen erwartet · 2 Personen nicht gekommen');
    expect(await focused(page)).toEqual({ label: '„Nicht gekommen“ bei Maria Lange rückgängig machen', row: await maria.getAttribute('id') });
    // Shown plainly, not as a faded row.
    expect(await maria.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    await page.keyboard.press('Enter');
    await expect.poll(() => maria.locator('.door-state').textContent()).toBe('Erwartet');

    // Walk-ins came: they are checked in and can only be taken off the list.
    const walkIn = row(page, 'Aa Gast 01');
    expect(await walkIn.locator('.door-state').textContent()).toBe('Eingecheckt');
    expect(await walkIn.locator('button').allTextContents()).toEqual(['Entfernen']);
  });

  it('says in the row when the portal is away (503) or the row changed meanwhile (409), and keeps the focus', async () => {
    const olena = row(page, 'Олена Коваленко');
    const checkIn = olena.getByRole('button', { name: 'Олена Коваленко einchecken' });
    await page.route(
      '**/_actions/attendance.door',
      (route) => route.fulfill({ status: 503, headers: { 'Retry-After': '5', 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'AstroActionError', code: 'SERVICE_UNAVAILABLE', status: 503, message: 'Service unavailable' }) }),
      { times: 1 },
    );
    await checkIn.focus();
    await page.keyboard.press('Enter');
    await olena.locator('[role="alert"]').waitFor();
    expect(await olena.locator('[role="alert"]').textContent()).toBe('Das Portal ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute noch einmal.');
    expect((await focused(page)).label).toBe('Олена Коваленко einchecken');
    expect(await checkIn.getAttribute('aria-describedby')).toBe(await olena.locator('[role="alert"]').getAttribute('id'));
    expect(await olena.locator('.door-state').textContent()).toBe('Erwartet');
    // Again, once it is back.
    await page.keyboard.press('Enter');
    await expect.poll(() => olena.locator('.door-state').textContent()).toBe('Eingecheckt');
    expect(await olena.locator('[role="alert"]').count()).toBe(0);

    // Another phone at the door checks Admin Demo in; this page still shows "expected".
    const admin = row(page, 'Admin Demo');
    const rsvpId = await admin.locator('input[name="rsvpId"]').first().inputValue();
    await post(organiserContext, `${doorUrl}?_action=attendance.door`, { rsvpId, to: 'checkedIn' });
    expect(await admin.locator('.door-state').textContent()).toBe('Erwartet');
    await admin.getByRole('button', { name: 'Admin Demo als nicht gekommen markieren' }).focus();
    await page.keyboard.press('Enter');
    await admin.locator('[role="alert"]').waitFor();
    expect(await admin.locator('[role="alert"]').textContent()).toBe('\u2068Admin Demo\u2069 ist eingecheckt. Ist die Person doch nicht da, machen Sie zuerst den Check-in rückgängig.');
    expect(await admin.locator('.door-state').textContent()).toBe('Eingecheckt');
    expect(await focused(page)).toEqual({ label: 'Check-in von Admin Demo rückgängig machen', row: await admin.getAttribute('id') });
    // Hans 1, Olena 1, Admin 1 and the walk-ins, as the server counts them.
    expect(await summary(page).textContent()).toBe(`${WALK_INS + 3} von ${REGISTERED} Personen eingecheckt`);
  });
});

describe('the door without JavaScript', () => {
  let context: BrowserContext;
  let plain: Page;
  beforeAll(async () => {
    context = await newContext(browser, baseUrl, { viewport: PHONE, javaScriptEnabled: false });
    await signIn(context, 'library@example.org');
    plain = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('comes back at the row after a check-in, and records a partial party', async () => {
    await plain.goto(doorUrl);
    const klaus = row(plain, 'Klaus Hoffmann');
    const id = await klaus.getAttribute('id');
    await klaus.getByRole('button', { name: 'Klaus Hoffmann einchecken' }).click();
    await plain.waitForURL((url) => url.hash === `#${id}`, { timeout: 5_000 });
    expect(await plain.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    const box = (await klaus.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    expect(await klaus.locator('.door-state').textContent()).toBe('Eingecheckt: 3 von 3 Personen');
    expect(await summary(plain).textContent()).toBe(`${WALK_INS + 6} von ${REGISTERED} Personen eingecheckt`);

    // Only two of them stayed.
    await klaus.locator('summary').click();
    await klaus.getByLabel('Wie viele von \u2068Klaus Hoffmann\u2069 sind da?').selectOption('2');
    await klaus.getByRole('button', { name: 'Speichern' }).click();
    await plain.waitForLoadState();
    expect(new URL(plain.url()).hash).toBe(`#${id}`);
    expect(await klaus.locator('.door-state').textContent()).toBe('Eingecheckt: 2 von 3 Personen');
    expect(await summary(plain).textContent()).toBe(`${WALK_INS + 5} von ${REGISTERED} Personen eingecheckt`);
  });
});

describe("the organiser's attendance chart", () => {
  it("counts today's check-ins in this month", async () => {
    await page.goto(doorUrl);
    const here = Number(/^(\d+) von/.exec((await summary(page).textContent()) ?? '')?.[1]);
    expect(here).toBe(WALK_INS + 5);
    await page.goto('/organise');
    const section = page.locator('section.organise-org', { hasText: 'Spieleabend an der Tür' });
    expect(await section.textContent()).not.toContain('Noch keine Teilnahme erfasst');
    const thisMonth = new Intl.DateTimeFormat('de', { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(`${berlin().date.slice(0, 7)}-15T00:00:00Z`));
    const cells = await section.locator('.attendance-table tbody tr', { has: page.locator('th', { hasText: thisMonth }) }).locator('td').allTextContents();
    expect(cells.at(-1)).toBe(String(here));
  });

  it.each(['/organise', '/ar/organise', '/fa/organise', '/uk/organise'])('%s: the twelve month labels do not overlap at 375 px', async (url) => {
    await page.goto(url);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const section = page.locator('section.organise-org', { hasText: 'Spieleabend an der Tür' });
    const labels = await section.locator('.attendance-chart__label').evaluateAll((elements) =>
      elements.map((el) => {
        const r = el.getBoundingClientRect();
        return { text: el.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
    expect(labels).toHaveLength(12);
    const overlapping = labels.flatMap((a, i) =>
      labels.slice(i + 1).filter((b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5).map((b) => `${a.text} × ${b.text}`),
    );
    expect(overlapping).toEqual([]);
    for (const label of labels) {
      expect(label.left, label.text).toBeGreaterThanOrEqual(0);
      expect(label.right, label.text).toBeLessThanOrEqual(PHONE.width);
    }
  });
});

describe('accessibility of the door and the chart', () => {
  it.each(['', '/ar'])('%s door page and organiser overview pass axe with every state shown', async (prefix) => {
    const context = await newContext(browser, baseUrl, { viewport: PHONE, bypassCSP: true });
    try {
      await signIn(context, 'library@example.org');
      const checked = await context.newPage();
      await checked.goto(`${prefix}${doorUrl}`);
      await checked.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
      // Maria did not come: expected, checked in (also partly) and no-show are all on the page.
      const maria = row(checked, 'Maria Lange');
      if ((await maria.locator('button[value="noShow"]').count()) > 0) await maria.locator('button[value="noShow"]').click();
      await expect.poll(() => maria.locator('.door-state').getAttribute('class')).toContain('door-state--no-show');
      await checked.locator('li.attendee details').first().evaluate((el) => el.setAttribute('open', ''));
      expect(await axeFindings(checked)).toEqual([]);
      await checked.goto(`${prefix}/organise`);
      expect(await axeFindings(checked)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
