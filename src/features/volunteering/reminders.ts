// The shift reminder the day before: once per sign-up, to active volunteers, in the 24 hours
// before the shift starts. A sign-up made within those 24 hours has just had its confirmation
// and gets none. Rows are claimed with FOR UPDATE SKIP LOCKED, so several app servers never
// write the same reminder twice. Each reminder carries the one-tap answers "I'll be there" /
// "I can't make it" (src/features/answers/answer-links.ts), made in the same transaction.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { createAnswerLinks } from '../answers/answer-links.ts';
import { notifyAboutActivity, type RsvpContext } from '../rsvps/rsvps.service.ts';
import { shiftEndSql, shiftStartSql } from './volunteering.queries.ts';

const DAY_MS = 24 * 60 * 60 * 1000;


export async function writeDueShiftReminders(db: Kysely<Database>, context: RsvpContext, now = new Date(), batch = 200): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('volunteer_signup')
      .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
      .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
      .innerJoin('app_user', 'app_user.id', 'volunteer_signup.user_id')
      .select([
        'volunteer_signup.id',
        'volunteer_role.name as role_name',
        'volunteer_role.what_to_bring',
        'app_user.id as recipient_id',
        'app_user.email',
        'app_user.display_name',
        'app_user.locale',
        'activity.id as activity_id',
        'activity.title',
        'activity.translations',
        'activity.place_name',
        'activity.address',
        'activity.online_url',
        shiftStartSql.as('starts_at'),
        shiftEndSql.as('ends_at'),
      ])
      .where('volunteer_signup.status', '=', 'active')
      .where('volunteer_signup.reminded_at', 'is', null)
      .where('activity.status', '=', 'published')
      .where(shiftStartSql, '>', now)
      .where(shiftStartSql, '<=', new Date(now.getTime() + DAY_MS))
      .where(sql<boolean>`volunteer_signup.created_at < ${shiftStartSql} - interval '1 day'`)
      .orderBy('volunteer_signup.id')
      .limit(batch)
      .forUpdate('volunteer_signup')
      .skipLocked()
      .execute();
    for (const r of due) {
      const recipient = { id: r.recipient_id, email: r.email, display_name: r.display_name, locale: r.locale };
      const activity = { ...r, id: r.activity_id, starts_at: new Date(r.starts_at), ends_at: new Date(r.ends_at) };
      const links = await createAnswerLinks(trx, context.baseUrl, { signupId: r.id }, activity.starts_at, r.locale, now);
      await notifyAboutActivity(trx, 'volunteer_reminder', recipient, activity, context, { roleName: r.role_name, whatToBring: r.what_to_bring, signupId: r.id, ...links });
    }
    if (due.length > 0) {
      await trx.updateTable('volunteer_signup').set({ reminded_at: now }).where('id', 'in', due.map((r) => r.id)).execute();
    }
    return due.length;
  });
}
