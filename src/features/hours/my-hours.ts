// A volunteer's own hours ("My hours"): a year of entries per town month and per organisation,
// with pending and confirmed apart, the progress toward the volunteer card, and correcting an
// entry while it is pending. Only ever the signed-in person's own rows: every query here is
// bound to their id, and an entry of someone else's is NotFoundError (404), as hours.access.ts
// says.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HoursSource, HoursStatus } from '../../db/schema-hours.ts';
import { zonedParts, zonedTimeToInstant } from '../../i18n/format.ts';
import type { Refusal } from '../../lib/form-state.ts';
import { NotFoundError } from '../access/access.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { monthOf, type MonthKey } from './ledger.ts';
import { loadRecognitionRule, recognitionProgress, type RecognitionProgress, type RecognitionRule } from './recognition.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface MyHoursEntry {
  id: number;
  startsAt: Date;
  minutes: number;
  source: HoursSource;
  /** What it was, as stored: read it through describeHours (meetings and help keep a key). */
  description: string;
  place: string;
  status: HoursStatus;
  /** Null: the town's own schemes (hours.townScheme). */
  organisationId: number | null;
  organisationName: string | null;
  /** The volunteer corrected it: the source no longer changes it. */
  corrected: boolean;
}

export interface HoursTotals {
  pendingMinutes: number;
  confirmedMinutes: number;
}

export interface MyHoursMonth {
  month: MonthKey;
  /** Oldest first within the month, as a diary reads. */
  entries: MyHoursEntry[];
  totals: HoursTotals;
}

export interface MyHoursOrganisation {
  organisationId: number | null;
  organisationName: string | null;
  totals: HoursTotals;
}

export interface MyHoursYear {
  year: number;
  /** The years the switch offers: from the person's first entry to this year (or a later
   * entry's), newest first. */
  years: number[];
  /** Newest month first; months without hours are left out. */
  months: MyHoursMonth[];
  /** By total, largest first; the town's schemes like any organisation. */
  organisations: MyHoursOrganisation[];
  totals: HoursTotals;
  /** Null when the site admin switched the card off. */
  recognition: { rule: RecognitionRule; progress: RecognitionProgress } | null;
  /** Whether the person has any hours at all (the empty state explains how they come about). */
  hasAnyHours: boolean;
}

const emptyTotals = (): HoursTotals => ({ pendingMinutes: 0, confirmedMinutes: 0 });

function add(totals: HoursTotals, entry: Pick<MyHoursEntry, 'status' | 'minutes'>): void {
  if (entry.status === 'confirmed') totals.confirmedMinutes += entry.minutes;
  else totals.pendingMinutes += entry.minutes;
}

/** The town's calendar year an instant falls in. */
export function townYear(timeZone: string, date: Date): number {
  return zonedParts(timeZone, date).y;
}

/** The year ?year= asks for: none asked means this year (undefined); a year from 2000 to next
 * year is one; anything else names no page (null). */
export function requestedYear(value: string | null, timeZone: string, now: Date): number | undefined | null {
  if (value === null) return undefined;
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
  return year >= 2000 && year <= townYear(timeZone, now) + 1 ? year : null;
}

/** The instants a town year spans: [from, to). */
export function yearSpan(timeZone: string, year: number): { from: Date; to: Date } {
  return { from: zonedTimeToInstant(timeZone, year, 1, 1), to: zonedTimeToInstant(timeZone, year + 1, 1, 1) };
}

function entriesOf(db: Db, userId: number) {
  return db
    .selectFrom('volunteer_hours')
    .leftJoin('organisation', 'organisation.id', 'volunteer_hours.organisation_id')
    .select([
      'volunteer_hours.id',
      'volunteer_hours.starts_at',
      'volunteer_hours.minutes',
      'volunteer_hours.source',
      'volunteer_hours.description',
      'volunteer_hours.place',
      'volunteer_hours.status',
      'volunteer_hours.organisation_id',
      'volunteer_hours.corrected_at',
      'organisation.name as organisation_name',
    ])
    .where('volunteer_hours.user_id', '=', userId);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entriesOf>['executeTakeFirstOrThrow']>>;

function toEntry(row: EntryRow): MyHoursEntry {
  return {
    id: row.id,
    startsAt: new Date(row.starts_at),
    minutes: row.minutes,
    source: row.source,
    description: row.description,
    place: row.place,
    status: row.status,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    corrected: row.corrected_at !== null,
  };
}

/** A year's entries by town month and by organisation, with the totals. */
export function groupHours(timeZone: string, entries: MyHoursEntry[]): Pick<MyHoursYear, 'months' | 'organisations' | 'totals'> {
  const months = new Map<MonthKey, MyHoursMonth>();
  const organisations = new Map<number | null, MyHoursOrganisation>();
  const totals = emptyTotals();
  for (const entry of [...entries].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id - b.id)) {
    const month = monthOf(timeZone, entry.startsAt);
    let m = months.get(month);
    if (!m) months.set(month, (m = { month, entries: [], totals: emptyTotals() }));
    m.entries.push(entry);
    add(m.totals, entry);
    let o = organisations.get(entry.organisationId);
    if (!o) organisations.set(entry.organisationId, (o = { organisationId: entry.organisationId, organisationName: entry.organisationName, totals: emptyTotals() }));
    add(o.totals, entry);
    add(totals, entry);
  }
  const sum = (t: HoursTotals) => t.pendingMinutes + t.confirmedMinutes;
  return {
    months: [...months.values()].sort((a, b) => (a.month < b.month ? 1 : -1)),
    organisations: [...organisations.values()].sort((a, b) => sum(b.totals) - sum(a.totals) || (a.organisationName ?? '').localeCompare(b.organisationName ?? '')),
    totals,
  };
}

