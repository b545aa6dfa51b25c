// Accounts: sign-up with e-mail confirmation, sign-in with an e-mail address or a sign-in
// name, password change and reset, changing or adding an e-mail address, profile. Every write
// that causes a mail enqueues it in the same transaction. Passwords are hashed before a
// transaction opens: on the embedded database a transaction holds the only connection.
import { sql, type Kysely, type Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Database, EmailTokenPurpose, Locale } from '../../db/schema.ts';
import type { TextKey } from '../../i18n/index.ts';
import { localePath } from '../../i18n/locales.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { recordAudit } from '../audit/audit.ts';
import { revokeCalendarToken } from '../feeds/personal-feed.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { clearRateLimit, hitRateLimits, RATE_RULES, RateLimitedError } from '../rate-limit/rate-limit.ts';
import { checkNewPassword, contextWords, hashPassword, verifyDecoy, verifyPassword } from './password.ts';
import { createSession, invalidateSession, invalidateUserSessions } from './sessions.ts';
import { looksLikeSignInName, normaliseSignInName, signInNameProblem, type SignInNameRefusal } from './sign-in-name.ts';

export const EMAIL_TOKEN_TTL_MS = 60 * 60 * 1000;
/** Used links are kept (as hashes) this long after they expire, so that opening a
 * confirmation link again days later says "already confirmed" rather than "invalid". */
export const USED_TOKEN_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

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

type Db = Transaction<Database> | Kysely<Database>;

async function issueEmailToken(trx: Db, userId: number, purpose: EmailTokenPurpose, now: Date, newEmail: string | null = null): Promise<string> {
  // One live link per purpose: a new mail makes the older link useless.
  await trx.deleteFrom('email_token').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  const token = randomToken(20);
  await trx
    .insertInto('email_token')
    .values({ token_hash: hashToken(token), user_id: userId, purpose, new_email: newEmail, expires_at: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS) })
    .execute();
  return token;
}

/** What a link token is: still usable, used already, expired, or nothing we know. */
export type LinkState = 'live' | 'used' | 'expired' | 'unknown';

export async function emailTokenState(db: Db, token: string, purposes: EmailTokenPurpose[], now = new Date()): Promise<LinkState> {
  if (!token) return 'unknown';
  const row = await db.selectFrom('email_token').select(['used_at', 'expires_at']).where('token_hash', '=', hashToken(token)).where('purpose', 'in', purposes).executeTakeFirst();
  if (!row) return 'unknown';
  if (row.used_at) return 'used';
  return row.expires_at.getTime() <= now.getTime() ? 'expired' : 'live';
}

/** Uses up a link token: it works once, within the hour, for the purposes it was made for. */
async function consumeEmailToken(
  trx: Transaction<Database>,
  token: string,
  purposes: EmailTokenPurpose[],
  now: Date,
): Promise<{ userId: number; purpose: EmailTokenPurpose; newEmail: string | null } | LinkState> {
  const row = await trx
    .updateTable('email_token')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'purpose', 'new_email'])
    .executeTakeFirst();
  if (row) return { userId: row.user_id, purpose: row.purpose, newEmail: row.new_email };
  return emailTokenState(trx, token, purposes, now);
}

function linkTo(origin: RequestOrigin, locale: Locale, path: string, token: string): string {
  return `${origin.baseUrl}${localePath(locale, path)}?token=${encodeURIComponent(token)}`;
}

