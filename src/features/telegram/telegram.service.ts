// Linking a Telegram chat to an account, and unlinking it from either side.
//
// The person asks the portal for a one-time code (160 random bits, only its SHA-256 kept, valid
// 15 minutes, one per person: a new one replaces the old) and opens the deep link
// https://t.me/<bot>?start=<code> in Telegram; pressing "Start" sends "/start <code>" to the
// bot, which links the chat that sent it and uses the code up. Whoever holds the code gets the
// person's messages, so it is shown only to them, on their own page, and works once.
//
// One chat, one account; one account, one chat. A chat that another account had linked moves to
// the account whose code it sent (a family sharing one phone can link it to one account at a
// time; the chat is told it moved), and the person's previous chat, if any, is let go.
//
// A chat is unlinked by the person on the portal, by /stop in the chat, and when Telegram
// refuses it (the person blocked the bot: Telegram then says 403 to every message). Every link
// and unlink is in the security log, without the chat's number.
import type { Kysely, Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { recordAudit } from '../audit/audit.ts';
import { isLinkCode } from './telegram.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const LINK_CODE_LIFETIME_MS = 15 * 60_000;

export interface LinkCode {
  code: string;
  expiresAt: Date;
}

/** Makes the person's one code (replacing any earlier one, which stops working at once). */
export async function createLinkCode(db: Kysely<Database>, userId: number, now = new Date()): Promise<LinkCode> {
  const code = randomToken(20);
  const expiresAt = new Date(now.getTime() + LINK_CODE_LIFETIME_MS);
  await db.transaction().execute(async (trx) => {
    // Two presses at once must not leave two codes: the person's row orders them.
    await trx.selectFrom('app_user').select('id').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    await trx.deleteFrom('telegram_link_code').where('user_id', '=', userId).execute();
    await trx.insertInto('telegram_link_code').values({ code_hash: hashToken(code), user_id: userId, expires_at: expiresAt, created_at: now }).execute();
  });
  return { code, expiresAt };
}

/** When the person's code expires, if it is theirs, unused, not replaced and not expired. */
export async function pendingLinkCode(db: Db, userId: number, code: string, now = new Date()): Promise<Date | null> {
  if (!isLinkCode(code)) return null;
  const row = await db
    .selectFrom('telegram_link_code')
    .select('expires_at')
    .where('code_hash', '=', hashToken(code))
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.expires_at ?? null;
}

export type LinkOutcome =
  | {
      outcome: 'linked';
      userId: number;
      displayName: string;
      locale: Locale;
      /** The chat belonged to another account until now. */
      movedFromAnotherAccount: boolean;
    }
  /** Already linked to this very account (the code was used by this chat before). */
  | { outcome: 'already_linked'; userId: number; displayName: string; locale: Locale }
  | { outcome: 'expired'; locale: Locale }
  /** No such code: mistyped, used, replaced by a newer one, or deleted by retention. */
  | { outcome: 'unknown' };

/**
 * Links the chat that sent "/start <code>" to the code's owner, using the code up: a second
 * "/start" with the same code finds nothing, even at the same moment (the code's row is
 * deleted, and only one delete finds it).
 */
export async function linkChatWithCode(db: Kysely<Database>, code: string, chatId: string, now = new Date()): Promise<LinkOutcome> {
  if (!isLinkCode(code)) return { outcome: 'unknown' };
  return db.transaction().execute(async (trx): Promise<LinkOutcome> => {
    const used = await trx.deleteFrom('telegram_link_code').where('code_hash', '=', hashToken(code)).returning(['user_id', 'expires_at']).executeTakeFirst();
    if (!used) {
      const owner = await trx
        .selectFrom('telegram_chat')
        .innerJoin('app_user', 'app_user.id', 'telegram_chat.user_id')
        .select(['app_user.id', 'app_user.display_name', 'app_user.locale'])
        .where('telegram_chat.chat_id', '=', chatId)
        .executeTakeFirst();
      return owner ? { outcome: 'already_linked', userId: owner.id, displayName: owner.display_name, locale: owner.locale } : { outcome: 'unknown' };
    }
    const person = await trx.selectFrom('app_user').select(['id', 'display_name', 'locale']).where('id', '=', used.user_id).forUpdate().executeTakeFirstOrThrow();
    if (used.expires_at.getTime() <= now.getTime()) return { outcome: 'expired', locale: person.locale };

    const others = await trx.deleteFrom('telegram_chat').where('chat_id', '=', chatId).where('user_id', '<>', person.id).returning('user_id').execute();
    for (const other of others) {
      await recordAudit(trx, { actorUserId: person.id, action: 'telegram.unlinked', objectType: 'user', objectId: other.user_id, details: { by: 'another_account_linked_the_chat' } });
    }
    const before = await trx.selectFrom('telegram_chat').select('chat_id').where('user_id', '=', person.id).executeTakeFirst();
    if (before?.chat_id === chatId) {
      return { outcome: 'already_linked', userId: person.id, displayName: person.display_name, locale: person.locale };
    }
    await trx
      .insertInto('telegram_chat')
      .values({ user_id: person.id, chat_id: chatId, linked_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ chat_id: chatId, linked_at: now }))
      .execute();
    await recordAudit(trx, {
      actorUserId: person.id,
      action: 'telegram.linked',
      objectType: 'user',
      objectId: person.id,
      details: { replaced_own_chat: before !== undefined, moved_from_another_account: others.length > 0 },
    });
    return { outcome: 'linked', userId: person.id, displayName: person.display_name, locale: person.locale, movedFromAnotherAccount: others.length > 0 };
  });
}

/** The person unlinks their chat on the portal. Answers whether one was linked. */
export async function unlinkPerson(db: Kysely<Database>, userId: number, ip: string | null): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('telegram_chat').where('user_id', '=', userId).executeTakeFirst();
    if (gone.numDeletedRows === 0n) return false;
    await recordAudit(trx, { actorUserId: userId, action: 'telegram.unlinked', objectType: 'user', objectId: userId, ip, details: { by: 'person' } });
    return true;
  });
}

/** Why a chat is unlinked from the chat's side. */
export type ChatUnlinkReason = 'stop_command' | 'blocked_bot' | 'refused_by_telegram';

/**
 * Unlinks a chat from its side: /stop, the person blocking the bot, or Telegram refusing to
 * deliver to it. Answers the person it was linked to, or null when it was not linked (any more).
 */
export async function unlinkChat(db: Kysely<Database>, chatId: string, reason: ChatUnlinkReason): Promise<{ userId: number; locale: Locale } | null> {
  return db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('telegram_chat').where('chat_id', '=', chatId).returning('user_id').executeTakeFirst();
    if (!gone) return null;
    // The person acts when they send /stop; blocking the bot or a refusal is Telegram's word.
    await recordAudit(trx, {
      actorUserId: reason === 'stop_command' ? gone.user_id : null,
      action: 'telegram.unlinked',
      objectType: 'user',
      objectId: gone.user_id,
      details: { by: reason },
    });
    const person = await trx.selectFrom('app_user').select('locale').where('id', '=', gone.user_id).executeTakeFirstOrThrow();
    return { userId: gone.user_id, locale: person.locale };
  });
}
