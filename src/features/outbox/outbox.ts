// The outbox: a notification is a row written in the same transaction as the change that
// causes it, so none is lost and none is sent for a change that was rolled back. A worker in
// each app process claims due rows with FOR UPDATE SKIP LOCKED (safe with several servers),
// sends them, and marks them sent; failures are retried with back-off, then set aside.
//
// Secrets: a mail's template names the payload fields that are secret (a link carrying a
// token); they are kept in the row's own `secrets` column, apart from the payload, only while
// the mail may still have to be sent — also again, after a crash between sending and marking
// it sent. Marking it sent or setting it aside empties that column, so afterwards only the
// token's hash (in email_token, or in invitation) rests in the database. Sent and set-aside mails are deleted
// by retention after the period a site admin sets (src/features/privacy/retention.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Locale, OutboxChannel } from '../../db/schema.ts';
import { secretFieldsOf } from './templates.ts';
import { routeMessage } from '../notifications/routing.ts';

import type { VolunteeringMailKind } from '../volunteering/volunteering.mails.ts';
import type { MentoringMailKind } from '../mentoring/mentoring.mails.ts';
import type { AccountsMailKind } from '../accounts/accounts.mails.ts';
import type { OrganisationMailKind } from '../organisations/organisations.mails.ts';
import type { RetentionMailKind } from '../privacy/retention.mails.ts';
import type { NotificationsMailKind } from '../notifications/notifications.mails.ts';
import type { ConsultationsMailKind } from '../consultations/consultations.mails.ts';
import type { HelpRequestMailKind } from '../help-requests/help-requests.mails.ts';
import type { MatchingMailKind } from '../help-requests/matching.mails.ts';

export type OutboxKind =
  | 'confirm_email'
  | 'reset_password'
  | 'rsvp_going'
  | 'rsvp_waitlisted'
  | 'rsvp_promoted'
  | 'activity_changed'
  | 'activity_cancelled'
  | 'activity_reinstated'
  | 'rsvp_reminder'
  | VolunteeringMailKind
  | MentoringMailKind
  | AccountsMailKind
  | OrganisationMailKind
  | RetentionMailKind
  | NotificationsMailKind
  | ConsultationsMailKind
  | HelpRequestMailKind
  | MatchingMailKind;

export interface OutboxMessage {
  id: number;
  kind: OutboxKind;
  recipientUserId: number | null;
  /** Null exactly for a Telegram message. */
  recipientEmail: string | null;
  channel: OutboxChannel;
  locale: Locale;
  payload: Record<string, unknown>;
  attempts: number;
}

export const MAX_ATTEMPTS = 8;

/** A claimed row whose sender died is taken up again after this long. */
export const CLAIM_TIMEOUT_MS = 5 * 60_000;

/** 30 s, 1 min, 2 min, … capped at 6 h: a mail server that is down for a night catches up. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60_000);
}

/**
 * Queues one message: one outbox row for each channel the recipient's notification settings
 * choose for the kind's topic (src/features/notifications/routing.ts: account messages by
 * e-mail only, required topics never on no channel, Telegram only with a running bot and a
 * linked chat). A Telegram row has no e-mail address. Someone no channel reaches (no address,
 * no Telegram) gets nothing, and the answer is null: callers never have to check themselves.
 * Otherwise the answer is the id of the first row written (the e-mail one when there is one).
 * `aboutUserId` is the person the message names when that is not its recipient (a Kümmerer
 * told about their mentee, a person told who invited them): erasing that person deletes every
 * row of it.
 */
export async function enqueueMessage(
  trx: Kysely<Database> | Transaction<Database>,
  message: { kind: OutboxKind; recipientUserId: number | null; recipientEmail: string | null; locale: Locale; payload: Record<string, unknown>; aboutUserId?: number | null },
): Promise<number | null> {
  const channels = await routeMessage(trx, message);
  if (channels.length === 0) return null;
  const payload: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  const secretFields = secretFieldsOf(message.kind);
  for (const [field, value] of Object.entries(message.payload)) (secretFields.includes(field) ? secrets : payload)[field] = value;
  const rows = await trx
    .insertInto('outbox')
    .values(
      channels.map((channel) => ({
        kind: message.kind,
        channel,
        recipient_user_id: message.recipientUserId,
        about_user_id: message.aboutUserId ?? null,
        recipient_email: channel === 'email' ? message.recipientEmail : null,
        locale: message.locale,
        payload: JSON.stringify(payload),
        secrets: Object.keys(secrets).length ? JSON.stringify(secrets) : null,
      })),
    )
    .returning('id')
    .execute();
  return Math.min(...rows.map((r) => r.id));
}

