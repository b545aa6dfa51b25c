// Hours from what happened: each source (a checked-in shift, an ended Kümmerer meeting, a help
// request finished as done) is turned into its entry here, and only through the ledger
// (ledger.ts), which decides what a pending, confirmed or corrected entry does with a change.
// The services of those features call these functions in their own transactions, so that a
// check-in and its hours, or a deleted meeting and its withdrawn hours, commit together.
//
// What each entry keeps:
// - a shift: the shift's window (its own, or the activity's), the activity's organisation, the
//   activity, "<title> – <role>" and the activity's place name;
// - a meeting: the Kümmerer, the town's schemes (organisation null), its length, and only the
//   key 'kuemmerer' — never the meeting's place or topics, which may reveal health, religion or
//   residence status of the newcomer (describeHours renders the key);
// - a help request: the helper, the town's schemes, the request's kind (a key) and district,
//   its time (or, for "any time this week", when it was finished) and the minutes given.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { shiftWindow } from '../volunteering/shift-window.ts';
import { minutesBetween, recordFromSource, withdrawFromSource } from './ledger.ts';

/** The description of a meeting's entry: a key, read by describeHours. */
export const MEETING_DESCRIPTION = 'kuemmerer';

/** How far back the periodic job looks for meetings that ended: a server that was down for a
 * few days catches up, and an entry a keeper removed by hand long after is not brought back. */
export const ENDED_MEETINGS_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/** The words a shift's entry keeps: "Sprachcafé – Ausschank". */
export function shiftDescription(activityTitle: string, roleName: string): string {
  return `${activityTitle} – ${roleName}`;
}

// ——— Shifts ———

function shiftRows(trx: Transaction<Database>) {
  return trx
    .selectFrom('volunteer_signup')
    .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .select([
      'volunteer_signup.id',
      'volunteer_signup.user_id',
      'volunteer_signup.status',
      'volunteer_signup.checked_in_at',
      'volunteer_role.name as role_name',
      'volunteer_role.starts_at',
      'volunteer_role.ends_at',
      'activity.id as activity_id',
      'activity.organisation_id',
      'activity.title',
      'activity.place_name',
      'activity.status as activity_status',
      'activity.starts_at as activity_starts_at',
      'activity.ends_at as activity_ends_at',
    ]);
}

type ShiftRow = Awaited<ReturnType<ReturnType<typeof shiftRows>['execute']>>[number];

async function followShift(trx: Transaction<Database>, row: ShiftRow, now: Date): Promise<void> {
  const link = { source: 'shift', signupId: row.id } as const;
  // Only a check-in on a shift that takes place counts: an undone check-in, a withdrawn
  // sign-up or a cancelled activity takes its pending entry with it.
  if (row.checked_in_at === null || row.status !== 'active' || row.activity_status !== 'published') {
    await withdrawFromSource(trx, link);
    return;
  }
  const window = shiftWindow(row, { starts_at: row.activity_starts_at, ends_at: row.activity_ends_at });
  await recordFromSource(
    trx,
    link,
    {
      userId: row.user_id,
      organisationId: row.organisation_id,
      activityId: row.activity_id,
      startsAt: window.startsAt,
      minutes: minutesBetween(window.startsAt, window.endsAt),
      description: shiftDescription(row.title, row.role_name),
      place: row.place_name ?? '',
    },
    now,
  );
}

/** A sign-up's entry follows its check-in: recorded when checked in, withdrawn when not. */
export async function followShiftCheckIn(trx: Transaction<Database>, signupId: number, now: Date): Promise<void> {
  const row = await shiftRows(trx).where('volunteer_signup.id', '=', signupId).executeTakeFirst();
  if (row) await followShift(trx, row, now);
}

/** A role's window changed: the entries of its checked-in volunteers move with it. */
export async function followRole(trx: Transaction<Database>, roleId: number, now: Date): Promise<void> {
  const rows = await shiftRows(trx).where('volunteer_role.id', '=', roleId).where('volunteer_signup.checked_in_at', 'is not', null).execute();
  for (const row of rows) await followShift(trx, row, now);
}

/** An activity moved, changed place, was cancelled or reinstated: the entries of its shifts
 * follow (a cancelled one withdraws the pending ones). */
