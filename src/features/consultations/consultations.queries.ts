// What the consultation pages read: the public list of coming hours with their free slots, one
// slot to book, the person's own bookings, an organisation's hours and its day list. Only
// loadDayList shows topics and notes, and only after consultations.access.ts let the staff in.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ConsultationAttendance } from '../../db/schema-consultations.ts';
import { NotFoundError } from '../access/access.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { firstName } from '../accounts/first-name.ts';
import { interpreterStates, type InterpreterState } from '../help-requests/linked-to-booking.ts';
import { organisationForStaff } from './consultations.access.ts';

/** How far ahead the public list looks. */
export const LIST_WEEKS = 8;

export interface PublicSlot {
  id: number;
  startsAt: Date;
  endsAt: Date;
}

export interface PublicHour {
  id: number;
  organisationName: string;
  startsAt: Date;
  endsAt: Date;
  remote: boolean;
  place: string;
  topics: string[];
  languages: string[];
  slotMinutes: number;
  /** Free slots still to come, in time order. */
  freeSlots: PublicSlot[];
  /** Whether someone on duty speaks the language the visitor chose (null: none chosen). */
  speaksChosen: boolean | null;
}

/** Coming hours with their free slots; `language` marks the hours whose staff speak it. */
export async function listComingHours(db: Kysely<Database>, now: Date, language: string | null): Promise<PublicHour[]> {
  const until = new Date(now.getTime() + LIST_WEEKS * 7 * 86_400_000);
  const hours = await db
    .selectFrom('consultation_hour')
    .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
    .select(['consultation_hour.id', 'organisation.name as organisationName', 'starts_at', 'ends_at', 'remote', 'place', 'topics', 'languages', 'slot_minutes'])
    .where('ends_at', '>', now)
    .where('starts_at', '<', until)
    .where('cancelled_at', 'is', null)
    .orderBy('starts_at')
    .orderBy('consultation_hour.id')
    .execute();
  if (hours.length === 0) return [];
  const slots = await db
    .selectFrom('consultation_slot')
    .select(['id', 'hour_id', 'starts_at', 'ends_at'])
    .where('hour_id', 'in', hours.map((h) => h.id))
    .where('starts_at', '>', now)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('consultation_booking').select('id').whereRef('consultation_booking.slot_id', '=', 'consultation_slot.id').where('status', '=', 'booked'))))
    .orderBy('starts_at')
    .execute();
  return hours.map((h) => ({
    id: h.id,
    organisationName: h.organisationName,
    startsAt: h.starts_at,
    endsAt: h.ends_at,
    remote: h.remote,
    place: h.place,
    topics: h.topics,
    languages: h.languages,
    slotMinutes: h.slot_minutes,
    freeSlots: slots.filter((s) => s.hour_id === h.id).map((s) => ({ id: s.id, startsAt: s.starts_at, endsAt: s.ends_at })),
    speaksChosen: language ? h.languages.includes(language) : null,
  }));
}

export interface SlotView {
  id: number;
  startsAt: Date;
  endsAt: Date;
  organisationName: string;
  remote: boolean;
  place: string;
  topics: string[];
  languages: string[];
  /** Someone holds it: nobody may book it now. */
  taken: boolean;
  /** The slot has begun: too late to book. */
  started: boolean;
  /** The office cancelled the hour: nobody may book it. */
  cancelled: boolean;
}

