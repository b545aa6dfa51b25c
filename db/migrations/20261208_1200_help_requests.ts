// Help requests (issue "consultation hours and help requests"): a newcomer asks for someone to
// come along to an authority, a doctor or a school, to interpret, to drive them or to carry
// something; one helper takes it. Frozen once landed.
// - When: a time (starts_at), or "any time this week" (week_of: the Monday of that week in the
//   town's calendar). Exactly one of the two.
// - Where: the district (shown to every helper) apart from the exact address (only to the
//   helper who took it, the asker and coordinators).
// - open → taken (helper_user_id set) → done (minutes_spent) or did_not_happen; handing it back
//   makes it open again; the asker can withdraw it while open.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** Open requests are on "Help wanted", which visitors see: writes tell the other app servers,
 * as the tables of 20261126_1700_content_notify.ts do (that function already exists). */
export const NOTIFYING_TABLES = ['help_request'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('help_request')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('asker_user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('authority', 'doctor', 'school', 'interpreting', 'lift', 'carrying', 'other')`))
    .addColumn('starts_at', 'timestamptz')
    .addColumn('week_of', 'date')
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('languages', sql`text[]`, (c) => c.notNull().check(sql`cardinality(languages) >= 1`))
    .addColumn('wants_woman', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('needs_car', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('needs_child_seat', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'taken', 'done', 'did_not_happen', 'withdrawn')`))
    // Set null when the helper deletes their account; a taken request is then reopened first
    // (see the erasure), so only finished ones lose their helper.
    .addColumn('helper_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('taken_at', 'timestamptz')
    // Kept for counting volunteer hours later.
    .addColumn('minutes_spent', 'integer', (c) => c.check(sql`minutes_spent between 1 and 1440`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('help_request_one_when', sql`(starts_at is null) <> (week_of is null)`)
    .addCheckConstraint('help_request_not_own', sql`helper_user_id is null or helper_user_id <> asker_user_id`)
    .addCheckConstraint('help_request_minutes_when_done', sql`minutes_spent is null or status = 'done'`)
    .execute();
  // The public list: open requests only (a date-to-timestamptz cast is not immutable, so no
  // expression index on the sort key).
  await sql`create index help_request_open_idx on help_request (starts_at, week_of) where status = 'open'`.execute(db);
  await db.schema.createIndex('help_request_asker_idx').on('help_request').column('asker_user_id').execute();
  await db.schema.createIndex('help_request_helper_idx').on('help_request').column('helper_user_id').execute();
  for (const table of NOTIFYING_TABLES) {
    await sql`create trigger ${sql.id(`${table}_content_changed`)} after insert or update or delete or truncate on ${sql.table(table)} for each statement execute function ankommen_content_changed()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('help_request').execute();
}
