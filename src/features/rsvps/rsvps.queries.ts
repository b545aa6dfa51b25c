// What a person sees of their own RSVPs.
import { sql, type Kysely } from 'kysely';
import type { Database, Locale, RsvpStatus } from '../../db/schema.ts';
import { inReaderLanguage } from '../activities/activities.queries.ts';
import { NotFoundError } from '../access/access.ts';
import { datesCancelledTogether, rsvpChangeable, rsvpChangeRefusal, type RsvpChangeRefusal } from './rsvps.service.ts';

/** What every entry of "My activities" shows of the activity. */
interface MyEntry {
  activityId: number;
  title: string;
  titleLocale: Locale;
  startsAt: Date;
  endsAt: Date;
  partySize: number;
}

export interface MyRsvp extends MyEntry {
  id: number;
  status: Exclude<RsvpStatus, 'cancelled'>;
  /** 1 for the first party waiting; null when going. */
  waitlistPosition: number | null;
  /** Whether it can still be cancelled or its party size changed (rsvpChangeable). */
  changeable: boolean;
}

const positionSql = sql<number>`(select count(*)::int + 1 from rsvp ahead where ahead.activity_id = rsvp.activity_id and ahead.status = 'waitlisted' and ahead.id < rsvp.id)`;

/** The person's RSVPs of every state with their activities (never drafts), in time order. */
function myRsvpRows(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .select([
      'rsvp.id',
      'rsvp.activity_id',
      'rsvp.status',
      'rsvp.party_size',
      'rsvp.updated_at',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.starts_at',
      'activity.ends_at',
      'activity.status as activity_status',
      'activity.cancel_reason',
      positionSql.as('position'),
    ])
    .where('rsvp.user_id', '=', userId)
    .where('activity.status', '<>', 'draft')
    .orderBy('activity.starts_at')
    .orderBy('rsvp.id');
}

type MyRsvpRow = Awaited<ReturnType<ReturnType<typeof myRsvpRows>['execute']>>[number];

function entryOf(r: MyRsvpRow, locale: Locale): MyEntry {
  const shown = inReaderLanguage(r, locale);
  return { activityId: r.activity_id, title: shown.title, titleLocale: shown.locale, startsAt: r.starts_at, endsAt: r.ends_at, partySize: r.party_size };
}

/** A live RSVP (going or waiting) as the person sees it. */
function toMyRsvp(r: MyRsvpRow, locale: Locale, now: Date): MyRsvp {
  return {
    ...entryOf(r, locale),
    id: r.id,
    status: r.status === 'going' ? 'going' : 'waitlisted',
    waitlistPosition: r.status === 'waitlisted' ? r.position : null,
    changeable: rsvpChangeable({ status: r.activity_status, starts_at: r.starts_at }, now),
  };
}

/** The person's live RSVP for the activity, if any. */
export async function findMyRsvp(db: Kysely<Database>, userId: number, activityId: number, locale: Locale, now = new Date()): Promise<MyRsvp | null> {
  const row = await myRsvpRows(db, userId).where('rsvp.activity_id', '=', activityId).where('rsvp.status', '<>', 'cancelled').executeTakeFirst();
  return row ? toMyRsvp(row, locale, now) : null;
}

/** An RSVP that no longer holds a place: the person cancelled it, or the organiser called the
 * activity off. */
export interface CancelledRsvp extends MyEntry {
  cancelledBy: 'you' | 'organiser';
  /** When the person cancelled (null when the organiser did). */
  cancelledAt: Date | null;
  /** The organiser's reason, if they gave one. */
  reason: string | null;
}

export interface MyActivities {
  /** Going or waiting, not over yet: soonest first. */
  upcoming: MyRsvp[];
  /** Over: most recent first. */
  past: MyRsvp[];
  /** Still ahead first (soonest first), then those that would be over (most recent first). */
  cancelled: CancelledRsvp[];
  /** Whether the person ever signed up for anything (the empty page says so only when not). */
  hasAny: boolean;
}

/**
 * "My activities": everything the person signed up for, as coming, past and cancelled. A
 * cancellation the person took back by signing up again is not shown; of several
 * cancellations of one activity, the last.
 */
