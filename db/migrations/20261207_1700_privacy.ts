// Privacy (src/features/privacy): what export, erasure, retention and consent need from the
// schema. Frozen once landed.
// - An RSVP can be anonymised: the row stays, so that the organisers' counts and charts keep
//   their numbers, but it names nobody (no account, no walk-in name, no note).
// - The audit log keeps the events of a deleted person under a pseudonym.
// - Retention warns, and later deletes, accounts nobody has signed in to for a long time.
// - Consent records: who agreed to what, to which version of the text, when and how.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rsvp').addColumn('anonymised_at', 'timestamptz').execute();
  await db.schema.alterTable('rsvp').dropConstraint('rsvp_person_or_walk_in').execute();
  await db.schema
    .alterTable('rsvp')
    .addCheckConstraint(
      'rsvp_person_or_walk_in',
      sql`case when anonymised_at is null then (user_id is null) <> (walk_in_name is null) else user_id is null and walk_in_name is null end`,
    )
    .execute();

  await db.schema.alterTable('audit_event').addColumn('actor_pseudonym', 'text').execute();
  // A queued or sent message that names someone other than its recipient (a Kümmerer told about
  // their newcomer): erasing that person deletes it too.
  await db.schema.alterTable('outbox').addColumn('about_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null')).execute();

  await db.schema.alterTable('app_user').addColumn('last_signed_in_at', 'timestamptz').execute();
  await db.schema.alterTable('app_user').addColumn('inactivity_warned_at', 'timestamptz').execute();
  // Until now a sign-in left no mark on the account; the audit log knows the last one.
  await sql`
    update app_user u set last_signed_in_at = s.at
    from (select actor_user_id, max(at) as at from audit_event where action = 'account.signed_in' group by actor_user_id) s
    where s.actor_user_id = u.id`.execute(db);

  await db.schema
    .createTable('consent')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('text_version', 'text', (c) => c.notNull())
    .addColumn('given_at', 'timestamptz', (c) => c.notNull())
    .addColumn('given_how', 'text', (c) => c.notNull().check(sql`given_how in ('online', 'paper')`))
    .addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('consent_user').on('consent').columns(['user_id', 'purpose']).execute();
  // One consent in force per person and purpose; withdrawn ones stay as the record.
  await sql`create unique index consent_in_force on consent (user_id, purpose) where withdrawn_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consent').execute();
  await db.schema.alterTable('app_user').dropColumn('inactivity_warned_at').execute();
  await db.schema.alterTable('app_user').dropColumn('last_signed_in_at').execute();
  await db.schema.alterTable('outbox').dropColumn('about_user_id').execute();
  await db.schema.alterTable('audit_event').dropColumn('actor_pseudonym').execute();
  await sql`delete from rsvp where anonymised_at is not null`.execute(db);
  await db.schema.alterTable('rsvp').dropConstraint('rsvp_person_or_walk_in').execute();
  await db.schema.alterTable('rsvp').addCheckConstraint('rsvp_person_or_walk_in', sql`(user_id is null) <> (walk_in_name is null)`).execute();
  await db.schema.alterTable('rsvp').dropColumn('anonymised_at').execute();
}
