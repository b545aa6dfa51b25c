// "I'm coming" on a consultation reminder is kept, as it is for RSVPs and shifts
// (20261208_1000_reaching_people.ts), so that the office's day list shows who confirmed.
// Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultation_booking').addColumn('confirmed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consultation_booking').dropColumn('confirmed_at').execute();
}
