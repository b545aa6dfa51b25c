// Volunteer hours (issue "volunteer hours and certificates, safeguarding checks, and reports"):
// hours come from what happened, and the organisation confirms them. Frozen once landed.
// - volunteer_signup gains a check-in (checked_in_at, checked_in_by): the organiser marks who
//   served; a checked-in shift is what makes hours of it.
// - volunteer_hours is the one ledger of hours, whatever they came from: a checked-in shift,
//   a logged Kümmerer meeting, a finished help request, or hours an organiser adds by hand (a
//   training, a day of sorting donations). Each row keeps its own copy of when, how long and
//   what, so that a certificate still reads right after the activity or meeting is gone (the
//   source link is then set null). organisation_id null means the town's own schemes
//   (Kümmerer and neighbourly help), which coordinators confirm.
// - pending → confirmed by the organisation; until then the volunteer may correct minutes and
//   what it was (corrected_at: a later change of the source no longer overwrites it).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('volunteer_signup')
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('checked_in_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('volunteer_hours')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisation.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('shift', 'meeting', 'help', 'manual')`))
    .addColumn('volunteer_signup_id', 'integer', (c) => c.unique().references('volunteer_signup.id').onDelete('set null'))
    .addColumn('mentoring_meeting_id', 'integer', (c) => c.unique().references('mentoring_meeting.id').onDelete('set null'))
    .addColumn('help_request_id', 'integer', (c) => c.unique().references('help_request.id').onDelete('set null'))
    // The activity a shift or hand-added entry belongs to, for the deployment list's "where".
    .addColumn('activity_id', 'integer', (c) => c.references('activity.id').onDelete('set null'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes between 1 and 1440`))
    // What it was ("Sprachcafé – Ausschank", "Kümmerer-Treffen", "Schulung Erste Hilfe").
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'confirmed')`))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('corrected_at', 'timestamptz')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('volunteer_hours_confirmed', sql`(status = 'confirmed') = (confirmed_at is not null)`)
    .addCheckConstraint('volunteer_hours_one_source', sql`num_nonnulls(volunteer_signup_id, mentoring_meeting_id, help_request_id) <= 1`)
    .addCheckConstraint(
      'volunteer_hours_source_link',
      sql`(volunteer_signup_id is null or source = 'shift') and (mentoring_meeting_id is null or source = 'meeting') and (help_request_id is null or source = 'help')`,
    )
    .execute();
  await db.schema
    .createTable('volunteer_hours_removed')
    .addColumn('volunteer_signup_id', 'integer', (c) => c.unique().references('volunteer_signup.id').onDelete('cascade'))
    .addColumn('mentoring_meeting_id', 'integer', (c) => c.unique().references('mentoring_meeting.id').onDelete('cascade'))
    .addColumn('help_request_id', 'integer', (c) => c.unique().references('help_request.id').onDelete('cascade'))
    .addColumn('removed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('volunteer_hours_removed_one_source', sql`num_nonnulls(volunteer_signup_id, mentoring_meeting_id, help_request_id) = 1`)
    .execute();
  await db.schema.createIndex('volunteer_hours_user_idx').on('volunteer_hours').columns(['user_id', 'starts_at']).execute();
  await db.schema.createIndex('volunteer_hours_organisation_idx').on('volunteer_hours').columns(['organisation_id', 'starts_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('volunteer_hours_removed').execute();
  await db.schema.dropTable('volunteer_hours').execute();
  await db.schema.alterTable('volunteer_signup').dropColumn('checked_in_by').dropColumn('checked_in_at').execute();
}
