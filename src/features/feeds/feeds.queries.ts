// What each calendar feed holds, and a cheap fingerprint of it. The fingerprint (how many
// rows, the latest change, the sum of their ids) is read with one aggregate over the same rows
// the feed would be built from, so a feed answers "nothing changed" (304) without being built.
import { sql, type Kysely, type QueryCreator } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { whereBrowseFilters } from '../activities/activities.queries.ts';
import { browseWindow, type BrowseFilters } from '../activities/browse-filters.ts';
import { listMeetingsForCalendar, meetingsFingerprint } from '../mentoring/mentoring.queries.ts';
import { consultationsFingerprint, listConsultationsForCalendar } from '../consultations/consultations.queries.ts';
import { helpRequestsFingerprint, listHelpRequestsForCalendar } from '../help-requests/help-requests.queries.ts';
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

/** The activities any feed may hold, with their organisation and series: the one place that
 * says which statuses a calendar sees. Takes the database or a query made with `with`. */
function feedRows(db: QueryCreator<Database>) {
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
  // How to reach the organiser (organisations/contact.ts picks the activity's or the organisation's).
  'activity.contact_name',
  'activity.contact_phone',
  'activity.contact_email',
  'organisation.contact_phone as organisation_contact_phone',
  'organisation.contact_email as organisation_contact_email',
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

/** Activities the filters pick (ids and the series they belong to): what the browse list holds,
 * plus cancelled ones, which a calendar must learn of. */
function picked(db: Kysely<Database>, query: PublicFeedQuery) {
  let rows = db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .select(['activity.id', 'activity.series_id'])
    .where('activity.status', 'in', VISIBLE)
    .where('activity.ends_at', '>', query.from);
  if (query.to) rows = rows.where('activity.starts_at', '<', query.to);
  return whereBrowseFilters(rows, query.filters);
}

/**
 * The rows of a public feed: every activity picked, plus the other dates of picked series
 * (marked not shown), so that a series has the same rule, SEQUENCE and wording in every feed
 * while holding only the dates the list holds.
 */
function publicFeedRows(db: Kysely<Database>, query: PublicFeedQuery) {
  return feedRows(db.with('picked', () => picked(db, query))).where(sql<boolean>`(activity.id in (select id from picked) or activity.series_id in (select series_id from picked))`);
}

const pickedSql = sql<boolean>`activity.id in (select id from picked)`;

const fingerprintColumns = [
  sql<number>`count(*)::int`.as('count'),
  sql<Date | null>`max(activity.updated_at)`.as('last_modified'),
  // Which rows, and which of them are shown: a date of a series leaves a window while its
  // series stays.
  sql<string>`coalesce(sum(activity.id), 0)::text || '/' || coalesce(sum(case when ${pickedSql} then activity.id end), 0)::text`.as('id_sum'),
];

function toFingerprint(row: { count: number; last_modified: Date | string | null; id_sum: string } | undefined): FeedFingerprint {
  const last = row?.last_modified ?? null;
  return { count: row?.count ?? 0, lastModified: last === null ? null : new Date(last), idSum: row?.id_sum ?? '0' };
}

export async function publicFeedFingerprint(db: Kysely<Database>, query: PublicFeedQuery): Promise<FeedFingerprint> {
  return toFingerprint(await publicFeedRows(db, query).select(fingerprintColumns).executeTakeFirst());
}

/**
 * The latest change to any activity a public feed could hold. An activity edited out of a feed
 * (another topic, another week) takes its change with it, so a feed's own rows cannot tell when
 * it last changed; this can (a Last-Modified that never goes back).
 */
export async function latestPublicChange(db: Kysely<Database>): Promise<Date | null> {
  const row = await db.selectFrom('activity').select(sql<Date | null>`max(updated_at)`.as('latest')).where('status', 'in', VISIBLE).executeTakeFirst();
  return row?.latest ? new Date(row.latest) : null;
}

export async function loadPublicFeed(db: Kysely<Database>, query: PublicFeedQuery): Promise<FeedActivity[]> {
  const rows = await publicFeedRows(db, query).select(FEED_COLUMNS).select(pickedSql.as('shown')).orderBy('activity.starts_at').orderBy('activity.id').execute();
  return rows as FeedActivity[];
}

/** One activity for the download: the whole series when it belongs to one; [] for drafts. */
export async function loadActivityForDownload(db: Kysely<Database>, activityId: number): Promise<FeedActivity[]> {
  const activity = await feedRows(db).select(['activity.id', 'activity.series_id']).where('activity.id', '=', activityId).executeTakeFirst();
  if (!activity) return [];
  const rows = await feedRows(db)
    .select(FEED_COLUMNS)
    .select(sql<boolean>`true`.as('shown'))
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

const HELD = ['going', 'waitlisted'] as const;

/**
 * A person's places (going or waiting) at activities that have not long ended, with the other
 * dates of the series they belong to (not shown): a date of a series goes into the person's
 * calendar as an occurrence of the series' event, as in every other feed.
 */
function personalRows(db: Kysely<Database>, userId: number, from: Date) {
  const held = db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .select(['activity.id', 'activity.series_id'])
    .where('rsvp.user_id', '=', userId)
    .where('rsvp.status', 'in', HELD)
    .where('activity.status', 'in', VISIBLE)
    .where('activity.ends_at', '>', from);
  // The dates held and the other dates of their series, as one list of ids: an OR of the two
  // conditions on activity would read the whole table (the index on series_id cannot serve an
  // OR), which made a personal feed of 25 places six times slower in the benchmark.
  return feedRows(
    db
      .with('held', () => held)
      .with('wanted', (qb) =>
        qb
          .selectFrom('held')
          .select('held.id')
          .union(qb.selectFrom('activity as sibling').select('sibling.id').where('sibling.series_id', 'in', qb.selectFrom('held').select('held.series_id').where('held.series_id', 'is not', null))),
      ),
  )
    .where(sql<boolean>`activity.id in (select id from wanted)`)
    .leftJoin('rsvp', (join) => join.onRef('rsvp.activity_id', '=', 'activity.id').on('rsvp.user_id', '=', userId).on('rsvp.status', 'in', HELD));
}

const heldSql = sql<boolean>`activity.id in (select id from held)`;

export async function personalFeedFingerprint(db: Kysely<Database>, userId: number, from: Date): Promise<FeedFingerprint> {
  const [activities, rsvps, signups, shifts, meetings, consultations, helpRequests] = await Promise.all([
    personalRows(db, userId, from)
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<Date | null>`max(activity.updated_at)`.as('last_modified'),
        sql<string>`coalesce(sum(activity.id), 0)::text || '/' || coalesce(sum(case when ${heldSql} then activity.id end), 0)::text`.as('id_sum'),
      ])
      .executeTakeFirst(),
    // Every RSVP of theirs, given up ones included: each change of a place (waitlisted →
    // confirmed, party size, given up) moves the latest change forward, never back.
    db
      .selectFrom('rsvp')
      .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
      .select([sql<number>`count(*)::int`.as('count'), sql<Date | null>`max(rsvp.updated_at)`.as('last_modified'), sql<string>`coalesce(sum(rsvp.id), 0)::text`.as('id_sum')])
      .where('rsvp.user_id', '=', userId)
      .where('activity.ends_at', '>', from)
      .executeTakeFirst(),
    // Withdrawn sign-ups leave the feed; their change still counts for Last-Modified.
    db.selectFrom('volunteer_signup').select(sql<Date | null>`max(updated_at)`.as('latest')).where('user_id', '=', userId).executeTakeFirst(),
    shiftsFingerprint(db, userId, from),
    meetingsFingerprint(db, userId, from),
    consultationsFingerprint(db, userId, from),
    helpRequestsFingerprint(db, userId, from),
  ]);
  const own = toFingerprint(activities);
  const places = toFingerprint(rsvps);
  const signupChange = signups?.latest ? new Date(signups.latest) : null;
  const latest = [own.lastModified, places.lastModified, signupChange, shifts.lastUpdated, meetings.lastUpdated, consultations.lastUpdated, helpRequests.lastUpdated].filter((d): d is Date => d !== null);
  return {
    count: own.count + places.count + shifts.count + meetings.count + consultations.count + helpRequests.count,
    lastModified: latest.length ? new Date(Math.max(...latest.map((d) => d.getTime()))) : null,
    // Each kind's ids apart: a shift and an RSVP trading places must not add up to the same.
    idSum: `${own.idSum}/${places.idSum}/${shifts.idSum}/${meetings.key}/${consultations.key}/${helpRequests.key}`,
  };
}

export async function loadPersonalFeed(db: Kysely<Database>, userId: number, from: Date): Promise<PersonalFeed> {
  const [activities, shifts, meetings, consultations, helpRequests] = await Promise.all([
    personalRows(db, userId, from)
      .select(FEED_COLUMNS)
      .select([
        heldSql.as('shown'),
        'rsvp.status as rsvp_status',
        'rsvp.party_size',
        'rsvp.updated_at as rsvp_updated_at',
        sql<number>`(select coalesce(sum(case r.status when 'waitlisted' then 1 when 'going' then 2 else 3 end), 0)::int from rsvp r where r.activity_id = activity.id and r.user_id = ${userId})`.as('rsvp_weight'),
      ])
      .orderBy('activity.starts_at')
      .orderBy('activity.id')
      .execute(),
    listShiftsForCalendar(db, userId, from),
    listMeetingsForCalendar(db, userId, from),
    listConsultationsForCalendar(db, userId, from),
    listHelpRequestsForCalendar(db, userId, from),
  ]);
  return { activities: activities as PersonalActivity[], shifts, meetings, consultations, helpRequests };
}
