// What a one-tap answer is about, read for the person it belongs to: one RSVP or one shift
// sign-up with its activity, in the reader's language. Reads only; answers.service.ts reads
// again under the lock before it changes anything.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActivityStatus, Database, Locale } from '../../db/schema.ts';
import { inReaderLanguage } from '../activities/activities.queries.ts';
import { datesCancelledTogether } from '../rsvps/rsvps.service.ts';
import { shiftEndSql, shiftStartSql } from '../volunteering/volunteering.queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The activity an answer is about, as its page and a message show it. */
export interface AnsweredActivity {
  activityId: number;
  /** In the reader's language when the organisers gave one, else as written. */
  title: string;
  titleLocale: Locale;
  /** The activity's time; for a shift, the shift's own window. */
  startsAt: Date;
  endsAt: Date;
  /** Place and address; null for an activity online. */
  place: string | null;
  online: boolean;
  activityStatus: ActivityStatus;
  /** The organisers' reason, when they called it off. */
  cancelReason: string | null;
}

export interface RsvpAnswerView extends AnsweredActivity {
  kind: 'rsvp';
  rsvpId: number;
  status: 'going' | 'waitlisted' | 'cancelled';
  partySize: number;
  /** When the person said "I'm coming"; null until then. */
  confirmedAt: Date | null;
  /** 1 for the first party waiting; null unless waitlisted. */
  waitlistPosition: number | null;
  /** Other parties waiting: who freed seats would go to. */
  othersWaiting: number;
  /** The person's RSVPs that "I can't come" cancels together: in a course, every date still to
   * come from this one on (as cancelRsvp does); otherwise 1. */
  dates: number;
}

export interface ShiftAnswerView extends AnsweredActivity {
  kind: 'shift';
  signupId: number;
  roleName: string;
  status: 'active' | 'withdrawn';
  confirmedAt: Date | null;
}

function placeOf(row: { place_name: string | null; address: string | null; online_url: string | null }): string | null {
  if (row.online_url) return null;
  return [row.place_name, row.address].filter(Boolean).join(', ') || null;
}

/** The reader's language: the one asked for, or else the person's own. */
async function readerLocale(db: Db, personId: number, locale: Locale | undefined): Promise<Locale> {
  if (locale) return locale;
  const person = await db.selectFrom('app_user').select('locale').where('id', '=', personId).executeTakeFirst();
  return person?.locale ?? 'de';
}

/** The person's RSVP (of any status) with its activity; null when it is not theirs, or the
 * activity is a draft nobody can see. */
export async function rsvpAnswerView(db: Db, personId: number, rsvpId: number, locale: Locale | undefined, now: Date): Promise<RsvpAnswerView | null> {
  const row = await db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .leftJoin('activity_series', 'activity_series.id', 'activity.series_id')
    .select([
      'rsvp.id',
      'rsvp.status',
      'rsvp.party_size',
      'rsvp.confirmed_at',
      'activity.id as activity_id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.starts_at',
      'activity.ends_at',
      'activity.place_name',
      'activity.address',
      'activity.online_url',
      'activity.status as activity_status',
      'activity.cancel_reason',
      'activity.series_id',
      'activity_series.whole_series',
      sql<number>`(select count(*)::int + 1 from rsvp ahead where ahead.activity_id = rsvp.activity_id and ahead.status = 'waitlisted' and ahead.id < rsvp.id)`.as('position'),
      sql<number>`(select count(*)::int from rsvp other where other.activity_id = rsvp.activity_id and other.status = 'waitlisted' and other.id <> rsvp.id)`.as('others_waiting'),
    ])
    .where('rsvp.id', '=', rsvpId)
    .where('rsvp.user_id', '=', personId)
    .where('activity.status', '<>', 'draft')
    .executeTakeFirst();
  if (!row) return null;
  let dates = 1;
  if (row.series_id !== null && row.whole_series && row.status !== 'cancelled') {
    const course = await db.selectFrom('activity').select(['id', 'starts_at']).where('series_id', '=', row.series_id).execute();
    const together = await db
      .selectFrom('rsvp')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', personId)
      .where('status', '<>', 'cancelled')
      .where('activity_id', 'in', datesCancelledTogether(course, { id: row.activity_id, starts_at: row.starts_at }, now).map((a) => a.id))
      .executeTakeFirstOrThrow();
    dates = Math.max(1, together.n);
  }
  const shown = inReaderLanguage(row, await readerLocale(db, personId, locale));
  return {
    kind: 'rsvp',
    rsvpId: row.id,
    status: row.status,
    partySize: row.party_size,
    confirmedAt: row.confirmed_at,
    waitlistPosition: row.status === 'waitlisted' ? row.position : null,
    othersWaiting: row.others_waiting,
    dates,
    activityId: row.activity_id,
    title: shown.title,
    titleLocale: shown.locale,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    place: placeOf(row),
    online: row.online_url !== null,
    activityStatus: row.activity_status,
    cancelReason: row.cancel_reason,
  };
}

