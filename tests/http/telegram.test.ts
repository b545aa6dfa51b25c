// Telegram over HTTP, with the built portal as its own process and a local server speaking the
// Bot API in Telegram's place (TELEGRAM_API_ROOT), so that grammY's real client runs: linking
// from the account page and "/start" in the chat (long polling), a reminder delivered with its
// buttons, a press cancelling the place (and the waitlist moving up), someone else's RSVP "not
// found", unlinking from the page and from the chat, a chat that blocked the bot set aside and
// unlinked; then a portal in webhook mode that refuses posts without the secret. The shared
// portal of the other HTTP tests has no bot: there the page does not exist.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Locale } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/features/accounts/password.ts';
import { translator } from '../../src/i18n/index.ts';
import { BOT_TOKEN, BOT_USERNAME, FakeBotApi } from '../helpers/bot-api.ts';
import { createServerDatabase } from '../helpers/database.ts';
import { startPortal, type LoggedMail } from '../helpers/portal.ts';
import { as, page, stripTags, Visitor } from '../helpers/visitor.ts';

/** A visitor of the portal this file starts (the helper's visits the shared one). */
class PortalVisitor extends Visitor {
  override readonly baseUrl: string;
  constructor(baseUrl: string) {
    super();
    this.baseUrl = baseUrl;
  }
}

const PASSWORD = 'Telegram auf dem Handy 2026';
const CHAT = { linker: 1001, reminded: 2002, blocked: 3003, other: 4004 } as const;
const SECRET = 'webhook-secret-0123456789abcdefghijklmnopqrstuvwxyz';

interface Person {
  id: number;
  email: string;
  locale: Locale;
}

/** A portal with a bot, on a fresh database of the engine under test, with what the tests need
 * written before it starts (the embedded database serves one process). */