/** One slot to book; "not found" for an id that names none. */
export async function getSlot(db: Kysely<Database>, slotId: number, now: Date): Promise<SlotView> {
  const row = await db
    .selectFrom('consultation_slot')
    .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id')
    .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
    .select((eb) => [
      'consultation_slot.id',
      'consultation_slot.starts_at',
      'consultation_slot.ends_at',
      'organisation.name as organisationName',
      'consultation_hour.remote',
      'consultation_hour.place',
      'consultation_hour.topics',
      'consultation_hour.languages',
      'consultation_hour.cancelled_at',
      eb.exists(eb.selectFrom('consultation_booking').select('id').whereRef('consultation_booking.slot_id', '=', 'consultation_slot.id').where('status', '=', 'booked')).as('taken'),
    ])
    .where('consultation_slot.id', '=', slotId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('slot');
  return {
    id: row.id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    organisationName: row.organisationName,
    remote: row.remote,
    place: row.place,
    topics: row.topics,
    languages: row.languages,
    taken: Boolean(row.taken),
    started: row.starts_at.getTime() <= now.getTime(),
    cancelled: row.cancelled_at !== null,
  };
}

export interface MyBooking {
  id: number;
  slotId: number;
  startsAt: Date;
  endsAt: Date;
  organisationName: string;
  remote: boolean;
  place: string;
  topic: string;
  language: string;
  note: string;
  interpreterNeeded: boolean;
  /** Whether an interpreter is looked for or found (read from the linked help request). */
  interpreter: InterpreterState;
  /** The person the booking is for (the reader themselves on their own list). */
  personId: number;
  personName: string;
  /** First name of whoever booked it on the person's behalf, else null. */
  bookedByName: string | null;
}

function bookingRows(db: Kysely<Database>) {
  return db
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id')
    .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
    .innerJoin('app_user as person', 'person.id', 'consultation_booking.user_id')
    .leftJoin('app_user as booker', 'booker.id', 'consultation_booking.booked_by_user_id')
    .select([
      'consultation_booking.id',
      'consultation_slot.id as slotId',
      'consultation_slot.starts_at',
      'consultation_slot.ends_at',
      'organisation.name as organisationName',
      'consultation_hour.remote',
      'consultation_hour.place',
      'consultation_booking.topic',
      'consultation_booking.language',
      'consultation_booking.note',
      'consultation_booking.interpreter_needed',
      'person.id as personId',
      'person.display_name as personName',
      'booker.display_name as bookerName',
    ])
    .where('consultation_booking.status', '=', 'booked');
}

async function withInterpreters(db: Kysely<Database>, rows: Awaited<ReturnType<ReturnType<typeof bookingRows>['execute']>>): Promise<MyBooking[]> {
  const states = await interpreterStates(db, rows.filter((r) => r.interpreter_needed).map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    slotId: r.slotId,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    organisationName: r.organisationName,
    remote: r.remote,
    place: r.place,
    topic: r.topic,
    language: r.language,
    note: r.note,
    interpreterNeeded: r.interpreter_needed,
    interpreter: states.get(r.id) ?? { state: 'none' },
    personId: r.personId,
    personName: r.personName,
    bookedByName: r.bookerName ? firstName(r.bookerName) : null,
  }));
}

/** The person's own bookings still to come (also those someone booked for them). */
export async function listMyBookings(db: Kysely<Database>, userId: number, now: Date): Promise<MyBooking[]> {
  const rows = await bookingRows(db).where('consultation_booking.user_id', '=', userId).where('consultation_slot.ends_at', '>', now).orderBy('consultation_slot.starts_at').execute();
  return withInterpreters(db, rows);
}

/** The bookings still to come that the person made on someone else's behalf. */
export async function listBookingsMadeForOthers(db: Kysely<Database>, userId: number, now: Date): Promise<MyBooking[]> {
  const rows = await bookingRows(db)
    .where('consultation_booking.booked_by_user_id', '=', userId)
    .where('consultation_booking.user_id', '!=', userId)
    .where('consultation_slot.ends_at', '>', now)
    .orderBy('consultation_slot.starts_at')
    .execute();
  return withInterpreters(db, rows);
}

/** The live booking of a slot as its person or their booker sees it on the slot's page; null
 * for anyone else (the public only learns that the slot is taken). */
export async function bookingOnSlotFor(db: Kysely<Database>, userId: number, slotId: number): Promise<MyBooking | null> {
  const rows = await bookingRows(db)
    .where('consultation_slot.id', '=', slotId)
    .where((eb) => eb.or([eb('consultation_booking.user_id', '=', userId), eb('consultation_booking.booked_by_user_id', '=', userId)]))
    .execute();
  return (await withInterpreters(db, rows))[0] ?? null;
}

export interface StaffHour {
  id: number;
  startsAt: Date;
  endsAt: Date;
  remote: boolean;
  place: string;
  languages: string[];
  slots: number;
  booked: number;
}

export interface DayBooking {
  id: number;
  startsAt: Date;
  endsAt: Date;
  name: string;
  topic: string;
  language: string;
  note: string;
  interpreterNeeded: boolean;
  interpreter: InterpreterState;
  attendance: ConsultationAttendance | null;
  /** When the person pressed "I'm coming" on the reminder. */
  confirmedAt: Date | null;
}

/** How many of an hour's slots hold a live booking, as the column `booked` of a select on
 * consultation_hour (the staff's list of hours and the page of one hour). */
