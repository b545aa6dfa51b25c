// RSVPs, capacity and the waitlist. Capacity is never exceeded, however many people press the
// button at once: every change takes a lock on the activity row first (SELECT … FOR UPDATE),
// then counts the seats and writes, in one transaction. Whoever wins the lock first gets the
// lower id, which is the waitlist's arrival order. Notifications are written in the same
// transaction, so a promotion and its mail happen together or not at all.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Activity, Database, Locale, RsvpStatus } from '../../db/schema.ts';
import { localePath } from '../../i18n/locales.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isCoordinator, NotFoundError } from '../access/access.ts';
import { enqueueMessage, type OutboxKind } from '../outbox/outbox.ts';
import { createAnswerLinks } from '../answers/answer-links.ts';

export interface RsvpContext {
  /** Where links in mails point, e.g. https://ankommen.altena.de */
  baseUrl: string;
}

export type RsvpRefusal =
  | { key: 'rsvp.error.closed' }
  | { key: 'rsvp.error.cancelled' }
  | { key: 'rsvp.error.already' }
  | { key: 'rsvp.error.noRoomForMore'; count: number };

export type RsvpResult = { ok: true; rsvpId: number; status: Exclude<RsvpStatus, 'cancelled'>; waitlistPosition: number | null } | { ok: false; refusal: RsvpRefusal };

type Db = Kysely<Database> | Transaction<Database>;

export interface SeatLock {
  activity: Activity;
  /** For a course booked as a whole series: all its occurrences (one RSVP holds a seat in
   * each one still to come). Null for everything else. */
  course: Activity[] | null;
}

export interface SeatLockOptions {
  /** Lock every date of the activity's series, for a change that may reach them. */
  series?: boolean;
  /** Runs before anything is locked, with the activity's organisation; throws to refuse. */
  authorise?: (organisationId: number) => Promise<unknown>;
}

/**
 * The lock every change to seats takes, for the rest of the transaction, with the dates it
 * locked. A course locks all its occurrences — and `series` every date of any series — always
 * in id order, so that two changes never wait on each other in a circle (PostgreSQL would
 * abort one of them).
 */
export async function lockForSeats(trx: Transaction<Database>, activityId: number, options: SeatLockOptions = {}): Promise<SeatLock & { dates: Activity[] }> {
  const found = await trx
    .selectFrom('activity')
    .leftJoin('activity_series', 'activity_series.id', 'activity.series_id')
    .select(['activity.organisation_id', 'activity.series_id', 'activity_series.whole_series'])
    .where('activity.id', '=', activityId)
    .executeTakeFirst();
  if (!found) throw new NotFoundError('activity');
  await options.authorise?.(found.organisation_id);
  if (found.series_id !== null && (found.whole_series || options.series)) {
    const dates = await trx.selectFrom('activity').selectAll().where('series_id', '=', found.series_id).orderBy('id').forUpdate().execute();
    const activity = dates.find((a) => a.id === activityId);
    if (!activity) throw new NotFoundError('activity');
    return { activity, course: found.whole_series ? dates : null, dates };
  }
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).forUpdate().executeTakeFirstOrThrow();
  return { activity, course: null, dates: [activity] };
}

/** The occurrences of a course that one RSVP books now: published, still open, from this one on. */
function bookable(lock: SeatLock, now: Date): Activity[] {
  if (!lock.course) return [lock.activity];
  return lock.course.filter((a) => a.status === 'published' && rsvpIsOpen(a, now) && a.starts_at >= lock.activity.starts_at);
}

/** The fewest seats left among the occurrences, after taking `extraSeats` more. */
async function fitsEverywhere(trx: Transaction<Database>, occurrences: Activity[], extraSeats: number): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (const occurrence of occurrences) {
    if (occurrence.capacity === null) continue;
    least = Math.min(least, occurrence.capacity - (await seatsTaken(trx, occurrence.id)));
  }
  return least - extraSeats;
}

