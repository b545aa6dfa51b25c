// The secret of an invitation link, made as its mail is sent (src/features/outbox/fresh-links.ts):
// 160 random bits, of which only the SHA-256 is kept, valid for INVITATION_TTL_MS from then.
// Making a new one kills the one before, which is how a resent invitation retires the old link.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';

/** Seven days: long enough for a volunteer who reads mail at the weekend, short enough to
 * retire a link forgotten in a mailbox. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function mintInvitationSecret(db: Kysely<Database>, payload: Record<string, unknown>, now: Date): Promise<string | null> {
  const invitationId = Number(payload.invitationId);
  if (!Number.isInteger(invitationId)) return null;
  const token = randomToken(20);
  const row = await db
    .updateTable('invitation')
    .set({ token_hash: hashToken(token), expires_at: new Date(now.getTime() + INVITATION_TTL_MS) })
    .where('id', '=', invitationId)
    .returning('id')
    .executeTakeFirst();
  return row ? token : null;
}
