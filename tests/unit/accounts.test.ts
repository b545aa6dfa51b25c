// Accounts: sign-up and confirmation, sign-in under rate limits, sessions, password change and reset.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { signUpInput } from '../../src/features/accounts/accounts.schema.ts';
import { changePassword, confirmEmail, requestPasswordReset, resetPassword, signIn, signUp, type RequestOrigin } from '../../src/features/accounts/accounts.service.ts';
import { verifyPassword } from '../../src/features/accounts/password.ts';
import { createSession, validateSessionToken } from '../../src/features/accounts/sessions.ts';
import { RateLimitedError } from '../../src/features/rate-limit/rate-limit.ts';
import { listMemberships } from '../../src/features/access/access.ts';

const NOW = new Date('2026-11-02T09:00:00Z');
const MINUTE = 60_000, DAY = 24 * 60 * MINUTE;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const BASE_URL = 'https://ankommen.example';
const ORIGIN: RequestOrigin = { ip: '203.0.113.7', baseUrl: BASE_URL };
const PASSWORD = 'Sprachcafé am Donnerstag';
const NEW_PASSWORD = 'Neues Passwort für 2027';

let handle: DatabaseHandle, db: Kysely<Database>;
let signUps = 0;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());

type SignUpOptions = { password?: string; locale?: Locale };

/** Signs up as the form does (the schema lower-cases the address), each from its own address. */
function register(email: string, options: SignUpOptions = {}) {
  const input = signUpInput.parse({ email, password: options.password ?? PASSWORD, displayName: 'Amal', locale: options.locale ?? 'de' });
  return signUp(db, input, { ip: `198.51.100.${++signUps}`, baseUrl: BASE_URL }, NOW);
}

async function registered(email: string, options: SignUpOptions = {}): Promise<number> {
  const result = await register(email, options);
  if (!result.ok) throw new Error(`sign-up refused: ${JSON.stringify(result.fields)}`);
  return result.userId;
}

const mails = (userId: number, kind: 'confirm_email' | 'reset_password') =>
  db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', userId).where('kind', '=', kind).execute();

const linkToken = async (userId: number, kind: 'confirm_email' | 'reset_password') =>
  new URL(String((await mails(userId, kind))[0]!.secrets?.url)).searchParams.get('token')!;

const account = (id: number) => db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const countUsers = async (email: string) => (await db.selectFrom('app_user').select('id').where('email', '=', email).execute()).length;
const countOutbox = async () => Number((await db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('signUp', () => {
  it('creates an unconfirmed account with a lower-cased address and one confirmation mail', async () => {
    const id = await registered('Amal.Haddad@Example.org');
    const user = await account(id);
    expect(user.email).toBe('amal.haddad@example.org');
    expect(user.email_verified_at).toBeNull();
    const rows = await mails(id, 'confirm_email');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ locale: 'de', recipient_email: 'amal.haddad@example.org', status: 'pending' });
    expect(String(rows[0]!.secrets?.url)).toMatch(/^https:\/\/ankommen\.example\/confirm-email\?token=[a-z0-9]+$/);
  });

  it('sends an Arabic speaker to the Arabic confirmation page', async () => {
    const id = await registered('noor@example.org', { locale: 'ar' });
    const [row] = await mails(id, 'confirm_email');
    expect(row!.locale).toBe('ar');
    expect(String(row!.secrets?.url)).toMatch(/^https:\/\/ankommen\.example\/ar\/confirm-email\?token=/);
  });

  it('refuses a second account for the same address in other letter case, saving nothing', async () => {
    await registered('yusuf@example.org');
    const outboxBefore = await countOutbox();
    expect(await register('YUSUF@Example.ORG')).toEqual({ ok: false, fields: { email: 'error.email.taken' } });
    expect(await countUsers('yusuf@example.org')).toBe(1);
    expect(await countOutbox()).toBe(outboxBefore);
  });

  it.each([
    ['password1', 'error.password.common'],
    ['ILoveYou', 'error.password.common'],
    ['kurz', 'error.password.tooShort'],
    ['🙂🙂🙂🙂🙂🙂🙂', 'error.password.tooShort'], // 14 UTF-16 units, but 7 characters
  ])('refuses the password %s with nothing saved', async (password, problem) => {
    const email = `weak-${signUps}@example.org`;
    const outboxBefore = await countOutbox();
    expect(await register(email, { password })).toEqual({ ok: false, fields: { password: problem } });
    expect(await countUsers(email)).toBe(0);
    expect(await countOutbox()).toBe(outboxBefore);
  });

  it.each(['كلمة سر طويلة', '🐈‍⬛🌻🚲☕️🎻🏠🌙🍉'])('accepts the Unicode password %s and signs in with it', async (password) => {
    const email = `unicode-${signUps}@example.org`;
    await registered(email, { password });
    expect((await signIn(db, { email, password }, ORIGIN, NOW)).ok).toBe(true);
  });

  it('stores an Argon2id hash at OWASP parameters, never the password', async () => {
    const user = await account(await registered('hash@example.org'));
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.password_hash).not.toContain(PASSWORD);
  });
});

