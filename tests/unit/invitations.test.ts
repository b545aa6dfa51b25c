// Inviting people into an organisation by e-mail: a new address gets an account without a
// password and a single-use, expiring link of which the invitation keeps only the hash and the
// outbox the link only until the mail is sent; an address with an account is added at once and told. Only site
// admins invite, resend and withdraw; everything is in the audit log.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import type { Database, Organisation } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { validateSessionToken } from '../../src/features/accounts/sessions.ts';
import { verifyPassword } from '../../src/features/accounts/password.ts';
import { listMemberships, NotFoundError } from '../../src/features/access/access.ts';
import {
  acceptInvitation,
  findInvitation,
  inviteMember,
  listInvitations,
  resendInvitation,
  withdrawInvitation,
} from '../../src/features/organisations/invitations.service.ts';
import { createOrganisation } from '../../src/features/organisations/organisations.service.ts';
import { claimDueMessages } from '../../src/features/outbox/outbox.ts';
import { startOutboxWorker, type Mail, type OutboxWorker } from '../../src/features/outbox/worker.ts';
import { catalogues, translator } from '../../src/i18n/index.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { RateLimitedError } from '../../src/features/rate-limit/rate-limit.ts';
import { createServerDatabase, createTestDatabase, serverUrl } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';

const ORIGIN = { ip: '203.0.113.9', baseUrl: 'https://ankommen.example' };
const PASSWORD = 'Bücher leihen am Dienstag';

let handle: DatabaseHandle, db: Kysely<Database>;
let admin: SessionUser, resident: SessionUser;
let library: Organisation, club: Organisation;
let worker: OutboxWorker;
let sent: Mail[];

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  admin = { ...(await makePerson(db, { name: 'Petra Admin' })), is_admin: true };
  await db.updateTable('app_user').set({ is_admin: true }).where('id', '=', admin.id).execute();
  resident = await makePerson(db, { name: 'Rudi' });
  const made = async (slug: string, name: string) => {
    const result = await createOrganisation(db, admin, { name, slug, description: '' });
    if (!result.ok) throw new Error('slug taken');
    return result.organisation;
  };
  library = await made('stadtbibliothek', 'Stadtbibliothek');
  club = await made('tus-sport', 'TuS Sport');
});
afterAll(() => handle?.close());

beforeEach(() => {
  sent = [];
  worker = startOutboxWorker(db, { transport: { send: async (mail) => void sent.push(mail) }, townName: 'Altena', timeZone: 'Europe/Berlin', host: 'ankommen.example', intervalMs: 600_000 });
});
afterEach(() => worker.stop());

let addresses = 0;
const newAddress = () => `invitee-${++addresses}@example.org`;
const invite = (email: string, extra: Partial<Parameters<typeof inviteMember>[2]> = {}, actor: SessionUser | null = admin) =>
  inviteMember(db, actor, { organisationId: library.id, email, role: 'organiser', displayName: '', locale: 'de', ...extra }, ORIGIN);

/** The link in the one mail sent to `email` since the test began. */
function linkTo(email: string): URL {
  const mails = sent.filter((m) => m.to === email);
  expect(mails).toHaveLength(1);
  const match = /https:\/\/\S+/.exec(mails[0]!.text);
  return new URL(match![0]);
}
const tokenIn = (url: URL) => url.searchParams.get('token') ?? '';
const userOf = (email: string) => db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirst();
const invitationsOf = (userId: number) => db.selectFrom('invitation').selectAll().where('user_id', '=', userId).execute();
const audit = (action: string) => db.selectFrom('audit_event').selectAll().where('action', '=', action).orderBy('id').execute();

