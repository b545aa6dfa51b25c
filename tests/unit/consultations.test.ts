// Consultation hours: a slot is never booked twice however many press at once; cancelling frees
// it for someone else; a language nobody on duty speaks is allowed and marked "interpreter
// needed"; only the organisation's staff publish hours, see the day list (with topics and notes)
// and check people in — everyone else gets "not found"; the confirmation mail is in the
// person's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { getSlot, listComingHours, listMyBookings, loadDayList, loadStaffHours } from '../../src/features/consultations/consultations.queries.ts';
import { bookInput, hourInput, type HourInput } from '../../src/features/consultations/consultations.schema.ts';
import { bookSlot, cancelBooking, markAttendance, publishHours, slotStarts } from '../../src/features/consultations/consultations.service.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { personalCalendar } from '../../src/features/feeds/calendar.ts';
import { loadPersonalFeed, personalFeedFingerprint } from '../../src/features/feeds/feeds.queries.ts';
import { translator } from '../../src/i18n/index.ts';
import type { OutboxMessage } from '../../src/features/outbox/outbox.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeOrganiser, TOWN_ZONE } from '../helpers/volunteering.ts';

const ORIGIN = { baseUrl: 'https://ankommen.example', ip: '127.0.0.1' };
const NOW = new Date('2030-05-20T10:00:00Z');
/** Monday 3 June 2030, 09:00–10:00 in Berlin (07:00–08:00 UTC): three slots of 20 minutes. */
const DAY_START = new Date('2030-06-02T22:00:00Z');
const DAY_END = new Date('2030-06-03T22:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organisation: { slug: string };
let organiser: Awaited<ReturnType<typeof makeOrganiser>>;
let otherOrganiser: Awaited<ReturnType<typeof makeOrganiser>>;

function hourForm(overrides: Partial<HourInput> = {}): HourInput {
  return { organisationId, date: '2030-06-03', startTime: '09:00', endTime: '10:00', slotMinutes: 20, weeks: 1, remote: false, place: 'Rathaus, Raum 12', topics: ['housing', 'residence'], languages: ['de', 'ar'], ...overrides };
}

async function publishOneHour(overrides: Partial<HourInput> = {}): Promise<number[]> {
  const before = await db.selectFrom('consultation_slot').select('id').execute();
  const result = await publishHours(db, organiser, hourForm(overrides), TOWN_ZONE, NOW);
  expect(result.ok).toBe(true);
  const after = await db.selectFrom('consultation_slot').select('id').orderBy('starts_at').orderBy('id').execute();
  const known = new Set(before.map((s) => s.id));
  return after.map((s) => s.id).filter((id) => !known.has(id));
}

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  const otherOrganisationId = await makeOrganisation(db);
  organisation = await db.selectFrom('organisation').select('slug').where('id', '=', organisationId).executeTakeFirstOrThrow();
  organiser = await makeOrganiser(db, organisationId);
  otherOrganiser = await makeOrganiser(db, otherOrganisationId, 'Otto Other');
});
afterAll(() => handle?.close());

