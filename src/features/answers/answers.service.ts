// One-tap answers: "I'm coming" / "I can't come" to a reminder or a waitlist promotion, for one
// RSVP, and "I'll be there" / "I can't make it" for one volunteer shift — without signing in,
// from a link in the mail (answer-links.ts), or from a button in a linked Telegram chat.
//
// Both ways end here, in answerRsvpAsPerson / answerShiftAsPerson, with the person the link or
// chat belongs to. "Coming" records when the person confirmed (organisers see it at the door
// and on the shifts page); "not coming" cancels through the RSVP service — the seats go to the
// waitlist at once and whoever moves up is told (with new links of their own) — or withdraws
// through the volunteering service and tells the organisers. An answer given again changes
// nothing and says what happened before; a "coming" never books a cancelled place again; after
// the start nothing changes any more.
//
// Nothing here knows about HTTP: callers turn the outcome into words (see AnswerOutcome).
import type { Kysely, Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import { cancelRsvpOf, lockForSeats, type RsvpContext } from '../rsvps/rsvps.service.ts';
import { withdrawAndTellOrganisers } from '../volunteering/volunteering.service.ts';
import { lookUpAnswerToken, type Answer, type AnswerTokenTarget } from './answer-links.ts';
import { bookingAnswerView, roleOfSignup, rsvpAnswerView, shiftAnswerView, type BookingAnswerView, type RsvpAnswerView, type ShiftAnswerView } from './answers.queries.ts';
import { endBooking } from '../consultations/consultations.service.ts';

export { ANSWERS, createAnswerLinks, lookUpAnswerToken, type Answer, type AnswerLinks } from './answer-links.ts';
export type { AnsweredActivity, BookingAnswerView, RsvpAnswerView, ShiftAnswerView } from './answers.queries.ts';

/**
 * What an answer did, or why it did nothing. Only 'confirmed' and 'cancelled' change anything.
 *
 * - `confirmed`: "coming" recorded now (rsvp.confirmed_at, volunteer_signup.confirmed_at).
 * - `already_confirmed`: "coming" was recorded before (at `confirmedAt` of the view); nothing changed.
 * - `cancelled`: "not coming" done now: the RSVP is cancelled and its seats went to the waitlist
 *   (`promoted` parties moved up and were told), or the volunteer is off the shift and the
 *   organisers were told (`organisersTold`).
 * - `already_cancelled`: the RSVP was cancelled (the sign-up withdrawn) before, by any way;
 *   nothing changed — "coming" never books a place again: the person signs up anew.
 * - `waitlisted`: "coming" on an RSVP still waiting for a seat: there is nothing to confirm yet
 *   (the view has the position); nothing changed.
 * - `activity_cancelled`: the organisers called the activity off; nothing changed.
 * - `too_late`: the activity (for a shift: the shift) has started; nothing changed.
 * - `not_found`: no such RSVP or sign-up of this person — someone else's, or one the person no
 *   longer has, looks exactly the same.
 */
export type AnswerOutcome = 'confirmed' | 'already_confirmed' | 'cancelled' | 'already_cancelled' | 'waitlisted' | 'activity_cancelled' | 'too_late' | 'not_found';

/** What a page shows before the person presses the button: 'ask' (the button), or the outcome
 * an answer would have without changing anything. */
export type AnswerPreviewOutcome = 'ask' | Exclude<AnswerOutcome, 'confirmed' | 'cancelled' | 'not_found'>;

export type RsvpAnswerResult =
  | { outcome: 'not_found' }
  | {
      outcome: Exclude<AnswerOutcome, 'not_found'>;
      /** The RSVP and its activity as they are after the answer. */
      rsvp: RsvpAnswerView;
      /** Waiting parties moved up into the freed seats ('cancelled'; 0 otherwise). */
      promoted: number;
    };

export type ShiftAnswerResult =
  | { outcome: 'not_found' }
  | {
      outcome: Exclude<AnswerOutcome, 'not_found'>;
      /** The sign-up and its shift as they are after the answer. */
      shift: ShiftAnswerView;
      /** Organisers mailed that the volunteer cannot make it ('cancelled'; 0 otherwise). */
      organisersTold: number;
    };

export interface AnswerOptions {
  /** The language of the titles in the result; the person's own by default. */
  locale?: Locale;
  now?: Date;
}

type Step = 'confirm' | 'cancel' | Exclude<AnswerPreviewOutcome, 'ask'>;

/** The one rule for both kinds: what an answer does to an RSVP or sign-up in this state. */
function decide(view: RsvpAnswerView | ShiftAnswerView | BookingAnswerView, answer: Answer, now: Date): Step {
  // A booking the office cancelled with its hour reads as an activity called off.
  if (view.kind === 'booking' && view.status === 'cancelled') return view.activityStatus === 'cancelled' ? 'activity_cancelled' : 'already_cancelled';
  if (view.status === 'cancelled' || view.status === 'withdrawn') return 'already_cancelled';
  if (view.activityStatus === 'cancelled') return 'activity_cancelled';
  if (now.getTime() >= view.startsAt.getTime()) return 'too_late';
  if (answer === 'not_coming') return 'cancel';
  if (view.kind === 'rsvp' && view.status === 'waitlisted') return 'waitlisted';
  return view.confirmedAt ? 'already_confirmed' : 'confirm';
}

const asPreview = (step: Step): AnswerPreviewOutcome => (step === 'confirm' || step === 'cancel' ? 'ask' : step);

/**
 * The person answers their RSVP: "coming" or "not coming" (see AnswerOutcome for every
 * result). Takes the activity's seat lock, as every RSVP change does, so that an answer and a
 * cancellation or promotion at the same moment happen one after the other: "not coming"
 * pressed twice at once cancels and promotes once.
 */
export async function answerRsvpAsPerson(
  db: Kysely<Database>,
  context: RsvpContext,
  personId: number,
  rsvpId: number,
  answer: Answer,
  options: AnswerOptions = {},
): Promise<RsvpAnswerResult> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<RsvpAnswerResult> => {
    const before = await rsvpAnswerView(trx, personId, rsvpId, options.locale, now);
    if (!before) return { outcome: 'not_found' };
    await lockForSeats(trx, before.activityId);
    // Read again under the lock: what a cancellation a moment ago left is what counts.
    const view = await rsvpAnswerView(trx, personId, rsvpId, options.locale, now);
    if (!view) return { outcome: 'not_found' };
    const step = decide(view, answer, now);
    if (step === 'confirm') {
      await trx.updateTable('rsvp').set({ confirmed_at: now }).where('id', '=', rsvpId).where('confirmed_at', 'is', null).execute();
      return { outcome: 'confirmed', rsvp: { ...view, confirmedAt: now }, promoted: 0 };
    }
    if (step === 'cancel') {
      const done = await cancelRsvpOf(trx, personId, rsvpId, context, now);
      // The checks above are cancelRsvp's own (rsvpChangeable); its refusal would mean the same.
      if (!done.ok) return { outcome: done.refusal.key === 'rsvp.error.cancelled' ? 'activity_cancelled' : 'too_late', rsvp: view, promoted: 0 };
      return { outcome: 'cancelled', rsvp: { ...view, status: 'cancelled', confirmedAt: view.confirmedAt, waitlistPosition: null }, promoted: done.promoted };
    }
    return { outcome: step, rsvp: view, promoted: 0 };
  });
}

