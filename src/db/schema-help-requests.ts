// Table types for help requests (db/migrations/20261208_1200_help_requests.ts).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

export type HelpRequestStatus = 'open' | 'taken' | 'done' | 'did_not_happen' | 'withdrawn' | 'expired';

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
  /** The Kümmerer or coordinator who posted it on the asker's behalf. */
  posted_by_user_id: number | null;
  /** The consultation booking this request finds an interpreter for. */
  consultation_booking_id: number | null;
  /** What the asker shares with the helper who takes it (a phone number, say). */
  asker_contact: Generated<string>;
  /** What the helper shares with the asker on taking it. */
  helper_contact: Generated<string>;
  thanked_at: Timestamp | null;
  thanks_message: Generated<string>;
  /** When the coordinators were told that nobody took it by the day before. */
  escalated_at: Timestamp | null;
  /** Explicit consent (Art. 9 GDPR) for a request that reveals health (a doctor's visit). */
  health_consent_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** A helper told of a request by matching, or asked directly by a coordinator. */
export interface HelpRequestAskTable {
  request_id: number;
  helper_user_id: number;
  asked_by_user_id: number | null;
  direct: Generated<boolean>;
  created_at: CreatedAt;
}

export interface HelpRequestTables {
  help_request: HelpRequestTable;
  help_request_ask: HelpRequestAskTable;
}
