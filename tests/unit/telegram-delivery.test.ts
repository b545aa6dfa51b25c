// Telegram messages through the outbox, against a local Bot API server: what a message looks
// like (the mail's subject in bold, its text, no markup read from anyone's text), buttons under
// reminders, the chat looked up when sending; a chat that blocked the bot is unlinked and its
// message set aside at once; 429 waited out or postponed as Telegram asks; a network failure
// retried and then sent once; a long text in parts. And the buttons: a press answers for the
// person linked to the pressing chat — someone else's RSVP is "not found" and changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Bot } from 'grammy';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import { MAX_ATTEMPTS, type OutboxMessage } from '../../src/features/outbox/outbox.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { startOutboxWorker, type OutboxWorker } from '../../src/features/outbox/worker.ts';
import type { AnswerOutcome, AnswerService } from '../../src/features/telegram/telegram-answers.ts';
import { createTelegramBot } from '../../src/features/telegram/telegram-bot.ts';
import { renderTelegramMessage, splitText, TELEGRAM_TEXT_LIMIT } from '../../src/features/telegram/telegram-message.ts';
import { createTelegramTransport } from '../../src/features/telegram/telegram-transport.ts';
import { createLinkCode, linkChatWithCode } from '../../src/features/telegram/telegram.service.ts';
import { translator } from '../../src/i18n/index.ts';
import { BOT_ID, BOT_TOKEN, BOT_USERNAME, FakeBotApi, type SentMessage } from '../helpers/bot-api.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';

const BASE_URL = 'https://ankommen.example';
const SETTINGS = { townName: 'Altena', timeZone: 'Europe/Berlin' };
const SECOND = 1000;

let handle: DatabaseHandle;
let db: Kysely<Database>;
let api: FakeBotApi;
let worker: OutboxWorker;
/** The waits the transport did instead of sleeping. */
const waits: number[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  api = await new FakeBotApi().start();
  const bot = createTelegramBot({ token: BOT_TOKEN, apiRoot: api.url, botInfo: BOT_INFO }, { db, answers: null, context: { baseUrl: BASE_URL }, townName: 'Altena' });
  const transport = createTelegramTransport(db, bot.api, { sleep: async (ms) => void waits.push(ms) });
  worker = startOutboxWorker(db, {
    transport: { send: () => Promise.reject(new Error('no mail in these tests')) },
    telegram: transport,
    ...SETTINGS,
    host: 'ankommen.example',
    intervalMs: 24 * 3600 * SECOND,
  });
});
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await handle?.close();
});
beforeEach(async () => {
  await db.deleteFrom('outbox').execute();
  api.calls.length = 0;
  waits.length = 0;
});

const BOT_INFO = { id: BOT_ID, is_bot: true, first_name: 'Ankommen', username: BOT_USERNAME, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false } as never;

let chats = 5000;
/** A person with their own chat linked the way people link it. */
async function linkedPerson(options: { locale?: Locale; name?: string } = {}): Promise<{ id: number; chat: number }> {
  const person = await makePerson(db, options);
  const chat = ++chats;
  const linked = await linkChatWithCode(db, (await createLinkCode(db, person.id)).code, String(chat));
  expect(linked.outcome).toBe('linked');
  return { id: person.id, chat };
}

const reminderPayload = (rsvpId?: number) => ({
  name: 'Olena',
  activityTitle: 'Sprachcafé <b>& Kuchen</b>',
  activityTranslations: { uk: { title: 'Мовне кафе' } },
  startsAt: '2030-06-01T16:00:00.000Z',
  endsAt: '2030-06-01T18:00:00.000Z',
  place: 'Stellwerk, Lennestraße 12',
  url: `${BASE_URL}/activities/7`,
  partySize: 2,
  ...(rsvpId ? { rsvpId } : {}),
});

