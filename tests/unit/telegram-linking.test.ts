// Linking a Telegram chat to an account and unlinking it: the configuration that offers the
// channel; one-time codes (valid, used twice, expired, replaced, someone else's); the bot's
// /start, /stop, being blocked, and what it says, in the person's language — all through grammY
// talking to a local Bot API server; the page's view; the security log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Bot } from 'grammy';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { createTelegramBot } from '../../src/features/telegram/telegram-bot.ts';
import { deepLink, loadTelegramPage } from '../../src/features/telegram/telegram-page.ts';
import { secretMatches } from '../../src/features/telegram/telegram-runtime.ts';
import { createLinkCode, LINK_CODE_LIFETIME_MS, linkChatWithCode, pendingLinkCode, unlinkChat, unlinkPerson } from '../../src/features/telegram/telegram.service.ts';
import { erasePerson } from '../../src/features/privacy/erasure.ts';
import { translator } from '../../src/i18n/index.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { readConfig } from '../../src/server/config.ts';
import { BOT_ID, BOT_TOKEN, BOT_USERNAME, FakeBotApi } from '../helpers/bot-api.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';

const BASE_URL = 'https://ankommen.example';
const MINUTE = 60_000;

let handle: DatabaseHandle;
let db: Kysely<Database>;
let api: FakeBotApi;
let bot: Bot;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  api = await new FakeBotApi().start();
  bot = createTelegramBot(
    { token: BOT_TOKEN, apiRoot: api.url, botInfo: { id: BOT_ID, is_bot: true, first_name: 'Ankommen', username: BOT_USERNAME, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false } as never },
    { db, answers: null, context: { baseUrl: BASE_URL }, townName: 'Altena' },
  );
});
afterAll(async () => {
  await api?.stop();
  await handle?.close();
});

let chats = 1000;
const newChat = () => ++chats;

/** What the bot answered the chat last. */
function lastReply(chatId: number): string {
  const sent = api.messagesTo(chatId);
  return sent[sent.length - 1]?.text ?? '';
}

const chatOf = async (userId: number) => (await db.selectFrom('telegram_chat').select('chat_id').where('user_id', '=', userId).executeTakeFirst())?.chat_id ?? null;
const auditOf = async (userId: number) =>
  (await db.selectFrom('audit_event').select(['action', 'actor_user_id', 'details']).where('object_type', '=', 'user').where('object_id', '=', String(userId)).where('action', 'like', 'telegram.%').orderBy('id').execute()).map((e) => ({
    action: e.action,
    actor: e.actor_user_id,
    details: e.details,
  }));

describe('configuration', () => {
  it('offers no Telegram without a token, and polls by default with one', () => {
    expect(readConfig({}).telegram).toBeNull();
    expect(readConfig({ TELEGRAM_BOT_TOKEN: '  ' }).telegram).toBeNull();
    expect(readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN }).telegram).toEqual({ token: BOT_TOKEN, mode: 'polling', webhookSecret: null, apiRoot: 'https://api.telegram.org' });
    expect(readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9999/' }).telegram?.apiRoot).toBe('http://127.0.0.1:9999');
  });

  it('wants a webhook secret Telegram accepts and nobody guesses, and refuses unknown modes', () => {
    const secret = 'a'.repeat(32);
    expect(readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: secret }).telegram).toMatchObject({ mode: 'webhook', webhookSecret: secret });
    expect(() => readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'webhook' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'short' })).toThrow(/32–256/);
    expect(() => readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: `${'a'.repeat(40)}!` })).toThrow(/32–256/);
    expect(() => readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'push' })).toThrow(/TELEGRAM_MODE/);
    expect(() => readConfig({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: 'api.telegram.org' })).toThrow(/TELEGRAM_API_ROOT/);
  });

  it('compares the webhook secret whole', () => {
    const secret = 'b'.repeat(40);
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(secret.slice(0, 39), secret)).toBe(false);
    expect(secretMatches(`${secret}b`, secret)).toBe(false);
    expect(secretMatches(undefined, secret)).toBe(false);
    expect(secretMatches([secret], secret)).toBe(false);
  });
});

