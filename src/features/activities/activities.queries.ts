// Reading published activities for the home page and the list. (Creating, RSVPs and the full
// browse filters come with the activities feature.)
import type { Kysely } from 'kysely';
import type { ActivityCategory, Database, Locale } from '../../db/schema.ts';

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
      cost: r.cost,
      organisationName: r.organisation_name,
      languages: r.languages,
    };
  });
}
