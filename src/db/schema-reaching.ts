// Table types for reaching people (db/migrations/20261208_1000_reaching_people.ts): one-tap
// answers, notification settings, the weekly programme and Telegram.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

/** A one-tap link's token (its SHA-256 hash): it answers one RSVP or one shift signup. */
export interface AnswerTokenTable {
  token_hash: string;
  rsvp_id: number | null;
  volunteer_signup_id: number | null;
  consultation_booking_id: number | null;
  /** The activity's start: after it, the link only says it is too late. */
  expires_at: Timestamp;
  created_at: CreatedAt;
}

/** One topic's channels for one person (src/features/notifications/topics.ts). */
export interface NotificationSettingTable {
  user_id: number;
  topic: string;
  email: boolean;
  telegram: boolean;
  updated_at: Generated<Date>;
}

export interface ProgrammeSubscriptionTable {
  user_id: number;
  categories: ColumnType<string[], string[] | undefined, string[]>;
  no_german_needed: Generated<boolean>;
  childcare: Generated<boolean>;
  /** The Monday of the last week sent, as "2026-12-07". */
  last_sent_week: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Generated<Date>;
}

export interface TelegramChatTable {
  user_id: number;
  /** Telegram's chat id, as text: ids exceed 2^31. */
  chat_id: string;
  linked_at: Generated<Date>;
}

export interface TelegramLinkCodeTable {
  code_hash: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface ReachingTables {
  answer_token: AnswerTokenTable;
  notification_setting: NotificationSettingTable;
  programme_subscription: ProgrammeSubscriptionTable;
  telegram_chat: TelegramChatTable;
  telegram_link_code: TelegramLinkCodeTable;
}
