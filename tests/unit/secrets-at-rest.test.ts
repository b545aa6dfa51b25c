// No secret that works rests in the database in clear: after a confirmation mail, a reset mail,
// an invitation, a claim code and a personal calendar address were made (and the mails sent),
// every text and JSON value of every table is read, and none holds a link token, a code or a
// calendar token that still works. The mails themselves still carry their links, also on a retry.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import { confirmEmail, requestPasswordReset, resetPassword, signUp } from '../../src/features/accounts/accounts.service.ts';
import { createCalendarToken, lookUpCalendarToken } from '../../src/features/feeds/personal-feed.ts';
import { isLiveClaimCode } from '../../src/features/mentoring/mentoring.service.ts';
import { findInvitation, inviteMember } from '../../src/features/organisations/invitations.service.ts';
import { createOrganisation } from '../../src/features/organisations/organisations.service.ts';
import { claimDueMessages, MAX_ATTEMPTS } from '../../src/features/outbox/outbox.ts';
import { applyRetention } from '../../src/features/privacy/retention.ts';
import { DEFAULT_RETENTION } from '../../src/features/privacy/retention-periods.ts';
import { startOutboxWorker, type Mail, type OutboxWorker } from '../../src/features/outbox/worker.ts';
import { createServerDatabase, createTestDatabase, serverUrl } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { lookUpAnswerToken } from '../../src/features/answers/answer-links.ts';
import { writeDueReminders } from '../../src/features/rsvps/reminders.ts';
import { createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { makeCoordinator, registerPerson } from '../helpers/mentoring.ts';

let handle: DatabaseHandle, db: Kysely<Database>;
let sent: Mail[];
let failWith: string | null;
let worker: OutboxWorker;
let ips = 0;
const origin = () => ({ ip: `203.0.113.${++ips}`, baseUrl: 'https://ankommen.example' });

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  worker = startOutboxWorker(db, {
    transport: {
      async send(mail) {
        if (failWith) throw new Error(failWith);
        sent.push(mail);
      },
    },
    townName: 'Altena',
    timeZone: 'Europe/Berlin',
    host: 'ankommen.example',
    intervalMs: 3_600_000,
  });
});
afterAll(async () => {
  await worker?.stop();
  await handle?.close();
});
beforeEach(() => {
  sent = [];
  failWith = null;
});

