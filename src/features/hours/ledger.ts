// The one ledger of volunteer hours (volunteer_hours). Every source writes through here:
// a checked-in shift, a logged Kümmerer meeting, a finished help request, and an organiser's
// entry by hand. The rules that hold for all of them live here:
// - An entry made from a source follows that source while it is pending and the volunteer has
//   not corrected it (a meeting moved by an hour moves its hours); once confirmed or
//   corrected, the source no longer changes it.
// - A source that stops counting (a check-in undone, a meeting deleted, a help request
//   reopened) takes its pending entry with it; a confirmed entry stays (the organisation gave
//   its word; it can still be removed by hand).
// - An entry a keeper removed stays removed: its source is remembered (volunteer_hours_removed)
//   and does not make it again — not the meetings' job, not a later edit of the meeting.
// - Months are the town's calendar months ("2026-11"), whatever zone the server runs in.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HoursSource, VolunteerHours } from '../../db/schema-hours.ts';
import { zonedParts, zonedTimeToInstant } from '../../i18n/format.ts';

/** The link from an entry to what made it; none for an entry by hand. */
export type HoursLink = { source: 'shift'; signupId: number } | { source: 'meeting'; meetingId: number } | { source: 'help'; helpRequestId: number };

export interface HoursFacts {
  userId: number;
  /** Null: the town's own schemes (Kümmerer, neighbourly help). */
  organisationId: number | null;
  activityId?: number | null;
  startsAt: Date;
  minutes: number;
  description: string;
  place?: string;
}

/** The longest entry: one day (the column's check). */
export const MAX_MINUTES = 1440;

function linkColumn(link: HoursLink): { column: 'volunteer_signup_id' | 'mentoring_meeting_id' | 'help_request_id'; id: number } {
  if (link.source === 'shift') return { column: 'volunteer_signup_id', id: link.signupId };
  if (link.source === 'meeting') return { column: 'mentoring_meeting_id', id: link.meetingId };
  return { column: 'help_request_id', id: link.helpRequestId };
}

/** Minutes between two instants, within the ledger's bounds (at least 1, at most a day). */
export function minutesBetween(start: Date, end: Date): number {
  return Math.min(MAX_MINUTES, Math.max(1, Math.round((end.getTime() - start.getTime()) / 60_000)));
}

/** Records (or brings up to date) the entry a source makes. A confirmed or corrected entry is
 * left as it is, and none is made again for a source whose entry a keeper removed. Returns the
 * entry's id, or null when there is none. */
export async function recordFromSource(trx: Transaction<Database>, link: HoursLink, facts: HoursFacts, now: Date): Promise<number | null> {
  const { column, id } = linkColumn(link);
  const existing = await trx.selectFrom('volunteer_hours').select(['id', 'status', 'corrected_at']).where(column, '=', id).forUpdate().executeTakeFirst();
  if (!existing && (await trx.selectFrom('volunteer_hours_removed').select(column).where(column, '=', id).executeTakeFirst())) return null;
  const values = {
    user_id: facts.userId,
    organisation_id: facts.organisationId,
    activity_id: facts.activityId ?? null,
    starts_at: facts.startsAt,
    minutes: Math.min(MAX_MINUTES, Math.max(1, Math.round(facts.minutes))),
    description: facts.description,
    place: facts.place ?? '',
  };
  if (!existing) {
    const row = await trx
      .insertInto('volunteer_hours')
      .values({ ...values, source: link.source as HoursSource, [column]: id, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  if (existing.status === 'pending' && existing.corrected_at === null) {
    await trx.updateTable('volunteer_hours').set({ ...values, updated_at: now }).where('id', '=', existing.id).execute();
  }
  return existing.id;
}

/** The source no longer counts: its pending entry goes; a confirmed one stays. */
export async function withdrawFromSource(trx: Transaction<Database>, link: HoursLink): Promise<void> {
  const { column, id } = linkColumn(link);
  await trx.deleteFrom('volunteer_hours').where(column, '=', id).where('status', '=', 'pending').execute();
}

/** A keeper removes an entry, whatever made it; its source is remembered, so that it does not
 * come back. */
export async function removeEntry(trx: Transaction<Database>, entry: Pick<VolunteerHours, 'id' | 'volunteer_signup_id' | 'mentoring_meeting_id' | 'help_request_id'>): Promise<void> {
  await trx.deleteFrom('volunteer_hours').where('id', '=', entry.id).execute();
  const { volunteer_signup_id, mentoring_meeting_id, help_request_id } = entry;
  if (volunteer_signup_id === null && mentoring_meeting_id === null && help_request_id === null) return;
  await trx.insertInto('volunteer_hours_removed').values({ volunteer_signup_id, mentoring_meeting_id, help_request_id }).onConflict((oc) => oc.doNothing()).execute();
}

/** An entry by hand (a training, a day of sorting donations), pending like any other. */
export async function recordByHand(trx: Transaction<Database>, facts: HoursFacts, actorId: number, now: Date): Promise<number> {
  const row = await trx
    .insertInto('volunteer_hours')
    .values({
      user_id: facts.userId,
      organisation_id: facts.organisationId,
      activity_id: facts.activityId ?? null,
      source: 'manual',
      starts_at: facts.startsAt,
      minutes: facts.minutes,
      description: facts.description,
      place: facts.place ?? '',
      created_by: actorId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A calendar month of the town, as "YYYY-MM". */
export type MonthKey = `${number}-${string}`;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonthKey(value: unknown): value is MonthKey {
  return typeof value === 'string' && MONTH.test(value);
}

/** The town's month an instant falls in. */
export function monthOf(timeZone: string, date: Date): MonthKey {
  const { y, m } = zonedParts(timeZone, date);
  return `${y}-${String(m).padStart(2, '0')}` as MonthKey;
}

/** The instants a town month spans: [from, to). */
export function monthSpan(timeZone: string, month: MonthKey): { from: Date; to: Date } {
  const [, y, m] = MONTH.exec(month)!;
  const year = Number(y);
  const mon = Number(m);
  return { from: zonedTimeToInstant(timeZone, year, mon, 1), to: zonedTimeToInstant(timeZone, mon === 12 ? year + 1 : year, mon === 12 ? 1 : mon + 1, 1) };
}

/** The month before or after, by `delta` months. */
export function shiftMonth(month: MonthKey, delta: number): MonthKey {
  const [, y, m] = MONTH.exec(month)!;
  const index = Number(y) * 12 + (Number(m) - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}` as MonthKey;
}
