// Kümmerer mentoring: who offers to be a Kümmerer (and what a coordinator decided), newcomers'
// requests, the mentorships that match them (history kept), the meetings a Kümmerer logs, and
// the one-time claim codes that let a person a coordinator registered set up their sign-in.
// A person a coordinator registers has no e-mail address and no password until they redeem
// their claim code, so both become optional on app_user. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Unique and lower-case still hold for every address that exists (NULLs never collide, and
  // the foundation's check "email = lower(email)" is not false for NULL). Sign-in compares
  // with "=", which never matches NULL.
  await sql`alter table app_user alter column email drop not null`.execute(db);
  await sql`alter table app_user alter column password_hash drop not null`.execute(db);

  await db.schema
    .createTable('kuemmerer')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    // pending until a coordinator decides; paused by a coordinator (e.g. holidays) or declined.
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'declined', 'paused')`))
    .addColumn('topics', sql`text[]`, (c) => c.notNull().check(sql`cardinality(topics) >= 1`))
    .addColumn('languages', sql`text[]`, (c) => c.notNull().check(sql`cardinality(languages) >= 1`))
    // Altena's Kümmerer look after a few people each; five keeps it personal.
    .addColumn('max_mentees', 'integer', (c) => c.notNull().check(sql`max_mentees between 1 and 5`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    // What mentees see to reach their Kümmerer, written by the Kümmerer.
    .addColumn('contact_details', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('code_of_conduct_accepted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('kuemmerer_status_idx').on('kuemmerer').column('status').execute();

  await db.schema
    .createTable('mentoring_request')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('newcomer_user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('topics', sql`text[]`, (c) => c.notNull().check(sql`cardinality(topics) >= 1`))
    .addColumn('languages', sql`text[]`, (c) => c.notNull().check(sql`cardinality(languages) >= 1`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact_preference', 'text', (c) => c.notNull().check(sql`contact_preference in ('email', 'phone', 'messenger', 'coordinator', 'in_person')`))
    .addColumn('contact_detail', 'text', (c) => c.notNull().defaultTo(''))
    // open → matched (a mentorship runs) → closed (it ended); or withdrawn by the newcomer.
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'matched', 'withdrawn', 'closed')`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One live request per person: a second press of the button, or a coordinator and the
  // person at once, cannot make two.
  await sql`create unique index mentoring_request_live_unique on mentoring_request (newcomer_user_id) where status in ('open', 'matched')`.execute(db);
  // The matching page: open requests, oldest first.
  await sql`create index mentoring_request_status_idx on mentoring_request (status, created_at, id)`.execute(db);

  await db.schema
    .createTable('mentorship')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('mentoring_request.id').onDelete('cascade'))
    .addColumn('kuemmerer_user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('newcomer_user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'ended')`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('end_reason', 'text')
    .addColumn('assigned_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    // Bumped when a meeting is deleted, so personal calendar feeds notice the deletion.
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('mentorship_two_people', sql`kuemmerer_user_id <> newcomer_user_id`)
    .addCheckConstraint('mentorship_end_complete', sql`(status = 'ended') = (ended_at is not null)`)
    .execute();
  // A request has at most one running mentorship (a reassignment ends the old one first).
  await sql`create unique index mentorship_active_request_unique on mentorship (request_id) where status = 'active'`.execute(db);
  // Counting a Kümmerer's active mentees (the capacity check) and listing them.
  await db.schema.createIndex('mentorship_kuemmerer_idx').on('mentorship').columns(['kuemmerer_user_id', 'status']).execute();
  await db.schema.createIndex('mentorship_newcomer_idx').on('mentorship').columns(['newcomer_user_id', 'status']).execute();

  await db.schema
    .createTable('mentoring_meeting')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('mentorship_id', 'integer', (c) => c.notNull().references('mentorship.id').onDelete('cascade'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // Seen by the Kümmerer and coordinators only: never in a mail, a feed or the newcomer's page.
    .addColumn('private_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    // SEQUENCE in calendar feeds: bumped by every edit.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('mentoring_meeting_order', sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex('mentoring_meeting_mentorship_idx').on('mentoring_meeting').columns(['mentorship_id', 'starts_at']).execute();

  await db.schema
    .createTable('claim_code')
    // One live code per person: making a new one replaces the row, which kills the old code.
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    // SHA-256 of the normalised code: a copy of the database opens no account.
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('claim_code').ifExists().execute();
  await db.schema.dropTable('mentoring_meeting').ifExists().execute();
  await db.schema.dropTable('mentorship').ifExists().execute();
  await db.schema.dropTable('mentoring_request').ifExists().execute();
  await db.schema.dropTable('kuemmerer').ifExists().execute();
  // Accounts without an address or password cannot go back under NOT NULL; they are removed.
  await sql`delete from app_user where email is null or password_hash is null`.execute(db);
  await sql`alter table app_user alter column password_hash set not null`.execute(db);
  await sql`alter table app_user alter column email set not null`.execute(db);
}
