// Accounts: sign-up and confirmation, sign-in by address or sign-in name under rate limits,
// sessions, password change and reset, changing the address, and what a reset ends.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { signUpInput } from '../../src/features/accounts/accounts.schema.ts';
import {
  changePassword,
  changeSignInName,
  confirmEmail,
  emailTokenState,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  signIn,
  signInDetails,
  signOutEverywhere,
  signUp,
  type RequestOrigin,
} from '../../src/features/accounts/accounts.service.ts';
import { checkNewPassword, contextWords, hashPassword, verifyPassword } from '../../src/features/accounts/password.ts';
import { createCalendarToken } from '../../src/features/feeds/personal-feed.ts';
import { createSession, validateSessionToken } from '../../src/features/accounts/sessions.ts';
import { RateLimitedError } from '../../src/features/rate-limit/rate-limit.ts';
import { listMemberships } from '../../src/features/access/access.ts';
import { applyRetention } from '../../src/features/privacy/retention.ts';

const NOW = new Date('2026-11-02T09:00:00Z');
const MINUTE = 60_000, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
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
  if (result.userId === null) throw new Error(`${email} had an account already`);
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

  it('answers a second sign-up for a known address (in other letter case) as the first, and mails the owner instead', async () => {
    const id = await registered('yusuf@example.org');
    const before = await account(id);
    const again = await register('YUSUF@Example.ORG', { password: 'Ein ganz anderes Passwort hier' });
    expect(again).toEqual({ ok: true, userId: null });
    expect(await countUsers('yusuf@example.org')).toBe(1);
    expect((await account(id)).password_hash).toBe(before.password_hash);
    const told = await db.selectFrom('outbox').selectAll().where('recipient_email', '=', 'yusuf@example.org').where('kind', '=', 'address_in_use').execute();
    expect(told).toHaveLength(1);
    expect(String(told[0]!.payload.url)).toBe(`${BASE_URL}/sign-in`);
    // No link in it opens anything: the way back in is signing in or the reset form.
    expect(JSON.stringify(told[0]!.payload)).not.toMatch(/token=/);
  });

  it('mails the owner of a known address at most three times an hour, however often someone signs up with it', async () => {
    await registered('flooded@example.org');
    for (let i = 0; i < 6; i++) expect(await register('flooded@example.org')).toEqual({ ok: true, userId: null });
    const told = await db.selectFrom('outbox').select('id').where('recipient_email', '=', 'flooded@example.org').where('kind', '=', 'address_in_use').execute();
    expect(told).toHaveLength(3);
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
    expect((await signIn(db, { login: email, password }, ORIGIN, NOW)).ok).toBe(true);
  });

  it('stores an Argon2id hash at OWASP parameters, never the password', async () => {
    const user = await account(await registered('hash@example.org'));
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.password_hash).not.toContain(PASSWORD);
  });
});

