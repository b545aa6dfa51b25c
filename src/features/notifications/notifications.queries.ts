// Reading and writing a person's notification settings, their weekly programme's interests and
// whether they linked a Telegram chat. Functions take the database or a transaction first, so
// the caller decides the transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActivityCategory, Database, OutboxChannel } from '../../db/schema.ts';
import { TOPICS, type Topic } from './topics.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type ChannelChoice = Record<OutboxChannel, boolean>;

export interface ProgrammeInterests {
  /** None means every category. */
  categories: ActivityCategory[];
  noGermanNeeded: boolean;
  childcare: boolean;
}

/**
 * What routing one message needs to know about its recipient, in one round trip: their own
 * setting for the topic (null: the default) and, when asked, whether they linked a chat.
 */
export async function readRoutingFacts(db: Db, userId: number, topic: Topic, askTelegram: boolean): Promise<{ setting: ChannelChoice | null; telegramChat: boolean }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('notification_setting').select('email').where('user_id', '=', userId).where('topic', '=', topic).as('email'),
      eb.selectFrom('notification_setting').select('telegram').where('user_id', '=', userId).where('topic', '=', topic).as('telegram'),
      askTelegram ? eb.exists(eb.selectFrom('telegram_chat').select('user_id').where('user_id', '=', userId)).as('telegram_chat') : sql<boolean>`false`.as('telegram_chat'),
    ])
    .executeTakeFirstOrThrow();
  const setting = row.email === null || row.telegram === null ? null : { email: row.email, telegram: row.telegram };
  return { setting, telegramChat: Boolean(row.telegram_chat) };
}

/** The person's own settings, topic by topic (topics without a row are missing). */
export async function readSettings(db: Db, userId: number): Promise<Map<Topic, ChannelChoice>> {
  const rows = await db.selectFrom('notification_setting').select(['topic', 'email', 'telegram']).where('user_id', '=', userId).execute();
  const known = new Set<string>(TOPICS);
  return new Map(rows.filter((r) => known.has(r.topic)).map((r) => [r.topic as Topic, { email: r.email, telegram: r.telegram }]));
}

export async function writeSettings(db: Db, userId: number, settings: ReadonlyMap<Topic, ChannelChoice>, now: Date): Promise<void> {
  if (settings.size === 0) return;
  await db
    .insertInto('notification_setting')
    .values([...settings].map(([topic, c]) => ({ user_id: userId, topic, email: c.email, telegram: c.telegram, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(['user_id', 'topic']).doUpdateSet((eb) => ({ email: eb.ref('excluded.email'), telegram: eb.ref('excluded.telegram'), updated_at: eb.ref('excluded.updated_at') })),
    )
    .execute();
}

export async function hasTelegramChat(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('telegram_chat').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function readInterests(db: Db, userId: number): Promise<ProgrammeInterests | null> {
  const row = await db.selectFrom('programme_subscription').select(['categories', 'no_german_needed', 'childcare']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { categories: row.categories as ActivityCategory[], noGermanNeeded: row.no_german_needed, childcare: row.childcare } : null;
}

/** Keeps the week last sent: changing one's interests does not send this week's again. */
export async function writeInterests(db: Db, userId: number, interests: ProgrammeInterests, now: Date): Promise<void> {
  await db
    .insertInto('programme_subscription')
    .values({ user_id: userId, categories: interests.categories, no_german_needed: interests.noGermanNeeded, childcare: interests.childcare, updated_at: now })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        categories: eb.ref('excluded.categories'),
        no_german_needed: eb.ref('excluded.no_german_needed'),
        childcare: eb.ref('excluded.childcare'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
