// Volunteering fixtures: an organiser (a member of the organisation) and roles made through
// the service, as the organiser's form would.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import type { RoleInput } from '../../src/features/volunteering/volunteering.schema.ts';
import { createRole } from '../../src/features/volunteering/volunteering.service.ts';
import { makePerson } from './fixtures.ts';

export const TOWN_ZONE = 'Europe/Berlin';

export async function makeOrganiser(db: Kysely<Database>, organisationId: number, name = 'Olga Organiser'): Promise<SessionUser> {
  const person = await makePerson(db, { name });
  await db.insertInto('membership').values({ organisation_id: organisationId, user_id: person.id, role: 'organiser' }).execute();
  return person;
}

/** The role form as it arrives after validation. */
export function roleForm(activityId: number, overrides: Partial<RoleInput> = {}): RoleInput {
  return { activityId, roleId: undefined, name: 'Aufbau', peopleNeeded: 2, startTime: undefined, endTime: undefined, whatToBring: '', skills: [], languages: [], allDates: false, scope: 'this', ...overrides };
}

export async function makeRole(db: Kysely<Database>, organiser: SessionUser, activityId: number, overrides: Partial<RoleInput> = {}, now = new Date('2030-05-01T10:00:00Z')): Promise<number> {
  const result = await createRole(db, organiser, roleForm(activityId, overrides), TOWN_ZONE, now);
  if (!result.ok) throw new Error(`role refused: ${JSON.stringify(result.fields)}`);
  return result.roleIds[0]!;
}
