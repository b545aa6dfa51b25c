// Who may have whose export. Everyone has their own. For a formal access request about a
// newcomer, a coordinator may produce that person's complete export: of someone the
// coordination knows as a newcomer (registered by it, or who asked for a Kümmerer), and of
// nobody else. Anyone else is refused with NotFoundError, which pages answer with 404.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { assertCoordinator } from '../mentoring/mentoring.access.ts';
import { isLookedAfterByCoordination } from './looked-after.ts';

type Actor = Pick<SessionUser, 'id'> | null | undefined;

/** The newcomer a coordinator may export for an access request, with what the pages show. */
export interface AccessRequestPerson {
  id: number;
  displayName: string;
  locale: SessionUser['locale'];
}

export async function assertMayExportForAccessRequest(db: Kysely<Database>, actor: Actor, personId: number): Promise<AccessRequestPerson> {
  await assertCoordinator(db, actor);
  const person = await db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'locale'])
    .where('id', '=', personId)
    .where(isLookedAfterByCoordination)
    .executeTakeFirst();
  if (!person) throw new NotFoundError('person');
  return { id: person.id, displayName: person.display_name, locale: person.locale };
}
