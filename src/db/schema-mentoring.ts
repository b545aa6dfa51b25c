// Table types for Kümmerer mentoring (db/migrations/20261126_1600_mentoring.ts).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

export type KuemmererStatus = 'pending' | 'approved' | 'declined' | 'paused';
export type MentoringRequestStatus = 'open' | 'matched' | 'withdrawn' | 'closed';
export type MentorshipStatus = 'active' | 'ended';
export type ContactPreference = 'email' | 'phone' | 'messenger' | 'coordinator' | 'in_person';

type TextArray = ColumnType<string[], string[], string[]>;

export interface KuemmererTable {
  user_id: number;
  status: KuemmererStatus;
  topics: TextArray;
  languages: TextArray;
  max_mentees: number;
  note: Generated<string>;
  contact_details: Generated<string>;
  code_of_conduct_accepted_at: Timestamp;
  decided_by: number | null;
  decided_at: Timestamp | null;
  decision_message: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface MentoringRequestTable {
  id: Generated<number>;
  newcomer_user_id: number;
  topics: TextArray;
  languages: TextArray;
  note: Generated<string>;
  contact_preference: ContactPreference;
  contact_detail: Generated<string>;
  status: MentoringRequestStatus;
  created_by: number | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: Generated<Date>;
}

export interface MentorshipTable {
  id: Generated<number>;
  request_id: number;
  kuemmerer_user_id: number;
  newcomer_user_id: number;
  status: MentorshipStatus;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  ended_at: Timestamp | null;
  ended_by: number | null;
  end_reason: string | null;
  assigned_by: number | null;
  updated_at: Generated<Date>;
}

export interface MentoringMeetingTable {
  id: Generated<number>;
  mentorship_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  place: Generated<string>;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  private_note: Generated<string>;
  created_by: number | null;
  revision: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface ClaimCodeTable {
  user_id: number;
  code_hash: string;
  created_by: number | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface MentoringTables {
  kuemmerer: KuemmererTable;
  mentoring_request: MentoringRequestTable;
  mentorship: MentorshipTable;
  mentoring_meeting: MentoringMeetingTable;
  claim_code: ClaimCodeTable;
}