function bookedInHour(eb: ExpressionBuilder<Database, 'consultation_hour'>) {
  return eb
    .selectFrom('consultation_slot')
    .innerJoin('consultation_booking', 'consultation_booking.slot_id', 'consultation_slot.id')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('consultation_slot.hour_id', '=', 'consultation_hour.id')
    .where('consultation_booking.status', '=', 'booked')
    .as('booked');
}

/** The organisation's page of hours: coming hours with how many slots are booked. Staff only. */
export async function loadStaffHours(db: Kysely<Database>, user: Pick<SessionUser, 'id'> | null, slug: string, now: Date) {
  const organisation = await organisationForStaff(db, user, slug);
  const rows = await db
    .selectFrom('consultation_hour')
    .select((eb) => [
      'id',
      'starts_at',
      'ends_at',
      'remote',
      'place',
      'languages',
      eb.selectFrom('consultation_slot').select((e) => e.fn.countAll<number>().as('n')).whereRef('consultation_slot.hour_id', '=', 'consultation_hour.id').as('slots'),
      bookedInHour(eb),
    ])
    .where('organisation_id', '=', organisation.id)
    .where('ends_at', '>', now)
    .where('cancelled_at', 'is', null)
    .orderBy('starts_at')
    .execute();
  const hours: StaffHour[] = rows.map((r) => ({ id: r.id, startsAt: r.starts_at, endsAt: r.ends_at, remote: r.remote, place: r.place, languages: r.languages, slots: Number(r.slots ?? 0), booked: Number(r.booked ?? 0) }));
  return { organisation, hours };
}

/** One coming hour of the organisation to change or cancel, for its staff; "not found" for an
 * hour of another organisation, a cancelled one or one that has begun. */
export async function loadHourForStaff(db: Kysely<Database>, user: Pick<SessionUser, 'id'> | null, slug: string, hourId: number, now: Date) {
  const organisation = await organisationForStaff(db, user, slug);
  const hour = await db
    .selectFrom('consultation_hour')
    .select((eb) => [
      'id',
      'starts_at',
      'ends_at',
      'remote',
      'place',
      'topics',
      'languages',
      bookedInHour(eb),
    ])
    .where('id', '=', hourId)
    .where('organisation_id', '=', organisation.id)
    .where('cancelled_at', 'is', null)
    .where('starts_at', '>', now)
    .executeTakeFirst();
  if (!hour) throw new NotFoundError('hour');
  return { organisation, hour: { id: hour.id, startsAt: hour.starts_at, endsAt: hour.ends_at, remote: hour.remote, place: hour.place, topics: hour.topics, languages: hour.languages, booked: Number(hour.booked ?? 0) } };
}

/** The office's day list: the day's bookings in time order, with topic, language and note. Staff only. */
export async function loadDayList(db: Kysely<Database>, user: Pick<SessionUser, 'id'> | null, slug: string, dayStart: Date, dayEnd: Date) {
  const organisation = await organisationForStaff(db, user, slug);
  const rows = await db
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id')
    .innerJoin('app_user', 'app_user.id', 'consultation_booking.user_id')
    .select([
      'consultation_booking.id',
      'consultation_slot.starts_at',
      'consultation_slot.ends_at',
      'app_user.display_name',
      'consultation_booking.topic',
      'consultation_booking.language',
      'consultation_booking.note',
      'consultation_booking.interpreter_needed',
      'consultation_booking.attendance',
      'consultation_booking.confirmed_at',
    ])
    .where('consultation_hour.organisation_id', '=', organisation.id)
    .where('consultation_booking.status', '=', 'booked')
    .where('consultation_slot.starts_at', '>=', dayStart)
    .where('consultation_slot.starts_at', '<', dayEnd)
    .orderBy('consultation_slot.starts_at')
    .execute();
  const states = await interpreterStates(db, rows.filter((r) => r.interpreter_needed).map((r) => r.id));
  const bookings: DayBooking[] = rows.map((r) => ({
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    name: r.display_name,
    topic: r.topic,
    language: r.language,
    note: r.note,
    interpreterNeeded: r.interpreter_needed,
    interpreter: states.get(r.id) ?? { state: 'none' },
    attendance: r.attendance,
    confirmedAt: r.confirmed_at,
  }));
  const [hours, walkIns] = await Promise.all([
    db
      .selectFrom('consultation_hour')
      .select(['id', 'starts_at', 'ends_at', 'remote', 'place'])
      .where('organisation_id', '=', organisation.id)
      .where('cancelled_at', 'is', null)
      .where('starts_at', '>=', dayStart)
      .where('starts_at', '<', dayEnd)
      .orderBy('starts_at')
      .execute(),
    db
      .selectFrom('consultation_walk_in')
      .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_walk_in.hour_id')
      .select(['consultation_walk_in.id', 'consultation_walk_in.hour_id', 'consultation_walk_in.name', 'consultation_walk_in.topic', 'consultation_walk_in.language', 'consultation_walk_in.note', 'consultation_walk_in.attendance', 'consultation_walk_in.created_at'])
      .where('consultation_hour.organisation_id', '=', organisation.id)
      .where('consultation_hour.starts_at', '>=', dayStart)
      .where('consultation_hour.starts_at', '<', dayEnd)
      .orderBy('consultation_walk_in.created_at')
      .orderBy('consultation_walk_in.id')
      .execute(),
  ]);
  const dayHours: DayHour[] = hours.map((h) => ({ id: h.id, startsAt: h.starts_at, endsAt: h.ends_at, remote: h.remote, place: h.place }));
  const queue: DayWalkIn[] = walkIns.map((w) => ({ id: w.id, hourId: w.hour_id, name: w.name, topic: w.topic, language: w.language, note: w.note, attendance: w.attendance, arrivedAt: w.created_at }));
  return { organisation, bookings, hours: dayHours, walkIns: queue };
}

