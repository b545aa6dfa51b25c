// What a person sees of their own RSVPs.
import { sql, type Kysely } from 'kysely';
import type { Database, Locale, RsvpStatus } from '../../db/schema.ts';
import { inReaderLanguage } from '../activities/activities.queries.ts';

export interface MyRsvp {
  id: number;
  activityId: number;
  title: string;
  titleLocale: Locale;
  startsAt: Date;
  endsAt: Date;
  placeName: string | null;
  online: boolean;
  activityStatus: 'published' | 'cancelled';
  status: Exclude<RsvpStatus, 'cancelled'>;
  partySize: number;
  note: string;
  /** 1 for the first party waiting; null when going. */
  waitlistPosition: number | null;
}

const positionSql = sql<number>`(select count(*)::int + 1 from rsvp ahead where ahead.activity_id = rsvp.activity_id and ahead.status = 'waitlisted' and ahead.id < rsvp.id)`;

export async function listMyRsvps(db: Kysely<Database>, userId: number, locale: Locale, options: { activityId?: number } = {}): Promise<MyRsvp[]> {
  let query = db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .select([
      'rsvp.id',
      'rsvp.activity_id',
      'rsvp.status',
      'rsvp.party_size',
      'rsvp.note',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.starts_at',
      'activity.ends_at',
      'activity.place_name',
      'activity.online_url',
      'activity.status as activity_status',
      positionSql.as('position'),
    ])
    .where('rsvp.user_id', '=', userId)
    .where('rsvp.status', '<>', 'cancelled')
    .where('activity.status', '<>', 'draft');
  if (options.activityId !== undefined) query = query.where('rsvp.activity_id', '=', options.activityId);
  const rows = await query.orderBy('activity.starts_at').orderBy('rsvp.id').execute();
  return rows.map((r) => {
    const shown = inReaderLanguage(r, locale);
    return {
      id: r.id,
      activityId: r.activity_id,
      title: shown.title,
      titleLocale: shown.locale,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      placeName: r.place_name,
      online: r.online_url !== null,
      activityStatus: r.activity_status === 'cancelled' ? 'cancelled' : 'published',
      status: r.status === 'going' ? 'going' : 'waitlisted',
      partySize: r.party_size,
      note: r.note,
      waitlistPosition: r.status === 'waitlisted' ? r.position : null,
    };
  });
}
