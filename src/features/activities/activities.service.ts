// Organisers manage their organisation's activities: create (as a draft), edit, publish,
// duplicate, cancel and reinstate; a draft that is not wanted is deleted. Members of the
// organisation may do this, nobody else (404 for others). A date of a series is changed alone,
// with the dates after it, or with the whole series (see series-edit.ts).
// A change of time or place, a cancellation or a reinstatement raises the revision (calendar
// feeds carry it as SEQUENCE) and tells everybody who had RSVPed, in the same transaction;
// dates put into the past are saved only when the organiser confirms them.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Activity, Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isMember, NotFoundError } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
import { ActivityMails, lockForSeats, promoteWaitlist, seatsTaken, type RsvpContext, type SeatLock } from '../rsvps/rsvps.service.ts';
import type { ActivityInput, EditScope } from './activities.schema.ts';
import { datesInScope, formColumns, newlyPast, planEdit, slotOf } from './series-edit.ts';
import { copyRoles, volunteersFollowActivity } from '../volunteering/volunteering.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Member of the organisation in any role; the id is only valid after this check. */
export async function assertMember(db: Db, actor: SessionUser | null, organisationId: number): Promise<SessionUser> {
  if (!actor) throw new NotFoundError('signed-in only');
  if (!(await isMember(db, actor.id, organisationId))) throw new NotFoundError('organisation');
  return actor;
}

/** Saving refused until the organiser confirms: these dates would lie in the past. */
export interface PastDatesRefusal {
  ok: false;
  pastDates: Date[];
}

/**
 * The activity the actor may manage, locked for the rest of the transaction, with the dates of
 * its series a change in `scope` may reach. A change to one date of a plain series locks that
 * date, as RSVPs do; a change that may reach other dates (and any change to a course, whose
 * RSVPs span its dates) locks every date of the series (lockForSeats). Nothing is locked for
 * someone who is not a member.
 */
async function lockManaged(trx: Transaction<Database>, actor: SessionUser | null, activityId: number, scope: EditScope): Promise<{ lock: SeatLock; dates: Activity[] }> {
  const { activity, course, dates } = await lockForSeats(trx, activityId, { series: scope !== 'this', authorise: (organisationId) => assertMember(trx, actor, organisationId) });
  return { lock: { activity, course }, dates };
}

export async function getManagedActivity(db: Kysely<Database>, actor: SessionUser | null, activityId: number): Promise<Activity & { organisationName: string; seatsTaken: number }> {
  const activity = await db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .selectAll('activity')
    .select('organisation.name as organisationName')
    .where('activity.id', '=', activityId)
    .executeTakeFirst();
  if (!activity) throw new NotFoundError('activity');
  await assertMember(db, actor, activity.organisation_id);
  return { ...activity, seatsTaken: await seatsTaken(db, activity.id) };
}

export type CreateResult = { ok: true; id: number; dates: number } | PastDatesRefusal;

/**
 * A new draft, or for a repeating activity one draft per occurrence, tied to its series.
 * Gives the id of the (first) activity and how many dates were made.
 */
