// Repeating activities. A series is the rule (weekly, fortnightly, monthly); each occurrence is
// an activity row of its own, with its own RSVPs and capacity, so that one can be cancelled or
// moved alone. series_slot keeps where the rule put an occurrence, which a moved occurrence's
// calendar entry needs (RECURRENCE-ID). Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activity_series')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('weekly', 'fortnightly', 'monthly')`))
    // A course: one RSVP holds a seat in every occurrence still to come.
    .addColumn('whole_series', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('activity')
    .addColumn('series_id', 'integer', (c) => c.references('activity_series.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('activity').addColumn('series_slot', 'timestamptz').execute();
  await db.schema.createIndex('activity_series_idx').on('activity').columns(['series_id', 'series_slot']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activity_series_idx').ifExists().execute();
  await db.schema.alterTable('activity').dropColumn('series_slot').execute();
  await db.schema.alterTable('activity').dropColumn('series_id').execute();
  await db.schema.dropTable('activity_series').ifExists().execute();
}
