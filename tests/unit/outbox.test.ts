// The outbox: no mail for a rolled-back change, each due mail claimed once, retries with back-off, delivery in the reader's language.
import { describe, it, expect, beforeAll, beforeEach, afterAll, afterEach } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { catalogues } from '../../src/i18n/index.ts';
import {
  backoffMs, claimDueMessages, CLAIM_TIMEOUT_MS, enqueueMessage, markFailed, MAX_ATTEMPTS,
} from '../../src/features/outbox/outbox.ts';
import { startOutboxWorker, type Mail, type OutboxWorker } from '../../src/features/outbox/worker.ts';

/** Enqueued rows are made due at T0, a fixed instant in the past, so claims at T0 + x are exact. */
const T0 = new Date('2026-01-05T08:00:00Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

let handle: DatabaseHandle, db: Kysely<Database>;
let people = 0;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());
beforeEach(async () => {
  await db.deleteFrom('outbox').execute();
});

async function person(locale: Locale, name = 'Amal'): Promise<{ id: number; email: string }> {
  const email = `person-${++people}@example.org`;
  return db
    .insertInto('app_user')
    .values({ email, password_hash: 'not-used', display_name: name, locale })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow() as Promise<{ id: number; email: string }>;
}

async function enqueue(recipient: { id: number; email: string } | null, locale: Locale = 'de', executor: Kysely<Database> = db): Promise<number> {
  const id = await enqueueMessage(executor, {
    kind: 'confirm_email',
    recipientUserId: recipient?.id ?? null,
    recipientEmail: recipient?.email ?? 'guest@example.org',
    locale,
    payload: { name: 'Amal', url: `https://ankommen.example/confirm-email?token=t${people}` },
  });
  if (id === null) throw new Error('an address was given, so a message must be queued');
  await executor.updateTable('outbox').set({ next_attempt_at: T0 }).where('id', '=', id).execute();
  return id;
}

const row = (id: number) => db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const ids = (messages: Array<{ id: number }>) => messages.map((m) => m.id);

describe('enqueueMessage', () => {
  it('writes nothing when the surrounding change is rolled back', async () => {
    const failed = db.transaction().execute(async (trx) => {
      await enqueue(null, 'de', trx);
      throw new Error('change refused');
    });
    await expect(failed).rejects.toThrow('change refused');
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);
    await db.transaction().execute((trx) => enqueue(null, 'de', trx));
    expect(await db.selectFrom('outbox').select('id').execute()).toHaveLength(1);
  });
});

describe('claimDueMessages', () => {
  it('claims due messages oldest first, once, and leaves future ones', async () => {
    const [a, b, c] = [await enqueue(null), await enqueue(null), await enqueue(null)];
    const later = await enqueue(null);
    await db.updateTable('outbox').set({ next_attempt_at: at(60 * MINUTE) }).where('id', '=', later).execute();
    expect(ids(await claimDueMessages(db, 2, T0))).toEqual([a, b]);
    expect(ids(await claimDueMessages(db, 10, T0))).toEqual([c]);
    expect(await claimDueMessages(db, 10, T0)).toEqual([]);
    for (const id of [a, b, c]) {
      expect(await row(id)).toMatchObject({ status: 'sending', attempts: 1, locked_until: at(CLAIM_TIMEOUT_MS) });
    }
    expect(await row(later)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('never hands the same message to two claims running at once', async () => {
    const enqueued: number[] = [];
    for (let i = 0; i < 12; i++) enqueued.push(await enqueue(null));
    const batches = await Promise.all([1, 2, 3, 4].map(() => claimDueMessages(db, 4, T0)));
    const claimed = batches.flatMap(ids);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect([...claimed].sort((x, y) => x - y)).toEqual(enqueued);
    const rows = await db.selectFrom('outbox').select('attempts').execute();
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });

  it('takes up a message again when its sender never reported back', async () => {
    const id = await enqueue(null);
    expect(ids(await claimDueMessages(db, 10, T0))).toEqual([id]);
    expect(await claimDueMessages(db, 10, at(4 * MINUTE))).toEqual([]);
    const [again] = await claimDueMessages(db, 10, at(6 * MINUTE));
    expect(again).toMatchObject({ id, attempts: 2 });
  });

  it("uses the recipient's current language, and the stored one for a guest", async () => {
    const amal = await person('de');
    const forAmal = await enqueue(amal, 'de');
    const forGuest = await enqueue(null, 'tr');
    await db.updateTable('app_user').set({ locale: 'ar' }).where('id', '=', amal.id).execute();
    const claimed = await claimDueMessages(db, 10, T0);
    expect(claimed.map((m) => [m.id, m.locale])).toEqual([[forAmal, 'ar'], [forGuest, 'tr']]);
  });
});

describe('markFailed', () => {
  it('waits 30 s, then 1 min, … capped at 6 h', () => {
    expect([1, 2, 3].map(backoffMs)).toEqual([30_000, 60_000, 120_000]);
    expect(backoffMs(20)).toBe(6 * 60 * MINUTE);
  });

  it('schedules the retry after the back-off, not before', async () => {
    const id = await enqueue(null);
    const [message] = await claimDueMessages(db, 10, T0);
    expect(await markFailed(db, message!, '451 try again later', T0)).toBe('retry');
    expect(await row(id)).toMatchObject({ status: 'pending', last_error: '451 try again later', locked_until: null });
    expect(await claimDueMessages(db, 10, at(backoffMs(1) - 1))).toEqual([]);
    expect(await claimDueMessages(db, 10, at(backoffMs(1)))).toMatchObject([{ id, attempts: 2 }]);
  });

  it(`sets a message aside after ${MAX_ATTEMPTS} attempts and never claims it again`, async () => {
    const id = await enqueue(null);
    let now = T0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [message] = await claimDueMessages(db, 10, now);
      expect(message).toMatchObject({ id, attempts: attempt });
      expect(await markFailed(db, message!, `failure ${attempt}`, now)).toBe(attempt < MAX_ATTEMPTS ? 'retry' : 'dead');
      now = new Date(now.getTime() + backoffMs(attempt));
    }
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, last_error: `failure ${MAX_ATTEMPTS}` });
    expect(await claimDueMessages(db, 10, at(365 * 24 * 60 * MINUTE))).toEqual([]);
  });
});

