// Paper: the printable programme's choices and what it lists (period, filters, languages side
// by side, marks, QR codes), QR codes that decode to their address, the door list to print
// (organisers of the activity only) and the contact a claim sheet gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { addWalkIn } from '../../src/features/attendance/attendance.service.ts';
import { demoTownDetails } from '../../src/features/demo/demo-town.ts';
import { loadCoordinationContact } from '../../src/features/paper/coordination-contact.ts';
import { loadDoorList } from '../../src/features/paper/door-list.ts';
import { formatPeriod, programmePeriod } from '../../src/features/paper/period.ts';
import { parseDayInput, parseProgrammeChoice } from '../../src/features/paper/programme.schema.ts';
import { loadProgramme, MAX_PROGRAMME_ENTRIES, selectionWords, type ProgrammeView } from '../../src/features/paper/programme-view.ts';
import { storeTownDetails } from '../../src/features/privacy/town-details.ts';
import { translator } from '../../src/i18n/index.ts';
import { printedAddress, qrCodeSvg } from '../../src/lib/qr.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { decodeQrSvg } from '../helpers/qr.ts';

const TZ = 'Europe/Berlin';
const BASE = 'https://ankommen.example';
// Wednesday 21 October 2026, 21:30 in Berlin (19:30Z).
const NOW = new Date('2026-10-21T19:30:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  const stellwerk = await makeOrganisation(db);
  const library = await db.insertInto('organisation').values({ slug: 'bibliothek', name: 'Bibliothek' }).returning('id').executeTakeFirstOrThrow();
  const at = (iso: string) => new Date(iso);
  ids.cafe = await makeActivity(db, stellwerk, {
    title: 'Sprachcafé',
    startsAt: at('2026-10-21T20:00:00Z'), // 22:00 today in Berlin
    extra: { languages: ['de', 'ar', 'uk'], childcare: true, category: 'language' },
  });
  ids.course = await makeActivity(db, stellwerk, {
    title: 'Deutschkurs A1',
    startsAt: at('2026-10-22T07:00:00Z'), // tomorrow 09:00
    extra: { languages: ['de'], german_level: 'A1', category: 'language', place_name: null, address: null, online_url: 'https://meet.example/kurs' },
  });
  ids.swim = await makeActivity(db, library.id, {
    title: 'Frauen-Schwimmen',
    startsAt: at('2026-10-27T16:00:00Z'), // next Tuesday, 17:00: the last day of the week
    extra: { languages: ['de', 'fa'], audience: ['women'], wheelchair_accessible: true, category: 'sports', cost: '2 €' },
  });
  ids.tour = await makeActivity(db, library.id, {
    title: 'Stadtführung',
    startsAt: at('2026-11-20T13:00:00Z'), // 20 November: the last day of a month from today
    translations: { ar: { title: 'جولة في المدينة', description: 'نزهة' } },
    extra: { languages: ['de', 'ar'], audience: ['families'], category: 'culture' },
  });
  ids.later = await makeActivity(db, library.id, { title: 'Zu spät', startsAt: at('2026-11-20T23:30:00Z') }); // 21 November, 00:30 in Berlin
  ids.draft = await makeActivity(db, stellwerk, { title: 'Entwurf', status: 'draft', startsAt: at('2026-10-23T10:00:00Z') });
  ids.past = await makeActivity(db, stellwerk, { title: 'Gestern', startsAt: at('2026-10-20T10:00:00Z') });
});
afterAll(() => handle?.close());

function programme(query: string, pageLocale: 'de' | 'ar' | 'en' = 'de'): Promise<ProgrammeView> {
  return loadProgramme(db, { params: new URLSearchParams(query), pageLocale, now: NOW, timeZone: TZ, baseUrl: BASE });
}

function titles(view: ProgrammeView, locale = view.programme!.languages[0]!): string[] {
  return view.programme!.days.flatMap((day) => day.entries.map((entry) => entry.titles[locale]!.text));
}

