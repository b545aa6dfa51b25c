// The door: the organiser's list of who is coming, one-tap check-in, walk-ins without an
// account, no-shows, the waitlist in order with a manual promote, and the CSV export. Only
// members of the activity's organisation see names; everyone else gets "not found".
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Activity, ActivityCategory, Database } from '../../db/schema.ts';
import { zonedDateInput, zonedTimeToInstant } from '../../i18n/format.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { assertMember } from '../activities/activities.service.ts';
import { recordAudit } from '../audit/audit.ts';
import { notifyUser, seatsTaken, type RsvpContext } from '../rsvps/rsvps.service.ts';

export interface Attendee {
  rsvpId: number;
  name: string;
  walkIn: boolean;
  partySize: number;
  note: string;
  status: 'going' | 'waitlisted';
  checkedIn: boolean;
  noShow: boolean;
  /** 1 for the first party waiting. */
  waitlistPosition: number | null;
  createdAt: Date;
}

export interface AttendeeList {
  activity: Activity;
  going: Attendee[];
  waitlist: Attendee[];
  seatsTaken: number;
  checkedInPeople: number;
}

export async function listAttendees(db: Kysely<Database>, actor: SessionUser | null, activityId: number): Promise<AttendeeList> {
  const activity = await db.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirst();
  if (!activity) throw new NotFoundError('activity');
  await assertMember(db, actor, activity.organisation_id);
  const rows = await db
    .selectFrom('rsvp')
    .leftJoin('app_user', 'app_user.id', 'rsvp.user_id')
    .select(['rsvp.id', 'rsvp.walk_in_name', 'app_user.display_name', 'rsvp.party_size', 'rsvp.note', 'rsvp.status', 'rsvp.checked_in_at', 'rsvp.no_show', 'rsvp.created_at'])
    .where('rsvp.activity_id', '=', activityId)
    .where('rsvp.status', '<>', 'cancelled')
    .orderBy('rsvp.id')
    .execute();
  let position = 0;
  const attendees = rows.map((r): Attendee => ({
    rsvpId: r.id,
    name: r.walk_in_name ?? r.display_name ?? '',
    walkIn: r.walk_in_name !== null,
    partySize: r.party_size,
    note: r.note,
    status: r.status === 'going' ? 'going' : 'waitlisted',
    checkedIn: r.checked_in_at !== null,
    noShow: r.no_show,
    waitlistPosition: r.status === 'waitlisted' ? ++position : null,
    createdAt: r.created_at,
  }));
  const going = attendees.filter((a) => a.status === 'going').sort((a, b) => a.name.localeCompare(b.name));
  return {
    activity,
    going,
    waitlist: attendees.filter((a) => a.status === 'waitlisted'),
    seatsTaken: going.reduce((sum, a) => sum + a.partySize, 0),
    checkedInPeople: going.filter((a) => a.checkedIn).reduce((sum, a) => sum + a.partySize, 0),
  };
}

/** The RSVP and its activity, locked, when the actor may run this activity's door. */
async function lockForDoor(trx: Transaction<Database>, actor: SessionUser | null, rsvpId: number) {
  const rsvp = await trx.selectFrom('rsvp').selectAll().where('id', '=', rsvpId).where('status', '<>', 'cancelled').executeTakeFirst();
  if (!rsvp) throw new NotFoundError('rsvp');
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', rsvp.activity_id).forUpdate().executeTakeFirstOrThrow();
  await assertMember(trx, actor, activity.organisation_id);
  return { rsvp, activity };
}

/** Checks a party in (or undoes it); checking in also clears a no-show mark. */
export async function setCheckedIn(db: Kysely<Database>, actor: SessionUser | null, rsvpId: number, checkedIn: boolean, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { rsvp } = await lockForDoor(trx, actor, rsvpId);
    if (rsvp.status !== 'going') throw new NotFoundError('not going');
    await trx
      .updateTable('rsvp')
      .set({ checked_in_at: checkedIn ? now : null, ...(checkedIn ? { no_show: false } : {}), updated_at: now })
      .where('id', '=', rsvpId)
      .execute();
  });
}

export async function setNoShow(db: Kysely<Database>, actor: SessionUser | null, rsvpId: number, noShow: boolean, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { rsvp } = await lockForDoor(trx, actor, rsvpId);
    if (rsvp.status !== 'going') throw new NotFoundError('not going');
    await trx
      .updateTable('rsvp')
      .set({ no_show: noShow, ...(noShow ? { checked_in_at: null } : {}), updated_at: now })
      .where('id', '=', rsvpId)
      .execute();
  });
}

export type DoorResult = { ok: true } | { ok: false; refusal: { key: 'rsvp.error.noRoomForMore'; count: number } };

/** Seats the organiser can still give at the door: those of parties marked as no-show are free. */
async function freeAtTheDoor(trx: Transaction<Database>, activity: Activity): Promise<number> {
  if (activity.capacity === null) return Number.POSITIVE_INFINITY;
  const noShows = await trx
    .selectFrom('rsvp')
    .select(sql<number>`coalesce(sum(party_size), 0)::int`.as('seats'))
    .where('activity_id', '=', activity.id)
    .where('status', '=', 'going')
    .where('no_show', '=', true)
    .executeTakeFirstOrThrow();
  return activity.capacity - (await seatsTaken(trx, activity.id)) + noShows.seats;
}

