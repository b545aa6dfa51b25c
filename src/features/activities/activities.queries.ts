// Reading published (and cancelled, which stay visible) activities for the pages.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Activity, ActivityCategory, Database, Locale } from '../../db/schema.ts';
import { isMember, NotFoundError } from '../access/access.ts';
import { effectiveContact, type Contact } from '../organisations/contact.ts';
import type { BrowseFilters } from './browse-filters.ts';

/** Seats taken by parties that are going, as a correlated subquery on activity.id. */
const seatsTakenSql = sql<number>`(select coalesce(sum(r.party_size), 0)::int from rsvp r where r.activity_id = activity.id and r.status = 'going')`;
const waitlistSql = sql<number>`(select count(*)::int from rsvp r where r.activity_id = activity.id and r.status = 'waitlisted')`;

export interface ActivityListItem {
  id: number;
  title: string;
  /** The language the title is written in, when it is not the reader's. */
  titleLocale: Locale;
  category: ActivityCategory;
  startsAt: Date;
  endsAt: Date;
  placeName: string | null;
  address: string | null;
  online: boolean;
  capacity: number | null;
  seatsTaken: number;
  cost: string | null;
  organisationName: string;
  languages: string[];
  germanLevel: string | null;
  childcare: boolean;
  wheelchairAccessible: boolean;
}

/**
 * Nobody needs German to take part: it is no German course (no level asked) and some other
 * language is spoken there. The browse filter asks the same in SQL (whereBrowseFilters); a
 * test holds the two together.
 */
export function needsNoGerman(activity: { germanLevel: string | null; languages: readonly string[] }): boolean {
  return activity.germanLevel === null && activity.languages.some((l) => l !== 'de');
}

/**
 * An activity's title and description in the reader's language when the organiser gave a
 * translation, otherwise the original, with the language it is written in.
 */
export function inReaderLanguage(
  row: { title: string; description?: string; source_locale: Locale; translations: Partial<Record<Locale, { title: string; description: string }>> },
  locale: Locale,
): { title: string; description: string; locale: Locale } {
  const translated = row.translations[locale];
  if (translated?.title) return { title: translated.title, description: translated.description || row.description || '', locale };
  return { title: row.title, description: row.description ?? '', locale: row.source_locale };
}

/** Escapes % and _ so that a search for "50%" finds "50%", not everything. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type ActivityQuery<O> = SelectQueryBuilder<Database, 'activity' | 'organisation', O>;

/**
 * The browse filters as conditions on a query of activities joined with their organisation:
 * the browse page and the calendar feeds ask the same question, so it is asked here once.
 * (The time window is the caller's: the page shows what is ahead, a feed also what just ended.)
 */
export function whereBrowseFilters<O>(query: ActivityQuery<O>, filters: BrowseFilters): ActivityQuery<O> {
  if (filters.category) query = query.where('activity.category', '=', filters.category);
  if (filters.language) query = query.where(sql<boolean>`${filters.language} = any(activity.languages)`);
  if (filters.germanLevel) query = query.where('activity.german_level', '=', filters.germanLevel);
  if (filters.noGermanNeeded) {
    query = query.where('activity.german_level', 'is', null).where(sql<boolean>`exists (select 1 from unnest(activity.languages) l where l <> 'de')`);
  }
  if (filters.audience) query = query.where(sql<boolean>`${filters.audience} = any(activity.audience)`);
  if (filters.childcare) query = query.where('activity.childcare', '=', true);
  if (filters.wheelchair) query = query.where('activity.wheelchair_accessible', '=', true);
  if (filters.free) query = query.where('activity.cost', 'is', null);
  if (filters.organisation) query = query.where('organisation.slug', '=', filters.organisation);
  if (filters.text) {
    // Title and description in every language the organiser wrote them in.
    const pattern = likePattern(filters.text);
    query = query.where((eb) =>
      eb.or([eb('activity.title', 'ilike', pattern), eb('activity.description', 'ilike', pattern), eb(sql`activity.translations::text`, 'ilike', pattern)]),
    );
  }
  return query;
}

/** What the browse page lists: published, not yet over, in the window, matching the filters. */
function publishedActivities(db: Kysely<Database>, options: { from: Date; to?: Date; category?: ActivityCategory; filters?: BrowseFilters }) {
  let query = db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .where('activity.status', '=', 'published')
    .where('activity.ends_at', '>', options.from);
  if (options.to) query = query.where('activity.starts_at', '<', options.to);
  const filters = options.filters ?? {};
  return whereBrowseFilters(query, { ...filters, category: options.category ?? filters.category });
}

