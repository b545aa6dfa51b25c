// Repeating activities: dates by the calendar (18:00 stays 18:00 across the clock change),
// each occurrence on its own, and courses where one RSVP holds a seat in every date to come.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { activityInput } from '../../src/features/activities/activities.schema.ts';
import { cancelActivity, createActivity, deleteDraft, publishActivity, reinstateActivity, updateActivity } from '../../src/features/activities/activities.service.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { occurrenceDates } from '../../src/features/activities/series.ts';
import { cancelRsvp, changePartySize, createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeOrganisation, makePerson, createdId } from '../helpers/fixtures.ts';

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

describe('a series at a time the clocks skip', () => {
  it('is created: the date in the spring-forward gap moves forward by the gap and keeps its length', async () => {
    // Sunday 14 March 2027, 02:30–03:30, weekly, 4 dates: on 28 March 02:30 does not exist.
    const parsed = form({ date: '2027-03-14', startTime: '02:30', endTime: '03:30', repeat: 'weekly', repeatCount: '4' });
    const spans = parsed.occurrences.map((o) => `${o.startsAt.toISOString()} ${o.endsAt.toISOString()}`);
    expect(spans).toEqual([
      '2027-03-14T01:30:00.000Z 2027-03-14T02:30:00.000Z',
      '2027-03-21T01:30:00.000Z 2027-03-21T02:30:00.000Z',
      // 03:30–04:30 summer time, as a calendar app reads 02:30 that night.
      '2027-03-28T01:30:00.000Z 2027-03-28T02:30:00.000Z',
      '2027-04-04T00:30:00.000Z 2027-04-04T01:30:00.000Z',
    ]);
    const created = await createActivity(db, organiser, parsed, new Date('2027-01-01T00:00:00Z'));
    const rows = await occurrences(created.ok ? created.id : -1);
    expect(rows.map((r) => r.ends_at.getTime() - r.starts_at.getTime())).toEqual([3600_000, 3600_000, 3600_000, 3600_000]);
  });
});

describe('a series of activities', () => {
  it('is created as drafts, published together, and each date can be moved or cancelled alone', async () => {
    const first = createdId(await createActivity(db, organiser, form({ repeat: 'weekly', repeatCount: '4' }), NOW));
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
    const first = createdId(await createActivity(db, organiser, form(), NOW));
    await publishActivity(db, organiser, first, NOW);
    const person = await makePerson(db);
    await createRsvp(db, person, { activityId: first, partySize: 1, note: '' }, CONTEXT, NOW);
    expect((await seriesRsvps(first, person.id)).map((r) => r.activity_id)).toEqual([first]);
  });
});