/** Someone without an account at the door: a name and a party size, checked in at once. */
export async function addWalkIn(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  input: { name: string; partySize: number },
  now = new Date(),
): Promise<DoorResult> {
  return db.transaction().execute(async (trx) => {
    const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).forUpdate().executeTakeFirst();
    if (!activity || activity.status === 'draft') throw new NotFoundError('activity');
    const member = await assertMember(trx, actor, activity.organisation_id);
    const free = await freeAtTheDoor(trx, activity);
    if (input.partySize > free) return { ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: Math.max(0, free) } } as const;
    await trx
      .insertInto('rsvp')
      .values({
        activity_id: activityId,
        user_id: null,
        walk_in_name: input.name,
        party_size: input.partySize,
        status: 'going',
        checked_in_at: now,
        created_by: member.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { ok: true } as const;
  });
}

/** The organiser lets a waiting party in, into seats that are free or held by no-shows. */
export async function promoteManually(db: Kysely<Database>, actor: SessionUser | null, rsvpId: number, context: RsvpContext, now = new Date()): Promise<DoorResult> {
  return db.transaction().execute(async (trx) => {
    const { rsvp, activity } = await lockForDoor(trx, actor, rsvpId);
    if (rsvp.status !== 'waitlisted') throw new NotFoundError('not waiting');
    const free = await freeAtTheDoor(trx, activity);
    if (rsvp.party_size > free) return { ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: Math.max(0, free) } } as const;
    await trx.updateTable('rsvp').set({ status: 'going', updated_at: now }).where('id', '=', rsvpId).execute();
    if (rsvp.user_id !== null) await notifyUser(trx, 'rsvp_promoted', rsvp.user_id, activity, context, { partySize: rsvp.party_size });
    return { ok: true } as const;
  });
}

/**
 * RFC 4180 CSV, UTF-8 with a byte-order mark so that Excel shows umlauts and Arabic. A cell
 * that starts with = + - @, a tab or a carriage return is prefixed with ' so that no
 * spreadsheet runs it as a formula.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cell = (value: string | number) => {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

export async function exportAttendeesCsv(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  labels: { header: string[]; going: string; waitlisted: string; yes: string; no: string },
): Promise<{ filename: string; csv: string }> {
  const list = await listAttendees(db, actor, activityId);
  await recordAudit(db, { actorUserId: actor?.id ?? null, action: 'attendees.exported', objectType: 'activity', objectId: activityId });
  const rows = [...list.going, ...list.waitlist].map((a) => [
    a.name,
    a.partySize,
    a.status === 'going' ? labels.going : labels.waitlisted,
    a.waitlistPosition ?? '',
    a.checkedIn ? labels.yes : labels.no,
    a.noShow ? labels.yes : labels.no,
    a.note,
  ]);
  const slug = list.activity.title.normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 40) || 'activity';
  return { filename: `${slug}-${activityId}.csv`, csv: toCsv([labels.header, ...rows]) };
}

export interface AttendanceMonth {
  /** "2026-03" in the town's zone. */
  month: string;
  total: number;
  byCategory: Partial<Record<ActivityCategory, number>>;
}

/**
 * People checked in per month (in the town's zone) and category over the last 12 months,
 * oldest first, empty months included so that a chart shows the gaps.
 */
export async function attendanceByMonth(
  db: Kysely<Database>,
  actor: SessionUser | null,
  organisationId: number,
  timeZone: string,
  now = new Date(),
): Promise<AttendanceMonth[]> {
  await assertMember(db, actor, organisationId);
  const months: AttendanceMonth[] = [];
  const current = zonedDateInput(timeZone, now).slice(0, 7);
  let [year, month] = current.split('-').map(Number) as [number, number];
  for (let i = 0; i < 12; i++) {
    months.unshift({ month: `${year}-${String(month).padStart(2, '0')}`, total: 0, byCategory: {} });
    month -= 1;
    if (month === 0) [year, month] = [year - 1, 12];
  }
  const since = zonedTimeToInstant(timeZone, Number(months[0]!.month.slice(0, 4)), Number(months[0]!.month.slice(5, 7)), 1);
  const rows = await db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .select(['activity.starts_at', 'activity.category', 'rsvp.party_size'])
    .where('activity.organisation_id', '=', organisationId)
    .where('rsvp.checked_in_at', 'is not', null)
    .where('activity.starts_at', '>=', since)
    .where('activity.starts_at', '<=', now)
    .execute();
  const index = new Map(months.map((m) => [m.month, m]));
  for (const row of rows) {
    const bucket = index.get(zonedDateInput(timeZone, row.starts_at).slice(0, 7));
    if (!bucket) continue;
    bucket.total += row.party_size;
    bucket.byCategory[row.category] = (bucket.byCategory[row.category] ?? 0) + row.party_size;
  }
  return months;
}
