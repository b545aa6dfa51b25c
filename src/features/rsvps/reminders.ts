// The reminder the day before: once per RSVP, to parties that are going, in the 24 hours
// before the start. An RSVP made within those 24 hours has just had its confirmation and gets
// none. Rows are claimed with FOR UPDATE SKIP LOCKED, so several app servers never write the
// same reminder twice. Each reminder carries the one-tap answers "I'm coming" / "I can't come"
// (src/features/answers/answer-links.ts), made in the same transaction.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { createAnswerLinks } from '../answers/answer-links.ts';
import { notifyAboutActivity, type RsvpContext } from './rsvps.service.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function writeDueReminders(db: Kysely<Database>, context: RsvpContext, now = new Date(), batch = 200): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('rsvp')
      .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
      .innerJoin('app_user', 'app_user.id', 'rsvp.user_id')
      .select([
        'rsvp.id',
        'rsvp.party_size',
        'app_user.id as recipient_id',
        'app_user.email',
        'app_user.display_name',
        'app_user.locale',
        'activity.id as activity_id',
        'activity.title',
        'activity.translations',
        'activity.starts_at',
        'activity.ends_at',
        'activity.place_name',
        'activity.address',
        'activity.online_url',
      ])
      .where('rsvp.status', '=', 'going')
      .where('rsvp.reminded_at', 'is', null)
      .where('activity.status', '=', 'published')
      .where('activity.starts_at', '>', now)
      .where('activity.starts_at', '<=', new Date(now.getTime() + DAY_MS))
      .where(sql<boolean>`rsvp.created_at < activity.starts_at - interval '1 day'`)
      .orderBy('rsvp.id')
      .limit(batch)
      .forUpdate('rsvp')
      .skipLocked()
      .execute();
    for (const r of due) {
      const recipient = { id: r.recipient_id, email: r.email, display_name: r.display_name, locale: r.locale };
      const activity = { ...r, id: r.activity_id };
      const links = await createAnswerLinks(trx, context.baseUrl, { rsvpId: r.id }, r.starts_at, r.locale, now);
      await notifyAboutActivity(trx, 'rsvp_reminder', recipient, activity, context, { partySize: r.party_size, rsvpId: r.id, ...links });
    }
    if (due.length > 0) {
      await trx.updateTable('rsvp').set({ reminded_at: now }).where('id', 'in', due.map((r) => r.id)).execute();
    }
    return due.length;
  });
}
