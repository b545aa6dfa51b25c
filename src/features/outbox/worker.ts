// Delivers the outbox: over SMTP through nodemailer when SMTP_URL is set, otherwise to the log.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { claimDueMessages, markFailed, markSent, releaseClaim, type OutboxMessage } from './outbox.ts';
import { renderMail, type RenderedMail } from './templates.ts';

export interface Mail extends RenderedMail {
  to: string;
  /** The same for every attempt of one message, so a mail sent twice after a crash between
   * sending and marking it sent is recognised as one by mail programs. */
  messageId: string;
}

export interface MailTransport {
  send(mail: Mail): Promise<void>;
  close?(): void;
}

export async function createMailTransport(options: { smtpUrl?: string | undefined; from: string }): Promise<MailTransport> {
  if (!options.smtpUrl) {
    return {
      // Without SMTP the mail goes to the log, readable, so that a developer can click its link.
      async send(mail) {
        const body = mail.text.replace(/\n+$/, '').split('\n').map((line) => `  | ${line}`).join('\n');
        console.log(`[mail] to=${mail.to} id=${mail.messageId} subject=${JSON.stringify(mail.subject)}\n${body}\n[mail] end`);
      },
    };
  }
  const { default: nodemailer } = await import('nodemailer');
  const transporter = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(mail) {
      await transporter.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
    },
    close: () => transporter.close(),
  };
}

/** Sends an outbox message to a messenger (src/features/telegram). It looks the chat up itself,
 * so a chat unlinked after the message was queued gets nothing. Besides any error (retried with
 * back-off), it may throw an UndeliverableError or a RetryLaterError. */
export interface MessengerTransport {
  send(message: OutboxMessage, settings: { townName: string; timeZone: string }): Promise<void>;
}

/** No retry can deliver this message (the chat blocked the bot, or is no longer linked): it is
 * set aside at once instead of being tried MAX_ATTEMPTS times. */
export class UndeliverableError extends Error {
  override readonly name = 'UndeliverableError';
}

/** The other side asked us to wait (Telegram's 429 with retry_after): the next attempt comes
 * then, rather than after the back-off. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

export interface OutboxWorkerOptions {
  transport: MailTransport;
  /** Without a Telegram bot, Telegram messages fail and are retried, then set aside. */
  telegram?: MessengerTransport | undefined;
  townName: string;
  timeZone: string;
  host: string;
  intervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
}

export interface OutboxWorker {
  /** Delivers what is due now; returns how many messages were sent. */
  runOnce(): Promise<number>;
  /** Stops polling and waits for the batch in hand to finish. */
  stop(): Promise<void>;
}

export function startOutboxWorker(db: Kysely<Database>, options: OutboxWorkerOptions): OutboxWorker {
  const intervalMs = options.intervalMs ?? 2_000;
  const batchSize = options.batchSize ?? 20;
  let stopped = false;
  let current: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  // What a batch left behind when the database went away in the middle of it (a restart):
  // messages handed to the transport but not yet marked sent, and claimed ones not yet
  // handed over. Both are settled first thing in the next round, so a database restart
  // neither sends a mail twice (which waiting out the claim would) nor delays it by
  // CLAIM_TIMEOUT_MS. Only a crash of this process leaves them to the claim timeout: that
  // is the at-least-once edge the Message-ID above is for.
  const sentNotMarked = new Set<number>();
  let claimedNotSent: OutboxMessage[] = [];

  async function settle(): Promise<void> {
    for (const id of [...sentNotMarked]) {
      await markSent(db, id);
      sentNotMarked.delete(id);
    }
    while (claimedNotSent.length) {
      await releaseClaim(db, claimedNotSent[0]!);
      claimedNotSent.shift();
    }
  }

  async function deliver(message: OutboxMessage): Promise<boolean> {
    try {
      const settings = { townName: options.townName, timeZone: options.timeZone };
      if (message.channel === 'telegram') {
        if (!options.telegram) throw new Error('No Telegram bot is configured');
        await options.telegram.send(message, settings);
      } else {
        const mail = renderMail(message, settings);
        await options.transport.send({ ...mail, to: message.recipientEmail ?? '', messageId: `<outbox-${message.id}@${options.host}>` });
      }
    } catch (error) {
      const advice = error instanceof UndeliverableError ? { setAside: true } : error instanceof RetryLaterError ? { retryAfterMs: error.retryAfterMs } : {};
      await markFailed(db, message, error instanceof Error ? error.message : String(error), new Date(), advice);
      return false;
    }
    sentNotMarked.add(message.id);
    await markSent(db, message.id);
    sentNotMarked.delete(message.id);
    return true;
  }

  async function runOnce(): Promise<number> {
    await settle();
    const messages = await claimDueMessages(db, batchSize);
    let sent = 0;
    // One at a time: SMTP servers throttle bursts, and the embedded database has one connection.
    for (const [index, message] of messages.entries()) {
      try {
        if (await deliver(message)) sent++;
      } catch (error) {
        // markSent or markFailed could not reach the database: keep the rest for settle().
        claimedNotSent = messages.slice(sentNotMarked.has(message.id) ? index + 1 : index);
        throw error;
      }
    }
    return sent;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      current = runOnce()
        .catch((error) => {
          (options.onError ?? ((e) => console.warn(`[outbox] ${e instanceof Error ? e.message : e}`)))(error);
          return 0;
        })
        .finally(() => {
          current = null;
          schedule();
        });
    }, intervalMs);
    timer.unref();
  }
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (current) await current;
      // Leave nothing claimed behind if the database lets us.
      await settle().catch(() => undefined);
    },
  };
}
