// What a button under a reminder does, seen from Telegram: it answers for the person linked to
// the chat that pressed it, exactly as the one-tap links in the mail do. The rules live with the
// one-tap answers (src/features/answers/answers.service.ts, `answerRsvpAsPerson`,
// `answerShiftAsPerson` and `answerBookingAsPerson`); the bot is handed them as an AnswerService, so that it holds no rule of
// its own and its tests can hand it a fake.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RsvpContext } from '../rsvps/rsvps.service.ts';
import type { ButtonAnswer } from './telegram.schema.ts';

/**
 * How an answer came out (the one-tap answers' outcomes; only the first and third change anything):
 * - `confirmed`: "coming" is noted now (the door page shows it);
 * - `already_confirmed`: it was noted before;
 * - `cancelled`: the place is given up (the waitlist moves up) or the shift withdrawn;
 * - `already_cancelled`: it was given up before;
 * - `waitlisted`: "coming" while still waiting for a seat: nothing to confirm yet;
 * - `activity_cancelled`: the organisers called the activity off;
 * - `too_late`: the activity or shift has begun;
 * - `not_found`: no such RSVP or sign-up of this person — someone else's looks the same.
 */
export type AnswerOutcome = 'confirmed' | 'already_confirmed' | 'cancelled' | 'already_cancelled' | 'waitlisted' | 'activity_cancelled' | 'too_late' | 'not_found';

export interface AnswerResult {
  outcome: AnswerOutcome;
}

export interface AnswerService {
  answerRsvpAsPerson(db: Kysely<Database>, context: RsvpContext, personId: number, rsvpId: number, answer: ButtonAnswer): Promise<AnswerResult>;
  answerShiftAsPerson(db: Kysely<Database>, context: RsvpContext, personId: number, signupId: number, answer: ButtonAnswer): Promise<AnswerResult>;
  answerBookingAsPerson(db: Kysely<Database>, context: RsvpContext, personId: number, bookingId: number, answer: ButtonAnswer): Promise<AnswerResult>;
}
