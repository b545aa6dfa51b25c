// Who may see and do what with consultation hours — the one place that decides. Hours and their
// free slots are public. A booking belongs to the person it is for, to whoever booked it on
// their behalf (their Kümmerer in a running mentorship, or a coordinator), and to the staff
// (organisers and coordinators) of the organisation holding the hour: only they see its topic
// and note.
// Everyone else gets NotFoundError, which pages and actions answer with 404, exactly as for an
// id that does not exist.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isCoordinator, NotFoundError } from '../access/access.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Person = Pick<SessionUser, 'id'> | null | undefined;

/** A member of the organisation in either role: they publish its hours and run its day list. */
async function isStaff(db: Db, userId: number, organisationId: number): Promise<boolean> {
  const row = await db.selectFrom('membership').select('user_id').where('user_id', '=', userId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row !== undefined;
}

export async function assertStaff(db: Db, user: Person, organisationId: number): Promise<number> {
  if (!user || !(await isStaff(db, user.id, organisationId))) throw new NotFoundError('consultation staff only');
  return user.id;
}

/** The organisation at an address, for its staff only. */
export async function organisationForStaff(db: Db, user: Person, slug: string): Promise<{ id: number; slug: string; name: string }> {
  const organisation = await db.selectFrom('organisation').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (!organisation) throw new NotFoundError('organisation');
  await assertStaff(db, user, organisation.id);
  return organisation;
}

/** The people a person may book for besides themselves: a Kümmerer their mentees in running
 * mentorships; a coordinator also every newcomer who asked for a Kümmerer (the newcomers the
 * portal knows as such), and the one person they came for from the people list (`also`, any
 * person: a coordinator may book for anyone). Ordered by name, for the booking form's choice. */
export async function peopleToBookFor(db: Db, userId: number, also: number | null = null): Promise<Array<{ id: number; name: string }>> {
  const mentees = db.selectFrom('mentorship').select('newcomer_user_id as id').where('kuemmerer_user_id', '=', userId).where('status', '=', 'active');
  const coordinator = await isCoordinator(db, userId);
  const ids = coordinator
    ? mentees.union(db.selectFrom('mentoring_request').select('newcomer_user_id as id')).union(db.selectFrom('app_user').select('id').where('id', '=', also ?? 0))
    : mentees;
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .where('id', '!=', userId)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}

/** Whether the person may book for someone else: a Kümmerer for a newcomer in a running
 * mentorship with them; a coordinator for anyone (not themselves — that is an ordinary booking).
 * Anyone else is "not found", as if the person did not exist. */
export async function assertMayBookFor(db: Db, user: Person, personId: number): Promise<number> {
  if (!user) throw new NotFoundError('signed-in only');
  const person = await db.selectFrom('app_user').select('id').where('id', '=', personId).executeTakeFirst();
  if (!person || personId === user.id) throw new NotFoundError('person');
  const mentorship = await db.selectFrom('mentorship').select('id').where('kuemmerer_user_id', '=', user.id).where('newcomer_user_id', '=', personId).where('status', '=', 'active').executeTakeFirst();
  if (mentorship) return user.id;
  if (await isCoordinator(db, user.id)) return user.id;
  throw new NotFoundError('person');
}

/** The person's own booking, or one they made on someone's behalf: they see it and may cancel
 * it. Anyone else's is "not found". */
export async function assertOwnBooking(db: Db, user: Person, bookingId: number): Promise<number> {
  if (!user) throw new NotFoundError('signed-in only');
  const row = await db.selectFrom('consultation_booking').select(['user_id', 'booked_by_user_id']).where('id', '=', bookingId).executeTakeFirst();
  if (!row || (row.user_id !== user.id && row.booked_by_user_id !== user.id)) throw new NotFoundError('booking');
  return user.id;
}

/** A coming hour of one of the person's organisations, for its staff; with its organisation. */
export async function assertStaffOfHour(db: Db, user: Person, hourId: number): Promise<{ organisationId: number }> {
  if (!user) throw new NotFoundError('signed-in only');
  const row = await db.selectFrom('consultation_hour').select('organisation_id').where('id', '=', hourId).executeTakeFirst();
  if (!row) throw new NotFoundError('hour');
  await assertStaff(db, user, row.organisation_id);
  return { organisationId: row.organisation_id };
}

/** A walk-in of one of the person's organisations' hours, for its staff. */
export async function assertStaffOfWalkIn(db: Db, user: Person, walkInId: number): Promise<number> {
  if (!user) throw new NotFoundError('signed-in only');
  const row = await db.selectFrom('consultation_walk_in').select('hour_id').where('id', '=', walkInId).executeTakeFirst();
  if (!row) throw new NotFoundError('walk-in');
  await assertStaffOfHour(db, user, row.hour_id);
  return user.id;
}

/** A booking of one of the person's organisations' hours, for its staff. */
export async function assertStaffOfBooking(db: Db, user: Person, bookingId: number): Promise<number> {
  if (!user) throw new NotFoundError('signed-in only');
  const row = await db
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id')
    .select('consultation_hour.organisation_id')
    .where('consultation_booking.id', '=', bookingId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('booking');
  await assertStaff(db, user, row.organisation_id);
  return user.id;
}
