// The secret address of a person's own calendar. The token is 160 random bits; only its
// SHA-256 is stored, so the address can be shown once (when it is made) and never again, and
// making a new one replaces the row, which is what makes the old address answer 404.
import type { Kysely, Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { recordAudit } from '../audit/audit.ts';
import { hitRateLimit, RATE_RULES } from '../rate-limit/rate-limit.ts';

/** randomToken(20): 32 characters of lower-case base32. */
export function hasCalendarTokenShape(token: string): boolean {
  return /^[a-z2-7]{32}$/.test(token);
}
/** Writing "last fetched" on every poll of every calendar app would be a write per request. */
const LAST_USED_PRECISION_MS = 60 * 60_000;

export interface CalendarAddressInfo {
  createdAt: Date;
  /** When a calendar app last fetched it (to the hour), or null if none has yet. */
  lastUsedAt: Date | null;
}

/** Makes a new secret address for the person, replacing any old one. Returns the token. */
export async function createCalendarToken(db: Kysely<Database>, userId: number, ip: string | null, now = new Date()): Promise<string> {
  const token = randomToken(20);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('calendar_token')
      .values({ user_id: userId, token_hash: hashToken(token), created_at: now, last_used_at: null })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: hashToken(token), created_at: now, last_used_at: null }))
      .execute();
    await recordAudit(trx, { actorUserId: userId, action: 'calendar.address_created', objectType: 'user', objectId: userId, ip });
  });
  return token;
}

/** Kills the person's address (it answers 404 from now on); also called inside the
 * transaction of a password reset or "sign out everywhere". */
export async function revokeCalendarToken(db: Kysely<Database> | Transaction<Database>, userId: number, ip: string | null): Promise<void> {
  const gone = await db.deleteFrom('calendar_token').where('user_id', '=', userId).executeTakeFirst();
  if (gone.numDeletedRows > 0n) await recordAudit(db, { actorUserId: userId, action: 'calendar.address_revoked', objectType: 'user', objectId: userId, ip });
}

export async function calendarAddressInfo(db: Kysely<Database>, userId: number): Promise<CalendarAddressInfo | null> {
  const row = await db.selectFrom('calendar_token').select(['created_at', 'last_used_at']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
}

export type CalendarTokenLookup =
  | { kind: 'found'; userId: number; locale: Locale; createdAt: Date }
  | { kind: 'unknown' }
  | { kind: 'rate-limited'; retryAfterMs: number };

/**
 * Whose calendar a token opens. Misses are counted per address: after too many, the answer
 * is "slow down" — while a real owner's calendar app, which never misses, is never slowed.
 */
export async function lookUpCalendarToken(db: Kysely<Database>, token: string, ip: string, now = new Date()): Promise<CalendarTokenLookup> {
  const row = hasCalendarTokenShape(token)
    ? await db
        .selectFrom('calendar_token')
        .innerJoin('app_user', 'app_user.id', 'calendar_token.user_id')
        .select(['app_user.id', 'app_user.locale', 'calendar_token.created_at', 'calendar_token.last_used_at'])
        .where('calendar_token.token_hash', '=', hashToken(token))
        .executeTakeFirst()
    : undefined;
  if (!row) {
    const verdict = await hitRateLimit(db, RATE_RULES.feedTokenMissesPerAddress, ip, now);
    return verdict.allowed ? { kind: 'unknown' } : { kind: 'rate-limited', retryAfterMs: verdict.retryAfterMs };
  }
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_PRECISION_MS) {
    await db.updateTable('calendar_token').set({ last_used_at: now }).where('user_id', '=', row.id).execute();
  }
  return { kind: 'found', userId: row.id, locale: row.locale, createdAt: row.created_at };
}
