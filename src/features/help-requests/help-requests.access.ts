// Who may see and do what with a help request — the one place that decides. Every helper sees
// the minimum of an open request on the public list (kind, day, district, languages, needs).
// The request itself — the asker's first name, the exact address, the note — belongs to the
// asker, the helper who took it (while they hold it, and afterwards for their own record), the
// person who posted it on the asker's behalf (while they still stand for them) and the
// coordinators; everyone else gets NotFoundError, which pages and actions answer with 404,
// exactly as for an id that does not exist.
//
// The asker's own Kümmerer who did not post the request does NOT see it: a request can reveal
// a doctor's visit or an appointment at the Ausländerbehörde, and the newcomer decides whom
// they tell. Being someone's Kümmerer gives a view of the mentorship, not of everything the
// newcomer does on the portal.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HelpRequestStatus } from '../../db/schema-help-requests.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isCoordinator, NotFoundError } from '../access/access.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Person = Pick<SessionUser, 'id'> | null | undefined;

/** How the person stands to a request. 'poster' is the Kümmerer or coordinator who posted it
 * on the asker's behalf: they act for the asker (withdraw, hand back, thank). */
export type HelpRequestRole = 'asker' | 'poster' | 'helper' | 'coordinator';

/** Coordinators only (the overview); anyone else gets "not found". */
export async function assertCoordinator(db: Db, user: Person): Promise<number> {
  if (!user || !(await isCoordinator(db, user.id))) throw new NotFoundError('coordinators only');
  return user.id;
}

/** Those who speak for the asker: the asker and whoever posted it for them. */
export function actsForAsker(role: HelpRequestRole): boolean {
  return role === 'asker' || role === 'poster';
}

/** Whether `posterId` may (still) act for the newcomer: as the Kümmerer of a running
 * mentorship with them, or as a coordinator. Ends with the mentorship: a former Kümmerer no
 * longer sees what the newcomer asks. */
export async function speaksFor(db: Db, posterId: number, newcomerId: number): Promise<boolean> {
  if (posterId === newcomerId) return false;
  const mentorship = await db
    .selectFrom('mentorship')
    .select('id')
    .where('kuemmerer_user_id', '=', posterId)
    .where('newcomer_user_id', '=', newcomerId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (mentorship) return true;
  return isCoordinator(db, posterId);
}

export function assertSignedIn<T extends Pick<SessionUser, 'id'>>(user: T | null | undefined): T {
  if (!user) throw new NotFoundError('signed-in only');
  return user;
}

/** The states in which the helper who took a request still sees it. */
const HELPER_SEES: readonly HelpRequestStatus[] = ['taken', 'done', 'did_not_happen'];

/** Who may see a request in full: its asker, its helper, coordinators. */
export async function helpRequestRole(db: Db, user: Person, requestId: number): Promise<HelpRequestRole> {
  if (!user) throw new NotFoundError('signed-in only');
  const request = await db.selectFrom('help_request').select(['asker_user_id', 'helper_user_id', 'posted_by_user_id', 'status']).where('id', '=', requestId).executeTakeFirst();
  if (!request) throw new NotFoundError('help request');
  if (request.asker_user_id === user.id) return 'asker';
  if (request.helper_user_id === user.id && HELPER_SEES.includes(request.status)) return 'helper';
  if (request.posted_by_user_id === user.id && (await speaksFor(db, user.id, request.asker_user_id))) return 'poster';
  if (await isCoordinator(db, user.id)) return 'coordinator';
  throw new NotFoundError('help request');
}

/** Whether the role sees the address, the note and the asker's name (the list never does). */
export function seesDetails(role: HelpRequestRole): boolean {
  return role === 'asker' || role === 'poster' || role === 'helper' || role === 'coordinator';
}

/** Whether the contact details exchanged on taking are shown (to whoever holds a role: the two
 * sides, whoever posted for the asker, coordinators who may need to reach either side): once
 * it was taken, and afterwards for the record — never while open, when nobody agreed yet. */
export function seesContacts(status: HelpRequestStatus): boolean {
  return status === 'taken' || status === 'done' || status === 'did_not_happen';
}

/** Only the asker (or who posted it for them) withdraws, and only while nobody holds it. */
export function mayWithdraw(role: HelpRequestRole, status: HelpRequestStatus): boolean {
  return actsForAsker(role) && status === 'open';
}

/** Either side hands a taken request back; it opens again. */
export function mayHandBack(role: HelpRequestRole, status: HelpRequestStatus): boolean {
  return (actsForAsker(role) || role === 'helper') && status === 'taken';
}

/** The asker's side says thanks once, after the helper reported it done. */
export function mayThank(role: HelpRequestRole, status: HelpRequestStatus, thankedAt: Date | null): boolean {
  return actsForAsker(role) && status === 'done' && thankedAt === null;
}

/** Only the helper who took it says how it went. */
export function mayFinish(role: HelpRequestRole, status: HelpRequestStatus): boolean {
  return role === 'helper' && status === 'taken';
}

/** The asker's wish for a woman helper is kept at taking: such a request can be taken only by
 * a helper whose volunteer profile says they help as a woman. Anyone else is told why (the
 * list shows the wish), not "not found": the request itself is public on the list. */
export async function mayTakeGivenWishes(db: Db, requestId: number, helperId: number): Promise<boolean> {
  const request = await db.selectFrom('help_request').select('wants_woman').where('id', '=', requestId).executeTakeFirst();
  if (!request?.wants_woman) return true;
  const profile = await db.selectFrom('volunteer_profile').select('helps_as_woman').where('user_id', '=', helperId).executeTakeFirst();
  return profile?.helps_as_woman === true;
}