describe('startOutboxWorker', () => {
  let worker: OutboxWorker | undefined;
  let sent: Mail[];
  let failWith: string | null;
  const transport = {
    async send(mail: Mail) {
      if (failWith) throw new Error(failWith);
      sent.push(mail);
    },
  };

  beforeEach(() => {
    sent = [];
    failWith = null;
    worker = startOutboxWorker(db, { transport, townName: 'Altena', timeZone: 'Europe/Berlin', host: 'ankommen.example', intervalMs: 60_000 });
  });

  it("delivers confirmation mails in each recipient's language", async () => {
    const german = await person('de', 'Jonas');
    const arabic = await person('ar', 'Amal');
    const forGerman = await enqueue(german, 'de');
    const forArabic = await enqueue(arabic, 'ar');
    const links = new Map([forGerman, forArabic].map((id) => [id, '']));
    for (const id of links.keys()) links.set(id, String((await row(id)).secrets?.url));
    expect(await worker!.runOnce()).toBe(2);
    expect(sent.map((m) => m.to)).toEqual([german.email, arabic.email]);
    const [de, ar] = sent as [Mail, Mail];
    expect(de.subject).toBe(catalogues.de['email.confirm.subject']);
    expect(de.text).toContain(catalogues.de['email.confirm.body']);
    expect(ar.subject).toBe(catalogues.ar['email.confirm.subject']);
    expect(ar.text).toContain(catalogues.ar['email.confirm.body']);
    expect(ar.text).not.toContain(catalogues.de['email.confirm.body']);
    for (const [mail, id] of [[de, forGerman], [ar, forArabic]] as const) {
      expect(mail.text).toContain(links.get(id)!);
      // The link carried a secret (?token=…): once sent, the database keeps it nowhere.
      expect(JSON.stringify(await row(id))).not.toContain('token=');
      expect(mail.text).toContain('Altena');
      expect(mail.messageId).toBe(`<outbox-${id}@ankommen.example>`);
      expect(await row(id)).toMatchObject({ status: 'sent', locked_until: null, secrets: null });
    }
    expect(await worker!.runOnce()).toBe(0);
    expect(sent).toHaveLength(2);
  });

  it('keeps the link of a sent mail that carries no secret (a link to an activity)', async () => {
    const recipient = await person('de');
    const id = await enqueueMessage(db, {
      kind: 'rsvp_going',
      recipientUserId: recipient.id,
      recipientEmail: recipient.email,
      locale: 'de',
      payload: { name: 'Amal', url: 'https://ankommen.example/activities/7', activityTitle: 'Sprachcafé', startsAt: T0.toISOString(), endsAt: at(3_600_000).toISOString(), partySize: 1 },
    });
    await db.updateTable('outbox').set({ next_attempt_at: T0 }).where('id', '=', id!).execute();
    expect(await worker!.runOnce()).toBe(1);
    expect((await row(id!)).payload.url).toBe('https://ankommen.example/activities/7');
  });

  it('keeps a message whose sending failed, and resends it under the same Message-ID', async () => {
    const id = await enqueue(await person('de'));
    failWith = 'connect ECONNREFUSED 127.0.0.1:25';
    expect(await worker!.runOnce()).toBe(0);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, last_error: failWith, sent_at: null });
    failWith = null;
    await db.updateTable('outbox').set({ next_attempt_at: T0 }).where('id', '=', id).execute();
    expect(await worker!.runOnce()).toBe(1);
    expect(sent.map((m) => m.messageId)).toEqual([`<outbox-${id}@ankommen.example>`]);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('stops', async () => {
    await expect(worker!.stop()).resolves.toBeUndefined();
    worker = undefined;
  });

  afterEach(async () => {
    await worker?.stop();
  });
});
