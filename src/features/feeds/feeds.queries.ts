// What each calendar feed holds, and a cheap fingerprint of it. The fingerprint (how many
// rows, the latest change, the sum of their ids) is read with one aggregate over the same rows
// the feed would be built from, so a feed answers "nothing changed" (304) without being built.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { whereBrowseFilters } from '../activities/activities.queries.ts';
import { browseWindow, type BrowseFilters } from '../activities/browse-filters.ts';
import { listMeetingsForCalendar, meetingsFingerprint } from '../mentoring/mentoring.queries.ts';
import { listShiftsForCalendar, shiftsFingerprint } from '../volunteering/volunteering.queries.ts';
import { SLUG_PATTERN } from '../organisations/organisations.schema.ts';
import type { FeedActivity, PersonalActivity, PersonalFeed } from './calendar.ts';

/** Activities stay in feeds this long after they ended (or would have, when cancelled). */
export const FEED_HISTORY_DAYS = 30;

export function feedHistoryStart(now: Date): Date {
  return new Date(now.getTime() - FEED_HISTORY_DAYS * 86_400_000);
}

export interface FeedFingerprint {
  count: number;
  lastModified: Date | null;
  /** Changes when one row leaves and another comes in between two reads of the same count. */
  idSum: string;
}

const VISIBLE = ['published', 'cancelled'] as const;

function feedRows(db: Kysely<Database>) {
  return db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .leftJoin('activity_series', 'activity_series.id', 'activity.series_id')
    .where('activity.status', 'in', VISIBLE);
}

const FEED_COLUMNS = [
  'activity.id',
  'activity.series_id',
  'activity.series_slot',
  'activity_series.frequency',
  'activity.status',
  'activity.title',
  'activity.description',
  'activity.source_locale',
  'activity.translations',
  'activity.category',
  'activity.starts_at',
  'activity.ends_at',
  'activity.place_name',
  'activity.address',
  'activity.online_url',
  'activity.languages',
  'activity.german_level',
  'activity.audience',
  'activity.cost',
  'activity.cancel_reason',
  'activity.revision',
  'activity.updated_at',
  'organisation.name as organisation_name',
] as const;

/**
 * The time window of a public feed. With a time filter ("today", dates) it is the browse
 * page's; without one a feed also keeps what ended in the last 30 days, so that a calendar
 * does not lose this morning's event (or a cancellation) the moment it is over.
 */
export function publicFeedQuery(filters: BrowseFilters, now: Date, timeZone: string): PublicFeedQuery {
  return { filters, ...(filters.when ? browseWindow(filters, now, timeZone) : { from: feedHistoryStart(now) }) };
}

export interface PublicFeedQuery {
  filters: BrowseFilters;
  /** Activities that end after this instant; a series comes whole when any of its dates does. */
  from: Date;
  /** Activities that start before this instant (the "today", "this week" and date filters). */
  to?: Date;
}

/** Activities the filters pick, as a subquery of one column (ids, or the series they belong to). */
function picked(db: Kysely<Database>, query: PublicFeedQuery, column: 'activity.id' | 'activity.series_id') {
  let rows = db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .select(column)
    .where('activity.status', 'in', VISIBLE)
    .where('activity.ends_at', '>', query.from);
  if (query.to) rows = rows.where('activity.starts_at', '<', query.to);
  return whereBrowseFilters(rows, query.filters);
}

/** The rows of a public feed: every activity picked, plus the other dates of picked series. */
function publicFeedRows(db: Kysely<Database>, query: PublicFeedQuery) {
  return feedRows(db).where((eb) =>
    eb.or([eb('activity.id', 'in', picked(db, query, 'activity.id')), eb('activity.series_id', 'in', picked(db, query, 'activity.series_id'))]),
  );
}

const fingerprintColumns = [
  sql<number>`count(*)::int`.as('count'),
  sql<Date | null>`max(activity.updated_at)`.as('last_modified'),
  sql<string>`coalesce(sum(activity.id), 0)::text`.as('id_sum'),
];