describe('a course (sign up for the whole series)', () => {
  it('holds a seat in every date to come with one RSVP, and moves the waitlist up in all of them together', async () => {
    const first = createdId(await createActivity(db, organiser, form({ wholeSeries: 'on' }), NOW));
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
    const first = createdId(await createActivity(db, organiser, form({ wholeSeries: 'on', capacity: '3' }), NOW));
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

/** The dates of the series in the rule's order (a moved date stays in its place). */
async function datesOf(anyId: number) {
  const { series_id } = await db.selectFrom('activity').select('series_id').where('id', '=', anyId).executeTakeFirstOrThrow();
  return db.selectFrom('activity').selectAll().where('series_id', '=', series_id).orderBy('series_slot').orderBy('id').execute();
}

/** A published weekly series from Thursday 17 October 2030 (summer time) across the clock change. */
async function publishedSeries(overrides: Record<string, unknown> = {}) {
  const first = createdId(await createActivity(db, organiser, form({ date: '2030-10-17', repeatCount: '5', capacity: '10', ...overrides }), NOW));
  expect(await publishActivity(db, organiser, first, NOW)).toEqual({ ok: true, published: Number(overrides.repeatCount ?? 5) });
  return datesOf(first);
}

/** The form as the edit page shows it for one date (its own day and times), with changes. */
const editForm = (date: string, overrides: Record<string, unknown> = {}) => form({ date, capacity: '10', repeat: 'none', repeatCount: null, ...overrides });

const berlin = (d: Date) => d.toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 16);

async function changedMails(userId: number, kind = 'activity_changed') {
  return db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', userId).where('kind', '=', kind).orderBy('id').execute();
}

describe('editing a series: this date, this and all following, the whole series', () => {
  it('the whole series: the changed fields reach every date to come; RSVPs, moved and cancelled dates and dates begun stay', async () => {
    let dates = await publishedSeries();
    const guest = await makePerson(db);
    const rsvp = await createRsvp(db, guest, { activityId: dates[1]!.id, partySize: 2, note: '' }, CONTEXT, NOW);
    // Date 3 moved alone to 19:00, date 4 cancelled; date 1 is over when the series is edited.
    await updateActivity(db, organiser, dates[2]!.id, editForm('2030-10-31', { startTime: '19:00', endTime: '20:30', placeName: 'Rathaus' }), CONTEXT, NOW);
    await cancelActivity(db, organiser, dates[3]!.id, 'Feiertag', CONTEXT, NOW);
    const later = new Date('2030-10-20T10:00:00Z');

    const result = await updateActivity(db, organiser, dates[1]!.id, editForm('2030-10-24', { scope: 'all', cost: '3 €', description: 'Bitte Heft mitbringen.' }), CONTEXT, later);
    expect(result).toEqual({ ok: true, changed: 4 });
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => d.cost)).toEqual([null, '3 €', '3 €', '3 €', '3 €']);
    expect(dates.map((d) => d.description)).toEqual(['', 'Bitte Heft mitbringen.', 'Bitte Heft mitbringen.', 'Bitte Heft mitbringen.', 'Bitte Heft mitbringen.']);
    expect(dates.map((d) => d.status)).toEqual(['published', 'published', 'published', 'cancelled', 'published']);
    // The moved date keeps its own time and place: only cost and description were changed.
    expect(berlin(dates[2]!.starts_at)).toBe('2030-10-31 19:00');
    expect(dates[2]!.place_name).toBe('Rathaus');
    expect(dates.map((d) => d.revision)).toEqual([0, 0, 1, 1, 0]);
    if (!rsvp.ok) throw new Error('refused');
    expect(await db.selectFrom('rsvp').select(['status', 'party_size']).where('id', '=', rsvp.rsvpId).executeTakeFirstOrThrow()).toEqual({ status: 'going', party_size: 2 });
    // Neither time nor place changed: nobody is written to.
    expect(await changedMails(guest.id)).toEqual([]);
  });

  it('this and all following: a new time applies to each date on its own day; a date moved alone keeps its time; one mail per person', async () => {
    let dates = await publishedSeries();
    const guest = await makePerson(db);
    for (const d of dates.slice(1, 4)) await createRsvp(db, guest, { activityId: d.id, partySize: 1, note: '' }, CONTEXT, NOW);
    // Date 4 (Thursday 7 November) moved alone to Friday.
    await updateActivity(db, organiser, dates[3]!.id, editForm('2030-11-08'), CONTEXT, NOW);
    const mailsBefore = (await changedMails(guest.id)).length;

    const result = await updateActivity(db, organiser, dates[1]!.id, editForm('2030-10-24', { scope: 'following', startTime: '17:00', endTime: '19:00' }), CONTEXT, NOW);
    expect(result).toEqual({ ok: true, changed: 4 });
    dates = await datesOf(dates[0]!.id);
    // 17:00 in Berlin on each date's own day, in summer and in winter time.
    expect(dates.map((d) => `${berlin(d.starts_at)}–${berlin(d.ends_at).slice(11)}`)).toEqual([
      '2030-10-17 18:00–19:30',
      '2030-10-24 17:00–19:00',
      '2030-10-31 17:00–19:00',
      '2030-11-08 18:00–19:30',
      '2030-11-14 17:00–19:00',
    ]);
    // The rule moved, the moved date with it: its calendar entry still names where the rule puts it.
    expect(dates.map((d) => berlin(d.series_slot!))).toEqual(['2030-10-17 18:00', '2030-10-24 17:00', '2030-10-31 17:00', '2030-11-07 17:00', '2030-11-14 17:00']);
    expect(dates.map((d) => d.revision)).toEqual([0, 1, 1, 1, 1]);
    // One mail for the two dates of the guest's whose time changed, listing both.
    const mails = (await changedMails(guest.id)).slice(mailsBefore);
    expect(mails).toHaveLength(1);
    const text = renderMail({ id: 1, kind: 'activity_changed', recipientUserId: guest.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'de', payload: mails[0]!.payload, attempts: 0 }, { townName: 'Altena', timeZone: TZ }).text;
    expect(text).toContain('Bei 2 Terminen, zu denen Sie angemeldet sind, haben sich Zeit oder Ort geändert.');
    expect(text).toContain('Donnerstag, 24. Oktober, 17:00–19:00 Uhr');
    expect(text).toContain('Donnerstag, 31. Oktober, 17:00–19:00 Uhr');
    expect(text).not.toContain('8. November');
  });

  it('this date only: nothing else changes, and the date keeps its place in the rule', async () => {
    let dates = await publishedSeries();
    expect(await updateActivity(db, organiser, dates[2]!.id, editForm('2030-10-31', { cost: '5 €', startTime: '16:00', endTime: '17:00' }), CONTEXT, NOW)).toEqual({ ok: true, changed: 1 });
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => d.cost)).toEqual([null, null, '5 €', null, null]);
    expect(berlin(dates[2]!.starts_at)).toBe('2030-10-31 16:00');
    expect(berlin(dates[2]!.series_slot!)).toBe('2030-10-31 18:00');
  });

  it('moving the whole series to another weekday shifts every date to come by as many days', async () => {
    let dates = await publishedSeries({ repeatCount: '3' });
    await updateActivity(db, organiser, dates[0]!.id, editForm('2030-10-18', { scope: 'all' }), CONTEXT, NOW);
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => berlin(d.starts_at))).toEqual(['2030-10-18 18:00', '2030-10-25 18:00', '2030-11-01 18:00']);
  });

  it('checks every date before writing: too many seats taken on a later date refuses the whole change', async () => {
    let dates = await publishedSeries({ repeatCount: '3' });
    const family = await makePerson(db);
    await createRsvp(db, family, { activityId: dates[2]!.id, partySize: 3, note: '' }, CONTEXT, NOW);
    const refused = await updateActivity(db, organiser, dates[0]!.id, editForm('2030-10-17', { scope: 'all', capacity: '2', description: 'Neu' }), CONTEXT, NOW);
    expect(refused).toEqual({ ok: false, fields: { capacity: 'error.capacity.belowTakenOn' }, count: 3, date: dates[2]!.starts_at });
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => [d.capacity, d.description])).toEqual([[10, ''], [10, ''], [10, '']]);
  });

  it('a deadline keeps its distance from each date', async () => {
    let dates = await publishedSeries({ repeatCount: '3' });
    await updateActivity(db, organiser, dates[0]!.id, editForm('2030-10-17', { scope: 'all', deadlineDate: '2030-10-16', deadlineTime: '12:00' }), CONTEXT, NOW);
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => berlin(d.rsvp_deadline!))).toEqual(['2030-10-16 12:00', '2030-10-23 12:00', '2030-10-30 12:00']);
  });

  it('refuses a deadline that would fall after the start of another date, and changes nothing', async () => {
    let dates = await publishedSeries({ repeatCount: '3' });
    // The third date moved alone to 16:00; a deadline of 17:00 on each date's own day comes too late for it.
    await updateActivity(db, organiser, dates[2]!.id, editForm('2030-10-31', { startTime: '16:00', endTime: '17:30' }), CONTEXT, NOW);
    const refused = await updateActivity(db, organiser, dates[0]!.id, editForm('2030-10-17', { scope: 'all', deadlineDate: '2030-10-17', deadlineTime: '17:00', cost: '2 €' }), CONTEXT, NOW);
    expect(refused).toEqual({ ok: false, fields: { deadlineDate: 'error.deadline.afterStartOn' }, date: new Date('2030-10-31T15:00:00Z') });
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => [d.rsvp_deadline, d.cost])).toEqual([[null, null], [null, null], [null, null]]);
  });

  it('leaves a cancelled date as it is: it is edited only once reinstated', async () => {
    let dates = await publishedSeries({ repeatCount: '3' });
    await cancelActivity(db, organiser, dates[1]!.id, 'Feiertag', CONTEXT, NOW);
    await expect(updateActivity(db, organiser, dates[1]!.id, editForm('2030-10-24', { cost: '2 €' }), CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateActivity(db, organiser, dates[1]!.id, editForm('2030-10-24', { scope: 'all', cost: '2 €' }), CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => [d.status, d.cost, d.revision])).toEqual([['published', null, 0], ['cancelled', null, 1], ['published', null, 0]]);
  });

  it("is 'not found' for anyone but the organisation, and changes nothing", async () => {
    const dates = await publishedSeries({ repeatCount: '3' });
    const [stranger, otherOrganiser] = await Promise.all([makePerson(db), makePerson(db)]);
    const other = await makeOrganisation(db);
    await db.insertInto('membership').values({ organisation_id: other, user_id: otherOrganiser.id, role: 'organiser' }).execute();
    for (const who of [stranger, otherOrganiser, null]) {
      await expect(updateActivity(db, who, dates[0]!.id, editForm('2030-10-17', { scope: 'all', title: 'Übernommen' }), CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(cancelActivity(db, who, dates[0]!.id, 'Nein', CONTEXT, NOW, 'all')).rejects.toBeInstanceOf(NotFoundError);
      await expect(reinstateActivity(db, who, dates[0]!.id, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(deleteDraft(db, who, dates[0]!.id, 'all', NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    // Another organisation's form cannot pull the series over either.
    await expect(updateActivity(db, otherOrganiser, dates[0]!.id, { ...editForm('2030-10-17', { scope: 'all' }), organisationId: other }, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect((await datesOf(dates[0]!.id)).map((d) => [d.title, d.status])).toEqual([['Deutschkurs A1', 'published'], ['Deutschkurs A1', 'published'], ['Deutschkurs A1', 'published']]);
  });
});

describe('cancelling and reinstating dates of a series', () => {
  it('cancels this and all following dates still to come, telling each person once', async () => {
    let dates = await publishedSeries();
    const guest = await makePerson(db);
    for (const d of dates) await createRsvp(db, guest, { activityId: d.id, partySize: 1, note: '' }, CONTEXT, NOW);
    await cancelActivity(db, organiser, dates[4]!.id, 'Krank', CONTEXT, NOW);
    expect(await cancelActivity(db, organiser, dates[2]!.id, 'Die Lehrerin zieht weg.', CONTEXT, NOW, 'following')).toEqual({ cancelled: 2 });
    dates = await datesOf(dates[0]!.id);
    expect(dates.map((d) => [d.status, d.cancel_reason])).toEqual([
      ['published', null],
      ['published', null],
      ['cancelled', 'Die Lehrerin zieht weg.'],
      ['cancelled', 'Die Lehrerin zieht weg.'],
      ['cancelled', 'Krank'],
    ]);
    const mails = await changedMails(guest.id, 'activity_cancelled');
    expect(mails.map((m) => (m.payload.dates as unknown[] | undefined)?.length ?? 1)).toEqual([1, 2]);
  });

  it('a reinstated date is published again with its RSVPs, and the people still signed up are told', async () => {
    let dates = await publishedSeries({ repeatCount: '3' });
    const [going, waiting, left] = await Promise.all([makePerson(db), makePerson(db), makePerson(db)]);
    await db.updateTable('activity').set({ capacity: 2 }).where('id', '=', dates[1]!.id).execute();
    const goingRsvp = await createRsvp(db, going, { activityId: dates[1]!.id, partySize: 2, note: '' }, CONTEXT, NOW);
    await createRsvp(db, waiting, { activityId: dates[1]!.id, partySize: 1, note: '' }, CONTEXT, NOW);
    const leftRsvp = await createRsvp(db, left, { activityId: dates[2]!.id, partySize: 1, note: '' }, CONTEXT, NOW);
    await cancelActivity(db, organiser, dates[1]!.id, 'Der Raum ist belegt.', CONTEXT, NOW);

    expect(await reinstateActivity(db, organiser, dates[1]!.id, CONTEXT, NOW)).toEqual({ ok: true });
    dates = await datesOf(dates[0]!.id);
    expect(dates[1]).toMatchObject({ status: 'published', cancel_reason: null, revision: 2 });
    if (!goingRsvp.ok || !leftRsvp.ok) throw new Error('refused');
    const statuses = await db.selectFrom('rsvp').select(['user_id', 'status']).where('activity_id', '=', dates[1]!.id).orderBy('id').execute();
    expect(statuses).toEqual([{ user_id: going.id, status: 'going' }, { user_id: waiting.id, status: 'waitlisted' }]);
    const told = await db.selectFrom('outbox').select(['recipient_user_id', 'payload']).where('kind', '=', 'activity_reinstated').where('recipient_user_id', 'in', [going.id, waiting.id, left.id]).orderBy('id').execute();
    expect(told.map((m) => [m.recipient_user_id, m.payload.waitlisted])).toEqual([[going.id, false], [waiting.id, true]]);
    const text = renderMail({ id: 1, kind: 'activity_reinstated', recipientUserId: waiting.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'de', payload: told[1]!.payload, attempts: 0 }, { townName: 'Altena', timeZone: TZ }).text;
    expect(text).toContain('Dieser Termin findet nun doch statt.');
    expect(text).toContain('Sie stehen weiter auf der Warteliste.');
    // Reinstating twice changes nothing more; a date that has begun is not reinstated.
    expect(await reinstateActivity(db, organiser, dates[1]!.id, CONTEXT, NOW)).toEqual({ ok: true });
    await cancelActivity(db, organiser, dates[2]!.id, 'x', CONTEXT, NOW);
    expect(await reinstateActivity(db, organiser, dates[2]!.id, CONTEXT, new Date('2030-11-01T00:00:00Z'))).toEqual({ ok: false, refusal: 'series.reinstateStarted' });
  });

  it('in a course, whoever booked while a date was cancelled gets a seat in it when it is reinstated', async () => {
    const dates = await publishedSeries({ repeatCount: '3', wholeSeries: 'on' });
    await cancelActivity(db, organiser, dates[1]!.id, 'Ferien', CONTEXT, NOW);
    const late = await makePerson(db);
    await createRsvp(db, late, { activityId: dates[0]!.id, partySize: 2, note: '' }, CONTEXT, NOW);
    expect((await seriesRsvps(dates[0]!.id, late.id)).map((r) => r.activity_id)).toEqual([dates[0]!.id, dates[2]!.id]);
    await reinstateActivity(db, organiser, dates[1]!.id, CONTEXT, NOW);
    expect((await seriesRsvps(dates[0]!.id, late.id)).map((r) => [r.activity_id, r.status, r.party_size])).toEqual([
      [dates[0]!.id, 'going', 2],
      [dates[1]!.id, 'going', 2],
      [dates[2]!.id, 'going', 2],
    ]);
  });
});

describe('drafts', () => {
  it('are deleted, not cancelled: this date, the following ones or the whole series', async () => {
    const first = createdId(await createActivity(db, organiser, form({ repeatCount: '4' }), NOW));
    const dates = await datesOf(first);
    await expect(cancelActivity(db, organiser, first, 'x', CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await deleteDraft(db, organiser, dates[2]!.id, 'following', NOW)).toEqual({ deleted: 2, remainingId: dates[0]!.id });
    expect((await datesOf(first)).map((d) => d.id)).toEqual([dates[0]!.id, dates[1]!.id]);
    expect(await deleteDraft(db, organiser, dates[1]!.id, 'all', NOW)).toEqual({ deleted: 2, remainingId: null });
    expect(await db.selectFrom('activity_series').select('id').where('id', '=', dates[0]!.series_id!).execute()).toEqual([]);
    // A published date is never deleted.
    const published = (await publishedSeries({ repeatCount: '2' }))[0]!;
    await expect(deleteDraft(db, organiser, published.id, 'this', NOW)).rejects.toBeInstanceOf(NotFoundError);
  });
});