/**
 * Claims up to `limit` due messages: pending ones whose time has come, and ones claimed by a
 * sender that never reported back. The recipient's current language wins over the one stored
 * at enqueue time, so a person who switched language gets mail in the new one.
 */
export async function claimDueMessages(db: Kysely<Database>, limit: number, now = new Date()): Promise<OutboxMessage[]> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('locked_until', '<=', now)]),
        ]),
      )
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const rows = await trx
      .updateTable('outbox')
      .set({ status: 'sending', locked_until: new Date(now.getTime() + CLAIM_TIMEOUT_MS), attempts: sql`attempts + 1` })
      .where('id', 'in', due.map((r) => r.id))
      .returning(['id', 'kind', 'recipient_user_id', 'recipient_email', 'channel', 'locale', 'payload', 'secrets', 'attempts'])
      .execute();
    const users = await trx
      .selectFrom('app_user')
      .select(['id', 'locale'])
      .where('id', 'in', [...new Set(rows.map((r) => r.recipient_user_id).filter((id): id is number => id !== null)), -1])
      .execute();
    const localeOf = new Map(users.map((u) => [u.id, u.locale]));
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({
        id: r.id,
        kind: r.kind as OutboxKind,
        recipientUserId: r.recipient_user_id,
        recipientEmail: r.recipient_email,
        channel: r.channel,
        locale: (r.recipient_user_id !== null && localeOf.get(r.recipient_user_id)) || r.locale,
        payload: r.secrets ? { ...r.payload, ...r.secrets } : r.payload,
        attempts: r.attempts,
      }));
  });
}

/**
 * Marks a message sent; its secrets (see above) go with it, since no secret may rest in the
 * database, not even in a sent message. Other links (to an activity) stay in the payload.
 */
export async function markSent(db: Kysely<Database>, id: number, now = new Date()): Promise<void> {
  await db.updateTable('outbox').set({ status: 'sent', sent_at: now, locked_until: null, last_error: null, secrets: null }).where('id', '=', id).execute();
}

/**
 * Gives back a claim whose message was never handed to the transport (its batch stopped when
 * the database went away), so that it is sent at once instead of after CLAIM_TIMEOUT_MS. Only
 * our own claim is given back: a later claim by someone else has counted another attempt.
 */
export async function releaseClaim(db: Kysely<Database>, message: OutboxMessage): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'pending', locked_until: null, attempts: message.attempts - 1 })
    .where('id', '=', message.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', message.attempts)
    .execute();
}

/**
 * How a failed attempt is followed up: `setAside` when no retry can succeed (a messenger chat
 * that blocked the bot or was unlinked), `retryAfterMs` when the other side said when to try
 * again (Telegram's 429 retry_after) — then, rather than the back-off.
 */
export interface FailureAdvice {
  setAside?: boolean;
  retryAfterMs?: number;
}

export async function markFailed(db: Kysely<Database>, message: OutboxMessage, error: string, now = new Date(), advice: FailureAdvice = {}): Promise<'retry' | 'dead'> {
  const dead = advice.setAside === true || message.attempts >= MAX_ATTEMPTS;
  await db
    .updateTable('outbox')
    .set({
      status: dead ? 'dead' : 'pending',
      locked_until: null,
      // A mail set aside is never sent: its secrets go now. One to be retried keeps them.
      ...(dead ? { secrets: null } : {}),
      last_error: error.slice(0, 2000),
      next_attempt_at: new Date(now.getTime() + (advice.retryAfterMs ?? backoffMs(message.attempts))),
    })
    .where('id', '=', message.id)
    .execute();
  return dead ? 'dead' : 'retry';
}
