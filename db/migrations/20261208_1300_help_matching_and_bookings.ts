// The second half of consultation hours and help requests. Frozen once landed.
// - Volunteers say which help they offer (kinds, a car, a child seat, the weekdays they can, and
//   whether they help as a woman), so that requests can be matched to them with reasons.
// - A help request can be posted on someone's behalf (their Kümmerer or a coordinator), can be
//   the interpreting for a booked consultation slot, carries the contact details each side
//   chose to share, the asker's thanks, when the coordinators were told nobody took it, and
//   the explicit consent a doctor's visit needs (it reveals health, Art. 9 GDPR). An open
//   request whose time passed without a helper becomes 'expired'.
// - help_request_ask: the helpers told of a request (matched) or asked directly by a
//   coordinator; one row per helper and request, so nobody is told twice.
// - A consultation booking can be made on someone's behalf, has its reminder time and, for the
//   topic "health", the explicit consent; an hour can be changed or cancelled; walk-ins join the
//   office's queue without a slot; one-tap answers reach consultation bookings too.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('volunteer_profile')
    .addColumn('help_kinds', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('help_days', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('has_car', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('has_child_seat', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('helps_as_woman', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .alterTable('consultation_booking')
    .addColumn('booked_by_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('reminder_sent_at', 'timestamptz')
    .addColumn('health_consent_at', 'timestamptz')
    .execute();

  await db.schema
    .alterTable('consultation_hour')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('consultation_walk_in')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('hour_id', 'integer', (c) => c.notNull().references('consultation_hour.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 100`))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(note) <= 500`))
    .addColumn('attendance', 'text', (c) => c.check(sql`attendance in ('present', 'no_show')`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('consultation_walk_in_hour_idx').on('consultation_walk_in').columns(['hour_id', 'created_at']).execute();

  await db.schema
    .alterTable('help_request')
    .addColumn('posted_by_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('consultation_booking_id', 'integer', (c) => c.references('consultation_booking.id').onDelete('set null').unique())
    .addColumn('asker_contact', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(asker_contact) <= 200`))
    .addColumn('helper_contact', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(helper_contact) <= 200`))
    .addColumn('thanked_at', 'timestamptz')
    .addColumn('thanks_message', 'text', (c) => c.notNull().defaultTo('').check(sql`char_length(thanks_message) <= 500`))
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('health_consent_at', 'timestamptz')
    .execute();
  await sql`alter table help_request drop constraint help_request_status_check`.execute(db);
  await sql`alter table help_request add constraint help_request_status_check check (status in ('open', 'taken', 'done', 'did_not_happen', 'withdrawn', 'expired'))`.execute(db);

  await db.schema
    .createTable('help_request_ask')
    .addColumn('request_id', 'integer', (c) => c.notNull().references('help_request.id').onDelete('cascade'))
    .addColumn('helper_user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    // The coordinator who asked this helper directly; null when matching told them.
    .addColumn('asked_by_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('direct', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('help_request_ask_pk', ['request_id', 'helper_user_id'])
    .execute();
  await db.schema.createIndex('help_request_ask_helper_idx').on('help_request_ask').column('helper_user_id').execute();

  await db.schema
    .alterTable('answer_token')
    .addColumn('consultation_booking_id', 'integer', (c) => c.references('consultation_booking.id').onDelete('cascade'))
    .execute();
  await sql`alter table answer_token drop constraint answer_token_one_target`.execute(db);
  await sql`alter table answer_token add constraint answer_token_one_target check (num_nonnulls(rsvp_id, volunteer_signup_id, consultation_booking_id) = 1)`.execute(db);
  await db.schema.createIndex('answer_token_booking').on('answer_token').column('consultation_booking_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from answer_token where consultation_booking_id is not null`.execute(db);
  await sql`alter table answer_token drop constraint answer_token_one_target`.execute(db);
  await sql`alter table answer_token add constraint answer_token_one_target check ((rsvp_id is null) <> (volunteer_signup_id is null))`.execute(db);
  await db.schema.alterTable('answer_token').dropColumn('consultation_booking_id').execute();
  await db.schema.dropTable('help_request_ask').execute();
  await sql`update help_request set status = 'withdrawn' where status = 'expired'`.execute(db);
  await sql`alter table help_request drop constraint help_request_status_check`.execute(db);
  await sql`alter table help_request add constraint help_request_status_check check (status in ('open', 'taken', 'done', 'did_not_happen', 'withdrawn'))`.execute(db);
  await db.schema
    .alterTable('help_request')
    .dropColumn('posted_by_user_id')
    .dropColumn('consultation_booking_id')
    .dropColumn('asker_contact')
    .dropColumn('helper_contact')
    .dropColumn('thanked_at')
    .dropColumn('thanks_message')
    .dropColumn('escalated_at')
    .dropColumn('health_consent_at')
    .execute();
  await db.schema.dropTable('consultation_walk_in').execute();
  await db.schema.alterTable('consultation_hour').dropColumn('cancelled_at').dropColumn('updated_at').execute();
  await db.schema.alterTable('consultation_booking').dropColumn('booked_by_user_id').dropColumn('reminder_sent_at').dropColumn('health_consent_at').execute();
  await db.schema.alterTable('volunteer_profile').dropColumn('help_kinds').dropColumn('help_days').dropColumn('has_car').dropColumn('has_child_seat').dropColumn('helps_as_woman').execute();
}
