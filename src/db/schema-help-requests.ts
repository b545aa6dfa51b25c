// Table types for help requests (db/migrations/20261208_1200_help_requests.ts).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

export type HelpRequestStatus = 'open' | 'taken' | 'done' | 'did_not_happen' | 'withdrawn';

export interface HelpRequestTable {
  id: Generated<number>;
  asker_user_id: number;
  kind: string;
  /** A set time, or null for "any time in the week of week_of". */
  starts_at: Timestamp | null;
  /** The Monday (town's calendar) as "2026-12-07", for "any time this week". */
  week_of: ColumnType<string | null, string | null | undefined, string | null>;
  district: string;
  address: string;
  languages: string[];
  wants_woman: Generated<boolean>;
  needs_car: Generated<boolean>;
  needs_child_seat: Generated<boolean>;
  note: Generated<string>;
  status: HelpRequestStatus;
  helper_user_id: number | null;
  taken_at: Timestamp | null;
  minutes_spent: number | null;
  finished_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface HelpRequestTables {
  help_request: HelpRequestTable;
}
