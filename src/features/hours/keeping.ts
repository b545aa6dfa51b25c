// The keepers' side of volunteer hours: an organisation's members (or, for the town's own
// schemes, the coordinators) see a month's entries by person, confirm them one by one, ticked
// or all at once, take a confirmation back, remove an entry, and add hours by hand for one
// person or several. Who keeps which hours is decided in hours.access.ts; every change here
// runs in one transaction and touches only entries of the actor's scope and the month the
// page showed — an id from anywhere else refuses the whole post (NotFoundError, 404), so
// nothing is ever half-saved.
import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HoursSource, HoursStatus } from '../../db/schema-hours.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
import { zonedTimeToInstant } from '../../i18n/format.ts';
import { assertKeepsOrganisationHours, assertKeepsTownHours, type HoursScope } from './hours.access.ts';
import { isMonthKey, monthOf, monthSpan, recordByHand, removeEntry as removeEntryFromLedger, shiftMonth, type MonthKey } from './ledger.ts';
import { parseId } from '../../lib/ids.ts';
import { TOWN_SCOPE, type ByHandInput, type ConfirmInput, type EntryInput } from './keeping.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Actor = Pick<SessionUser, 'id'> | null | undefined;

/** The scope a form or page names ("town" or an organisation's slug), if the actor keeps it. */
export async function resolveKeeperScope(db: Db, actor: Actor, scope: string): Promise<HoursScope> {
  return scope === TOWN_SCOPE ? assertKeepsTownHours(db, actor) : assertKeepsOrganisationHours(db, actor, scope);
}

/** How a scope is named in forms and addresses. */
export function scopeKey(scope: HoursScope): string {
  return scope.kind === 'town' ? TOWN_SCOPE : scope.slug;
}

/** Only rows of this scope: one organisation's, or the town's own schemes (no organisation). */
function inScope<O>(query: SelectQueryBuilder<Database, 'volunteer_hours', O>, scope: HoursScope): SelectQueryBuilder<Database, 'volunteer_hours', O> {
  return scope.kind === 'town' ? query.where('volunteer_hours.organisation_id', 'is', null) : query.where('volunteer_hours.organisation_id', '=', scope.organisationId);
}

function inMonth<O>(query: SelectQueryBuilder<Database, 'volunteer_hours', O>, span: { from: Date; to: Date }): SelectQueryBuilder<Database, 'volunteer_hours', O> {
  return query.where('volunteer_hours.starts_at', '>=', span.from).where('volunteer_hours.starts_at', '<', span.to);
}

export interface KeptEntry {
  id: number;
  userId: number;
  name: string;
  startsAt: Date;
  endsAt: Date;
  minutes: number;
  source: HoursSource;
  /** Only a key for meetings and help (describeHours reads it). */
  description: string;
  /** Where: the entry's own place, else its activity's. */
  place: string;
  activityTitle: string | null;
  status: HoursStatus;
}

export interface KeptPerson {
  userId: number;
  name: string;
  totalMinutes: number;
  pendingMinutes: number;
  confirmedMinutes: number;
  entries: KeptEntry[];
}

/** Every entry of the scope in the town's month, in time order (then by name). */
export async function listEntriesOfMonth(db: Db, scope: HoursScope, month: MonthKey, timeZone: string): Promise<KeptEntry[]> {
  const rows = await inMonth(
    inScope(
      db
        .selectFrom('volunteer_hours')
        .innerJoin('app_user', 'app_user.id', 'volunteer_hours.user_id')
        .leftJoin('activity', 'activity.id', 'volunteer_hours.activity_id')
        .select([
          'volunteer_hours.id',
          'volunteer_hours.user_id',
          'app_user.display_name',
          'volunteer_hours.starts_at',
          'volunteer_hours.minutes',
          'volunteer_hours.source',
          'volunteer_hours.description',
          'volunteer_hours.place',
          'volunteer_hours.status',
          'activity.title as activity_title',
          'activity.place_name as activity_place',
        ]),
      scope,
    ),
    monthSpan(timeZone, month),
  )
    .orderBy('volunteer_hours.starts_at')
    .orderBy('display_name')
    .orderBy('volunteer_hours.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    name: r.display_name,
    startsAt: r.starts_at,
    endsAt: new Date(r.starts_at.getTime() + r.minutes * 60_000),
    minutes: r.minutes,
    source: r.source,
    description: r.description,
    place: r.place || r.activity_place || '',
    activityTitle: r.activity_title,
    status: r.status,
  }));
}

