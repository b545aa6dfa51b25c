// One-tap answers in Chromium, on a portal of their own with a reminder already sent: a family
// opens the link from the reminder on a phone without JavaScript, presses "I can't come", and
// the waiting family moves up — the organiser's door page shows them among those coming; a
// guest who confirms is marked "Zugesagt" with the time on the door page, in words and with
// the page's JavaScript on (the island renders the mark too). Screenshots of the answer page
// go to test-results/screenshots/.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { answerLinksIn, ORGANISER, startAnswerTown, type AnswerTown } from '../helpers/answers.ts';
import { ROOT } from '../helpers/portal.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

const PHONE = { width: 375, height: 800 };
const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

let browser: Browser;
let town: AnswerTown;

beforeAll(async () => {
  [browser, town] = await Promise.all([launchBrowser(), startAnswerTown()]);
  await mkdir(SCREENSHOTS, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await town?.close();
});

async function reminderLinks(email: string, subject: string) {
  const [mail] = await town.waitForMails(email, 1, subject);
  if (!mail) throw new Error(`no "${subject}" mail to ${email}`);
  return answerLinksIn(mail);
}

describe('answering from the reminder', () => {
  let phone: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    phone = await newContext(browser, town.url, { viewport: PHONE, javaScriptEnabled: false });
    page = await phone.newPage();
  });
  afterAll(async () => {
    await phone?.close();
  });

  it('"I can’t come" without JavaScript: the page asks, the button answers, the waiting family moves up', async () => {
    const { notComing } = await reminderLinks(town.people.guest.email, 'Erinnerung');
    const response = await page.goto(notComing.href);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').innerText()).resolves.toBe('Sie können nicht zu „Sprachcafé“ kommen?');
    await expect(page.locator('main').innerText()).resolves.toContain('Ihre 3 Plätze gehen an die Nächsten auf der Warteliste.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'answer-not-coming-phone-de.png'), fullPage: true });

    const button = page.getByRole('button', { name: 'Ja, ich sage ab' });
    await expect(button.count()).resolves.toBe(1);
    await button.click();
    await page.waitForURL((url) => url.pathname === notComing.pathname);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Ihr Platz ist schon an die Nächsten auf der Warteliste gegangen');
    await expect(page.locator('h1').innerText()).resolves.toBe('Ihre Anmeldung ist abgesagt');
    await expect(page.getByRole('button', { name: 'Ja, ich sage ab' }).count()).resolves.toBe(0);

    // Olena's family has the seats, and her mail in Ukrainian has links of its own.
    const theirs = await reminderLinks(town.people.waiting.email, 'Звільнилося місце');
    await page.goto(theirs.coming.href);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('uk');
    await expect(page.locator('h1').innerText()).resolves.toBe('Ви прийдете на «Sprachcafé»?');

    // The organiser's door: Olena among those coming, nobody waiting.
    const organiser = await newContext(browser, town.url, { javaScriptEnabled: false });
    try {
      const door = await organiser.newPage();
      await signIn(door, ORGANISER.email, { password: ORGANISER.password });
      await door.goto(`/organise/${town.activities.cafe}/attendees`);
      const going = door.locator('section.door li.attendee');
      await expect(going.allInnerTexts()).resolves.toEqual([expect.stringContaining('Olena Waiting')]);
      await expect(door.locator('#waitlist').innerText()).resolves.toContain('Niemand wartet');
    } finally {
      await organiser.close();
    }
  });

  it('"I’m coming" in Arabic, then the door page marks the party as confirmed, with the time, with JavaScript on', async () => {
    const { coming } = await reminderLinks(town.people.arabic.email, 'تذكير');
    await page.goto(coming.href);
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'answer-coming-phone-ar.png'), fullPage: true });
    await page.getByRole('button', { name: 'نعم، سأحضر' }).click();
    await page.waitForURL((url) => url.pathname === coming.pathname);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('شكرًا! لقد أكّدت حضورك');

    const organiser = await newContext(browser, town.url, { viewport: PHONE });
    try {
      const door = await organiser.newPage();
      await signIn(door, ORGANISER.email, { password: ORGANISER.password });
      await door.goto(`/organise/${town.activities.fest}/attendees`);
      // The island has taken over the list (its buttons answer in the background) and shows the mark.
      const row = door.locator('li.attendee', { hasText: 'Samir Arabi' });
      const mark = row.locator('.confirmed-mark');
      await expect(mark.innerText()).resolves.toMatch(/^Zugesagt\s+\d{1,2}\. \S+,? \d{2}:\d{2}$/);
      await expect(mark.locator('time').getAttribute('datetime')).resolves.toMatch(/Z$/);
      // Said in words, not colour alone: the tick is decoration.
      await expect(mark.locator('svg').getAttribute('aria-hidden')).resolves.toBe('true');
      await expect(door.locator('main').innerText()).resolves.toContain('Haben zugesagt: 1 von 1 Anmeldungen');
      // A tap at the door keeps the mark (the row comes back from the server with it).
      await row.getByRole('button', { name: 'Samir Arabi einchecken' }).click();
      await row.locator('.door-state', { hasText: 'Eingecheckt' }).waitFor();
      await expect(mark.innerText()).resolves.toMatch(/^Zugesagt/);
      await door.screenshot({ path: path.join(SCREENSHOTS, 'door-confirmed-phone-de.png'), fullPage: true });
    } finally {
      await organiser.close();
    }
  });
});
