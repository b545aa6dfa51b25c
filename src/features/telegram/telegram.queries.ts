// Reads about linked Telegram chats: whose a chat is, which chat a person has.
import type { Kysely, Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ChatOwner {
  userId: number;
  displayName: string;
  locale: Locale;
}

/** The person a chat is linked to, or null. Telegram's chat ids go beyond 2^31: kept as text. */
export async function personOfChat(db: Db, chatId: string): Promise<ChatOwner | null> {
  const row = await db
    .selectFrom('telegram_chat')
    .innerJoin('app_user', 'app_user.id', 'telegram_chat.user_id')
    .select(['app_user.id', 'app_user.display_name', 'app_user.locale'])
    .where('telegram_chat.chat_id', '=', chatId)
    .executeTakeFirst();
  return row ? { userId: row.id, displayName: row.display_name, locale: row.locale } : null;
}

/** The chat the person linked, or null: asked at the moment of sending, so a chat unlinked
 * after a message was queued gets nothing. */
export async function chatOfPerson(db: Db, userId: number): Promise<string | null> {
  const row = await db.selectFrom('telegram_chat').select('chat_id').where('user_id', '=', userId).executeTakeFirst();
  return row?.chat_id ?? null;
}

/** When the person linked their chat, or null when none is linked. */
export async function linkedSince(db: Db, userId: number): Promise<Date | null> {
  const row = await db.selectFrom('telegram_chat').select('linked_at').where('user_id', '=', userId).executeTakeFirst();
  return row?.linked_at ?? null;
}
