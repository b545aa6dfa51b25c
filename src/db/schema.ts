// Table types for Kysely. Column names are snake_case as in SQL; one interface per table.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { VolunteeringTables } from './schema-volunteering.ts';
import type { MentoringTables } from './schema-mentoring.ts';
import type { OrganisationTables } from './schema-organisations.ts';
import type { PrivacyTables } from './schema-privacy.ts';
import type { ReachingTables } from './schema-reaching.ts';
import type { ConsultationTables } from './schema-consultations.ts';
import type { HelpRequestTables } from './schema-help-requests.ts';
import type { HoursTables } from './schema-hours.ts';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export const LOCALES = ['de', 'en', 'ar', 'uk', 'tr', 'fa'] as const;
export type Locale = (typeof LOCALES)[number];

export type MembershipRole = 'organiser' | 'coordinator';
export type EmailTokenPurpose = 'confirm_email' | 'reset_password' | 'change_email';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

export const ACTIVITY_CATEGORIES = [
  'leisure',
  'culture',
  'sports',
  'language',
  'integration',
  'volunteering',
] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];
export type ActivityStatus = 'draft' | 'published' | 'cancelled';
export const GERMAN_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1'] as const;
export const AUDIENCES = ['families', 'children', 'women', 'youth', 'seniors'] as const;

export interface AppSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

export interface UserTable {
  id: Generated<number>;
  /** Null for a person a coordinator registered, until they redeem their claim code. */
  email: string | null;
  email_verified_at: Timestamp | null;
  /** Null until the person has chosen a password (see email). */
  password_hash: string | null;
  display_name: string;
  /** What a person without an e-mail address signs in with (NFKC, lower case); see
   * src/features/accounts/sign-in-name.ts. Anyone may have one. */
  sign_in_name: string | null;
  /** Created by a coordinator for someone without an e-mail address (see mentoring). */
  registered_by_coordination: Generated<boolean>;
  locale: Locale;
  is_admin: Generated<boolean>;
  /** Kept for retention: an account nobody signs in to is warned, then deleted. */
  last_signed_in_at: Timestamp | null;
  /** When retention warned that the account will be deleted; cleared by a sign-in. */
  inactivity_warned_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface SessionTable {
  id: string;
  user_id: number;
  secret_hash: Uint8Array;
  created_at: CreatedAt;
  last_verified_at: Timestamp;
}

export interface EmailTokenTable {
  token_hash: string;
  user_id: number;
  purpose: EmailTokenPurpose;
  /** For 'change_email': the address that replaces the current one once confirmed. */
  new_email: string | null;
  expires_at: Timestamp;
  /** When the link was used: a used link works no more, but can still tell "already done". */
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface RateLimitTable {
  key: string;
  hits: number;
  window_ends_at: Timestamp;
}

export interface OrganisationTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  /** The public contact visitors see (src/features/organisations/contact.ts). */
  contact_phone: string | null;
  contact_email: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface MembershipTable {
  organisation_id: number;
  user_id: number;
  role: MembershipRole;
  created_at: CreatedAt;
}

/** Where one outbox row goes (src/features/notifications/topics.ts decides which). */
export type OutboxChannel = 'email' | 'telegram';

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  recipient_user_id: number | null;
  /** The person a message names when that is not its recipient; erasing them deletes it. */
  about_user_id: number | null;
  /** Null exactly when the message goes to Telegram (the chat is looked up when it is sent). */
  recipient_email: string | null;
  channel: Generated<OutboxChannel>;
  locale: Locale;
  payload: ColumnType<Record<string, unknown>, string, string>;
  /** The payload's secret fields (a link with a token), emptied once the mail is sent or set
   * aside (src/features/outbox/outbox.ts). */
  secrets: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_user_id: number | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  /** Set when the actor's account was deleted: the events stay, under this pseudonym. */
  actor_pseudonym: string | null;
}

export interface ActivityTable {
  id: Generated<number>;
  organisation_id: number;
  status: ActivityStatus;
  title: string;
  description: string;
  source_locale: Locale;
  translations: ColumnType<Partial<Record<Locale, { title: string; description: string }>>, string | undefined, string>;
  category: ActivityCategory;
  starts_at: Timestamp;
  ends_at: Timestamp;
  place_name: string | null;
  address: string | null;
  online_url: string | null;
  capacity: number | null;
  rsvp_deadline: Timestamp | null;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  german_level: string | null;
  audience: ColumnType<string[], string[] | undefined, string[]>;
  childcare: Generated<boolean>;
  wheelchair_accessible: Generated<boolean>;
  cost: string | null;
  contact_name: string | null;
  /** The activity's own contact; when both are empty the organisation's is shown. */
  contact_phone: string | null;
  contact_email: string | null;
  revision: Generated<number>;
  cancel_reason: string | null;
  /** Set on every occurrence of a repeating activity. */
  series_id: number | null;
  /** Where the series' rule puts this occurrence (it may have been moved since). */
  series_slot: Timestamp | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export type SeriesFrequency = 'weekly' | 'fortnightly' | 'monthly';

export interface ActivitySeriesTable {
  id: Generated<number>;
  organisation_id: number;
  frequency: SeriesFrequency;
  whole_series: Generated<boolean>;
  created_at: CreatedAt;
}

export type RsvpStatus = 'going' | 'waitlisted' | 'cancelled';

export interface RsvpTable {
  id: Generated<number>;
  activity_id: number;
  /** Null for a walk-in, who has a name but no account. */
  user_id: number | null;
  walk_in_name: string | null;
  party_size: number;
  note: Generated<string>;
  status: RsvpStatus;
  checked_in_at: Timestamp | null;
  /** How many of the party came; set exactly when checked in (1…party_size). */
  checked_in_count: number | null;
  no_show: Generated<boolean>;
  reminded_at: Timestamp | null;
  /** When the person answered "I'm coming" to a reminder (a one-tap link or Telegram). */
  confirmed_at: Timestamp | null;
  /** Set when the row was made anonymous (erasure or retention): no account, no walk-in
   * name, no note; it still counts in the organisers' numbers. */
  anonymised_at: Timestamp | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface CalendarTokenTable {
  user_id: number;
  token_hash: string;
  /** When this address was made (a new address replaces the row, so this changes too). */
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

// Volunteering, mentoring, invitations and consents keep their table types in their own files (schema-*.ts).
export interface Database extends VolunteeringTables, MentoringTables, OrganisationTables, PrivacyTables, ReachingTables, ConsultationTables, HelpRequestTables, HoursTables {
  app_setting: AppSettingTable;
  app_user: UserTable;
  session: SessionTable;
  email_token: EmailTokenTable;
  rate_limit: RateLimitTable;
  organisation: OrganisationTable;
  membership: MembershipTable;
  outbox: OutboxTable;
  audit_event: AuditEventTable;
  activity: ActivityTable;
  activity_series: ActivitySeriesTable;
  rsvp: RsvpTable;
  calendar_token: CalendarTokenTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Organisation = Selectable<OrganisationTable>;
export type Activity = Selectable<ActivityTable>;