/** Entries grouped by person, people by name. */
export function groupByPerson(entries: readonly KeptEntry[], collator: Intl.Collator): KeptPerson[] {
  const people = new Map<number, KeptPerson>();
  for (const entry of entries) {
    let person = people.get(entry.userId);
    if (!person) people.set(entry.userId, (person = { userId: entry.userId, name: entry.name, totalMinutes: 0, pendingMinutes: 0, confirmedMinutes: 0, entries: [] }));
    person.entries.push(entry);
    person.totalMinutes += entry.minutes;
    if (entry.status === 'pending') person.pendingMinutes += entry.minutes;
    else person.confirmedMinutes += entry.minutes;
  }
  return [...people.values()].sort((a, b) => collator.compare(a.name, b.name) || a.userId - b.userId);
}

/** The people a keeper can add hours for: for an organisation, whoever signed up for one of
 * its shifts or has hours of it; for the town, the Kümmerer, the helpers of help requests and
 * whoever has hours of the town's schemes. */
export async function listKnownVolunteers(db: Db, scope: HoursScope): Promise<Array<{ userId: number; name: string }>> {
  let ids;
  if (scope.kind === 'organisation') {
    ids = db
      .selectFrom('volunteer_signup')
      .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
      .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
      .select('volunteer_signup.user_id as id')
      .where('activity.organisation_id', '=', scope.organisationId)
      .union(db.selectFrom('volunteer_hours').select('user_id as id').where('organisation_id', '=', scope.organisationId));
  } else {
    ids = db
      .selectFrom('kuemmerer')
      .select('user_id as id')
      .where('status', 'in', ['approved', 'paused'])
      .union(db.selectFrom('help_request').select('helper_user_id as id').where('helper_user_id', 'is not', null).$narrowType<{ id: number }>())
      .union(db.selectFrom('volunteer_hours').select('user_id as id').where('organisation_id', 'is', null));
  }
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', ids).orderBy('display_name').orderBy('id').execute();
  return rows.map((r) => ({ userId: r.id, name: r.display_name }));
}

/** The organisation's activities of a month, for "which activity" when adding by hand. */
export async function listActivitiesOfMonth(db: Db, scope: HoursScope, month: MonthKey, timeZone: string): Promise<Array<{ id: number; title: string; startsAt: Date }>> {
  if (scope.kind === 'town') return [];
  const span = monthSpan(timeZone, month);
  const rows = await db
    .selectFrom('activity')
    .select(['id', 'title', 'starts_at'])
    .where('organisation_id', '=', scope.organisationId)
    .where('status', '!=', 'draft')
    .where('starts_at', '>=', span.from)
    .where('starts_at', '<', span.to)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, startsAt: r.starts_at }));
}

export interface KeepingMonth {
  scope: HoursScope;
  month: MonthKey;
  previous: MonthKey;
  next: MonthKey;
  people: KeptPerson[];
  totalMinutes: number;
  pendingMinutes: number;
  pendingCount: number;
  volunteers: Array<{ userId: number; name: string }>;
  activities: Array<{ id: number; title: string; startsAt: Date }>;
  /** The keeper looking: their own entries are for another keeper to confirm. */
  keeperId: number;
  /** Pending entries this keeper may confirm (everyone's but their own). */
  confirmableCount: number;
}

/** The month from ?month=, or the town's current month when it is missing or not a month. */
export function requestedMonth(value: string | null, timeZone: string, now: Date): MonthKey {
  return value !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? (value as MonthKey) : monthOf(timeZone, now);
}

/** What the month page shows: the scope's entries by person, the totals, and what the form
 * to add hours offers. */
