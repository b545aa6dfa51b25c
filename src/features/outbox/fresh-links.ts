// Some mails carry a link with a secret in it (an invitation). Such a secret must never rest in
// the database, not even in the outbox or in a sent message: the queued mail holds the link
// without it and names a minter ({ freshLink: 'invitation', … } in its payload); the worker asks
// the minter for a new secret just before sending, and the feature keeps only its hash. If the
// mail is sent again (a retry), a new secret replaces the old, so the newest mail's link works.
// A minter answers null when the mail's reason is gone (the invitation was withdrawn).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { mintInvitationSecret } from '../organisations/invitation-links.ts';
import type { OutboxMessage } from './outbox.ts';

export type SecretMinter = (db: Kysely<Database>, payload: Record<string, unknown>, now: Date) => Promise<string | null>;

const MINTERS: Record<string, SecretMinter> = {
  invitation: mintInvitationSecret,
};

/** The message with its link's secret in place (as ?token=), or null when it must not go out. */
export async function withFreshLink(db: Kysely<Database>, message: OutboxMessage, now = new Date()): Promise<OutboxMessage | null> {
  const kind = message.payload.freshLink;
  if (kind === undefined) return message;
  const mint = typeof kind === 'string' ? MINTERS[kind] : undefined;
  if (!mint) throw new Error(`no minter for the link of outbox message ${message.id}`);
  const secret = await mint(db, message.payload, now);
  if (secret === null) return null;
  const url = new URL(String(message.payload.url));
  url.searchParams.set('token', secret);
  return { ...message, payload: { ...message.payload, url: url.toString() } };
}
