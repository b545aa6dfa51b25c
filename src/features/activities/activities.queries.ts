// Reading published (and cancelled, which stay visible) activities for the pages.
import { sql, type Kysely } from 'kysely';
import type { Activity, ActivityCategory, Database, Locale } from '../../db/schema.ts';
import { NotFoundError } from '../access/access.ts';

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
  online: boolean;
  capacity: number | null;
  seatsTaken: number;
  cost: string | null;
  organisationName: string;
  languages: string[];
}

export async function listPublishedActivities(
  db: Kysely<Database>,
  options: { locale: Locale; from: Date; to?: Date; category?: ActivityCategory; limit: number; offset?: number },
): Promise<ActivityListItem[]> {
  let query = db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .select([
      'activity.id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.category',
      'activity.starts_at',
      'activity.ends_at',
      'activity.place_name',
      'activity.online_url',
      'activity.capacity',
      'activity.cost',
      'activity.languages',
      'organisation.name as organisation_name',
      seatsTakenSql.as('seats_taken'),
    ])
    .where('activity.status', '=', 'published')
    .where('activity.ends_at', '>', options.from);
  if (options.to) query = query.where('activity.starts_at', '<', options.to);
  if (options.category) query = query.where('activity.category', '=', options.category);
  const rows = await query.orderBy('activity.starts_at').orderBy('activity.id').limit(options.limit).offset(options.offset ?? 0).execute();
  return rows.map((r) => {
    const translated = r.translations[options.locale];
    return {
      id: r.id,
      title: translated?.title ?? r.title,
      titleLocale: translated ? options.locale : r.source_locale,
      category: r.category,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      placeName: r.place_name,
      online: r.online_url !== null,
      capacity: r.capacity,
      seatsTaken: r.seats_taken,
      cost: r.cost,
      organisationName: r.organisation_name,
      languages: r.languages,
    };
  });
}

export interface ActivityDetail extends Activity {
  organisationName: string;
  organisationSlug: string;
  seatsTaken: number;
  waitlistLength: number;
  /** Title and description in the reader's language, or the original. */
  shownTitle: string;
  shownDescription: string;
  shownLocale: Locale;
}

/** One activity as everyone may see it: published or cancelled, never a draft. */
export async function getPublicActivity(db: Kysely<Database>, id: number, locale: Locale): Promise<ActivityDetail> {
  const row = await db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .selectAll('activity')
    .select(['organisation.name as organisationName', 'organisation.slug as organisationSlug', seatsTakenSql.as('seatsTaken'), waitlistSql.as('waitlistLength')])
    .where('activity.id', '=', id)
    .where('activity.status', 'in', ['published', 'cancelled'])
    .executeTakeFirst();
  if (!row) throw new NotFoundError('activity');
  const translated = row.translations[locale];
  return {
    ...row,
    shownTitle: translated?.title || row.title,
    shownDescription: translated?.description || row.description,
    shownLocale: translated ? locale : row.source_locale,
  };
}