/**
 * The volunteer answers their shift: "coming" (I'll be there) or "not coming" (I can't make
 * it; see AnswerOutcome). Takes the role's lock, as every sign-up change does.
 */
export async function answerShiftAsPerson(
  db: Kysely<Database>,
  context: RsvpContext,
  personId: number,
  signupId: number,
  answer: Answer,
  options: AnswerOptions = {},
): Promise<ShiftAnswerResult> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<ShiftAnswerResult> => {
    if (!(await shiftAnswerView(trx, personId, signupId, options.locale))) return { outcome: 'not_found' };
    await lockRoleOf(trx, signupId);
    const view = await shiftAnswerView(trx, personId, signupId, options.locale);
    if (!view) return { outcome: 'not_found' };
    const step = decide(view, answer, now);
    if (step === 'confirm') {
      await trx.updateTable('volunteer_signup').set({ confirmed_at: now }).where('id', '=', signupId).where('confirmed_at', 'is', null).execute();
      return { outcome: 'confirmed', shift: { ...view, confirmedAt: now }, organisersTold: 0 };
    }
    if (step === 'cancel') {
      const done = await withdrawAndTellOrganisers(trx, personId, signupId, context, now);
      if (!done.ok) return { outcome: 'too_late', shift: view, organisersTold: 0 };
      return { outcome: 'cancelled', shift: { ...view, status: 'withdrawn' }, organisersTold: done.organisersTold };
    }
    return { outcome: step, shift: view, organisersTold: 0 };
  });
}

export type BookingAnswerResult = { outcome: 'not_found' } | { outcome: Exclude<AnswerOutcome, 'not_found'>; booking: BookingAnswerView };

/**
 * The person answers their consultation booking: "coming" (said, not stored: bookings have no
 * column for it) or "not coming", which cancels through the consultation service — the slot is
 * free again and its interpreting request withdrawn. The booking's row is locked first, so two
 * presses at once cancel once.
 */