describe('publishing', () => {
  it('cuts the window into back-to-back slots that end by its end', () => {
    const starts = slotStarts(new Date('2030-06-03T07:00:00Z'), new Date('2030-06-03T08:10:00Z'), 20);
    expect(starts.map((s) => s.toISOString())).toEqual(['2030-06-03T07:00:00.000Z', '2030-06-03T07:20:00.000Z', '2030-06-03T07:40:00.000Z']);
  });

  it('publishes a weekly hour as one hour per week, in the town time across the clock change', async () => {
    const result = await publishHours(db, organiser, hourForm({ date: '2030-10-21', weeks: 3 }), TOWN_ZONE, NOW);
    expect(result).toEqual({ ok: true, hours: 3 });
    const hours = await db.selectFrom('consultation_hour').select('starts_at').where('starts_at', '>=', new Date('2030-10-20T00:00:00Z')).orderBy('starts_at').execute();
    // 09:00 in Berlin: summer time (UTC+2) on 21 October, winter time (UTC+1) after 27 October.
    expect(hours.map((h) => h.starts_at.toISOString())).toEqual(['2030-10-21T07:00:00.000Z', '2030-10-28T08:00:00.000Z', '2030-11-04T08:00:00.000Z']);
  });

  it('refuses a date in the past, a window shorter than a slot, and a form without place, topics or languages', async () => {
    expect(await publishHours(db, organiser, hourForm({ date: '2030-05-01' }), TOWN_ZONE, NOW)).toEqual({ ok: false, fields: { date: 'consultations.error.past' } });
    expect(await publishHours(db, organiser, hourForm({ endTime: '09:10' }), TOWN_ZONE, NOW)).toEqual({ ok: false, fields: { endTime: 'consultations.error.tooShort' } });
    const parsed = hourInput.safeParse({ organisationId: '1', date: '2030-06-03', startTime: '10:00', endTime: '09:00', slotMinutes: '20', weeks: '1', place: '' });
    expect(parsed.success).toBe(false);
    const fields = Object.fromEntries(parsed.error!.issues.map((i) => [i.path[0], i.message]));
    expect(fields).toMatchObject({ endTime: 'error.time.endBeforeStart', place: 'consultations.error.place', topics: 'consultations.error.topics', languages: 'consultations.error.languages' });
    expect(hourInput.safeParse({ organisationId: '1', date: '2030-06-03', startTime: '09:00', endTime: '10:00', slotMinutes: '20', weeks: '1', remote: 'on', place: '', topics: ['health'], languages: ['uk'] }).success).toBe(true);
  });

  it('lets only the organisation’s members publish: anyone else gets "not found"', async () => {
    const stranger = await makePerson(db);
    for (const person of [otherOrganiser, stranger, null]) {
      await expect(publishHours(db, person, hourForm(), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
  });
});

describe('booking', () => {
  it('50 people at once for one slot: exactly one booking, the others are told it is taken', async () => {
    const [slotId] = await publishOneHour();
    const people = await Promise.all(Array.from({ length: 50 }, () => makePerson(db)));
    const results = await Promise.all(people.map((p) => bookSlot(db, p, { slotId: slotId!, topic: 'housing', language: 'ar', note: '' }, ORIGIN, NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => ('refusal' in r ? r.refusal.key : null))).toEqual(Array(49).fill('consultations.error.taken'));
    const live = await db.selectFrom('consultation_booking').select('id').where('slot_id', '=', slotId!).where('status', '=', 'booked').execute();
    expect(live).toHaveLength(1);
  });

  it('marks a booking in a language nobody on duty speaks "interpreter needed", and one in a spoken language not', async () => {
    const [first, second] = await publishOneHour();
    const dari = await makePerson(db, { locale: 'fa' });
    const arabic = await makePerson(db, { locale: 'ar' });
    expect(await bookSlot(db, dari, { slotId: first!, topic: 'residence', language: 'fa', note: 'Aufenthaltstitel verlängern' }, ORIGIN, NOW)).toMatchObject({ ok: true, interpreterNeeded: true });
    expect(await bookSlot(db, arabic, { slotId: second!, topic: 'housing', language: 'ar', note: '' }, ORIGIN, NOW)).toMatchObject({ ok: true, interpreterNeeded: false });
    const [mine] = await listMyBookings(db, dari.id, NOW);
    expect(mine).toMatchObject({ slotId: first, language: 'fa', interpreterNeeded: true, topic: 'residence' });
  });

  it('shows free slots only, and marks per hour whether someone speaks the chosen language', async () => {
    const slots = await publishOneHour({ date: '2030-06-10', languages: ['uk'] });
    const person = await makePerson(db);
    await bookSlot(db, person, { slotId: slots[1]!, topic: 'housing', language: 'uk', note: '' }, ORIGIN, NOW);
    const hour = (await listComingHours(db, NOW, 'fa')).find((h) => h.freeSlots.some((s) => s.id === slots[0]))!;
    expect(hour.freeSlots.map((s) => s.id)).toEqual([slots[0], slots[2]]);
    expect(hour.speaksChosen).toBe(false);
    expect((await listComingHours(db, NOW, 'uk')).find((h) => h.id === hour.id)!.speaksChosen).toBe(true);
    expect((await listComingHours(db, NOW, null)).find((h) => h.id === hour.id)!.speaksChosen).toBeNull();
    expect((await getSlot(db, slots[1]!, NOW)).taken).toBe(true);
    await expect(getSlot(db, 2_000_000_000, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a topic the hour does not offer, a slot that has begun, and a signed-out visitor', async () => {
    const [slotId] = await publishOneHour();
    const person = await makePerson(db);
    expect(await bookSlot(db, person, { slotId: slotId!, topic: 'health', language: 'de', note: '' }, ORIGIN, NOW)).toEqual({ ok: false, fields: { topic: 'consultations.error.topic' } });
    expect(await bookSlot(db, person, { slotId: slotId!, topic: 'housing', language: 'de', note: '' }, ORIGIN, new Date('2030-06-03T07:05:00Z'))).toEqual({ ok: false, refusal: { key: 'consultations.error.started' } });
    await expect(bookSlot(db, null, { slotId: slotId!, topic: 'housing', language: 'de', note: '' }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bookSlot(db, person, { slotId: 2_000_000_000, topic: 'housing', language: 'de', note: '' }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(bookInput.safeParse({ slotId: '1', topic: 'housing', language: 'xx', note: '' }).success).toBe(false);
    expect(bookInput.safeParse({ slotId: '1', topic: 'housing', language: 'fa', note: 'x'.repeat(501) }).success).toBe(false);
  });

  it('cancelling frees the slot for someone else; another person’s booking is "not found"', async () => {
    const [slotId] = await publishOneHour();
    const [first, second] = await Promise.all([makePerson(db), makePerson(db)]);
    const booked = await bookSlot(db, first, { slotId: slotId!, topic: 'housing', language: 'de', note: '' }, ORIGIN, NOW);
    if (!booked.ok || !('bookingId' in booked)) throw new Error('not booked');
    await expect(cancelBooking(db, second, booked.bookingId, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await cancelBooking(db, first, booked.bookingId, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await cancelBooking(db, first, booked.bookingId, ORIGIN, NOW)).toEqual({ ok: false, refusal: { key: 'consultations.error.cancelled' } });
    expect(await bookSlot(db, second, { slotId: slotId!, topic: 'housing', language: 'de', note: '' }, ORIGIN, NOW)).toMatchObject({ ok: true });
    // And the first person rebooks another slot.
    const [other] = await publishOneHour({ date: '2030-06-17' });
    expect(await bookSlot(db, first, { slotId: other!, topic: 'housing', language: 'de', note: '' }, ORIGIN, NOW)).toMatchObject({ ok: true });
  });

  it('writes a confirmation mail in the person’s language that says an interpreter is needed', async () => {
    const [slotId] = await publishOneHour({ date: '2030-06-24' });
    const dari = await makePerson(db, { locale: 'fa', name: 'Zahra Ahmadi' });
    await bookSlot(db, dari, { slotId: slotId!, topic: 'residence', language: 'fa', note: '' }, ORIGIN, NOW);
    const row = await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', dari.id).where('kind', '=', 'consultation_booked').executeTakeFirstOrThrow();
    expect(row.locale).toBe('fa');
    const mail = renderMail({ id: row.id, kind: 'consultation_booked', recipientUserId: dari.id, recipientEmail: row.recipient_email, channel: 'email', locale: 'fa', payload: row.payload as Record<string, unknown>, attempts: 0 } as OutboxMessage, { townName: 'Altena', timeZone: TOWN_ZONE });
    expect(mail.text).toContain('مترجم لازم است');
    expect(mail.text).toContain('ادارات و اقامت');
    expect(mail.text).toContain('Zahra');
  });
});

describe('the office', () => {
  it('sees the day’s bookings in time order with topic, language and note, and checks people in', async () => {
    const slots = await publishOneHour({ date: '2030-07-01' });
    const [early, late] = await Promise.all([makePerson(db, { name: 'Early Bird' }), makePerson(db, { name: 'Late Comer' })]);
    const lateBooking = await bookSlot(db, late, { slotId: slots[2]!, topic: 'housing', language: 'fa', note: 'Mietvertrag' }, ORIGIN, NOW);
    const earlyBooking = await bookSlot(db, early, { slotId: slots[0]!, topic: 'residence', language: 'de', note: '' }, ORIGIN, NOW);
    if (!lateBooking.ok || !('bookingId' in lateBooking) || !earlyBooking.ok || !('bookingId' in earlyBooking)) throw new Error('not booked');
    const { bookings } = await loadDayList(db, organiser, organisation.slug, new Date('2030-06-30T22:00:00Z'), new Date('2030-07-01T22:00:00Z'));
    expect(bookings.map((b) => [b.name, b.topic, b.language, b.note, b.interpreterNeeded])).toEqual([
      ['Early Bird', 'residence', 'de', '', false],
      ['Late Comer', 'housing', 'fa', 'Mietvertrag', true],
    ]);
    expect(await markAttendance(db, organiser, earlyBooking.bookingId, 'present', NOW)).toEqual({ ok: true });
    expect(await markAttendance(db, organiser, lateBooking.bookingId, 'no_show', NOW)).toEqual({ ok: true });
    const after = await loadDayList(db, organiser, organisation.slug, new Date('2030-06-30T22:00:00Z'), new Date('2030-07-01T22:00:00Z'));
    expect(after.bookings.map((b) => b.attendance)).toEqual(['present', 'no_show']);
    const { hours } = await loadStaffHours(db, organiser, organisation.slug, NOW);
    expect(hours.find((h) => h.startsAt.toISOString() === '2030-07-01T07:00:00.000Z')).toMatchObject({ slots: 3, booked: 2 });
  });

  it('is closed to everyone but the organisation’s members: the day list, the hours and check-in are "not found"', async () => {
    const [slotId] = await publishOneHour({ date: '2030-07-08' });
    const booker = await makePerson(db);
    const booked = await bookSlot(db, booker, { slotId: slotId!, topic: 'housing', language: 'de', note: 'privat' }, ORIGIN, NOW);
    if (!booked.ok || !('bookingId' in booked)) throw new Error('not booked');
    for (const person of [otherOrganiser, booker, null]) {
      await expect(loadDayList(db, person, organisation.slug, DAY_START, DAY_END)).rejects.toBeInstanceOf(NotFoundError);
      await expect(loadStaffHours(db, person, organisation.slug, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(markAttendance(db, person, booked.bookingId, 'present', NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(loadDayList(db, organiser, 'no-such-organisation', DAY_START, DAY_END)).rejects.toBeInstanceOf(NotFoundError);
    await expect(markAttendance(db, organiser, 2_000_000_000, 'present', NOW)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the personal calendar feed', () => {
  it('holds the booked slot in the person’s language, without the note, and drops it when cancelled', async () => {
    const [slotId] = await publishOneHour({ date: '2030-07-15' });
    const person = await makePerson(db, { locale: 'fa' });
    const booked = await bookSlot(db, person, { slotId: slotId!, topic: 'residence', language: 'fa', note: 'sehr privat' }, ORIGIN, NOW);
    if (!booked.ok || !('bookingId' in booked)) throw new Error('not booked');
    const context = { baseUrl: 'https://ankommen.example', timeZone: TOWN_ZONE, t: translator('fa'), name: 'Altena', organizerEmail: 'portal@ankommen.example', refreshSeconds: 900 };
    const before = await personalFeedFingerprint(db, person.id, NOW);
    const ics = personalCalendar(await loadPersonalFeed(db, person.id, NOW), context).replace(/\r\n /g, '');
    expect(ics).toContain(`UID:consultation-${booked.bookingId}@ankommen.example`);
    // The organisation's name sits in its own isolate inside the Persian title.
    expect(ics).toContain('SUMMARY:مشاوره: \u2068Test-Verein\u2069');
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20300715T090000');
    expect(ics).toContain('LOCATION:Rathaus\\, Raum 12');
    expect(ics).toContain('مترجم لازم است');
    expect(ics).not.toContain('sehr privat');
    await cancelBooking(db, person, booked.bookingId, ORIGIN, NOW);
    const after = await personalFeedFingerprint(db, person.id, NOW);
    expect(after.idSum).not.toBe(before.idSum);
    expect(personalCalendar(await loadPersonalFeed(db, person.id, NOW), context)).not.toContain('UID:consultation-');
  });
});