describe('inviting an address that has no account', () => {
  it('makes the account without a password, in the language the admin chose, and queues the invitation with its link kept apart', async () => {
    const email = newAddress();
    expect(await invite(email, { displayName: 'Samira Haddad', locale: 'ar' })).toEqual({ ok: true, outcome: 'invited', email });
    const user = await userOf(email);
    expect(user).toMatchObject({ password_hash: null, display_name: 'Samira Haddad', locale: 'ar', email_verified_at: null, is_admin: false });
    const [invitation] = await invitationsOf(user!.id);
    expect(invitation).toMatchObject({ organisation_id: library.id, role: 'organiser', invited_by: admin.id });
    const queued = await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', user!.id).execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ kind: 'organisation_invitation', locale: 'ar', recipient_email: email });
    // The link waits among the mail's secrets, which go when it is sent; the invitation has its hash.
    expect(JSON.stringify(queued[0]!.payload)).not.toMatch(/token/);
    const waitingLink = new URL(String((queued[0]!.secrets as { url: string }).url));
    expect(invitation!.token_hash).toBe(hashToken(tokenIn(waitingLink)));
    // Nobody is a member before accepting.
    expect(await listMemberships(db, user!.id)).toEqual([]);
    expect((await audit('invitation.created')).at(-1)).toMatchObject({ actor_user_id: admin.id, object_type: 'organisation', object_id: String(library.id), details: { userId: user!.id, role: 'organiser', accountCreated: true } });
  });

  it('sends 160 random bits in the link; once sent, only their hash rests in the database', async () => {
    const email = newAddress();
    await invite(email, { locale: 'ar', displayName: 'Samira' });
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);
    const link = linkTo(email);
    expect(link.origin + link.pathname).toBe('https://ankommen.example/ar/invitation');
    const token = tokenIn(link);
    expect(token).toMatch(/^[a-z2-7]{32}$/); // base32 of 20 bytes
    const user = (await userOf(email))!;
    const [invitation] = await invitationsOf(user.id);
    expect(invitation!.token_hash).toBe(hashToken(token));
    const everything = await sql<{ text: string }>`select (select coalesce(string_agg(row_to_json(o)::text, ' '), '') from outbox o) || (select coalesce(string_agg(row_to_json(i)::text, ' '), '') from invitation i) as text`.execute(db);
    expect(everything.rows[0]!.text).not.toContain(token);
    // The mail is in the invitee's language and says who invites them, where and as what.
    const mail = sent.find((m) => m.to === email)!;
    const ar = catalogues.ar;
    expect(mail.subject).toBe(translator('ar')('invitation.mail.subject', { organisation: 'Stadtbibliothek' }));
    expect(mail.text).toContain('Petra Admin');
    expect(mail.text).toContain(ar['role.organiser']);
    expect(mail.text).toContain('Samira');
  });

  it('lets the invitee choose a name and password with the link: they become organiser, are signed in, and the link is used up', async () => {
    const email = newAddress();
    await invite(email, { displayName: 'Samira Haddad' });
    await worker.runOnce();
    const token = tokenIn(linkTo(email));
    expect(await findInvitation(db, token)).toMatchObject({ email, displayName: 'Samira Haddad', needsPassword: true, invitations: [{ organisationName: 'Stadtbibliothek', role: 'organiser', inviterName: 'Petra Admin' }] });

    const accepted = await acceptInvitation(db, { token, displayName: 'Samira H.', password: PASSWORD }, ORIGIN);
    if (!accepted.ok) throw new Error(JSON.stringify(accepted));
    expect(accepted.joined).toEqual([{ organisationName: 'Stadtbibliothek', role: 'organiser' }]);
    const user = (await userOf(email))!;
    expect(user.display_name).toBe('Samira H.');
    expect(user.email_verified_at).not.toBeNull();
    expect(await verifyPassword(user.password_hash, PASSWORD)).toBe(true);
    expect((await listMemberships(db, user.id)).map((m) => [m.organisationSlug, m.role])).toEqual([['stadtbibliothek', 'organiser']]);
    expect(accepted.session).toBeDefined();
    expect((await validateSessionToken(db, accepted.session!.token))?.user.id).toBe(user.id);
    expect(await invitationsOf(user.id)).toEqual([]);
    expect((await audit('invitation.accepted')).at(-1)).toMatchObject({ actor_user_id: user.id, object_id: String(library.id), details: { role: 'organiser' } });

    // Once only.
    expect(await findInvitation(db, token)).toBeNull();
    expect(await acceptInvitation(db, { token, displayName: 'Someone', password: 'ein ganz anderes Passwort' }, ORIGIN)).toEqual({ ok: false, fields: { token: 'invitation.error.invalid' } });
    expect(await verifyPassword((await userOf(email))!.password_hash, PASSWORD)).toBe(true);
  });

  it('asks again for a missing name or a weak password and keeps the link usable', async () => {
    const email = newAddress();
    await invite(email);
    await worker.runOnce();
    const token = tokenIn(linkTo(email));
    expect(await acceptInvitation(db, { token, displayName: '', password: 'passwort' }, ORIGIN)).toEqual({ ok: false, fields: { displayName: 'error.required', password: 'error.password.common' } });
    expect((await userOf(email))!.password_hash).toBeNull();
    expect(await findInvitation(db, token)).not.toBeNull();
  });

  it('refuses a link after seven days, and a link nobody made', async () => {
    const email = newAddress();
    await invite(email);
    await worker.runOnce();
    const token = tokenIn(linkTo(email));
    const later = new Date(Date.now() + 7 * 24 * 3600_000 + 60_000);
    expect(await findInvitation(db, token, later)).toBeNull();
    expect(await acceptInvitation(db, { token, displayName: 'Spät', password: PASSWORD }, ORIGIN, later)).toEqual({ ok: false, fields: { token: 'invitation.error.invalid' } });
    expect(await findInvitation(db, 'a'.repeat(32))).toBeNull();
    expect((await audit('invitation.link_refused')).length).toBeGreaterThanOrEqual(1);
  });
});