describe('confirmEmail', () => {
  it('confirms the address with the mailed link once; opened again it says "already confirmed"', async () => {
    const id = await registered('confirm-once@example.org');
    const token = await linkToken(id, 'confirm_email');
    expect(await emailTokenState(db, token, ['confirm_email'], at(4 * MINUTE))).toBe('live');
    expect(await confirmEmail(db, token, ORIGIN, at(5 * MINUTE))).toEqual({ ok: true, userId: id, purpose: 'confirm_email' });
    expect((await account(id)).email_verified_at).toEqual(at(5 * MINUTE));
    expect(await confirmEmail(db, token, ORIGIN, at(6 * MINUTE))).toEqual({ ok: false, state: 'used' });
    expect(await emailTokenState(db, token, ['confirm_email'], at(3 * DAY))).toBe('used');
    expect((await account(id)).email_verified_at).toEqual(at(5 * MINUTE));
  });

  it('refuses a link older than one hour as expired and leaves the address unconfirmed', async () => {
    const id = await registered('confirm-late@example.org');
    expect(await confirmEmail(db, await linkToken(id, 'confirm_email'), ORIGIN, at(61 * MINUTE))).toEqual({ ok: false, state: 'expired' });
    expect((await account(id)).email_verified_at).toBeNull();
    expect(await confirmEmail(db, 'nothing-we-ever-sent', ORIGIN, NOW)).toEqual({ ok: false, state: 'unknown' });
  });

  it('does not accept a password-reset link as a confirmation link', async () => {
    const id = await registered('confirm-reset@example.org');
    await requestPasswordReset(db, 'confirm-reset@example.org', ORIGIN, NOW);
    const resetToken = await linkToken(id, 'reset_password');
    expect(await confirmEmail(db, resetToken, ORIGIN, NOW)).toEqual({ ok: false, state: 'unknown' });
    expect((await account(id)).email_verified_at).toBeNull();
    // The refused attempt did not use the reset link up.
    expect(await resetPassword(db, { token: resetToken, password: NEW_PASSWORD }, ORIGIN, NOW)).toEqual({ ok: true, userId: id });
  });

  it('forgets used links a week after they expired', async () => {
    const id = await registered('confirm-forgotten@example.org');
    const token = await linkToken(id, 'confirm_email');
    await confirmEmail(db, token, ORIGIN, at(MINUTE));
    await applyRetention(db, { now: at(HOUR + 6 * DAY), baseUrl: BASE_URL, only: ['email_links'] });
    expect(await emailTokenState(db, token, ['confirm_email'], at(HOUR + 6 * DAY))).toBe('used');
    await applyRetention(db, { now: at(HOUR + 7 * DAY + MINUTE), baseUrl: BASE_URL, only: ['email_links'] });
    expect(await emailTokenState(db, token, ['confirm_email'], at(HOUR + 7 * DAY + MINUTE))).toBe('unknown');
  });
});