/** Mails a confirmation link (nothing for a person without an address). */
async function enqueueConfirmation(trx: Db, user: { id: number; email: string | null; display_name: string; locale: Locale }, origin: RequestOrigin, now: Date) {
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

/**
 * Tells the owner of an address that someone tried to use it for another account (a sign-up,
 * or a change of address), with the way back in — instead of telling the person at the form,
 * which would reveal whose address has an account here. Over the per-account mail limit it
 * quietly sends nothing.
 */
async function tellAddressInUse(db: Kysely<Database>, owner: { id: number; email: string | null; display_name: string; locale: Locale }, origin: RequestOrigin, now: Date): Promise<void> {
  const verdict = await hitRateLimits(db, [[RATE_RULES.mailPerAccount, String(owner.id)]], now);
  if (!verdict.allowed) return;
  await db.transaction().execute(async (trx) => {
    await enqueueMessage(trx, {
      kind: 'address_in_use',
      recipientUserId: owner.id,
      recipientEmail: owner.email,
      locale: owner.locale,
      payload: { name: owner.display_name, url: `${origin.baseUrl}${localePath(owner.locale, '/sign-in')}` },
    });
    await recordAudit(trx, { actorUserId: null, action: 'account.address_in_use', objectType: 'user', objectId: owner.id, ip: origin.ip });
  });
}

/**
 * Creates an account and mails a confirmation link. For an address that already has an
 * account the answer is the same ("check your e-mail"); the owner gets a mail instead.
 * `userId` is null then, for the caller's tests only: the page must not show the difference.
 */
export async function signUp(
  db: Kysely<Database>,
  input: { email: string; password: string; displayName: string; locale: Locale },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; userId: number | null } | FieldProblems<'email' | 'password'>> {
  refuseIfLimited(await hitRateLimits(db, [[RATE_RULES.signUpPerAddress, origin.ip]], now));
  const email = normaliseEmail(input.email);
  const problem = await checkNewPassword(input.password, contextWords({ displayName: input.displayName, email }));
  if (problem) return { ok: false, fields: { password: problem } };
  // Hashed in both cases, so that a known address answers as slowly as a new one.
  const passwordHash = await hashPassword(input.password);
  const created = await db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('app_user')
      .values({ email, password_hash: passwordHash, display_name: input.displayName, locale: input.locale })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning(['id', 'email', 'display_name', 'locale'])
      .executeTakeFirst();
    if (!user) return null;
    await enqueueConfirmation(trx, user, origin, now);
    await recordAudit(trx, { actorUserId: user.id, action: 'account.signed_up', objectType: 'user', objectId: user.id, ip: origin.ip });
    return user.id;
  });
  if (created === null) {
    const owner = await db.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('email', '=', email).executeTakeFirst();
    if (owner) await tellAddressInUse(db, owner, origin, now);
  }
  return { ok: true, userId: created };
}

/**
 * What a confirmation link that cannot be used says, on its page and after its form alike.
 * "used" is good news (the address was confirmed before); "live" after a failed use means
 * that another use won the race, which for this person is an invalid link.
 */
export const LINK_STATE_MESSAGES = {
  used: 'confirm.already',
  expired: 'confirm.expired',
  unknown: 'error.token.invalid',
  live: 'error.token.invalid',
  taken: 'confirm.taken',
} as const satisfies Record<LinkState | 'taken', TextKey>;

export type ConfirmOutcome = { ok: true; userId: number; purpose: 'confirm_email' | 'change_email' } | { ok: false; state: LinkState | 'taken' };

/**
 * Uses a link from a confirmation mail: confirms the address the person signed up with, or
 * makes a new address (from "change e-mail address") the account's, telling the old one.
 */