describe('confirmEmail', () => {
  it('confirms the address with the mailed link once, and only once', async () => {
    const id = await registered('confirm-once@example.org');
    const token = await linkToken(id, 'confirm_email');
    expect(await confirmEmail(db, token, at(5 * MINUTE))).toBe(id);
    expect((await account(id)).email_verified_at).toEqual(at(5 * MINUTE));
    expect(await confirmEmail(db, token, at(6 * MINUTE))).toBeNull();
  });

  it('refuses a link older than one hour and leaves the address unconfirmed', async () => {
    const id = await registered('confirm-late@example.org');
    expect(await confirmEmail(db, await linkToken(id, 'confirm_email'), at(61 * MINUTE))).toBeNull();
    expect((await account(id)).email_verified_at).toBeNull();
  });

  it('does not accept a password-reset link as a confirmation link', async () => {
    const id = await registered('confirm-reset@example.org');
    await requestPasswordReset(db, 'confirm-reset@example.org', ORIGIN, NOW);
    const resetToken = await linkToken(id, 'reset_password');
    expect(await confirmEmail(db, resetToken, NOW)).toBeNull();
    expect((await account(id)).email_verified_at).toBeNull();
    // The refused attempt did not use the reset link up.
    expect(await resetPassword(db, { token: resetToken, password: NEW_PASSWORD }, ORIGIN, NOW)).toEqual({ ok: true, userId: id });
  });
});