describe('QR codes', () => {
  it('decode to the address they were made for, and are hidden from screen readers', async () => {
    for (const url of [`${BASE}/activities/12`, `${BASE}/ar/activities?when=dates&from=2026-10-21&to=2026-10-27&category=language&q=caf%C3%A9`]) {
      const svg = await qrCodeSvg(url);
      expect(svg.startsWith('<svg class="qr-code" aria-hidden="true" focusable="false" ')).toBe(true);
      expect(svg).toContain('viewBox=');
      expect(svg).not.toMatch(/width="|height="/);
      expect(decodeQrSvg(svg)).toBe(url);
    }
  });

  it('print their address without the scheme nobody types', () => {
    expect(printedAddress('https://ankommen.example/ar/claim')).toBe('ankommen.example/ar/claim');
    expect(printedAddress('http://127.0.0.1:4321/claim')).toBe('http://127.0.0.1:4321/claim');
  });
});

describe('the programme’s period', () => {
  it('is seven days from the first, or a month to the day before the same date', () => {
    expect(programmePeriod('2026-12-14', 'week', TZ)).toMatchObject({ first: '2026-12-14', last: '2026-12-20' });
    expect(programmePeriod('2026-12-29', 'week', TZ).last).toBe('2027-01-04');
    expect(programmePeriod('2026-12-10', 'month', TZ).last).toBe('2027-01-09');
    expect(programmePeriod('2026-12-01', 'month', TZ).last).toBe('2026-12-31');
    // No 31 February: the month ends with February.
    expect(programmePeriod('2027-01-31', 'month', TZ).last).toBe('2027-02-28');
    expect(programmePeriod('2028-01-30', 'month', TZ).last).toBe('2028-02-29');
  });

  it('runs from midnight to midnight in the town, across a change of the clocks', () => {
    const week = programmePeriod('2027-03-25', 'week', TZ);
    expect(week.from.toISOString()).toBe('2027-03-24T23:00:00.000Z');
    // The clocks went forward on 28 March: midnight after the last day is at 22:00Z.
    expect(week.to.toISOString()).toBe('2027-03-31T22:00:00.000Z');
  });

  it('reads as a heading in each language, Persian with the Gregorian dates beside', () => {
    const week = programmePeriod('2026-12-14', 'week', TZ);
    expect(formatPeriod('de', TZ, week)).toBe('14.–20. Dezember 2026');
    expect(formatPeriod('en', TZ, programmePeriod('2026-12-14', 'month', TZ))).toMatch(/^December 14, 2026\s–\sJanuary 13, 2027$/);
    expect(formatPeriod('fa', TZ, week)).toMatch(/^.*آذر.*\(.*دسامبر.*\)$/);
  });
});

describe('the programme’s choices', () => {
  const context = { today: '2026-10-21', pageLocale: 'ar' as const };
  const parse = (query: string) => parseProgrammeChoice(new URLSearchParams(query), context);

  it('take a day as the date field sends it or as people write it, and only one that exists', () => {
    expect(parseDayInput('2026-12-14')).toBe('2026-12-14');
    expect(parseDayInput('14.12.2026')).toBe('2026-12-14');
    expect(parseDayInput('1. 2. 2027')).toBe('2027-02-01');
    for (const wrong of ['2026-02-30', '31.04.2027', 'morgen', '2026-13-01', '0999-01-01', '']) expect(parseDayInput(wrong), wrong).toBeNull();
  });

  it('default to this week in the page’s language, starting today', () => {
    expect(parse('')).toEqual({ ok: true, choice: { start: '2026-10-21', span: 'week', language: 'ar', bilingual: false } });
    expect(parse('start=&span=month&lang=uk&bilingual=1')).toEqual({ ok: true, choice: { start: '2026-10-21', span: 'month', language: 'uk', bilingual: true } });
  });

  it('say what is wrong with the first day, and fall back for choices nobody offers', () => {
    expect(parse('start=2026-02-30')).toEqual({ ok: false, errors: { start: 'paper.error.startInvalid' } });
    expect(parse('start=2026-10-20')).toEqual({ ok: false, errors: { start: 'paper.error.startPast' } });
    expect(parse('span=year&lang=xx&bilingual=maybe')).toEqual({ ok: true, choice: { start: '2026-10-21', span: 'week', language: 'ar', bilingual: false } });
  });
});