export async function loadKeepingMonth(db: Kysely<Database>, actor: Actor, scope: string, month: MonthKey, timeZone: string, locale: string): Promise<KeepingMonth> {
  const kept = await resolveKeeperScope(db, actor, scope);
  const [entries, volunteers, activities] = await Promise.all([listEntriesOfMonth(db, kept, month, timeZone), listKnownVolunteers(db, kept), listActivitiesOfMonth(db, kept, month, timeZone)]);
  const collator = new Intl.Collator(locale);
  const pending = entries.filter((e) => e.status === 'pending');
  return {
    scope: kept,
    month,
    previous: shiftMonth(month, -1),
    next: shiftMonth(month, 1),
    people: groupByPerson(entries, collator),
    totalMinutes: entries.reduce((sum, e) => sum + e.minutes, 0),
    pendingMinutes: pending.reduce((sum, e) => sum + e.minutes, 0),
    pendingCount: pending.length,
    volunteers: volunteers.sort((a, b) => collator.compare(a.name, b.name) || a.userId - b.userId),
    activities,
    keeperId: actor!.id,
    confirmableCount: pending.filter((e) => e.userId !== actor!.id).length,
  };
}

export type ConfirmResult = { ok: true; confirmed: number } | { ok: false; changed: number };

/**
 * Confirms entries of the scope and month: the one named, the ticked ones, or all pending
 * ones. An id outside the scope or month refuses the whole post (NotFoundError); an entry
 * someone else confirmed a moment ago is left as it is. "All N" confirms only if there are
 * still N pending, so nobody confirms hours they never saw. Nobody confirms their own hours:
 * the organisation's word on them is another keeper's (the page offers no button for them,
 * and a post naming one is refused like an id of another organisation).
 */
export async function confirmEntries(db: Kysely<Database>, actor: Actor, input: ConfirmInput, timeZone: string, now = new Date()): Promise<ConfirmResult> {
  return db.transaction().execute(async (trx) => {
    const scope = await resolveKeeperScope(trx, actor, input.scope);
    const span = monthSpan(timeZone, input.month);
    const wanted = input.only !== undefined ? [input.only] : input.allPending !== undefined ? null : [...new Set(input.entryIds)];
    let query = inMonth(inScope(trx.selectFrom('volunteer_hours').select(['volunteer_hours.id', 'volunteer_hours.status']), scope), span).where('volunteer_hours.user_id', '!=', actor!.id);
    query = wanted === null ? query.where('volunteer_hours.status', '=', 'pending') : query.where('volunteer_hours.id', 'in', wanted);
    const rows = await query.forUpdate().execute();
    if (wanted !== null && rows.length !== wanted.length) throw new NotFoundError('hours entry');
    if (wanted === null && rows.length !== input.allPending) return { ok: false, changed: rows.length } as const;
    const pending = rows.filter((r) => r.status === 'pending').map((r) => r.id);
    if (pending.length > 0) {
      await trx.updateTable('volunteer_hours').set({ status: 'confirmed', confirmed_at: now, confirmed_by: actor!.id, updated_at: now }).where('id', 'in', pending).execute();
    }
    return { ok: true, confirmed: pending.length } as const;
  });
}

/** One entry of the scope and month, locked; NotFoundError for any other. */
async function lockEntry(trx: Transaction<Database>, actor: Actor, input: EntryInput, timeZone: string) {
  const scope = await resolveKeeperScope(trx, actor, input.scope);
  const entry = await inMonth(inScope(trx.selectFrom('volunteer_hours').select(['volunteer_hours.id', 'volunteer_hours.status', 'volunteer_hours.user_id', 'volunteer_hours.source', 'volunteer_hours.volunteer_signup_id', 'volunteer_hours.mentoring_meeting_id', 'volunteer_hours.help_request_id']), scope), monthSpan(timeZone, input.month))
    .where('volunteer_hours.id', '=', input.entryId)
    .forUpdate()
    .executeTakeFirst();
  if (!entry) throw new NotFoundError('hours entry');
  return { scope, entry };
}

/** Takes a confirmation back (a month confirmed by mistake): the entry is pending again and
 * its volunteer may correct it. */