async function startBotPortal(api: FakeBotApi, extraEnv: Record<string, string>, prepare: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<void>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ankommen-telegram-'));
  const mailFile = path.join(dir, 'mails.jsonl');
  await writeFile(mailFile, '');
  const serverDb = process.env.TEST_DATABASE_URL ? await createServerDatabase(process.env.TEST_DATABASE_URL) : null;
  const dbEnv: Record<string, string> = serverDb ? { DATABASE_URL: serverDb.url } : { DATA_DIR: path.join(dir, 'pglite') };
  const handle = await openDatabase({ url: dbEnv.DATABASE_URL, dataDir: dbEnv.DATA_DIR });
  await migrateToLatest(handle.db);
  await prepare(handle.db);
  await handle.close();
  const portal = await startPortal(
    { ...dbEnv, DEMO_TOWN: 'off', TRUST_PROXY: 'true', TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: api.url, ...extraEnv },
    { mailFile },
  );
  return {
    portal,
    mails: async (to: string): Promise<LoggedMail[]> =>
      (await readFile(mailFile, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LoggedMail)
        .filter((m) => m.to === to),
    async close() {
      const code = await portal.stop('SIGTERM');
      await serverDb?.drop();
      await rm(dir, { recursive: true, force: true });
      return code;
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a portal with a Telegram bot (long polling)', () => {
  const api = new FakeBotApi();
  let running: Awaited<ReturnType<typeof startBotPortal>>;
  const people: Record<'linker' | 'reminded' | 'waiting' | 'blocked', Person> = {} as never;
  const rsvps: { reminded: number; waiting: number } = { reminded: 0, waiting: 0 };
  let activityId = 0;

  beforeAll(async () => {
    await api.start();
    // The chat of `blocked` has blocked the bot: Telegram answers 403 to every message.
    api.refuseChat(CHAT.blocked);
    running = await startBotPortal(api, {}, async (db) => {
      const hash = await hashPassword(PASSWORD);
      for (const [key, locale] of [['linker', 'uk'], ['reminded', 'ar'], ['waiting', 'de'], ['blocked', 'de']] as const) {
        const email = `${key}@telegram.test`;
        const row = await db.insertInto('app_user').values({ email, password_hash: hash, display_name: key, locale, email_verified_at: new Date() }).returning('id').executeTakeFirstOrThrow();
        people[key] = { id: row.id, email, locale };
      }
      // Linked before: the reminded person's chat and the one that blocked the bot since.
      await db.insertInto('telegram_chat').values([{ user_id: people.reminded.id, chat_id: String(CHAT.reminded) }, { user_id: people.blocked.id, chat_id: String(CHAT.blocked) }]).execute();
      const organisation = await db.insertInto('organisation').values({ slug: 'stellwerk', name: 'Stellwerk' }).returning('id').executeTakeFirstOrThrow();
      const startsAt = new Date(Date.now() + 3 * 24 * 3600_000);
      const activity = await db
        .insertInto('activity')
        .values({ organisation_id: organisation.id, status: 'published', title: 'Sprachcafé', description: 'Deutsch sprechen.', source_locale: 'de', category: 'language', starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 2 * 3600_000), place_name: 'Stellwerk', capacity: 2 })
        .returning('id')
        .executeTakeFirstOrThrow();
      activityId = activity.id;
      rsvps.reminded = (await db.insertInto('rsvp').values({ activity_id: activity.id, user_id: people.reminded.id, party_size: 2, status: 'going' }).returning('id').executeTakeFirstOrThrow()).id;
      rsvps.waiting = (await db.insertInto('rsvp').values({ activity_id: activity.id, user_id: people.waiting.id, party_size: 1, status: 'waitlisted' }).returning('id').executeTakeFirstOrThrow()).id;
      // The reminder the day before, routed to Telegram, with the RSVP it answers; and a message
      // for the chat that blocked the bot.
      const payload = { name: 'Amal', activityTitle: 'Sprachcafé', activityTranslations: {}, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(), place: 'Stellwerk', url: `http://portal.test/activities/${activity.id}`, partySize: 2 };
      await db
        .insertInto('outbox')
        .values([
          { kind: 'rsvp_reminder', recipient_user_id: people.reminded.id, recipient_email: null, channel: 'telegram', locale: 'ar', payload: JSON.stringify({ ...payload, rsvpId: rsvps.reminded }) },
          { kind: 'rsvp_going', recipient_user_id: people.blocked.id, recipient_email: null, channel: 'telegram', locale: 'de', payload: JSON.stringify(payload) },
        ])
        .execute();
    });
  });
  afterAll(async () => {
    // SIGTERM stops the long poll in the drain: the portal still exits cleanly.
    if (running) expect(await running.close()).toBe(0);
    await api.stop();
  });

  const visitor = async (who: keyof typeof people) => {
    const v = new PortalVisitor(running.portal.url);
    await v.signIn(people[who].email, PASSWORD);
    return v;
  };

  it('learns its name from Telegram at start and offers the page from the account page', async () => {
    expect(api.callsOf('getMe').length).toBeGreaterThanOrEqual(1);
    expect(api.callsOf('setMyCommands').map((c) => c.params.language_code ?? null).sort()).toEqual([null, 'ar', 'de', 'en', 'fa', 'tr', 'uk'].sort());
    const linker = await visitor('linker');
    expect((await page(linker, '/account')).html).toContain('href="/account/telegram"');
    const signedOut = await new PortalVisitor(running.portal.url).get('/account/telegram');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/account/telegram')}`);
  });

  it('links from the page: the code is made by a post, shown as a deep link and a QR code, and "/start" in the chat links it', async () => {
    const linker = await visitor('linker');
    const before = await page(linker, '/uk/account/telegram');
    expect(before.status).toBe(200);
    expect(before.html).not.toContain('https://t.me/');
    // Looking again changes nothing: still no code.
    expect((await page(linker, '/uk/account/telegram')).html).not.toContain('https://t.me/');

    const made = await linker.submit('/uk/account/telegram', 'telegram.createLinkCode', {});
    expect(made.posted.status).toBe(303);
    expect(made.status).toBe(200);
    const link = /href="(https:\/\/t\.me\/[^"]+)"/.exec(made.html)?.[1]?.replaceAll('&amp;', '&');
    expect(link).toMatch(new RegExp(`^https://t\\.me/${BOT_USERNAME}\\?start=[a-z2-7]{32}$`));
    expect(made.html).toMatch(/<div class="telegram-qr__code" role="img" aria-label="[^"]+"><svg aria-hidden="true"/);
    expect(stripTags(made.html)).toContain(translator('uk')('telegram.code.keepPrivate'));
    // A reload shows the same link (the code stays the one made).
    expect((await page(linker, '/uk/account/telegram')).html).toContain(link!);

    const code = new URL(link!).searchParams.get('start')!;
    api.queue(api.textUpdate(CHAT.linker, `/start ${code}`, 'en'));
    const reply = await api.waitForCall('sendMessage', (p) => p.chat_id === CHAT.linker);
    const uk = translator('uk');
    expect(reply.params.text).toBe(`${uk('telegram.bot.linked', { name: 'linker', town: 'Altena' })}\n\n${uk('telegram.bot.chooseTopics', { url: `${running.portal.url}/uk/account/notifications` })}`);

    const linked = await page(linker, '/uk/account/telegram');
    expect(linked.text).toContain(translator('uk')('telegram.linked.just'));
    expect(linked.text).toContain(translator('uk')('telegram.linked.title'));
    expect(linked.html).not.toContain('https://t.me/');
    // Once said, "just linked" is not said again.
    expect((await page(linker, '/uk/account/telegram')).text).not.toContain(translator('uk')('telegram.linked.just'));

    // The same code once more, from another chat: used up.
    api.queue(api.textUpdate(CHAT.other, `/start ${code}`, 'de'));
    const refused = await api.waitForCall('sendMessage', (p) => p.chat_id === CHAT.other);
    expect(refused.params.text).toBe(translator('de')('telegram.bot.codeUnknown', { url: `${running.portal.url}/account/telegram` }));
  });

  it('delivers a reminder with the buttons, in the person’s language', async () => {
    const [message] = await api.waitForMessages(CHAT.reminded);
    const ar = translator('ar');
    expect(message!.text.startsWith(ar('email.reminder.subject', { title: 'Sprachcafé' }))).toBe(true);
    expect(message!.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: ar('telegram.button.coming'), callback_data: `a:r:${rsvps.reminded}:y` },
          { text: ar('telegram.button.notComing'), callback_data: `a:r:${rsvps.reminded}:n` },
        ],
      ],
    });
  });

  it('answers "not found" to a press for someone else’s RSVP, and changes nothing', async () => {
    const [message] = await api.waitForMessages(CHAT.reminded);
    api.queue(api.buttonUpdate(CHAT.reminded, message!, `a:r:${rsvps.waiting}:n`));
    const answered = await api.waitForCall('answerCallbackQuery', (p) => p.text === translator('ar')('telegram.answer.notFound'));
    expect(answered).toBeDefined();
    const waiting = await visitor('waiting');
    expect((await page(waiting, '/my-activities')).text).toContain('Sprachcafé');
    expect(api.callsOf('editMessageText')).toEqual([]);
  });

  it('cancels the place when "can’t come" is pressed: the message says so, the waitlist moves up and is told', async () => {
    const [message] = await api.waitForMessages(CHAT.reminded);
    api.queue(api.buttonUpdate(CHAT.reminded, message!, `a:r:${rsvps.reminded}:n`));
    const ar = translator('ar');
    await api.waitForCall('answerCallbackQuery', (p) => p.text === ar('telegram.answer.rsvpCancelled'));
    const edit = await api.waitForCall('editMessageText');
    expect(edit.params.text.endsWith(`\n\n${ar('telegram.answer.rsvpCancelled')}`)).toBe(true);
    expect(edit.params.reply_markup).toBeUndefined();

    // Her "My activities" lists the place under cancelled ones, by her.
    const reminded = await visitor('reminded');
    const mine = await page(reminded, '/my-activities');
    expect(mine.html).toMatch(/<li class="card my-rsvp my-rsvp--cancelled">[\s\S]*?Sprachcafé/);
    expect(mine.html).toContain(`/activities/${activityId}`);
    const promoted = await until('the promotion mail', async () => (await running.mails(people.waiting.email)).find((m) => m.subject === translator('de')('email.rsvpPromoted.subject', { title: 'Sprachcafé' })));
    expect(promoted.text).toContain('Sprachcafé');
  });

  it('sets aside the message to a chat that blocked the bot, after one try, and unlinks the chat', async () => {
    await api.waitForCall('sendMessage', (p) => Number(p.chat_id) === CHAT.blocked);
    const blocked = await visitor('blocked');
    const export_ = await until('the message set aside', async () => {
      const json = (await (await blocked.get('/account/data.json')).json()) as { messages: Array<{ status: string; channel: string }>; telegram: unknown[] };
      return json.messages.some((m) => m.status === 'dead') ? json : null;
    });
    expect(export_.messages).toEqual([expect.objectContaining({ channel: 'telegram', status: 'dead' })]);
    expect(export_.telegram).toEqual([]);
    const telegramPage = await page(blocked, '/account/telegram');
    expect(telegramPage.text).toContain(translator('de')('telegram.create'));
    // Nothing was tried again.
    await new Promise((r) => setTimeout(r, 500));
    expect(api.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === CHAT.blocked)).toHaveLength(1);
  });

  it('unlinks from the page: the chat is then linked to nobody', async () => {
    const linker = await visitor('linker');
    const unlinked = await linker.submit('/uk/account/telegram', 'telegram.unlink', {});
    expect(unlinked.status).toBe(200);
    expect(stripTags(unlinked.html)).toContain(translator('uk')('telegram.unlinked'));
    expect(stripTags(unlinked.html)).toContain(translator('uk')('telegram.create'));
    // The chat says "/stop": it is linked to nobody now.
    api.queue(api.textUpdate(CHAT.linker, '/stop', 'uk'));
    // The chat is linked to nobody, so the bot answers in the language of the app.
    await api.waitForCall('sendMessage', (p) => p.chat_id === CHAT.linker && p.text === translator('uk')('telegram.bot.notLinked', { url: `${running.portal.url}/uk/account/telegram` }));
  });

  it('unlinks from the chat with /stop, and the page then offers linking again', async () => {
    const linker = await visitor('linker');
    const made = await linker.submit('/account/telegram', 'telegram.createLinkCode', {});
    const code = /start=([a-z2-7]{32})/.exec(made.html)![1]!;
    const sent = api.callsOf('sendMessage').length;
    api.queue(api.textUpdate(CHAT.linker, `/start ${code}`));
    await until('the welcome', async () => api.callsOf('sendMessage').length > sent);
    expect((await page(linker, '/account/telegram')).text).toContain(translator('de')('telegram.linked.title'));

    api.queue(api.textUpdate(CHAT.linker, '/stop'));
    await api.waitForCall('sendMessage', (p) => p.chat_id === CHAT.linker && p.text === translator('uk')('telegram.bot.stopped', { url: `${running.portal.url}/uk/account/telegram` }));
    const after = await page(linker, '/account/telegram');
    expect(after.text).not.toContain(translator('de')('telegram.linked.title'));
    expect(after.text).toContain(translator('de')('telegram.create'));
  });

  it('takes no webhook posts while it polls', async () => {
    const response = await fetch(new URL('/telegram/webhook', running.portal.url), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: JSON.stringify(api.textUpdate(CHAT.other, '/start')) });
    expect(response.status).toBe(404);
  });
});

