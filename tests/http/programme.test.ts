// Paper over HTTP: the printable programme in several languages and side by side with German,
// with the browse filters, a clear message for a wrong first day, kept like the other public
// pages; the door list to print for the activity's organisers only; the claim sheet's QR code.
import { describe, expect, inject, it } from 'vitest';
import { zonedDateInput } from '../../src/i18n/format.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
import { decodeQrCodesIn } from '../helpers/qr.ts';
import { as, fieldError, form, page, stripTags, Visitor } from '../helpers/visitor.ts';

const ids = () => inject('activities');
const base = () => inject('baseUrl').replace(/\/+$/, '');
/** The fixtures' activities ("Kleines Sprachcafé", "Großes Fest") are on 1 June 2030. */
const JUNE = 'start=2030-06-01';

/** The programme sheet's HTML (the <article class="programme-sheet…">), or ''. */
function sheetOf(html: string): string {
  return /<article class="programme-sheet[\s\S]*<\/article>/.exec(html)?.[0] ?? '';
}

describe('the printable programme', () => {
  it('lists the week’s activities in German with their QR codes, and never drafts', async () => {
    const { status, html } = await page(new Visitor(), `/programme?${JUNE}`);
    expect(status).toBe(200);
    const sheet = sheetOf(html);
    expect(sheet).toMatch(/^<article class="programme-sheet" lang="de" dir="ltr"/);
    const text = stripTags(sheet);
    expect(text).toMatch(/Angebote in \S+/);
    expect(text).toContain('1.–7. Juni 2030');
    expect(text).toContain('Samstag, 1. Juni');
    expect(text).toContain('18:00–20:00 Uhr');
    expect(text).toContain('Kleines Sprachcafé');
    expect(text).toContain('Großes Fest');
    expect(text).toContain('Stellwerk, Lennestraße 12, 58762 Altena');
    expect(text).not.toContain('Noch geheim');
    expect(text).toMatch(/Stand: \S+, \d+\. \S+ \d{4}/);
    // The list online first, then each activity, each code holding the absolute address.
    const codes = decodeQrCodesIn(sheet);
    expect(codes[0]).toBe(`${base()}/activities?when=dates&from=2030-06-01&to=2030-06-07`);
    expect(codes).toContain(`${base()}/activities/${ids().small}`);
    expect(codes).toContain(`${base()}/activities/${ids().roomy}`);
    // Each code is hidden from screen readers; its address is printed beside it.
    expect(sheet).toContain('<svg class="qr-code" aria-hidden="true" focusable="false"');
    expect(stripTags(sheet)).toContain(`/activities/${ids().small}`.slice(1));
    // The form is a plain GET form: every programme is a link to share or print again.
    expect(html).toContain('<form method="get" action="/programme" class="programme-form" novalidate>');
    expect(html).toContain('name="start" type="date" value="2030-06-01"');
  });

  it('speaks the page’s language, right to left in Arabic and Persian, with codes to the pages in that language', async () => {
    for (const [locale, heading, dir] of [
      ['ar', 'الأنشطة في', 'rtl'],
      ['fa', 'فعالیت‌ها در', 'rtl'],
      ['uk', 'Заходи в', 'ltr'],
      ['tr', 'etkinlikleri', 'ltr'],
      ['en', 'Activities in', 'ltr'],
    ] as const) {
      const { status, html } = await page(new Visitor(), `/${locale}/programme?${JUNE}`);
      expect(status, locale).toBe(200);
      expect(html).toContain(`<html lang="${locale}" dir="${dir}"`);
      const sheet = sheetOf(html);
      expect(sheet, locale).toMatch(new RegExp(`^<article class="programme-sheet" lang="${locale}" dir="${dir}"`));
      expect(stripTags(sheet), locale).toContain(heading);
      expect(decodeQrCodesIn(sheet), locale).toContain(`${base()}/${locale}/activities/${ids().small}`);
    }
  });

  it('puts German beside the chosen language, each column with its own lang and dir', async () => {
    const arabic = sheetOf((await page(new Visitor(), `/ar/programme?${JUNE}&bilingual=1`)).html);
    expect(arabic).toMatch(/^<article class="programme-sheet programme-sheet--two"/);
    expect(arabic).toMatch(/<div class="programme-entry__text" lang="ar" dir="rtl">/);
    expect(arabic).toMatch(/<div class="programme-entry__text" lang="de" dir="ltr">/);
    expect(stripTags(arabic)).toContain('Angebote in');
    expect(stripTags(arabic)).toContain('الأنشطة في');
    // From the German page: Persian and German, the codes leading to the Persian pages.
    const { html } = await page(new Visitor(), `/programme?${JUNE}&lang=fa&bilingual=1`);
    expect(html).toContain('<html lang="de" dir="ltr"');
    const persian = sheetOf(html);
    expect(persian).toMatch(/<div class="programme-entry__text" lang="fa" dir="rtl">/);
    expect(persian).toMatch(/<div class="programme-entry__text" lang="de" dir="ltr">/);
    expect(decodeQrCodesIn(persian)).toContain(`${base()}/fa/activities/${ids().roomy}`);
    expect(html).toMatch(/<option value="fa" lang="fa" selected>/);
    expect(html).toMatch(/name="bilingual" value="1" checked/);
  });

  it('takes the browse filters, keeps them in the form and names them on the sheet', async () => {
    const search = await page(new Visitor(), `/programme?${JUNE}&q=Kleines`);
    expect(stripTags(sheetOf(search.html))).toContain('Kleines Sprachcafé');
    expect(stripTags(sheetOf(search.html))).not.toContain('Großes Fest');
    expect(stripTags(sheetOf(search.html))).toContain('Auswahl: Suchwort „Kleines“');
    expect(search.html).toContain('name="q" type="search" value="Kleines"');

    const sports = await page(new Visitor(), `/programme?${JUNE}&span=month&category=sports&childcare=1`);
    expect(sports.status).toBe(200);
    expect(stripTags(sheetOf(sports.html))).toContain('In diesem Zeitraum gibt es keine passenden Angebote.');
    expect(stripTags(sheetOf(sports.html))).toContain('Auswahl: Sport · Mit Kinderbetreuung');
    expect(stripTags(sheetOf(sports.html))).toContain('1.–30. Juni 2030');
    expect(sports.html).toContain('<option value="sports" selected>');
    expect(sports.html).toMatch(/name="childcare" value="1" checked/);
    expect(sports.html).toMatch(/name="span" value="month" checked/);
  });

  it('says next to the field what is wrong with the first day, in the page’s language, and prints nothing', async () => {
    const invalid = await page(new Visitor(), '/programme?start=2030-02-30&category=culture');
    expect(invalid.status).toBe(400);
    expect(fieldError(invalid.html, 'start')).toBe('Bitte geben Sie einen Tag ein, den es im Kalender gibt, zum Beispiel 24.12.2026.');
    expect(invalid.html).toMatch(/<title>Fehler: /);
    expect(invalid.html).toContain('href="#field-start"');
    expect(invalid.html).toContain('value="2030-02-30"');
    expect(invalid.html).toContain('<option value="culture" selected>');
    expect(sheetOf(invalid.html)).toBe('');

    const past = await page(new Visitor(), '/programme?start=2020-01-06');
    expect(past.status).toBe(400);
    expect(fieldError(past.html, 'start')).toBe('Dieser Tag ist vorbei. Das Programm zeigt, was kommt, und beginnt frühestens heute.');

    const arabic = await page(new Visitor(), '/ar/programme?start=gestern');
    expect(arabic.status).toBe(400);
    expect(fieldError(arabic.html, 'start')).toContain('يرجى إدخال يوم موجود في التقويم');
  });

  it('starts today by default and is kept for visitors like the other public pages', async () => {
    const path = `/programme?category=language&kept=${Date.now()}`;
    const visitor = new Visitor();
    const first = await visitor.get(path);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain(`name="start" type="date" value="${zonedDateInput('Europe/Berlin', new Date())}"`);
    const again = await visitor.get(path);
    expect(again.headers.get('x-page-cache')).toBe('hit');
    expect(await again.text()).toBe(html);
    // A refused first day is never kept.
    const wrong = '/programme?start=2020-01-06';
    await visitor.get(wrong);
    expect((await visitor.get(wrong)).headers.get('x-page-cache')).toBeNull();
  });

  it('is linked from the home page and, with the same filters, from the activity list', async () => {
    expect((await page(new Visitor(), '/')).html).toMatch(/<a href="\/programme">[\s\S]*?Programm zum Ausdrucken/);
    const list = await page(new Visitor(), '/ar/activities?category=culture&when=week&childcare=1');
    expect(list.html).toContain('href="/ar/programme?category=culture&amp;childcare=1"');
  });
});

