// Who may do what. Pages and actions ask here; they never decide on their own. A refusal
// looks like a missing page (404), so that ids and addresses reveal nothing.
import type { Expression, Kysely, Transaction } from 'kysely';
import type { Database, MembershipRole } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';

export class NotFoundError extends Error {
  constructor(what = 'not found') {
    super(what);
    this.name = 'NotFoundError';
  }
}

/** A signed-in person who has been checked to be a site admin. Only assertAdmin makes one. */
export type Admin = SessionUser & { readonly __admin: true };

export function assertAdmin(user: SessionUser | null | undefined): Admin {
  if (!user?.is_admin) throw new NotFoundError('admin only');
  return user as Admin;
}

export interface Membership {
  organisationId: number;
  organisationSlug: string;
  organisationName: string;
  role: MembershipRole;
}

/** A person's memberships, by organisation name: the one query behind listMemberships and the
 * memberships read with each session (sessions.ts). `userId` may be a column reference. */
export function membershipsQuery(db: Kysely<Database>, userId: number | Expression<number>) {
  return db
    .selectFrom('membership')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .select(['organisation.id as organisationId', 'organisation.slug as organisationSlug', 'organisation.name as organisationName', 'membership.role'])
    .where('membership.user_id', '=', userId)
    .orderBy('organisation.name')
    .orderBy('membership.role');
}

export async function listMemberships(db: Kysely<Database>, userId: number): Promise<Membership[]> {
  return membershipsQuery(db, userId).execute();
}

/** Whether any of these memberships is a coordinator's (for what a page shows; actions ask
 * isCoordinator, which reads the database at the moment of acting). */
export function includesCoordinator(memberships: readonly Membership[]): boolean {
  return memberships.some((m) => m.role === 'coordinator');
}

/** A member of the organisation in any role. */
export async function isMember(db: Kysely<Database>, userId: number, organisationId: number): Promise<boolean> {
  const row = await db
    .selectFrom('membership')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A coordinator is a person with the coordinator role in any organisation. */
export async function isCoordinator(db: Kysely<Database> | Transaction<Database>, userId: number): Promise<boolean> {
  const row = await db.selectFrom('membership').select('user_id').where('user_id', '=', userId).where('role', '=', 'coordinator').executeTakeFirst();
  return row !== undefined;
}
