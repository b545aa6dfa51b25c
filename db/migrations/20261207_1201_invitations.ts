// Invitations to an organisation by e-mail. The invitee's account exists from the start (no
// password yet), so the address is theirs and mail goes out in their language; the membership
// is made when they accept. The link's secret is made when the mail is sent and only its
// SHA-256 is kept here (token_hash, null until the mail goes out, and again after a resend
// until the new mail goes out), so neither this table nor the outbox ever holds it.
// Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invitation')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('organiser', 'coordinator')`))
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // Whether this invitation made the account: withdrawing it then removes the unused account.
    .addColumn('created_account', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('invited_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('invitation_once', ['organisation_id', 'user_id', 'role'])
    .execute();
  await db.schema.createIndex('invitation_user_idx').on('invitation').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invitation').ifExists().execute();
}