function toFingerprint(row: { count: number; last_modified: Date | string | null; id_sum: string } | undefined): FeedFingerprint {
  const last = row?.last_modified ?? null;
  return { count: row?.count ?? 0, lastModified: last === null ? null : new Date(last), idSum: row?.id_sum ?? '0' };
}

export async function publicFeedFingerprint(db: Kysely<Database>, query: PublicFeedQuery): Promise<FeedFingerprint> {
  return toFingerprint(await publicFeedRows(db, query).select(fingerprintColumns).executeTakeFirst());
}

export async function loadPublicFeed(db: Kysely<Database>, query: PublicFeedQuery): Promise<FeedActivity[]> {
  const rows = await publicFeedRows(db, query).select(FEED_COLUMNS).orderBy('activity.starts_at').orderBy('activity.id').execute();
  return rows as FeedActivity[];
}

/** One activity for the download: the whole series when it belongs to one; [] for drafts. */
export async function loadActivityForDownload(db: Kysely<Database>, activityId: number): Promise<FeedActivity[]> {
  const activity = await feedRows(db).select(['activity.id', 'activity.series_id']).where('activity.id', '=', activityId).executeTakeFirst();
  if (!activity) return [];
  const rows = await feedRows(db)
    .select(FEED_COLUMNS)
    .where(activity.series_id === null ? sql<boolean>`activity.id = ${activity.id}` : sql<boolean>`activity.series_id = ${activity.series_id}`)
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .execute();
  return rows as FeedActivity[];
}

export async function organisationBySlug(db: Kysely<Database>, slug: string): Promise<{ name: string } | undefined> {
  // No organisation has any other address: nothing else reaches the database.
  if (!SLUG_PATTERN.test(slug)) return undefined;
  return db.selectFrom('organisation').select('name').where('slug', '=', slug).executeTakeFirst();
}

/** A person's places (going or waiting) at activities that have not long ended. */
function personalRows(db: Kysely<Database>, userId: number, from: Date) {
  return feedRows(db)
    .innerJoin('rsvp', 'rsvp.activity_id', 'activity.id')
    .where('rsvp.user_id', '=', userId)
    .where('rsvp.status', 'in', ['going', 'waitlisted'])
    .where('activity.ends_at', '>', from);
}

export async function personalFeedFingerprint(db: Kysely<Database>, userId: number, from: Date): Promise<FeedFingerprint> {
  const [rsvps, shifts, meetings] = await Promise.all([
    personalRows(db, userId, from)
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<Date | null>`max(greatest(activity.updated_at, rsvp.updated_at))`.as('last_modified'),
        sql<string>`coalesce(sum(rsvp.id), 0)::text`.as('id_sum'),
      ])
      .executeTakeFirst(),
    shiftsFingerprint(db, userId, from),
    meetingsFingerprint(db, userId, from),
  ]);
  const own = toFingerprint(rsvps);
  const latest = [own.lastModified, shifts.lastUpdated, meetings.lastUpdated].filter((d): d is Date => d !== null);
  return {
    count: own.count + shifts.count + meetings.count,
    lastModified: latest.length ? new Date(Math.max(...latest.map((d) => d.getTime()))) : null,
    // Each kind's ids apart: a shift and an RSVP trading places must not add up to the same.
    idSum: `${own.idSum}/${shifts.idSum}/${meetings.key}`,
  };
}

export async function loadPersonalFeed(db: Kysely<Database>, userId: number, from: Date): Promise<PersonalFeed> {
  const [activities, shifts, meetings] = await Promise.all([
    personalRows(db, userId, from)
      .select(FEED_COLUMNS)
      .select(['rsvp.status as rsvp_status', 'rsvp.party_size', 'rsvp.updated_at as rsvp_updated_at'])
      .orderBy('activity.starts_at')
      .orderBy('activity.id')
      .execute(),
    listShiftsForCalendar(db, userId, from),
    listMeetingsForCalendar(db, userId, from),
  ]);
  return { activities: activities as PersonalActivity[], shifts, meetings };
}
