// Organisers manage their organisation's activities: create (as a draft), edit, publish,
// duplicate, cancel. Members of the organisation may do this, nobody else (404 for others).
// A change of time or place, or a cancellation, raises the revision (calendar feeds carry it
// as SEQUENCE) and tells everybody who had RSVPed, in the same transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Activity, Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isMember, NotFoundError } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
import { lockForSeats, notifyAboutActivity, promoteWaitlist, seatsTaken, type RsvpContext, type SeatLock } from '../rsvps/rsvps.service.ts';
import type { ActivityInput } from './activities.schema.ts';
import { copyRoles, volunteersFollowActivity } from '../volunteering/volunteering.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Member of the organisation in any role; the id is only valid after this check. */
export async function assertMember(db: Db, actor: SessionUser | null, organisationId: number): Promise<SessionUser> {
  if (!actor) throw new NotFoundError('signed-in only');
  if (!(await isMember(db, actor.id, organisationId))) throw new NotFoundError('organisation');
  return actor;
}

/** The activity, locked as seat changes lock it, if the actor may manage it. */
async function managedActivity(trx: Transaction<Database>, actor: SessionUser | null, activityId: number): Promise<SeatLock> {
  const lock = await lockForSeats(trx, activityId);
  await assertMember(trx, actor, lock.activity.organisation_id);
  return lock;
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

function columns(input: ActivityInput) {
  return {
    title: input.title,
    description: input.description,
    source_locale: input.sourceLocale,
    translations: JSON.stringify(input.translations),
    category: input.category,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    place_name: input.placeName,
    address: input.address,
    online_url: input.onlineUrl,
    capacity: input.capacity,
    rsvp_deadline: input.rsvpDeadline,
    languages: input.languages,
    german_level: input.germanLevel,
    audience: input.audience,
    childcare: input.childcare,
    wheelchair_accessible: input.wheelchairAccessible,
    cost: input.cost,
    contact_name: input.contactName,
    contact_phone: input.contactPhone,
    contact_email: input.contactEmail,
  };
}

/**
 * A new draft, or for a repeating activity one draft per occurrence, tied to its series.
 * Returns the id of the (first) activity.
 */
export async function createActivity(db: Kysely<Database>, actor: SessionUser | null, input: ActivityInput, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const member = await assertMember(trx, actor, input.organisationId);
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
          ...columns(input),
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
    return rows.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime())[0]!.id;
  });
}

async function tellEveryoneWhoRsvped(
  trx: Transaction<Database>,
  activity: Activity,
  kind: 'activity_changed' | 'activity_cancelled',
  context: RsvpContext,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const people = await trx
    .selectFrom('rsvp')
    .innerJoin('app_user', 'app_user.id', 'rsvp.user_id')
    .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale'])
    .where('rsvp.activity_id', '=', activity.id)
    .where('rsvp.status', '<>', 'cancelled')
    .execute();
  for (const person of people) await notifyAboutActivity(trx, kind, person, activity, context, extra);
}

export type UpdateResult = { ok: true } | { ok: false; fields: { capacity: string }; count: number };

export async function updateActivity(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  input: ActivityInput,
  context: RsvpContext,
  now = new Date(),
): Promise<UpdateResult> {
  return db.transaction().execute(async (trx) => {
    const lock = await managedActivity(trx, actor, activityId);
    const before = lock.activity;
    if (before.organisation_id !== input.organisationId) throw new NotFoundError('organisation');
    if (before.status === 'cancelled') throw new NotFoundError('cancelled activity');
    const taken = await seatsTaken(trx, activityId);
    if (input.capacity !== null && input.capacity < taken) {
      return { ok: false, fields: { capacity: 'error.capacity.belowTaken' }, count: taken } as const;
    }
    const moved =
      before.starts_at.getTime() !== input.startsAt.getTime() ||
      before.ends_at.getTime() !== input.endsAt.getTime() ||
      (before.place_name ?? '') !== (input.placeName ?? '') ||
      (before.address ?? '') !== (input.address ?? '') ||
      (before.online_url ?? '') !== (input.onlineUrl ?? '');
    const after = await trx
      .updateTable('activity')
      .set({ ...columns(input), updated_at: now, revision: moved ? sql`revision + 1` : sql`revision` })
      .where('id', '=', activityId)
      .returningAll()
      .executeTakeFirstOrThrow();
    // Volunteer shifts move with the activity, and their volunteers are told of the change.
    if (moved) await volunteersFollowActivity(trx, before, after, context);
    if (after.status === 'published') {
      if (moved) await tellEveryoneWhoRsvped(trx, after, 'activity_changed', context);
      // More seats, or none limited any more: the waitlist moves up at once.
      await promoteWaitlist(trx, { activity: after, course: lock.course?.map((a) => (a.id === after.id ? after : a)) ?? null }, context, now);
    }
    return { ok: true } as const;
  });
}

export async function publishActivity(db: Kysely<Database>, actor: SessionUser | null, activityId: number, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { activity } = await managedActivity(trx, actor, activityId);
    if (activity.status !== 'draft') return;
    // The occurrences of a series were prepared together and are published together.
    let publish = trx.updateTable('activity').set({ status: 'published', updated_at: now }).where('status', '=', 'draft');
    publish = activity.series_id === null ? publish.where('id', '=', activityId) : publish.where('series_id', '=', activity.series_id);
    await publish.execute();
  });
}

export async function cancelActivity(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  reason: string,
  context: RsvpContext,
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { activity } = await managedActivity(trx, actor, activityId);
    if (activity.status === 'cancelled') return;
    const cancelled = await trx
      .updateTable('activity')
      .set({ status: 'cancelled', cancel_reason: reason, updated_at: now, revision: sql`revision + 1` })
      .where('id', '=', activityId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (activity.status === 'published') await tellEveryoneWhoRsvped(trx, cancelled, 'activity_cancelled', context, { reason });
    await volunteersFollowActivity(trx, activity, cancelled, context, { reason });
    await recordAudit(trx, { actorUserId: actor?.id ?? null, action: 'activity.cancelled', objectType: 'activity', objectId: activityId });
  });
}

/** A new draft with everything copied but the RSVPs, for next week's edition. */
export async function duplicateActivity(db: Kysely<Database>, actor: SessionUser | null, activityId: number, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { activity: source } = await managedActivity(trx, actor, activityId);
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