export async function answerBookingAsPerson(db: Kysely<Database>, context: Pick<RsvpContext, 'baseUrl'>, personId: number, bookingId: number, answer: Answer, options: AnswerOptions = {}): Promise<BookingAnswerResult> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<BookingAnswerResult> => {
    await trx.selectFrom('consultation_booking').select('id').where('id', '=', bookingId).forUpdate().execute();
    const view = await bookingAnswerView(trx, personId, bookingId, options.locale);
    if (!view) return { outcome: 'not_found' };
    const step = decide(view, answer, now);
    if (step === 'confirm') {
      await trx.updateTable('consultation_booking').set({ confirmed_at: now }).where('id', '=', bookingId).where('confirmed_at', 'is', null).execute();
      return { outcome: 'confirmed', booking: { ...view, confirmedAt: now } };
    }
    if (step === 'cancel') {
      await endBooking(trx, bookingId, context, now);
      return { outcome: 'cancelled', booking: { ...view, status: 'cancelled' } };
    }
    return { outcome: step, booking: view };
  });
}

async function lockRoleOf(trx: Transaction<Database>, signupId: number): Promise<void> {
  const roleId = await roleOfSignup(trx, signupId);
  if (roleId !== null) await trx.selectFrom('volunteer_role').select('id').where('id', '=', roleId).forUpdate().execute();
}

/** What the answer page shows before anything is pressed: the RSVP or shift, and whether the
 * button is offered ('ask') or what has already happened. */
export type AnswerPreview =
  | { kind: 'rsvp'; outcome: AnswerPreviewOutcome; rsvp: RsvpAnswerView }
  | { kind: 'shift'; outcome: AnswerPreviewOutcome; shift: ShiftAnswerView }
  | { kind: 'booking'; outcome: AnswerPreviewOutcome; booking: BookingAnswerView };

export async function previewAnswer(db: Kysely<Database>, target: AnswerTokenTarget, answer: Answer, options: AnswerOptions = {}): Promise<AnswerPreview | null> {
  const now = options.now ?? new Date();
  if (target.kind === 'rsvp') {
    const rsvp = await rsvpAnswerView(db, target.personId, target.rsvpId, options.locale, now);
    return rsvp && { kind: 'rsvp', outcome: asPreview(decide(rsvp, answer, now)), rsvp };
  }
  if (target.kind === 'booking') {
    const booking = await bookingAnswerView(db, target.personId, target.bookingId, options.locale);
    return booking && { kind: 'booking', outcome: asPreview(decide(booking, answer, now)), booking };
  }
  const shift = await shiftAnswerView(db, target.personId, target.signupId, options.locale);
  return shift && { kind: 'shift', outcome: asPreview(decide(shift, answer, now)), shift };
}

export type AnswerPageLoad = { kind: 'unknown' } | { kind: 'rate-limited'; retryAfterMs: number } | { kind: 'found'; preview: AnswerPreview };

/** The answer page: what the link's token opens, as previewAnswer shows it; an unknown token
 * (or one whose RSVP is gone) is counted against the address (lookUpAnswerToken). */
export async function loadAnswerPage(db: Kysely<Database>, token: string, answer: Answer, ip: string, options: AnswerOptions = {}): Promise<AnswerPageLoad> {
  const found = await lookUpAnswerToken(db, token, ip, options.now);
  if (found.kind !== 'found') return found;
  const preview = await previewAnswer(db, found.target, answer, options);
  return preview ? { kind: 'found', preview } : { kind: 'unknown' };
}

export type TokenAnswerResult =
  | { kind: 'unknown' }
  | { kind: 'rate-limited'; retryAfterMs: number }
  | ({ kind: 'rsvp' } & Exclude<RsvpAnswerResult, { outcome: 'not_found' }>)
  | ({ kind: 'shift' } & Exclude<ShiftAnswerResult, { outcome: 'not_found' }>)
  | ({ kind: 'booking' } & Exclude<BookingAnswerResult, { outcome: 'not_found' }>);

/** The button on the answer page: the token's person answers its RSVP or shift. */
export async function answerByToken(db: Kysely<Database>, context: RsvpContext, token: string, answer: Answer, ip: string, options: AnswerOptions = {}): Promise<TokenAnswerResult> {
  const found = await lookUpAnswerToken(db, token, ip, options.now);
  if (found.kind !== 'found') return found;
  const { target } = found;
  if (target.kind === 'rsvp') {
    const result = await answerRsvpAsPerson(db, context, target.personId, target.rsvpId, answer, options);
    return result.outcome === 'not_found' ? { kind: 'unknown' } : { kind: 'rsvp', ...result };
  }
  if (target.kind === 'booking') {
    const result = await answerBookingAsPerson(db, context, target.personId, target.bookingId, answer, options);
    return result.outcome === 'not_found' ? { kind: 'unknown' } : { kind: 'booking', ...result };
  }
  const result = await answerShiftAsPerson(db, context, target.personId, target.signupId, answer, options);
  return result.outcome === 'not_found' ? { kind: 'unknown' } : { kind: 'shift', ...result };
}
