// How visitors reach an organiser: an organisation's public phone and e-mail address, and an
// activity's own (next to its existing contact_name), which stand in for the organisation's
// when given. All optional; the forms check the format (src/features/organisations/contact.ts).
// updated_at on organisation tells when its name, description or contact last changed.
// Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('contact_phone', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.alterTable('activity').addColumn('contact_phone', 'text').addColumn('contact_email', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activity').dropColumn('contact_phone').dropColumn('contact_email').execute();
  await db.schema.alterTable('organisation').dropColumn('contact_phone').dropColumn('contact_email').dropColumn('updated_at').execute();
}
