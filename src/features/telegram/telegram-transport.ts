// Delivers the outbox's Telegram rows (src/features/outbox/worker.ts hands them over one at a
// time). The chat is looked up at the moment of sending: a person who unlinked after the message
// was queued gets nothing, and the row is set aside at once.
//
// What Telegram's answers mean for the row:
// - 403 (the person blocked the bot, or deleted their account), or 400 "chat not found": the
//   chat is gone for us. It is unlinked (so that their next messages go by e-mail) and the row
//   set aside — never retried.
// - Any other 400: Telegram refuses this message as it is; retrying cannot help: set aside.
// - 429 (too many messages): a short wait (a few seconds) is waited out here, at once; a longer
//   one is handed to the outbox as the time of the next attempt.
// - A network error or a 5xx: retried with the outbox's back-off, then set aside after
//   MAX_ATTEMPTS like any mail.
// The outbox's claim and mark make sure a message is not sent twice; a text longer than one
// Telegram message goes in parts, and once a part is out the rest is never retried as a whole
// (that would send the first part again): a later part's failure sets the row aside.
import { GrammyError, HttpError, type Api } from 'grammy';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { RetryLaterError, UndeliverableError, type MessengerTransport } from '../outbox/worker.ts';
import { renderTelegramMessage } from './telegram-message.ts';
import { chatOfPerson } from './telegram.queries.ts';
import { unlinkChat } from './telegram.service.ts';

/** A 429 asking to wait at most this long is waited out while sending. */
export const SHORT_WAIT_MS = 5_000;
/** How often one part is sent again after short waits, before the outbox takes over. */
const SHORT_WAIT_TRIES = 2;

export interface TelegramTransportOptions {
  /** For tests: how to wait (the real one sleeps). */
  sleep?: (ms: number) => Promise<void>;
}

/** Whether Telegram's answer says the chat is gone for the bot (blocked, deleted, never was). */
export function chatIsGone(error: GrammyError): boolean {
  return error.error_code === 403 || (error.error_code === 400 && /chat not found|user is deactivated|peer_id_invalid/i.test(error.description));
}

export function createTelegramTransport(db: Kysely<Database>, api: Api, options: TelegramTransportOptions = {}): MessengerTransport {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function sendPart(chatId: string, part: ReturnType<typeof renderTelegramMessage>[number]): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        await api.sendMessage(chatId, part.text, {
          ...(part.entities.length ? { entities: part.entities } : {}),
          ...(part.keyboard ? { reply_markup: part.keyboard } : {}),
          link_preview_options: { is_disabled: true },
        });
        return;
      } catch (error) {
        const waitMs = error instanceof GrammyError && error.error_code === 429 ? (error.parameters.retry_after ?? 1) * 1000 : null;
        if (waitMs === null || waitMs > SHORT_WAIT_MS || tries >= SHORT_WAIT_TRIES) throw error;
        await sleep(waitMs);
      }
    }
  }

  return {
    async send(message, settings) {
      if (message.recipientUserId === null) throw new UndeliverableError('A Telegram message needs a person to send it to');
      const chatId = await chatOfPerson(db, message.recipientUserId);
      if (!chatId) throw new UndeliverableError('The person has no Telegram chat linked (any more)');
      const parts = renderTelegramMessage(message, settings);
      for (const [index, part] of parts.entries()) {
        try {
          await sendPart(chatId, part);
        } catch (error) {
          if (error instanceof GrammyError) {
            if (chatIsGone(error)) {
              await unlinkChat(db, chatId, 'refused_by_telegram');
              throw new UndeliverableError(`Telegram refused the chat, now unlinked: ${error.error_code} ${error.description}`);
            }
            if (index > 0) throw new UndeliverableError(`Sent ${index} of ${parts.length} parts, then Telegram answered ${error.error_code} ${error.description}`);
            if (error.error_code === 429) throw new RetryLaterError(`Telegram asked to wait: ${error.description}`, (error.parameters.retry_after ?? 30) * 1000);
            if (error.error_code === 400) throw new UndeliverableError(`Telegram refused the message: ${error.description}`);
            throw new Error(`Telegram answered ${error.error_code} ${error.description}`);
          }
          if (index > 0) throw new UndeliverableError(`Sent ${index} of ${parts.length} parts, then: ${error instanceof Error ? error.message : String(error)}`);
          if (error instanceof HttpError) throw new Error(`Telegram could not be reached: ${error.message}`);
          throw error;
        }
      }
    },
  };
}
