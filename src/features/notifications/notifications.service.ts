// A person's notification settings: what the settings page shows, and saving it. The rules of
// where one message goes are in routing.ts; these are the rules of what a person may choose.
import type { Kysely } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { hasTelegramChat, readInterests, readSettings, writeInterests, writeSettings, type ChannelChoice, type ProgrammeInterests } from './notifications.queries.ts';
import type { NotificationSettingsInput } from './notifications.schema.ts';
import { defaultChannels, REQUIRED_TOPICS, TOPICS, type Topic } from './topics.ts';
import { PROGRAMME_SENT_AT } from './weekly-programme.ts';

type Person = Pick<SessionUser, 'id' | 'email'>;

export interface TopicSetting {
  topic: Topic;
  /** Cannot be switched off on every channel. */
  required: boolean;
  channels: ChannelChoice;
}

export interface NotificationSettingsView {
  topics: TopicSetting[];
  hasEmail: boolean;
  /** Null when the installation runs no Telegram bot (the channel is not offered at all). */
  telegram: { linked: boolean } | null;
  interests: ProgrammeInterests;
}

const NO_INTERESTS: ProgrammeInterests = { categories: [], noGermanNeeded: false, childcare: false };

/** What the settings page shows: each topic's channels (the person's or the default). */
export async function loadNotificationSettings(db: Kysely<Database>, person: Person, options: { telegramOffered: boolean }): Promise<NotificationSettingsView> {
  const [settings, interests, linked] = await Promise.all([
    readSettings(db, person.id),
    readInterests(db, person.id),
    options.telegramOffered ? hasTelegramChat(db, person.id) : Promise.resolve(false),
  ]);
  return {
    topics: TOPICS.map((topic) => ({ topic, required: REQUIRED_TOPICS.has(topic), channels: settings.get(topic) ?? defaultChannels(topic) })),
    hasEmail: Boolean(person.email),
    telegram: options.telegramOffered ? { linked } : null,
    interests: interests ?? NO_INTERESTS,
  };
}

export type SaveSettingsResult = { ok: true } | { ok: false; fields: Partial<Record<Topic, string>> };

/**
 * Saves the form. Without a Telegram bot the form offers e-mail only, and what the person chose
 * for Telegram before stays as it was (a bot that comes back finds it). A required topic must
 * keep a channel the form offers; otherwise nothing is saved and the topic's row says why.
 * The interests are kept whenever the person has the programme or chose any (they stay when
 * the programme is switched off, for switching it on again).
 */
export async function saveNotificationSettings(
  db: Kysely<Database>,
  person: Person,
  input: NotificationSettingsInput,
  options: { telegramOffered: boolean; ip?: string | null; now?: Date },
): Promise<SaveSettingsResult> {
  const now = options.now ?? new Date();
  const before = await readSettings(db, person.id);
  const chosen = new Map<Topic, ChannelChoice>();
  const fields: Partial<Record<Topic, string>> = {};
  for (const topic of TOPICS) {
    const ticked = input[topic];
    const previous = before.get(topic) ?? defaultChannels(topic);
    const channels = { email: ticked.includes('email'), telegram: options.telegramOffered ? ticked.includes('telegram') : previous.telegram };
    const offeredOn = channels.email || (options.telegramOffered && channels.telegram);
    if (REQUIRED_TOPICS.has(topic) && !offeredOn) fields[topic] = 'notifications.error.required';
    chosen.set(topic, channels);
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };

  const interests: ProgrammeInterests = { categories: [...new Set(input.categories)], noGermanNeeded: input.noGermanNeeded, childcare: input.childcare };
  const changed = TOPICS.filter((topic) => {
    const was = before.get(topic) ?? defaultChannels(topic);
    const is = chosen.get(topic)!;
    return was.email !== is.email || was.telegram !== is.telegram;
  });
  await db.transaction().execute(async (trx) => {
    await writeSettings(trx, person.id, chosen, now);
    const programme = chosen.get('weekly_programme')!;
    const keepInterests = programme.email || programme.telegram || interests.categories.length > 0 || interests.noGermanNeeded || interests.childcare || (await readInterests(trx, person.id)) !== null;
    if (keepInterests) await writeInterests(trx, person.id, interests, now);
    if (changed.length > 0) {
      await recordAudit(trx, { actorUserId: person.id, action: 'account.notifications_changed', objectType: 'user', objectId: person.id, ip: options.ip ?? null, details: { topics: changed } });
    }
  });
  return { ok: true };
}

/** When the weekly programme goes out, in the reader's words and digits: "Sonntag", "17:00". */
export function programmeSendTime(locale: Locale): { day: string; time: string } {
  // 13 December 2026 is a Sunday; UTC, since only the weekday and the clock are named.
  const at = new Date(Date.UTC(2026, 11, 13 + PROGRAMME_SENT_AT.weekday, PROGRAMME_SENT_AT.hour));
  return {
    day: new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(at),
    time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(at),
  };
}
