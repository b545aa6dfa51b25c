// Reaching people (issue "reach newcomers where they are"): one-tap answers, notification
// settings per kind and channel, Telegram, and the weekly programme. Frozen once landed.
// - A one-tap link answers one RSVP or one volunteer shift without signing in: a random token,
//   only its SHA-256 hash kept, valid until the activity starts.
// - An RSVP and a shift signup remember when their person confirmed ("I'm coming"), for the
//   door page.
// - A person's notification settings: per topic (src/features/notifications/topics.ts), on which
//   channels. No row means the topic's default.
// - The weekly programme's interests (which categories, "no German needed", childcare) and the
//   last week sent, so that a week is sent once.
// - Telegram: the chat a person linked, and the one-time codes of the deep link that links it.
// - An outbox row goes out on one channel; a Telegram message has no e-mail address.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answer_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('rsvp_id', 'integer', (c) => c.references('rsvp.id').onDelete('cascade'))
    .addColumn('volunteer_signup_id', 'integer', (c) => c.references('volunteer_signup.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('answer_token_one_target', sql`(rsvp_id is null) <> (volunteer_signup_id is null)`)
    .execute();
  await db.schema.createIndex('answer_token_rsvp').on('answer_token').column('rsvp_id').execute();
  await db.schema.createIndex('answer_token_signup').on('answer_token').column('volunteer_signup_id').execute();
  await db.schema.createIndex('answer_token_expiry').on('answer_token').column('expires_at').execute();

  await db.schema.alterTable('rsvp').addColumn('confirmed_at', 'timestamptz').execute();
  await db.schema.alterTable('volunteer_signup').addColumn('confirmed_at', 'timestamptz').execute();

  await db.schema
    .createTable('notification_setting')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('email', 'boolean', (c) => c.notNull())
    .addColumn('telegram', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('notification_setting_pk', ['user_id', 'topic'])
    .execute();

  await db.schema
    .createTable('programme_subscription')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('no_german_needed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('childcare', 'boolean', (c) => c.notNull().defaultTo(false))
    // The Monday (town's calendar) of the last week sent.
    .addColumn('last_sent_week', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('telegram_chat')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    .addColumn('chat_id', 'text', (c) => c.notNull().unique())
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('telegram_link_code')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.alterTable('outbox').addColumn('channel', 'text', (c) => c.notNull().defaultTo('email').check(sql`channel in ('email', 'telegram')`)).execute();
  await db.schema.alterTable('outbox').alterColumn('recipient_email', (c) => c.dropNotNull()).execute();
  await db.schema.alterTable('outbox').addCheckConstraint('outbox_email_has_address', sql`channel <> 'email' or recipient_email is not null`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from outbox where channel <> 'email'`.execute(db);
  await db.schema.alterTable('outbox').dropConstraint('outbox_email_has_address').execute();
  await db.schema.alterTable('outbox').alterColumn('recipient_email', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('outbox').dropColumn('channel').execute();
  await db.schema.dropTable('telegram_link_code').execute();
  await db.schema.dropTable('telegram_chat').execute();
  await db.schema.dropTable('programme_subscription').execute();
  await db.schema.dropTable('notification_setting').execute();
  await db.schema.alterTable('volunteer_signup').dropColumn('confirmed_at').execute();
  await db.schema.alterTable('rsvp').dropColumn('confirmed_at').execute();
  await db.schema.dropTable('answer_token').execute();
}
