// Table types for consent records (db/migrations/20261207_1700_privacy.ts).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

export type ConsentGivenHow = 'online' | 'paper';

export interface ConsentTable {
  id: Generated<number>;
  user_id: number;
  /** What the person agreed to (src/features/privacy/consent.ts lists the purposes). */
  purpose: string;
  /** Which version of the text they were shown, so that a changed text can ask again. */
  text_version: string;
  given_at: Timestamp;
  given_how: ConsentGivenHow;
  /** The coordinator who recorded a consent signed on paper. */
  recorded_by: number | null;
  withdrawn_at: Timestamp | null;
  created_at: CreatedAt;
}

/** How many rows of each kind a retention run removed or made anonymous. */
export type RetentionCountsJson = Record<string, number>;

/** One run of the retention job (db/migrations/20261207_1710_privacy_runs.ts). */
export interface PrivacyRunTable {
  id: Generated<number>;
  /** The town's calendar day, as "2026-12-07". */
  day: ColumnType<string, string, never>;
  started_by: 'schedule' | 'command';
  started_at: Timestamp;
  finished_at: Timestamp | null;
  counts: ColumnType<RetentionCountsJson | null, string | null, string | null>;
}

export interface PrivacyTables {
  consent: ConsentTable;
  privacy_run: PrivacyRunTable;
}
