// Answers to the reminder buttons, built from the RSVP and volunteering services as they are,
// until the one-tap answers (src/features/answers/answers.service.ts) take this over: then
// src/server/main.ts hands the bot those instead and this file goes. Same outcomes, same rules:
// "can't come" cancels the place (the waitlist moves up at once) or withdraws from the shift;
// "coming" notes the confirmation; someone else's RSVP or sign-up is "not found".
import { NotFoundError } from '../access/access.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { cancelRsvp, rsvpChangeable } from '../rsvps/rsvps.service.ts';
import { shiftWindow, withdraw, withdrawalRefusal } from '../volunteering/volunteering.service.ts';
import type { AnswerResult, AnswerService } from './telegram-answers.ts';

/** The services take the signed-in person; only their id is read. */
const asPerson = (personId: number) => ({ id: personId }) as SessionUser;

export const interimAnswers: AnswerService = {
  async answerRsvpAsPerson(db, context, personId, rsvpId, answer): Promise<AnswerResult> {
    const now = new Date();
    const rsvp = await db
      .selectFrom('rsvp')
      .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
      .select(['rsvp.status', 'rsvp.confirmed_at', 'activity.status as activity_status', 'activity.starts_at'])
      .where('rsvp.id', '=', rsvpId)
      .where('rsvp.user_id', '=', personId)
      .executeTakeFirst();
    if (!rsvp) return { outcome: 'not_found' };
    if (rsvp.status === 'cancelled') return { outcome: 'already_cancelled' };
    if (rsvp.activity_status === 'cancelled') return { outcome: 'activity_cancelled' };
    if (!rsvpChangeable({ status: rsvp.activity_status, starts_at: rsvp.starts_at }, now)) return { outcome: 'too_late' };
    if (answer === 'coming') {
      if (rsvp.status === 'waitlisted') return { outcome: 'waitlisted' };
      if (rsvp.confirmed_at) return { outcome: 'already_confirmed' };
      await db.updateTable('rsvp').set({ confirmed_at: now }).where('id', '=', rsvpId).where('status', '=', 'going').execute();
      return { outcome: 'confirmed' };
    }
    try {
      const result = await cancelRsvp(db, asPerson(personId), rsvpId, context, now);
      return { outcome: result.ok ? 'cancelled' : 'too_late' };
    } catch (error) {
      if (error instanceof NotFoundError) return { outcome: 'already_cancelled' };
      throw error;
    }
  },

  async answerShiftAsPerson(db, _context, personId, signupId, answer): Promise<AnswerResult> {
    const now = new Date();
    const signup = await db
      .selectFrom('volunteer_signup')
      .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
      .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
      .select([
        'volunteer_signup.status',
        'volunteer_signup.confirmed_at',
        'volunteer_role.starts_at',
        'volunteer_role.ends_at',
        'activity.starts_at as activity_starts_at',
        'activity.ends_at as activity_ends_at',
        'activity.status as activity_status',
      ])
      .where('volunteer_signup.id', '=', signupId)
      .where('volunteer_signup.user_id', '=', personId)
      .executeTakeFirst();
    if (!signup) return { outcome: 'not_found' };
    if (signup.status !== 'active') return { outcome: 'already_cancelled' };
    if (signup.activity_status === 'cancelled') return { outcome: 'activity_cancelled' };
    const start = shiftWindow(signup, { starts_at: signup.activity_starts_at, ends_at: signup.activity_ends_at }).startsAt;
    if (withdrawalRefusal(start, now) || signup.activity_status !== 'published') return { outcome: 'too_late' };
    if (answer === 'coming') {
      if (signup.confirmed_at) return { outcome: 'already_confirmed' };
      await db.updateTable('volunteer_signup').set({ confirmed_at: now }).where('id', '=', signupId).where('status', '=', 'active').execute();
      return { outcome: 'confirmed' };
    }
    try {
      const result = await withdraw(db, asPerson(personId), signupId, now);
      return { outcome: result.ok ? 'cancelled' : 'too_late' };
    } catch (error) {
      if (error instanceof NotFoundError) return { outcome: 'already_cancelled' };
      throw error;
    }
  },
};
