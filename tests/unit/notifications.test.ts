// Where messages go: every topic under every choice of channels and every way a person can be
// reached; the outbox rows enqueueMessage writes for each kind; and the settings a person saves
// (a required topic never switched off entirely, nothing half-saved, Telegram's choice kept
// while no bot runs).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, OutboxChannel } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { enqueueMessage, type OutboxKind } from '../../src/features/outbox/outbox.ts';
import { isTelegramAvailable, setTelegramAvailable } from '../../src/features/notifications/channels-available.ts';
import { chooseChannels } from '../../src/features/notifications/routing.ts';
import { notificationSettingsInput, type NotificationSettingsInput } from '../../src/features/notifications/notifications.schema.ts';
import { loadNotificationSettings, programmeSendTime, saveNotificationSettings } from '../../src/features/notifications/notifications.service.ts';
import { REQUIRED_TOPICS, TOPIC_OF_KIND, TOPICS, type Topic } from '../../src/features/notifications/topics.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';

let handle: DatabaseHandle;
let db: Kysely<Database>;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());
afterEach(() => setTelegramAvailable(false));

const yes = true;
const no = false;

describe('chooseChannels: every topic, every choice, every way of being reached', () => {
  // [ticked e-mail, ticked Telegram, has an address, Telegram reaches them] → channels for a
  // topic one may switch off, and for a required one (an activity of theirs cancelled or moved).
  const MATRIX: Array<[boolean, boolean, boolean, boolean, OutboxChannel[], OutboxChannel[]]> = [
    // Both ticked: whatever reaches them.
    [yes, yes, yes, yes, ['email', 'telegram'], ['email', 'telegram']],
    [yes, yes, yes, no, ['email'], ['email']],
    [yes, yes, no, yes, ['telegram'], ['telegram']],
    [yes, yes, no, no, [], []],
    // E-mail only: by e-mail; without an address, on Telegram rather than not at all.
    [yes, no, yes, yes, ['email'], ['email']],
    [yes, no, yes, no, ['email'], ['email']],
    [yes, no, no, yes, ['telegram'], ['telegram']],
    [yes, no, no, no, [], []],
    // Telegram only: on Telegram; with no chat or no bot, by e-mail rather than not at all.
    [no, yes, yes, yes, ['telegram'], ['telegram']],
    [no, yes, yes, no, ['email'], ['email']],
    [no, yes, no, yes, ['telegram'], ['telegram']],
    [no, yes, no, no, [], []],
    // Nothing ticked: nothing — except what must reach them, by e-mail first.
    [no, no, yes, yes, [], ['email']],
    [no, no, yes, no, [], ['email']],
    [no, no, no, yes, [], ['telegram']],
    [no, no, no, no, [], []],
  ];

  for (const topic of TOPICS) {
    it(`${topic}${REQUIRED_TOPICS.has(topic) ? ' (required)' : ''}`, () => {
      for (const [email, telegram, hasEmail, hasTelegram, optional, required] of MATRIX) {
        const expected = REQUIRED_TOPICS.has(topic) ? required : optional;
        const got = chooseChannels(topic, { email, telegram }, { email: hasEmail, telegram: hasTelegram });
        expect(got, JSON.stringify({ topic, ticked: { email, telegram }, reach: { hasEmail, hasTelegram } })).toEqual(expected);
      }
    });
  }

  it('only “changes” is required', () => {
    expect([...REQUIRED_TOPICS]).toEqual(['changes']);
  });

  it('without a setting of their own: every topic by e-mail but the weekly programme; without an address, on Telegram', () => {
    for (const topic of TOPICS) {
      const wanted = topic === 'weekly_programme' ? [] : ['email'];
      expect(chooseChannels(topic, null, { email: true, telegram: true }), topic).toEqual(wanted);
      expect(chooseChannels(topic, null, { email: false, telegram: true }), topic).toEqual(topic === 'weekly_programme' ? [] : ['telegram']);
      expect(chooseChannels(topic, null, { email: false, telegram: false }), topic).toEqual([]);
    }
  });

  it('account messages go to the e-mail address only, whatever the settings say', () => {
    for (const setting of [null, { email: false, telegram: true }, { email: false, telegram: false }]) {
      expect(chooseChannels('account', setting, { email: true, telegram: true })).toEqual(['email']);
      expect(chooseChannels('account', setting, { email: false, telegram: true })).toEqual([]);
    }
  });
});