describe('guessing links', () => {
  it('is slowed per address after 20 wrong links in a quarter hour; a real link from elsewhere still works', async () => {
    const guesser = { ip: '198.51.100.77', baseUrl: ORIGIN.baseUrl };
    for (let i = 0; i < 20; i++) {
      expect(await acceptInvitation(db, { token: `guess${i}`, displayName: 'X', password: PASSWORD }, guesser)).toEqual({ ok: false, fields: { token: 'invitation.error.invalid' } });
    }
    await expect(acceptInvitation(db, { token: 'guess-21', displayName: 'X', password: PASSWORD }, guesser)).rejects.toBeInstanceOf(RateLimitedError);
    const email = newAddress();
    await invite(email);
    await worker.runOnce();
    expect(await acceptInvitation(db, { token: tokenIn(linkTo(email)), displayName: 'Echt', password: PASSWORD }, ORIGIN)).toMatchObject({ ok: true });
  });
});

describe('inviting an address that has an account', () => {
  it('adds the membership at once and tells the person, in their own language', async () => {
    const olena = await makePerson(db, { name: 'Olena', locale: 'uk' });
    expect(await invite(olena.email!, { role: 'coordinator', locale: 'de', displayName: 'ignored' }, admin)).toEqual({ ok: true, outcome: 'added', displayName: 'Olena' });
    expect((await listMemberships(db, olena.id)).map((m) => [m.organisationSlug, m.role])).toEqual([['stadtbibliothek', 'coordinator']]);
    expect(await invitationsOf(olena.id)).toEqual([]);
    await worker.runOnce();
    const mail = sent.find((m) => m.to === olena.email)!;
    const uk = catalogues.uk;
    expect(mail.subject).toBe(uk['membership.mail.subject'].replace('{organisation}', 'Stadtbibliothek'));
    expect(mail.text).toContain(uk['role.coordinator']);
    expect(mail.text).toContain('https://ankommen.example/uk/coordinate');
    expect((await userOf(olena.email!))!.display_name).toBe('Olena');
    expect((await audit('membership.added')).at(-1)).toMatchObject({ actor_user_id: admin.id, details: { userId: olena.id, role: 'coordinator' } });
  });

  it('refuses a role the person already holds there, and a second invitation while one waits', async () => {
    const olena = await userOf((await db.selectFrom('app_user').select('email').where('display_name', '=', 'Olena').executeTakeFirstOrThrow()).email!);
    expect(await invite(olena!.email!, { role: 'coordinator' })).toEqual({ ok: false, fields: { email: 'error.member.exists' } });
    const email = newAddress();
    await invite(email);
    expect(await invite(email)).toEqual({ ok: false, fields: { email: 'invitation.error.pending' } });
    expect(await invitationsOf((await userOf(email))!.id)).toHaveLength(1);
  });
});