describe('the programme', () => {
  it('lists this week’s published activities by default, day by day, without drafts or past ones', async () => {
    const view = await programme('');
    expect(view.form.errors).toEqual({});
    expect(view.programme!.period).toMatchObject({ first: '2026-10-21', last: '2026-10-27' });
    expect(view.programme!.languages).toEqual(['de']);
    expect(view.programme!.days.map((d) => [d.day, d.entries.map((e) => e.titles.de!.text)])).toEqual([
      ['2026-10-21', ['Sprachcafé']],
      ['2026-10-22', ['Deutschkurs A1']],
      ['2026-10-27', ['Frauen-Schwimmen']],
    ]);
    expect(view.programme!.total).toBe(3);
    expect(view.programme!.truncated).toBe(false);
  });

  it('covers a month, and starts on a later day when asked', async () => {
    expect(titles(await programme('span=month'))).toEqual(['Sprachcafé', 'Deutschkurs A1', 'Frauen-Schwimmen', 'Stadtführung']);
    expect(titles(await programme('start=2026-10-22&span=week'))).toEqual(['Deutschkurs A1', 'Frauen-Schwimmen']);
    expect(titles(await programme('start=28.10.2026'))).toEqual([]);
  });

  it('takes every browse filter, but not the browse page’s own dates', async () => {
    expect(titles(await programme('span=month&category=sports'))).toEqual(['Frauen-Schwimmen']);
    expect(titles(await programme('span=month&childcare=1'))).toEqual(['Sprachcafé']);
    expect(titles(await programme('span=month&noGerman=1'))).toEqual(['Sprachcafé', 'Frauen-Schwimmen', 'Stadtführung']);
    expect(titles(await programme('span=month&level=A1'))).toEqual(['Deutschkurs A1']);
    expect(titles(await programme('span=month&organisation=bibliothek&language=fa'))).toEqual(['Frauen-Schwimmen']);
    expect(titles(await programme('span=month&audience=families'))).toEqual(['Stadtführung']);
    expect(titles(await programme('span=month&wheelchair=1'))).toEqual(['Frauen-Schwimmen']);
    expect(titles(await programme('span=month&free=1&q=kurs'))).toEqual(['Deutschkurs A1']);
    // A list's "today" is the list's; the programme's period is its own.
    expect(titles(await programme('when=today&from=2026-10-22&to=2026-10-22'))).toEqual(['Sprachcafé', 'Deutschkurs A1', 'Frauen-Schwimmen']);
    const view = await programme('span=month&organisation=bibliothek&childcare=1');
    expect(view.filters).toEqual({ organisation: 'bibliothek', childcare: true });
    expect(view.organisationName).toBe('Bibliothek');
  });

  it('marks what a newcomer looks for, and where, with a QR code to each activity’s page', async () => {
    const entries = new Map((await programme('span=month')).programme!.days.flatMap((d) => d.entries).map((e) => [e.id, e]));
    const cafe = entries.get(ids.cafe!)!;
    expect(cafe.marks).toEqual(['noGermanNeeded', 'childcare', 'free']);
    expect(cafe).toMatchObject({ placeName: 'Stellwerk', address: 'Lennestraße 12, 58762 Altena', online: false, languages: ['de', 'ar', 'uk'], cost: null, category: 'language' });
    expect(entries.get(ids.course!)!.marks).toEqual(['free']);
    expect(entries.get(ids.course!)!.online).toBe(true);
    const swim = entries.get(ids.swim!)!;
    expect(swim.marks).toEqual(['noGermanNeeded', 'wheelchair']);
    expect(swim.cost).toBe('2 €');
    expect(swim.organisationName).toBe('Bibliothek');
    expect(cafe.url).toBe(`${BASE}/activities/${ids.cafe}`);
    expect(decodeQrSvg(cafe.qr)).toBe(cafe.url);
  });

  it('puts German beside the chosen language, each title in its own language, and links in the chosen one', async () => {
    const view = await programme('span=month&lang=ar&bilingual=1', 'de');
    expect(view.programme!.languages).toEqual(['ar', 'de']);
    const tour = view.programme!.days.flatMap((d) => d.entries).find((e) => e.id === ids.tour)!;
    expect(tour.titles).toEqual({ ar: { text: 'جولة في المدينة', lang: 'ar' }, de: { text: 'Stadtführung', lang: 'de' } });
    // Without a translation, the original stands in both columns, with its language.
    const cafe = view.programme!.days.flatMap((d) => d.entries).find((e) => e.id === ids.cafe)!;
    expect(cafe.titles).toEqual({ ar: { text: 'Sprachcafé', lang: 'de' }, de: { text: 'Sprachcafé', lang: 'de' } });
    expect(tour.url).toBe(`${BASE}/ar/activities/${ids.tour}`);
    expect(decodeQrSvg(tour.qr)).toBe(tour.url);
    // German beside German is German once; the page's language is the sheet's by default.
    expect((await programme('lang=de&bilingual=1', 'en')).programme!.languages).toEqual(['de']);
    expect((await programme('bilingual=1', 'ar')).programme!.languages).toEqual(['ar', 'de']);
    expect((await programme('', 'en')).programme!.languages).toEqual(['en']);
  });

  it('points to the same selection online, with the period as the list’s dates', async () => {
    const view = await programme('category=language&lang=uk');
    const list = new URL(view.programme!.listUrl);
    expect(list.origin + list.pathname).toBe(`${BASE}/uk/activities`);
    expect(Object.fromEntries(list.searchParams)).toEqual({ category: 'language', when: 'dates', from: '2026-10-21', to: '2026-10-27' });
    expect(decodeQrSvg(view.programme!.listQr)).toBe(view.programme!.listUrl);
  });

  it('says what is wrong with the first day and lists nothing then', async () => {
    const past = await programme('start=2026-10-20&span=month&category=sports');
    expect(past.programme).toBeNull();
    expect(past.form).toEqual({ values: { start: '2026-10-20', span: 'month', language: 'de', bilingual: false }, errors: { start: 'paper.error.startPast' } });
    // The filters stay as chosen, for the form.
    expect(past.filters).toEqual({ category: 'sports' });
    // The other choices stay as they were understood.
    expect((await programme('start=31.02.2027&lang=uk&bilingual=1&span=year', 'ar')).form).toEqual({
      values: { start: '31.02.2027', span: 'week', language: 'uk', bilingual: true },
      errors: { start: 'paper.error.startInvalid' },
    });
  });

  it('stops at a readable length and says how many there are', async () => {
    const crowded = await db.insertInto('organisation').values({ slug: 'voll', name: 'Volles Haus' }).returning('id').executeTakeFirstOrThrow();
    const start = new Date('2026-10-23T08:00:00Z');
    await db
      .insertInto('activity')
      .values(
        Array.from({ length: MAX_PROGRAMME_ENTRIES + 2 }, (_, i) => ({
          organisation_id: crowded.id,
          status: 'published' as const,
          title: `Termin ${i + 1}`,
          description: '',
          source_locale: 'de' as const,
          category: 'leisure' as const,
          starts_at: new Date(start.getTime() + i * 60_000),
          ends_at: new Date(start.getTime() + i * 60_000 + 3_600_000),
        })),
      )
      .execute();
    const view = await programme('organisation=voll');
    expect(view.programme!.truncated).toBe(true);
    expect(view.programme!.total).toBe(MAX_PROGRAMME_ENTRIES + 2);
    expect(titles(view)).toHaveLength(MAX_PROGRAMME_ENTRIES);
    expect(titles(view)[0]).toBe('Termin 1');
  });

  it('names the selection in words on the sheet', () => {
    const de = translator('de');
    expect(selectionWords(de, { category: 'sports', organisation: 'bibliothek', childcare: true, text: 'Kaffee' }, 'Bibliothek')).toEqual([
      'Sport',
      'Bibliothek',
      'Mit Kinderbetreuung',
      'Suchwort „Kaffee“',
    ]);
    expect(selectionWords(translator('en'), { language: 'ar', germanLevel: 'B1', audience: 'families', noGermanNeeded: true, wheelchair: true, free: true }, null)).toEqual([
      'Languages spoken there: Arabic',
      'German course level: B1',
      'Families',
      'No German needed',
      'Wheelchair accessible',
      'Free',
    ]);
    expect(selectionWords(de, {}, null)).toEqual([]);
  });
});

