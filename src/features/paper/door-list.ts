// The door list on paper (/organise/<id>/door-list): for a door without a phone, or as the
// fallback when the network is gone. The same people as the door page (listAttendees, which
// also decides who may see them: members of the activity's organisation, everyone else gets
// "not found"), with what the page header needs and whether each party confirmed a reminder.
import type { Kysely } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { inReaderLanguage } from '../activities/activities.queries.ts';
import { listAttendees, type DoorRow, type WaitingParty } from '../attendance/attendance.service.ts';
import type { DoorCounts } from '../attendance/attendance.counting.ts';

/**
 * Empty lines for people who come without signing up, to be entered on the door page later.
 * Six leave a short list on one A4 page; more people write on the back.
 */
export const WALK_IN_LINES = 6;

export interface DoorListParty extends DoorRow {
  /** The person answered "I'm coming" to a reminder. */
  confirmed: boolean;
}

export interface DoorListView {
  activity: {
    id: number;
    title: string;
    titleLocale: Locale;
    startsAt: Date;
    endsAt: Date;
    placeName: string | null;
    address: string | null;
    online: boolean;
    organisationName: string;
    capacity: number | null;
    cancelled: boolean;
  };
  going: DoorListParty[];
  waitlist: WaitingParty[];
  counts: DoorCounts;
  /** Going parties, walk-ins among them. */
  parties: number;
}

export async function loadDoorList(db: Kysely<Database>, actor: SessionUser | null, activityId: number, locale: Locale): Promise<DoorListView> {
  const list = await listAttendees(db, actor, activityId);
  const { activity } = list;
  const [organisation, confirmations] = await Promise.all([
    db.selectFrom('organisation').select('name').where('id', '=', activity.organisation_id).executeTakeFirstOrThrow(),
    db.selectFrom('rsvp').select('id').where('activity_id', '=', activityId).where('status', '=', 'going').where('confirmed_at', 'is not', null).execute(),
  ]);
  const confirmed = new Set(confirmations.map((row) => row.id));
  const shown = inReaderLanguage(activity, locale);
  return {
    activity: {
      id: activity.id,
      title: shown.title,
      titleLocale: shown.locale,
      startsAt: activity.starts_at,
      endsAt: activity.ends_at,
      placeName: activity.place_name,
      address: activity.address,
      online: activity.online_url !== null,
      organisationName: organisation.name,
      capacity: activity.capacity,
      cancelled: activity.status === 'cancelled',
    },
    going: list.going.map((row) => ({ ...row, confirmed: confirmed.has(row.rsvpId) })),
    waitlist: list.waitlist,
    counts: list.counts,
    parties: list.going.length,
  };
}