describe('the Telegram channel’s availability', () => {
  it('is off until the bot says it runs, and off again when it stops', () => {
    expect(isTelegramAvailable()).toBe(false);
    setTelegramAvailable(true);
    expect(isTelegramAvailable()).toBe(true);
    setTelegramAvailable(false);
    expect(isTelegramAvailable()).toBe(false);
  });

  it('is one fact for every copy of the module (the server entry and the built app load their own)', async () => {
    vi.resetModules();
    const copy = await import('../../src/features/notifications/channels-available.ts');
    expect(copy.setTelegramAvailable).not.toBe(setTelegramAvailable);
    copy.setTelegramAvailable(true);
    expect(isTelegramAvailable()).toBe(true);
    setTelegramAvailable(false);
    expect(copy.isTelegramAvailable()).toBe(false);
  });
});

// ——— enqueueMessage ———

async function linkTelegram(person: { id: number }): Promise<void> {
  await db.insertInto('telegram_chat').values({ user_id: person.id, chat_id: String(900_000_000 + person.id) }).execute();
}

async function setTopic(person: { id: number }, topic: Topic, email: boolean, telegram: boolean): Promise<void> {
  await db
    .insertInto('notification_setting')
    .values({ user_id: person.id, topic, email, telegram })
    .onConflict((oc) => oc.columns(['user_id', 'topic']).doUpdateSet({ email, telegram }))
    .execute();
}

async function withoutEmail(person: SessionUser): Promise<SessionUser> {
  await db.updateTable('app_user').set({ email: null }).where('id', '=', person.id).execute();
  return { ...person, email: null };
}

function send(person: Pick<SessionUser, 'id' | 'email'>, kind: OutboxKind, extra: { aboutUserId?: number; payload?: Record<string, unknown> } = {}) {
  return enqueueMessage(db, { kind, recipientUserId: person.id, recipientEmail: person.email, locale: 'de', payload: { name: 'Amal', ...extra.payload }, aboutUserId: extra.aboutUserId ?? null });
}

const rowsTo = (person: { id: number }) =>
  db.selectFrom('outbox').select(['id', 'kind', 'channel', 'recipient_email', 'recipient_user_id', 'about_user_id', 'payload', 'secrets']).where('recipient_user_id', '=', person.id).orderBy('id').execute();