describe('the door list to print', () => {
  let organiser: SessionUser;
  let outsider: SessionUser;
  let activityId: number;

  beforeAll(async () => {
    const organisationId = await makeOrganisation(db);
    organiser = await makePerson(db);
    outsider = await makePerson(db);
    await db.insertInto('membership').values({ organisation_id: organisationId, user_id: organiser.id, role: 'organiser' }).execute();
    activityId = await makeActivity(db, organisationId, {
      title: 'Nähcafé',
      capacity: 4,
      startsAt: new Date('2030-06-01T16:00:00Z'),
      translations: { en: { title: 'Sewing café', description: '' } },
    });
    const guest = await makePerson(db, { name: 'Zora Zeller' });
    const early = await makePerson(db, { name: 'Anton Adler' });
    const waiting = await makePerson(db, { name: 'Wanda Warte' });
    const now = new Date('2030-05-20T10:00:00Z');
    const rsvp = (user: SessionUser, status: 'going' | 'waitlisted', party: number, extra: object = {}) =>
      db.insertInto('rsvp').values({ activity_id: activityId, user_id: user.id, party_size: party, note: '', status, created_by: user.id, created_at: now, updated_at: now, ...extra }).execute();
    await rsvp(guest, 'going', 2, { note: 'Wir brauchen einen Dolmetscher für Dari.', confirmed_at: now });
    await rsvp(early, 'going', 1);
    await rsvp(waiting, 'waitlisted', 2);
    const walkIn = await addWalkIn(db, organiser, activityId, { name: 'Bernd Spontan', partySize: 1 });
    expect(walkIn.ok).toBe(true);
  });

  it('shows the organisation’s members who is coming, who confirmed, the walk-ins and the waitlist', async () => {
    const list = await loadDoorList(db, organiser, activityId, 'en');
    expect(list.activity).toMatchObject({ title: 'Sewing café', titleLocale: 'en', placeName: 'Stellwerk', organisationName: 'Test-Verein', capacity: 4, cancelled: false });
    expect(list.going.map((p) => [p.name, p.partySize, p.confirmed, p.walkIn, p.state])).toEqual([
      ['Anton Adler', 1, false, false, 'expected'],
      ['Bernd Spontan', 1, false, true, 'checkedIn'],
      ['Zora Zeller', 2, true, false, 'expected'],
    ]);
    expect(list.going.find((p) => p.name === 'Zora Zeller')!.note).toBe('Wir brauchen einen Dolmetscher für Dari.');
    expect(list.waitlist.map((p) => [p.position, p.name, p.partySize])).toEqual([[1, 'Wanda Warte', 2]]);
    expect(list.counts).toMatchObject({ registered: 4, here: 1, expected: 3 });
    expect(list.parties).toBe(3);
  });

  it('is not found for anyone else, signed in or not', async () => {
    await expect(loadDoorList(db, outsider, activityId, 'de')).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadDoorList(db, null, activityId, 'de')).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadDoorList(db, organiser, 999_999, 'de')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the claim sheet’s contact', () => {
  it('is the public contact of the coordinator’s own coordinating organisations, else the town’s, else none', async () => {
    const coordinator = await makePerson(db);
    const office = await db.insertInto('organisation').values({ slug: 'integrationsbuero', name: 'Integrationsbüro', contact_phone: '+49 2352 209-0', contact_email: 'integration@altena.example' }).returning('id').executeTakeFirstOrThrow();
    const club = await db.insertInto('organisation').values({ slug: 'sportverein', name: 'Sportverein', contact_phone: '02352 1234' }).returning('id').executeTakeFirstOrThrow();
    const silent = await db.insertInto('organisation').values({ slug: 'stellwerk-koordination', name: 'Stellwerk' }).returning('id').executeTakeFirstOrThrow();

    // Nothing anywhere yet: nothing to print.
    expect(await loadCoordinationContact(db, coordinator.id)).toEqual([]);
    const town = demoTownDetails(NOW);
    await storeTownDetails(db, town);
    expect(await loadCoordinationContact(db, coordinator.id)).toEqual([
      { name: town.legalNotice!.noticeProvider, phone: town.legalNotice!.noticePhone, email: town.legalNotice!.noticeEmail, address: town.legalNotice!.noticeAddress },
    ]);

    // A coordinator of an office with a contact: the office's; being an organiser elsewhere
    // does not count, nor does an office without a contact.
    await db.insertInto('membership').values([
      { organisation_id: office.id, user_id: coordinator.id, role: 'coordinator' },
      { organisation_id: club.id, user_id: coordinator.id, role: 'organiser' },
      { organisation_id: silent.id, user_id: coordinator.id, role: 'coordinator' },
    ]).execute();
    expect(await loadCoordinationContact(db, coordinator.id)).toEqual([{ name: 'Integrationsbüro', phone: '+49 2352 209-0', email: 'integration@altena.example', address: null }]);
  });
});