export async function seatsTaken(db: Db, activityId: number): Promise<number> {
  const row = await db
    .selectFrom('rsvp')
    .select(sql<number>`coalesce(sum(party_size), 0)::int`.as('taken'))
    .where('activity_id', '=', activityId)
    .where('status', '=', 'going')
    .executeTakeFirstOrThrow();
  return row.taken;
}

/** Places still free, or null when there is no limit. */
export function seatsLeft(capacity: number | null, taken: number): number | null {
  return capacity === null ? null : Math.max(0, capacity - taken);
}

/** 1 for the first party on the waitlist. */
export async function waitlistPosition(db: Db, activityId: number, rsvpId: number): Promise<number> {
  const row = await db
    .selectFrom('rsvp')
    .select(sql<number>`count(*)::int`.as('ahead'))
    .where('activity_id', '=', activityId)
    .where('status', '=', 'waitlisted')
    .where('id', '<', rsvpId)
    .executeTakeFirstOrThrow();
  return row.ahead + 1;
}

/** RSVPs close at the deadline, or when the activity starts if there is none. */
export function rsvpIsOpen(activity: Pick<Activity, 'status' | 'starts_at' | 'rsvp_deadline'>, now: Date): boolean {
  if (activity.status !== 'published') return false;
  const closes = activity.rsvp_deadline && activity.rsvp_deadline < activity.starts_at ? activity.rsvp_deadline : activity.starts_at;
  return now.getTime() < closes.getTime();
}

/**
 * Whether a person may still cancel their RSVP or change its party size: while the activity is
 * published, until it starts. The one rule for cancelRsvp, changePartySize and the pages that
 * offer those buttons or ask before cancelling.
 */
export function rsvpChangeable(activity: Pick<Activity, 'status' | 'starts_at'>, now: Date): boolean {
  return activity.status === 'published' && now.getTime() < activity.starts_at.getTime();
}

export type RsvpChangeRefusal = Extract<RsvpRefusal, { key: 'rsvp.error.closed' | 'rsvp.error.cancelled' }>;

/** Why rsvpChangeable says no, in the words of the refusal. */
export function rsvpChangeRefusal(activity: Pick<Activity, 'status'>): RsvpChangeRefusal {
  return activity.status === 'cancelled' ? { key: 'rsvp.error.cancelled' } : { key: 'rsvp.error.closed' };
}

/** What every mail about an activity carries; the template renders it in the reader's language. */
export type MailActivity = Pick<Activity, 'id' | 'title' | 'translations' | 'starts_at' | 'ends_at' | 'place_name' | 'address' | 'online_url'>;

/**
 * Writes one mail about an activity to a person (in the caller's transaction). The one place
 * that decides what such a mail says about the activity.
 */
export type MailRecipient = { id: number; email: string | null; display_name: string; locale: Locale };

/** Where a mail says the activity is: the place and address, nothing for an online one. */
function mailPlace(activity: MailActivity): string | null {
  return activity.online_url ? null : [activity.place_name, activity.address].filter(Boolean).join(', ');
}

export async function notifyAboutActivity(
  trx: Transaction<Database>,
  kind: OutboxKind,
  recipient: MailRecipient,
  activity: MailActivity,
  context: RsvpContext,
  extra: Record<string, unknown> = {},
  /** The person the mail names when that is not its recipient (see enqueueMessage). */
  aboutUserId: number | null = null,
): Promise<void> {
  await enqueueMessage(trx, {
    kind,
    recipientUserId: recipient.id,
    recipientEmail: recipient.email,
    locale: recipient.locale,
    aboutUserId,
    payload: {
      name: recipient.display_name,
      activityTitle: activity.title,
      activityTranslations: activity.translations,
      startsAt: activity.starts_at.toISOString(),
      endsAt: activity.ends_at.toISOString(),
      place: mailPlace(activity),
      url: activityUrl(context, recipient.locale, activity.id),
      ...extra,
    },
  });
}

/**
 * Mails about an activity, gathered while one change walks through several dates of a series
 * and written at its end: a person told of the same thing on several dates (a course's new
 * time, a role on every date) gets one mail listing the dates, not one mail per date.
 */