export async function createActivity(db: Kysely<Database>, actor: SessionUser | null, input: ActivityInput, now = new Date()): Promise<CreateResult> {
  return db.transaction().execute(async (trx) => {
    const member = await assertMember(trx, actor, input.organisationId);
    const past = input.occurrences.filter((o) => o.startsAt.getTime() < now.getTime()).map((o) => o.startsAt);
    if (past.length > 0 && !input.confirmPast) return { ok: false, pastDates: past } as const;
    const series = input.series
      ? await trx
          .insertInto('activity_series')
          .values({ organisation_id: input.organisationId, frequency: input.series.frequency, whole_series: input.series.wholeSeries, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      : null;
    const rows = await trx
      .insertInto('activity')
      .values(
        input.occurrences.map((occurrence) => ({
          ...formColumns(input),
          starts_at: occurrence.startsAt,
          ends_at: occurrence.endsAt,
          rsvp_deadline: occurrence.rsvpDeadline,
          series_id: series?.id ?? null,
          series_slot: series ? occurrence.startsAt : null,
          organisation_id: input.organisationId,
          status: 'draft' as const,
          created_by: member.id,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning(['id', 'starts_at'])
      .execute();
    return { ok: true, id: rows.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime())[0]!.id, dates: rows.length } as const;
  });
}

/** Tells everyone with a live RSVP for the activity (gathered in `mails`, written at the end). */
async function tellEveryoneWhoRsvped(
  trx: Transaction<Database>,
  activity: Activity,
  kind: 'activity_changed' | 'activity_cancelled' | 'activity_reinstated',
  mails: ActivityMails,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const people = await trx
    .selectFrom('rsvp')
    .innerJoin('app_user', 'app_user.id', 'rsvp.user_id')
    .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale', 'rsvp.status', 'rsvp.party_size'])
    .where('rsvp.activity_id', '=', activity.id)
    .where('rsvp.status', '<>', 'cancelled')
    .orderBy('rsvp.id')
    .execute();
  for (const person of people) {
    const own = kind === 'activity_reinstated' ? { waitlisted: person.status === 'waitlisted', partySize: person.party_size } : {};
    mails.add(kind, person, activity, { ...extra, ...own });
  }
}

export type UpdateResult =
  | { ok: true; changed: number }
  | { ok: false; fields: { capacity: string }; count: number; date?: Date }
  | { ok: false; fields: { deadlineDate: string }; date: Date }
  | PastDatesRefusal;

/**
 * Saves the form for the activity and, for a date of a series, for the dates its scope reaches
 * (input.scope). Every date is checked before anything is written, so a refusal leaves the
 * whole series as it was.
 */
export async function updateActivity(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  input: ActivityInput,
  context: RsvpContext,
  now = new Date(),
): Promise<UpdateResult> {
  return db.transaction().execute(async (trx) => {
    const { lock, dates } = await lockManaged(trx, actor, activityId, input.scope);
    const before = lock.activity;
    if (before.organisation_id !== input.organisationId) throw new NotFoundError('organisation');
    if (before.status === 'cancelled') throw new NotFoundError('cancelled activity');
    const plan = planEdit(dates, before, input, now);
    if (!plan.ok) return { ok: false, fields: { deadlineDate: plan.message }, date: plan.date } as const;
    for (const { before: date, set } of plan.dates) {
      if (set.capacity === undefined || set.capacity === null) continue;
      const taken = await seatsTaken(trx, date.id);
      if (set.capacity < taken) {
        return date.id === before.id
          ? ({ ok: false, fields: { capacity: 'error.capacity.belowTaken' }, count: taken } as const)
          : ({ ok: false, fields: { capacity: 'error.capacity.belowTakenOn' }, count: taken, date: date.starts_at } as const);
      }
    }
    const past = newlyPast(plan.dates, now);
    if (past.length > 0 && !input.confirmPast) return { ok: false, pastDates: past } as const;

    const mails = new ActivityMails();
    const written = new Map<number, Activity>();
    for (const { before: date, set, timeOrPlace } of plan.dates) {
      const after = await trx
        .updateTable('activity')
        .set({ ...set, updated_at: now, revision: timeOrPlace ? sql`revision + 1` : sql`revision` })
        .where('id', '=', date.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      written.set(after.id, after);
      if (!timeOrPlace) continue;
      // Volunteer shifts move with their date, and their volunteers are told of the change.
      await volunteersFollowActivity(trx, date, after, context, {}, mails);
      if (after.status === 'published') await tellEveryoneWhoRsvped(trx, after, 'activity_changed', mails);
    }
    // More seats, or none limited any more: the waitlist moves up at once.
    const course = lock.course?.map((a) => written.get(a.id) ?? a) ?? null;
    for (const { before: date, set } of plan.dates) {
      const after = written.get(date.id)!;
      if (after.status === 'published' && (date.id === before.id || set.capacity !== undefined)) await promoteWaitlist(trx, { activity: after, course }, context, now);
    }
    await mails.send(trx, context);
    return { ok: true, changed: plan.dates.length } as const;
  });
}

export type PublishResult = { ok: true; published: number } | PastDatesRefusal;

/** Publishes a draft; the dates of a series were prepared together and are published together. */
export async function publishActivity(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  now = new Date(),
  options: { confirmPast?: boolean } = {},
): Promise<PublishResult> {
  return db.transaction().execute(async (trx) => {
    const { lock, dates } = await lockManaged(trx, actor, activityId, 'all');
    if (lock.activity.status !== 'draft') return { ok: true, published: 0 } as const;
    const drafts = dates.filter((d) => d.status === 'draft');
    const past = drafts.filter((d) => d.starts_at.getTime() < now.getTime()).map((d) => d.starts_at);
    if (past.length > 0 && !options.confirmPast) return { ok: false, pastDates: past.sort((a, b) => a.getTime() - b.getTime()) } as const;
    await trx.updateTable('activity').set({ status: 'published', updated_at: now }).where('id', 'in', drafts.map((d) => d.id)).execute();
    return { ok: true, published: drafts.length } as const;
  });
}

/**
 * Cancels a published date, and for "following" or "all" the dates of its series still to come
 * (those already cancelled stay as they are). RSVPs are kept, so that a date reinstated later
 * finds its people again; everyone who had RSVPed is told once, with every date they lose.
 * A draft is not cancelled (nobody knows of it): it is deleted.
 */
export async function cancelActivity(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  reason: string,
  context: RsvpContext,
  now = new Date(),
  scope: EditScope = 'this',
): Promise<{ cancelled: number }> {
  return db.transaction().execute(async (trx) => {
    const { lock, dates } = await lockManaged(trx, actor, activityId, scope);
    if (lock.activity.status === 'draft') throw new NotFoundError('draft: deleted, not cancelled');
    const targets = datesInScope(dates, lock.activity, scope, now).filter((d) => d.status !== 'cancelled');
    const mails = new ActivityMails();
    for (const activity of targets) {
      const cancelled = await trx
        .updateTable('activity')
        .set({ status: 'cancelled', cancel_reason: reason, updated_at: now, revision: sql`revision + 1` })
        .where('id', '=', activity.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (activity.status === 'published') await tellEveryoneWhoRsvped(trx, cancelled, 'activity_cancelled', mails, { reason });
      await volunteersFollowActivity(trx, activity, cancelled, context, { reason }, mails);
      await recordAudit(trx, { actorUserId: actor?.id ?? null, action: 'activity.cancelled', objectType: 'activity', objectId: activity.id });
    }
    await mails.send(trx, context);
    return { cancelled: targets.length };
  });
}

export type ReinstateResult = { ok: true } | { ok: false; refusal: 'series.reinstateStarted' };

/**
 * A cancelled date takes place after all: it is published again, with the RSVPs it had —
 * cancelling kept them — and everyone still signed up, and its volunteers, are told. (Only a
 * published date is cancelled, and a series is published as a whole, so its other dates are
 * never drafts.) In a course, the people whose booking spans the date (they were booked for
 * dates before and after it, perhaps since it was cancelled) get their seat in it too, or a
 * place on its waitlist.
 */
export async function reinstateActivity(db: Kysely<Database>, actor: SessionUser | null, activityId: number, context: RsvpContext, now = new Date()): Promise<ReinstateResult> {
  return db.transaction().execute(async (trx) => {
    const { lock } = await lockManaged(trx, actor, activityId, 'this');
    const before = lock.activity;
    if (before.status !== 'cancelled') return { ok: true } as const;
    if (before.starts_at.getTime() <= now.getTime()) return { ok: false, refusal: 'series.reinstateStarted' } as const;
    const after = await trx
      .updateTable('activity')
      .set({ status: 'published', cancel_reason: null, updated_at: now, revision: sql`revision + 1` })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (lock.course) await rejoinCourse(trx, lock.course, after, now);
    const mails = new ActivityMails();
    await tellEveryoneWhoRsvped(trx, after, 'activity_reinstated', mails);
    await volunteersFollowActivity(trx, before, after, context, {}, mails);
    await promoteWaitlist(trx, { activity: after, course: lock.course?.map((a) => (a.id === after.id ? after : a)) ?? null }, context, now);
    await mails.send(trx, context);
    await recordAudit(trx, { actorUserId: actor?.id ?? null, action: 'activity.reinstated', objectType: 'activity', objectId: before.id });
    return { ok: true } as const;
  });
}

/** The course's participants whose booking spans the reinstated date, as createRsvp books. */
async function rejoinCourse(trx: Transaction<Database>, course: Activity[], date: Activity, now: Date): Promise<void> {
  const earlier = course.filter((a) => slotOf(a) < slotOf(date)).map((a) => a.id);
  const later = course.filter((a) => slotOf(a) > slotOf(date)).map((a) => a.id);
  if (earlier.length === 0 || later.length === 0) return;
  const live = await trx
    .selectFrom('rsvp')
    .select(['user_id', 'activity_id', 'party_size', 'note', 'status', 'created_by'])
    .where('activity_id', 'in', [...earlier, ...later, date.id])
    .where('user_id', 'is not', null)
    .where('status', '<>', 'cancelled')
    .orderBy('id')
    .execute();
  let taken = await seatsTaken(trx, date.id);
  for (const userId of [...new Set(live.map((r) => r.user_id!))]) {
    const mine = live.filter((r) => r.user_id === userId);
    if (mine.some((r) => r.activity_id === date.id)) continue;
    const before = mine.find((r) => earlier.includes(r.activity_id));
    if (!before || !mine.some((r) => later.includes(r.activity_id))) continue;
    const fits = before.status === 'going' && (date.capacity === null || taken + before.party_size <= date.capacity);
    if (fits) taken += before.party_size;
    await trx
      .insertInto('rsvp')
      .values({ activity_id: date.id, user_id: userId, party_size: before.party_size, note: before.note, status: fits ? 'going' : 'waitlisted', created_by: before.created_by, created_at: now, updated_at: now })
      .execute();
  }
}

/**
 * Deletes a draft, or drafts of its series ("following", "all"): nobody has seen them, so
 * nothing is kept. Gives the date of the series left to show, if any.
 */
export async function deleteDraft(db: Kysely<Database>, actor: SessionUser | null, activityId: number, scope: EditScope, now = new Date()): Promise<{ deleted: number; remainingId: number | null }> {
  return db.transaction().execute(async (trx) => {
    const { lock, dates } = await lockManaged(trx, actor, activityId, scope);
    if (lock.activity.status !== 'draft') throw new NotFoundError('only drafts are deleted');
    const targets = datesInScope(dates, lock.activity, scope, now, { includeStarted: true }).filter((d) => d.status === 'draft');
    await trx.deleteFrom('activity').where('id', 'in', targets.map((d) => d.id)).execute();
    for (const d of targets) await recordAudit(trx, { actorUserId: actor?.id ?? null, action: 'activity.deleted', objectType: 'activity', objectId: d.id });
    const seriesId = lock.activity.series_id;
    if (seriesId === null) return { deleted: targets.length, remainingId: null };
    const remaining = await trx.selectFrom('activity').select('id').where('series_id', '=', seriesId).orderBy('starts_at').orderBy('id').executeTakeFirst();
    if (!remaining) await trx.deleteFrom('activity_series').where('id', '=', seriesId).execute();
    return { deleted: targets.length, remainingId: remaining?.id ?? null };
  });
}

/** A new draft with everything copied but the RSVPs, for next week's edition. */
export async function duplicateActivity(db: Kysely<Database>, actor: SessionUser | null, activityId: number, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { lock } = await lockManaged(trx, actor, activityId, 'this');
    const source = lock.activity;
    const { id: _id, status: _status, revision: _revision, cancel_reason: _reason, created_at: _created, updated_at: _updated, created_by: _by, translations, ...rest } = source;
    // The copy stands alone, outside any series, and needs the same volunteer roles.
    const row = await trx
      .insertInto('activity')
      .values({ ...rest, series_id: null, series_slot: null, translations: JSON.stringify(translations), status: 'draft', created_by: actor?.id ?? null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await copyRoles(trx, source.id, row.id, actor?.id ?? null, now);
    return row.id;
  });
}

export interface OrganisationActivity {
  id: number;
  title: string;
  status: Activity['status'];
  startsAt: Date;
  endsAt: Date;
  capacity: number | null;
  seatsTaken: number;
  waitlistLength: number;
  inSeries: boolean;
}

/** The dashboard: each organisation the person belongs to, with its coming activities. */
export async function listManagedActivities(
  db: Kysely<Database>,
  actor: SessionUser,
  now = new Date(),
): Promise<Array<{ organisationId: number; slug: string; name: string; activities: OrganisationActivity[] }>> {
  const organisations = await db
    .selectFrom('organisation')
    .innerJoin('membership', 'membership.organisation_id', 'organisation.id')
    .select(['organisation.id', 'organisation.slug', 'organisation.name'])
    .where('membership.user_id', '=', actor.id)
    .groupBy(['organisation.id', 'organisation.slug', 'organisation.name'])
    .orderBy('organisation.name')
    .execute();
  if (organisations.length === 0) return [];
  const rows = await db
    .selectFrom('activity')
    .select([
      'activity.id',
      'activity.organisation_id',
      'activity.title',
      'activity.status',
      'activity.starts_at',
      'activity.ends_at',
      'activity.capacity',
      'activity.series_id',
      sql<number>`(select coalesce(sum(r.party_size), 0)::int from rsvp r where r.activity_id = activity.id and r.status = 'going')`.as('seats_taken'),
      sql<number>`(select count(*)::int from rsvp r where r.activity_id = activity.id and r.status = 'waitlisted')`.as('waitlist_length'),
    ])
    .where('activity.organisation_id', 'in', organisations.map((o) => o.id))
    .where('activity.ends_at', '>', now)
    .orderBy('activity.starts_at')
    .execute();
  return organisations.map((o) => ({
    organisationId: o.id,
    slug: o.slug,
    name: o.name,
    activities: rows
      .filter((r) => r.organisation_id === o.id)
      .map((r) => ({
        id: r.id,
        title: r.title,
        status: r.status,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        capacity: r.capacity,
        seatsTaken: r.seats_taken,
        waitlistLength: r.waitlist_length,
        inSeries: r.series_id !== null,
      })),
  }));
}