describe('signIn', () => {
  it('signs in with the right password only', async () => {
    const id = await registered('sign-in@example.org');
    const ok = await signIn(db, { email: 'sign-in@example.org', password: PASSWORD }, ORIGIN, NOW);
    if (!ok.ok) throw new Error('sign-in refused');
    expect((await validateSessionToken(db, ok.token, NOW))?.user.id).toBe(id);
    expect(await signIn(db, { email: 'sign-in@example.org', password: 'Sprachcafé am Freitag' }, ORIGIN, NOW)).toEqual({ ok: false });
    expect(await signIn(db, { email: 'nobody@example.org', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: false });
  });

  it('stops a sixth guess from one address, but not the owner elsewhere', async () => {
    await registered('guessed@example.org');
    const attacker: RequestOrigin = { ip: '203.0.113.66', baseUrl: BASE_URL };
    for (let i = 0; i < 5; i++) {
      expect(await signIn(db, { email: 'guessed@example.org', password: `wrong guess ${i}` }, attacker, NOW)).toEqual({ ok: false });
    }
    const refused = await signIn(db, { email: 'guessed@example.org', password: PASSWORD }, attacker, NOW).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    const owner: RequestOrigin = { ip: '192.0.2.10', baseUrl: BASE_URL };
    expect((await signIn(db, { email: 'guessed@example.org', password: PASSWORD }, owner, NOW)).ok).toBe(true);
  });

  it('forgets earlier typos after a successful sign-in', async () => {
    await registered('typos@example.org');
    const origin: RequestOrigin = { ip: '203.0.113.77', baseUrl: BASE_URL };
    const attempt = (password: string) => signIn(db, { email: 'typos@example.org', password }, origin, NOW);
    for (let i = 0; i < 4; i++) expect((await attempt('typo')).ok).toBe(false);
    expect((await attempt(PASSWORD)).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect((await attempt('typo')).ok).toBe(false);
    expect((await attempt(PASSWORD)).ok).toBe(true);
  });
});

describe('sessions', () => {
  let userId: number;
  beforeAll(async () => void (userId = await registered('sessions@example.org')));

  it('comes with the person’s memberships, the same as listMemberships reads', async () => {
    const { token } = await createSession(db, userId, NOW);
    expect((await validateSessionToken(db, token, NOW))?.memberships).toEqual([]);
    const [zebra, alpha] = await db
      .insertInto('organisation')
      .values([
        { slug: `zebra-${userId}`, name: 'Zebra-Verein' },
        { slug: `alpha-${userId}`, name: 'Alpha-Initiative' },
      ])
      .returning(['id', 'slug'])
      .execute();
    await db
      .insertInto('membership')
      .values([
        { user_id: userId, organisation_id: zebra!.id, role: 'organiser' },
        { user_id: userId, organisation_id: alpha!.id, role: 'coordinator' },
      ])
      .execute();
    const memberships = (await validateSessionToken(db, token, NOW))?.memberships;
    expect(memberships).toEqual([
      { organisationId: alpha!.id, organisationSlug: alpha!.slug, organisationName: 'Alpha-Initiative', role: 'coordinator' },
      { organisationId: zebra!.id, organisationSlug: zebra!.slug, organisationName: 'Zebra-Verein', role: 'organiser' },
    ]);
    expect(memberships).toEqual(await listMemberships(db, userId));
    await db.deleteFrom('membership').where('user_id', '=', userId).execute();
  });

  it('rejects a tampered secret and malformed tokens', async () => {
    const { token } = await createSession(db, userId, NOW);
    const [id, secret] = token.split('.') as [string, string];
    const tampered = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    for (const bad of [tampered, id, `${token}.x`, `.${secret}`, `${id}.`, '', `${id}.${secret}${'a'.repeat(128)}`]) {
      expect(await validateSessionToken(db, bad, NOW), bad).toBeNull();
    }
    expect(await validateSessionToken(db, token, NOW)).not.toBeNull();
  });

  it('ends a session left unused for ten days', async () => {
    const { token } = await createSession(db, userId, NOW);
    expect(await validateSessionToken(db, token, at(10 * DAY + MINUTE))).toBeNull();
    expect(await validateSessionToken(db, token, NOW)).toBeNull(); // deleted, not just refused
  });

  it('ends a session thirty days after sign-in even when used every day', async () => {
    const { token } = await createSession(db, userId, NOW);
    for (let day = 1; day < 30; day++) expect(await validateSessionToken(db, token, at(day * DAY)), `day ${day}`).not.toBeNull();
    expect(await validateSessionToken(db, token, at(30 * DAY))).toBeNull();
  });

  it('writes last_verified_at only once an hour has passed', async () => {
    const { token, session } = await createSession(db, userId, NOW);
    const stored = () => db.selectFrom('session').select('last_verified_at').where('id', '=', session.id).executeTakeFirstOrThrow();
    await validateSessionToken(db, token, at(59 * MINUTE));
    expect((await stored()).last_verified_at).toEqual(NOW);
    const later = await validateSessionToken(db, token, at(60 * MINUTE));
    expect((await stored()).last_verified_at).toEqual(at(60 * MINUTE));
    expect(later?.session.expiresAt).toEqual(at(60 * MINUTE + 10 * DAY));
  });

  it('stores only a hash of the secret', async () => {
    const { token, session } = await createSession(db, userId, NOW);
    const secret = token.split('.')[1]!;
    const row = await db.selectFrom('session').select('secret_hash').where('id', '=', session.id).executeTakeFirstOrThrow();
    const stored = Buffer.from(row.secret_hash);
    expect(stored).toHaveLength(32);
    expect(stored.equals(Buffer.from(secret))).toBe(false);
    expect(stored.toString('latin1')).not.toContain(secret);
  });
});

describe('changePassword', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const id = await registered('change-wrong@example.org');
    const before = (await account(id)).password_hash;
    const result = await changePassword(db, id, { currentPassword: 'not my password', newPassword: NEW_PASSWORD }, ORIGIN, NOW);
    expect(result).toEqual({ ok: false, fields: { currentPassword: 'error.password.wrong' } });
    expect((await account(id)).password_hash).toBe(before);
  });

  it('ends every earlier session and keeps the changing device signed in', async () => {
    const email = 'change@example.org';
    const id = await registered(email);
    const older = [(await createSession(db, id, NOW)).token, (await createSession(db, id, NOW)).token];
    const result = await changePassword(db, id, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, ORIGIN, at(MINUTE));
    if (!result.ok) throw new Error(JSON.stringify(result.fields));
    for (const token of older) expect(await validateSessionToken(db, token, at(2 * MINUTE))).toBeNull();
    expect((await validateSessionToken(db, result.token, at(2 * MINUTE)))?.user.id).toBe(id);
    expect(await signIn(db, { email, password: PASSWORD }, ORIGIN, at(3 * MINUTE))).toEqual({ ok: false });
    expect((await signIn(db, { email, password: NEW_PASSWORD }, ORIGIN, at(3 * MINUTE))).ok).toBe(true);
  });
});