describe('pending invitations', () => {
  it('are listed for the admin with their state', async () => {
    const email = newAddress();
    await invite(email, { displayName: 'Karl', role: 'coordinator' });
    const list = await listInvitations(db, admin, library.id);
    expect(list.find((i) => i.email === email)).toMatchObject({ displayName: 'Karl', role: 'coordinator', expired: false });
  });

  it('a resent invitation kills the old link at once, and the new mail carries a new one', async () => {
    const email = newAddress();
    await invite(email);
    await worker.runOnce();
    const first = tokenIn(linkTo(email));
    const [invitation] = await invitationsOf((await userOf(email))!.id);
    expect(await resendInvitation(db, admin, invitation!.id, ORIGIN)).toEqual({ email });
    expect(await findInvitation(db, first)).toBeNull();
    sent = [];
    await worker.runOnce();
    const second = tokenIn(linkTo(email));
    expect(second).not.toBe(first);
    expect(await acceptInvitation(db, { token: first, displayName: 'Alt', password: PASSWORD }, ORIGIN)).toMatchObject({ ok: false });
    expect(await acceptInvitation(db, { token: second, displayName: 'Neu', password: PASSWORD }, ORIGIN)).toMatchObject({ ok: true });
    expect((await audit('invitation.resent')).at(-1)).toMatchObject({ actor_user_id: admin.id, details: { invitationId: invitation!.id } });
  });

  it('sends only the newest mail when the first has not gone out yet', async () => {
    const email = newAddress();
    await invite(email);
    const [invitation] = await invitationsOf((await userOf(email))!.id);
    await resendInvitation(db, admin, invitation!.id, ORIGIN);
    await worker.runOnce();
    expect(sent.filter((m) => m.to === email)).toHaveLength(1);
  });

  it('withdrawing removes the invitation, its unsent mail and the unused account', async () => {
    const email = newAddress();
    await invite(email);
    const user = (await userOf(email))!;
    const [invitation] = await invitationsOf(user.id);
    expect(await withdrawInvitation(db, admin, invitation!.id, ORIGIN)).toEqual({ email });
    expect(await userOf(email)).toBeUndefined();
    expect(await db.selectFrom('outbox').select('id').where('recipient_email', '=', email).execute()).toEqual([]);
    await worker.runOnce();
    expect(sent.filter((m) => m.to === email)).toEqual([]);
    expect((await audit('invitation.withdrawn')).at(-1)).toMatchObject({ actor_user_id: admin.id, ip: ORIGIN.ip, details: { invitationId: invitation!.id, userId: user.id, accountRemoved: true } });
  });

  it('withdrawing after the mail went out kills its link; an account with other uses stays', async () => {
    const email = newAddress();
    await invite(email);
    await invite(email, { role: 'coordinator' });
    await worker.runOnce();
    const tokens = sent.filter((m) => m.to === email).map((m) => new URL(/https:\/\/\S+/.exec(m.text)![0]).searchParams.get('token')!);
    expect(tokens).toHaveLength(2);
    const user = (await userOf(email))!;
    const invitations = await invitationsOf(user.id);
    const organiserInvitation = invitations.find((i) => i.role === 'organiser')!;
    await withdrawInvitation(db, admin, organiserInvitation.id, ORIGIN);
    // The account still waits for the other invitation.
    expect(await userOf(email)).toBeDefined();
    const live = await Promise.all(tokens.map((t) => findInvitation(db, t)));
    expect(live.filter(Boolean)).toHaveLength(1);
    expect(live.find(Boolean)!.invitations.map((i) => i.role)).toEqual(['coordinator']);
  });

  it('removes the account with the last invitation withdrawn, whichever made it', async () => {
    const email = newAddress();
    await invite(email, { displayName: 'Vom Admin getippt' });
    await inviteMember(db, admin, { organisationId: club.id, email, role: 'organiser', displayName: '', locale: 'de' }, ORIGIN);
    const user = (await userOf(email))!;
    const [first, second] = (await invitationsOf(user.id)).sort((a, b) => a.id - b.id);
    await withdrawInvitation(db, admin, first!.id, ORIGIN);
    expect(await userOf(email)).toBeDefined();
    expect((await audit('invitation.withdrawn')).at(-1)).toMatchObject({ details: { invitationId: first!.id, accountRemoved: false } });
    await withdrawInvitation(db, admin, second!.id, ORIGIN);
    expect(await userOf(email)).toBeUndefined();
    expect((await audit('invitation.withdrawn')).at(-1)).toMatchObject({ details: { invitationId: second!.id, userId: user.id, accountRemoved: true } });
  });

  it.each([
    ['a password (set through "forgot password" meanwhile)', (userId: number) => db.updateTable('app_user').set({ password_hash: 'their-own' }).where('id', '=', userId).execute()],
    ['a membership', (userId: number) => db.insertInto('membership').values({ organisation_id: club.id, user_id: userId, role: 'coordinator' }).execute()],
  ])('never removes an account that has %s', async (_, give) => {
    const email = newAddress();
    await invite(email);
    const user = (await userOf(email))!;
    await give(user.id);
    const [invitation] = await invitationsOf(user.id);
    await withdrawInvitation(db, admin, invitation!.id, ORIGIN);
    expect(await userOf(email)).toBeDefined();
    expect(await invitationsOf(user.id)).toEqual([]);
  });

  it('kills the link of a mail already on its way when its invitation is withdrawn', async () => {
    const email = newAddress();
    await invite(email);
    await inviteMember(db, admin, { organisationId: club.id, email, role: 'coordinator', displayName: '', locale: 'de' }, ORIGIN);
    const user = (await userOf(email))!;
    const withdrawn = (await invitationsOf(user.id)).find((i) => i.organisation_id === library.id)!;
    // A sender has claimed both mails when the admin withdraws one invitation.
    expect((await claimDueMessages(db, 50)).filter((m) => m.recipientEmail === email)).toHaveLength(2);
    await withdrawInvitation(db, admin, withdrawn.id, ORIGIN);
    await db.updateTable('outbox').set({ locked_until: new Date(Date.now() - 1) }).where('recipient_email', '=', email).execute();
    await worker.runOnce();
    const tokens = sent.filter((m) => m.to === email).map((m) => tokenIn(new URL(/https:\/\/\S+/.exec(m.text)![0])));
    expect(tokens).toHaveLength(2);
    const live = await Promise.all(tokens.map((t) => findInvitation(db, t)));
    expect(live.filter(Boolean).map((v) => v!.invitations.map((i) => i.organisationName))).toEqual([['TuS Sport']]);
  });
});

