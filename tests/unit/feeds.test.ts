// Calendar feeds, read back by two independent parsers and compared with the database: the
// instants people will see (across the clock change, with TZ far from Berlin), UIDs, SEQUENCE,
// STATUS, series with cancelled and moved dates, hostile text, personal feeds and versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { activityInput } from '../../src/features/activities/activities.schema.ts';
import { cancelActivity, createActivity, publishActivity, updateActivity } from '../../src/features/activities/activities.service.ts';
import { listPublishedActivities } from '../../src/features/activities/activities.queries.ts';
import { forgetRenderedEvents, personalCalendar, publicCalendar, publicCalendarName, type CalendarContext } from '../../src/features/feeds/calendar.ts';
import { feedVersion, isNotModified, rememberedFingerprint } from '../../src/features/feeds/feed-response.ts';
import { publicFeedVersion } from '../../src/features/feeds/feed-versions.ts';
import { createContentVersion } from '../../src/db/content-changes.ts';
import {
  loadActivityForDownload,
  loadPersonalFeed,
  latestPublicChange,
  loadPublicFeed,
  personalFeedFingerprint,
  publicFeedFingerprint,
  publicFeedQuery,
} from '../../src/features/feeds/feeds.queries.ts';
import { calendarAddressInfo, createCalendarToken, lookUpCalendarToken, revokeCalendarToken } from '../../src/features/feeds/personal-feed.ts';
import { cancelRsvp, changePartySize, createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { signUp, updateRole, withdraw } from '../../src/features/volunteering/volunteering.service.ts';
import { translator } from '../../src/i18n/index.ts';
import { contentLineProblems, oneCalendar, parseBoth, parseWithIcalExpander, type ParsedCalendar } from '../helpers/calendars.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson, createdId } from '../helpers/fixtures.ts';
import { makeRole, roleForm } from '../helpers/volunteering.ts';
import { makeCoordinator, makeKuemmerer, makeRequest } from '../helpers/mentoring.ts';
import { meetingInput } from '../../src/features/mentoring/mentoring.schema.ts';
import { assignKuemmerer, deleteMeeting, endMentorship, saveMeeting } from '../../src/features/mentoring/mentoring.service.ts';

const TZ = 'Europe/Berlin';
const BASE = 'https://ankommen.example';
const HOST = 'ankommen.example';
const RSVP_CONTEXT = { baseUrl: BASE };
const schema = activityInput(TZ);
const context = (locale: 'de' | 'en' | 'ar' = 'de'): CalendarContext => ({
  baseUrl: BASE,
  timeZone: TZ,
  t: translator(locale),
  name: 'Angebote in Altena, Sauerland',
  organizerEmail: 'no-reply@ankommen.example',
  refreshSeconds: 3600,
});
/** Far enough back that every activity made here is "upcoming or recently ended". */
const FROM = new Date('2027-01-01T00:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organisationSlug: string;
let organiser: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  organisationSlug = (await db.selectFrom('organisation').select('slug').where('id', '=', organisationId).executeTakeFirstOrThrow()).slug;
  organiser = await makePerson(db);
  await db.insertInto('membership').values({ organisation_id: organisationId, user_id: organiser.id, role: 'organiser' }).execute();
});
afterAll(() => handle?.close());

const form = (overrides: Record<string, unknown> = {}) =>
  schema.parse({
    organisationId: String(organisationId),
    title: 'Deutschkurs A1',
    sourceLocale: 'de',
    category: 'language',
    date: '2027-10-23',
    startTime: '18:00',
    endTime: '19:30',
    placeName: 'Integrationsbüro',
    capacity: '10',
    ...overrides,
  });

async function publishedFrom(overrides: Record<string, unknown>): Promise<number> {
  const id = createdId(await createActivity(db, organiser, form(overrides), new Date('2027-01-01T00:00:00Z')));
  // Published now (these tests compare change times with the clock), whenever they run.
  await publishActivity(db, organiser, id, new Date(), { confirmPast: true });
  return id;
}

async function seriesRows(firstId: number) {
  const { series_id } = await db.selectFrom('activity').select('series_id').where('id', '=', firstId).executeTakeFirstOrThrow();
  return db.selectFrom('activity').selectAll().where('series_id', '=', series_id).orderBy('series_slot').execute();
}

/** All three parsers must read the same thing; returns ical.js's reading after checking that. */
function read(body: string): ParsedCalendar {
  expect(contentLineProblems(body)).toEqual([]);
  const { icalJs, nodeIcal } = parseBoth(body);
  expect(nodeIcal.occurrences).toEqual(icalJs.occurrences);
  expect(parseWithIcalExpander(body)).toEqual(icalJs.occurrences);
  return icalJs;
}

async function downloadOf(id: number, locale: 'de' | 'en' | 'ar' = 'de'): Promise<ParsedCalendar> {
  return read(publicCalendar(await loadActivityForDownload(db, id), context(locale)));
}

