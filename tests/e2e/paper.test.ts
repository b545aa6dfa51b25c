// Paper as Chromium prints it: the programme, the door list and the claim sheet printed to A4
// PDF with the pages' print styles, the text read back from the PDF (poppler's pdftotext) and
// the QR codes read back from the PDF rendered to pixels (pdftoppm, then jsQR) — they must hold
// the right addresses. Needs poppler-utils (`apt-get install -y poppler-utils`).
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WALK_IN_LINES } from '../../src/features/paper/door-list.ts';
import { ROOT } from '../helpers/portal.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

const run = promisify(execFile);
const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;

/** The printed PDFs and their pages as images stay here for a person to look at (not committed). */
const DIR = path.join(ROOT, 'test-results', 'paper');
let browser: Browser;

beforeAll(async () => {
  for (const tool of ['pdftotext', 'pdftoppm']) {
    await run(tool, ['-v']).catch(() => {
      throw new Error(`The paper tests need ${tool}: install it with \`apt-get install -y poppler-utils\`.`);
    });
  }
  browser = await launchBrowser();
  await mkdir(DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

interface Printed {
  file: string;
  pages: number;
  /** The text of all pages in reading order, whitespace collapsed. */
  text: string;
}

/** The page as Chromium prints it to A4 (the browser's own print, with the print styles). */
async function printToPdf(page: Page, url: string, name: string): Promise<Printed> {
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  return printShown(page, name);
}

/** The page already shown, printed (a claim sheet shows its code once). */
async function printShown(page: Page, name: string): Promise<Printed> {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  const file = path.join(DIR, `${name}.pdf`);
  await writeFile(file, pdf);
  const { stdout: info } = await run('pdfinfo', [file]).catch(() => ({ stdout: '' }));
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return { file, pages, text: stdout.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim() };
}

/**
 * Every QR code on one printed page, read from its pixels as a phone camera reads a notice
 * board, one code at a time: the page rendered at 150 dpi, then a 45 mm window (a code and its
 * white border) moved over it in 10 mm steps, each window given to jsQR.
 */
async function qrCodesOnPage(printed: Printed, pageNumber: number): Promise<string[]> {
  const prefix = `${printed.file}-${pageNumber}`;
  await run('pdftoppm', ['-r', '150', '-f', String(pageNumber), '-l', String(pageNumber), '-singlefile', '-png', printed.file, prefix]);
  const png = PNG.sync.read(await readFile(`${prefix}.png`));
  const mm = 150 / 25.4;
  const size = Math.round(45 * mm);
  const step = Math.round(10 * mm);
  const window = new Uint8ClampedArray(size * size * 4);
  const found = new Set<string>();
  for (let top = 0; top + size <= png.height; top += step) {
    for (let left = 0; left + size <= png.width; left += step) {
      for (let row = 0; row < size; row++) {
        const from = ((top + row) * png.width + left) * 4;
        window.set(png.data.subarray(from, from + size * 4), row * size * 4);
      }
      const code = jsQR(window, size, size, { inversionAttempts: 'dontInvert' });
      // jsQR now and then reads an empty code out of large type; no code of ours is empty.
      if (code?.data) found.add(code.data);
    }
  }
  return [...found];
}

/** What the sheet shows on screen: each activity's title and the absolute address it links to. */
async function sheetEntries(page: Page): Promise<{ title: string; url: string }[]> {
  const links = await page.locator('.programme-entry').evaluateAll((items) =>
    items.map((item) => {
      const a = item.querySelector('.programme-entry__title a')!;
      return { title: (a.textContent ?? '').replace(/\s+/g, ' ').trim(), href: a.getAttribute('href')! };
    }),
  );
  return links.map((l) => ({ title: l.title, url: new URL(l.href, origin).href }));
}

describe('the printable programme, printed', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('prints the town, the period, "as of", every activity with its marks, page numbers, and no navigation or form', async () => {
    const url = '/programme?span=month';
    await page.goto(url);
    const entries = await sheetEntries(page);
    expect(entries.length).toBeGreaterThan(5);
    const period = (await page.locator('.programme-sheet__period').textContent())!.trim();
    const printed = await printToPdf(page, url, 'programme-de');

    expect(printed.text).toContain('Angebote in Altena');
    const squeeze = (text: string) => text.replace(/\s*–\s*/g, '–');
    expect(squeeze(printed.text)).toContain(squeeze(period.replace(/\s+/g, ' ')));
    expect(printed.text).toMatch(/Stand: \S+, \d+\. \S+ \d{4}/);
    for (const { title } of entries) expect(printed.text, title).toContain(title);
    for (const mark of ['Ohne Deutschkenntnisse', 'Mit Kinderbetreuung', 'Kostenlos']) expect(printed.text).toContain(mark);
    expect(printed.pages).toBeGreaterThan(1);
    expect(printed.text).toMatch(new RegExp(`\\b1 ?/ ?${printed.pages}\\b`));
    expect(printed.text).toMatch(new RegExp(`\\b${printed.pages} ?/ ?${printed.pages}\\b`));
    for (const screenOnly of ['Programm zeigen', 'Helfen gesucht', 'Drucken Sie mit der Druckfunktion', 'Was soll auf das Blatt?', 'Datenschutz']) {
      expect(printed.text, screenOnly).not.toContain(screenOnly);
    }
  });

  it('prints QR codes that a camera reads as the addresses of the list and of each activity', async () => {
    const url = '/programme';
    await page.goto(url);
    const entries = await sheetEntries(page);
    expect(entries.length).toBeGreaterThan(0);
    const printed = await printToPdf(page, url, 'programme-week');
    const codes = await qrCodesOnPage(printed, 1);
    // The list online: the same selection, the period as its dates.
    const list = codes.find((c) => c.startsWith(`${origin}/activities?`));
    expect(list, codes.join('\n')).toBeDefined();
    expect(new URL(list!).searchParams.get('when')).toBe('dates');
    // The first activity's code is on the first page, and every code on it leads to the sheet's pages.
    expect(codes).toContain(entries[0]!.url);
    const known = new Set([list!, ...entries.map((e) => e.url)]);
    for (const code of codes) expect(known.has(code), code).toBe(true);
    expect(codes.length).toBeGreaterThan(1);
  });

  it('prints Arabic beside German, each in its own column, with codes to the Arabic pages', async () => {
    const url = '/ar/programme?bilingual=1';
    await page.goto(url);
    expect(await page.locator('.programme-entry__text[lang="ar"][dir="rtl"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.programme-entry__text[lang="de"][dir="ltr"]').count()).toBeGreaterThan(0);
    const germanTitles = await page.locator('.programme-entry__text[lang="de"] .programme-entry__title a').allTextContents();
    const printed = await printToPdf(page, url, 'programme-ar');
    expect(printed.text).toContain('Angebote in Altena');
    // The Arabic column's sentence under the heading (its words carry no lam-alef ligature,
    // which the PDF's text layer stores as two letters).
    expect(printed.text).toContain('امسح رمز');
    for (const title of germanTitles) expect(printed.text, title).toContain(title.replace(/\s+/g, ' ').trim());
    // Page numbers read left to right on an Arabic sheet too ("1 / 4", never "4 / 1").
    expect(printed.text).toMatch(new RegExp(`\\b1 ?/ ?${printed.pages}\\b`));
    const codes = await qrCodesOnPage(printed, 1);
    expect(codes.some((c) => new RegExp(`^${origin}/ar/activities/\\d+$`).test(c)), codes.join('\n')).toBe(true);
    expect(codes.some((c) => c.startsWith(`${origin}/ar/activities?`)), codes.join('\n')).toBe(true);
  });
});

describe('the door list, printed', () => {
  let organiser: BrowserContext;
  let activityId = '';

  /** The town's calendar date `days` from now. */
  function berlinDate(days: number): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
  }

  async function post(context: BrowserContext, url: string, form: Record<string, string>): Promise<void> {
    const response = await context.request.post(url, { form, headers: { Origin: origin }, maxRedirects: 0 });
    expect(response.status(), `${url} ${JSON.stringify(form)}`).toBe(303);
  }

  beforeAll(async () => {
    organiser = await newContext(browser, baseUrl);
    const page = await organiser.newPage();
    await signIn(page, 'library@example.org');
    // A sewing café of the library in ten days, four seats.
    await page.goto('/organise');
    await page.getByRole('link', { name: 'Neues Angebot' }).first().click();
    await page.locator('#field-title').fill('Nähcafé zum Ausdrucken');
    await page.locator('#field-category').selectOption('leisure');
    await page.locator('#field-date').fill(berlinDate(10));
    await page.locator('#field-startTime').fill('16:00');
    await page.locator('#field-endTime').fill('18:00');
    await page.locator('#field-placeName').fill('Stadtbibliothek, Lesesaal');
    await page.locator('#field-capacity').fill('4');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => /^\/organise\/\d+$/.test(u.pathname));
    activityId = /\/organise\/(\d+)$/.exec(new URL(page.url()).pathname)![1]!;
    await page.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    await page.waitForLoadState();
    // Three families fill the seats, the fourth waits.
    for (const [email, party, note] of [
      ['resident@example.org', '2', 'Wir bringen eine Nähmaschine mit.'],
      ['newcomer-uk@example.org', '1', ''],
      ['newcomer-ar@example.org', '1', 'أحتاج إلى مترجم'],
      ['mentor@example.org', '2', ''],
    ] as const) {
      const guest = await newContext(browser, baseUrl);
      const guestPage = await guest.newPage();
      await signIn(guestPage, email);
      await post(guest, `/activities/${activityId}?_action=rsvps.create`, { activityId, partySize: party, note });
      await guest.close();
    }
    await page.close();
  }, 180_000);
  afterAll(async () => {
    await organiser?.close();
  });

  it('prints the activity, the names with party sizes, notes and boxes to tick, lines for walk-ins and the waitlist, and nothing to press', async () => {
    const page = await organiser.newPage();
    const url = `/organise/${activityId}/door-list`;
    await page.goto(url);
    const printed = await printToPdf(page, url, 'door-list');
    expect(printed.pages).toBe(1);
    expect(printed.text).toContain('Türliste');
    expect(printed.text).toContain('Nähcafé zum Ausdrucken');
    expect(printed.text).toContain('Stadtbibliothek, Lesesaal');
    expect(printed.text).toMatch(/16:00–18:00 Uhr/);
    for (const name of ['Klaus Hoffmann', 'Олена Коваленко', 'Wir bringen eine Nähmaschine mit.', 'Warteliste', 'Hans Berger', 'Ohne Anmeldung gekommen', 'Wie viele da?']) {
      expect(printed.text, name).toContain(name);
    }
    expect(printed.text).toMatch(/\b1 ?\/ ?1\b/);
    for (const screenOnly of ['Drucken', 'Zurück zu Teilnehmende und Einlass', 'Organisieren', 'Abmelden']) expect(printed.text, screenOnly).not.toContain(screenOnly);
    // An empty box for each party signed up, each line for walk-ins and each party waiting.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.door-sheet .tick-box').evaluateAll((boxes) => boxes.filter((b) => (b as HTMLElement).offsetWidth > 0).length)).toBe(3 + 1 + WALK_IN_LINES);
    expect(await page.locator('.door-sheet :is(button, form, input)').count()).toBe(0);
    await page.close();
  });

  it('is not found for an organiser of another organisation', async () => {
    const other = await newContext(browser, baseUrl);
    try {
      const page = await other.newPage();
      await signIn(page, 'organiser@example.org');
      const response = await page.goto(`/organise/${activityId}/door-list`);
      expect(response?.status()).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('the claim sheet, printed', () => {
  it('fits one A4 page with the code, a QR code a camera reads as the claim page, and the coordination’s contact', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await signIn(page, 'coordinator@example.org');
      await page.goto('/coordinate/new-request');
      await page.locator('#field-name').fill('Layla Haddad');
      await page.locator('#field-locale').selectOption('ar');
      await page.locator('input[name="topics"][value="paperwork"]').check();
      await page.locator('input[name="languages"][value="ar"]').check();
      await page.locator('#field-contactPreference').selectOption('in_person');
      await page.locator('#field-paperConsent').check();
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL((url) => /^\/coordinate\/claim-sheet\/\d+$/.test(url.pathname));
      const code = (await page.locator('[data-claim-code]').textContent())!.trim();
      const printed = await printShown(page, 'claim-sheet');
      expect(printed.pages).toBe(1);
      expect(printed.text).toContain(code);
      expect(printed.text).toContain(`${origin}/ar/claim`);
      // The demo coordinator coordinates at the Integration Office and Stellwerk: both contacts.
      for (const contact of ['Integrationsbüro', '+49 30 23125 020', 'integration@altena.example.org', 'hallo@stellwerk.example.org']) expect(printed.text, contact).toContain(contact);
      expect(printed.text).not.toContain('Neuen Code erzeugen');
      expect(await qrCodesOnPage(printed, 1)).toEqual([`${origin}/ar/claim`]);
    } finally {
      await context.close();
    }
  });
});