describe('enqueueMessage writes one row per channel', () => {
  beforeEach(async () => {
    await db.deleteFrom('outbox').execute();
  });

  it('by e-mail alone for someone who chose nothing (the defaults), Telegram or not', async () => {
    const person = await makePerson(db);
    setTelegramAvailable(true);
    await linkTelegram(person);
    const id = await send(person, 'rsvp_going');
    const rows = await rowsTo(person);
    expect(rows.map((r) => [r.channel, r.recipient_email])).toEqual([['email', person.email]]);
    expect(id).toBe(rows[0]!.id);
  });

  it('on both channels when both are chosen: the Telegram row has no address, both name whom they are about and carry the secret apart', async () => {
    const person = await makePerson(db);
    const about = await makePerson(db);
    setTelegramAvailable(true);
    await linkTelegram(person);
    await setTopic(person, 'waitlist', true, true);
    const id = await send(person, 'rsvp_promoted', { aboutUserId: about.id, payload: { activityTitle: 'Sprachcafé', url: 'https://ankommen.example/activities/1' } });
    const rows = await rowsTo(person);
    expect(rows.map((r) => [r.channel, r.recipient_email])).toEqual([
      ['email', person.email],
      ['telegram', null],
    ]);
    expect(id, 'the answer is the e-mail row').toBe(rows[0]!.id);
    for (const row of rows) {
      expect(row).toMatchObject({ kind: 'rsvp_promoted', recipient_user_id: person.id, about_user_id: about.id });
      expect(row.payload).toMatchObject({ activityTitle: 'Sprachcafé' });
    }
  });

  it('on Telegram alone when only Telegram is chosen', async () => {
    const person = await makePerson(db);
    setTelegramAvailable(true);
    await linkTelegram(person);
    await setTopic(person, 'shifts', false, true);
    await send(person, 'volunteer_reminder');
    expect((await rowsTo(person)).map((r) => r.channel)).toEqual(['telegram']);
  });

  it('by e-mail when Telegram is chosen but no bot runs, or the chat was unlinked', async () => {
    const person = await makePerson(db);
    await linkTelegram(person);
    await setTopic(person, 'shifts', false, true);
    await send(person, 'volunteer_reminder');
    setTelegramAvailable(true);
    await db.deleteFrom('telegram_chat').where('user_id', '=', person.id).execute();
    await send(person, 'volunteer_reminder');
    expect((await rowsTo(person)).map((r) => r.channel)).toEqual(['email', 'email']);
  });

  it('nothing for a topic switched off: the answer is null', async () => {
    const person = await makePerson(db);
    setTelegramAvailable(true);
    await linkTelegram(person);
    await setTopic(person, 'reminders', false, false);
    expect(await send(person, 'rsvp_reminder')).toBeNull();
    expect(await rowsTo(person)).toEqual([]);
  });

  it('changes and cancellations even when every channel is off: by e-mail, or on Telegram for someone without an address', async () => {
    const person = await makePerson(db);
    await setTopic(person, 'changes', false, false);
    for (const kind of ['activity_cancelled', 'activity_changed', 'volunteer_activity_cancelled'] as const) await send(person, kind);
    expect((await rowsTo(person)).map((r) => r.channel)).toEqual(['email', 'email', 'email']);

    const noAddress = await withoutEmail(await makePerson(db));
    setTelegramAvailable(true);
    await linkTelegram(noAddress);
    await setTopic(noAddress, 'changes', false, false);
    await send(noAddress, 'activity_cancelled');
    expect((await rowsTo(noAddress)).map((r) => [r.channel, r.recipient_email])).toEqual([['telegram', null]]);
  });

  it('a person without an address but with Telegram gets on Telegram what the defaults send by e-mail', async () => {
    const person = await withoutEmail(await makePerson(db));
    setTelegramAvailable(true);
    await linkTelegram(person);
    for (const kind of ['rsvp_going', 'rsvp_waitlisted', 'volunteer_signed_up', 'mentoring_started_newcomer', 'activity_changed'] as const) {
      expect(await send(person, kind), kind).not.toBeNull();
    }
    expect((await rowsTo(person)).every((r) => r.channel === 'telegram' && r.recipient_email === null)).toBe(true);
    expect(await rowsTo(person)).toHaveLength(5);
  });

  it('a person with neither an address nor Telegram gets nothing, as before (null)', async () => {
    const person = await withoutEmail(await makePerson(db));
    setTelegramAvailable(true);
    expect(await send(person, 'activity_cancelled')).toBeNull();
    expect(await send(person, 'rsvp_going')).toBeNull();
    expect(await rowsTo(person)).toEqual([]);
  });

  it('mail to an address without an account (an invitation) goes by e-mail', async () => {
    const id = await enqueueMessage(db, { kind: 'organisation_invitation', recipientUserId: null, recipientEmail: 'new@example.org', locale: 'de', payload: { url: 'https://ankommen.example/invitation?token=t' } });
    const row = await db.selectFrom('outbox').select(['channel', 'recipient_email']).where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'email', recipient_email: 'new@example.org' });
  });

  it('every kind follows its topic: with every topic on Telegram alone, only account messages come by e-mail', async () => {
    const person = await makePerson(db);
    setTelegramAvailable(true);
    await linkTelegram(person);
    for (const topic of TOPICS) await setTopic(person, topic, false, true);
    const kinds = Object.keys(TOPIC_OF_KIND) as OutboxKind[];
    for (const kind of kinds) await send(person, kind);
    const rows = await rowsTo(person);
    expect(rows.map((r) => r.kind)).toEqual(kinds);
    for (const row of rows) {
      const account = TOPIC_OF_KIND[row.kind as OutboxKind] === 'account';
      expect([row.kind, row.channel]).toEqual([row.kind, account ? 'email' : 'telegram']);
    }
  });

  it('every kind of a topic switched off writes nothing, and those of the other topics still go', async () => {
    for (const off of TOPICS.filter((t) => !REQUIRED_TOPICS.has(t))) {
      const person = await makePerson(db);
      await setTopic(person, off, false, false);
      for (const [kind, topic] of Object.entries(TOPIC_OF_KIND) as Array<[OutboxKind, Topic | 'account']>) {
        // The weekly programme is off unless chosen.
        const expected = topic === off || topic === 'weekly_programme' ? 'nothing' : 'a row';
        expect((await send(person, kind)) === null ? 'nothing' : 'a row', `${kind} with ${off} off`).toBe(expected);
      }
    }
  });
});

