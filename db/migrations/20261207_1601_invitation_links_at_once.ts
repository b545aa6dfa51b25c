// Invitation links are made with the invitation, as confirmation links are, and the outbox
// keeps them as a mail's secret (the `secrets` column) until the mail is sent or set aside.
// Before, a waiting invitation mail held its link without the secret and the worker made one
// as it sent the mail. Such mails still waiting get their secret now: a new link whose hash
// replaces the invitation's, in the mail's secrets; a waiting mail whose invitation is gone is
// dropped. The marker of the old way leaves every invitation mail. Frozen once landed.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const waiting = await db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('kind', '=', 'organisation_invitation')
    .where('status', 'in', ['pending', 'sending'])
    .where(sql<boolean>`payload ? 'freshLink'`)
    .orderBy('id')
    .execute();
  for (const mail of waiting as Array<{ id: number; payload: Record<string, unknown> }>) {
    // 160 random bits (the app writes them in base32; the link takes any URL-safe text), of
    // which only the SHA-256 in hex is kept, as src/lib/tokens.ts keeps it.
    const token = randomBytes(20).toString('base64url');
    const invitation = await db
      .updateTable('invitation')
      .set({ token_hash: createHash('sha256').update(token).digest('hex') })
      .where('id', '=', Number(mail.payload.invitationId))
      .returning('id')
      .executeTakeFirst();
    if (!invitation) {
      await db.deleteFrom('outbox').where('id', '=', mail.id).execute();
      continue;
    }
    const url = new URL(String(mail.payload.url));
    url.searchParams.set('token', token);
    await db
      .updateTable('outbox')
      .set({ payload: sql`payload - 'url'`, secrets: JSON.stringify({ url: url.toString() }) })
      .where('id', '=', mail.id)
      .execute();
  }
  await sql`update outbox set payload = payload - 'freshLink' where kind = 'organisation_invitation' and payload ? 'freshLink'`.execute(db);
}

export async function down(): Promise<void> {
  // The links made stay valid; the old worker sends such mails as they are.
}
