// An invitation no longer records whether it made its account: with two invitations for one
// address only the first had the flag, so withdrawing both in that order left a passwordless
// account with the name an admin typed behind for good. Withdrawing now asks the account
// itself (no password, no membership, no invitation left). Named after the last migration
// that had landed, since the migrator refuses one that sorts before a migration already run.
// Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitation').dropColumn('created_account').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitation').addColumn('created_account', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}
