// A portal of its own for the one-tap answer tests (HTTP and browser): a small town written
// straight into a fresh database of the engine under test — activities starting in 20 hours,
// families who signed up a week ago, one on the waitlist, a volunteer — the day-before
// reminders written by the same code the server runs, then the built portal started on it,
// which sends them (to its log, read here). After the tests the portal stops and the database
// is opened again to see what rests in it.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/features/accounts/password.ts';
import { writeDueReminders } from '../../src/features/rsvps/reminders.ts';
import { createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { writeDueShiftReminders } from '../../src/features/volunteering/reminders.ts';
import { createRole, signUp } from '../../src/features/volunteering/volunteering.service.ts';
import { createServerDatabase } from './database.ts';
import { startPortal, type LoggedMail, type Portal } from './portal.ts';
import { roleForm, TOWN_ZONE } from './volunteering.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const ORGANISER = { email: 'olga@answers.example', password: 'Stühle stellen im Saal 2030', name: 'Olga Organiser' };

export interface AnswerTown {
  url: string;
  /** Mails the portal sent, as its log shows them. */
  mails(to: string): Promise<LoggedMail[]>;
  /** Waits until `to` has at least `count` mails (optionally about `subject`). */
  waitForMails(to: string, count?: number, subject?: string): Promise<LoggedMail[]>;
  people: Record<'guest' | 'waiting' | 'late' | 'volunteer' | 'arabic', { id: number; email: string; name: string; locale: Locale }>;
  activities: { cafe: number; started: number; fest: number };
  rsvps: { guest: number; waiting: number; late: number; arabic: number };
  signupId: number;
  /** Stops the portal and opens its database for a look (the embedded one serves one process). */
  stopAndOpen(): Promise<Kysely<Database>>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function parse(text: string): LoggedMail[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoggedMail);
}

/** The two answer links of a mail: "coming" first. */
export function answerLinksIn(mail: LoggedMail): { coming: URL; notComing: URL } {
  const links = (mail.text.match(/https?:\/\/\S+\/answer\/\S+/g) ?? []).map((link) => new URL(link));
  const coming = links.find((l) => l.pathname.endsWith('/coming'));
  const notComing = links.find((l) => l.pathname.endsWith('/not-coming'));
  if (!coming || !notComing) throw new Error(`no answer links in: ${mail.text}`);
  return { coming, notComing };
}

export async function startAnswerTown(): Promise<AnswerTown> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ankommen-answers-'));
  const mailFile = path.join(dir, 'mails.jsonl');
  await writeFile(mailFile, '');
  const serverDb = process.env.TEST_DATABASE_URL ? await createServerDatabase(process.env.TEST_DATABASE_URL) : null;
  const where = serverDb ? { url: serverDb.url } : { dataDir: path.join(dir, 'pglite') };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const context = { baseUrl: url };

  let handle: DatabaseHandle | null = await openDatabase(where);
  const db = handle.db;
  await migrateToLatest(db);
  const now = new Date();
  const startsAt = new Date(now.getTime() + 20 * HOUR);
  const weekBefore = new Date(startsAt.getTime() - 7 * DAY);

  const organisation = await db.insertInto('organisation').values({ slug: 'stellwerk', name: 'Stellwerk' }).returning('id').executeTakeFirstOrThrow();
  const organiser = await db
    .insertInto('app_user')
    .values({ email: ORGANISER.email, password_hash: await hashPassword(ORGANISER.password), display_name: ORGANISER.name, locale: 'de', email_verified_at: now })
    .returning(['id', 'email', 'display_name', 'locale', 'is_admin', 'email_verified_at'])
    .executeTakeFirstOrThrow();
  await db.insertInto('membership').values({ organisation_id: organisation.id, user_id: organiser.id, role: 'organiser' }).execute();

  const person = async (key: string, name: string, locale: Locale) => {
    const email = `${key}@answers.example`;
    const row = await db
      .insertInto('app_user')
      .values({ email, password_hash: 'not-a-real-hash', display_name: name, locale, email_verified_at: now })
      .returning(['id', 'email', 'display_name', 'locale', 'is_admin', 'email_verified_at'])
      .executeTakeFirstOrThrow();
    return { session: row, info: { id: row.id, email, name, locale } };
  };
  const guest = await person('guest', 'Amal Haddad', 'de');
  const waiting = await person('waiting', 'Olena Waiting', 'uk');
  const late = await person('late', 'Lars Late', 'de');
  const volunteer = await person('volunteer', 'Vera Volunteer', 'de');
  const arabic = await person('arabic', 'Samir Arabi', 'ar');

  const activity = async (title: string, capacity: number | null, translations: Record<string, { title: string; description: string }> = {}) =>
    (
      await db
        .insertInto('activity')
        .values({
          organisation_id: organisation.id,
          status: 'published',
          title,
          description: 'Deutsch sprechen bei Kaffee und Kuchen.',
          source_locale: 'de',
          translations: JSON.stringify(translations),
          category: 'language',
          starts_at: startsAt,
          ends_at: new Date(startsAt.getTime() + 2 * HOUR),
          place_name: 'Stellwerk',
          address: 'Lennestraße 12, 58762 Altena',
          capacity,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  // Three seats: the Haddads take them all, Olena's two wait; Samir (Arabic) has a place too.
  const cafe = await activity('Sprachcafé', 3);
  const fest = await activity('Nachbarschaftsfest', null, { ar: { title: 'حفلة الجيران', description: 'تعارف وطعام.' } });
  const started = await activity('Frühstück', null);
  const rsvp = async (who: typeof guest, activityId: number, partySize: number, at: Date) => {
    const result = await createRsvp(db, who.session, { activityId, partySize, note: '' }, context, at);
    if (!result.ok) throw new Error(`RSVP refused: ${JSON.stringify(result.refusal)}`);
    return result.rsvpId;
  };
  const guestRsvp = await rsvp(guest, cafe, 3, weekBefore);
  const waitingRsvp = await rsvp(waiting, cafe, 2, new Date(weekBefore.getTime() + HOUR));
  const arabicRsvp = await rsvp(arabic, fest, 4, weekBefore);
  const lateRsvp = await rsvp(late, started, 1, weekBefore);
  const role = await createRole(db, organiser, roleForm(fest, { name: 'Aufbau', peopleNeeded: 2 }), TOWN_ZONE, weekBefore);
  if (!role.ok) throw new Error('role refused');
  const signed = await signUp(db, volunteer.session, role.roleIds[0]!, context, weekBefore);
  if (!signed.ok) throw new Error('sign-up refused');

  // The day-before reminders, as the server writes them.
  await writeDueReminders(db, context, now);
  await writeDueShiftReminders(db, context, now);
  // The breakfast began an hour ago (it was moved earlier after the reminder went out).
  await db.updateTable('activity').set({ starts_at: new Date(now.getTime() - HOUR), ends_at: new Date(now.getTime() + HOUR), revision: 2 }).where('id', '=', started).execute();
  await handle.close();
  handle = null;

  const env: Record<string, string> = {
    ...(serverDb ? { DATABASE_URL: serverDb.url } : { DATA_DIR: where.dataDir! }),
    PORT: String(port),
    PUBLIC_URL: url,
    DEMO_TOWN: 'off',
    TRUST_PROXY: 'true',
  };
  let portal: Portal | null = await startPortal(env, { mailFile });

  const mails = async (to: string) => parse(await readFile(mailFile, 'utf8')).filter((m) => m.to === to);
  const town: AnswerTown = {
    url,
    mails,
    async waitForMails(to, count = 1, subject) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const found = (await mails(to)).filter((m) => !subject || m.subject.includes(subject));
        if (found.length >= count || Date.now() > deadline) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    people: { guest: guest.info, waiting: waiting.info, late: late.info, volunteer: volunteer.info, arabic: arabic.info },
    activities: { cafe, started, fest },
    rsvps: { guest: guestRsvp, waiting: waitingRsvp, late: lateRsvp, arabic: arabicRsvp },
    signupId: signed.signupId,
    async stopAndOpen() {
      if (portal) {
        const code = await portal.stop('SIGTERM');
        if (code !== 0) throw new Error(`the portal exited with ${code}:\n${portal.output().slice(-3000)}`);
        portal = null;
      }
      handle ??= await openDatabase(where);
      return handle.db;
    },
    async close() {
      await portal?.stop('SIGTERM');
      await handle?.close();
      await serverDb?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return town;
}
