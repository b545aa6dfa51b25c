// Repeating activities: dates by the calendar (18:00 stays 18:00 across the clock change),
// each occurrence on its own, and courses where one RSVP holds a seat in every date to come.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { activityInput } from '../../src/features/activities/activities.schema.ts';
import { cancelActivity, createActivity, publishActivity, updateActivity } from '../../src/features/activities/activities.service.ts';
import { occurrenceDates } from '../../src/features/activities/series.ts';
import { cancelRsvp, changePartySize, createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeOrganisation, makePerson } from '../helpers/fixtures.ts';

const TZ = 'Europe/Berlin';
const CONTEXT = { baseUrl: 'https://ankommen.example' };
const NOW = new Date('2030-09-01T10:00:00Z');
const schema = activityInput(TZ);

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organiser: SessionUser;

const form = (overrides: Record<string, unknown> = {}) =>
  schema.parse({
    organisationId: String(organisationId),
    title: 'Deutschkurs A1',
    sourceLocale: 'de',
    category: 'language',
    date: '2030-10-24',
    startTime: '18:00',
    endTime: '19:30',
    placeName: 'Integrationsbüro',
    capacity: '2',
    repeat: 'weekly',
    repeatCount: '3',
    ...overrides,
  });

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  organiser = await makePerson(db);
  await db.insertInto('membership').values({ organisation_id: organisationId, user_id: organiser.id, role: 'organiser' }).execute();
});
afterAll(() => handle?.close());