describe('link codes', () => {
  it('are random, kept only as a hash, valid 15 minutes, one per person: a new one replaces the old', async () => {
    const person = await makePerson(db);
    const now = new Date();
    const first = await createLinkCode(db, person.id, now);
    expect(first.code).toMatch(/^[a-z2-7]{32}$/);
    expect(first.expiresAt.getTime() - now.getTime()).toBe(LINK_CODE_LIFETIME_MS);
    const rows = await db.selectFrom('telegram_link_code').selectAll().where('user_id', '=', person.id).execute();
    expect(rows.map((r) => r.code_hash)).toEqual([hashToken(first.code)]);
    expect(JSON.stringify(rows)).not.toContain(first.code);
    expect(await pendingLinkCode(db, person.id, first.code, now)).toEqual(first.expiresAt);

    const second = await createLinkCode(db, person.id, now);
    expect(second.code).not.toBe(first.code);
    expect(await pendingLinkCode(db, person.id, first.code, now)).toBeNull();
    expect(await db.selectFrom('telegram_link_code').select('code_hash').where('user_id', '=', person.id).execute()).toEqual([{ code_hash: hashToken(second.code) }]);
    expect(await linkChatWithCode(db, first.code, String(newChat()), now)).toEqual({ outcome: 'unknown' });
  });

  it('link the chat once: the code is used up, a second use finds nothing (also at the same moment)', async () => {
    const person = await makePerson(db, { name: 'Olena', locale: 'uk' });
    const { code } = await createLinkCode(db, person.id);
    const chat = String(newChat());
    const other = String(newChat());
    const [a, b] = await Promise.all([linkChatWithCode(db, code, chat), linkChatWithCode(db, code, other)]);
    const outcomes = [a.outcome, b.outcome].sort();
    expect(outcomes).toEqual(['linked', 'unknown']);
    const winner = a.outcome === 'linked' ? chat : other;
    expect(await chatOf(person.id)).toBe(winner);
    expect(await db.selectFrom('telegram_link_code').select('code_hash').where('user_id', '=', person.id).execute()).toEqual([]);
    // The same chat again: "already linked", in the person's language; another chat: nothing.
    expect(await linkChatWithCode(db, code, winner)).toMatchObject({ outcome: 'already_linked', userId: person.id, locale: 'uk' });
    expect(await linkChatWithCode(db, code, String(newChat()))).toEqual({ outcome: 'unknown' });
    expect(await auditOf(person.id)).toEqual([{ action: 'telegram.linked', actor: person.id, details: { replaced_own_chat: false, moved_from_another_account: false } }]);
  });

  it('expire after 15 minutes: nothing is linked and the code is gone', async () => {
    const person = await makePerson(db);
    const made = new Date('2027-03-01T10:00:00Z');
    const { code } = await createLinkCode(db, person.id, made);
    const late = new Date(made.getTime() + LINK_CODE_LIFETIME_MS);
    expect(await pendingLinkCode(db, person.id, code, late)).toBeNull();
    expect(await linkChatWithCode(db, code, String(newChat()), late)).toEqual({ outcome: 'expired', locale: 'de' });
    expect(await chatOf(person.id)).toBeNull();
    expect(await linkChatWithCode(db, code, String(newChat()), made)).toEqual({ outcome: 'unknown' });
  });

  it('are shown only to their owner: someone else’s code is no pending code of mine', async () => {
    const owner = await makePerson(db);
    const someoneElse = await makePerson(db);
    const { code } = await createLinkCode(db, owner.id);
    expect(await pendingLinkCode(db, someoneElse.id, code)).toBeNull();
    expect(await pendingLinkCode(db, owner.id, 'not-a-code')).toBeNull();
    const page = await loadTelegramPage(db, someoneElse.id, { botUsername: BOT_USERNAME, cookieCode: code });
    expect(page).toEqual({ view: { state: 'start', codeExpired: true }, dropCookie: true });
  });

  it('move a chat linked to another account to the code’s owner (one chat, one account), and let go of the owner’s previous chat', async () => {
    const parent = await makePerson(db, { name: 'Amal' });
    const daughter = await makePerson(db, { name: 'Lina' });
    const shared = String(newChat());
    const daughtersOwn = String(newChat());
    await linkChatWithCode(db, (await createLinkCode(db, daughter.id)).code, daughtersOwn);
    await linkChatWithCode(db, (await createLinkCode(db, parent.id)).code, shared);

    const moved = await linkChatWithCode(db, (await createLinkCode(db, daughter.id)).code, shared);
    expect(moved).toMatchObject({ outcome: 'linked', userId: daughter.id, movedFromAnotherAccount: true });
    expect(await chatOf(daughter.id)).toBe(shared);
    expect(await chatOf(parent.id)).toBeNull();
    expect(await db.selectFrom('telegram_chat').select('user_id').where('chat_id', '=', daughtersOwn).execute()).toEqual([]);
    expect((await auditOf(parent.id)).at(-1)).toEqual({ action: 'telegram.unlinked', actor: daughter.id, details: { by: 'another_account_linked_the_chat' } });
    expect((await auditOf(daughter.id)).at(-1)).toEqual({ action: 'telegram.linked', actor: daughter.id, details: { replaced_own_chat: true, moved_from_another_account: true } });
  });

  it('are deleted with the person, and so is the chat (erasure)', async () => {
    const person = await makePerson(db);
    await linkChatWithCode(db, (await createLinkCode(db, person.id)).code, String(newChat()));
    await createLinkCode(db, person.id);
    await erasePerson(db, person.id, { requester: { by: 'self' }, ip: null, baseUrl: BASE_URL });
    expect(await db.selectFrom('telegram_chat').select('chat_id').where('user_id', '=', person.id).execute()).toEqual([]);
    expect(await db.selectFrom('telegram_link_code').select('code_hash').where('user_id', '=', person.id).execute()).toEqual([]);
  });
});