describe('one activity', () => {
  it('gives the instants, UID, SEQUENCE, STATUS and text the database holds', async () => {
    const id = await publishedFrom({ date: '2027-12-02', address: 'Lennestraße 12, 58762 Altena', description: 'Mit Kaffee.' });
    const row = await db.selectFrom('activity').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const body = publicCalendar(await loadActivityForDownload(db, id), context());
    const parsed = read(body);
    expect(parsed.occurrences).toEqual([
      expect.objectContaining({
        uid: `activity-${id}@${HOST}`,
        start: row.starts_at.toISOString(),
        end: row.ends_at.toISOString(),
        status: 'CONFIRMED',
        sequence: 0,
        summary: 'Deutschkurs A1',
        location: 'Integrationsbüro, Lennestraße 12, 58762 Altena',
        recurrenceId: null,
      }),
    ]);
    expect(parsed.occurrences[0]!.description).toContain('Mit Kaffee.');
    expect(parsed.occurrences[0]!.description).toContain(`${BASE}/activities/${id}`);
    // The calendar's name is TEXT: its comma escaped (which ical-generator leaves to us).
    expect(body).toContain('\r\nNAME:Angebote in Altena\\, Sauerland\r\n');
    expect(body).toContain('\r\nX-WR-CALNAME:Angebote in Altena\\, Sauerland\r\n');
    // The zone is named and described, and the times are written in it, not in UTC.
    expect(body).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin');
    expect(body).toMatch(/RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU/);
    expect(body).toContain('DTSTART;TZID=Europe/Berlin:20271202T180000');
    expect(body).toContain('X-WR-TIMEZONE:Europe/Berlin');
    expect(body).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(body).toContain('X-PUBLISHED-TTL:PT1H');
    expect(body).toMatch(/ORGANIZER;CN="?Test-Verein"?:mailto:no-reply@ankommen\.example/);
    expect(body).toContain(`URL;VALUE=URI:${BASE}/activities/${id}`);
    expect(body).toContain('CATEGORIES:Sprache\r\n');
    // DTSTAMP and LAST-MODIFIED are UTC, as RFC 5545 requires.
    expect(body).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
    expect(body).toMatch(/LAST-MODIFIED:\d{8}T\d{6}Z/);
  });

  it('puts 18:00 in Berlin at 16:00Z before the clock change and 17:00Z after it', async () => {
    // Summer time ends on Sunday 31 October 2027; the test process runs in Pacific/Auckland.
    expect(process.env.TZ).toBe('Pacific/Auckland');
    const before = await publishedFrom({ date: '2027-10-30', startTime: '18:00', endTime: '20:00' });
    const after = await publishedFrom({ date: '2027-11-01', startTime: '18:00', endTime: '20:00' });
    expect((await downloadOf(before)).occurrences[0]).toMatchObject({ start: '2027-10-30T16:00:00.000Z', end: '2027-10-30T18:00:00.000Z' });
    expect((await downloadOf(after)).occurrences[0]).toMatchObject({ start: '2027-11-01T17:00:00.000Z', end: '2027-11-01T19:00:00.000Z' });
  });

  it('raises SEQUENCE when the time changes and keeps a cancelled activity, CANCELLED, with a higher one', async () => {
    const id = await publishedFrom({ date: '2027-12-09' });
    const first = (await downloadOf(id)).occurrences[0]!;
    await updateActivity(db, organiser, id, form({ date: '2027-12-09', startTime: '19:00', endTime: '20:30' }), RSVP_CONTEXT);
    const moved = (await downloadOf(id)).occurrences[0]!;
    expect(moved.sequence).toBeGreaterThan(first.sequence);
    expect(moved.start).toBe('2027-12-09T18:00:00.000Z');
    await cancelActivity(db, organiser, id, 'Die Lehrerin ist krank; wir holen es nach.', RSVP_CONTEXT);
    const cancelled = (await downloadOf(id)).occurrences[0]!;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.sequence).toBeGreaterThan(moved.sequence);
    expect(cancelled.summary).toBe('Abgesagt: Deutschkurs A1');
    expect(cancelled.description).toContain('Die Lehrerin ist krank; wir holen es nach.');
    // And it stays in the public feed (until 30 days after it would have ended).
    const feed = read(publicCalendar(await loadPublicFeed(db, { filters: { organisation: organisationSlug }, from: FROM }), context()));
    expect(feed.occurrences.find((o) => o.uid === `activity-${id}@${HOST}`)?.status).toBe('CANCELLED');
    const later = read(publicCalendar(await loadPublicFeed(db, { filters: { organisation: organisationSlug }, from: new Date('2028-01-09T21:00:00Z') }), context()));
    expect(later.occurrences.find((o) => o.uid === `activity-${id}@${HOST}`)).toBeUndefined();
  });

  it('writes the reader language when the organiser gave a translation', async () => {
    const id = await publishedFrom({ date: '2027-12-16', title_en: 'German course A1', description_en: 'With coffee.' });
    const row = await db.selectFrom('activity').select('translations').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.translations.en?.title).toBe('German course A1');
    expect((await downloadOf(id, 'en')).occurrences[0]!.summary).toBe('German course A1');
    expect((await downloadOf(id, 'de')).occurrences[0]!.summary).toBe('Deutschkurs A1');
  });

  it('has no download for a draft', async () => {
    const draft = createdId(await createActivity(db, organiser, form({ date: '2027-12-20' }), new Date('2027-01-01T00:00:00Z')));
    expect(await loadActivityForDownload(db, draft)).toEqual([]);
  });
});

describe('how to reach the organiser', () => {
  it("puts the contact in the description and its e-mail address as ORGANIZER: the activity's own, else the organisation's", async () => {
    const club = await makeOrganisation(db);
    await db.insertInto('membership').values({ organisation_id: club, user_id: organiser.id, role: 'organiser' }).execute();
    await db.updateTable('organisation').set({ contact_phone: '+49 2352 100', contact_email: 'info@verein.example' }).where('id', '=', club).execute();
    const fallback = await publishedFrom({ organisationId: String(club), date: '2027-12-03', contactName: 'Jana Becker' });
    const own = await publishedFrom({ organisationId: String(club), date: '2027-12-04', contactName: 'Jana Becker', contactEmail: 'jana@verein.example' });

    const fallbackBody = publicCalendar(await loadActivityForDownload(db, fallback), context());
    expect(read(fallbackBody).occurrences[0]!.description).toContain('Ansprechperson: Jana Becker, +49 2352 100, info@verein.example');
    expect(fallbackBody).toMatch(/ORGANIZER;CN="?Test-Verein"?:mailto:info@verein\.example/);

    const ownBody = publicCalendar(await loadActivityForDownload(db, own), context('en'));
    expect(read(ownBody).occurrences[0]!.description).toContain('Contact person: Jana Becker, jana@verein.example');
    expect(read(ownBody).occurrences[0]!.description).not.toContain('+49 2352 100');
    expect(ownBody).toMatch(/ORGANIZER;CN="?Test-Verein"?:mailto:jana@verein\.example/);
  });

  it('leaves both out when nobody gave a contact, with the portal as ORGANIZER', async () => {
    const id = await publishedFrom({ date: '2027-12-05' });
    const body = publicCalendar(await loadActivityForDownload(db, id), context());
    expect(read(body).occurrences[0]!.description).not.toContain('Ansprechperson');
    expect(body).toMatch(/ORGANIZER;CN="?Test-Verein"?:mailto:no-reply@ankommen\.example/);
  });
});

