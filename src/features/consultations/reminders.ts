// The reminder the day before a booked consultation slot, as for RSVPs (src/features/rsvps/
// reminders.ts): once per booking (reminder_sent_at), in the 24 hours before the slot, not for
// a booking made within those 24 hours (its confirmation has just gone), not for a cancelled
// hour. Rows are claimed with FOR UPDATE SKIP LOCKED, so several app servers never write the
// same reminder twice. Each carries the one-tap answers "I'm coming" / "I can't come"
// (src/features/answers/answer-links.ts), made in the same transaction, in the person's language.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { firstName } from '../accounts/first-name.ts';
import { createAnswerLinks } from '../answers/answer-links.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { localePath } from '../../i18n/locales.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function writeDueConsultationReminders(db: Kysely<Database>, context: { baseUrl: string }, now = new Date(), batch = 200): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('consultation_booking')
      .innerJoin('consultation_slot', 'consultation_slot.id', 'consultation_booking.slot_id')
      .innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id')
      .innerJoin('organisation', 'organisation.id', 'consultation_hour.organisation_id')
      .innerJoin('app_user', 'app_user.id', 'consultation_booking.user_id')
      .select([
        'consultation_booking.id',
        'consultation_booking.topic',
        'consultation_booking.language',
        'consultation_booking.interpreter_needed',
        'consultation_slot.starts_at',
        'consultation_slot.ends_at',
        'consultation_hour.remote',
        'consultation_hour.place',
        'organisation.name as organisationName',
        'app_user.id as personId',
        'app_user.email',
        'app_user.display_name',
        'app_user.locale',
      ])
      .where('consultation_booking.status', '=', 'booked')
      .where('consultation_booking.reminder_sent_at', 'is', null)
      .where('consultation_hour.cancelled_at', 'is', null)
      .where('consultation_slot.starts_at', '>', now)
      .where('consultation_slot.starts_at', '<=', new Date(now.getTime() + DAY_MS))
      .where(sql<boolean>`consultation_booking.created_at < consultation_slot.starts_at - interval '1 day'`)
      .orderBy('consultation_booking.id')
      .limit(batch)
      .forUpdate('consultation_booking')
      .skipLocked()
      .execute();
    for (const r of due) {
      const links = await createAnswerLinks(trx, context.baseUrl, { bookingId: r.id }, r.starts_at, r.locale, now);
      await enqueueMessage(trx, {
        kind: 'consultation_reminder',
        recipientUserId: r.personId,
        recipientEmail: r.email,
        locale: r.locale,
        payload: {
          // What the Telegram buttons answer (telegram-message.ts); the links are secret fields.
          bookingId: r.id,
          name: firstName(r.display_name),
          url: `${context.baseUrl}${localePath(r.locale, '/consultations')}`,
          organisationName: r.organisationName,
          startsAt: r.starts_at.toISOString(),
          endsAt: r.ends_at.toISOString(),
          place: r.place,
          remote: r.remote,
          topic: r.topic,
          language: r.language,
          interpreterNeeded: r.interpreter_needed,
          ...links,
        },
      });
    }
    if (due.length > 0) await trx.updateTable('consultation_booking').set({ reminder_sent_at: now }).where('id', 'in', due.map((r) => r.id)).execute();
    return due.length;
  });
}
