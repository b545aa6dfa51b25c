// Table types for volunteer hours (db/migrations/20261209_1000_volunteer_hours.ts).
import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

/** What made the hours: a checked-in shift, a logged Kümmerer meeting, a finished help request,
 * or an organiser's entry by hand. */
export type HoursSource = 'shift' | 'meeting' | 'help' | 'manual';
export type HoursStatus = 'pending' | 'confirmed';

export interface VolunteerHoursTable {
  id: Generated<number>;
  user_id: number;
  /** Null: the town's own schemes (Kümmerer, neighbourly help), confirmed by coordinators. */
  organisation_id: number | null;
  source: HoursSource;
  volunteer_signup_id: number | null;
  mentoring_meeting_id: number | null;
  help_request_id: number | null;
  activity_id: number | null;
  starts_at: Timestamp;
  minutes: number;
  description: string;
  place: Generated<string>;
  status: Generated<HoursStatus>;
  confirmed_at: Timestamp | null;
  confirmed_by: number | null;
  /** Set when the volunteer corrected the entry: the source no longer overwrites it. */
  corrected_at: Timestamp | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** A source whose entry a keeper removed: the source does not make it again. */
export interface VolunteerHoursRemovedTable {
  volunteer_signup_id: number | null;
  mentoring_meeting_id: number | null;
  help_request_id: number | null;
  removed_at: Generated<Date>;
}

export interface HoursTables {
  volunteer_hours: VolunteerHoursTable;
  volunteer_hours_removed: VolunteerHoursRemovedTable;
}

export type VolunteerHours = Selectable<VolunteerHoursTable>;
