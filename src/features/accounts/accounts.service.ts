// Accounts: sign-up with e-mail confirmation, sign-in, password change and reset, profile.
// Every write that causes a mail enqueues it in the same transaction. Passwords are hashed
// before a transaction opens: on the embedded database a transaction holds the only connection.
import type { Kysely, Transaction } from 'kysely';
import type { Database, EmailTokenPurpose, Locale } from '../../db/schema.ts';
import { localePath } from '../../i18n/locales.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { recordAudit } from '../audit/audit.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { clearRateLimit, hitRateLimits, RATE_RULES, RateLimitedError } from '../rate-limit/rate-limit.ts';
import { checkNewPassword, hashPassword, verifyDecoy, verifyPassword, type PasswordProblem } from './password.ts';
import { createSession, invalidateSession, invalidateUserSessions } from './sessions.ts';

export const EMAIL_TOKEN_TTL_MS = 60 * 60 * 1000;

/** Where the request came from and where links in mails should point. */
export interface RequestOrigin {
  ip: string;
  /** e.g. https://ankommen.altena.de — no trailing slash. */
  baseUrl: string;
}

export type FieldProblems<F extends string> = { ok: false; fields: Partial<Record<F, string>> };

/** Addresses are stored and compared in lower case (the form schema does this too). */
function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function issueEmailToken(trx: Transaction<Database> | Kysely<Database>, userId: number, purpose: EmailTokenPurpose, now: Date): Promise<string> {
  // One live link per purpose: a new mail makes the older link useless.
  await trx.deleteFrom('email_token').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  const token = randomToken(20);
  await trx
    .insertInto('email_token')
    .values({ token_hash: hashToken(token), user_id: userId, purpose, expires_at: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS) })
    .execute();
  return token;
}

/** Uses up a link token: it works once, within the hour, for the purpose it was made for. */
async function consumeEmailToken(trx: Transaction<Database>, token: string, purpose: EmailTokenPurpose, now: Date): Promise<number | null> {
  const row = await trx
    .deleteFrom('email_token')
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .returning(['user_id', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= now.getTime()) return null;
  return row.user_id;
}

function linkTo(origin: RequestOrigin, locale: Locale, path: string, token: string): string {
  return `${origin.baseUrl}${localePath(locale, path)}?token=${encodeURIComponent(token)}`;
}

/** Mails a confirmation link (nothing for a person without an address). Also used when a
 * person redeems a claim code and gives an address. */
export async function enqueueConfirmation(trx: Transaction<Database>, user: { id: number; email: string | null; display_name: string; locale: Locale }, origin: RequestOrigin, now: Date) {
  if (user.email === null) return;
  const token = await issueEmailToken(trx, user.id, 'confirm_email', now);
  await enqueueMessage(trx, {
    kind: 'confirm_email',
    recipientUserId: user.id,
    recipientEmail: user.email,
    locale: user.locale,
    payload: { name: user.display_name, url: linkTo(origin, user.locale, '/confirm-email', token) },
  });
}

function refuseIfLimited(verdict: { allowed: boolean; retryAfterMs: number }): void {
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterMs);
}

export async function signUp(
  db: Kysely<Database>,
  input: { email: string; password: string; displayName: string; locale: Locale },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; userId: number } | FieldProblems<'email' | 'password'>> {
  refuseIfLimited(await hitRateLimits(db, [[RATE_RULES.signUpPerAddress, origin.ip]], now));
  const email = normaliseEmail(input.email);
  const problem = checkNewPassword(input.password);
  if (problem) return { ok: false, fields: { password: problem } };
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('app_user')
      .values({ email, password_hash: passwordHash, display_name: input.displayName, locale: input.locale })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning(['id', 'email', 'display_name', 'locale'])
      .executeTakeFirst();
    if (!user) return { ok: false, fields: { email: 'error.email.taken' } } as const;
    await enqueueConfirmation(trx, user, origin, now);
    await recordAudit(trx, { actorUserId: user.id, action: 'account.signed_up', objectType: 'user', objectId: user.id, ip: origin.ip });
    return { ok: true, userId: user.id } as const;
  });
}

export async function confirmEmail(db: Kysely<Database>, token: string, now = new Date()): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const userId = await consumeEmailToken(trx, token, 'confirm_email', now);
    if (userId === null) return null;
    await trx.updateTable('app_user').set({ email_verified_at: now, updated_at: now }).where('id', '=', userId).execute();
    await recordAudit(trx, { actorUserId: userId, action: 'account.email_confirmed', objectType: 'user', objectId: userId });
    return userId;
  });
}

export async function resendConfirmation(db: Kysely<Database>, userId: number, origin: RequestOrigin, now = new Date()): Promise<void> {
  refuseIfLimited(await hitRateLimits(db, [[RATE_RULES.mailPerAccount, String(userId)]], now));
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('app_user')
      .select(['id', 'email', 'display_name', 'locale', 'email_verified_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || user.email_verified_at) return;
    await enqueueConfirmation(trx, user, origin, now);
  });
}

