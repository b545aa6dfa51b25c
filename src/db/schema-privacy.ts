// Table types for consent records (db/migrations/20261207_1700_privacy.ts).
import type { Generated } from 'kysely';
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

export interface PrivacyTables {
  consent: ConsentTable;
}