export async function followActivity(trx: Transaction<Database>, activityId: number, now: Date): Promise<void> {
  const rows = await shiftRows(trx).where('activity.id', '=', activityId).where('volunteer_signup.checked_in_at', 'is not', null).execute();
  for (const row of rows) await followShift(trx, row, now);
}

// ——— Kümmerer meetings ———

/** A meeting's entry follows the meeting: recorded once it has ended, withdrawn while it lies
 * ahead (a meeting moved into the future has not happened yet). */
export async function followMeeting(trx: Transaction<Database>, meetingId: number, now: Date): Promise<void> {
  const meeting = await trx
    .selectFrom('mentoring_meeting')
    .innerJoin('mentorship', 'mentorship.id', 'mentoring_meeting.mentorship_id')
    .select(['mentoring_meeting.id', 'mentoring_meeting.starts_at', 'mentoring_meeting.ends_at', 'mentorship.kuemmerer_user_id'])
    .where('mentoring_meeting.id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting) return;
  const link = { source: 'meeting', meetingId } as const;
  if (meeting.ends_at.getTime() > now.getTime()) {
    await withdrawFromSource(trx, link);
    return;
  }
  await recordFromSource(
    trx,
    link,
    {
      userId: meeting.kuemmerer_user_id,
      organisationId: null,
      startsAt: meeting.starts_at,
      minutes: minutesBetween(meeting.starts_at, meeting.ends_at),
      description: MEETING_DESCRIPTION,
    },
    now,
  );
}

/** A meeting about to be deleted: its pending entry goes with it. */
export async function withdrawMeeting(trx: Transaction<Database>, meetingId: number): Promise<void> {
  await withdrawFromSource(trx, { source: 'meeting', meetingId });
}

/**
 * The periodic job (src/server/main.ts): meetings logged ahead of time count once they have
 * ended. It looks at meetings that ended after they were last saved (those saved with an end in
 * the past were recorded by saveMeeting) within ENDED_MEETINGS_LOOKBACK_MS, and without an
 * entry. Each is locked with SKIP LOCKED, so that several servers never record one twice and
 * a Kümmerer editing it is not waited for. Answers how many it recorded.
 */
export async function recordEndedMeetings(db: Kysely<Database>, now: Date): Promise<number> {
  const due = await db
    .selectFrom('mentoring_meeting')
    .select('id')
    .where('ends_at', '<=', now)
    .where('ends_at', '>', new Date(now.getTime() - ENDED_MEETINGS_LOOKBACK_MS))
    .whereRef('ends_at', '>', 'updated_at')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('volunteer_hours').select('volunteer_hours.id').whereRef('volunteer_hours.mentoring_meeting_id', '=', 'mentoring_meeting.id'))))
    // Nor one whose entry a keeper removed (ledger.ts).
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('volunteer_hours_removed').select('volunteer_hours_removed.mentoring_meeting_id').whereRef('volunteer_hours_removed.mentoring_meeting_id', '=', 'mentoring_meeting.id'))))
    .orderBy('id')
    .limit(500)
    .execute();
  let recorded = 0;
  for (const { id } of due) {
    recorded += await db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('mentoring_meeting').select('id').where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
      if (!locked) return 0;
      const existing = await trx.selectFrom('volunteer_hours').select('id').where('mentoring_meeting_id', '=', id).executeTakeFirst();
      if (existing) return 0;
      await followMeeting(trx, id, now);
      return 1;
    });
  }
  return recorded;
}

// ——— Help requests ———

/** A help request's entry follows its outcome: the helper's minutes count while it is done. */
export async function followHelpRequest(trx: Transaction<Database>, requestId: number, now: Date): Promise<void> {
  const request = await trx
    .selectFrom('help_request')
    .select(['id', 'kind', 'status', 'helper_user_id', 'minutes_spent', 'starts_at', 'finished_at', 'district'])
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (!request) return;
  const link = { source: 'help', helpRequestId: requestId } as const;
  const startsAt = request.starts_at ?? request.finished_at;
  if (request.status !== 'done' || request.helper_user_id === null || !request.minutes_spent || startsAt === null) {
    await withdrawFromSource(trx, link);
    return;
  }
  await recordFromSource(
    trx,
    link,
    { userId: request.helper_user_id, organisationId: null, startsAt, minutes: request.minutes_spent, description: request.kind, place: request.district },
    now,
  );
}
