// Whose account a coordinator may delete on their behalf — the one place that decides. A person
// the coordination registered (without an e-mail address, see mentoring), or a newcomer who
// asked the coordination for a Kümmerer: people who may have no other way to have their data
// removed. Never the coordinator themself, a site admin or a member of an organisation (their
// accounts carry others' work and are not the coordination's to end). Anyone else — and any
// other person — gets NotFoundError, which pages and actions answer with 404.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { assertCoordinator } from '../mentoring/mentoring.access.ts';
import { isLookedAfterByCoordination } from './looked-after.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function assertMayEraseOnBehalf(
  db: Db,
  actor: Pick<SessionUser, 'id'> | null | undefined,
  personId: number,
): Promise<{ coordinatorId: number; person: { id: number; display_name: string } }> {
  const coordinatorId = await assertCoordinator(db, actor);
  const person = await db
    .selectFrom('app_user')
    .select(['app_user.id', 'app_user.display_name'])
    .where('app_user.id', '=', personId)
    .where('app_user.id', '<>', coordinatorId)
    .where('app_user.is_admin', '=', false)
    .where((eb) =>
      eb.and([
        eb.not(eb.exists(eb.selectFrom('membership').select('membership.user_id').whereRef('membership.user_id', '=', 'app_user.id'))),
        isLookedAfterByCoordination(eb),
      ]),
    )
    .executeTakeFirst();
  if (!person) throw new NotFoundError('person');
  return { coordinatorId, person };
}