/** Queues a Telegram message for the person, due now. */
async function queue(recipientId: number, kind: OutboxMessage['kind'], payload: Record<string, unknown>, locale: Locale = 'de'): Promise<number> {
  const row = await db
    .insertInto('outbox')
    .values({ kind, recipient_user_id: recipientId, recipient_email: null, channel: 'telegram', locale, payload: JSON.stringify(payload), next_attempt_at: new Date(Date.now() - SECOND) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const rowOf = (id: number) => db.selectFrom('outbox').select(['status', 'attempts', 'next_attempt_at', 'last_error', 'sent_at']).where('id', '=', id).executeTakeFirstOrThrow();
const chatOf = async (userId: number) => (await db.selectFrom('telegram_chat').select('chat_id').where('user_id', '=', userId).executeTakeFirst())?.chat_id ?? null;
const sendsTo = (chat: number) => api.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chat);

describe('what a Telegram message looks like', () => {
  it('is the mail: its subject in bold as the first line, then its text, in the recipient’s current language; no markup is read from anyone’s text', async () => {
    const person = await linkedPerson({ locale: 'de', name: 'Olena' });
    const id = await queue(person.id, 'rsvp_reminder', reminderPayload(41), 'de');
    // She switched to Ukrainian after the reminder was queued.
    await db.updateTable('app_user').set({ locale: 'uk' }).where('id', '=', person.id).execute();
    expect(await worker.runOnce()).toBe(1);

    const [call] = sendsTo(person.chat);
    const mail = renderMail({ id, kind: 'rsvp_reminder', recipientUserId: person.id, recipientEmail: null, channel: 'telegram', locale: 'uk', payload: reminderPayload(41), attempts: 1 }, SETTINGS);
    expect(call!.params.text).toBe(`${mail.subject}\n\n${mail.text.trim()}`);
    expect(call!.params.text).toContain('Мовне кафе');
    expect(call!.params.entities).toEqual([{ type: 'bold', offset: 0, length: mail.subject.length }]);
    expect(call!.params.parse_mode).toBeUndefined();
    expect(call!.params.link_preview_options).toEqual({ is_disabled: true });
    expect((await rowOf(id)).status).toBe('sent');
  });

  it('shows a title with markup characters as written', async () => {
    const person = await linkedPerson();
    await queue(person.id, 'rsvp_going', reminderPayload());
    await worker.runOnce();
    expect(sendsTo(person.chat)[0]!.params.text).toContain('Sprachcafé <b>& Kuchen</b>');
  });

  it('carries "coming / can’t come" under RSVP reminders and promotions, "I’ll be there / I can’t make it" under shift reminders, nothing under other messages', async () => {
    const person = await linkedPerson({ locale: 'en' });
    await queue(person.id, 'rsvp_reminder', reminderPayload(41), 'en');
    await queue(person.id, 'rsvp_promoted', reminderPayload(42), 'en');
    await queue(person.id, 'volunteer_reminder', { ...reminderPayload(), roleName: 'Aufbau', signupId: 9 }, 'en');
    await queue(person.id, 'consultation_reminder', { name: 'Olena', url: `${BASE_URL}/en/consultations`, organisationName: 'Integrationsbüro', startsAt: '2030-05-21T07:00:00.000Z', endsAt: '2030-05-21T07:20:00.000Z', place: 'Rathaus', remote: false, topic: 'housing', language: 'uk', interpreterNeeded: false, bookingId: 12 }, 'en');
    await queue(person.id, 'rsvp_going', reminderPayload(43), 'en');
    // Before the one-tap answers put the RSVP's id in the payload, a reminder has no buttons.
    await queue(person.id, 'rsvp_reminder', reminderPayload(), 'en');
    expect(await worker.runOnce()).toBe(6);
    const keyboards = sendsTo(person.chat).map((c) => c.params.reply_markup ?? null);
    const t = translator('en');
    expect(keyboards).toEqual([
      { inline_keyboard: [[{ text: t('telegram.button.coming'), callback_data: 'a:r:41:y' }, { text: t('telegram.button.notComing'), callback_data: 'a:r:41:n' }]] },
      { inline_keyboard: [[{ text: t('telegram.button.coming'), callback_data: 'a:r:42:y' }, { text: t('telegram.button.notComing'), callback_data: 'a:r:42:n' }]] },
      { inline_keyboard: [[{ text: t('telegram.button.shiftComing'), callback_data: 'a:s:9:y' }, { text: t('telegram.button.shiftNotComing'), callback_data: 'a:s:9:n' }]] },
      { inline_keyboard: [[{ text: t('telegram.button.coming'), callback_data: 'a:b:12:y' }, { text: t('telegram.button.notComing'), callback_data: 'a:b:12:n' }]] },
      null,
      null,
    ]);
  });

  it('goes in parts when longer than Telegram takes, cut at line ends, the buttons under the last', () => {
    const reason = Array.from({ length: 120 }, (_, i) => `Zeile ${i}: ${'x'.repeat(60)}`).join('\n');
    const message: OutboxMessage = { id: 1, kind: 'rsvp_reminder', recipientUserId: 1, recipientEmail: null, channel: 'telegram', locale: 'de', payload: { ...reminderPayload(5), activityTitle: reason }, attempts: 1 };
    const parts = renderTelegramMessage(message, SETTINGS);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.slice(0, -1).every((p) => p.keyboard === null)).toBe(true);
    expect(parts.at(-1)!.keyboard).not.toBeNull();
    const mail = renderMail(message, SETTINGS);
    expect(parts.map((p) => p.text).join('\n').replace(/\n+/g, '\n')).toBe(`${mail.subject}\n\n${mail.text.trim()}`.replace(/\n+/g, '\n'));
  });

  it('cuts a line longer than a message inside it, never between the halves of an emoji', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(10)}`;
    const pieces = splitText(text, 10);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => p.length <= 10 && !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
    expect(splitText('kurz', 10)).toEqual(['kurz']);
  });
});

describe('delivery', () => {
  it('sends nothing to a person who unlinked after the message was queued: set aside at once', async () => {
    const person = await linkedPerson();
    const id = await queue(person.id, 'rsvp_reminder', reminderPayload(1));
    await db.deleteFrom('telegram_chat').where('user_id', '=', person.id).execute();
    expect(await worker.runOnce()).toBe(0);
    expect(api.callsOf('sendMessage')).toEqual([]);
    expect(await rowOf(id)).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('unlinks a chat that blocked the bot (403) and sets the message aside after one attempt', async () => {
    const person = await linkedPerson();
    api.refuseChat(person.chat);
    const id = await queue(person.id, 'rsvp_reminder', reminderPayload(1));
    const later = await queue(person.id, 'rsvp_going', reminderPayload());
    expect(await worker.runOnce()).toBe(0);
    expect(sendsTo(person.chat)).toHaveLength(1);
    expect(await rowOf(id)).toMatchObject({ status: 'dead', attempts: 1, last_error: expect.stringContaining('403') });
    // The next one finds no chat: nothing more is sent to it.
    expect(await rowOf(later)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(await chatOf(person.id)).toBeNull();
    const audit = await db.selectFrom('audit_event').select(['actor_user_id', 'details']).where('action', '=', 'telegram.unlinked').where('object_id', '=', String(person.id)).execute();
    expect(audit).toEqual([{ actor_user_id: null, details: { by: 'refused_by_telegram' } }]);
  });

  it('treats "chat not found" like a block, and any other refusal of the message as final without unlinking', async () => {
    const gone = await linkedPerson();
    api.refuseChat(gone.chat, { code: 400, description: 'Bad Request: chat not found' });
    const first = await queue(gone.id, 'rsvp_going', reminderPayload());
    const refused = await linkedPerson();
    api.refuseChat(refused.chat, { code: 400, description: 'Bad Request: message text is empty', times: 1 });
    const second = await queue(refused.id, 'rsvp_going', reminderPayload());
    await worker.runOnce();
    expect(await rowOf(first)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(await chatOf(gone.id)).toBeNull();
    expect(await rowOf(second)).toMatchObject({ status: 'dead', attempts: 1, last_error: expect.stringContaining('message text is empty') });
    expect(await chatOf(refused.id)).toBe(String(refused.chat));
  });

  it('waits out a short 429 and sends once', async () => {
    const person = await linkedPerson();
    api.rateLimitChat(person.chat, 2);
    const id = await queue(person.id, 'rsvp_going', reminderPayload());
    expect(await worker.runOnce()).toBe(1);
    expect(waits).toEqual([2 * SECOND]);
    expect(sendsTo(person.chat)).toHaveLength(2);
    expect(api.messagesTo(person.chat)).toHaveLength(1);
    expect(await rowOf(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('leaves a long 429 to the outbox: tried again when Telegram said, not before, then sent once', async () => {
    const person = await linkedPerson();
    api.rateLimitChat(person.chat, 90);
    const id = await queue(person.id, 'rsvp_going', reminderPayload());
    const before = Date.now();
    expect(await worker.runOnce()).toBe(0);
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.next_attempt_at.getTime()).toBeGreaterThanOrEqual(before + 90 * SECOND);
    expect(row.next_attempt_at.getTime()).toBeLessThan(before + 95 * SECOND);
    expect(await worker.runOnce()).toBe(0);
    await db.updateTable('outbox').set({ next_attempt_at: new Date(Date.now() - SECOND) }).where('id', '=', id).execute();
    expect(await worker.runOnce()).toBe(1);
    expect(api.messagesTo(person.chat)).toHaveLength(1);
  });

  it('retries when Telegram cannot be reached, with the back-off, and sends once when it can; set aside after the last attempt', async () => {
    const person = await linkedPerson();
    const id = await queue(person.id, 'rsvp_going', reminderPayload());
    api.setOffline(true);
    try {
      const before = Date.now();
      expect(await worker.runOnce()).toBe(0);
      const row = await rowOf(id);
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.next_attempt_at.getTime()).toBeGreaterThanOrEqual(before + 30 * SECOND);
      expect(await chatOf(person.id)).toBe(String(person.chat));
    } finally {
      api.setOffline(false);
    }
    await db.updateTable('outbox').set({ next_attempt_at: new Date(Date.now() - SECOND) }).where('id', '=', id).execute();
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect(api.messagesTo(person.chat)).toHaveLength(1);

    const last = await queue(person.id, 'rsvp_going', reminderPayload());
    await db.updateTable('outbox').set({ attempts: MAX_ATTEMPTS - 1 }).where('id', '=', last).execute();
    api.setOffline(true);
    try {
      await worker.runOnce();
    } finally {
      api.setOffline(false);
    }
    expect(await rowOf(last)).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
  });

  it('never sends the first part of a long message twice: a later part failing sets it aside', async () => {
    const person = await linkedPerson();
    const long = Array.from({ length: 120 }, (_, i) => `Zeile ${i}: ${'x'.repeat(60)}`).join('\n');
    api.rateLimitChat(person.chat, 60, 1, 1);
    const id = await queue(person.id, 'rsvp_reminder', { ...reminderPayload(3), activityTitle: long });
    expect(await worker.runOnce()).toBe(0);
    expect(await rowOf(id)).toMatchObject({ status: 'dead', attempts: 1, last_error: expect.stringMatching(/^Sent 1 of \d parts/) });
    expect(api.messagesTo(person.chat)).toHaveLength(1);
  });
});

/** An answer service that knows which RSVPs and sign-ups are whose, and records what it is asked. */
function fakeAnswers(owned: Map<string, number>, outcome: AnswerOutcome = 'cancelled') {
  const asked: Array<{ kind: 'rsvp' | 'shift' | 'booking'; personId: number; id: number; answer: string }> = [];
  const answer = (kind: 'rsvp' | 'shift' | 'booking') => async (_db: unknown, _context: unknown, personId: number, id: number, given: 'coming' | 'not_coming') => {
    asked.push({ kind, personId, id, answer: given });
    if (owned.get(`${kind}:${id}`) !== personId) return { outcome: 'not_found' as const };
    return { outcome: given === 'coming' ? ('confirmed' as const) : outcome };
  };
  const service: AnswerService = { answerRsvpAsPerson: answer('rsvp'), answerShiftAsPerson: answer('shift'), answerBookingAsPerson: answer('booking') };
  return { service, asked };
}

describe('pressing a button', () => {
  const owned = new Map<string, number>();
  const fake = fakeAnswers(owned);
  let bot: Bot;
  beforeAll(() => {
    bot = createTelegramBot({ token: BOT_TOKEN, apiRoot: api.url, botInfo: BOT_INFO }, { db, answers: fake.service, context: { baseUrl: BASE_URL }, townName: 'Altena' });
  });
  beforeEach(() => {
    fake.asked.length = 0;
  });

  /** Sends the person a reminder for RSVP `rsvpId` through the outbox and returns it as delivered. */
  async function remind(person: { id: number; chat: number }, rsvpId: number, locale: Locale = 'de'): Promise<SentMessage> {
    await queue(person.id, 'rsvp_reminder', reminderPayload(rsvpId), locale);
    await worker.runOnce();
    return api.messagesTo(person.chat).at(-1)!;
  }

  it('answers for the person linked to the chat, says how it came out, and writes the outcome under the message', async () => {
    const person = await linkedPerson({ locale: 'ar' });
    owned.set('rsvp:501', person.id);
    const message = await remind(person, 501, 'ar');
    const originalText = message.text;
    const originalEntities = message.entities;
    await bot.handleUpdate(api.buttonUpdate(person.chat, message, 'a:r:501:n') as never);

    expect(fake.asked).toEqual([{ kind: 'rsvp', personId: person.id, id: 501, answer: 'not_coming' }]);
    const t = translator('ar');
    expect(api.callsOf('answerCallbackQuery').at(-1)!.params).toMatchObject({ text: t('telegram.answer.rsvpCancelled') });
    const edited = api.messagesTo(person.chat).at(-1)!;
    expect(edited.text).toBe(`${originalText}\n\n${t('telegram.answer.rsvpCancelled')}`);
    expect(edited.entities).toEqual(originalEntities);
    expect(edited.reply_markup).toBeUndefined();
  });

  it('after "coming" keeps "can’t come" on offer; pressing it twice changes nothing more', async () => {
    const person = await linkedPerson({ locale: 'de' });
    owned.set('shift:77', person.id);
    await queue(person.id, 'volunteer_reminder', { ...reminderPayload(), roleName: 'Aufbau', signupId: 77 });
    await worker.runOnce();
    const message = api.messagesTo(person.chat).at(-1)!;
    await bot.handleUpdate(api.buttonUpdate(person.chat, structuredClone(message), 'a:s:77:y') as never);
    const t = translator('de');
    expect(message.text.endsWith(`\n\n${t('telegram.answer.shiftConfirmed')}`)).toBe(true);
    expect(message.reply_markup).toEqual({ inline_keyboard: [[{ text: t('telegram.button.shiftNotComing'), callback_data: 'a:s:77:n' }]] });
    // Telegram answers "not modified" to the same edit: the press is still answered, without an error.
    const before = { ...message, text: message.text.slice(0, message.text.lastIndexOf('\n\n')) };
    await expect(bot.handleUpdate(api.buttonUpdate(person.chat, before, 'a:s:77:y') as never)).resolves.toBeUndefined();
    expect(api.callsOf('answerCallbackQuery').at(-1)!.params).toMatchObject({ text: t('telegram.answer.shiftConfirmed') });
  });

  it('answers a consultation reminder for the booking: "can’t come" gives the time up, in the person’s language', async () => {
    const person = await linkedPerson({ locale: 'uk' });
    owned.set('booking:88', person.id);
    await queue(person.id, 'consultation_reminder', { name: 'Olena', url: `${BASE_URL}/uk/consultations`, organisationName: 'Integrationsbüro', startsAt: '2030-05-21T07:00:00.000Z', endsAt: '2030-05-21T07:20:00.000Z', place: 'Rathaus', remote: false, topic: 'housing', language: 'uk', interpreterNeeded: false, bookingId: 88 }, 'uk');
    await worker.runOnce();
    const message = api.messagesTo(person.chat).at(-1)!;
    await bot.handleUpdate(api.buttonUpdate(person.chat, structuredClone(message), 'a:b:88:n') as never);
    expect(fake.asked).toEqual([{ kind: 'booking', personId: person.id, id: 88, answer: 'not_coming' }]);
    const t = translator('uk');
    expect(message.text.endsWith(`\n\n${t('telegram.answer.bookingCancelled')}`)).toBe(true);
    expect(message.reply_markup).toBeUndefined();
  });

  it('answers "not found" for someone else’s RSVP and leaves the message as it was', async () => {
    const person = await linkedPerson({ locale: 'en' });
    const other = await linkedPerson();
    owned.set('rsvp:601', other.id);
    const message = await remind(person, 600, 'en');
    const edits = api.callsOf('editMessageText').length;
    await bot.handleUpdate(api.buttonUpdate(person.chat, message, 'a:r:601:n') as never);
    expect(fake.asked).toEqual([{ kind: 'rsvp', personId: person.id, id: 601, answer: 'not_coming' }]);
    expect(api.callsOf('answerCallbackQuery').at(-1)!.params).toMatchObject({ text: translator('en')('telegram.answer.notFound') });
    expect(api.callsOf('editMessageText')).toHaveLength(edits);
  });

  it('does nothing for a chat linked to nobody (any more) or for data the portal never wrote', async () => {
    const person = await linkedPerson({ locale: 'uk' });
    owned.set('rsvp:701', person.id);
    const message = await remind(person, 701, 'uk');
    await db.deleteFrom('telegram_chat').where('user_id', '=', person.id).execute();
    await bot.handleUpdate(api.buttonUpdate(person.chat, message, 'a:r:701:n') as never);
    expect(api.callsOf('answerCallbackQuery').at(-1)!.params).toMatchObject({ text: translator('de')('telegram.answer.notLinked'), show_alert: true });

    const linked = await linkedPerson();
    owned.set('rsvp:702', linked.id);
    const own = await remind(linked, 702);
    for (const data of ['a:r:702:x', 'a:r:0:n', 'a:r:99999999999:n', 'a:q:702:n', 'a:r:702:n:extra', '']) {
      await bot.handleUpdate(api.buttonUpdate(linked.chat, own, data) as never);
    }
    expect(fake.asked).toEqual([]);
    expect(api.callsOf('answerCallbackQuery').slice(-6).map((c) => c.params.text)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
