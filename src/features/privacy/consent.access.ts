// Who may see and change consents — the one place that decides. A person's consents are
// theirs, and the coordinators' for the people the coordination looks after (someone who asked
// for a Kümmerer, or whom a coordinator registered): coordinators record the forms signed on
// paper and a withdrawal the person tells them of. Everyone else gets NotFoundError, which
// pages and actions answer with 404, exactly as for an id that does not exist.
import type { Kysely, Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isCoordinator, NotFoundError } from '../access/access.ts';
import { isLookedAfterByCoordination } from './looked-after.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Person = Pick<SessionUser, 'id'> | null | undefined;

export type ConsentRole = 'the_person' | 'coordinator';

/** Someone the coordination looks after, as the coordinators' consent pages show them. */
export interface LookedAfterPerson {
  id: number;
  name: string;
  locale: Locale;
  registeredAt: Date;
  /** Registered by a coordinator: the claim sheet is theirs too. */
  registeredByCoordination: boolean;
}

async function lookedAfterPerson(db: Db, personId: number): Promise<LookedAfterPerson | null> {
  const row = await db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'locale', 'created_at', 'registered_by_coordination'])
    .where('id', '=', personId)
    .where(isLookedAfterByCoordination)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.display_name, locale: row.locale, registeredAt: row.created_at, registeredByCoordination: row.registered_by_coordination } : null;
}

/** A coordinator asking about someone the coordination looks after; anyone else, or anyone
 * else's id, is "not found". */
export async function assertCoordinatorFor(db: Db, actor: Person, personId: number): Promise<{ coordinatorId: number; person: LookedAfterPerson }> {
  if (!actor || !(await isCoordinator(db, actor.id))) throw new NotFoundError('coordinators only');
  const person = await lookedAfterPerson(db, personId);
  if (!person) throw new NotFoundError('person');
  return { coordinatorId: actor.id, person };
}

/** How the actor stands to a consent: it is their own, or they coordinate its person. */
export async function consentRole(db: Db, actor: Person, consentId: number): Promise<{ role: ConsentRole; userId: number }> {
  if (!actor) throw new NotFoundError('signed-in only');
  const consent = await db.selectFrom('consent').select('user_id').where('id', '=', consentId).executeTakeFirst();
  if (!consent) throw new NotFoundError('consent');
  if (consent.user_id === actor.id) return { role: 'the_person', userId: consent.user_id };
  if ((await isCoordinator(db, actor.id)) && (await lookedAfterPerson(db, consent.user_id))) return { role: 'coordinator', userId: consent.user_id };
  throw new NotFoundError('consent');
}