export class ActivityMails {
  private readonly pending = new Map<string, { kind: OutboxKind; recipient: MailRecipient; items: Array<{ activity: MailActivity; extra: Record<string, unknown> }> }>();

  add(kind: OutboxKind, recipient: MailRecipient, activity: MailActivity, extra: Record<string, unknown> = {}): void {
    const key = `${recipient.id}\u0000${kind}\u0000${String(extra.roleName ?? '')}`;
    const entry = this.pending.get(key) ?? { kind, recipient, items: [] };
    entry.items.push({ activity, extra });
    this.pending.set(key, entry);
  }

  /** Writes the gathered mails (in the caller's transaction), each person's dates in time order. */
  async send(trx: Transaction<Database>, context: RsvpContext): Promise<void> {
    for (const { kind, recipient, items } of this.pending.values()) {
      items.sort((a, b) => a.activity.starts_at.getTime() - b.activity.starts_at.getTime());
      const first = items[0]!;
      const dates = items.length > 1 ? { dates: items.map((i) => ({ startsAt: i.activity.starts_at.toISOString(), endsAt: i.activity.ends_at.toISOString(), place: mailPlace(i.activity) })) } : {};
      await notifyAboutActivity(trx, kind, recipient, first.activity, context, { ...first.extra, ...dates });
    }
    this.pending.clear();
  }
}

/** The same, for a person known by id. */
export async function notifyUser(
  trx: Transaction<Database>,
  kind: OutboxKind,
  userId: number,
  activity: MailActivity,
  context: RsvpContext,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const user = await trx.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('id', '=', userId).executeTakeFirstOrThrow();
  await notifyAboutActivity(trx, kind, user, activity, context, extra);
}

export function activityUrl(context: RsvpContext, locale: Locale, activityId: number): string {
  return `${context.baseUrl}${localePath(locale, `/activities/${activityId}`)}`;
}

/**
 * Tells a person their party moved up from the waitlist (by the waitlist itself or by an
 * organiser at the door). The notice carries the one-tap answers: a family told of a place the
 * day before may no longer be able to come, and the place should go on at once.
 */
export async function tellPromoted(
  trx: Transaction<Database>,
  userId: number,
  rsvp: { id: number; party_size: number },
  activity: MailActivity,
  context: RsvpContext,
  now: Date,
): Promise<void> {
  const person = await trx.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('id', '=', userId).executeTakeFirstOrThrow();
  // Let in at the door once it has begun, there is nothing left to answer.
  const links = now.getTime() < activity.starts_at.getTime() ? await createAnswerLinks(trx, context.baseUrl, { rsvpId: rsvp.id }, activity.starts_at, person.locale, now) : {};
  await notifyAboutActivity(trx, 'rsvp_promoted', person, activity, context, { partySize: rsvp.party_size, rsvpId: rsvp.id, ...links });
}

/**
 * Moves waitlisted parties up while seats are free: in arrival order, each party that fits
 * goes (a smaller one further back may fit when a bigger one before it does not). In a course,
 * a party goes only when it fits in every occurrence it waits for, and then in all of them.
 * Must run inside the transaction that holds the lock from lockForSeats.
 */
export async function promoteWaitlist(trx: Transaction<Database>, lock: SeatLock, context: RsvpContext, now: Date): Promise<number[]> {
  const { activity, course } = lock;
  const waiting = await trx
    .selectFrom('rsvp')
    .select(['id', 'user_id', 'party_size'])
    .where('activity_id', '=', activity.id)
    .where('status', '=', 'waitlisted')
    .orderBy('id')
    .execute();
  const promoted: number[] = [];
  for (const party of waiting) {
    let rows = [{ id: party.id, activity_id: activity.id }];
    if (course && party.user_id !== null) {
      rows = await trx
        .selectFrom('rsvp')
        .select(['id', 'activity_id'])
        .where('user_id', '=', party.user_id)
        .where('status', '=', 'waitlisted')
        .where('activity_id', 'in', course.filter((a) => a.status === 'published' && a.starts_at > now).map((a) => a.id))
        .execute();
    }
    const occurrences = (course ?? [activity]).filter((a) => rows.some((r) => r.activity_id === a.id));
    if ((await fitsEverywhere(trx, occurrences, party.party_size)) < 0) continue;
    await trx.updateTable('rsvp').set({ status: 'going', updated_at: now }).where('id', 'in', rows.map((r) => r.id)).execute();
    // Walk-ins are never on the waitlist, but a party without an account has nobody to tell.
    if (party.user_id !== null) await tellPromoted(trx, party.user_id, { id: party.id, party_size: party.party_size }, activity, context, now);
    promoted.push(party.id);
  }
  return promoted;
}