export interface DayHour {
  id: number;
  startsAt: Date;
  endsAt: Date;
  remote: boolean;
  place: string;
}

/** Someone who came without a booking, in the order they arrived. */
export interface DayWalkIn {
  id: number;
  hourId: number;
  name: string;
  topic: string;
  language: string;
  note: string;
  attendance: ConsultationAttendance | null;
  arrivedAt: Date;
}

/** A booked slot as the person's own calendar shows it. */
export interface CalendarConsultation {
  bookingId: number;
  startsAt: Date;
  endsAt: Date;
  organisationName: string;
  remote: boolean;
  place: string;
  topic: string;
  language: string;
  interpreterNeeded: boolean;
  updatedAt: Date;
}

function calendarBookings(db: Kysely<Database>, userId: number, from: Date) {
  return db
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .where('consultation_booking.user_id', '=', userId)
    .where('consultation_booking.status', '=', 'booked')
    .where('consultation_slot.ends_at', '>', from);
}

/** The person's booked slots that have not long ended, for their calendar feed. */
export async function listConsultationsForCalendar(db: Kysely<Database>, userId: number, from: Date): Promise<CalendarConsultation[]> {
  const rows = await calendarBookings(db, userId, from)
    .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id')
    .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
    .select([
      'consultation_booking.id',
      'consultation_slot.starts_at',
      'consultation_slot.ends_at',
      'organisation.name',
      'consultation_hour.remote',
      'consultation_hour.place',
      'consultation_booking.topic',
      'consultation_booking.language',
      'consultation_booking.interpreter_needed',
      'consultation_booking.updated_at',
    ])
    .orderBy('consultation_slot.starts_at')
    .execute();
  return rows.map((r) => ({
    bookingId: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    organisationName: r.name,
    remote: r.remote,
    place: r.place,
    topic: r.topic,
    language: r.language,
    interpreterNeeded: r.interpreter_needed,
    updatedAt: r.updated_at,
  }));
}

/** What the feed's version counts of the bookings; a cancelled one leaves the feed but its
 * change still moves Last-Modified forward. */
export async function consultationsFingerprint(db: Kysely<Database>, userId: number, from: Date): Promise<{ count: number; lastUpdated: Date | null; key: string }> {
  const [held, any] = await Promise.all([
    calendarBookings(db, userId, from)
      .select([sql<number>`count(*)::int`.as('n'), sql<string>`coalesce(sum(consultation_booking.id), 0)::text`.as('ids')])
      .executeTakeFirstOrThrow(),
    db.selectFrom('consultation_booking').select(sql<Date | null>`max(updated_at)`.as('latest')).where('user_id', '=', userId).executeTakeFirstOrThrow(),
  ]);
  return { count: held.n, lastUpdated: any.latest ? new Date(any.latest) : null, key: held.ids };
}
