// Consultation hours (Sprechstunden): an organisation's hours with bookable slots, and the
// bookings of them. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** The tables public pages show (free slots): their writes tell every app server, as the
 * tables of 20261126_1700_content_notify.ts do. */
export const CONSULTATION_NOTIFYING_TABLES = ['consultation_hour', 'consultation_slot', 'consultation_booking'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consultation_hour')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('slot_minutes', 'integer', (c) => c.notNull().check(sql`slot_minutes between 5 and 120`))
    // By phone or video: no place.
    .addColumn('remote', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('place', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(place) <= 200`))
    // Codes from fixed lists (CONSULTATION_TOPICS, SPOKEN_LANGUAGES); checked by the form schema.
    .addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // The languages the staff on duty speak, together.
    .addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('consultation_hour_window', sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex('consultation_hour_org_start_idx').on('consultation_hour').columns(['organisation_id', 'starts_at']).execute();
  await db.schema.createIndex('consultation_hour_start_idx').on('consultation_hour').column('starts_at').execute();

  await db.schema
    .createTable('consultation_slot')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('hour_id', 'integer', (c) => c.notNull().references('consultation_hour.id').onDelete('cascade'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_slot_hour_idx').on('consultation_slot').columns(['hour_id', 'starts_at']).execute();

  await db.schema
    .createTable('consultation_booking')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('slot_id', 'integer', (c) => c.notNull().references('consultation_slot.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(note) <= 500`))
    // Set at booking: nobody on duty speaks the booking's language.
    .addColumn('interpreter_needed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('booked', 'cancelled')`))
    // The office's day list: came, or did not.
    .addColumn('attendance', 'text', (c) => c.check(sql`attendance in ('present', 'no_show')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The last guard against a double booking (the service locks the slot row first).
  await sql`create unique index consultation_booking_live_unique on consultation_booking (slot_id) where status = 'booked'`.execute(db);
  await db.schema.createIndex('consultation_booking_user_idx').on('consultation_booking').columns(['user_id', 'status']).execute();

  for (const table of CONSULTATION_NOTIFYING_TABLES) {
    await sql`create trigger ${sql.id(`${table}_content_changed`)} after insert or update or delete or truncate on ${sql.table(table)} for each statement execute function ankommen_content_changed()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consultation_booking').ifExists().execute();
  await db.schema.dropTable('consultation_slot').ifExists().execute();
  await db.schema.dropTable('consultation_hour').ifExists().execute();
}
