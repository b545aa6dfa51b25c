// Sign-in names, for people without an e-mail address: a coordinator registers a newcomer,
// who claims the account with a code and from then on signs in with this name and a password.
// Such accounts are marked, so that coordinators find them again (and may give them a new
// code when they forget their password).
// E-mail tokens learn a third purpose (confirming a new address before it replaces the old
// one, which the token row carries) and remember when they were used, so that a confirmation
// link opened twice says "already confirmed" instead of "invalid". Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Stored as typed people would compare it: NFKC, lower case (the app normalises).
  await db.schema.alterTable('app_user').addColumn('sign_in_name', 'text').execute();
  await db.schema.createIndex('app_user_sign_in_name_key').on('app_user').column('sign_in_name').unique().execute();
  await db.schema.alterTable('app_user').addColumn('registered_by_coordination', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  // Those registered so far: a claim code was made for them, or a coordinator entered their request.
  await sql`
    update app_user set registered_by_coordination = true
    where id in (select user_id from claim_code)
       or id in (select newcomer_user_id from mentoring_request where created_by is distinct from newcomer_user_id)
  `.execute(db);

  await sql`alter table email_token drop constraint email_token_purpose_check`.execute(db);
  await sql`alter table email_token add constraint email_token_purpose_check check (purpose in ('confirm_email', 'reset_password', 'change_email'))`.execute(db);
  await db.schema.alterTable('email_token').addColumn('new_email', 'text').execute();
  await db.schema.alterTable('email_token').addColumn('used_at', 'timestamptz').execute();
  await sql`alter table email_token add constraint email_token_new_email check ((purpose = 'change_email') = (new_email is not null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from email_token where purpose = 'change_email'`.execute(db);
  await sql`alter table email_token drop constraint email_token_new_email`.execute(db);
  await db.schema.alterTable('email_token').dropColumn('used_at').execute();
  await db.schema.alterTable('email_token').dropColumn('new_email').execute();
  await sql`alter table email_token drop constraint email_token_purpose_check`.execute(db);
  await sql`alter table email_token add constraint email_token_purpose_check check (purpose in ('confirm_email', 'reset_password'))`.execute(db);
  await db.schema.alterTable('app_user').dropColumn('registered_by_coordination').execute();
  await db.schema.dropIndex('app_user_sign_in_name_key').execute();
  await db.schema.alterTable('app_user').dropColumn('sign_in_name').execute();
}
