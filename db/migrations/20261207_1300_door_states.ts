// What happened at the door, as one of three states the database keeps apart: expected,
// checked in (with how many of the party came: a family of 3 of whom 2 came is 2), or did not
// come. Before, a no-show mark silently undid a check-in, and a walk-in could be marked as not
// having come. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // People of the party who came; set exactly when the party is checked in.
  await db.schema.alterTable('rsvp').addColumn('checked_in_count', 'integer').execute();
  await sql`update rsvp set checked_in_count = party_size where checked_in_at is not null`.execute(db);
  // A check-in wins over an old no-show mark (the code cleared one when setting the other).
  await sql`update rsvp set no_show = false where no_show and checked_in_at is not null`.execute(db);
  // A walk-in is there because they came: one marked as not come, or whose check-in was undone,
  // was a mistake at the door and is taken off the list (kept as cancelled).
  await sql`update rsvp set status = 'cancelled', no_show = false where walk_in_name is not null and status <> 'cancelled' and checked_in_at is null`.execute(db);
  await db.schema
    .alterTable('rsvp')
    .addCheckConstraint('rsvp_checked_in_count', sql`(checked_in_at is null) = (checked_in_count is null) and (checked_in_count is null or checked_in_count between 1 and party_size)`)
    .execute();
  await db.schema.alterTable('rsvp').addCheckConstraint('rsvp_no_show_not_checked_in', sql`not (no_show and checked_in_at is not null)`).execute();
  await db.schema.alterTable('rsvp').addCheckConstraint('rsvp_walk_in_checked_in', sql`walk_in_name is null or status = 'cancelled' or checked_in_at is not null`).execute();
  await db.schema
    .alterTable('rsvp')
    .addCheckConstraint('rsvp_waiting_not_at_door', sql`status <> 'waitlisted' or (checked_in_at is null and not no_show)`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['rsvp_waiting_not_at_door', 'rsvp_walk_in_checked_in', 'rsvp_no_show_not_checked_in', 'rsvp_checked_in_count']) {
    await db.schema.alterTable('rsvp').dropConstraint(name).execute();
  }
  await db.schema.alterTable('rsvp').dropColumn('checked_in_count').execute();
}
