// Rows for mentoring tests: coordinators, Kümmerer in any state, and requests, written
// straight to the database so each test sets up exactly the situation it is about.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { KuemmererStatus } from '../../src/db/schema-mentoring.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import type { RequestOrigin } from '../../src/features/accounts/accounts.service.ts';
import type { RequestForPersonInput } from '../../src/features/mentoring/mentoring.schema.ts';
import { createRequestForPerson } from '../../src/features/mentoring/mentoring.service.ts';
import { zonedDateInput } from '../../src/i18n/format.ts';
import { CONSENT_PURPOSES } from '../../src/features/privacy/consent.records.ts';
import { makeOrganisation, makePerson } from './fixtures.ts';

export async function makeCoordinator(db: Kysely<Database>, name = 'Clara Coordinator'): Promise<SessionUser> {
  const coordinator = await makePerson(db, { name });
  const organisationId = await makeOrganisation(db);
  await db.insertInto('membership').values({ organisation_id: organisationId, user_id: coordinator.id, role: 'coordinator' }).execute();
  return coordinator;
}

export async function makeOrganiserOnly(db: Kysely<Database>): Promise<SessionUser> {
  const organiser = await makePerson(db, { name: 'Otto Organiser' });
  const organisationId = await makeOrganisation(db);
  await db.insertInto('membership').values({ organisation_id: organisationId, user_id: organiser.id, role: 'organiser' }).execute();
  return organiser;
}

export async function makeKuemmerer(
  db: Kysely<Database>,
  options: { name?: string; status?: KuemmererStatus; languages?: string[]; topics?: string[]; maxMentees?: number; contactDetails?: string } = {},
): Promise<SessionUser> {
  const person = await makePerson(db, { name: options.name ?? 'Karl Kümmerer' });
  await db
    .insertInto('kuemmerer')
    .values({
      user_id: person.id,
      status: options.status ?? 'approved',
      topics: options.topics ?? ['german'],
      languages: options.languages ?? ['de'],
      max_mentees: options.maxMentees ?? 3,
      contact_details: options.contactDetails ?? '0170 1234567',
      code_of_conduct_accepted_at: new Date(),
    })
    .execute();
  return person;
}

/** A newcomer's open request, with their consent to share it (unless `consent: false`: a
 * request from before the portal recorded consents). */
export async function makeRequest(
  db: Kysely<Database>,
  newcomer: Pick<SessionUser, 'id'>,
  options: { languages?: string[]; topics?: string[]; createdAt?: Date; note?: string; consent?: boolean } = {},
): Promise<number> {
  const row = await db
    .insertInto('mentoring_request')
    .values({
      newcomer_user_id: newcomer.id,
      topics: options.topics ?? ['german'],
      languages: options.languages ?? ['ar'],
      note: options.note ?? 'Familie mit zwei Kindern',
      contact_preference: 'phone',
      contact_detail: '0151 7654321',
      status: 'open',
      created_by: newcomer.id,
      ...(options.createdAt ? { created_at: options.createdAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.consent !== false) {
    const givenAt = options.createdAt ?? new Date();
    await db
      .insertInto('consent')
      .values({ user_id: newcomer.id, purpose: 'mentoring_needs', text_version: CONSENT_PURPOSES.mentoring_needs.version, given_at: givenAt, given_how: 'online' })
      .onConflict((oc) => oc.columns(['user_id', 'purpose']).where('withdrawn_at', 'is', null).doNothing())
      .execute();
  }
  return row.id;
}

/** The town's zone, as the portal's tests configure it. */
export const TEST_TIME_ZONE = 'Europe/Berlin';

/**
 * A coordinator registers a person without an account, with their request and the consent
 * they signed on paper today; a refusal fails the test.
 */
export async function registerPerson(
  db: Kysely<Database>,
  coordinator: Pick<SessionUser, 'id'>,
  fields: Omit<RequestForPersonInput, 'paperConsent' | 'consentSignedOn'>,
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ personId: number; requestId: number; code: string }> {
  const result = await createRequestForPerson(db, coordinator, { ...fields, paperConsent: true, consentSignedOn: zonedDateInput(TEST_TIME_ZONE, now) }, origin, TEST_TIME_ZONE, now);
  if (!result.ok) throw new Error(`registering ${fields.name} was refused: ${JSON.stringify(result)}`);
  return result;
}
