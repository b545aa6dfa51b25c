// Consultation hours: publishing them with their slots, booking a slot (never twice, however
// many press at once), cancelling, and the office marking who came. Who may is asked of
// consultations.access.ts; refusals are message keys.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { firstName } from '../accounts/first-name.ts';
import { NotFoundError } from '../access/access.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { DEFAULT_LOCALE, localePath } from '../../i18n/locales.ts';
import { zonedSpan } from '../../i18n/format.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';
import { openInterpreterRequest, withdrawInterpreterRequest } from '../help-requests/linked-to-booking.ts';
import { assertMayBookFor, assertOwnBooking, assertStaff, assertStaffOfBooking, assertStaffOfHour, assertStaffOfWalkIn } from './consultations.access.ts';
import type { BookRequest, HourChangeInput, HourInput, WalkInInput } from './consultations.schema.ts';
import { translator } from '../../i18n/index.ts';

type Person = Pick<SessionUser, 'id'> | null | undefined;
export interface ConsultationRefusal {
  key: string;
}
export type FieldRefusal = { ok: false; fields: Record<string, string> };
const fieldRefusal = (field: string, key: string): FieldRefusal => ({ ok: false, fields: { [field]: key } });

/** The start of each slot of a window: back to back, the last one ending by the window's end. */
export function slotStarts(startsAt: Date, endsAt: Date, slotMinutes: number): Date[] {
  const starts: Date[] = [];
  for (let t = startsAt.getTime(); t + slotMinutes * 60_000 <= endsAt.getTime(); t += slotMinutes * 60_000) starts.push(new Date(t));
  return starts;
}

/**
 * Publishes an hour once, or on the same weekday and time for `weeks` weeks, with its slots.
 * Only the organisation's staff; a first date in the past or a window shorter than one slot is
 * refused at its field.
 */
