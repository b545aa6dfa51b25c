// Retention (src/features/privacy/retention.ts) runs once a day across all app servers: the
// server whose insert of the day's scheduled row succeeds runs it. A run started by hand
// (`npm run privacy:purge`) is recorded too, as many times as it is started. The counts say
// how many rows of each kind went; nothing in a row names a person. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('privacy_run')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // The town's calendar day the run belongs to.
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull().check(sql`started_by in ('schedule', 'command')`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    // Null while it runs, and for good when it was interrupted (a later check takes the day over).
    .addColumn('finished_at', 'timestamptz')
    .addColumn('counts', 'jsonb')
    .execute();
  // The one scheduled run per day: the insert that loses to another server's does nothing.
  await sql`create unique index privacy_run_scheduled_day on privacy_run (day) where started_by = 'schedule'`.execute(db);
  await db.schema.createIndex('privacy_run_started').on('privacy_run').column('started_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('privacy_run').execute();
}
