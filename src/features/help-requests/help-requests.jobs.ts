// What happens to open help requests as time passes, run with the reminders (src/server/main.ts):
// - Expiry: an open request whose time has passed (or whose week ended, in the town's
//   calendar) nobody can take any more. It becomes 'expired' and its asker is told, in their
//   language, so that they can post again or ask the coordinators — rather than wait.
// - Escalation: an open request nobody took by the day before goes to the coordinators: one
//   mail per coordinator listing every such request (kind, when, languages, link), each request
//   once (escalated_at).
// Every run takes its rows with FOR UPDATE SKIP LOCKED inside one transaction, so two servers
// running at once never expire or escalate the same request twice.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import { firstName } from '../accounts/first-name.ts';
import { zonedParts } from '../../i18n/format.ts';
import { localePath } from '../../i18n/locales.ts';
import { enqueueMessage } from '../outbox/outbox.ts';

export interface HelpRequestJobContext {
  baseUrl: string;
  timeZone: string;
}

const DAY_MS = 24 * 3600_000;

/** The town's calendar date of the instant, `days` later: "2026-12-10". */
function townDate(timeZone: string, now: Date, days = 0): string {
  const p = zonedParts(timeZone, now);
  return new Date(Date.UTC(p.y, p.m - 1, p.d + days)).toISOString().slice(0, 10);
}

const weekOf = sql<string | null>`to_char(week_of, 'YYYY-MM-DD')`.as('week_of');

/** Open requests whose time is gone become 'expired'; each asker is told. Returns how many. */
export async function expireHelpRequests(db: Kysely<Database>, context: HelpRequestJobContext, now = new Date()): Promise<number> {
  // A week request's week (Monday to Sunday) has ended once its Monday is 7 days or more ago.
  const lastEndedMonday = townDate(context.timeZone, now, -7);
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('help_request')
      .innerJoin('app_user', 'app_user.id', 'help_request.asker_user_id')
      .select(['help_request.id', 'help_request.kind', 'help_request.starts_at', weekOf, 'app_user.id as asker_id', 'app_user.email', 'app_user.display_name', 'app_user.locale'])
      .where('help_request.status', '=', 'open')
      .where((eb) => eb.or([eb('help_request.starts_at', '<=', now), eb('help_request.week_of', '<=', sql<string>`${lastEndedMonday}::date`)]))
      .forUpdate('help_request')
      .skipLocked()
      .execute();
    if (rows.length === 0) return 0;
    await trx
      .updateTable('help_request')
      .set({ status: 'expired', updated_at: now })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    for (const r of rows) {
      await enqueueMessage(trx, {
        kind: 'help_request_expired',
        recipientUserId: r.asker_id,
        recipientEmail: r.email,
        locale: r.locale,
        payload: { name: firstName(r.display_name), kind: r.kind, startsAt: r.starts_at?.toISOString() ?? null, weekOf: r.week_of, url: `${context.baseUrl}${localePath(r.locale, `/help-requests/${r.id}`)}` },
        aboutUserId: null,
      });
    }
    return rows.length;
  });
}

/**
 * Open requests nobody took by the day before go to the coordinators, each request once.
 * "The day before" is, for a set time, less than 24 hours ahead. A request for "any time this
 * week" has no day before; it is due on the Thursday of its week: by then a helper who reads
 * the list early in the week has had three days, and Thursday and Friday are working days on
 * which a coordinator can still ring round before the weekend ends the week.
 */
export async function escalateHelpRequests(db: Kysely<Database>, context: HelpRequestJobContext, now = new Date()): Promise<number> {
  const thursdayMonday = townDate(context.timeZone, now, -3);
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('help_request')
      .select(['id', 'kind', 'starts_at', weekOf, 'languages'])
      .where('status', '=', 'open')
      .where('escalated_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('starts_at', '>', now), eb('starts_at', '<', new Date(now.getTime() + DAY_MS))]),
          eb('week_of', '<=', sql<string>`${thursdayMonday}::date`),
        ]),
      )
      .orderBy(sql`coalesce(starts_at, week_of::timestamptz)`)
      .orderBy('id')
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return 0;
    await trx
      .updateTable('help_request')
      .set({ escalated_at: now })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    for (const coordinator of await coordinators(trx)) {
      await enqueueMessage(trx, {
        kind: 'help_requests_unanswered',
        recipientUserId: coordinator.id,
        recipientEmail: coordinator.email,
        locale: coordinator.locale,
        payload: {
          name: firstName(coordinator.display_name),
          url: `${context.baseUrl}${localePath(coordinator.locale, '/coordinate/help-requests')}`,
          requests: rows.map((r) => ({
            kind: r.kind,
            startsAt: r.starts_at?.toISOString() ?? null,
            weekOf: r.week_of,
            languages: r.languages,
            url: `${context.baseUrl}${localePath(coordinator.locale, `/help-requests/${r.id}`)}`,
          })),
        },
        aboutUserId: null,
      });
    }
    return rows.length;
  });
}

async function coordinators(trx: Transaction<Database>): Promise<{ id: number; email: string | null; display_name: string; locale: Locale }[]> {
  return trx
    .selectFrom('app_user')
    .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale'])
    .where('app_user.id', 'in', (eb) => eb.selectFrom('membership').select('user_id').where('role', '=', 'coordinator'))
    .orderBy('app_user.id')
    .execute();
}

/** Both, expiry first: a request whose time has passed is expired, not escalated. */
export async function runHelpRequestJobs(db: Kysely<Database>, context: HelpRequestJobContext, now = new Date()): Promise<{ expired: number; escalated: number }> {
  const expired = await expireHelpRequests(db, context, now);
  const escalated = await escalateHelpRequests(db, context, now);
  return { expired, escalated };
}
