// A mail's secrets (the link of a confirmation or a password reset) leave its payload for a
// column of their own, which is emptied the moment the mail is sent or set aside: until then
// the worker needs the link to deliver it (and to deliver it again after a crash between
// sending and marking it sent), afterwards only its hash in email_token may rest. Mails
// already sent or set aside lose their link now; waiting ones keep it, moved. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** The kinds whose payload carried a secret when this migration was written. */
const KINDS_WITH_LINK_TOKENS = ['confirm_email', 'reset_password'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('secrets', 'jsonb').execute();
  await sql`
    update outbox
       set secrets = jsonb_build_object('url', payload -> 'url'), payload = payload - 'url'
     where kind in (${sql.join(KINDS_WITH_LINK_TOKENS)}) and status in ('pending', 'sending') and payload -> 'url' is not null`.execute(db);
  await sql`
    update outbox
       set payload = payload - 'url'
     where kind in (${sql.join(KINDS_WITH_LINK_TOKENS)}) and status in ('sent', 'dead')`.execute(db);
  // The retention purge (deleteOldMessages) finds old sent and set-aside mails by this.
  await sql`create index outbox_settled_idx on outbox (created_at) where status in ('sent', 'dead')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_settled_idx`.execute(db);
  await sql`update outbox set payload = payload || secrets where secrets is not null`.execute(db);
  await db.schema.alterTable('outbox').dropColumn('secrets').execute();
}