describe('password reset', () => {
  it('sends no mail, and says nothing different, for an unknown address', async () => {
    const before = await countOutbox();
    await expect(requestPasswordReset(db, 'unknown@example.org', ORIGIN, NOW)).resolves.toBeUndefined();
    expect(await countOutbox()).toBe(before);
  });

  it('resets the password with the mailed link once, ends sessions and confirms the address', async () => {
    const id = await registered('reset@example.org', { locale: 'uk' });
    const { token: sessionToken } = await createSession(db, id, NOW);
    await requestPasswordReset(db, 'reset@example.org', ORIGIN, NOW);
    const rows = await mails(id, 'reset_password');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.locale).toBe('uk');
    expect(String(rows[0]!.secrets?.url)).toMatch(/^https:\/\/ankommen\.example\/uk\/reset-password\?token=/);
    const token = await linkToken(id, 'reset_password');
    expect(await resetPassword(db, { token, password: NEW_PASSWORD }, ORIGIN, at(10 * MINUTE))).toEqual({ ok: true, userId: id });
    const user = await account(id);
    expect(await verifyPassword(user.password_hash, NEW_PASSWORD)).toBe(true);
    expect(user.email_verified_at).toEqual(at(10 * MINUTE));
    expect(await validateSessionToken(db, sessionToken, at(11 * MINUTE))).toBeNull();
    const again = await resetPassword(db, { token, password: 'Ein drittes Passwort' }, ORIGIN, at(12 * MINUTE));
    expect(again).toEqual({ ok: false, fields: { token: 'error.token.invalid' } });
    expect(await verifyPassword((await account(id)).password_hash, NEW_PASSWORD)).toBe(true);
  });

  it('refuses a link older than one hour and keeps the old password', async () => {
    const id = await registered('reset-late@example.org');
    await requestPasswordReset(db, 'reset-late@example.org', ORIGIN, NOW);
    const before = (await account(id)).password_hash;
    const result = await resetPassword(db, { token: await linkToken(id, 'reset_password'), password: NEW_PASSWORD }, ORIGIN, at(61 * MINUTE));
    expect(result).toEqual({ ok: false, fields: { token: 'error.token.invalid' } });
    expect((await account(id)).password_hash).toBe(before);
  });
});