// ——— Saving the settings ———

const none = (): NotificationSettingsInput => notificationSettingsInput.parse({});

function input(fields: Record<string, string | string[]>): NotificationSettingsInput {
  return notificationSettingsInput.parse(fields);
}

const ALL_EMAIL = { reminders: ['email'], changes: ['email'], waitlist: ['email'], shifts: ['email'], mentoring: ['email'], help_requests: ['email'] };

describe('saving one’s notification settings', () => {
  it('shows the defaults first: every topic by e-mail but the weekly programme; Telegram only when a bot runs', async () => {
    const person = await makePerson(db);
    const view = await loadNotificationSettings(db, person, { telegramOffered: false });
    expect(view.topics.map((r) => [r.topic, r.channels.email, r.required])).toEqual(TOPICS.map((t) => [t, t !== 'weekly_programme', t === 'changes']));
    expect(view.telegram).toBeNull();
    expect(view.hasEmail).toBe(true);
    expect((await loadNotificationSettings(db, person, { telegramOffered: true })).telegram).toEqual({ linked: false });
    await linkTelegram(person);
    expect((await loadNotificationSettings(db, person, { telegramOffered: true })).telegram).toEqual({ linked: true });
  });

  it('saves what was ticked, shows it again, and records which topics changed', async () => {
    const person = await makePerson(db);
    const result = await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, reminders: [], weekly_programme: ['email', 'telegram'], shifts: ['telegram'] }), { telegramOffered: true, ip: '203.0.113.9' });
    expect(result).toEqual({ ok: true });
    const view = await loadNotificationSettings(db, person, { telegramOffered: true });
    const channels = Object.fromEntries(view.topics.map((r) => [r.topic, r.channels]));
    expect(channels).toEqual({
      reminders: { email: false, telegram: false },
      changes: { email: true, telegram: false },
      waitlist: { email: true, telegram: false },
      shifts: { email: false, telegram: true },
      mentoring: { email: true, telegram: false },
      help_requests: { email: true, telegram: false },
      weekly_programme: { email: true, telegram: true },
    });
    const audit = await db.selectFrom('audit_event').selectAll().where('actor_user_id', '=', person.id).where('action', '=', 'account.notifications_changed').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ topics: ['reminders', 'shifts', 'weekly_programme'] });
    // Saving the same again changes nothing and records nothing.
    await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, reminders: [], weekly_programme: ['email', 'telegram'], shifts: ['telegram'] }), { telegramOffered: true });
    expect(await db.selectFrom('audit_event').select('id').where('actor_user_id', '=', person.id).where('action', '=', 'account.notifications_changed').execute()).toHaveLength(1);
  });

  it('refuses to switch changes and cancellations off entirely, with the message at that topic, and saves nothing', async () => {
    const person = await makePerson(db);
    const refused = await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, changes: [], reminders: [], categories: ['sports'], weekly_programme: ['email'] }), { telegramOffered: true });
    expect(refused).toEqual({ ok: false, fields: { changes: 'notifications.error.required' } });
    expect(await db.selectFrom('notification_setting').select('topic').where('user_id', '=', person.id).execute()).toEqual([]);
    expect(await db.selectFrom('programme_subscription').select('user_id').where('user_id', '=', person.id).execute()).toEqual([]);
    expect(await db.selectFrom('audit_event').select('id').where('actor_user_id', '=', person.id).execute()).toEqual([]);
    // The same with nothing ticked at all.
    expect(await saveNotificationSettings(db, person, none(), { telegramOffered: false })).toEqual({ ok: false, fields: { changes: 'notifications.error.required' } });
  });

  it('lets changes move to Telegram alone when a bot runs, but not when the form offers e-mail only', async () => {
    const person = await makePerson(db);
    expect(await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, changes: ['telegram'] }), { telegramOffered: true })).toEqual({ ok: true });
    const other = await makePerson(db);
    // Without a bot the form has no Telegram box: a posted one is ignored, and e-mail must stay.
    expect(await saveNotificationSettings(db, other, input({ ...ALL_EMAIL, changes: ['telegram'] }), { telegramOffered: false })).toEqual({
      ok: false,
      fields: { changes: 'notifications.error.required' },
    });
  });

  it('keeps what a person chose for Telegram while no bot runs, for when it runs again', async () => {
    const person = await makePerson(db);
    await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, reminders: ['email', 'telegram'], shifts: ['telegram'] }), { telegramOffered: true });
    await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, reminders: [], shifts: ['email'] }), { telegramOffered: false });
    const channels = Object.fromEntries((await loadNotificationSettings(db, person, { telegramOffered: true })).topics.map((r) => [r.topic, r.channels]));
    expect(channels.reminders).toEqual({ email: false, telegram: true });
    expect(channels.shifts).toEqual({ email: true, telegram: true });
  });

  it('keeps the programme’s interests (and the week last sent) when the programme is switched off and on', async () => {
    const person = await makePerson(db);
    // No programme and no interests: no row for them.
    await saveNotificationSettings(db, person, input(ALL_EMAIL), { telegramOffered: false });
    expect(await db.selectFrom('programme_subscription').select('user_id').where('user_id', '=', person.id).execute()).toEqual([]);

    await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, weekly_programme: ['email'], categories: ['language', 'sports', 'language'], noGermanNeeded: 'on' }), { telegramOffered: false });
    await db.updateTable('programme_subscription').set({ last_sent_week: '2030-06-03' }).where('user_id', '=', person.id).execute();
    await saveNotificationSettings(db, person, input({ ...ALL_EMAIL, categories: ['language', 'sports'], noGermanNeeded: 'on' }), { telegramOffered: false });
    const view = await loadNotificationSettings(db, person, { telegramOffered: false });
    expect(view.interests).toEqual({ categories: ['language', 'sports'], noGermanNeeded: true, childcare: false });
    expect(view.topics.find((r) => r.topic === 'weekly_programme')!.channels.email).toBe(false);
    const row = await db.selectFrom('programme_subscription').select(['last_sent_week']).where('user_id', '=', person.id).executeTakeFirstOrThrow();
    expect(String(row.last_sent_week)).toContain('2030');
  });

  it('takes only channels and categories the form offers', () => {
    expect(notificationSettingsInput.safeParse({ changes: ['sms'] }).success).toBe(false);
    expect(notificationSettingsInput.safeParse({ categories: ['gambling'] }).success).toBe(false);
    expect(notificationSettingsInput.safeParse({ changes: ['email', 'email', 'email'] }).success).toBe(false);
  });

  it('names the programme’s day and hour in the reader’s language and digits', () => {
    expect(programmeSendTime('de')).toEqual({ day: 'Sonntag', time: '17:00' });
    expect(programmeSendTime('en').day).toBe('Sunday');
    expect(programmeSendTime('fa').time).toBe('۱۷:۰۰');
    expect(programmeSendTime('ar').day).toBe('الأحد');
  });
});