describe('one mailbox, several invitations', () => {
  it('accepts every invitation waiting for the address with one link', async () => {
    const email = newAddress();
    await invite(email, { displayName: 'Ben' });
    await inviteMember(db, admin, { organisationId: club.id, email, role: 'organiser', displayName: '', locale: 'de' }, ORIGIN);
    await worker.runOnce();
    const mails = sent.filter((m) => m.to === email);
    expect(mails).toHaveLength(2);
    const [first, second] = mails.map((m) => new URL(/https:\/\/\S+/.exec(m.text)![0]).searchParams.get('token')!);
    expect((await findInvitation(db, first!))!.invitations.map((i) => i.organisationName)).toEqual(['Stadtbibliothek', 'TuS Sport']);
    const accepted = await acceptInvitation(db, { token: first!, displayName: 'Ben', password: PASSWORD }, ORIGIN);
    expect(accepted).toMatchObject({ ok: true, joined: [{ organisationName: 'Stadtbibliothek', role: 'organiser' }, { organisationName: 'TuS Sport', role: 'organiser' }] });
    expect(await findInvitation(db, second!)).toBeNull();
  });

  it('lets someone who set a password meanwhile ("forgot password") accept without choosing another', async () => {
    const email = newAddress();
    await invite(email);
    await worker.runOnce();
    const token = tokenIn(linkTo(email));
    const hash = 'kept-hash-of-their-own-password';
    await db.updateTable('app_user').set({ password_hash: hash }).where('email', '=', email).execute();
    expect(await findInvitation(db, token)).toMatchObject({ needsPassword: false });
    const accepted = await acceptInvitation(db, { token, displayName: '', password: '' }, ORIGIN);
    expect(accepted).toMatchObject({ ok: true, joined: [{ organisationName: 'Stadtbibliothek', role: 'organiser' }] });
    if (accepted.ok) expect(accepted.session).toBeUndefined();
    expect((await userOf(email))!.password_hash).toBe(hash);
  });
});