describe('the door list to print', () => {
  let activityId = '';

  it('shows the activity’s organisers who is coming, with boxes to tick, and is linked from the door page', async () => {
    const organiser = await as('organiser');
    activityId = await createPublishedActivity(organiser, ids().organisation!, { title: 'Türliste drucken', placeName: 'Bürgerhaus', date: '2031-03-04' });
    const guest = await as('newcomer');
    await guest.submit(`/activities/${activityId}`, 'rsvps.create', { activityId, partySize: '3', note: 'Wir kommen mit dem Kinderwagen.' });

    const attendees = await page(organiser, `/organise/${activityId}/attendees`);
    expect(attendees.html).toContain(`href="/organise/${activityId}/door-list"`);
    const { status, html, text } = await page(organiser, `/organise/${activityId}/door-list`);
    expect(status).toBe(200);
    expect(text).toContain('Türliste');
    expect(text).toContain('Türliste drucken');
    expect(text).toContain('Dienstag, 4. März, 15:00–17:00 Uhr');
    expect(text).toContain('Bürgerhaus');
    const row = /<tr class="door-table__row door-table__row--expected">[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(stripTags(row)).toContain('Test Newcomer');
    expect(stripTags(row)).toContain('3');
    expect(stripTags(row)).toContain('Wir kommen mit dem Kinderwagen.');
    expect(row).toContain('<span class="tick-box" aria-hidden="true"></span>');
    // Nothing on it changes anything: no form at all in the sheet.
    expect(/<article class="door-sheet"[\s\S]*<\/article>/.exec(html)?.[0]).not.toContain('<form');
    // Signed-in pages are never kept anywhere.
    expect((await organiser.get(`/organise/${activityId}/door-list`)).headers.get('cache-control')).toContain('no-store');
  });

  it('is not found for anyone else, and sends a visitor to sign in first', async () => {
    for (const account of ['resident', 'newcomer'] as const) {
      expect((await (await as(account)).get(`/organise/${activityId}/door-list`)).status, account).toBe(404);
    }
    const organiser = await as('organiser');
    for (const path of ['/organise/999999/door-list', '/organise/abc/door-list']) expect((await organiser.get(path)).status, path).toBe(404);
    const visitor = await new Visitor().get(`/organise/${activityId}/door-list`);
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(`/organise/${activityId}/door-list`)}`);
  });
});

describe('the claim sheet', () => {
  it('carries a QR code to the claim page in the person’s language', async () => {
    const coordinator = await as('coordinator');
    const created = await coordinator.submit(
      '/coordinate/new-request',
      'mentoring.requestForPerson',
      form({ name: 'Samira Nouri', locale: 'fa', topics: ['paperwork'], languages: ['fa'], note: '', contactPreference: 'coordinator', contactDetail: '', paperConsent: 'on', consentSignedOn: zonedDateInput('Europe/Berlin', new Date()) }),
    );
    expect(created.status).toBe(200);
    const sheet = /<article class="claim-sheet"[\s\S]*<\/article>/.exec(created.html)?.[0] ?? '';
    expect(decodeQrCodesIn(sheet)).toEqual([`${base()}/fa/claim`]);
    // The address the code holds is on the sheet too, for typing.
    expect(sheet).toContain(`${base()}/fa/claim</span>`);
    // The test town's coordination has entered no contact, so the town's own (from its legal
    // notice) stands in — if another test file has entered one by now; without it the
    // coordinator is told and the sheet stays without one. Either way: exactly what is entered.
    const notice = stripTags((await page(new Visitor(), '/legal-notice')).html);
    const townContact = notice.includes('rathaus@lennetal.example');
    expect(sheet.includes('claim-contact')).toBe(townContact);
    if (townContact) expect(sheet).toContain('mailto:rathaus@lennetal.example');
    else expect(stripTags(created.html)).toContain('Auf dem Bogen steht keine Kontaktadresse');
  });
});