describe('a series', () => {
  it('is one RRULE whose expansion, with RECURRENCE-ID, is exactly the dates in the database', async () => {
    // Weekly across the clock change; the third date cancelled, the fourth an hour later.
    const firstId = await publishedFrom({ date: '2027-10-16', repeat: 'weekly', repeatCount: '5' });
    const dates = await seriesRows(firstId);
    expect(dates).toHaveLength(5);
    await cancelActivity(db, organiser, dates[2]!.id, 'Feiertag', RSVP_CONTEXT);
    await updateActivity(db, organiser, dates[3]!.id, form({ date: '2027-11-06', startTime: '19:00', endTime: '20:30' }), RSVP_CONTEXT);

    const body = publicCalendar(await loadActivityForDownload(db, dates[1]!.id), context());
    const parsed = read(body);
    const uid = `series-${dates[0]!.series_id}@${HOST}`;
    expect(parsed.rules.get(uid)).toBe('FREQ=WEEKLY;UNTIL=20271113T170000Z');
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(3); // the series, the cancelled and the moved date
    expect(body).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20271030T180000');
    expect(body).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20271106T180000');

    const now = await seriesRows(firstId);
    const expected = now.map((d) => ({ start: d.starts_at.toISOString(), end: d.ends_at.toISOString(), status: d.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED' }));
    expect(parsed.occurrences.map((o) => ({ start: o.start, end: o.end, status: o.status }))).toEqual(expected);
    // 18:00 in summer time, then 18:00 in winter time, then the moved date at 19:00.
    expect(parsed.occurrences.map((o) => o.start)).toEqual([
      '2027-10-16T16:00:00.000Z',
      '2027-10-23T16:00:00.000Z',
      '2027-10-30T16:00:00.000Z',
      '2027-11-06T18:00:00.000Z',
      '2027-11-13T17:00:00.000Z',
    ]);
    expect(new Set(parsed.occurrences.map((o) => o.uid))).toEqual(new Set([uid]));
    // Every part carries the series' SEQUENCE, which counts the changes of all dates.
    expect(parsed.occurrences.every((o) => o.sequence === 2)).toBe(true);
    // Each date's RECURRENCE-ID is where the rule put it.
    expect(parsed.occurrences.map((o) => o.recurrenceId)).toEqual(now.map((d) => d.series_slot!.toISOString()));
  });

  it('writes fortnightly and monthly series so that both parsers find the same dates', async () => {
    for (const [repeat, date] of [
      ['fortnightly', '2027-09-07'],
      ['monthly', '2027-08-31'],
    ] as const) {
      const firstId = await publishedFrom({ date, repeat, repeatCount: '6' });
      const dates = await seriesRows(firstId);
      const parsed = await downloadOf(firstId);
      expect(parsed.occurrences.map((o) => o.start)).toEqual(dates.map((d) => d.starts_at.toISOString()));
      expect(parsed.occurrences.map((o) => o.end)).toEqual(dates.map((d) => d.ends_at.toISOString()));
    }
  });

  it('stays one CANCELLED event when every date is cancelled', async () => {
    const firstId = await publishedFrom({ date: '2027-09-02', repeat: 'weekly', repeatCount: '2' });
    for (const date of await seriesRows(firstId)) await cancelActivity(db, organiser, date.id, 'Raum fehlt', RSVP_CONTEXT);
    const parsed = await downloadOf(firstId);
    expect(parsed.occurrences).toHaveLength(2);
    expect(parsed.occurrences.every((o) => o.status === 'CANCELLED')).toBe(true);
  });

  it('comes whole into a filtered feed when any of its dates matches', async () => {
    const firstId = await publishedFrom({ date: '2027-09-03', repeat: 'weekly', repeatCount: '3', title: 'Näh-Treff', category: 'leisure' });
    const rows = await loadPublicFeed(db, { filters: { organisation: organisationSlug, category: 'leisure' }, from: new Date('2027-09-12T00:00:00Z') });
    const dates = await seriesRows(firstId);
    // Only the last date ends after "from", yet all three come, so the rule is complete.
    expect(rows.map((r) => r.id).sort()).toEqual(dates.map((d) => d.id).sort());
    expect(rows.every((r) => r.category === 'leisure')).toBe(true);
  });
});

describe('hostile text', () => {
  it('round-trips through both parsers unchanged', async () => {
    const long = 'مرحبا بكم في المقهى اللغوي؛ '.repeat(80).slice(0, 2000);
    const title = 'Kaffee; Kuchen, \\ Tee 😀 — قهوة';
    const description = `Zeile eins\r\nZeile zwei; mit, allem \\ drin\rund ${long}\n\nEnde 🇺🇦 ✓`;
    const place = 'Raum 3; Eingang B, "Hinterhof" \\ links';
    const id = await makeActivity(db, organisationId, {
      startsAt: new Date('2027-12-01T17:00:00Z'),
      title,
      extra: { description, place_name: place, address: null, cost: '2 € (Spende; freiwillig)' },
    });
    const body = publicCalendar(await loadActivityForDownload(db, id), context());
    const parsed = read(body);
    const event = parsed.occurrences[0]!;
    expect(event.summary).toBe(title);
    expect(event.location).toBe(place);
    expect(event.description).toContain(description.replace(/\r\n?/g, '\n'));
    expect(event.description).toContain('2 € (Spende; freiwillig)');
  });

  it('drops control characters that iCalendar cannot carry instead of breaking the feed', async () => {
    const id = await makeActivity(db, organisationId, { startsAt: new Date('2027-12-02T17:00:00Z'), title: 'Bell\u0007 and escape\u001b here' });
    const event = (await downloadOf(id)).occurrences[0]!;
    expect(event.summary).toBe('Bell and escape here');
  });
});

describe('the public feed', () => {
  it('uses one UID per activity in the feed and in the download, and picks with the browse filters', async () => {
    const other = await makeOrganisation(db);
    const mine = await makeActivity(db, organisationId, { startsAt: new Date('2027-12-03T17:00:00Z'), title: 'Nur hier' });
    const theirs = await makeActivity(db, other, { startsAt: new Date('2027-12-03T17:00:00Z'), title: 'Woanders' });
    const feed = read(publicCalendar(await loadPublicFeed(db, { filters: { organisation: organisationSlug }, from: FROM }), context()));
    const uids = feed.occurrences.map((o) => o.uid);
    expect(uids).toContain(`activity-${mine}@${HOST}`);
    expect(uids).not.toContain(`activity-${theirs}@${HOST}`);
    expect((await downloadOf(mine)).occurrences[0]!.uid).toBe(`activity-${mine}@${HOST}`);
    const everything = await loadPublicFeed(db, { filters: {}, from: FROM });
    expect(everything.map((r) => r.id)).toEqual(expect.arrayContaining([mine, theirs]));
  });

  it('leaves drafts out', async () => {
    const draft = await makeActivity(db, organisationId, { startsAt: new Date('2027-12-04T17:00:00Z'), status: 'draft' });
    const rows = await loadPublicFeed(db, { filters: {}, from: FROM });
    expect(rows.map((r) => r.id)).not.toContain(draft);
  });

  it('changes its version when an activity in it changes, and only then', async () => {
    const query = { filters: { organisation: organisationSlug }, from: FROM };
    const version = async () => feedVersion(['public', 'de'], await publicFeedFingerprint(db, query));
    const before = await version();
    expect(await version()).toEqual(before);
    const id = await makeActivity(db, organisationId, { startsAt: new Date('2027-12-05T17:00:00Z') });
    const added = await version();
    expect(added.etag).not.toBe(before.etag);
    await db.updateTable('activity').set({ title: 'Neu', updated_at: new Date() }).where('id', '=', id).execute();
    const edited = await version();
    expect(edited.etag).not.toBe(added.etag);
    // A change elsewhere (another organisation's activity) leaves this feed's version alone.
    const other = await makeOrganisation(db);
    await makeActivity(db, other, { startsAt: new Date('2027-12-05T17:00:00Z') });
    expect(await version()).toEqual(edited);
    // The same data gives the same bytes, which is what lets the version stand for them.
    const build = async () => publicCalendar(await loadPublicFeed(db, query), context());
    expect(await build()).toBe(await build());
  });
});

describe('rendered events kept between builds', () => {
  it('a feed rebuilt after changes is byte for byte the feed a fresh process would build', async () => {
    const query = { filters: { organisation: organisationSlug }, from: FROM };
    const build = async (locale: 'de' | 'en' = 'de') => publicCalendar(await loadPublicFeed(db, query), context(locale));
    const single = await publishedFrom({ title: 'Nähcafé', date: '2027-11-20' });
    const seriesFirst = await publishedFrom({ title: 'Lauftreff', date: '2027-11-02', repeat: 'weekly', repeatCount: '4' });
    const before = await build();
    expect(before).toContain('Nähcafé');

    // A date of the series moves, the single activity is renamed, and the organisation too
    // (which touches no activity row): each must reach the next build.
    const [, second] = await seriesRows(seriesFirst);
    await updateActivity(db, organiser, second!.id, form({ title: 'Lauftreff', date: '2027-11-09', startTime: '19:00', endTime: '20:30' }), RSVP_CONTEXT, new Date('2027-02-01T00:00:00Z'));
    await updateActivity(db, organiser, single, form({ title: 'Nähcafé am Samstag', date: '2027-11-20' }), RSVP_CONTEXT, new Date('2027-02-01T00:00:00Z'));
    const organisationName = (await db.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow()).name;
    await db.updateTable('organisation').set({ name: 'Stellwerk Altena' }).where('id', '=', organisationId).execute();
    try {
      const rebuilt = await build();
      expect(rebuilt).not.toBe(before);
      expect(rebuilt).toContain('Nähcafé am Samstag');
      expect(rebuilt).toContain('Stellwerk Altena');
      expect(rebuilt).not.toContain(organisationName);
      const english = await build('en');
      forgetRenderedEvents();
      expect(await build()).toBe(rebuilt);
      expect(await build('en')).toBe(english);
      expect(english).not.toBe(rebuilt);
    } finally {
      await db.updateTable('organisation').set({ name: organisationName }).where('id', '=', organisationId).execute();
    }
  });

  it('an empty feed has no events and no time zone block', async () => {
    const body = publicCalendar([], context());
    expect(body).not.toContain('BEGIN:VEVENT');
    expect(body).not.toContain('BEGIN:VTIMEZONE');
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});

describe('remembered fingerprints', () => {
  it('are read again only after a change commits, and always when changes could be missed', async () => {
    const fingerprint = { count: 1, lastModified: null, idSum: '1' };
    let reads = 0;
    const read = async () => {
      reads += 1;
      return fingerprint;
    };
    const version = createContentVersion(true);
    await rememberedFingerprint('test-feed', version, read);
    await rememberedFingerprint('test-feed', version, read);
    expect(reads).toBe(1);
    await rememberedFingerprint('another-feed', version, read);
    expect(reads).toBe(2);
    version.bump();
    await rememberedFingerprint('test-feed', version, read);
    expect(reads).toBe(3);
    version.reliable = false;
    await rememberedFingerprint('test-feed', version, read);
    await rememberedFingerprint('test-feed', version, read);
    expect(reads).toBe(5);
  });
});

describe('what a public feed covers and is called', () => {
  const now = new Date('2027-03-10T12:00:00Z');
  it('keeps 30 days of the past without a time filter, and takes the browse window with one', () => {
    expect(publicFeedQuery({}, now, TZ)).toEqual({ filters: {}, from: new Date('2027-02-08T12:00:00Z') });
    const today = publicFeedQuery({ when: 'today' }, now, TZ);
    expect(today.from).toEqual(now);
    expect(today.to).toEqual(new Date('2027-03-10T23:00:00Z')); // midnight in Berlin
  });
  it('is named after the organisation, the topic, or marked as a selection', () => {
    const t = translator('de');
    expect(publicCalendarName(t, 'Altena', {})).toBe('Angebote in Altena');
    expect(publicCalendarName(t, 'Altena', { category: 'sports' })).toBe('Sport – Angebote in Altena');
    expect(publicCalendarName(t, 'Altena', { category: 'sports', free: true })).toBe('Sport – Angebote in Altena (Auswahl)');
    expect(publicCalendarName(t, 'Altena', { organisation: 'stellwerk' }, 'Stellwerk')).toBe('Stellwerk – Angebote in Altena');
  });
});

describe('conditional requests', () => {
  const version = { etag: '"abc"', lastModified: new Date('2027-05-01T10:00:00.500Z') };
  const request = (headers: Record<string, string>) => new Request('https://x.example/feed.ics', { headers });
  it('answers If-None-Match with the same tag (also weak, also in a list) and not with another', () => {
    expect(isNotModified(request({ 'If-None-Match': '"abc"' }), version)).toBe(true);
    expect(isNotModified(request({ 'If-None-Match': 'W/"abc"' }), version)).toBe(true);
    expect(isNotModified(request({ 'If-None-Match': '"x", "abc"' }), version)).toBe(true);
    expect(isNotModified(request({ 'If-None-Match': '"abd"' }), version)).toBe(false);
    expect(isNotModified(request({}), version)).toBe(false);
  });
  it('answers If-Modified-Since at whole seconds, and lets If-None-Match win', () => {
    expect(isNotModified(request({ 'If-Modified-Since': 'Sat, 01 May 2027 10:00:00 GMT' }), version)).toBe(true);
    expect(isNotModified(request({ 'If-Modified-Since': 'Sat, 01 May 2027 09:59:59 GMT' }), version)).toBe(false);
    expect(isNotModified(request({ 'If-None-Match': '"other"', 'If-Modified-Since': 'Sat, 01 May 2027 10:00:00 GMT' }), version)).toBe(false);
  });
});

describe('a personal feed', () => {
  it('holds the person’s places, CONFIRMED or TENTATIVE, and nobody else’s', async () => {
    const person = await makePerson(db);
    const other = await makePerson(db);
    const small = await makeActivity(db, organisationId, { capacity: 1, startsAt: new Date('2027-12-06T17:00:00Z'), title: 'Klein' });
    const roomy = await makeActivity(db, organisationId, { capacity: 20, startsAt: new Date('2027-12-07T17:00:00Z'), title: 'Groß' });
    const otherOnly = await makeActivity(db, organisationId, { capacity: 20, startsAt: new Date('2027-12-08T17:00:00Z'), title: 'Fremd' });
    await createRsvp(db, other, { activityId: small, partySize: 1, note: '' }, RSVP_CONTEXT);
    await createRsvp(db, other, { activityId: otherOnly, partySize: 1, note: '' }, RSVP_CONTEXT);
    await createRsvp(db, person, { activityId: small, partySize: 1, note: '' }, RSVP_CONTEXT); // waitlisted
    await createRsvp(db, person, { activityId: roomy, partySize: 3, note: 'Mit Kindern' }, RSVP_CONTEXT);

    const parsed = read(personalCalendar(await loadPersonalFeed(db, person.id, FROM), context()));
    expect(parsed.occurrences.map((o) => [o.uid, o.status])).toEqual([
      [`activity-${small}@${HOST}`, 'TENTATIVE'],
      [`activity-${roomy}@${HOST}`, 'CONFIRMED'],
    ]);
    const rows = await db.selectFrom('activity').select(['starts_at', 'ends_at']).where('id', 'in', [small, roomy]).orderBy('starts_at').execute();
    expect(parsed.occurrences.map((o) => [o.start, o.end])).toEqual(rows.map((r) => [r.starts_at.toISOString(), r.ends_at.toISOString()]));
    expect(parsed.occurrences[0]!.summary).toBe('Warteliste: Klein');
    expect(parsed.occurrences[1]!.description).toContain('3 Personen');
    expect(parsed.occurrences[1]!.description).not.toContain('Mit Kindern');
  });

  it('changes its version the moment an RSVP changes', async () => {
    const person = await makePerson(db);
    const id = await makeActivity(db, organisationId, { capacity: 20, startsAt: new Date('2027-12-10T17:00:00Z') });
    const version = async () => feedVersion(['personal', person.id], await personalFeedFingerprint(db, person.id, FROM));
    const empty = await version();
    await createRsvp(db, person, { activityId: id, partySize: 1, note: '' }, RSVP_CONTEXT);
    const going = await version();
    expect(going.etag).not.toBe(empty.etag);
    const rsvpId = (await db.selectFrom('rsvp').select('id').where('user_id', '=', person.id).executeTakeFirstOrThrow()).id;
    await changePartySize(db, person, { rsvpId, partySize: 2 }, RSVP_CONTEXT);
    const bigger = await version();
    expect(bigger.etag).not.toBe(going.etag);
    await cancelRsvp(db, person, rsvpId, RSVP_CONTEXT);
    const cancelled = await version();
    expect(cancelled.etag).not.toBe(bigger.etag);
    expect(await loadPersonalFeed(db, person.id, FROM)).toEqual({ activities: [], shifts: [], meetings: [], consultations: [], helpRequests: [] });
  });
});

describe('shifts in a personal feed', () => {
  it('are there at the shift’s own time, move with the organiser’s edits (SEQUENCE up), turn CANCELLED with the activity, and go when the volunteer withdraws', async () => {
    const volunteer = await makePerson(db);
    const bystander = await makePerson(db);
    const made = new Date('2027-01-01T00:00:00Z');
    // 31 October 2027, the day after Berlin leaves summer time: 18:00 local is 17:00Z.
    const activityId = await publishedFrom({ title: 'Herbstfest', date: '2027-10-31', startTime: '18:00', endTime: '21:00', placeName: 'Bürgerhaus' });
    const roleId = await makeRole(db, organiser, activityId, { name: 'Aufbau', startTime: '16:30', endTime: '18:00', whatToBring: 'Akkuschrauber; Handschuhe' }, made);
    const signed = await signUp(db, volunteer, roleId, RSVP_CONTEXT, made);
    if (!signed.ok) throw new Error('refused');
    await createRsvp(db, volunteer, { activityId, partySize: 2, note: '' }, RSVP_CONTEXT);
    const version = async () => feedVersion(['personal', volunteer.id], await personalFeedFingerprint(db, volunteer.id, FROM));

    const first = read(personalCalendar(await loadPersonalFeed(db, volunteer.id, FROM), context()));
    const shift = first.occurrences.find((o) => o.uid === `shift-${roleId}@${HOST}`);
    expect(shift).toMatchObject({ start: '2027-10-31T15:30:00.000Z', end: '2027-10-31T17:00:00.000Z', status: 'CONFIRMED', summary: 'Helfen: Aufbau – Herbstfest', sequence: 0 });
    expect(shift?.description).toContain('Bitte mitbringen: Akkuschrauber; Handschuhe');
    // Their RSVP stays its own event beside the shift.
    expect(first.occurrences.map((o) => o.uid).sort()).toEqual([`activity-${activityId}@${HOST}`, `shift-${roleId}@${HOST}`].sort());
    expect((await loadPersonalFeed(db, bystander.id, FROM)).shifts).toEqual([]);

    const before = await version();
    await updateRole(db, organiser, roleForm(activityId, { roleId, name: 'Aufbau', startTime: '16:00', endTime: '18:00', whatToBring: 'Akkuschrauber; Handschuhe' }), TZ, RSVP_CONTEXT, new Date('2027-01-02T00:00:00Z'));
    const moved = await version();
    expect(moved.etag).not.toBe(before.etag);
    const second = read(personalCalendar(await loadPersonalFeed(db, volunteer.id, FROM), context('en')));
    const movedShift = second.occurrences.find((o) => o.uid === `shift-${roleId}@${HOST}`);
    expect(movedShift).toMatchObject({ start: '2027-10-31T15:00:00.000Z', summary: 'Helping: Aufbau – Herbstfest', sequence: 1 });

    await cancelActivity(db, organiser, activityId, 'Sturmwarnung', RSVP_CONTEXT, new Date('2027-01-03T00:00:00Z'));
    const third = read(personalCalendar(await loadPersonalFeed(db, volunteer.id, FROM), context()));
    const cancelled = third.occurrences.find((o) => o.uid === `shift-${roleId}@${HOST}`);
    expect(cancelled?.status).toBe('CANCELLED');
    expect(cancelled?.sequence).toBeGreaterThan(1);
    expect((await version()).etag).not.toBe(moved.etag);

    const beforeWithdraw = await version();
    await withdraw(db, volunteer, signed.signupId, RSVP_CONTEXT, made);
    expect((await version()).etag).not.toBe(beforeWithdraw.etag);
    expect((await loadPersonalFeed(db, volunteer.id, FROM)).shifts).toEqual([]);
  });
});

describe('Kümmerer meetings in personal feeds', () => {
  it('are the same event in both people’s feeds, in their language, without the private note; edits raise SEQUENCE; a deleted meeting and an ended mentorship leave', async () => {
    const origin = { ip: '192.0.2.9', baseUrl: BASE };
    const coordinator = await makeCoordinator(db);
    const kuemmerer = await makeKuemmerer(db, { name: 'Maria Lange', languages: ['de', 'ar'], topics: ['paperwork'] });
    const newcomer = await makePerson(db, { name: 'Samir Al-Ahmad', locale: 'ar' });
    const stranger = await makePerson(db);
    const requestId = await makeRequest(db, newcomer, { languages: ['ar'], topics: ['paperwork'] });
    const assigned = await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, origin);
    if (!assigned.ok) throw new Error('assignment refused');
    const meeting = (overrides: Record<string, string> = {}) =>
      meetingInput(TZ).parse({ mentorshipId: String(assigned.mentorshipId), date: '2027-10-31', startTime: '10:00', endTime: '11:30', place: 'Rathaus, Bürgerbüro', topics: ['paperwork'], privateNote: 'Sorgen wegen der Miete', ...overrides });
    const first = await saveMeeting(db, kuemmerer, meeting(), new Date('2027-01-01T00:00:00Z'));
    const version = async (userId: number) => feedVersion(['personal', userId], await personalFeedFingerprint(db, userId, FROM));

    const uid = `meeting-${first.meetingId}@${HOST}`;
    const forKuemmerer = personalCalendar(await loadPersonalFeed(db, kuemmerer.id, FROM), context());
    const forNewcomer = personalCalendar(await loadPersonalFeed(db, newcomer.id, FROM), context('ar'));
    for (const body of [forKuemmerer, forNewcomer]) expect(body).not.toContain('Miete');
    // 10:00 in Berlin on the first day of winter time is 09:00Z, whatever zone the server is in.
    expect(read(forKuemmerer).occurrences).toEqual([expect.objectContaining({ uid, start: '2027-10-31T09:00:00.000Z', end: '2027-10-31T10:30:00.000Z', summary: 'Kümmerer-Treffen mit Samir', location: 'Rathaus, Bürgerbüro', status: 'CONFIRMED' })]);
    expect(read(forKuemmerer).occurrences[0]!.description).toContain('Themen: Papiere und Ämter');
    expect(read(forNewcomer).occurrences).toEqual([expect.objectContaining({ uid, start: '2027-10-31T09:00:00.000Z', summary: 'لقاء \u2066Kümmerer\u2069 مع \u2068Maria\u2069' })]);
    expect((await loadPersonalFeed(db, stranger.id, FROM)).meetings).toEqual([]);

    const before = await version(newcomer.id);
    await saveMeeting(db, kuemmerer, { ...meeting({ startTime: '11:00', endTime: '12:00' }), meetingId: first.meetingId }, new Date('2027-01-02T00:00:00Z'));
    expect((await version(newcomer.id)).etag).not.toBe(before.etag);
    const moved = read(personalCalendar(await loadPersonalFeed(db, newcomer.id, FROM), context()));
    expect(moved.occurrences[0]).toMatchObject({ uid, start: '2027-10-31T10:00:00.000Z' });
    expect(moved.occurrences[0]!.sequence).toBeGreaterThan(read(forNewcomer).occurrences[0]!.sequence);

    const second = await saveMeeting(db, kuemmerer, meeting({ date: '2027-11-07' }), new Date('2027-01-03T00:00:00Z'));
    const withTwo = await version(newcomer.id);
    await deleteMeeting(db, kuemmerer, second.meetingId, new Date('2027-01-04T00:00:00Z'));
    expect((await version(newcomer.id)).etag).not.toBe(withTwo.etag);
    expect((await loadPersonalFeed(db, newcomer.id, FROM)).meetings.map((m) => m.id)).toEqual([first.meetingId]);

    const running = await version(kuemmerer.id);
    expect(await endMentorship(db, newcomer, { mentorshipId: assigned.mentorshipId, reason: '' }, origin, new Date('2027-01-05T00:00:00Z'))).toEqual({ ok: true });
    expect((await version(kuemmerer.id)).etag).not.toBe(running.etag);
    expect((await loadPersonalFeed(db, kuemmerer.id, FROM)).meetings).toEqual([]);
  });
});

describe('the secret address', () => {
  it('opens the person’s feed; a new one kills the old; deleting kills it too', async () => {
    const person = await makePerson(db, { locale: 'ar' });
    const first = await createCalendarToken(db, person.id, '192.0.2.1');
    expect(first).toMatch(/^[a-z2-7]{32}$/);
    const stored = await db.selectFrom('calendar_token').select('token_hash').where('user_id', '=', person.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(first);
    expect(await lookUpCalendarToken(db, first, '192.0.2.1')).toEqual({ kind: 'found', userId: person.id, locale: 'ar', createdAt: expect.any(Date) });
    expect((await calendarAddressInfo(db, person.id))?.lastUsedAt).toBeInstanceOf(Date);

    const second = await createCalendarToken(db, person.id, '192.0.2.1');
    expect(second).not.toBe(first);
    expect(await lookUpCalendarToken(db, first, '192.0.2.1')).toEqual({ kind: 'unknown' });
    expect(await lookUpCalendarToken(db, second, '192.0.2.1')).toMatchObject({ kind: 'found', userId: person.id });

    await revokeCalendarToken(db, person.id, '192.0.2.1');
    expect(await lookUpCalendarToken(db, second, '192.0.2.1')).toEqual({ kind: 'unknown' });
    expect(await calendarAddressInfo(db, person.id)).toBeNull();
    const audit = await db.selectFrom('audit_event').select('action').where('actor_user_id', '=', person.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar.address_created', 'calendar.address_created', 'calendar.address_revoked']);
  });

  it('slows down an address that keeps guessing, but not the owner elsewhere', async () => {
    const person = await makePerson(db);
    const token = await createCalendarToken(db, person.id, null);
    const guesser = '198.51.100.7';
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push((await lookUpCalendarToken(db, 'a'.repeat(32), guesser)).kind);
    expect(answers.slice(0, 20).every((a) => a === 'unknown')).toBe(true);
    expect(answers[20]).toBe('rate-limited');
    expect(await lookUpCalendarToken(db, token, '203.0.113.9')).toMatchObject({ kind: 'found' });
    // Malformed tokens count as misses and never reach the table.
    expect(await lookUpCalendarToken(db, "x' or 1=1 --", '203.0.113.10')).toEqual({ kind: 'unknown' });
  });
});

/** The calendar's own lines (depth 1) that come after its first component began. */
function propertiesAfterFirstComponent(body: string): string[] {
  const late: string[] = [];
  let depth = 0;
  let seenComponent = false;
  for (const line of body.split('\r\n')) {
    if (line.startsWith('BEGIN:')) {
      if (depth === 1) seenComponent = true;
      depth += 1;
    } else if (line.startsWith('END:')) depth -= 1;
    else if (depth === 1 && seenComponent && !line.startsWith(' ')) late.push(line);
  }
  return late;
}

describe('the calendar’s own properties', () => {
  it('come before its first component, as RFC 5545 orders them (icalbody = calprops component)', async () => {
    const id = await publishedFrom({ date: '2027-12-13' });
    const person = await makePerson(db);
    await createRsvp(db, person, { activityId: id, partySize: 1, note: '' }, RSVP_CONTEXT);
    const bodies = [
      publicCalendar(await loadActivityForDownload(db, id), context()),
      publicCalendar([], context()),
      personalCalendar(await loadPersonalFeed(db, person.id, FROM), context()),
      personalCalendar({ activities: [], shifts: [], meetings: [] }, context()),
    ];
    for (const body of bodies) {
      expect(propertiesAfterFirstComponent(body)).toEqual([]);
      const head = body.slice(0, body.search(/\r\nBEGIN:(?!VCALENDAR)|\r\nEND:VCALENDAR/));
      for (const line of ['REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:PT1H', 'X-WR-TIMEZONE:Europe/Berlin', 'X-WR-CALNAME:Angebote in Altena\\, Sauerland']) {
        expect(head).toContain(`\r\n${line}`);
      }
    }
  });
});

describe('a series as calendar apps show it', () => {
  it('ends with UNTIL at its last date and keeps a cancelled date as a CANCELLED occurrence, in every parser', async () => {
    const firstId = await publishedFrom({ date: '2028-01-05', repeat: 'weekly', repeatCount: '4', title: 'Spieleabend' });
    const dates = await seriesRows(firstId);
    await cancelActivity(db, organiser, dates[1]!.id, 'Feiertag', RSVP_CONTEXT);
    const body = publicCalendar(await loadActivityForDownload(db, firstId), context());
    const parsed = read(body);
    const uid = `series-${dates[0]!.series_id}@${HOST}`;
    // 18:00 in Berlin on 26 January is 17:00Z; every client reads an end date the same way,
    // while COUNT with cancelled dates made some show a date after the last.
    expect(parsed.rules.get(uid)).toMatch(/^FREQ=WEEKLY;UNTIL=20280126T170000Z$/);
    expect(body).not.toMatch(/COUNT=|EXDATE/);
    const now = await seriesRows(firstId);
    expect(parsed.occurrences.map((o) => [o.uid, o.start, o.status, o.summary])).toEqual(
      now.map((d) => [uid, d.starts_at.toISOString(), d.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED', d.status === 'cancelled' ? 'Abgesagt: Spieleabend' : 'Spieleabend']),
    );
    expect(parsed.occurrences[1]!.description).toContain('Grund: Feiertag');
    expect(parsed.occurrences[1]!.recurrenceId).toBe(now[1]!.series_slot!.toISOString());
  });

  it('in a feed with a time filter holds the dates the list holds, clipped with UNTIL, and cancelled ones there as CANCELLED', async () => {
    const organisation = await makeOrganisation(db);
    const slug = (await db.selectFrom('organisation').select('slug').where('id', '=', organisation).executeTakeFirstOrThrow()).slug;
    await db.insertInto('membership').values({ organisation_id: organisation, user_id: organiser.id, role: 'organiser' }).execute();
    // Six Mondays from 7 February 2028; the window is 14–27 February (the 2nd and 3rd date),
    // the 3rd is cancelled, and the 5th is moved into the window (to Friday 25 February).
    const firstId = await publishedFrom({ organisationId: String(organisation), date: '2028-02-07', repeat: 'weekly', repeatCount: '6', title: 'Nähcafé' });
    const dates = await seriesRows(firstId);
    await cancelActivity(db, organiser, dates[2]!.id, 'Raum belegt', RSVP_CONTEXT);
    await updateActivity(db, organiser, dates[4]!.id, form({ organisationId: String(organisation), title: 'Nähcafé', date: '2028-02-25' }), RSVP_CONTEXT);
    const filters = { organisation: slug, when: 'dates' as const, from: '2028-02-14', to: '2028-02-27' };
    const now = new Date('2028-01-01T00:00:00Z');
    const query = publicFeedQuery(filters, now, TZ);
    const body = publicCalendar(await loadPublicFeed(db, query), context());
    const parsed = read(body);

    const list = await listPublishedActivities(db, { locale: 'de', from: query.from, to: query.to, filters, limit: 100 });
    expect(list.map((l) => l.id)).toEqual([dates[1]!.id, dates[4]!.id]);
    const rows = await seriesRows(firstId);
    // What the list shows, and the cancelled date between them, which the list leaves out
    // but a calendar must learn of.
    expect(parsed.occurrences.map((o) => [o.start, o.status])).toEqual([
      [rows[1]!.starts_at.toISOString(), 'CONFIRMED'],
      [rows[2]!.starts_at.toISOString(), 'CANCELLED'],
      [rows[4]!.starts_at.toISOString(), 'CONFIRMED'],
    ]);
    // Apps that expand the rule themselves stop at the last date in the window.
    const uid = `series-${dates[0]!.series_id}@${HOST}`;
    expect(parsed.rules.get(uid)).toMatch(/UNTIL=/);
    expect(new Set(parsed.occurrences.map((o) => o.uid))).toEqual(new Set([uid]));
    // The download still holds the whole series.
    expect(read(publicCalendar(await loadActivityForDownload(db, firstId), context())).occurrences).toHaveLength(6);
  });
});

describe('the same date in a personal feed and in the download', () => {
  it('is one occurrence (series UID and RECURRENCE-ID) in a calendar that holds both, and shows alone in the personal feed', async () => {
    const person = await makePerson(db);
    const firstId = await publishedFrom({ date: '2028-03-01', repeat: 'weekly', repeatCount: '5', title: 'Laufgruppe' });
    const dates = await seriesRows(firstId);
    // The person goes to the 2nd and the 4th date; the 4th is later moved an hour.
    await createRsvp(db, person, { activityId: dates[1]!.id, partySize: 2, note: '' }, RSVP_CONTEXT);
    await createRsvp(db, person, { activityId: dates[3]!.id, partySize: 2, note: '' }, RSVP_CONTEXT);
    await updateActivity(db, organiser, dates[3]!.id, form({ title: 'Laufgruppe', date: '2028-03-22', startTime: '19:00', endTime: '20:30' }), RSVP_CONTEXT);

    const personal = personalCalendar(await loadPersonalFeed(db, person.id, FROM), context());
    const download = publicCalendar(await loadActivityForDownload(db, dates[1]!.id), context());
    const mine = read(personal);
    const rows = await seriesRows(firstId);
    const uid = `series-${dates[0]!.series_id}@${HOST}`;
    // Alone, the personal feed shows exactly the person's two dates, in every parser.
    expect(mine.occurrences.map((o) => [o.uid, o.start, o.recurrenceId, o.status])).toEqual([
      [uid, rows[1]!.starts_at.toISOString(), rows[1]!.series_slot!.toISOString(), 'CONFIRMED'],
      [uid, rows[3]!.starts_at.toISOString(), rows[3]!.series_slot!.toISOString(), 'CONFIRMED'],
    ]);
    expect(mine.occurrences[0]!.description).toContain('2 Personen');
    // Together with the download, each date is one entry, the person's dates included.
    const together = oneCalendar(download, personal);
    expect(together.size).toBe(5);
    for (const row of rows) expect(together.get(`${uid} ${row.series_slot!.toISOString()}`)).toBeDefined();
  });

  it('raises SEQUENCE when a waitlisted place is confirmed, and never lowers it when a place is given up and taken again', async () => {
    const person = await makePerson(db);
    const other = await makePerson(db);
    const id = await makeActivity(db, organisationId, { capacity: 1, startsAt: new Date('2028-04-03T16:00:00Z'), title: 'Kochkurs' });
    await createRsvp(db, other, { activityId: id, partySize: 1, note: '' }, RSVP_CONTEXT);
    const waiting = await createRsvp(db, person, { activityId: id, partySize: 1, note: '' }, RSVP_CONTEXT);
    expect(waiting).toMatchObject({ ok: true, status: 'waitlisted' });
    const event = async () => read(personalCalendar(await loadPersonalFeed(db, person.id, FROM), context())).occurrences.find((o) => o.uid === `activity-${id}@${HOST}`);
    const before = await event();
    expect(before?.status).toBe('TENTATIVE');
    const theirs = (await db.selectFrom('rsvp').select('id').where('user_id', '=', other.id).where('activity_id', '=', id).executeTakeFirstOrThrow()).id;
    await cancelRsvp(db, other, theirs, RSVP_CONTEXT); // the person moves up
    const confirmed = await event();
    expect(confirmed?.status).toBe('CONFIRMED');
    expect(confirmed!.sequence).toBeGreaterThan(before!.sequence);
    if (!waiting.ok) throw new Error('refused');
    await cancelRsvp(db, person, waiting.rsvpId, RSVP_CONTEXT);
    await createRsvp(db, other, { activityId: id, partySize: 1, note: '' }, RSVP_CONTEXT);
    await createRsvp(db, person, { activityId: id, partySize: 1, note: '' }, RSVP_CONTEXT); // waitlisted again
    const again = await event();
    expect(again?.status).toBe('TENTATIVE');
    expect(again!.sequence).toBeGreaterThan(confirmed!.sequence);
  });
});

describe('Last-Modified', () => {
  it('of a personal feed moves forward when a place is given up, though the rows left are older', async () => {
    const person = await makePerson(db);
    const first = await makeActivity(db, organisationId, { capacity: 20, startsAt: new Date('2028-05-02T16:00:00Z') });
    const second = await makeActivity(db, organisationId, { capacity: 20, startsAt: new Date('2028-05-09T16:00:00Z') });
    await createRsvp(db, person, { activityId: first, partySize: 1, note: '' }, RSVP_CONTEXT, new Date('2027-03-01T10:00:00Z'));
    const later = await createRsvp(db, person, { activityId: second, partySize: 1, note: '' }, RSVP_CONTEXT, new Date('2027-03-02T10:00:00Z'));
    if (!later.ok) throw new Error('refused');
    const before = (await personalFeedFingerprint(db, person.id, FROM)).lastModified!;
    const givenUp = new Date('2027-03-03T10:00:00Z');
    await cancelRsvp(db, person, later.rsvpId, RSVP_CONTEXT, givenUp);
    const after = (await personalFeedFingerprint(db, person.id, FROM)).lastModified!;
    expect(after.getTime()).toBeGreaterThan(before.getTime());
    expect(after.getTime()).toBeGreaterThanOrEqual(givenUp.getTime());
  });

  it('of a public feed can count a change that took an activity out of it', async () => {
    const organisation = await makeOrganisation(db);
    const slug = (await db.selectFrom('organisation').select('slug').where('id', '=', organisation).executeTakeFirstOrThrow()).slug;
    const stays = await makeActivity(db, organisation, { startsAt: new Date('2028-05-03T16:00:00Z'), extra: { category: 'sports', updated_at: new Date('2027-02-01T00:00:00Z') } });
    const leaves = await makeActivity(db, organisation, { startsAt: new Date('2028-05-04T16:00:00Z'), extra: { category: 'sports', updated_at: new Date('2027-02-02T00:00:00Z') } });
    const query = { filters: { organisation: slug, category: 'sports' as const }, from: FROM };
    expect((await publicFeedFingerprint(db, query)).lastModified).toEqual(new Date('2027-02-02T00:00:00Z'));
    const edited = new Date();
    await db.updateTable('activity').set({ category: 'culture', updated_at: edited }).where('id', '=', leaves).execute();
    // The feed's own rows are older than the change that took one out (their latest change even
    // went back) …
    expect((await publicFeedFingerprint(db, query)).lastModified).toEqual(new Date('2027-02-01T00:00:00Z'));
    // … so its Last-Modified also takes the latest change of any activity a feed could hold.
    expect((await latestPublicChange(db))!.getTime()).toBeGreaterThanOrEqual(edited.getTime());
    const version = await publicFeedVersion(db, query, ['de', 'https://ankommen.example', 'Europe/Berlin', 'Angebote'], undefined);
    expect(version.lastModified!.getTime()).toBeGreaterThanOrEqual(edited.getTime());
    expect((await loadPublicFeed(db, query)).map((r) => r.id)).toEqual([stays]);
  });
});