export async function unconfirmEntry(db: Kysely<Database>, actor: Actor, input: EntryInput, timeZone: string, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { entry } = await lockEntry(trx, actor, input, timeZone);
    if (entry.status !== 'confirmed') return;
    await trx.updateTable('volunteer_hours').set({ status: 'pending', confirmed_at: null, confirmed_by: null, updated_at: now }).where('id', '=', entry.id).execute();
  });
}

/** Removes an entry, pending or confirmed (hours that did not happen, an entry made twice).
 * A deletion, so it goes to the audit log. */
export async function removeEntry(db: Kysely<Database>, actor: Actor, input: EntryInput, timeZone: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { scope, entry } = await lockEntry(trx, actor, input, timeZone);
    await removeEntryFromLedger(trx, entry);
    await recordAudit(trx, {
      actorUserId: actor!.id,
      action: 'hours.removed',
      objectType: 'volunteer_hours',
      objectId: entry.id,
      details: { scope: scopeKey(scope), volunteer: entry.user_id, source: entry.source, status: entry.status },
    });
  });
}

/** One entry for the removal question: whose, when, how long, what. */
export async function loadEntryToRemove(db: Kysely<Database>, actor: Actor, input: EntryInput, timeZone: string): Promise<{ scope: HoursScope; entry: KeptEntry }> {
  const scope = await resolveKeeperScope(db, actor, input.scope);
  const entry = (await listEntriesOfMonth(db, scope, input.month, timeZone)).find((e) => e.id === input.entryId);
  if (!entry) throw new NotFoundError('hours entry');
  return { scope, entry };
}

export type ByHandResult = { ok: true; added: number; month: MonthKey } | { ok: false; fields: Record<string, string> };

/**
 * Adds the same hours for each chosen person, in one transaction through the ledger's
 * recordByHand: pending, as every entry is until confirmed. The people must be among the
 * scope's known volunteers and the activity the organisation's (else NotFoundError: nothing
 * is saved); hours can be added once they have begun, not for a day still to come.
 */
export async function addHoursByHand(db: Kysely<Database>, actor: Actor, input: ByHandInput, timeZone: string, now = new Date()): Promise<ByHandResult> {
  return db.transaction().execute(async (trx) => {
    const scope = await resolveKeeperScope(trx, actor, input.scope);
    const known = new Set((await listKnownVolunteers(trx, scope)).map((v) => v.userId));
    const people = [...new Set(input.userIds)];
    if (people.some((id) => !known.has(id))) throw new NotFoundError('volunteer');
    if (input.activityId !== undefined) {
      const activity = scope.kind === 'organisation' ? await trx.selectFrom('activity').select('id').where('id', '=', input.activityId).where('organisation_id', '=', scope.organisationId).executeTakeFirst() : undefined;
      if (!activity) throw new NotFoundError('activity');
    }
    const [y, m, d] = input.date.split('-').map(Number) as [number, number, number];
    const [h, min] = input.startTime.split(':').map(Number) as [number, number];
    const startsAt = zonedTimeToInstant(timeZone, y, m, d, h, min);
    // "2026-02-31" would roll over into March: a date the calendar does not have is refused.
    if (monthOf(timeZone, startsAt) !== input.date.slice(0, 7)) return { ok: false, fields: { date: 'hoursOrganise.error.date' } } as const;
    if (startsAt.getTime() > now.getTime()) return { ok: false, fields: { date: 'hoursOrganise.error.future' } } as const;
    for (const userId of people) {
      await recordByHand(
        trx,
        {
          userId,
          organisationId: scope.kind === 'organisation' ? scope.organisationId : null,
          activityId: input.activityId ?? null,
          startsAt,
          minutes: input.hours * 60 + input.minutes,
          description: input.description,
          place: input.place,
        },
        actor!.id,
        now,
      );
    }
    return { ok: true, added: people.length, month: monthOf(timeZone, startsAt) } as const;
  });
}

/** The entry a removal question is about, from its address (?month=…&entry=…); null when
 * either is not one. */
export function removalRequest(scope: string, query: URLSearchParams): EntryInput | null {
  const month = query.get('month');
  const entryId = parseId(query.get('entry'));
  return isMonthKey(month) && entryId !== null ? { scope, month, entryId } : null;
}
