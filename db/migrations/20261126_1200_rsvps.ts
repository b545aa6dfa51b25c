// RSVPs: a person's party for one activity, going or on the waitlist, and what happened at the
// door (checked in, did not come). A walk-in is an RSVP without an account, made by an
// organiser, under the name they were given. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rsvp')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('cascade'))
    .addColumn('walk_in_name', 'text')
    // The person plus up to 9 others (children count).
    .addColumn('party_size', 'integer', (c) => c.notNull().check(sql`party_size between 1 and 10`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('going', 'waitlisted', 'cancelled')`))
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('no_show', 'boolean', (c) => c.notNull().defaultTo(false))
    // Set when the reminder the day before was written to the outbox (it is sent once).
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('rsvp_person_or_walk_in', sql`(user_id is null) <> (walk_in_name is null)`)
    .execute();
  // One live RSVP per person and activity; a cancelled one may be followed by a new one.
  await sql`create unique index rsvp_live_unique on rsvp (activity_id, user_id) where status <> 'cancelled'`.execute(db);
  // Seats taken and the waitlist in arrival order (id grows in the order the activity lock was won).
  await sql`create index rsvp_activity_status_idx on rsvp (activity_id, status, id)`.execute(db);
  await db.schema.createIndex('rsvp_user_idx').on('rsvp').columns(['user_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rsvp').ifExists().execute();
}