export async function listMyActivities(db: Kysely<Database>, userId: number, locale: Locale, now = new Date()): Promise<MyActivities> {
  const rows = await myRsvpRows(db, userId).execute();
  const view: MyActivities = { upcoming: [], past: [], cancelled: [], hasAny: rows.length > 0 };
  const live = new Set(rows.filter((r) => r.status !== 'cancelled').map((r) => r.activity_id));
  const cancelledByYou = new Map<number, CancelledRsvp>();
  for (const r of rows) {
    if (r.status === 'cancelled') {
      // Rows come in id order within an activity: the last one wins.
      if (!live.has(r.activity_id)) cancelledByYou.set(r.activity_id, { ...entryOf(r, locale), cancelledBy: 'you', cancelledAt: r.updated_at, reason: null });
    } else if (r.activity_status === 'cancelled') {
      view.cancelled.push({ ...entryOf(r, locale), cancelledBy: 'organiser', cancelledAt: null, reason: r.cancel_reason });
    } else {
      (r.ends_at > now ? view.upcoming : view.past).push(toMyRsvp(r, locale, now));
    }
  }
  view.past.reverse();
  const cancelled = [...view.cancelled, ...cancelledByYou.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const ahead = cancelled.filter((c) => c.endsAt > now);
  view.cancelled = [...ahead, ...cancelled.filter((c) => c.endsAt <= now).reverse()];
  return view;
}

/** What cancelling one's place would do, for the page that asks before it happens. */
export interface CancellationPreview {
  rsvpId: number;
  activityId: number;
  title: string;
  titleLocale: Locale;
  startsAt: Date;
  endsAt: Date;
  status: 'going' | 'waitlisted';
  partySize: number;
  /** 1 for the first party waiting; null when going. */
  waitlistPosition: number | null;
  /** Other parties on the waitlist: who the seats would go to. */
  othersWaiting: number;
  /** The dates cancelled together: in a course, every one still to come from this one on. */
  dates: number;
  /** Why it can no longer be cancelled, as cancelRsvp would answer (rsvpChangeable); null while it can. */
  refusal: RsvpChangeRefusal | null;
}

/**
 * The person's live RSVP for an activity, with what cancelling it would change. Reads only;
 * cancelRsvp decides again under its lock. Anyone without a live RSVP there gets "not found".
 */
export async function cancellationPreview(db: Kysely<Database>, userId: number, activityId: number, locale: Locale, now = new Date()): Promise<CancellationPreview> {
  const row = await db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .leftJoin('activity_series', 'activity_series.id', 'activity.series_id')
    .select([
      'rsvp.id',
      'rsvp.status',
      'rsvp.party_size',
      'activity.id as activity_id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.starts_at',
      'activity.ends_at',
      'activity.status as activity_status',
      'activity.series_id',
      'activity_series.whole_series',
      positionSql.as('position'),
      sql<number>`(select count(*)::int from rsvp other where other.activity_id = rsvp.activity_id and other.status = 'waitlisted' and other.id <> rsvp.id)`.as('others_waiting'),
    ])
    .where('rsvp.user_id', '=', userId)
    .where('rsvp.activity_id', '=', activityId)
    .where('rsvp.status', '<>', 'cancelled')
    .where('activity.status', '<>', 'draft')
    .executeTakeFirst();
  if (!row) throw new NotFoundError('rsvp');
  let dates = 1;
  if (row.series_id !== null && row.whole_series) {
    // The person's live RSVPs among the dates cancelRsvp takes together.
    const course = await db.selectFrom('activity').select(['id', 'starts_at']).where('series_id', '=', row.series_id).execute();
    const together = await db
      .selectFrom('rsvp')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', userId)
      .where('status', '<>', 'cancelled')
      .where('activity_id', 'in', datesCancelledTogether(course, { id: row.activity_id, starts_at: row.starts_at }, now).map((a) => a.id))
      .executeTakeFirstOrThrow();
    dates = together.n;
  }
  const shown = inReaderLanguage(row, locale);
  return {
    rsvpId: row.id,
    activityId: row.activity_id,
    title: shown.title,
    titleLocale: shown.locale,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status === 'going' ? 'going' : 'waitlisted',
    partySize: row.party_size,
    waitlistPosition: row.status === 'waitlisted' ? row.position : null,
    othersWaiting: row.others_waiting,
    dates,
    refusal: rsvpChangeable({ status: row.activity_status, starts_at: row.starts_at }, now) ? null : rsvpChangeRefusal({ status: row.activity_status }),
  };
}