describe('unlinking', () => {
  it('from the portal: the chat goes, audited with the address; nothing to unlink says so', async () => {
    const person = await makePerson(db);
    await linkChatWithCode(db, (await createLinkCode(db, person.id)).code, String(newChat()));
    expect(await unlinkPerson(db, person.id, '203.0.113.9')).toBe(true);
    expect(await chatOf(person.id)).toBeNull();
    expect(await unlinkPerson(db, person.id, '203.0.113.9')).toBe(false);
    const events = await db.selectFrom('audit_event').select(['action', 'ip', 'details']).where('object_id', '=', String(person.id)).where('action', '=', 'telegram.unlinked').execute();
    expect(events).toEqual([{ action: 'telegram.unlinked', ip: '203.0.113.9', details: { by: 'person' } }]);
  });

  it('from the chat: only that chat, and only once', async () => {
    const person = await makePerson(db, { locale: 'ar' });
    const chat = String(newChat());
    await linkChatWithCode(db, (await createLinkCode(db, person.id)).code, chat);
    expect(await unlinkChat(db, String(newChat()), 'stop_command')).toBeNull();
    expect(await chatOf(person.id)).toBe(chat);
    expect(await unlinkChat(db, chat, 'blocked_bot')).toEqual({ userId: person.id, locale: 'ar' });
    expect(await unlinkChat(db, chat, 'blocked_bot')).toBeNull();
    expect((await auditOf(person.id)).at(-1)).toEqual({ action: 'telegram.unlinked', actor: null, details: { by: 'blocked_bot' } });
  });
});

