// Where one message goes: the channels of its topic that the person chose and that can reach
// them now. enqueueMessage (src/features/outbox/outbox.ts) writes one outbox row per channel
// this returns, and none when it returns none.
//
// The rules, in order:
// 1. Messages about the account itself ('account' kinds: confirming an address, a reset link)
//    go to the e-mail address only; they exist because of that address.
// 2. Otherwise the person's setting for the topic (or its default, see topics.ts) names the
//    channels they want; of these, the ones that can reach them now are used. E-mail can when
//    the person has an address; Telegram when the installation runs a bot
//    (channels-available.ts) and the person linked a chat.
// 3. A topic they want (some channel ticked) whose chosen channels cannot reach them now
//    still reaches them on one that can — e-mail first, else Telegram: a person who has no
//    e-mail address but linked Telegram gets on Telegram what the defaults send by e-mail, and
//    one who chose Telegram and unlinked it gets e-mail rather than nothing.
// 4. Required topics (an activity of theirs cancelled or moved) reach them the same way even
//    when they switched every channel off (the settings form refuses that, but a setting
//    written otherwise, or a channel lost since, must not silence them).
// 5. A person no channel can reach gets nothing.
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxChannel } from '../../db/schema.ts';
import type { OutboxKind } from '../outbox/outbox.ts';
import { isTelegramAvailable } from './channels-available.ts';
import { readRoutingFacts, type ChannelChoice } from './notifications.queries.ts';
import { CHANNELS, defaultChannels, REQUIRED_TOPICS, TOPIC_OF_KIND, type Topic } from './topics.ts';

export interface Reachability {
  /** The person has an e-mail address. */
  email: boolean;
  /** A bot runs and the person linked a chat. */
  telegram: boolean;
}

export function chooseChannels(topic: Topic | 'account', setting: ChannelChoice | null, reachable: Reachability): OutboxChannel[] {
  if (topic === 'account') return reachable.email ? ['email'] : [];
  const wanted = setting ?? defaultChannels(topic);
  const chosen = CHANNELS.filter((channel) => wanted[channel] && reachable[channel]);
  if (chosen.length > 0) return chosen;
  const wantsTopic = CHANNELS.some((channel) => wanted[channel]);
  if (!wantsTopic && !REQUIRED_TOPICS.has(topic)) return [];
  const fallback = CHANNELS.find((channel) => reachable[channel]);
  return fallback ? [fallback] : [];
}

/**
 * The channels one message goes out on, read from the recipient's settings (one query; none
 * for account messages or mail to an address without an account, such as an invitation).
 */
export async function routeMessage(
  db: Kysely<Database> | Transaction<Database>,
  message: { kind: OutboxKind; recipientUserId: number | null; recipientEmail: string | null },
): Promise<OutboxChannel[]> {
  const topic = TOPIC_OF_KIND[message.kind];
  const hasEmail = message.recipientEmail !== null && message.recipientEmail !== '';
  if (topic === 'account' || message.recipientUserId === null) return chooseChannels(topic, null, { email: hasEmail, telegram: false });
  const askTelegram = isTelegramAvailable();
  const facts = await readRoutingFacts(db, message.recipientUserId, topic, askTelegram);
  return chooseChannels(topic, facts.setting, { email: hasEmail, telegram: askTelegram && facts.telegramChat });
}