export async function publishHours(
  db: Kysely<Database>,
  actor: Person,
  input: HourInput,
  timeZone: string,
  now = new Date(),
): Promise<{ ok: true; hours: number } | FieldRefusal> {
  await assertStaff(db, actor, input.organisationId);
  const [y, m, d] = input.date.split('-').map(Number) as [number, number, number];
  const windows = Array.from({ length: input.weeks }, (_, week) => zonedSpan(timeZone, { y, m, d: d + 7 * week }, input.startTime, input.endTime));
  if (windows[0]!.startsAt.getTime() <= now.getTime()) return { ok: false, fields: { date: 'consultations.error.past' } };
  if (slotStarts(windows[0]!.startsAt, windows[0]!.endsAt, input.slotMinutes).length === 0) return { ok: false, fields: { endTime: 'consultations.error.tooShort' } };
  await db.transaction().execute(async (trx) => {
    for (const window of windows) {
      const hour = await trx
        .insertInto('consultation_hour')
        .values({
          organisation_id: input.organisationId,
          starts_at: window.startsAt,
          ends_at: window.endsAt,
          slot_minutes: input.slotMinutes,
          remote: input.remote,
          place: input.remote ? '' : input.place,
          topics: [...input.topics],
          languages: [...input.languages],
          created_by: actor!.id,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('consultation_slot')
        .values(slotStarts(window.startsAt, window.endsAt, input.slotMinutes).map((start) => ({ hour_id: hour.id, starts_at: start, ends_at: new Date(start.getTime() + input.slotMinutes * 60_000) })))
        .execute();
    }
  });
  return { ok: true, hours: windows.length };
}

export type BookResult = { ok: true; bookingId: number; interpreterNeeded: boolean } | { ok: false; refusal: ConsultationRefusal } | FieldRefusal;

/**
 * Books a slot for the signed-in person, or on behalf of someone they may book for (their
 * mentee; for a coordinator anyone) — the booking is then that person's, and the booker is
 * remembered. The slot's row is locked first, so of any number of people pressing at once
 * exactly one gets it and the others are told it is taken (a unique index on live bookings is
 * the last guard). A language nobody on duty speaks is allowed: the booking is marked and an
 * interpreting request opens in the same transaction. The topic "health" needs explicit consent.
 */
export async function bookSlot(db: Kysely<Database>, actor: Person, input: BookRequest, origin: RequestOrigin, now = new Date()): Promise<BookResult> {
  if (!actor) throw new NotFoundError('signed-in only');
  const onBehalf = input.forUserId !== undefined && input.forUserId !== actor.id;
  if (onBehalf) await assertMayBookFor(db, actor, input.forUserId!);
  const personId = onBehalf ? input.forUserId! : actor.id;
  return db.transaction().execute(async (trx) => {
    const slot = await trx.selectFrom('consultation_slot').select(['id', 'hour_id', 'starts_at', 'ends_at']).where('id', '=', input.slotId).forUpdate().executeTakeFirst();
    if (!slot) throw new NotFoundError('slot');
    const hour = await trx
      .selectFrom('consultation_hour')
      .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
      .select(['consultation_hour.topics', 'consultation_hour.languages', 'consultation_hour.place', 'consultation_hour.remote', 'consultation_hour.cancelled_at', 'organisation.name as organisationName'])
      .where('consultation_hour.id', '=', slot.hour_id)
      .executeTakeFirstOrThrow();
    if (hour.cancelled_at) return { ok: false, refusal: { key: 'consultations.error.hourCancelled' } } as const;
    if (slot.starts_at.getTime() <= now.getTime()) return { ok: false, refusal: { key: 'consultations.error.started' } } as const;
    if (!hour.topics.includes(input.topic)) return fieldRefusal('topic', 'consultations.error.topic');
    if (input.topic === 'health' && !input.healthConsent) return fieldRefusal('healthConsent', 'consultations.error.healthConsent');
    const taken = await trx.selectFrom('consultation_booking').select('id').where('slot_id', '=', slot.id).where('status', '=', 'booked').executeTakeFirst();
    if (taken) return { ok: false, refusal: { key: 'consultations.error.taken' } } as const;
    const interpreterNeeded = !hour.languages.includes(input.language);
    const booking = await trx
      .insertInto('consultation_booking')
      .values({
        slot_id: slot.id,
        user_id: personId,
        booked_by_user_id: onBehalf ? actor.id : null,
        topic: input.topic,
        language: input.language,
        note: input.note,
        interpreter_needed: interpreterNeeded,
        health_consent_at: input.topic === 'health' ? now : null,
        status: 'booked',
        attendance: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (interpreterNeeded) {
      await openInterpreterRequest(
        trx,
        { bookingId: booking.id, newcomerId: personId, bookedById: onBehalf ? actor.id : null, startsAt: slot.starts_at, organisationName: hour.organisationName, remote: hour.remote, place: hour.place, topic: input.topic, language: input.language },
        origin,
        now,
      );
    }
    const person = await trx.selectFrom('app_user').select(['email', 'locale', 'display_name']).where('id', '=', personId).executeTakeFirstOrThrow();
    const booker = onBehalf ? await trx.selectFrom('app_user').select('display_name').where('id', '=', actor.id).executeTakeFirstOrThrow() : null;
    await enqueueMessage(trx, {
      kind: 'consultation_booked',
      recipientUserId: personId,
      recipientEmail: person.email,
      locale: person.locale,
      payload: {
        name: firstName(person.display_name),
        url: `${origin.baseUrl}${localePath(person.locale, '/consultations')}`,
        organisationName: hour.organisationName,
        startsAt: slot.starts_at.toISOString(),
        endsAt: slot.ends_at.toISOString(),
        place: hour.place,
        remote: hour.remote,
        topic: input.topic,
        language: input.language,
        interpreterNeeded,
        bookedByName: booker ? firstName(booker.display_name) : null,
      },
    });
    return { ok: true, bookingId: booking.id, interpreterNeeded } as const;
  });
}

/** Ends a live booking inside a transaction — the one way every path cancels (the person, their
 * booker, the office cancelling the hour, "I can't come"): the slot is free again at once and
 * its interpreting request is withdrawn. Returns false when it was not live any more. */
export async function endBooking(trx: Transaction<Database>, bookingId: number, origin: Pick<RequestOrigin, 'baseUrl'>, now: Date): Promise<boolean> {
  const updated = await trx.updateTable('consultation_booking').set({ status: 'cancelled', updated_at: now }).where('id', '=', bookingId).where('status', '=', 'booked').executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  await withdrawInterpreterRequest(trx, bookingId, origin, now);
  return true;
}

/** Cancels a booking — the person's own or one they made on someone's behalf — until its slot
 * starts; the slot is free again at once. */
export async function cancelBooking(db: Kysely<Database>, actor: Person, bookingId: number, origin: Pick<RequestOrigin, 'baseUrl'>, now = new Date()): Promise<{ ok: true } | { ok: false; refusal: ConsultationRefusal }> {
  await assertOwnBooking(db, actor, bookingId);
  const row = await db
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .select(['consultation_booking.status', 'consultation_slot.starts_at'])
    .where('consultation_booking.id', '=', bookingId)
    .executeTakeFirstOrThrow();
  if (row.status !== 'booked') return { ok: false, refusal: { key: 'consultations.error.cancelled' } };
  if (row.starts_at.getTime() <= now.getTime()) return { ok: false, refusal: { key: 'consultations.error.started' } };
  const ended = await db.transaction().execute((trx) => endBooking(trx, bookingId, origin, now));
  if (!ended) return { ok: false, refusal: { key: 'consultations.error.cancelled' } };
  return { ok: true };
}

/** The office marks a booking: the person came (checked in) or did not (no-show). */
export async function markAttendance(db: Kysely<Database>, actor: Person, bookingId: number, attendance: 'present' | 'no_show', now = new Date()): Promise<{ ok: true } | { ok: false; refusal: ConsultationRefusal }> {
  await assertStaffOfBooking(db, actor, bookingId);
  const updated = await db.updateTable('consultation_booking').set({ attendance, updated_at: now }).where('id', '=', bookingId).where('status', '=', 'booked').executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return { ok: false, refusal: { key: 'consultations.error.cancelled' } };
  return { ok: true };
}

/** Staff add someone who came without a booking to an hour's queue, in arrival order. Only the
 * organisation's staff; not to a cancelled hour or one that is over. */
export async function addWalkIn(db: Kysely<Database>, actor: Person, input: WalkInInput, now = new Date()): Promise<{ ok: true; walkInId: number } | { ok: false; refusal: ConsultationRefusal }> {
  await assertStaffOfHour(db, actor, input.hourId);
  const hour = await db.selectFrom('consultation_hour').select(['ends_at', 'cancelled_at']).where('id', '=', input.hourId).executeTakeFirstOrThrow();
  if (hour.cancelled_at) return { ok: false, refusal: { key: 'consultations.error.hourCancelled' } };
  if (hour.ends_at.getTime() <= now.getTime()) return { ok: false, refusal: { key: 'consultations.error.hourOver' } };
  const row = await db
    .insertInto('consultation_walk_in')
    .values({ hour_id: input.hourId, name: input.name, topic: input.topic, language: input.language, note: input.note, attendance: null, created_by: actor!.id, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ok: true, walkInId: row.id };
}

/** The office marks a walk-in as seen (checked in) or gone before their turn (no-show). */
export async function markWalkIn(db: Kysely<Database>, actor: Person, walkInId: number, attendance: 'present' | 'no_show'): Promise<{ ok: true }> {
  await assertStaffOfWalkIn(db, actor, walkInId);
  await db.updateTable('consultation_walk_in').set({ attendance }).where('id', '=', walkInId).execute();
  return { ok: true };
}

type HourRefusal = { ok: false; refusal: ConsultationRefusal };

/** A coming hour's row for a change, locked; refusals when it is cancelled or has begun. */
async function lockComingHour(trx: Transaction<Database>, hourId: number, now: Date) {
  const hour = await trx
    .selectFrom('consultation_hour')
    .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
    .select(['consultation_hour.id', 'consultation_hour.starts_at', 'consultation_hour.cancelled_at', 'consultation_hour.place', 'consultation_hour.remote', 'consultation_hour.languages', 'organisation.name as organisationName', 'organisation.slug as organisationSlug'])
    .where('consultation_hour.id', '=', hourId)
    .forUpdate('consultation_hour')
    .executeTakeFirstOrThrow();
  if (hour.cancelled_at) return { refusal: { ok: false, refusal: { key: 'consultations.error.hourCancelled' } } as HourRefusal };
  if (hour.starts_at.getTime() <= now.getTime()) return { refusal: { ok: false, refusal: { key: 'consultations.error.hourStarted' } } as HourRefusal };
  return { hour };
}

/** The live bookings of an hour with what their mails need. */
function liveBookingsOf(trx: Transaction<Database>, hourId: number) {
  return trx
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .innerJoin('app_user', 'app_user.id', 'consultation_booking.user_id')
    .select([
      'consultation_booking.id',
      'consultation_booking.user_id',
      'consultation_booking.booked_by_user_id',
      'consultation_booking.topic',
      'consultation_booking.language',
      'consultation_booking.interpreter_needed',
      'consultation_slot.starts_at',
      'consultation_slot.ends_at',
      'app_user.email',
      'app_user.locale',
      'app_user.display_name',
    ])
    .where('consultation_slot.hour_id', '=', hourId)
    .where('consultation_booking.status', '=', 'booked')
    .orderBy('consultation_slot.starts_at')
    .execute();
}

/**
 * Staff change a coming hour's place, remote, topics and languages (its times stay). Each booked
 * person is told what changed, in their language; a booking whose language nobody on duty speaks
 * any more gets its interpreting request, and one whose language is now spoken has it withdrawn.
 */
export async function changeHour(db: Kysely<Database>, actor: Person, input: HourChangeInput, origin: RequestOrigin, now = new Date()): Promise<{ ok: true; told: number } | HourRefusal> {
  await assertStaffOfHour(db, actor, input.hourId);
  return db.transaction().execute(async (trx) => {
    const locked = await lockComingHour(trx, input.hourId, now);
    if (locked.refusal) return locked.refusal;
    const { hour } = locked;
    const place = input.remote ? '' : input.place;
    const placeChanged = hour.remote !== input.remote || hour.place !== place;
    await trx
      .updateTable('consultation_hour')
      .set({ remote: input.remote, place, topics: [...input.topics], languages: [...input.languages], updated_at: now })
      .where('id', '=', hour.id)
      .execute();
    let told = 0;
    for (const b of await liveBookingsOf(trx, hour.id)) {
      const needed = !(input.languages as readonly string[]).includes(b.language);
      if (needed !== b.interpreter_needed) {
        await trx.updateTable('consultation_booking').set({ interpreter_needed: needed, updated_at: now }).where('id', '=', b.id).execute();
        if (needed) {
          await openInterpreterRequest(
            trx,
            { bookingId: b.id, newcomerId: b.user_id, bookedById: b.booked_by_user_id, startsAt: b.starts_at, organisationName: hour.organisationName, remote: input.remote, place, topic: b.topic, language: b.language },
            origin,
            now,
          );
        } else {
          await withdrawInterpreterRequest(trx, b.id, origin, now);
        }
      } else if (needed && placeChanged) {
        // The helper needs the new place too.
        await trx.updateTable('help_request').set({ district: input.remote ? translator(DEFAULT_LOCALE)('consultations.remote') : place.slice(0, 100), address: place, updated_at: now }).where('consultation_booking_id', '=', b.id).where('status', 'in', ['open', 'taken']).execute();
      }
      if (!placeChanged && needed === b.interpreter_needed) continue;
      await enqueueMessage(trx, {
        kind: 'consultation_hour_changed',
        recipientUserId: b.user_id,
        recipientEmail: b.email,
        locale: b.locale,
        payload: {
          name: firstName(b.display_name),
          url: `${origin.baseUrl}${localePath(b.locale, '/consultations')}`,
          organisationName: hour.organisationName,
          startsAt: b.starts_at.toISOString(),
          endsAt: b.ends_at.toISOString(),
          place,
          remote: input.remote,
          topic: b.topic,
          language: b.language,
          placeChanged,
          languageGone: needed && !b.interpreter_needed,
          interpreterNeeded: needed,
        },
      });
      told += 1;
    }
    return { ok: true, told } as const;
  });
}

/**
 * Staff cancel a coming hour: it leaves the public list and cannot be booked; each of its
 * bookings ends (the interpreting requests are withdrawn, helpers told) and each booked person
 * is told in their language, with a link to book another slot.
 */
export async function cancelHour(db: Kysely<Database>, actor: Person, hourId: number, origin: RequestOrigin, now = new Date()): Promise<{ ok: true; told: number; organisationSlug: string } | HourRefusal> {
  await assertStaffOfHour(db, actor, hourId);
  return db.transaction().execute(async (trx) => {
    const locked = await lockComingHour(trx, hourId, now);
    if (locked.refusal) return locked.refusal;
    const { hour } = locked;
    await trx.updateTable('consultation_hour').set({ cancelled_at: now, updated_at: now }).where('id', '=', hourId).execute();
    const bookings = await liveBookingsOf(trx, hourId);
    for (const b of bookings) {
      await endBooking(trx, b.id, origin, now);
      await enqueueMessage(trx, {
        kind: 'consultation_hour_cancelled',
        recipientUserId: b.user_id,
        recipientEmail: b.email,
        locale: b.locale,
        payload: {
          name: firstName(b.display_name),
          url: `${origin.baseUrl}${localePath(b.locale, '/consultations')}`,
          organisationName: hour.organisationName,
          startsAt: b.starts_at.toISOString(),
          endsAt: b.ends_at.toISOString(),
          place: hour.place,
          remote: hour.remote,
          topic: b.topic,
          language: b.language,
        },
      });
    }
    return { ok: true, told: bookings.length, organisationSlug: hour.organisationSlug } as const;
  });
}
