// Who may see and do what in mentoring — the one place that decides. A request, a mentorship
// and its meetings belong to the newcomer, their Kümmerer (while the mentorship runs) and the
// coordinators; everyone else gets NotFoundError, which pages and actions answer with 404,
// exactly as for an id that does not exist.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { KuemmererStatus } from '../../db/schema-mentoring.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isCoordinator, NotFoundError } from '../access/access.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Person = Pick<SessionUser, 'id'> | null | undefined;

/** How the person stands to a mentoring object: which parts of it they may see. */
export type MentoringRole = 'newcomer' | 'kuemmerer' | 'coordinator';

export async function assertCoordinator(db: Db, user: Person): Promise<SessionUser['id']> {
  if (!user || !(await isCoordinator(db, user.id))) throw new NotFoundError('coordinators only');
  return user.id;
}

export function assertSignedIn<T extends Pick<SessionUser, 'id'>>(user: T | null | undefined): T {
  if (!user) throw new NotFoundError('signed-in only');
  return user;
}

/** Whether a Kümmerer may see their mentees: approved, or paused (a pause stops new mentees,
 * not the running ones). */
function seesMentees(status: KuemmererStatus | null | undefined): boolean {
  return status === 'approved' || status === 'paused';
}

/** A Kümmerer who may see their mentees (seesMentees); anyone else gets "not found". */
export async function assertApprovedKuemmerer(db: Db, user: Person): Promise<number> {
  if (!user) throw new NotFoundError('signed-in only');
  const row = await db.selectFrom('kuemmerer').select('status').where('user_id', '=', user.id).executeTakeFirst();
  if (!seesMentees(row?.status)) throw new NotFoundError('kuemmerer only');
  return user.id;
}

/**
 * Which of the mentoring pages are the person's own, for the list of their pages: "My mentees"
 * for a Kümmerer who sees mentees, "My Kümmerer" for anyone who asked for one or might (that
 * is, everyone but a Kümmerer who never asked).
 */
export async function myMentoringPages(db: Db, userId: number): Promise<{ mentees: boolean; myKuemmerer: boolean }> {
  const row = await db
    .selectFrom('app_user')
    .leftJoin('kuemmerer', 'kuemmerer.user_id', 'app_user.id')
    .select((eb) => [
      'kuemmerer.status',
      eb.exists(eb.selectFrom('mentoring_request').select('mentoring_request.id').whereRef('mentoring_request.newcomer_user_id', '=', 'app_user.id')).as('asked'),
    ])
    .where('app_user.id', '=', userId)
    .executeTakeFirst();
  const mentees = seesMentees(row?.status);
  return { mentees, myKuemmerer: Boolean(row?.asked) || !mentees };
}

/** Who may see a request: its newcomer, the Kümmerer of its running mentorship, coordinators. */
export async function requestRole(db: Db, user: Person, requestId: number): Promise<MentoringRole> {
  if (!user) throw new NotFoundError('signed-in only');
  const request = await db.selectFrom('mentoring_request').select(['id', 'newcomer_user_id']).where('id', '=', requestId).executeTakeFirst();
  if (!request) throw new NotFoundError('request');
  if (request.newcomer_user_id === user.id) return 'newcomer';
  const mentoring = await db
    .selectFrom('mentorship')
    .select('id')
    .where('request_id', '=', requestId)
    .where('kuemmerer_user_id', '=', user.id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (mentoring) return 'kuemmerer';
  if (await isCoordinator(db, user.id)) return 'coordinator';
  throw new NotFoundError('request');
}

/**
 * Who may see a mentorship: its newcomer and its Kümmerer while it runs, coordinators always
 * (the history stays with them). An ended mentorship is no longer the Kümmerer's to see.
 */
export async function mentorshipRole(db: Db, user: Person, mentorshipId: number): Promise<MentoringRole> {
  if (!user) throw new NotFoundError('signed-in only');
  const mentorship = await db
    .selectFrom('mentorship')
    .select(['kuemmerer_user_id', 'newcomer_user_id', 'status'])
    .where('id', '=', mentorshipId)
    .executeTakeFirst();
  if (!mentorship) throw new NotFoundError('mentorship');
  if (mentorship.status === 'active' && mentorship.kuemmerer_user_id === user.id) return 'kuemmerer';
  if (mentorship.status === 'active' && mentorship.newcomer_user_id === user.id) return 'newcomer';
  if (await isCoordinator(db, user.id)) return 'coordinator';
  throw new NotFoundError('mentorship');
}

/** Only the Kümmerer of a running mentorship logs, edits and deletes its meetings. */
export async function assertMeetingWriter(db: Db, user: Person, mentorshipId: number): Promise<number> {
  const role = await mentorshipRole(db, user, mentorshipId);
  if (role !== 'kuemmerer') throw new NotFoundError('meeting');
  return user!.id;
}

/** The mentorship a meeting belongs to, when the person may write it. */
export async function meetingForWriter(db: Db, user: Person, meetingId: number): Promise<{ mentorshipId: number }> {
  const meeting = await db.selectFrom('mentoring_meeting').select('mentorship_id').where('id', '=', meetingId).executeTakeFirst();
  if (!meeting) throw new NotFoundError('meeting');
  await assertMeetingWriter(db, user, meeting.mentorship_id);
  return { mentorshipId: meeting.mentorship_id };
}

/** Private meeting notes: the Kümmerer and coordinators, never the newcomer. */
export function seesPrivateNotes(role: MentoringRole): boolean {
  return role === 'kuemmerer' || role === 'coordinator';
}