/** How many activities the browse page would list over all its pages. */
export async function countPublishedActivities(db: Kysely<Database>, options: { from: Date; to?: Date; filters?: BrowseFilters }): Promise<number> {
  const row = await publishedActivities(db, options).select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow();
  return row.count;
}

export async function listPublishedActivities(
  db: Kysely<Database>,
  options: { locale: Locale; from: Date; to?: Date; category?: ActivityCategory; filters?: BrowseFilters; limit: number; offset?: number },
): Promise<ActivityListItem[]> {
  const query = publishedActivities(db, options)
    .select([
      'activity.id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.category',
      'activity.starts_at',
      'activity.ends_at',
      'activity.place_name',
      'activity.address',
      'activity.online_url',
      'activity.capacity',
      'activity.cost',
      'activity.languages',
      'activity.german_level',
      'activity.childcare',
      'activity.wheelchair_accessible',
      'organisation.name as organisation_name',
      seatsTakenSql.as('seats_taken'),
    ]);
  const rows = await query.orderBy('activity.starts_at').orderBy('activity.id').limit(options.limit).offset(options.offset ?? 0).execute();
  return rows.map((r) => {
    const shown = inReaderLanguage(r, options.locale);
    return {
      id: r.id,
      title: shown.title,
      titleLocale: shown.locale,
      category: r.category,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      placeName: r.place_name,
      address: r.address,
      online: r.online_url !== null,
      capacity: r.capacity,
      seatsTaken: r.seats_taken,
      cost: r.cost,
      organisationName: r.organisation_name,
      languages: r.languages,
      germanLevel: r.german_level,
      childcare: r.childcare,
      wheelchairAccessible: r.wheelchair_accessible,
    };
  });
}

export interface ActivityDetail extends Activity {
  organisationName: string;
  /** A course: one RSVP books every occurrence still to come. */
  wholeSeries: boolean;
  organisationSlug: string;
  seatsTaken: number;
  waitlistLength: number;
  /** Title and description in the reader's language, or the original. */
  shownTitle: string;
  shownDescription: string;
  shownLocale: Locale;
  /** How visitors reach the organiser: the activity's own contact or its organisation's. */
  contact: Contact | null;
}

/**
 * One activity as everyone may see it: published or cancelled. A draft exists only for the
 * members of its organisation, as a preview; for everyone else it is "not found".
 */
export async function getPublicActivity(db: Kysely<Database>, id: number, locale: Locale, viewer: { id: number } | null = null): Promise<ActivityDetail> {
  const row = await db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .leftJoin('activity_series', 'activity_series.id', 'activity.series_id')
    .selectAll('activity')
    .select(['organisation.name as organisationName', 'organisation.slug as organisationSlug', seatsTakenSql.as('seatsTaken'), waitlistSql.as('waitlistLength')])
    .select(['organisation.contact_phone as organisationPhone', 'organisation.contact_email as organisationEmail'])
    .select(sql<boolean>`coalesce(activity_series.whole_series, false)`.as('wholeSeries'))
    .where('activity.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('activity');
  if (row.status === 'draft' && !(viewer && (await isMember(db, viewer.id, row.organisation_id)))) throw new NotFoundError('draft');
  const shown = inReaderLanguage(row, locale);
  const { organisationPhone, organisationEmail, ...activity } = row;
  const contact = effectiveContact(activity, { contact_phone: organisationPhone, contact_email: organisationEmail });
  return { ...activity, shownTitle: shown.title, shownDescription: shown.description, shownLocale: shown.locale, contact };
}

/** What the browse filters can offer: organisers and languages of upcoming activities. */
export async function browseChoices(db: Kysely<Database>, now: Date): Promise<{ organisations: { slug: string; name: string }[]; languages: string[] }> {
  const organisations = await db
    .selectFrom('organisation')
    .select(['slug', 'name'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('activity')
          .select('activity.id')
          .whereRef('activity.organisation_id', '=', 'organisation.id')
          .where('activity.status', '=', 'published')
          .where('activity.ends_at', '>', now),
      ),
    )
    .orderBy('name')
    .execute();
  const languages = await db
    .selectFrom(sql<{ language: string }>`(select distinct unnest(languages) as language from activity where status = 'published' and ends_at > ${now})`.as('l'))
    .select('language')
    .orderBy('language')
    .execute();
  return { organisations, languages: languages.map((l) => l.language) };
}
