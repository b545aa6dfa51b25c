// Sessions as lucia-auth.com teaches: the cookie holds "<id>.<secret>", the database holds the
// id and only a SHA-256 hash of the secret, compared in constant time. A session ends after
// 10 days without use or 30 days after sign-in, whichever comes first.
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database, User } from '../../db/schema.ts';
import { randomToken, sha256Bytes } from '../../lib/tokens.ts';
import { membershipsQuery, type Membership } from '../access/access.ts';

export const SESSION_IDLE_MS = 10 * 24 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 30 * 24 * 60 * 60 * 1000;
/** Writing last_verified_at on every request would turn each page view into a write. */
const TOUCH_AFTER_MS = 60 * 60 * 1000;

export interface Session {
  id: string;
  userId: number;
  createdAt: Date;
  lastVerifiedAt: Date;
  /** When the cookie should expire: the earlier of the idle and the absolute limit. */
  expiresAt: Date;
}

export type SessionUser = Pick<User, 'id' | 'email' | 'display_name' | 'locale' | 'is_admin' | 'email_verified_at'>;

function expiresAt(createdAt: Date, lastVerifiedAt: Date): Date {
  return new Date(Math.min(lastVerifiedAt.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_MAX_MS));
}

export async function createSession(db: Kysely<Database>, userId: number, now = new Date()): Promise<{ token: string; session: Session }> {
  const id = randomToken(10);
  const secret = randomToken(32);
  await db
    .insertInto('session')
    .values({ id, user_id: userId, secret_hash: sha256Bytes(secret), created_at: now, last_verified_at: now })
    .execute();
  // A sign-in keeps the account from being deleted as unused (src/features/privacy/retention.ts).
  await db.updateTable('app_user').set({ last_signed_in_at: now, inactivity_warned_at: null }).where('id', '=', userId).execute();
  return {
    token: `${id}.${secret}`,
    session: { id, userId, createdAt: now, lastVerifiedAt: now, expiresAt: expiresAt(now, now) },
  };
}

export async function validateSessionToken(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<{ session: Session; user: SessionUser; memberships: Membership[] } | null> {
  const [id, secret, extra] = token.split('.');
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 128) return null;
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id',
      'session.user_id',
      'session.secret_hash',
      'session.created_at',
      'session.last_verified_at',
      'app_user.email',
      'app_user.display_name',
      'app_user.locale',
      'app_user.is_admin',
      'app_user.email_verified_at',
      // Read with the session, for what pages show (the organise and coordinate links): one
      // round trip fewer on every signed-in page.
      jsonArrayFrom(membershipsQuery(db, sql.ref<number>('session.user_id'))).as('memberships'),
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  if (!constantTimeEqual(sha256Bytes(secret), new Uint8Array(row.secret_hash))) return null;
  if (expiresAt(row.created_at, row.last_verified_at).getTime() <= now.getTime()) {
    await db.deleteFrom('session').where('id', '=', id).execute();
    return null;
  }
  let lastVerifiedAt = row.last_verified_at;
  if (now.getTime() - lastVerifiedAt.getTime() >= TOUCH_AFTER_MS) {
    lastVerifiedAt = now;
    await db.updateTable('session').set({ last_verified_at: now }).where('id', '=', id).execute();
  }
  return {
    session: {
      id: row.id,
      userId: row.user_id,
      createdAt: row.created_at,
      lastVerifiedAt,
      expiresAt: expiresAt(row.created_at, lastVerifiedAt),
    },
    user: {
      id: row.user_id,
      email: row.email,
      display_name: row.display_name,
      locale: row.locale,
      is_admin: row.is_admin,
      email_verified_at: row.email_verified_at,
    },
    memberships: row.memberships,
  };
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

/** Ends every session of a person, or every one but `keepSessionId`. */
export async function invalidateUserSessions(db: Kysely<Database>, userId: number, keepSessionId?: string): Promise<number> {
  let query = db.deleteFrom('session').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