describe('only site admins', () => {
  it.each([
    ['nobody signed in', () => null],
    ['a resident', () => resident],
  ])('refuse %s everything, as if it did not exist, and change nothing', async (_, actor) => {
    const email = newAddress();
    await invite(email);
    const [invitation] = await invitationsOf((await userOf(email))!.id);
    const before = await db.selectFrom('invitation').selectAll().orderBy('id').execute();
    const users = await db.selectFrom('app_user').select('id').orderBy('id').execute();
    await expect(invite(newAddress(), {}, actor())).rejects.toBeInstanceOf(NotFoundError);
    await expect(listInvitations(db, actor(), library.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(resendInvitation(db, actor(), invitation!.id, ORIGIN)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawInvitation(db, actor(), invitation!.id, ORIGIN)).rejects.toBeInstanceOf(NotFoundError);
    expect(await db.selectFrom('invitation').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await db.selectFrom('app_user').select('id').orderBy('id').execute()).toEqual(users);
  });

  it('answer NotFoundError for an invitation or organisation that does not exist', async () => {
    await expect(resendInvitation(db, admin, 999_999, ORIGIN)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawInvitation(db, admin, 999_999, ORIGIN)).rejects.toBeInstanceOf(NotFoundError);
    await expect(inviteMember(db, admin, { organisationId: 999_999, email: newAddress(), role: 'organiser', displayName: '', locale: 'de' }, ORIGIN)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the migration that gives waiting invitation mails their link', () => {
  it('makes the link of a mail still to send and keeps it apart; drops a mail whose invitation is gone', async () => {
    const server = serverUrl ? await createServerDatabase(serverUrl) : null;
    const fresh = await openDatabase(server ? { url: server.url } : { dataDir: 'memory://' });
    try {
      const migrator = new Migrator({ db: fresh.db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
      expect((await migrator.migrateTo('20261207_1600_invitation_account_flag')).error).toBeUndefined();
      const old = fresh.db as unknown as Kysely<any>;
      const organisation = await old.insertInto('organisation').values({ slug: 'verein', name: 'Verein' }).returning('id').executeTakeFirstOrThrow();
      const user = await old.insertInto('app_user').values({ email: 'neu@example.org', password_hash: null, display_name: 'Neu', locale: 'de' }).returning('id').executeTakeFirstOrThrow();
      const invitation = await old
        .insertInto('invitation')
        .values({ organisation_id: organisation.id, user_id: user.id, role: 'organiser', token_hash: null, expires_at: new Date(Date.now() + 86_400_000) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const url = 'https://a.example/invitation';
      const mail = (status: string, invitationId: number) => ({
        kind: 'organisation_invitation',
        recipient_user_id: user.id,
        recipient_email: 'neu@example.org',
        locale: 'de',
        status,
        payload: JSON.stringify({ freshLink: 'invitation', invitationId, name: 'Neu', organisation: 'Verein', role: 'organiser', inviter: 'Petra', url }),
      });
      await old.insertInto('outbox').values([mail('sent', invitation.id), mail('pending', invitation.id), mail('pending', invitation.id + 1)]).execute();

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await old.selectFrom('outbox').select(['status', 'payload', 'secrets']).orderBy('id').execute();
      expect(rows.map((r) => r.status)).toEqual(['sent', 'pending']);
      const payload = { invitationId: invitation.id, name: 'Neu', organisation: 'Verein', role: 'organiser', inviter: 'Petra' };
      expect(rows[0]).toEqual({ status: 'sent', payload: { ...payload, url }, secrets: null });
      expect(rows[1]!.payload).toEqual(payload);
      const link = new URL(rows[1]!.secrets.url);
      expect(link.origin + link.pathname).toBe(url);
      expect(tokenIn(link).length).toBeGreaterThanOrEqual(27);
      expect(await findInvitation(fresh.db, tokenIn(link))).toMatchObject({ email: 'neu@example.org', invitations: [{ organisationName: 'Verein' }] });
    } finally {
      await fresh.close();
      await server?.drop();
    }
  });
});
