// Delivers the outbox: over SMTP through nodemailer when SMTP_URL is set, otherwise to the log.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { claimDueMessages, markFailed, markSent, type OutboxMessage } from './outbox.ts';
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

export interface OutboxWorkerOptions {
  transport: MailTransport;
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

  async function deliver(message: OutboxMessage): Promise<boolean> {
    try {
      const mail = renderMail(message, { townName: options.townName, timeZone: options.timeZone });
      await options.transport.send({ ...mail, to: message.recipientEmail, messageId: `<outbox-${message.id}@${options.host}>` });
    } catch (error) {
      await markFailed(db, message, error instanceof Error ? error.message : String(error));
      return false;
    }
    await markSent(db, message.id);
    return true;
  }

  async function runOnce(): Promise<number> {
    const messages = await claimDueMessages(db, batchSize);
    let sent = 0;
    // One at a time: SMTP servers throttle bursts, and the embedded database has one connection.
    for (const message of messages) if (await deliver(message)) sent++;
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
    },
  };
}
