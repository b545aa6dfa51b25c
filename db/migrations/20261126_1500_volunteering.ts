// Volunteer roles on activities (a shift: "set-up", "Arabic interpreter", "driver"), who signed
// up for them, and a volunteer's optional profile. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('volunteer_role')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // A role belongs to one occurrence; a series gets one row per occurrence, so each date
    // has its own sign-ups, like its own RSVPs.
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 120`))
    .addColumn('people_needed', 'integer', (c) => c.notNull().check(sql`people_needed between 1 and 100`))
    // The shift, when it differs from the activity's own time (set-up starts earlier).
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .addColumn('what_to_bring', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(what_to_bring) <= 1000`))
    // Codes from fixed lists (VOLUNTEER_SKILLS, SPOKEN_LANGUAGES); checked by the form schema.
    .addColumn('skills', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // Raised when the shift's time changes; a calendar feed adds the activity's revision and
    // carries the sum as SEQUENCE.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('volunteer_role_window', sql`(starts_at is null) = (ends_at is null) and (starts_at is null or ends_at > starts_at)`)
    .execute();
  await db.schema.createIndex('volunteer_role_activity_idx').on('volunteer_role').column('activity_id').execute();

  await db.schema
    .createTable('volunteer_signup')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('role_id', 'integer', (c) => c.notNull().references('volunteer_role.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'withdrawn')`))
    // Set when the reminder the day before was written to the outbox (it is sent once).
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One live sign-up per person and role; after withdrawing, a person may sign up again.
  await sql`create unique index volunteer_signup_live_unique on volunteer_signup (role_id, user_id) where status = 'active'`.execute(db);
  // Filled places per role, and "my shifts".
  await sql`create index volunteer_signup_role_status_idx on volunteer_signup (role_id, status)`.execute(db);
  await db.schema.createIndex('volunteer_signup_user_idx').on('volunteer_signup').columns(['user_id', 'status']).execute();

  await db.schema
    .createTable('volunteer_profile')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    .addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('skills', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('availability', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(availability) <= 500`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('volunteer_profile').ifExists().execute();
  await db.schema.dropTable('volunteer_signup').ifExists().execute();
  await db.schema.dropTable('volunteer_role').ifExists().execute();
}