const iso = (dates: { y: number; m: number; d: number }[]) => dates.map((d) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`);

async function occurrences(firstId: number) {
  const { series_id } = await db.selectFrom('activity').select('series_id').where('id', '=', firstId).executeTakeFirstOrThrow();
  return db.selectFrom('activity').selectAll().where('series_id', '=', series_id).orderBy('starts_at').execute();
}

async function seriesRsvps(firstId: number, userId: number) {
  const rows = await occurrences(firstId);
  return db.selectFrom('rsvp').select(['activity_id', 'status', 'party_size']).where('user_id', '=', userId).where('activity_id', 'in', rows.map((r) => r.id)).where('status', '<>', 'cancelled').orderBy('activity_id').execute();
}

describe('dates of a series', () => {
  it('repeats weekly, fortnightly and monthly, skipping months without the day, up to a year and 52 dates', () => {
    expect(iso(occurrenceDates({ y: 2030, m: 12, d: 24 }, 'weekly', { count: 3 }))).toEqual(['2030-12-24', '2030-12-31', '2031-01-07']);
    expect(iso(occurrenceDates({ y: 2030, m: 1, d: 1 }, 'fortnightly', { until: { y: 2030, m: 1, d: 29 } }))).toEqual(['2030-01-01', '2030-01-15', '2030-01-29']);
    expect(iso(occurrenceDates({ y: 2030, m: 1, d: 31 }, 'monthly', { count: 4 }))).toEqual(['2030-01-31', '2030-03-31', '2030-05-31', '2030-07-31']);
    expect(occurrenceDates({ y: 2030, m: 1, d: 1 }, 'weekly', { count: 100 })).toHaveLength(52);
    expect(occurrenceDates({ y: 2030, m: 1, d: 1 }, 'monthly', { until: { y: 2035, m: 1, d: 1 } })).toHaveLength(13);
  });

  it('keeps 18:00 in Berlin across the end of summer time', () => {
    const parsed = form();
    expect(parsed.occurrences.map((o) => o.startsAt.toISOString())).toEqual(['2030-10-24T16:00:00.000Z', '2030-10-31T17:00:00.000Z', '2030-11-07T17:00:00.000Z']);
    const withDeadline = form({ deadlineDate: '2030-10-23', deadlineTime: '12:00' });
    expect(withDeadline.occurrences.map((o) => o.rsvpDeadline?.toISOString())).toEqual(['2030-10-23T10:00:00.000Z', '2030-10-30T11:00:00.000Z', '2030-11-06T11:00:00.000Z']);
  });

  it('asks how often or until when, and refuses an end before the start', () => {
    const issue = (overrides: Record<string, unknown>) => schema.safeParse({ organisationId: '1', title: 'x', category: 'language', date: '2030-10-24', startTime: '18:00', endTime: '19:00', placeName: 'x', repeat: 'weekly', ...overrides }).error?.issues[0];
    expect(issue({})?.message).toBe('error.repeat.endRequired');
    expect(issue({ repeatUntil: '2030-10-20' })?.message).toBe('error.repeat.untilBeforeStart');
    expect(issue({ repeatCount: '1' })?.message).toBe('error.repeat.count');
    expect(issue({ repeatCount: '53' })?.message).toBe('error.repeat.count');
  });
});

describe('a series of activities', () => {
  it('is created as drafts, published together, and each date can be moved or cancelled alone', async () => {
    const first = await createActivity(db, organiser, form({ repeat: 'weekly', repeatCount: '4' }), NOW);
    let rows = await occurrences(first);
    expect(rows.map((r) => r.status)).toEqual(['draft', 'draft', 'draft', 'draft']);
    expect(rows.every((r) => r.series_slot?.getTime() === r.starts_at.getTime())).toBe(true);
    await publishActivity(db, organiser, rows[2]!.id, NOW);
    rows = await occurrences(first);
    expect(rows.map((r) => r.status)).toEqual(['published', 'published', 'published', 'published']);

    await cancelActivity(db, organiser, rows[1]!.id, 'Feiertag', CONTEXT, NOW);
    const moved = rows[2]!;
    await updateActivity(db, organiser, moved.id, form({ date: '2030-11-08', repeat: 'none' }), CONTEXT, NOW);
    rows = await occurrences(first);
    expect(rows.map((r) => r.status)).toEqual(['published', 'cancelled', 'published', 'published']);
    const afterMove = rows.find((r) => r.id === moved.id)!;
    expect(afterMove.starts_at.toISOString()).toBe('2030-11-08T17:00:00.000Z');
    // The rule's slot stays, for the calendar entry of a moved date.
    expect(afterMove.series_slot?.toISOString()).toBe('2030-11-07T17:00:00.000Z');
    expect(afterMove.revision).toBe(1);
  });

  it('takes RSVPs per date when it is not a course', async () => {
    const first = await createActivity(db, organiser, form(), NOW);
    await publishActivity(db, organiser, first, NOW);
    const person = await makePerson(db);
    await createRsvp(db, person, { activityId: first, partySize: 1, note: '' }, CONTEXT, NOW);
    expect((await seriesRsvps(first, person.id)).map((r) => r.activity_id)).toEqual([first]);
  });
});

describe('a course (sign up for the whole series)', () => {
  it('holds a seat in every date to come with one RSVP, and moves the waitlist up in all of them together', async () => {
    const first = await createActivity(db, organiser, form({ wholeSeries: 'on' }), NOW);
    await publishActivity(db, organiser, first, NOW);
    const rows = await occurrences(first);
    const [family, single] = await Promise.all([makePerson(db), makePerson(db)]);
    const booked = await createRsvp(db, family, { activityId: first, partySize: 2, note: '' }, CONTEXT, NOW);
    expect(booked).toMatchObject({ ok: true, status: 'going' });
    expect((await seriesRsvps(first, family.id)).map((r) => r.status)).toEqual(['going', 'going', 'going']);
    // Booking from the second date books it and the third.
    const waiting = await createRsvp(db, single, { activityId: rows[1]!.id, partySize: 1, note: '' }, CONTEXT, NOW);
    expect(waiting).toMatchObject({ ok: true, status: 'waitlisted', waitlistPosition: 1 });
    expect((await seriesRsvps(first, single.id)).map((r) => r.activity_id)).toEqual([rows[1]!.id, rows[2]!.id]);
    // One mail for the course, not one per date.
    expect(await db.selectFrom('outbox').select('id').where('recipient_user_id', '=', family.id).execute()).toHaveLength(1);

    // The family grows: refused, the course is full.
    if (!booked.ok) throw new Error('refused');
    expect(await changePartySize(db, family, { rsvpId: booked.rsvpId, partySize: 3 }, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 0 } });
    // It shrinks to one: a seat frees in every date, and the single person goes in both dates.
    await changePartySize(db, family, { rsvpId: booked.rsvpId, partySize: 1 }, CONTEXT, NOW);
    expect((await seriesRsvps(first, single.id)).map((r) => r.status)).toEqual(['going', 'going']);
    expect(await db.selectFrom('outbox').select('id').where('recipient_user_id', '=', single.id).where('kind', '=', 'rsvp_promoted').execute()).toHaveLength(1);

    // Cancelling leaves every date to come.
    await cancelRsvp(db, family, booked.rsvpId, CONTEXT, NOW);
    expect(await seriesRsvps(first, family.id)).toEqual([]);
  });

  it('never over-books any date when many book at once', async () => {
    const first = await createActivity(db, organiser, form({ wholeSeries: 'on', capacity: '3' }), NOW);
    await publishActivity(db, organiser, first, NOW);
    const rows = await occurrences(first);
    const people = await Promise.all(Array.from({ length: 12 }, () => makePerson(db)));
    // Half book from the first date, half from the second: both kinds compete for dates 2 and 3.
    await Promise.all(people.map((p, i) => createRsvp(db, p, { activityId: rows[i % 2]!.id, partySize: 1, note: '' }, CONTEXT, NOW)));
    const going = await db.selectFrom('rsvp').select(['activity_id', 'user_id']).where('status', '=', 'going').where('activity_id', 'in', rows.map((r) => r.id)).execute();
    for (const row of rows) expect(going.filter((g) => g.activity_id === row.id).length).toBeLessThanOrEqual(3);
    expect(going.filter((g) => g.activity_id === rows[2]!.id)).toHaveLength(3);
  });
});
