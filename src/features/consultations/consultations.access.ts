// Who may see and do what with consultation hours — the one place that decides. Hours and their
// free slots are public. A booking belongs to the person who made it and to the staff (organisers
// and coordinators) of the organisation holding the hour: only they see its topic and note.
// Everyone else gets NotFoundError, which pages and actions answer with 404, exactly as for an
// id that does not exist.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';

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

/** The person's own booking; anyone else's is "not found". */
export async function assertOwnBooking(db: Db, user: Person, bookingId: number): Promise<number> {
  if (!user) throw new NotFoundError('signed-in only');
  const row = await db.selectFrom('consultation_booking').select('user_id').where('id', '=', bookingId).executeTakeFirst();
  if (!row || row.user_id !== user.id) throw new NotFoundError('booking');
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
