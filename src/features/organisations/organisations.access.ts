// Who may do what with an organisation. Site admins manage every organisation: its name, its
// members and invitations. An organisation's organisers keep what visitors read about it (the
// description and the public contact); its coordinators and everyone else get "not found".
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface OrganisationEditor {
  actor: SessionUser;
  /** Only site admins rename an organisation. */
  mayRename: boolean;
}

export async function isOrganiserOf(db: Db, userId: number, organisationId: number): Promise<boolean> {
  const row = await db
    .selectFrom('membership')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'organiser')
    .executeTakeFirst();
  return row !== undefined;
}

/** The actor may edit this (existing) organisation's details; otherwise NotFoundError. */
export async function assertMayEditOrganisation(db: Db, actor: SessionUser | null | undefined, organisationId: number): Promise<OrganisationEditor> {
  if (!actor) throw new NotFoundError('signed-in only');
  if (actor.is_admin) return { actor, mayRename: true };
  if (await isOrganiserOf(db, actor.id, organisationId)) return { actor, mayRename: false };
  throw new NotFoundError('organisation');
}