/** Confirmed and pending minutes of the last 12 months up to now: what the card counts. The
 * window starts on the same calendar day a year ago in the town. */
export async function lastTwelveMonths(db: Db, userId: number, timeZone: string, now: Date): Promise<HoursTotals> {
  const today = zonedParts(timeZone, now);
  const from = zonedTimeToInstant(timeZone, today.y - 1, today.m, today.d);
  const rows = await db
    .selectFrom('volunteer_hours')
    .select(['status', (eb) => eb.fn.sum<string | number>('minutes').as('minutes')])
    .where('user_id', '=', userId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<=', now)
    .groupBy('status')
    .execute();
  const totals = emptyTotals();
  for (const row of rows) {
    if (row.status === 'confirmed') totals.confirmedMinutes = Number(row.minutes);
    else totals.pendingMinutes = Number(row.minutes);
  }
  return totals;
}

/** "My hours" for one town year (this year unless asked). */
export async function loadMyHours(db: Kysely<Database>, user: Pick<SessionUser, 'id'>, timeZone: string, now: Date, year: number = townYear(timeZone, now)): Promise<MyHoursYear> {
  const { from, to } = yearSpan(timeZone, year);
  const [rows, range, rule, window] = await Promise.all([
    entriesOf(db, user.id).where('volunteer_hours.starts_at', '>=', from).where('volunteer_hours.starts_at', '<', to).execute(),
    db
      .selectFrom('volunteer_hours')
      .select((eb) => [eb.fn.min('starts_at').as('first'), eb.fn.max('starts_at').as('last')])
      .where('user_id', '=', user.id)
      .executeTakeFirst(),
    loadRecognitionRule(db),
    lastTwelveMonths(db, user.id, timeZone, now),
  ]);
  const thisYear = townYear(timeZone, now);
  const first = range?.first ? townYear(timeZone, new Date(range.first)) : thisYear;
  const last = Math.max(thisYear, range?.last ? townYear(timeZone, new Date(range.last)) : thisYear);
  const years: number[] = [];
  for (let y = last; y >= Math.min(first, year); y--) years.push(y);
  return {
    year,
    years,
    ...groupHours(timeZone, rows.map(toEntry)),
    recognition: rule.enabled ? { rule, progress: recognitionProgress(rule, window.confirmedMinutes, window.pendingMinutes) } : null,
    hasAnyHours: Boolean(range?.first),
  };
}

/** Whether the person gets "My hours" among their pages: they have hours, or have signed up
 * for a shift (whose check-in will bring hours). */
export async function offersMyHours(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('volunteer_hours').select('id').where('user_id', '=', userId)).as('hours'),
      eb.exists(eb.selectFrom('volunteer_signup').select('id').where('user_id', '=', userId)).as('signups'),
    ])
    .executeTakeFirst();
  return Boolean(row?.hours) || Boolean(row?.signups);
}

/** One of the person's own entries; NotFoundError for anyone else's or none. */
export async function loadMyEntry(db: Db, user: Pick<SessionUser, 'id'> | null | undefined, entryId: number): Promise<MyHoursEntry> {
  if (!user) throw new NotFoundError('signed-in only');
  const row = await entriesOf(db, user.id).where('volunteer_hours.id', '=', entryId).executeTakeFirst();
  if (!row) throw new NotFoundError('hours entry');
  return toEntry(row);
}

export interface Correction {
  entryId: number;
  startsAt: Date;
  minutes: number;
}

export type CorrectionResult = { ok: true; changed: boolean; entry: MyHoursEntry } | ({ ok: false } & Refusal);

/**
 * The volunteer corrects their own pending entry: when it started and how long it took. The
 * row is locked, so a confirmation at the same moment either comes first (then the correction
 * is refused) or confirms the corrected values. A change sets corrected_at, after which the
 * source (a moved meeting, a changed shift window) no longer overwrites it; the same values
 * again change nothing, so the entry keeps following its source.
 */
export async function correctEntry(db: Kysely<Database>, user: Pick<SessionUser, 'id'> | null | undefined, correction: Correction, now: Date): Promise<CorrectionResult> {
  if (!user) throw new NotFoundError('signed-in only');
  if (correction.startsAt.getTime() > now.getTime()) return { ok: false, fields: { date: 'hoursMine.error.future' } };
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('volunteer_hours')
      .select(['id', 'status', 'starts_at', 'minutes'])
      .where('id', '=', correction.entryId)
      .where('user_id', '=', user.id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('hours entry');
    if (row.status !== 'pending') return { ok: false, form: { key: 'hoursMine.error.confirmed' } };
    const changed = new Date(row.starts_at).getTime() !== correction.startsAt.getTime() || row.minutes !== correction.minutes;
    if (changed) {
      await trx
        .updateTable('volunteer_hours')
        .set({ starts_at: correction.startsAt, minutes: correction.minutes, corrected_at: now, updated_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    return { ok: true, changed, entry: await loadMyEntry(trx, user, row.id) };
  });
}