describe('signIn', () => {
  it('signs in with the right password only', async () => {
    const id = await registered('sign-in@example.org');
    const ok = await signIn(db, { login: 'sign-in@example.org', password: PASSWORD }, ORIGIN, NOW);
    if (!ok.ok) throw new Error('sign-in refused');
    expect((await validateSessionToken(db, ok.token, NOW))?.user.id).toBe(id);
    expect(await signIn(db, { login: 'sign-in@example.org', password: 'Sprachcafé am Freitag' }, ORIGIN, NOW)).toEqual({ ok: false });
    expect(await signIn(db, { login: 'nobody@example.org', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: false });
  });

  it('stops a sixth guess from one address, but not the owner elsewhere', async () => {
    await registered('guessed@example.org');
    const attacker: RequestOrigin = { ip: '203.0.113.66', baseUrl: BASE_URL };
    for (let i = 0; i < 5; i++) {
      expect(await signIn(db, { login: 'guessed@example.org', password: `wrong guess ${i}` }, attacker, NOW)).toEqual({ ok: false });
    }
    const refused = await signIn(db, { login: 'guessed@example.org', password: PASSWORD }, attacker, NOW).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    const owner: RequestOrigin = { ip: '192.0.2.10', baseUrl: BASE_URL };
    expect((await signIn(db, { login: 'guessed@example.org', password: PASSWORD }, owner, NOW)).ok).toBe(true);
  });

  it('forgets earlier typos after a successful sign-in', async () => {
    await registered('typos@example.org');
    const origin: RequestOrigin = { ip: '203.0.113.77', baseUrl: BASE_URL };
    const attempt = (password: string) => signIn(db, { login: 'typos@example.org', password }, origin, NOW);
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
    expect(await signIn(db, { login: email, password: PASSWORD }, ORIGIN, at(3 * MINUTE))).toEqual({ ok: false });
    expect((await signIn(db, { login: email, password: NEW_PASSWORD }, ORIGIN, at(3 * MINUTE))).ok).toBe(true);
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

describe('new passwords are refused when they are easy to guess', () => {
  // German words with digits, keyboard rows, the portal's and the town's name: what a person
  // guessing at the sign-in form tries first. Each is refused at sign-up with nothing saved.
  it.each(['passwort123', 'Passwort1', 'hallo1234', 'qwertz123', 'altena2024', 'Ankommen123', 'schatz2020', 'password1', 'ILoveYou'])('refuses %s', async (password) => {
    const email = `guessable-${signUps}@example.org`;
    expect(await register(email, { password })).toEqual({ ok: false, fields: { password: 'error.password.common' } });
    expect(await countUsers(email)).toBe(0);
  });

  it("refuses the person's own name with digits, and accepts a few words of any language", async () => {
    const input = signUpInput.parse({ email: 'leyla.demir@example.org', password: 'leylademir1', displayName: 'Leyla Demir', locale: 'tr' });
    expect(await signUp(db, input, ORIGIN, NOW)).toEqual({ ok: false, fields: { password: 'error.password.common' } });
    expect(await checkNewPassword('Ein Garten am Fluss')).toBeNull();
    expect(await checkNewPassword('شجرة الزيتون في الحديقة')).toBeNull();
    expect(await checkNewPassword('Лелека над Дніпром')).toBeNull();
  });

  it("counts the configured town's name among the words tried first, and Altena when none is set", () => {
    const before = process.env.TOWN_NAME;
    try {
      process.env.TOWN_NAME = 'Bad Sooden-Allendorf';
      expect(contextWords()).toEqual(['ankommen', 'bad', 'sooden', 'allendorf']);
      // An empty value is no name: the default stands, as in the server's configuration.
      process.env.TOWN_NAME = '';
      expect(contextWords()).toEqual(['ankommen', 'altena']);
    } finally {
      if (before === undefined) delete process.env.TOWN_NAME;
      else process.env.TOWN_NAME = before;
    }
  });
});

/** A person a coordinator registered, who claimed the account: a sign-in name, a password, no address. */
async function personWithoutAddress(signInName: string, password = PASSWORD): Promise<number> {
  const row = await db
    .insertInto('app_user')
    .values({ email: null, password_hash: await hashPassword(password), display_name: 'Olena', locale: 'uk', sign_in_name: signInName })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('signing in with a sign-in name', () => {
  it('signs in a person without an e-mail address by name, in any letter case and Unicode form', async () => {
    const id = await personWithoutAddress('олена');
    for (const login of ['олена', 'ОЛЕНА', ' Олена ']) {
      const result = await signIn(db, { login, password: PASSWORD }, ORIGIN, NOW);
      expect(result.ok, login).toBe(true);
      if (result.ok) expect(result).toMatchObject({ userId: id, emailUnconfirmed: null });
    }
    expect(await signIn(db, { login: 'олена', password: 'Sprachcafé am Freitag' }, ORIGIN, NOW)).toEqual({ ok: false });
  });

  it('never signs in someone who has not chosen a password yet, by name or otherwise', async () => {
    await db.insertInto('app_user').values({ email: null, password_hash: null, display_name: 'Karim', locale: 'ar', sign_in_name: 'karim' }).execute();
    expect(await signIn(db, { login: 'karim', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: false });
    expect(await signIn(db, { login: 'karim', password: '' }, ORIGIN, NOW)).toEqual({ ok: false });
  });

  it('counts wrong guesses per name like per address', async () => {
    await personWithoutAddress('guessme');
    const attacker: RequestOrigin = { ip: '203.0.113.88', baseUrl: BASE_URL };
    for (let i = 0; i < 5; i++) await signIn(db, { login: 'guessme', password: `wrong ${i}` }, attacker, NOW);
    await expect(signIn(db, { login: 'GuessMe', password: PASSWORD }, attacker, NOW)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('tells the page when the address is not confirmed yet, so that it can remind the person', async () => {
    await registered('unconfirmed@example.org');
    const result = await signIn(db, { login: 'unconfirmed@example.org', password: PASSWORD }, ORIGIN, NOW);
    expect(result).toMatchObject({ ok: true, emailUnconfirmed: 'unconfirmed@example.org' });
  });
});

describe('changeSignInName', () => {
  it('keeps the name as people compare it and refuses bad shapes and names someone has', async () => {
    const id = await registered('names@example.org');
    expect(await changeSignInName(db, id, { signInName: ' Amal.H ', password: PASSWORD }, NOW)).toEqual({ ok: true, signInName: 'amal.h' });
    expect((await account(id)).sign_in_name).toBe('amal.h');
    expect(await changeSignInName(db, id, { signInName: 'am', password: PASSWORD }, NOW)).toEqual({ ok: false, fields: { signInName: 'signInName.error.length' } });
    for (const bad of ['amal@home', 'amal haddad', '.amal', 'amal\u202Eevil']) {
      expect(await changeSignInName(db, id, { signInName: bad, password: PASSWORD }, NOW), bad).toEqual({ ok: false, fields: { signInName: 'signInName.error.characters' } });
    }
    const other = await registered('names-other@example.org');
    expect(await changeSignInName(db, other, { signInName: 'AMAL.H', password: PASSWORD }, NOW)).toEqual({ ok: false, fields: { signInName: 'signInName.error.taken' } });
    expect(await changeSignInName(db, id, { signInName: 'amal.h', password: PASSWORD }, NOW)).toEqual({ ok: true, signInName: 'amal.h' });
    expect((await signIn(db, { login: 'Amal.H', password: PASSWORD }, ORIGIN, NOW)).ok).toBe(true);
  });

  it('asks for the password: for a person without an address the name is the only way in', async () => {
    const id = await personWithoutAddress('nur.name');
    expect(await changeSignInName(db, id, { signInName: 'jemand.anders', password: 'not my password' }, NOW)).toEqual({ ok: false, fields: { password: 'error.password.wrong' } });
    expect((await account(id)).sign_in_name).toBe('nur.name');
    expect((await signIn(db, { login: 'nur.name', password: PASSWORD }, ORIGIN, NOW)).ok).toBe(true);
  });
});

describe('changing or adding an e-mail address', () => {
  const mailsTo = (email: string, kind: string) => db.selectFrom('outbox').selectAll().where('recipient_email', '=', email).where('kind', '=', kind).execute();
  // The link is a secret: the outbox keeps it apart from the payload until the mail is sent.
  const tokenIn = (row: { secrets: Record<string, unknown> | null }) => new URL(String(row.secrets?.url)).searchParams.get('token')!;

  it('asks for the password and changes nothing until the new address confirms; then tells the old one', async () => {
    const id = await registered('old-address@example.org');
    await requestPasswordReset(db, 'old-address@example.org', ORIGIN, NOW);
    const oldResetLink = await linkToken(id, 'reset_password');
    expect(await requestEmailChange(db, id, { newEmail: 'new-address@example.org', password: 'not my password' }, ORIGIN, NOW)).toEqual({ ok: false, fields: { password: 'error.password.wrong' } });
    expect(await requestEmailChange(db, id, { newEmail: 'old-address@example.org', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: false, fields: { newEmail: 'email.change.same' } });
    expect(await requestEmailChange(db, id, { newEmail: 'new-address@example.org', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: true });
    expect((await account(id)).email).toBe('old-address@example.org');
    expect(await signInDetails(db, id, at(MINUTE))).toEqual({ signInName: null, pendingEmail: 'new-address@example.org' });
    const [link] = await mailsTo('new-address@example.org', 'change_email');
    expect(await signIn(db, { login: 'new-address@example.org', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: false });

    expect(await confirmEmail(db, tokenIn(link!), ORIGIN, at(5 * MINUTE))).toEqual({ ok: true, userId: id, purpose: 'change_email' });
    expect(await account(id)).toMatchObject({ email: 'new-address@example.org', email_verified_at: at(5 * MINUTE) });
    expect((await signInDetails(db, id, at(6 * MINUTE))).pendingEmail).toBeNull();
    const [told] = await mailsTo('old-address@example.org', 'email_changed');
    expect(told!.payload).toMatchObject({ newEmail: 'new-address@example.org' });
    expect((await signIn(db, { login: 'new-address@example.org', password: PASSWORD }, ORIGIN, at(7 * MINUTE))).ok).toBe(true);
    expect(await signIn(db, { login: 'old-address@example.org', password: PASSWORD }, ORIGIN, at(7 * MINUTE))).toEqual({ ok: false });
    // A reset link mailed to the old address opens nothing any more.
    expect(await resetPassword(db, { token: oldResetLink, password: NEW_PASSWORD }, ORIGIN, at(8 * MINUTE))).toEqual({ ok: false, fields: { token: 'error.token.invalid' } });
  });

  it('lets a person without an address add one, which then works for sign-in and reset', async () => {
    const id = await personWithoutAddress('ohne.adresse');
    expect(await requestEmailChange(db, id, { newEmail: 'olena@example.org', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await signInDetails(db, id, NOW)).toEqual({ signInName: 'ohne.adresse', pendingEmail: 'olena@example.org' });
    const [link] = await mailsTo('olena@example.org', 'change_email');
    expect(link!.locale).toBe('uk');
    expect(String(link!.secrets?.url)).toMatch(/^https:\/\/ankommen\.example\/uk\/confirm-email\?token=/);
    await confirmEmail(db, tokenIn(link!), ORIGIN, at(MINUTE));
    expect(await mailsTo('olena@example.org', 'email_changed')).toHaveLength(0);
    expect((await signIn(db, { login: 'olena@example.org', password: PASSWORD }, ORIGIN, at(2 * MINUTE))).ok).toBe(true);
    expect((await signIn(db, { login: 'ohne.adresse', password: PASSWORD }, ORIGIN, at(2 * MINUTE))).ok).toBe(true);
  });

  it('answers an address that has an account as any other, and mails its owner instead', async () => {
    await registered('owner@example.org');
    const id = await registered('wants-it@example.org');
    expect(await requestEmailChange(db, id, { newEmail: 'Owner@Example.org', password: PASSWORD }, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await mailsTo('owner@example.org', 'change_email')).toHaveLength(0);
    expect(await mailsTo('owner@example.org', 'address_in_use')).toHaveLength(1);
    expect((await signInDetails(db, id, NOW)).pendingEmail).toBeNull();
  });

  it('says "taken" when someone else made the address theirs before the link was opened, changing nothing', async () => {
    const first = await registered('race-one@example.org');
    const second = await registered('race-two@example.org');
    await requestEmailChange(db, first, { newEmail: 'contested@example.org', password: PASSWORD }, ORIGIN, NOW);
    await requestEmailChange(db, second, { newEmail: 'contested@example.org', password: PASSWORD }, ORIGIN, NOW);
    const links = await mailsTo('contested@example.org', 'change_email');
    expect(links).toHaveLength(2);
    expect((await confirmEmail(db, tokenIn(links[1]!), ORIGIN, at(MINUTE))).ok).toBe(true);
    expect(await confirmEmail(db, tokenIn(links[0]!), ORIGIN, at(2 * MINUTE))).toEqual({ ok: false, state: 'taken' });
    expect((await account(first)).email).toBe('race-one@example.org');
  });
});

describe('what ends with a reset or "sign out everywhere"', () => {
  const hasCalendar = async (id: number) => (await db.selectFrom('calendar_token').select('user_id').where('user_id', '=', id).executeTakeFirst()) !== undefined;

  it('a reset by mail ends the personal calendar address too, so a past intruder stops reading it', async () => {
    const id = await registered('calendar-reset@example.org');
    await createCalendarToken(db, id, null, NOW);
    await requestPasswordReset(db, 'calendar-reset@example.org', ORIGIN, NOW);
    await resetPassword(db, { token: await linkToken(id, 'reset_password'), password: NEW_PASSWORD }, ORIGIN, at(MINUTE));
    expect(await hasCalendar(id)).toBe(false);
  });

  it('"sign out everywhere" ends every session and the calendar address; a password change keeps the address', async () => {
    const id = await registered('calendar-everywhere@example.org');
    await createCalendarToken(db, id, null, NOW);
    const changed = await changePassword(db, id, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, ORIGIN, NOW);
    expect(changed.ok).toBe(true);
    expect(await hasCalendar(id)).toBe(true);
    const { token } = await createSession(db, id, NOW);
    await signOutEverywhere(db, id, ORIGIN.ip);
    expect(await validateSessionToken(db, token, NOW)).toBeNull();
    expect(await hasCalendar(id)).toBe(false);
  });
});

describe('forgotten passwords by sign-in name', () => {
  it('mails a reset link to the address behind a sign-in name, and nothing for a person without one', async () => {
    const id = await registered('by-name@example.org');
    await changeSignInName(db, id, { signInName: 'byname', password: PASSWORD }, NOW);
    await requestPasswordReset(db, 'ByName', ORIGIN, NOW);
    expect(await mails(id, 'reset_password')).toHaveLength(1);
    const before = await countOutbox();
    await personWithoutAddress('no.mail.here');
    await expect(requestPasswordReset(db, 'no.mail.here', ORIGIN, NOW)).resolves.toBeUndefined();
    expect(await countOutbox()).toBe(before);
  });
});
