// Canaries for the privacy tests: one person's data planted in every declared column that can
// hold a string, each value distinct and tagged with the person, so that a test can look for
// it in an export or in a dump of the whole database. Rows are written straight to the
// database: the point is coverage of the schema, not the services' rules.
//
// The planted person is a newcomer with a Kümmerer request and a mentor, and at the same time
// a volunteer, an approved Kümmerer with a mentee of their own, an organiser invited to an
// organisation, and the recipient of mails: every personal table gets their rows. Rows shared
// by design (a meeting's place is also the mentee's) appear in the mentee's export too, so
// "in no other person's export" means no other planted person's.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { personalTables, type ColumnKind } from '../../src/features/privacy/declaration.ts';
import { makeActivity, makeOrganisation, makePerson } from './fixtures.ts';

/** Kinds of column that hold text, and so must each carry a canary. */
const STRING_KINDS: ReadonlySet<ColumnKind> = new Set(['identity', 'contact', 'free_text', 'special', 'secret']);

/** String columns that never hold a person's own data on a row of theirs, with the reason. */
const NEVER_ON_OWN_ROWS: Readonly<Record<string, string>> = {
  'rsvp.walk_in_name': 'set only on a walk-in row, which has no account',
  'audit_event.actor_pseudonym': 'written only when the actor is erased',
};

export interface Canary {
  table: string;
  column: string;
  /** The planted text (for a bytea column, its text before encoding). */
  value: string;
  /** Whether the declaration puts the column in its owner's export ('value'). */
  exported: boolean;
  /** False for a row that only names the person (a mail to their mentor): never in their export. */
  ownRow?: false;
}

export interface PlantedPerson {
  id: number;
  email: string;
  canaries: Canary[];
  /** Other people the rows needed (the mentor, the mentee, the organisation), who are not erased with the person. */
  mentorId: number;
  menteeId: number;
  organisationId: number;
  activityId: number;
}

/** The forms a planted value can take in a text dump of a table (bytea shows as hex). */
export function dumpForms(canary: Canary): string[] {
  return [canary.value, `\\x${Buffer.from(canary.value).toString('hex')}`];
}

/** Every row of every table in the public schema, as text (one string per table). */
export async function dumpDatabase(db: Kysely<Database>): Promise<Map<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const dump = new Map<string, string>();
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(db);
    dump.set(table_name, rows.rows.map((r) => r.row).join('\n'));
  }
  return dump;
}

/**
 * Plants `tag`'s person (tag: a short word such as 'alpha', distinct per person in one
 * database). Throws when the declaration has a string column this helper plants nothing in,
 * so that a new personal column cannot escape the privacy tests.
 */