describe('the bot', () => {
  afterEach(() => {
    api.calls.length = 0;
  });

  it('links the chat on "/start <code>" and says so in the person’s language, whatever language the app speaks', async () => {
    const person = await makePerson(db, { name: 'Olena', locale: 'uk' });
    const { code } = await createLinkCode(db, person.id);
    const chat = newChat();
    await bot.handleUpdate(api.textUpdate(chat, `/start ${code}`, 'en') as never);
    expect(await chatOf(person.id)).toBe(String(chat));
    const uk = translator('uk');
    expect(lastReply(chat)).toBe(`${uk('telegram.bot.linked', { name: 'Olena', town: 'Altena' })}\n\n${uk('telegram.bot.chooseTopics', { url: `${BASE_URL}/uk/account/notifications` })}`);
    expect(lastReply(chat)).toContain('Вітаємо, Olena!');

    // Tapping the link again: already linked, nothing else.
    await bot.handleUpdate(api.textUpdate(chat, `/start ${code}`, 'en') as never);
    expect(lastReply(chat)).toBe(translator('uk')('telegram.bot.alreadyLinked', { name: 'Olena' }));
  });

  it('tells a chat whose account moved it to another one', async () => {
    const first = await makePerson(db);
    const second = await makePerson(db, { locale: 'en', name: 'Sam' });
    const chat = newChat();
    await bot.handleUpdate(api.textUpdate(chat, `/start ${(await createLinkCode(db, first.id)).code}`) as never);
    await bot.handleUpdate(api.textUpdate(chat, `/start ${(await createLinkCode(db, second.id)).code}`) as never);
    expect(lastReply(chat)).toContain(translator('en')('telegram.bot.moved'));
    expect(await chatOf(first.id)).toBeNull();
    expect(await chatOf(second.id)).toBe(String(chat));
  });

  it('answers a wrong or used code in the app’s language (German when the portal does not speak it), with the way to a new one', async () => {
    const chat = newChat();
    await bot.handleUpdate(api.textUpdate(chat, '/start aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'fa') as never);
    expect(lastReply(chat)).toBe(translator('fa')('telegram.bot.codeUnknown', { url: `${BASE_URL}/fa/account/telegram` }));
    await bot.handleUpdate(api.textUpdate(chat, '/start <script>', 'pt-br') as never);
    expect(lastReply(chat)).toBe(translator('de')('telegram.bot.codeUnknown', { url: `${BASE_URL}/account/telegram` }));
    expect(await db.selectFrom('telegram_chat').select('user_id').where('chat_id', '=', String(chat)).execute()).toEqual([]);
  });

  it('says an expired link has expired, in the owner’s language', async () => {
    const person = await makePerson(db, { locale: 'tr' });
    const { code } = await createLinkCode(db, person.id, new Date(Date.now() - 16 * MINUTE));
    const chat = newChat();
    await bot.handleUpdate(api.textUpdate(chat, `/start ${code}`) as never);
    expect(lastReply(chat)).toBe(translator('tr')('telegram.bot.codeExpired', { url: `${BASE_URL}/tr/account/telegram` }));
    expect(await chatOf(person.id)).toBeNull();
  });

  it('welcomes "/start" without a code and any other message with what it is for', async () => {
    const chat = newChat();
    await bot.handleUpdate(api.textUpdate(chat, '/start', 'ar') as never);
    expect(lastReply(chat)).toBe(translator('ar')('telegram.bot.welcome', { town: 'Altena', url: `${BASE_URL}/ar/account/telegram` }));
    const person = await makePerson(db, { name: 'Amal', locale: 'de' });
    await bot.handleUpdate(api.textUpdate(chat, `/start ${(await createLinkCode(db, person.id)).code}`) as never);
    await bot.handleUpdate(api.textUpdate(chat, 'Hallo?', 'ar') as never);
    expect(lastReply(chat)).toBe(translator('de')('telegram.bot.help', { name: 'Amal', url: `${BASE_URL}/account/telegram` }));
    // Links in what the bot writes are not unfurled into previews.
    expect(api.callsOf('sendMessage').every((c) => c.params.link_preview_options?.is_disabled === true)).toBe(true);
  });

  it('unlinks on /stop and says so; /stop again says the chat is linked to nobody', async () => {
    const person = await makePerson(db, { locale: 'en' });
    const chat = newChat();
    await bot.handleUpdate(api.textUpdate(chat, `/start ${(await createLinkCode(db, person.id)).code}`) as never);
    await bot.handleUpdate(api.textUpdate(chat, '/stop', 'de') as never);
    expect(await chatOf(person.id)).toBeNull();
    expect(lastReply(chat)).toBe(translator('en')('telegram.bot.stopped', { url: `${BASE_URL}/en/account/telegram` }));
    expect((await auditOf(person.id)).at(-1)).toEqual({ action: 'telegram.unlinked', actor: person.id, details: { by: 'stop_command' } });
    await bot.handleUpdate(api.textUpdate(chat, '/stop', 'de') as never);
    expect(lastReply(chat)).toBe(translator('de')('telegram.bot.notLinked', { url: `${BASE_URL}/account/telegram` }));
  });

  it('unlinks at once when the person blocks the bot, and not when they unblock it', async () => {
    const person = await makePerson(db);
    const chat = newChat();
    await bot.handleUpdate(api.textUpdate(chat, `/start ${(await createLinkCode(db, person.id)).code}`) as never);
    const sent = api.callsOf('sendMessage').length;
    await bot.handleUpdate(api.blockUpdate(chat, 'member') as never);
    expect(await chatOf(person.id)).toBe(String(chat));
    await bot.handleUpdate(api.blockUpdate(chat, 'kicked') as never);
    expect(await chatOf(person.id)).toBeNull();
    // A blocked bot cannot write: it does not try.
    expect(api.callsOf('sendMessage').length).toBe(sent);
  });

  it('ignores groups: a code sent in a group links nothing and gets no answer', async () => {
    const person = await makePerson(db);
    const { code } = await createLinkCode(db, person.id);
    const update = api.textUpdate(-100500, `/start ${code}`);
    update.message.chat = { id: -100500, type: 'group', title: 'Nachbarn' };
    await bot.handleUpdate(update as never);
    expect(await chatOf(person.id)).toBeNull();
    expect(api.callsOf('sendMessage')).toEqual([]);
    expect(await pendingLinkCode(db, person.id, code)).not.toBeNull();
  });
});

describe('the page’s view', () => {
  it('shows the deep link and its QR code while the code works, then that the chat is linked', async () => {
    const person = await makePerson(db);
    expect(await loadTelegramPage(db, person.id, { botUsername: BOT_USERNAME, cookieCode: null })).toEqual({ view: { state: 'start', codeExpired: false }, dropCookie: false });
    const { code, expiresAt } = await createLinkCode(db, person.id);
    const page = await loadTelegramPage(db, person.id, { botUsername: BOT_USERNAME, cookieCode: code });
    expect(page.dropCookie).toBe(false);
    expect(page.view).toMatchObject({ state: 'code', deepLink: `https://t.me/${BOT_USERNAME}?start=${code}`, expiresAt });
    expect(page.view.state === 'code' && page.view.qrSvg).toMatch(/^<svg aria-hidden="true" focusable="false" xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox/);
    expect(deepLink(BOT_USERNAME, code)).toBe(`https://t.me/${BOT_USERNAME}?start=${code}`);

    await linkChatWithCode(db, code, String(newChat()));
    const linked = await loadTelegramPage(db, person.id, { botUsername: BOT_USERNAME, cookieCode: code });
    expect(linked).toMatchObject({ view: { state: 'linked', justLinked: true, offered: true }, dropCookie: true });
    expect(await loadTelegramPage(db, person.id, { botUsername: BOT_USERNAME, cookieCode: null })).toMatchObject({ view: { state: 'linked', justLinked: false }, dropCookie: false });
  });

  it('without a bot: no page, unless a chat linked earlier is still there to unlink', async () => {
    const person = await makePerson(db);
    expect((await loadTelegramPage(db, person.id, { botUsername: null, cookieCode: null })).view).toEqual({ state: 'not_offered' });
    await linkChatWithCode(db, (await createLinkCode(db, person.id)).code, String(newChat()));
    expect((await loadTelegramPage(db, person.id, { botUsername: null, cookieCode: null })).view).toMatchObject({ state: 'linked', offered: false });
  });
});
