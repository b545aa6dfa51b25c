// Consultation hours: publishing them with their slots, booking a slot (never twice, however
// many press at once), cancelling, and the office marking who came. Who may is asked of
// consultations.access.ts; refusals are message keys.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { firstName } from '../accounts/first-name.ts';
import { NotFoundError } from '../access/access.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { localePath } from '../../i18n/locales.ts';
import { zonedSpan } from '../../i18n/format.ts';
import { assertOwnBooking, assertStaff, assertStaffOfBooking } from './consultations.access.ts';
import type { BookInput, HourInput } from './consultations.schema.ts';

type Person = Pick<SessionUser, 'id'> | null | undefined;
export interface ConsultationRefusal {
  key: string;
}
export type FieldRefusal = { ok: false; fields: Record<string, string> };

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
 * Books a slot for the signed-in person. The slot's row is locked first, so of any number of
 * people pressing at once exactly one gets it and the others are told it is taken (a unique
 * index on live bookings is the last guard). A language nobody on duty speaks is allowed and
 * marked: an interpreter is needed.
 */
export async function bookSlot(db: Kysely<Database>, actor: Person, input: BookInput, origin: { baseUrl: string }, now = new Date()): Promise<BookResult> {
  if (!actor) throw new NotFoundError('signed-in only');
  return db.transaction().execute(async (trx) => {
    const slot = await trx.selectFrom('consultation_slot').select(['id', 'hour_id', 'starts_at', 'ends_at']).where('id', '=', input.slotId).forUpdate().executeTakeFirst();
    if (!slot) throw new NotFoundError('slot');
    const hour = await trx
      .selectFrom('consultation_hour')
      .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
      .select(['consultation_hour.topics', 'consultation_hour.languages', 'consultation_hour.place', 'consultation_hour.remote', 'organisation.name as organisationName'])
      .where('consultation_hour.id', '=', slot.hour_id)
      .executeTakeFirstOrThrow();
    if (slot.starts_at.getTime() <= now.getTime()) return { ok: false, refusal: { key: 'consultations.error.started' } } as const;
    if (!hour.topics.includes(input.topic)) return { ok: false, fields: { topic: 'consultations.error.topic' } } as const;
    const taken = await trx.selectFrom('consultation_booking').select('id').where('slot_id', '=', slot.id).where('status', '=', 'booked').executeTakeFirst();
    if (taken) return { ok: false, refusal: { key: 'consultations.error.taken' } } as const;
    const interpreterNeeded = !hour.languages.includes(input.language);
    const booking = await trx
      .insertInto('consultation_booking')
      .values({ slot_id: slot.id, user_id: actor.id, topic: input.topic, language: input.language, note: input.note, interpreter_needed: interpreterNeeded, status: 'booked', attendance: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const person = await trx.selectFrom('app_user').select(['email', 'locale', 'display_name']).where('id', '=', actor.id).executeTakeFirstOrThrow();
    await enqueueMessage(trx, {
      kind: 'consultation_booked',
      recipientUserId: actor.id,
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
      },
    });
    return { ok: true, bookingId: booking.id, interpreterNeeded } as const;
  });
}

/** Cancels the person's own booking until its slot starts; the slot is free again at once. */
export async function cancelBooking(db: Kysely<Database>, actor: Person, bookingId: number, now = new Date()): Promise<{ ok: true } | { ok: false; refusal: ConsultationRefusal }> {
  await assertOwnBooking(db, actor, bookingId);
  const row = await db
    .selectFrom('consultation_booking')
    .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
    .select(['consultation_booking.status', 'consultation_slot.starts_at'])
    .where('consultation_booking.id', '=', bookingId)
    .executeTakeFirstOrThrow();
  if (row.status !== 'booked') return { ok: false, refusal: { key: 'consultations.error.cancelled' } };
  if (row.starts_at.getTime() <= now.getTime()) return { ok: false, refusal: { key: 'consultations.error.started' } };
  await db.updateTable('consultation_booking').set({ status: 'cancelled', updated_at: now }).where('id', '=', bookingId).where('status', '=', 'booked').execute();
  return { ok: true };
}

/** The office marks a booking: the person came (checked in) or did not (no-show). */
export async function markAttendance(db: Kysely<Database>, actor: Person, bookingId: number, attendance: 'present' | 'no_show', now = new Date()): Promise<{ ok: true } | { ok: false; refusal: ConsultationRefusal }> {
  await assertStaffOfBooking(db, actor, bookingId);
  const updated = await db.updateTable('consultation_booking').set({ attendance, updated_at: now }).where('id', '=', bookingId).where('status', '=', 'booked').executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return { ok: false, refusal: { key: 'consultations.error.cancelled' } };
  return { ok: true };
}