/** Every text, varchar, json and jsonb value of every table of ours, as text. */
async function everyStoredText(): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`.execute(db);
  expect(columns.rows.map((c) => c.table_name)).toContain('outbox');
  const values: string[] = [];
  for (const { table_name, column_name } of columns.rows) {
    const rows = await sql<{ v: string | null }>`select ${sql.ref(column_name)}::text as v from ${sql.table(table_name)}`.execute(db);
    for (const row of rows.rows) if (row.v !== null) values.push(row.v);
  }
  return values;
}

async function expectNowhereInTheDatabase(secrets: string[]): Promise<void> {
  const stored = await everyStoredText();
  for (const secret of secrets) {
    const forms = [secret, encodeURIComponent(secret)];
    const found = stored.filter((value) => forms.some((form) => value.includes(form)));
    expect(found, `a secret rests in the database: ${secret}`).toEqual([]);
  }
}

function tokenIn(mail: Mail): string {
  const link = /https:\/\/\S+/.exec(mail.text)?.[0];
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error(`no link with a token in: ${mail.text}`);
  return token;
}

describe('secrets at rest', () => {
  it('leaves no working link, invitation, claim code or calendar token in any table once the mails are sent', async () => {
    const email = `secret-${Date.now()}@example.org`;
    const signedUp = await signUp(db, { email, password: 'ein langes Passwort', displayName: 'Amal', locale: 'ar' }, origin());
    expect(signedUp.ok).toBe(true);
    await requestPasswordReset(db, email, origin());
    const registered = await registerPerson(
      db,
      await makeCoordinator(db),
      { name: 'Oksana', locale: 'uk', topics: ['german'], languages: ['uk'], note: '', contactPreference: 'coordinator', contactDetail: '' },
      origin(),
    );
    const calendarOwner = await makePerson(db);
    const calendarToken = await createCalendarToken(db, calendarOwner.id, null);
    const admin = { ...(await makePerson(db)), is_admin: true };
    const made = await createOrganisation(db, admin, { name: 'Stadtbibliothek', slug: 'stadtbibliothek', description: '' });
    if (!made.ok) throw new Error('slug taken');
    const invitee = `invitee-${Date.now()}@example.org`;
    const invited = await inviteMember(db, admin, { organisationId: made.organisation.id, email: invitee, role: 'organiser', displayName: 'Samira', locale: 'ar' }, origin());
    expect(invited).toMatchObject({ ok: true, outcome: 'invited' });

    expect(await worker.runOnce()).toBe(3);
    const [confirmation, reset, invitation] = sent as [Mail, Mail, Mail];
    expect(invitation.to).toBe(invitee);
    const confirmToken = tokenIn(confirmation);
    const resetToken = tokenIn(reset);
    const invitationToken = tokenIn(invitation);

    await expectNowhereInTheDatabase([confirmToken, resetToken, invitationToken, registered.code, calendarToken]);

    // Each of them still works: it is a working secret that must not be there.
    expect(await isLiveClaimCode(db, registered.personId, registered.code)).toBe(true);
    expect(await findInvitation(db, invitationToken)).toMatchObject({ email: invitee });
    expect((await lookUpCalendarToken(db, calendarToken, '203.0.113.250')).kind).toBe('found');
    expect(await confirmEmail(db, confirmToken)).toMatchObject({ ok: true, userId: signedUp.ok ? signedUp.userId : -1 });
    expect((await resetPassword(db, { token: resetToken, password: 'noch ein langes Passwort' }, origin())).ok).toBe(true);
  });

  it('leaves no working one-tap answer link of a reminder in any table once it is sent', async () => {
    const baseUrl = 'https://ankommen.example';
    const startsAt = new Date(Date.now() + 20 * 3600_000);
    const activityId = await makeActivity(db, await makeOrganisation(db), { startsAt, title: 'Erinnerungscafé' });
    const guest = await makePerson(db);
    await createRsvp(db, guest, { activityId, partySize: 1, note: '' }, { baseUrl }, new Date(startsAt.getTime() - 7 * 86_400_000));
    expect(await writeDueReminders(db, { baseUrl })).toBe(1);
    // The RSVP's confirmation and the reminder.
    expect(await worker.runOnce()).toBe(2);
    const reminder = sent.find((mail) => mail.subject.startsWith('Erinnerung'));
    const links = reminder!.text.match(/https:\/\/\S+\/answer\/\S+/g) ?? [];
    expect(links).toHaveLength(2);
    const token = new URL(links[0]!).pathname.split('/').at(-2)!;
    await expectNowhereInTheDatabase([token]);
    expect((await lookUpAnswerToken(db, token, '203.0.113.251')).kind).toBe('found');
  });

  it('keeps the link while a mail waits for a retry, and a crash between sending and marking it sent, then removes it', async () => {
    const email = `retry-${Date.now()}@example.org`;
    await signUp(db, { email, password: 'ein langes Passwort', displayName: 'Jonas', locale: 'de' }, origin());
    const id = (await db.selectFrom('outbox').select('id').where('recipient_email', '=', email).executeTakeFirstOrThrow()).id;

    failWith = '421 try again later';
    expect(await worker.runOnce()).toBe(0);
    failWith = null;
    await db.updateTable('outbox').set({ next_attempt_at: new Date(0) }).where('id', '=', id).execute();
    // A sender claims it and dies before it can mark it sent: the claim times out and it is
    // sent again, with its link.
    const [claimed] = await claimDueMessages(db, 10);
    expect(claimed?.id).toBe(id);
    await db.updateTable('outbox').set({ locked_until: new Date(Date.now() - 1) }).where('id', '=', id).execute();
    expect(await worker.runOnce()).toBe(1);
    const token = tokenIn(sent[0]!);
    await expectNowhereInTheDatabase([token]);
    expect(await confirmEmail(db, token)).toMatchObject({ ok: true });
  });

  it('removes the link from a mail set aside after its last attempt', async () => {
    const email = `dead-${Date.now()}@example.org`;
    await signUp(db, { email, password: 'ein langes Passwort', displayName: 'Jonas', locale: 'de' }, origin());
    const id = (await db.selectFrom('outbox').select('id').where('recipient_email', '=', email).executeTakeFirstOrThrow()).id;
    // While it waits to be sent, the mail holds its link (wherever in the row).
    const waiting = await sql<{ row: string }>`select o::text as row from outbox o where id = ${id}`.execute(db);
    const token = /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(waiting.rows[0]!.row)?.[1];
    expect(token, 'a mail waiting to be sent holds its link').toBeDefined();

    failWith = '550 mailbox unavailable';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await db.updateTable('outbox').set({ next_attempt_at: new Date(0) }).where('id', '=', id).execute();
      await worker.runOnce();
    }
    expect((await db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('dead');
    await expectNowhereInTheDatabase([token!]);
  });

  it('keeps sent mails and mails set aside for their retention period, then deletes them', async () => {
    await db.deleteFrom('outbox').execute();
    const person = await makePerson(db);
    const now = new Date('2027-03-01T12:00:00Z');
    const row = (status: 'sent' | 'dead' | 'pending', ageMs: number) => ({
      kind: 'rsvp_going',
      recipient_user_id: person.id,
      recipient_email: person.email!,
      locale: 'de' as const,
      payload: JSON.stringify({ name: 'Amal' }),
      status,
      created_at: new Date(now.getTime() - ageMs),
      sent_at: status === 'sent' ? new Date(now.getTime() - ageMs) : null,
      next_attempt_at: new Date(now.getTime() - ageMs),
    });
    const day = 86_400_000;
    const period = DEFAULT_RETENTION.sentMessageDays * day;
    await db
      .insertInto('outbox')
      .values([row('sent', period - day), row('sent', period + day), row('dead', period - day), row('dead', period + day), row('pending', period + day)])
      .execute();
    const counts = await applyRetention(db, { now, baseUrl: 'https://ankommen.example', only: ['sent_messages'] });
    expect(counts.sent_messages).toBe(2);
    const left = await db.selectFrom('outbox').select(['status', 'created_at']).orderBy('id').execute();
    expect(left.map((r) => r.status)).toEqual(['sent', 'dead', 'pending']);
  });
});

describe('the migration that moved secrets out of the payload', () => {
  it('takes the link out of mails already sent or set aside, and keeps it apart for those still to send', async () => {
    const server = serverUrl ? await createServerDatabase(serverUrl) : null;
    const fresh = await openDatabase(server ? { url: server.url } : { dataDir: 'memory://' });
    try {
      const migrator = new Migrator({ db: fresh.db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
      expect((await migrator.migrateTo('20261126_1700_content_notify')).error).toBeUndefined();
      const old = fresh.db as unknown as Kysely<any>;
      const mail = (kind: string, status: string, url: string) => ({ kind, recipient_email: 'a@example.org', locale: 'de', status, payload: JSON.stringify({ name: 'Amal', url }) });
      await old
        .insertInto('outbox')
        .values([
          mail('reset_password', 'sent', 'https://a.example/reset-password?token=sentsecret'),
          mail('confirm_email', 'dead', 'https://a.example/confirm-email?token=deadsecret'),
          mail('confirm_email', 'pending', 'https://a.example/confirm-email?token=pendingsecret'),
          mail('rsvp_going', 'sent', 'https://a.example/activities/7'),
        ])
        .execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await old.selectFrom('outbox').select(['kind', 'status', 'payload', 'secrets']).orderBy('id').execute();
      expect(rows).toEqual([
        { kind: 'reset_password', status: 'sent', payload: { name: 'Amal' }, secrets: null },
        { kind: 'confirm_email', status: 'dead', payload: { name: 'Amal' }, secrets: null },
        { kind: 'confirm_email', status: 'pending', payload: { name: 'Amal' }, secrets: { url: 'https://a.example/confirm-email?token=pendingsecret' } },
        { kind: 'rsvp_going', status: 'sent', payload: { name: 'Amal', url: 'https://a.example/activities/7' }, secrets: null },
      ]);
    } finally {
      await fresh.close();
      await server?.drop();
    }
  });
});
