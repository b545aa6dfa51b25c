// Who may see and confirm which volunteer hours — the one place that decides.
// - A volunteer sees and corrects their own hours (until confirmed), and nobody else's.
// - An organisation's members (organisers and coordinators) see, confirm and add hours of that
//   organisation, and download its deployment list.
// - The town's own schemes (Kümmerer meetings, neighbourly help: organisation_id null) are
//   confirmed by coordinators, as they run those schemes.
// - Site admins are not made hour-keepers by being admins: confirming hours is the
//   organisation's word, not the operator's.
// Everyone else gets NotFoundError, which pages and actions answer with 404.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isCoordinator, NotFoundError } from '../access/access.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** How pages and forms name the town's own schemes where they name an organisation by its slug:
 * no slug starts with '@', so no organisation can be mistaken for them. */
export const TOWN_SCOPE = '@town';

/** Whose hours a keeper looks after: one organisation's, or the town's own schemes'. */
export type HoursScope = { kind: 'organisation'; organisationId: number; slug: string; name: string } | { kind: 'town' };

/** The organisation (by slug) whose hours the actor keeps; NotFoundError for anyone else. */
export async function assertKeepsOrganisationHours(db: Db, actor: Pick<SessionUser, 'id'> | null | undefined, slug: string): Promise<HoursScope & { kind: 'organisation' }> {
  if (!actor) throw new NotFoundError('signed-in only');
  const row = await db
    .selectFrom('organisation')
    .innerJoin('membership', 'membership.organisation_id', 'organisation.id')
    .select(['organisation.id', 'organisation.slug', 'organisation.name'])
    .where('organisation.slug', '=', slug)
    .where('membership.user_id', '=', actor.id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('organisation');
  return { kind: 'organisation', organisationId: row.id, slug: row.slug, name: row.name };
}

/** The town's own schemes: coordinators only. */
export async function assertKeepsTownHours(db: Db, actor: Pick<SessionUser, 'id'> | null | undefined): Promise<HoursScope & { kind: 'town' }> {
  if (!actor || !(await isCoordinator(db, actor.id))) throw new NotFoundError('coordinators only');
  return { kind: 'town' };
}

/** Whether the actor keeps the hours of this organisation id (null: the town's schemes). */
export async function keepsHoursOf(db: Db, actorId: number, organisationId: number | null): Promise<boolean> {
  if (organisationId === null) return isCoordinator(db, actorId);
  const row = await db.selectFrom('membership').select('user_id').where('user_id', '=', actorId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row !== undefined;
}
