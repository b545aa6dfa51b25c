// Checking volunteers in: an organiser of the activity's organisation marks that a volunteer
// of a shift was there (or undoes it), on the roles page or at the door. The check-in is what
// makes hours of a shift (hours/sources.ts), in the same transaction. Like the door's check-ins
// of RSVPs it is not audited: checked_in_by already says who marked it.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isMember, NotFoundError } from '../access/access.ts';
import { followShiftCheckIn } from '../hours/sources.ts';
import { shiftWindow } from './shift-window.ts';

/** Check-in opens an hour before the shift starts: helpers setting up arrive early, and an
 * organiser should not mark next week's shift by mistake. */
export const CHECK_IN_OPENS_BEFORE_MS = 60 * 60 * 1000;

/** Whether volunteers of a shift starting at `shiftStart` can be checked in now. */
export function checkInIsOpen(shiftStart: Date, now: Date): boolean {
  return shiftStart.getTime() - now.getTime() <= CHECK_IN_OPENS_BEFORE_MS;
}

export type CheckInRefusal = { key: 'hoursCheckIn.error.tooEarly' } | { key: 'hoursCheckIn.error.withdrawn' } | { key: 'hoursCheckIn.error.cancelled' };

/**
 * Marks the volunteer of a sign-up as there (`present`) or not (undo). Organisers of the
 * activity's organisation only; everyone else gets "not found". Refused for a shift more than
 * an hour ahead, a withdrawn sign-up and a cancelled activity. The role is locked first, as
 * every sign-up and withdrawal locks it, so a volunteer withdrawing at the same moment is
 * either withdrawn or checked in, never both.
 */
export async function setVolunteerCheckIn(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { signupId: number; present: boolean },
  now = new Date(),
): Promise<{ ok: true; activityId: number; displayName: string } | { ok: false; refusal: CheckInRefusal }> {
  if (!actor) throw new NotFoundError('signed-in only');
  return db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('volunteer_signup').select('role_id').where('id', '=', input.signupId).executeTakeFirst();
    if (!found) throw new NotFoundError('volunteer signup');
    const role = await trx.selectFrom('volunteer_role').selectAll().where('id', '=', found.role_id).forUpdate().executeTakeFirstOrThrow();
    const activity = await trx.selectFrom('activity').selectAll().where('id', '=', role.activity_id).executeTakeFirstOrThrow();
    if (!(await isMember(trx, actor.id, activity.organisation_id))) throw new NotFoundError('organisation');
    if (activity.status === 'draft') throw new NotFoundError('draft');
    const signup = await trx
      .selectFrom('volunteer_signup')
      .innerJoin('app_user', 'app_user.id', 'volunteer_signup.user_id')
      .select(['volunteer_signup.status', 'volunteer_signup.checked_in_at', 'app_user.display_name'])
      .where('volunteer_signup.id', '=', input.signupId)
      .executeTakeFirstOrThrow();
    if (signup.status !== 'active') return { ok: false, refusal: { key: 'hoursCheckIn.error.withdrawn' } } as const;
    if (input.present) {
      if (activity.status === 'cancelled') return { ok: false, refusal: { key: 'hoursCheckIn.error.cancelled' } } as const;
      if (!checkInIsOpen(shiftWindow(role, activity).startsAt, now)) return { ok: false, refusal: { key: 'hoursCheckIn.error.tooEarly' } } as const;
    }
    // Pressed twice (two organisers at the door): the first time stays.
    if (input.present !== (signup.checked_in_at !== null)) {
      await trx
        .updateTable('volunteer_signup')
        .set(input.present ? { checked_in_at: now, checked_in_by: actor.id, updated_at: now } : { checked_in_at: null, checked_in_by: null, updated_at: now })
        .where('id', '=', input.signupId)
        .execute();
      await followShiftCheckIn(trx, input.signupId, now);
    }
    return { ok: true, activityId: activity.id, displayName: signup.display_name } as const;
  });
}

export interface DoorHelper {
  signupId: number;
  displayName: string;
  checkedInAt: Date | null;
}

export interface DoorShift {
  roleId: number;
  name: string;
  startsAt: Date;
  endsAt: Date;
  /** Whether its volunteers can be checked in now (checkInIsOpen). */
  checkInOpen: boolean;
  helpers: DoorHelper[];
}

/** The door's "Helpers": each role of the activity with its volunteers, for an organiser the
 * caller has already checked (the door page loads the activity through listAttendees). */
export async function listDoorHelpers(db: Kysely<Database>, activityId: number, now = new Date()): Promise<DoorShift[]> {
  const activity = await db.selectFrom('activity').select(['starts_at', 'ends_at']).where('id', '=', activityId).executeTakeFirstOrThrow();
  const roles = await db.selectFrom('volunteer_role').select(['id', 'name', 'starts_at', 'ends_at']).where('activity_id', '=', activityId).orderBy('id').execute();
  if (roles.length === 0) return [];
  const signups = await db
    .selectFrom('volunteer_signup')
    .innerJoin('app_user', 'app_user.id', 'volunteer_signup.user_id')
    .select(['volunteer_signup.id', 'volunteer_signup.role_id', 'volunteer_signup.checked_in_at', 'app_user.display_name'])
    .where('volunteer_signup.role_id', 'in', roles.map((r) => r.id))
    .where('volunteer_signup.status', '=', 'active')
    .orderBy('volunteer_signup.id')
    .execute();
  return roles.map((role) => {
    const window = shiftWindow(role, activity);
    return {
      roleId: role.id,
      name: role.name,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      checkInOpen: checkInIsOpen(window.startsAt, now),
      helpers: signups.filter((s) => s.role_id === role.id).map((s) => ({ signupId: s.id, displayName: s.display_name, checkedInAt: s.checked_in_at })),
    };
  });
}