export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; userId: number; token: string; expiresAt: Date } | { ok: false }> {
  const email = normaliseEmail(input.email);
  const accountKey = `${email}|${origin.ip}`;
  const verdict = await hitRateLimits(
    db,
    [
      [RATE_RULES.signInPerAccountAndAddress, accountKey],
      [RATE_RULES.signInPerAddress, origin.ip],
    ],
    now,
  );
  if (!verdict.allowed) {
    await recordAudit(db, { actorUserId: null, action: 'account.sign_in_rate_limited', ip: origin.ip });
    throw new RateLimitedError(verdict.retryAfterMs);
  }
  // "=" never matches a NULL address, and a person without a password never signs in.
  const user = await db.selectFrom('app_user').select(['id', 'password_hash']).where('email', '=', email).where('password_hash', 'is not', null).executeTakeFirst();
  const valid = user ? await verifyPassword(user.password_hash, input.password) : await verifyDecoy(input.password);
  if (!user || !valid) {
    await recordAudit(db, { actorUserId: user?.id ?? null, action: 'account.sign_in_failed', ip: origin.ip });
    return { ok: false };
  }
  await clearRateLimit(db, RATE_RULES.signInPerAccountAndAddress, accountKey);
  const { token, session } = await createSession(db, user.id, now);
  await recordAudit(db, { actorUserId: user.id, action: 'account.signed_in', objectType: 'session', ip: origin.ip });
  return { ok: true, userId: user.id, token, expiresAt: session.expiresAt };
}

/**
 * Changes the password after checking the current one. Every session of the person ends; the
 * device that made the change gets a fresh one so that it stays signed in.
 */
export async function changePassword(
  db: Kysely<Database>,
  userId: number,
  input: { currentPassword: string; newPassword: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; token: string; expiresAt: Date } | FieldProblems<'currentPassword' | 'newPassword'>> {
  const user = await db.selectFrom('app_user').select(['id', 'password_hash']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    return { ok: false, fields: { currentPassword: 'error.password.wrong' } };
  }
  const problem: PasswordProblem | null = checkNewPassword(input.newPassword);
  if (problem) return { ok: false, fields: { newPassword: problem } };
  const passwordHash = await hashPassword(input.newPassword);
  const session = await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', userId).execute();
    await invalidateUserSessions(trx, userId);
    await trx.deleteFrom('email_token').where('user_id', '=', userId).where('purpose', '=', 'reset_password').execute();
    await recordAudit(trx, { actorUserId: userId, action: 'account.password_changed', objectType: 'user', objectId: userId, ip: origin.ip });
    return createSession(trx, userId, now);
  });
  return { ok: true, token: session.token, expiresAt: session.session.expiresAt };
}

/** Always answers the same way, whether or not the address has an account. */
export async function requestPasswordReset(db: Kysely<Database>, email: string, origin: RequestOrigin, now = new Date()): Promise<void> {
  refuseIfLimited(await hitRateLimits(db, [[RATE_RULES.resetPerAddress, origin.ip]], now));
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'locale'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  if (!user) return;
  // Over the per-account limit we quietly send nothing: telling would reveal the account.
  const perAccount = await hitRateLimits(db, [[RATE_RULES.mailPerAccount, String(user.id)]], now);
  if (!perAccount.allowed) return;
  await db.transaction().execute(async (trx) => {
    const token = await issueEmailToken(trx, user.id, 'reset_password', now);
    await enqueueMessage(trx, {
      kind: 'reset_password',
      recipientUserId: user.id,
      recipientEmail: user.email,
      locale: user.locale,
      payload: { name: user.display_name, url: linkTo(origin, user.locale, '/reset-password', token) },
    });
    await recordAudit(trx, { actorUserId: user.id, action: 'account.password_reset_requested', objectType: 'user', objectId: user.id, ip: origin.ip });
  });
}

export async function resetPassword(
  db: Kysely<Database>,
  input: { token: string; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; userId: number } | FieldProblems<'password' | 'token'>> {
  const problem = checkNewPassword(input.password);
  if (problem) return { ok: false, fields: { password: problem } };
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const userId = await consumeEmailToken(trx, input.token, 'reset_password', now);
    if (userId === null) return { ok: false, fields: { token: 'error.token.invalid' } } as const;
    // The link proved the person reads this mailbox, so the address counts as confirmed too.
    await trx
      .updateTable('app_user')
      .set((eb) => ({ password_hash: passwordHash, updated_at: now, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)) }))
      .where('id', '=', userId)
      .execute();
    await invalidateUserSessions(trx, userId);
    await recordAudit(trx, { actorUserId: userId, action: 'account.password_reset', objectType: 'user', objectId: userId, ip: origin.ip });
    return { ok: true, userId } as const;
  });
}

export async function updateProfile(db: Kysely<Database>, userId: number, input: { displayName: string; locale: Locale }, now = new Date()): Promise<void> {
  await db.updateTable('app_user').set({ display_name: input.displayName, locale: input.locale, updated_at: now }).where('id', '=', userId).execute();
  await recordAudit(db, { actorUserId: userId, action: 'account.profile_updated', objectType: 'user', objectId: userId });
}

export async function signOut(db: Kysely<Database>, session: { id: string; userId: number }, ip: string): Promise<void> {
  await invalidateSession(db, session.id);
  await recordAudit(db, { actorUserId: session.userId, action: 'account.signed_out', objectType: 'session', ip });
}

export async function signOutEverywhere(db: Kysely<Database>, userId: number, ip: string): Promise<void> {
  await invalidateUserSessions(db, userId);
  await recordAudit(db, { actorUserId: userId, action: 'account.signed_out_everywhere', objectType: 'user', objectId: userId, ip });
}
