// Tells every app server when something a visitor could see has changed: after each statement
// that writes to one of these tables, pg_notify('ankommen_content'). PostgreSQL delivers it at
// COMMIT (never for a rollback) and folds a transaction's notifications into one, whoever
// wrote — another app server, psql, a command-line tool. Servers LISTEN and retire their kept
// pages (src/db/content-notify.ts). Tables no public page shows (sessions, rate limits, the
// outbox, the audit log, tokens) are left out; a new table must be added here or there
// (tests/unit/content-changes.test.ts checks that every table is on one side). Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export const NOTIFYING_TABLES = [
  'app_setting',
  'app_user',
  'organisation',
  'membership',
  'activity',
  'activity_series',
  'rsvp',
  'volunteer_role',
  'volunteer_signup',
  'volunteer_profile',
  'kuemmerer',
  'mentoring_request',
  'mentorship',
  'mentoring_meeting',
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function ankommen_content_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('ankommen_content', '');
      return null;
    end
    $$`.execute(db);
  for (const table of NOTIFYING_TABLES) {
    await sql`create trigger ${sql.id(`${table}_content_changed`)} after insert or update or delete or truncate on ${sql.table(table)} for each statement execute function ankommen_content_changed()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of NOTIFYING_TABLES) await sql`drop trigger if exists ${sql.id(`${table}_content_changed`)} on ${sql.table(table)}`.execute(db);
  await sql`drop function if exists ankommen_content_changed()`.execute(db);
}