export async function plantPerson(db: Kysely<Database>, tag: string): Promise<PlantedPerson> {
  const canaries: Canary[] = [];
  const text = (table: string, column: string): string => {
    const value = `canary-${tag}-${table}-${column}`;
    canaries.push({ table, column, value, exported: false });
    return value;
  };
  const email = `canary-${tag}-app_user-email@example.org`;
  canaries.push({ table: 'app_user', column: 'email', value: email, exported: false });

  const person = await db
    .insertInto('app_user')
    .values({
      email,
      email_verified_at: new Date('2026-01-02T10:00:00Z'),
      password_hash: text('app_user', 'password_hash'),
      display_name: text('app_user', 'display_name'),
      sign_in_name: text('app_user', 'sign_in_name'),
      locale: 'ar',
      last_signed_in_at: new Date('2026-11-30T09:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = person.id;
  const mentor = await makePerson(db, { name: `Mentor of ${tag}` });
  const mentee = await makePerson(db, { name: `Mentee of ${tag}` });
  const organisationId = await makeOrganisation(db);
  const activityId = await makeActivity(db, organisationId, { title: `Activity for ${tag}` });

  await db
    .insertInto('session')
    .values({ id: `session-${tag}`, user_id: id, secret_hash: Buffer.from(text('session', 'secret_hash')), created_at: new Date(), last_verified_at: new Date() })
    .execute();
  await db
    .insertInto('email_token')
    .values({
      token_hash: text('email_token', 'token_hash'),
      user_id: id,
      purpose: 'change_email',
      new_email: `canary-${tag}-email_token-new_email@example.org`,
      expires_at: new Date(Date.now() + 3600_000),
    })
    .execute();
  canaries.push({ table: 'email_token', column: 'new_email', value: `canary-${tag}-email_token-new_email@example.org`, exported: false });
  await db
    .insertInto('claim_code')
    .values({ user_id: id, code_hash: text('claim_code', 'code_hash'), expires_at: new Date(Date.now() + 86_400_000) })
    .execute();
  await db.insertInto('calendar_token').values({ user_id: id, token_hash: text('calendar_token', 'token_hash'), created_at: new Date() }).execute();
  await db.insertInto('notification_setting').values({ user_id: id, topic: text('notification_setting', 'topic'), email: false, telegram: true }).execute();
  await db
    .insertInto('programme_subscription')
    .values({ user_id: id, categories: [text('programme_subscription', 'categories')], no_german_needed: true, last_sent_week: '2026-11-30' })
    .execute();
  await db.insertInto('telegram_chat').values({ user_id: id, chat_id: text('telegram_chat', 'chat_id') }).execute();
  await db
    .insertInto('telegram_link_code')
    .values({ user_id: id, code_hash: text('telegram_link_code', 'code_hash'), expires_at: new Date(Date.now() + 600_000) })
    .execute();

  await db
    .insertInto('rsvp')
    .values({ activity_id: activityId, user_id: id, party_size: 3, note: text('rsvp', 'note'), status: 'going' })
    .execute();

  await db
    .insertInto('volunteer_profile')
    .values({ user_id: id, languages: [text('volunteer_profile', 'languages')], skills: [text('volunteer_profile', 'skills')], availability: text('volunteer_profile', 'availability') })
    .execute();
  const role = await db
    .insertInto('volunteer_role')
    .values({ activity_id: activityId, name: `Shift for ${tag}`, people_needed: 2 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const signup = await db
    .insertInto('volunteer_signup')
    .values({ role_id: role.id, user_id: id, status: 'active', checked_in_at: new Date('2030-06-01T15:45:00Z'), checked_in_by: mentor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The hours that check-in made (as hours/sources.ts writes them).
  await db
    .insertInto('volunteer_hours')
    .values({
      user_id: id,
      organisation_id: organisationId,
      source: 'shift',
      volunteer_signup_id: signup.id,
      activity_id: activityId,
      starts_at: new Date('2030-06-01T16:00:00Z'),
      minutes: 120,
      description: text('volunteer_hours', 'description'),
      place: text('volunteer_hours', 'place'),
    })
    .execute();

  // As a newcomer who booked a consultation slot.
  const hour = await db
    .insertInto('consultation_hour')
    .values({ organisation_id: organisationId, starts_at: new Date('2030-06-03T07:00:00Z'), ends_at: new Date('2030-06-03T08:00:00Z'), slot_minutes: 20, place: 'Rathaus', topics: ['housing'], languages: ['de'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const slot = await db
    .insertInto('consultation_slot')
    .values({ hour_id: hour.id, starts_at: new Date('2030-06-03T07:00:00Z'), ends_at: new Date('2030-06-03T07:20:00Z') })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('consultation_booking')
    .values({ slot_id: slot.id, user_id: id, topic: text('consultation_booking', 'topic'), language: 'fa', note: text('consultation_booking', 'note'), interpreter_needed: true, status: 'booked', attendance: null })
    .execute();

  // As a Kümmerer, with a mentee of their own and a meeting with working notes.
  await db
    .insertInto('kuemmerer')
    .values({
      user_id: id,
      status: 'approved',
      topics: ['everyday'],
      languages: ['ar', 'de'],
      max_mentees: 2,
      note: text('kuemmerer', 'note'),
      contact_details: text('kuemmerer', 'contact_details'),
      code_of_conduct_accepted_at: new Date('2026-02-01T10:00:00Z'),
      decision_message: text('kuemmerer', 'decision_message'),
      decided_at: new Date('2026-02-02T10:00:00Z'),
    })
    .execute();
  const menteeRequest = await db
    .insertInto('mentoring_request')
    .values({ newcomer_user_id: mentee.id, topics: ['housing'], languages: ['ar'], contact_preference: 'coordinator', status: 'matched' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mentoring = await db
    .insertInto('mentorship')
    .values({ request_id: menteeRequest.id, kuemmerer_user_id: id, newcomer_user_id: mentee.id, status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('mentoring_meeting')
    .values({
      mentorship_id: mentoring.id,
      starts_at: new Date('2030-03-01T10:00:00Z'),
      ends_at: new Date('2030-03-01T11:00:00Z'),
      place: text('mentoring_meeting', 'place'),
      topics: [text('mentoring_meeting', 'topics')],
      private_note: text('mentoring_meeting', 'private_note'),
    })
    .execute();

  // As a newcomer: a help request the mentor took and finished; as a helper: the mentee's
  // request, which stays the mentee's.
  await db
    .insertInto('help_request')
    .values({
      asker_user_id: id,
      kind: 'interpreting',
      starts_at: new Date('2030-03-02T09:00:00Z'),
      district: text('help_request', 'district'),
      address: text('help_request', 'address'),
      languages: ['ar'],
      note: text('help_request', 'note'),
      asker_contact: text('help_request', 'asker_contact'),
      thanks_message: text('help_request', 'thanks_message'),
      thanked_at: new Date('2030-03-03T09:00:00Z'),
      status: 'done',
      helper_user_id: mentor.id,
      taken_at: new Date('2030-03-01T09:00:00Z'),
      minutes_spent: 90,
      finished_at: new Date('2030-03-02T11:00:00Z'),
    })
    .execute();
  const helped = await db
    .insertInto('help_request')
    .values({ asker_user_id: mentee.id, kind: 'lift', week_of: '2030-03-04', district: 'Dahle', address: 'Am Markt 1', languages: ['de'], status: 'done', helper_user_id: id, helper_contact: text('help_request', 'helper_contact'), minutes_spent: 30 })
    .returning('id')
    .executeTakeFirstOrThrow();
  // As a helper: told of that request because the profile fits.
  await db.insertInto('help_request_ask').values({ request_id: helped.id, helper_user_id: id }).execute();

  // As a newcomer: a request with needs, matched with a mentor; the mentorship ended once.
  const request = await db
    .insertInto('mentoring_request')
    .values({
      newcomer_user_id: id,
      topics: [text('mentoring_request', 'topics')],
      languages: ['ar'],
      note: text('mentoring_request', 'note'),
      contact_preference: 'phone',
      contact_detail: text('mentoring_request', 'contact_detail'),
      status: 'matched',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('mentorship')
    .values({
      request_id: request.id,
      kuemmerer_user_id: mentor.id,
      newcomer_user_id: id,
      status: 'ended',
      ended_at: new Date('2026-06-01T10:00:00Z'),
      end_reason: text('mentorship', 'end_reason'),
    })
    .execute();

  await db
    .insertInto('consent')
    .values({ user_id: id, purpose: 'mentoring_needs', text_version: text('consent', 'text_version'), given_at: new Date('2026-01-03T10:00:00Z'), given_how: 'online' })
    .execute();
  await db.insertInto('membership').values({ organisation_id: organisationId, user_id: id, role: 'organiser' }).execute();
  await db
    .insertInto('invitation')
    .values({ organisation_id: organisationId, user_id: id, role: 'coordinator', token_hash: text('invitation', 'token_hash'), expires_at: new Date(Date.now() + 86_400_000), sent_at: new Date() })
    .execute();

  await db
    .insertInto('outbox')
    .values({
      kind: 'rsvp_confirmed',
      recipient_user_id: id,
      recipient_email: `canary-${tag}-outbox-recipient_email@example.org`,
      locale: 'ar',
      payload: JSON.stringify({ text: text('outbox', 'payload') }),
      secrets: JSON.stringify({ link: text('outbox', 'secrets') }),
      last_error: text('outbox', 'last_error'),
    })
    .execute();
  canaries.push({ table: 'outbox', column: 'recipient_email', value: `canary-${tag}-outbox-recipient_email@example.org`, exported: false });
  // A mail to the mentor that names the person.
  await db
    .insertInto('outbox')
    .values({
      kind: 'mentorship_started',
      recipient_user_id: mentor.id,
      about_user_id: id,
      recipient_email: mentor.email!,
      locale: 'de',
      payload: JSON.stringify({ newcomerName: `canary-${tag}-outbox-about` }),
    })
    .execute();
  canaries.push({ table: 'outbox', column: 'about_user_id', value: `canary-${tag}-outbox-about`, exported: false, ownRow: false });

  await db
    .insertInto('audit_event')
    .values({ actor_user_id: id, action: 'account.signed_in', object_type: 'session', ip: text('audit_event', 'ip'), details: JSON.stringify({ canary: text('audit_event', 'details') }) })
    .execute();

  // Which canaries the declaration puts in the owner's export.
  const declared = new Map(personalTables().map(([table, declaration]) => [table as string, declaration]));
  for (const canary of canaries) {
    const column = declared.get(canary.table)?.columns[canary.column];
    canary.exported = canary.ownRow !== false && column?.export === 'value';
  }
  // Every string column of a table that belongs to people must carry a canary.
  const planted = new Set(canaries.map((c) => `${c.table}.${c.column}`));
  const missing: string[] = [];
  for (const [table, declaration] of personalTables()) {
    if (!declaration.exportKey) continue;
    for (const [column, spec] of Object.entries(declaration.columns)) {
      const name = `${table}.${column}`;
      if (STRING_KINDS.has(spec.kind) && !planted.has(name) && !NEVER_ON_OWN_ROWS[name]) missing.push(name);
    }
  }
  if (missing.length) throw new Error(`tests/helpers/canaries.ts plants nothing in ${missing.join(', ')}: add a canary for each`);

  return { id, email, canaries, mentorId: mentor.id, menteeId: mentee.id, organisationId, activityId };
}
