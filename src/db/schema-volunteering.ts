// Table types for volunteer roles, sign-ups and profiles (db/migrations/20261126_1500_volunteering.ts).
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface VolunteerRoleTable {
  id: Generated<number>;
  activity_id: number;
  name: string;
  people_needed: number;
  /** The shift's own window; null means the activity's time. */
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  what_to_bring: Generated<string>;
  skills: TextArray;
  languages: TextArray;
  revision: Generated<number>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export type VolunteerSignupStatus = 'active' | 'withdrawn';

export interface VolunteerSignupTable {
  id: Generated<number>;
  role_id: number;
  user_id: number;
  status: VolunteerSignupStatus;
  reminded_at: Timestamp | null;
  /** When the volunteer answered "I'll be there" to a reminder (a one-tap link or Telegram). */
  confirmed_at: Timestamp | null;
  /** When an organiser marked the volunteer as having served (hours are made from it). */
  checked_in_at: Timestamp | null;
  checked_in_by: number | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface VolunteerProfileTable {
  user_id: number;
  languages: TextArray;
  skills: TextArray;
  availability: Generated<string>;
  /** Help-request kinds offered (HELP_KINDS); matching reads them. */
  help_kinds: TextArray;
  /** Weekdays the person can usually help: 'mon' … 'sun'. */
  help_days: TextArray;
  has_car: Generated<boolean>;
  has_child_seat: Generated<boolean>;
  /** Helps as a woman: matched to requests that ask for a woman helper. */
  helps_as_woman: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface VolunteeringTables {
  volunteer_role: VolunteerRoleTable;
  volunteer_signup: VolunteerSignupTable;
  volunteer_profile: VolunteerProfileTable;
}

export type VolunteerRole = Selectable<VolunteerRoleTable>;