/** The person's shift sign-up (active or withdrawn) with its role and activity; null when it
 * is not theirs, or the activity is a draft. */
export async function shiftAnswerView(db: Db, personId: number, signupId: number, locale: Locale | undefined): Promise<ShiftAnswerView | null> {
  const row = await db
    .selectFrom('volunteer_signup')
    .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .select([
      'volunteer_signup.id',
      'volunteer_signup.status',
      'volunteer_signup.confirmed_at',
      'volunteer_role.id as role_id',
      'volunteer_role.name as role_name',
      'activity.id as activity_id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.place_name',
      'activity.address',
      'activity.online_url',
      'activity.status as activity_status',
      'activity.cancel_reason',
      shiftStartSql.as('shift_start'),
      shiftEndSql.as('shift_end'),
    ])
    .where('volunteer_signup.id', '=', signupId)
    .where('volunteer_signup.user_id', '=', personId)
    .where('activity.status', '<>', 'draft')
    .executeTakeFirst();
  if (!row) return null;
  const shown = inReaderLanguage(row, await readerLocale(db, personId, locale));
  return {
    kind: 'shift',
    signupId: row.id,
    roleName: row.role_name,
    status: row.status,
    confirmedAt: row.confirmed_at,
    activityId: row.activity_id,
    title: shown.title,
    titleLocale: shown.locale,
    startsAt: new Date(row.shift_start),
    endsAt: new Date(row.shift_end),
    place: placeOf(row),
    online: row.online_url !== null,
    activityStatus: row.activity_status,
    cancelReason: row.cancel_reason,
  };
}

/** The role a sign-up belongs to, for taking its lock first. */
export async function roleOfSignup(db: Db, signupId: number): Promise<number | null> {
  const row = await db.selectFrom('volunteer_signup').select('role_id').where('id', '=', signupId).executeTakeFirst();
  return row?.role_id ?? null;
}

/** A consultation booking as the one-tap page shows it: shaped like an activity (its title is
 * "Consultation hour: <organisation>" in the reader's language) so that the page says the same
 * things; the hour cancelled by the office reads as an activity called off. */
export interface BookingAnswerView extends AnsweredActivity {
  kind: 'booking';
  bookingId: number;
  status: 'booked' | 'cancelled';
  /** When "I'm coming" was pressed on the reminder. */
  confirmedAt: Date | null;
}

/** The person's booking (of any status) with its slot and organisation; null when not theirs. */
export async function bookingAnswerView(db: Db, personId: number, bookingId: number, locale: Locale | undefined): Promise<BookingAnswerView | null> {
  const row = await db
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id')
    .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
    .select(['consultation_booking.id', 'consultation_booking.status', 'consultation_booking.confirmed_at', 'consultation_slot.starts_at', 'consultation_slot.ends_at', 'consultation_hour.remote', 'consultation_hour.place', 'consultation_hour.cancelled_at', 'organisation.name'])
    .where('consultation_booking.id', '=', bookingId)
    .where('consultation_booking.user_id', '=', personId)
    .executeTakeFirst();
  if (!row) return null;
  const reader = await readerLocale(db, personId, locale);
  return {
    kind: 'booking',
    bookingId: row.id,
    status: row.status === 'booked' ? 'booked' : 'cancelled',
    confirmedAt: row.confirmed_at,
    activityId: 0,
    title: row.name,
    titleLocale: reader,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    place: row.remote ? null : row.place,
    online: row.remote,
    activityStatus: row.cancelled_at ? 'cancelled' : 'published',
    cancelReason: null,
  };
}