describe('a portal with a Telegram bot (webhook)', () => {
  const api = new FakeBotApi();
  let running: Awaited<ReturnType<typeof startBotPortal>>;

  beforeAll(async () => {
    await api.start();
    running = await startBotPortal(api, { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET }, async () => undefined);
  });
  afterAll(async () => {
    if (running) expect(await running.close()).toBe(0);
    await api.stop();
  });

  it('registers its webhook at the public address with the secret', () => {
    expect(api.webhook).toEqual({ url: `${running.portal.url}/telegram/webhook`, secret: SECRET });
    expect(api.callsOf('setWebhook')[0]!.params.allowed_updates).toEqual(['message', 'callback_query', 'my_chat_member']);
    expect(api.callsOf('getUpdates')).toEqual([]);
  });

  it('refuses posts without the right secret, handling nothing', async () => {
    for (const secret of [null, 'wrong', SECRET.slice(0, -1), `${SECRET}x`]) {
      const response = await api.postToWebhook(api.textUpdate(CHAT.other, '/start'), secret);
      expect(response.status, String(secret)).toBe(401);
    }
    // A browser-like form post without the secret is refused the same way (no origin check needed).
    const form = await fetch(new URL('/telegram/webhook', running.portal.url), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'update_id=1' });
    expect(form.status).toBe(401);
    expect(api.callsOf('sendMessage')).toEqual([]);
    expect((await fetch(new URL('/telegram/webhook', running.portal.url))).status).toBe(404);
  });

  it('handles a post with the secret, and refuses what is no update', async () => {
    const response = await api.postToWebhook(api.textUpdate(CHAT.other, '/start', 'tr'));
    expect(response.status).toBe(200);
    const reply = await api.waitForCall('sendMessage', (p) => p.chat_id === CHAT.other);
    expect(reply.params.text).toBe(translator('tr')('telegram.bot.welcome', { town: 'Altena', url: `${running.portal.url}/tr/account/telegram` }));
    const bad = await fetch(api.webhook!.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: '{"no":"update"' });
    expect(bad.status).toBe(400);
  });
});

describe('a portal without a bot', () => {
  it('offers no Telegram: no link on the account page, and the page does not exist', async () => {
    const resident = await as('resident');
    expect((await page(resident, '/account')).html).not.toContain('/account/telegram');
    expect((await resident.get('/account/telegram')).status).toBe(404);
    expect((await resident.post('/account/telegram?_action=telegram.createLinkCode', {})).status).toBe(404);
  });
});