/** RSVPs for the signed-in person: going when the whole party fits, otherwise on the waitlist,
 * and told which place they have. */
export function createRsvp(
  db: Kysely<Database>,
  actor: SessionUser,
  input: { activityId: number; partySize: number; note: string },
  context: RsvpContext,
  now = new Date(),
): Promise<RsvpResult> {
  return db.transaction().execute((trx) => rsvpFor(trx, actor.id, actor.id, input, context, now));
}

/**
 * A coordinator RSVPs for a newcomer they look after, found by e-mail address; the RSVP
 * records who made it, and the newcomer gets the confirmation. (Kümmerer will do the same for
 * their mentees once mentoring exists.) Anyone who is not a coordinator gets "not found".
 */
export async function createRsvpOnBehalf(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { activityId: number; partySize: number; note: string; email: string },
  context: RsvpContext,
  now = new Date(),
): Promise<RsvpResult | { ok: false; fields: { email: string } }> {
  if (!actor) throw new NotFoundError('signed-in only');
  return db.transaction().execute(async (trx) => {
    if (!(await isCoordinator(trx, actor.id))) throw new NotFoundError('coordinators only');
    const person = await trx.selectFrom('app_user').select('id').where('email', '=', input.email.trim().toLowerCase()).executeTakeFirst();
    if (!person) return { ok: false, fields: { email: 'error.member.unknownEmail' } } as const;
    return rsvpFor(trx, person.id, actor.id, input, context, now);
  });
}