export async function confirmEmail(db: Kysely<Database>, token: string, origin: RequestOrigin | null = null, now = new Date()): Promise<ConfirmOutcome> {
  try {
    return await db.transaction().execute(async (trx): Promise<ConfirmOutcome> => {
      const used = await consumeEmailToken(trx, token, ['confirm_email', 'change_email'], now);
      if (typeof used === 'string') return { ok: false, state: used };
      if (used.purpose === 'confirm_email') {
        await trx.updateTable('app_user').set({ email_verified_at: now, updated_at: now }).where('id', '=', used.userId).execute();
        await recordAudit(trx, { actorUserId: used.userId, action: 'account.email_confirmed', objectType: 'user', objectId: used.userId, ip: origin?.ip ?? null });
        return { ok: true, userId: used.userId, purpose: 'confirm_email' };
      }
      const before = await trx.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('id', '=', used.userId).executeTakeFirstOrThrow();
      await trx.updateTable('app_user').set({ email: used.newEmail, email_verified_at: now, updated_at: now }).where('id', '=', used.userId).execute();
      // Links mailed to the old address (a reset, a confirmation) must not work any more.
      await trx.deleteFrom('email_token').where('user_id', '=', used.userId).where('purpose', 'in', ['confirm_email', 'reset_password']).execute();
      if (before.email && before.email !== used.newEmail) {
        await enqueueMessage(trx, {
          kind: 'email_changed',
          recipientUserId: null,
          recipientEmail: before.email,
          locale: before.locale,
          payload: { name: before.display_name, newEmail: used.newEmail },
        });
      }
      await recordAudit(trx, { actorUserId: used.userId, action: 'account.email_changed', objectType: 'user', objectId: used.userId, ip: origin?.ip ?? null });
      return { ok: true, userId: used.userId, purpose: 'change_email' };
    });
  } catch (error) {
    // Someone else made the address theirs between the request and the confirmation.
    if (isUniqueViolation(error)) return { ok: false, state: 'taken' };
    throw error;
  }
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

/** What a sign-in or reset form's login field names, as stored: an e-mail address, or else a sign-in name. */
function normaliseLogin(typed: string): { column: 'email' | 'sign_in_name'; value: string } {
  return looksLikeSignInName(typed) ? { column: 'sign_in_name', value: normaliseSignInName(typed) } : { column: 'email', value: normaliseEmail(typed) };
}

/** What the per-account sign-in limit counts: the login as stored, and the network address. */
function signInLimitSubject(login: string, ip: string): string {
  return `${login}|${ip}`;
}

/**
 * Deletes the rate-limit counters that name the person — by account id, or by the address or
 * sign-in name they sign in with — for erasing their account (in the caller's transaction).
 */
export async function forgetRateLimitsOf(trx: Db, person: { id: number; email: string | null; sign_in_name: string | null }): Promise<number> {
  const prefixes = [person.email, person.sign_in_name]
    .filter((login): login is string => login !== null)
    .map((login) => `${RATE_RULES.signInPerAccountAndAddress.name}:${signInLimitSubject(login, '')}`);
  const result = await trx
    .deleteFrom('rate_limit')
    .where((eb) => eb.or([eb('key', '=', `${RATE_RULES.mailPerAccount.name}:${person.id}`), ...prefixes.map((prefix) => eb(sql<boolean>`starts_with(key, ${prefix})`, '=', true))]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The account a login names ("=" never matches a NULL address or name). */
function findAccount(db: Kysely<Database>, login: ReturnType<typeof normaliseLogin>) {
  return db.selectFrom('app_user').select(['id', 'email', 'email_verified_at', 'display_name', 'locale', 'password_hash']).where(login.column, '=', login.value);
}

export async function signIn(
  db: Kysely<Database>,
  input: { login: string; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; userId: number; token: string; expiresAt: Date; emailUnconfirmed: string | null } | { ok: false }> {
  const login = normaliseLogin(input.login);
  const accountKey = signInLimitSubject(login.value, origin.ip);
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
  // A person without a password (registered, code not yet redeemed) never signs in.
  const user = await findAccount(db, login).where('password_hash', 'is not', null).executeTakeFirst();
  const valid = user ? await verifyPassword(user.password_hash, input.password) : await verifyDecoy(input.password);
  if (!user || !valid) {
    await recordAudit(db, { actorUserId: user?.id ?? null, action: 'account.sign_in_failed', ip: origin.ip });
    return { ok: false };
  }
  await clearRateLimit(db, RATE_RULES.signInPerAccountAndAddress, accountKey);
  const { token, session } = await createSession(db, user.id, now);
  await recordAudit(db, { actorUserId: user.id, action: 'account.signed_in', objectType: 'session', ip: origin.ip });
  return { ok: true, userId: user.id, token, expiresAt: session.expiresAt, emailUnconfirmed: user.email && !user.email_verified_at ? user.email : null };
}

/** Whether `typed` is the person's current password (never for a person without one). */
export async function passwordMatches(db: Kysely<Database>, userId: number, typed: string): Promise<boolean> {
  return (await personIfPasswordMatches(db, userId, typed)) !== null;
}

/**
 * The person, when `typed` is their current password; null when it is not. Asked before
 * anything that changes how they sign in (password, address, sign-in name), so that someone
 * who only holds their session cannot lock them out.
 */
async function personIfPasswordMatches(db: Kysely<Database>, userId: number, typed: string) {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'display_name', 'email', 'sign_in_name', 'locale'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return (await verifyPassword(user.password_hash, typed)) ? user : null;
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
  const user = await personIfPasswordMatches(db, userId, input.currentPassword);
  if (!user) return { ok: false, fields: { currentPassword: 'error.password.wrong' } };
  const problem = await checkNewPassword(input.newPassword, contextWords({ displayName: user.display_name, email: user.email, signInName: user.sign_in_name }));
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

/**
 * Mails a reset link to the account the form names (by address or sign-in name) if it has an
 * address. Always answers the same way, whether or not there is such an account: the page
 * says where people without an address get help instead.
 */
export async function requestPasswordReset(db: Kysely<Database>, login: string, origin: RequestOrigin, now = new Date()): Promise<void> {
  refuseIfLimited(await hitRateLimits(db, [[RATE_RULES.resetPerAddress, origin.ip]], now));
  const user = await findAccount(db, normaliseLogin(login)).executeTakeFirst();
  if (!user?.email) return;
  // Over the per-account limit we quietly send nothing: telling would reveal the account.
  const perAccount = await hitRateLimits(db, [[RATE_RULES.mailPerAccount, String(user.id)]], now);
  if (!perAccount.allowed) return;
  const email = user.email;
  await db.transaction().execute(async (trx) => {
    const token = await issueEmailToken(trx, user.id, 'reset_password', now);
    await enqueueMessage(trx, {
      kind: 'reset_password',
      recipientUserId: user.id,
      recipientEmail: email,
      locale: user.locale,
      payload: { name: user.display_name, url: linkTo(origin, user.locale, '/reset-password', token) },
    });
    await recordAudit(trx, { actorUserId: user.id, action: 'account.password_reset_requested', objectType: 'user', objectId: user.id, ip: origin.ip });
  });
}

/**
 * What ends when a password is replaced without the old one (a reset link, a coordinator's
 * new code) or when a person signs out everywhere: every session, and the personal calendar
 * address, which someone who had taken over the account could otherwise go on reading.
 */
export async function endEverythingSignedIn(trx: Db, userId: number, ip: string | null): Promise<void> {
  await invalidateUserSessions(trx, userId);
  await revokeCalendarToken(trx, userId, ip);
}

export async function resetPassword(
  db: Kysely<Database>,
  input: { token: string; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; userId: number } | FieldProblems<'password' | 'token'>> {
  // The live link's owner, whose name and address the new password must not be made of.
  const owner = await db
    .selectFrom('email_token')
    .innerJoin('app_user', 'app_user.id', 'email_token.user_id')
    .select(['app_user.display_name', 'app_user.email', 'app_user.sign_in_name'])
    .where('email_token.token_hash', '=', hashToken(input.token))
    .where('email_token.purpose', '=', 'reset_password')
    .where('email_token.used_at', 'is', null)
    .where('email_token.expires_at', '>', now)
    .executeTakeFirst();
  if (!owner) return { ok: false, fields: { token: 'error.token.invalid' } };
  const problem = await checkNewPassword(input.password, contextWords({ displayName: owner.display_name, email: owner.email, signInName: owner.sign_in_name }));
  if (problem) return { ok: false, fields: { password: problem } };
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const used = await consumeEmailToken(trx, input.token, ['reset_password'], now);
    if (typeof used === 'string') return { ok: false, fields: { token: 'error.token.invalid' } } as const;
    const userId = used.userId;
    // The link proved the person reads this mailbox, so the address counts as confirmed too.
    await trx
      .updateTable('app_user')
      .set((eb) => ({ password_hash: passwordHash, updated_at: now, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)) }))
      .where('id', '=', userId)
      .execute();
    await endEverythingSignedIn(trx, userId, origin.ip);
    await recordAudit(trx, { actorUserId: userId, action: 'account.password_reset', objectType: 'user', objectId: userId, ip: origin.ip });
    return { ok: true, userId } as const;
  });
}

/**
 * Asks to make `newEmail` the account's address (or to add one, for a person who has none):
 * checks the password, then starts the change (startEmailChange).
 */
export async function requestEmailChange(
  db: Kysely<Database>,
  userId: number,
  input: { newEmail: string; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true } | FieldProblems<'newEmail' | 'password'>> {
  const user = await personIfPasswordMatches(db, userId, input.password);
  if (!user) return { ok: false, fields: { password: 'error.password.wrong' } };
  return startEmailChange(db, user, input.newEmail, origin, now);
}

/**
 * Mails a link to `typed`; the address becomes the account's only when that link is opened
 * (see confirmEmail), and the old address is told then. An address that belongs to another
 * account gets a mail saying so, and the answer here is the same, so nobody learns which
 * addresses have accounts. Used by the account page (after the password) and by a claim
 * (after the code).
 */
export async function startEmailChange(
  db: Kysely<Database>,
  user: { id: number; email: string | null; display_name: string; locale: Locale },
  typed: string,
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true } | FieldProblems<'newEmail'>> {
  const newEmail = normaliseEmail(typed);
  if (newEmail === user.email) return { ok: false, fields: { newEmail: 'email.change.same' } };
  refuseIfLimited(await hitRateLimits(db, [[RATE_RULES.mailPerAccount, String(user.id)]], now));
  const owner = await db.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('email', '=', newEmail).executeTakeFirst();
  if (owner) {
    await tellAddressInUse(db, owner, origin, now);
    return { ok: true };
  }
  await db.transaction().execute(async (trx) => {
    const token = await issueEmailToken(trx, user.id, 'change_email', now, newEmail);
    await enqueueMessage(trx, {
      kind: 'change_email',
      recipientUserId: null,
      recipientEmail: newEmail,
      locale: user.locale,
      payload: { name: user.display_name, url: linkTo(origin, user.locale, '/confirm-email', token) },
    });
    await recordAudit(trx, { actorUserId: user.id, action: 'account.email_change_requested', objectType: 'user', objectId: user.id, ip: origin.ip });
  });
  return { ok: true };
}

/**
 * How the person signs in, as the account page shows it: their sign-in name and the address
 * waiting for its confirmation link, if any (one live link per purpose, so at most one).
 */
export async function signInDetails(db: Kysely<Database>, userId: number, now = new Date()): Promise<{ signInName: string | null; pendingEmail: string | null }> {
  const row = await db
    .selectFrom('app_user')
    .leftJoin('email_token', (join) =>
      join
        .onRef('email_token.user_id', '=', 'app_user.id')
        .on('email_token.purpose', '=', 'change_email')
        .on('email_token.used_at', 'is', null)
        .on('email_token.expires_at', '>', now),
    )
    .select(['app_user.sign_in_name', 'email_token.new_email'])
    .where('app_user.id', '=', userId)
    .executeTakeFirstOrThrow();
  return { signInName: row.sign_in_name, pendingEmail: row.new_email };
}

/**
 * Sets or changes the person's sign-in name after checking the password: for a person without
 * an address the name is the only way in. Names are not secrets, so "taken" may be said.
 */
export async function changeSignInName(
  db: Kysely<Database>,
  userId: number,
  input: { signInName: string; password: string },
  now = new Date(),
): Promise<{ ok: true; signInName: string } | { ok: false; fields: { signInName?: SignInNameRefusal; password?: 'error.password.wrong' } }> {
  if (!(await personIfPasswordMatches(db, userId, input.password))) return { ok: false, fields: { password: 'error.password.wrong' } };
  const { name, problem } = await signInNameProblem(db, input.signInName, userId);
  if (problem) return { ok: false, fields: { signInName: problem } };
  try {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set({ sign_in_name: name, updated_at: now }).where('id', '=', userId).execute();
      await recordAudit(trx, { actorUserId: userId, action: 'account.sign_in_name_changed', objectType: 'user', objectId: userId });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, fields: { signInName: 'signInName.error.taken' } };
    throw error;
  }
  return { ok: true, signInName: name };
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
  await db.transaction().execute(async (trx) => {
    await endEverythingSignedIn(trx, userId, ip);
    await recordAudit(trx, { actorUserId: userId, action: 'account.signed_out_everywhere', objectType: 'user', objectId: userId, ip });
  });
}

/** Old link tokens: used or not, they open nothing; kept a week for "already confirmed". */