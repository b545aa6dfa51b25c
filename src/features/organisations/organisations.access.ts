// Who may do what with an organisation. Site admins manage every organisation: its name, its
// members and invitations. An organisation's organisers keep what visitors read about it (the
// description and the public contact); its coordinators and everyone else get "not found".
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { listMemberships, NotFoundError, type Membership } from '../access/access.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface OrganisationEditor {
  actor: SessionUser;
  /** Only site admins rename an organisation. */
  mayRename: boolean;
}

/** The rule: site admins, and the organisation's organisers, edit its details. Pages ask it with
 * the memberships read with the session; assertMayEditOrganisation with fresh ones. */
export function mayEditOrganisation(user: SessionUser | null | undefined, memberships: readonly Pick<Membership, 'organisationId' | 'role'>[], organisationId: number): boolean {
  if (!user) return false;
  return user.is_admin || memberships.some((m) => m.organisationId === organisationId && m.role === 'organiser');
}

/** The actor may edit this (existing) organisation's details; otherwise NotFoundError. */
export async function assertMayEditOrganisation(db: Db, actor: SessionUser | null | undefined, organisationId: number): Promise<OrganisationEditor> {
  if (!actor) throw new NotFoundError('signed-in only');
  // Read at the moment of acting: a membership removed since sign-in no longer counts.
  if (!mayEditOrganisation(actor, await listMemberships(db, actor.id), organisationId)) throw new NotFoundError('organisation');
  return { actor, mayRename: actor.is_admin };
}
