// How long the portal keeps each kind of personal data: the periods a site admin sets (with
// the defaults a town starts with), read by the retention job, the privacy notice and the
// records of processing. Stored as one app_setting row.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface RetentionPeriods {
  /** A sign-up whose address was never confirmed is deleted after this many days. */
  unconfirmedSignUpDays: number;
  /** An account nobody signed in to for this many months is deleted (warned 30 days before). */
  inactiveAccountMonths: number;
  /** Meetings' private notes of an ended mentorship are deleted this many months after its end. */
  meetingNotesMonths: number;
  /** A Kümmerer request's details (note, contact) are blanked this many months after it ended. */
  requestDetailsMonths: number;
  /** A finished help request's address, note, shared contacts and thanks are blanked this many
   * months after it finished (done, did not happen, withdrawn or expired). */
  helpRequestDetailsMonths: number;
  /** RSVP notes and walk-in names are removed this many days after the activity. */
  rsvpNotesDays: number;
  /** Attendance rows are anonymised this many months after the activity (counts stay). */
  attendanceMonths: number;
  /** Consultation walk-ins are deleted, and booking notes blanked, this many days after the hour. */
  consultationDetailsDays: number;
  /** The body of a sent (or set-aside) message is deleted this many days after sending. */
  sentMessageDays: number;
  /** Audit log events are deleted after this many months. */
  auditLogMonths: number;
}

export type RetentionKey = keyof RetentionPeriods;

export const DEFAULT_RETENTION: Readonly<RetentionPeriods> = {
  unconfirmedSignUpDays: 7,
  inactiveAccountMonths: 24,
  meetingNotesMonths: 6,
  requestDetailsMonths: 12,
  helpRequestDetailsMonths: 6,
  rsvpNotesDays: 30,
  consultationDetailsDays: 30,
  attendanceMonths: 24,
  sentMessageDays: 30,
  auditLogMonths: 12,
};

/** The unit each period is counted in (for forms, the notice and the records). */
export const RETENTION_UNITS: Readonly<Record<RetentionKey, 'days' | 'months'>> = {
  unconfirmedSignUpDays: 'days',
  inactiveAccountMonths: 'months',
  meetingNotesMonths: 'months',
  requestDetailsMonths: 'months',
  helpRequestDetailsMonths: 'months',
  rsvpNotesDays: 'days',
  consultationDetailsDays: 'days',
  attendanceMonths: 'months',
  sentMessageDays: 'days',
  auditLogMonths: 'months',
};

/** The sensible bounds a site admin may choose within (a period of 0 would delete at once). */
export const RETENTION_BOUNDS: Readonly<Record<RetentionKey, { min: number; max: number }>> = {
  unconfirmedSignUpDays: { min: 1, max: 90 },
  inactiveAccountMonths: { min: 3, max: 120 },
  meetingNotesMonths: { min: 1, max: 60 },
  requestDetailsMonths: { min: 1, max: 60 },
  helpRequestDetailsMonths: { min: 1, max: 60 },
  rsvpNotesDays: { min: 1, max: 365 },
  consultationDetailsDays: { min: 1, max: 365 },
  attendanceMonths: { min: 1, max: 120 },
  sentMessageDays: { min: 1, max: 365 },
  auditLogMonths: { min: 1, max: 120 },
};

/** Days before deleting an inactive account that its owner is warned by mail. */
export const INACTIVITY_WARNING_DAYS = 30;

export const RETENTION_SETTING = 'privacy.retention';

type Db = Kysely<Database> | Transaction<Database>;

/** The periods in force: the stored ones over the defaults (a key added later gets its default). */
export async function loadRetentionPeriods(db: Db): Promise<RetentionPeriods> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', RETENTION_SETTING).executeTakeFirst();
  const stored = (row?.value ?? {}) as Partial<Record<string, unknown>>;
  const periods = { ...DEFAULT_RETENTION };
  for (const key of Object.keys(DEFAULT_RETENTION) as RetentionKey[]) {
    const value = stored[key];
    const { min, max } = RETENTION_BOUNDS[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) periods[key] = value;
  }
  return periods;
}

export async function saveRetentionPeriods(db: Db, periods: RetentionPeriods): Promise<void> {
  const value = JSON.stringify(periods);
  await db
    .insertInto('app_setting')
    .values({ key: RETENTION_SETTING, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