async function rsvpFor(
  trx: Transaction<Database>,
  personId: number,
  createdBy: number,
  input: { activityId: number; partySize: number; note: string },
  context: RsvpContext,
  now: Date,
): Promise<RsvpResult> {
  const lock = await lockForSeats(trx, input.activityId);
  const { activity } = lock;
  if (activity.status === 'draft') throw new NotFoundError('activity');
  if (activity.status === 'cancelled') return { ok: false, refusal: { key: 'rsvp.error.cancelled' } };
  if (!rsvpIsOpen(activity, now)) return { ok: false, refusal: { key: 'rsvp.error.closed' } };
  const occurrences = bookable(lock, now);
  const existing = await trx
    .selectFrom('rsvp')
    .select('id')
    .where('activity_id', 'in', occurrences.map((a) => a.id))
    .where('user_id', '=', personId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  if (existing) return { ok: false, refusal: { key: 'rsvp.error.already' } };

  // Nobody on the waitlist is skipped by this: whenever seats free up, every waiting party
  // that fits is promoted at once, so the free seats here are too few for any of them.
  const status = (await fitsEverywhere(trx, occurrences, input.partySize)) >= 0 ? 'going' : 'waitlisted';
  let rsvpId = 0;
  for (const occurrence of occurrences) {
    const row = await trx
      .insertInto('rsvp')
      .values({
        activity_id: occurrence.id,
        user_id: personId,
        party_size: input.partySize,
        note: input.note,
        status,
        created_by: createdBy,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (occurrence.id === activity.id) rsvpId = row.id;
  }
  const position = status === 'waitlisted' ? await waitlistPosition(trx, activity.id, rsvpId) : null;
  await notifyUser(trx, status === 'going' ? 'rsvp_going' : 'rsvp_waitlisted', personId, activity, context, {
    partySize: input.partySize,
    position,
    ...(lock.course ? { occurrences: occurrences.length } : {}),
  });
  return { ok: true, rsvpId, status, waitlistPosition: position };
}

/**
 * The dates of a course whose RSVPs one cancellation or change of party size takes together:
 * the chosen date and every later one that has not started. The cancel page counts them with
 * the same rule.
 */
export function datesCancelledTogether<T extends Pick<Activity, 'id' | 'starts_at'>>(course: readonly T[], chosen: Pick<Activity, 'id' | 'starts_at'>, now: Date): T[] {
  return course.filter((a) => a.id === chosen.id || (a.starts_at.getTime() > now.getTime() && a.starts_at.getTime() >= chosen.starts_at.getTime()));
}

/**
 * The person's own live RSVP, with its seat lock and — in a course — the person's RSVPs for
 * the dates cancelled together (datesCancelledTogether). Anyone else's is "not found".
 */
async function lockOwnRsvp(trx: Transaction<Database>, personId: number, rsvpId: number, now: Date) {
  const owned = await trx
    .selectFrom('rsvp')
    .select(['activity_id'])
    .where('id', '=', rsvpId)
    .where('user_id', '=', personId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  if (!owned) throw new NotFoundError('rsvp');
  const lock = await lockForSeats(trx, owned.activity_id);
  const rsvp = await trx.selectFrom('rsvp').selectAll().where('id', '=', rsvpId).executeTakeFirstOrThrow();
  if (rsvp.status === 'cancelled') throw new NotFoundError('rsvp');
  const together = lock.course
    ? await trx
        .selectFrom('rsvp')
        .selectAll()
        .where('user_id', '=', personId)
        .where('status', '<>', 'cancelled')
        .where('activity_id', 'in', datesCancelledTogether(lock.course, lock.activity, now).map((a) => a.id))
        .execute()
    : [rsvp];
  return { lock, rsvp, together };
}

/** The same lock, seen from another occurrence of the course. */
function lockFor(lock: SeatLock, activityId: number): SeatLock {
  return { activity: lock.course?.find((a) => a.id === activityId) ?? lock.activity, course: lock.course };
}

/** One click while the RSVP can be changed (rsvpChangeable); the freed seats go to the
 * waitlist at once. In a course, the person leaves every occurrence still to come. */
export async function cancelRsvp(
  db: Kysely<Database>,
  actor: SessionUser,
  rsvpId: number,
  context: RsvpContext,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; refusal: RsvpRefusal }> {
  return db.transaction().execute(async (trx) => {
    const result = await cancelRsvpOf(trx, actor.id, rsvpId, context, now);
    return result.ok ? ({ ok: true } as const) : result;
  });
}

/** cancelRsvp for the person's RSVP, in the caller's transaction (one-tap answers call it
 * too); answers how many RSVPs it cancelled (a course's dates go together) and how many
 * waiting parties moved up into the freed seats. */
export async function cancelRsvpOf(
  trx: Transaction<Database>,
  personId: number,
  rsvpId: number,
  context: RsvpContext,
  now: Date,
): Promise<{ ok: true; cancelled: number; promoted: number } | { ok: false; refusal: RsvpRefusal }> {
  const { lock, together } = await lockOwnRsvp(trx, personId, rsvpId, now);
  if (!rsvpChangeable(lock.activity, now)) return { ok: false, refusal: rsvpChangeRefusal(lock.activity) } as const;
  await trx.updateTable('rsvp').set({ status: 'cancelled', updated_at: now }).where('id', 'in', together.map((r) => r.id)).execute();
  let promoted = 0;
  for (const row of together) {
    const occurrence = lockFor(lock, row.activity_id);
    if (occurrence.activity.status === 'published') promoted += (await promoteWaitlist(trx, occurrence, context, now)).length;
  }
  return { ok: true, cancelled: together.length, promoted } as const;
}

/**
 * A person leaves the portal (their account is erased, in the caller's transaction): every
 * RSVP they could still cancel themself (rsvpChangeable) is cancelled as cancelRsvp does, and
 * the seats go to the waitlist at once, with the usual mails; so is one for a cancelled date
 * still to come. Answers how many were cancelled.
 */
export async function cancelFutureRsvps(trx: Transaction<Database>, personId: number, context: RsvpContext, now: Date): Promise<number> {
  let cancelled = 0;
  for (const rsvpId of await changeableRsvpsOf(trx, personId, now)) {
    // A course's later dates went with an earlier one.
    const still = await trx.selectFrom('rsvp').select('id').where('id', '=', rsvpId).where('status', '<>', 'cancelled').executeTakeFirst();
    if (!still) continue;
    const result = await cancelRsvpOf(trx, personId, rsvpId, context, now);
    if (result.ok) cancelled += result.cancelled;
  }
  // On a date still to come that is cancelled (or a draft again), the RSVP waits for the date
  // to be reinstated: nobody can come any more, so it goes too, rather than hold a seat then.
  const waiting = await trx
    .updateTable('rsvp')
    .set({ status: 'cancelled', updated_at: now })
    .where('user_id', '=', personId)
    .where('status', '<>', 'cancelled')
    .where('activity_id', 'in', (eb) => eb.selectFrom('activity').select('id').where('status', '<>', 'published').where('starts_at', '>', now))
    .executeTakeFirst();
  return cancelled + Number(waiting.numUpdatedRows);
}

/** The person's live RSVPs they could still cancel themself (rsvpChangeable), earliest first:
 * what cancelFutureRsvps cancels, and what the page before deleting an account counts. */
export async function changeableRsvpsOf(db: Db, personId: number, now: Date): Promise<number[]> {
  const live = await db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .select(['rsvp.id', 'activity.status', 'activity.starts_at'])
    .where('rsvp.user_id', '=', personId)
    .where('rsvp.status', '<>', 'cancelled')
    .orderBy('activity.starts_at')
    .orderBy('rsvp.id')
    .execute();
  return live.filter((r) => rsvpChangeable(r, now)).map((r) => r.id);
}

/**
 * While the RSVP can be changed (rsvpChangeable), a going party may shrink (freeing seats for
 * the waitlist) and grow while seats are left (in a course: in every occurrence); a waiting
 * party may change its size and keeps its place.
 */
export async function changePartySize(
  db: Kysely<Database>,
  actor: SessionUser,
  input: { rsvpId: number; partySize: number },
  context: RsvpContext,
  now = new Date(),
): Promise<RsvpResult> {
  return db.transaction().execute(async (trx) => {
    const { lock, rsvp, together } = await lockOwnRsvp(trx, actor.id, input.rsvpId, now);
    const { activity } = lock;
    if (!rsvpChangeable(activity, now)) return { ok: false, refusal: rsvpChangeRefusal(activity) } as const;
    const growth = input.partySize - rsvp.party_size;
    if (rsvp.status === 'going' && growth > 0) {
      const occurrences = (lock.course ?? [activity]).filter((a) => together.some((r) => r.activity_id === a.id && r.status === 'going'));
      const free = await fitsEverywhere(trx, occurrences, 0);
      if (growth > free) return { ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: free } } as const;
    }
    // A party checked in early keeps no more arrivals than it now has (attendance.counting.ts).
    const arrived = sql<number | null>`case when checked_in_count is null then null else least(checked_in_count, ${input.partySize}) end`;
    await trx
      .updateTable('rsvp')
      .set({ party_size: input.partySize, checked_in_count: arrived, updated_at: now })
      .where('id', 'in', together.map((r) => r.id))
      .execute();
    for (const row of together) await promoteWaitlist(trx, lockFor(lock, row.activity_id), context, now);
    const after = await trx.selectFrom('rsvp').select('status').where('id', '=', rsvp.id).executeTakeFirstOrThrow();
    const status = after.status === 'going' ? 'going' : 'waitlisted';
    return {
      ok: true,
      rsvpId: rsvp.id,
      status,
      waitlistPosition: status === 'waitlisted' ? await waitlistPosition(trx, activity.id, rsvp.id) : null,
    } as const;
  });
}
