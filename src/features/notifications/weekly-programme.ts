// The weekly programme: every Sunday at 17:00 in the town's time zone, each person who switched
// the topic on gets the coming week's (Monday to Sunday) published activities that match their
// interests — the categories they ticked (none: all), only those needing no German, only those
// with childcare — in their language, as one outbox message of kind 'weekly_programme' (which
// routing sends by e-mail, Telegram or both, as they chose).
//
// Sunday evening, because families plan the week the evening before it starts, and a Monday
// morning activity is still ahead; 17:00, because a Telegram message then disturbs nobody.
//
// A week is sent once per person: `programme_subscription.last_sent_week` holds the Monday of
// the last week sent, and each batch of subscribers is claimed with FOR UPDATE SKIP LOCKED and
// marked in the same transaction that writes their messages, so several app servers (or two
// runs at once) never send a week twice. A person who switches the programme on during a week
// gets that week's remaining activities at the next check (every 10 minutes); a server that was
// down on Sunday evening catches up with what is left of the week — until its Sunday, when the
// next week is only hours away and a message about one remaining day would arrive just before
// the next programme. A week in which nothing
// matches a person's interests sends that person nothing (and counts as sent): an empty message
// every week would teach people to stop reading them.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActivityCategory, Database, Locale } from '../../db/schema.ts';
import { listPublishedActivities, needsNoGerman, type ActivityListItem } from '../activities/activities.queries.ts';
import { browseFilterParams } from '../activities/browse-filters.ts';
import { localePath } from '../../i18n/locales.ts';
import { zonedParts, zonedTimeToInstant } from '../../i18n/format.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import type { ProgrammeInterests } from './notifications.queries.ts';
import type { ProgrammeItem } from './notifications.mails.ts';

/** When the programme goes out, in the town's time zone: Sunday (0), 17:00. */
export const PROGRAMME_SENT_AT = { weekday: 0, hour: 17 } as const;

/** At most this many activities in one message; the rest are counted and linked. */
export const PROGRAMME_MAX_ITEMS = 25;

/** A week's activities are read once per language and run; a town has far fewer in a week. */
const WEEK_READ_LIMIT = 2_000;

export const PROGRAMME_CHECK_MS = 10 * 60_000;
export const PROGRAMME_FIRST_CHECK_MS = 15_000;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ProgrammeWeek {
  /** The week's Monday in the town's calendar, "2026-12-14": what last_sent_week records. */
  monday: string;
  /** From when activities are listed: the Monday's midnight, or now when the week has begun. */
  from: Date;
  /** The following Monday's midnight (exclusive). */
  to: Date;
  /** Noon of the first and last day listed, for naming them. */
  firstDay: Date;
  lastDay: Date;
  /** The week's last day has begun: too late to write its programme (the next one is due at
   * 17:00 that day). */
  over: boolean;
}

const isoDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
};

/**
 * The week whose programme is due at `now`: the one starting the Monday after the latest
 * Sunday 17:00 (town time) at or before now. From Sunday 17:00 on, that is the coming week;
 * before it, the current one.
 */
export function dueWeek(now: Date, timeZone: string): ProgrammeWeek {
  const p = zonedParts(timeZone, now);
  const weekday = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
  let daysBack = (weekday - PROGRAMME_SENT_AT.weekday + 7) % 7;
  if (daysBack === 0 && p.h < PROGRAMME_SENT_AT.hour) daysBack = 7;
  // The Monday after that Sunday (counted on, so "the 32nd" is the 1st of the next month).
  const mondayDay = p.d - daysBack + ((1 - PROGRAMME_SENT_AT.weekday + 7) % 7 || 7);
  const monday = zonedTimeToInstant(timeZone, p.y, p.m, mondayDay);
  const to = zonedTimeToInstant(timeZone, p.y, p.m, mondayDay + 7);
  const from = now > monday ? now : monday;
  const first = zonedParts(timeZone, from);
  return {
    monday: isoDate(p.y, p.m, mondayDay),
    from,
    to,
    firstDay: zonedTimeToInstant(timeZone, first.y, first.m, first.d, 12),
    lastDay: zonedTimeToInstant(timeZone, p.y, p.m, mondayDay + 6, 12),
    over: now >= zonedTimeToInstant(timeZone, p.y, p.m, mondayDay + 6),
  };
}

/** Whether an activity belongs in a person's programme. */
export function matchesInterests(activity: Pick<ActivityListItem, 'category' | 'germanLevel' | 'languages' | 'childcare'>, interests: ProgrammeInterests): boolean {
  if (interests.categories.length > 0 && !interests.categories.includes(activity.category)) return false;
  if (interests.noGermanNeeded && !needsNoGerman(activity)) return false;
  if (interests.childcare && !activity.childcare) return false;
  return true;
}

export interface ProgrammeContext {
  /** The portal's public address, for links. */
  baseUrl: string;
  townName: string;
  timeZone: string;
}

/** The browse page listing the week with the filters that page can express (one category at most). */
function weekListUrl(context: ProgrammeContext, locale: Locale, week: ProgrammeWeek, interests: ProgrammeInterests): string {
  const day = (date: Date) => {
    const p = zonedParts(context.timeZone, date);
    return isoDate(p.y, p.m, p.d);
  };
  const params = browseFilterParams({
    when: 'dates',
    from: day(week.from),
    to: day(new Date(week.to.getTime() - DAY_MS / 2)),
    ...(interests.categories.length === 1 ? { category: interests.categories[0] } : {}),
    ...(interests.noGermanNeeded ? { noGermanNeeded: true } : {}),
    ...(interests.childcare ? { childcare: true } : {}),
  });
  return `${context.baseUrl}${localePath(locale, '/activities')}?${params}`;
}

function programmeItem(context: ProgrammeContext, locale: Locale, activity: ActivityListItem): ProgrammeItem {
  return {
    id: activity.id,
    title: activity.title,
    category: activity.category,
    startsAt: activity.startsAt.toISOString(),
    endsAt: activity.endsAt.toISOString(),
    place: activity.placeName,
    online: activity.online,
    noGermanNeeded: needsNoGerman(activity),
    childcare: activity.childcare,
    url: `${context.baseUrl}${localePath(locale, `/activities/${activity.id}`)}`,
  };
}

interface Subscriber {
  user_id: number;
  email: string | null;
  display_name: string;
  locale: Locale;
  categories: string[];
  no_german_needed: boolean;
  childcare: boolean;
}

/** Claims up to `batch` people whose programme for the week is still to be written. */
function claimSubscribers(trx: Transaction<Database>, monday: string, batch: number): Promise<Subscriber[]> {
  return trx
    .selectFrom('programme_subscription')
    .innerJoin('app_user', 'app_user.id', 'programme_subscription.user_id')
    .select([
      'programme_subscription.user_id',
      'app_user.email',
      'app_user.display_name',
      'app_user.locale',
      'programme_subscription.categories',
      'programme_subscription.no_german_needed',
      'programme_subscription.childcare',
    ])
    .where((eb) => eb.or([eb('programme_subscription.last_sent_week', 'is', null), eb('programme_subscription.last_sent_week', '<', sql<string>`${monday}::date`)]))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('notification_setting')
          .select('notification_setting.user_id')
          .whereRef('notification_setting.user_id', '=', 'programme_subscription.user_id')
          .where('notification_setting.topic', '=', 'weekly_programme')
          .where((inner) => inner.or([inner('notification_setting.email', '=', true), inner('notification_setting.telegram', '=', true)])),
      ),
    )
    .orderBy('programme_subscription.user_id')
    .limit(batch)
    .forUpdate('programme_subscription')
    .skipLocked()
    .execute();
}

/**
 * Writes the due week's programme for everyone still waiting for it, in batches; returns how
 * many messages were written (people with nothing matching, or no channel, get none).
 */
export async function writeWeeklyProgrammes(db: Kysely<Database>, context: ProgrammeContext, now = new Date(), batch = 100): Promise<number> {
  const week = dueWeek(now, context.timeZone);
  if (week.over) return 0;
  const weekInLanguage = new Map<Locale, ActivityListItem[]>();
  let written = 0;
  for (;;) {
    const claimed = await db.transaction().execute(async (trx) => {
      const subscribers = await claimSubscribers(trx, week.monday, batch);
      for (const person of subscribers) {
        let activities = weekInLanguage.get(person.locale);
        if (!activities) {
          // Read in the transaction: the embedded database has one connection.
          activities = await listPublishedActivities(trx, { locale: person.locale, from: week.from, to: week.to, limit: WEEK_READ_LIMIT });
          weekInLanguage.set(person.locale, activities);
        }
        const interests: ProgrammeInterests = { categories: person.categories as ActivityCategory[], noGermanNeeded: person.no_german_needed, childcare: person.childcare };
        const matching = activities.filter((a) => matchesInterests(a, interests));
        if (matching.length === 0) continue;
        const id = await enqueueMessage(trx, {
          kind: 'weekly_programme',
          recipientUserId: person.user_id,
          recipientEmail: person.email,
          locale: person.locale,
          payload: {
            name: person.display_name,
            town: context.townName,
            week: week.monday,
            firstDay: week.firstDay.toISOString(),
            lastDay: week.lastDay.toISOString(),
            interests,
            activities: matching.slice(0, PROGRAMME_MAX_ITEMS).map((a) => programmeItem(context, person.locale, a)),
            more: Math.max(0, matching.length - PROGRAMME_MAX_ITEMS),
            listUrl: weekListUrl(context, person.locale, week, interests),
            url: `${context.baseUrl}${localePath(person.locale, '/account/notifications')}`,
          },
        });
        if (id !== null) written++;
      }
      if (subscribers.length > 0) {
        await trx
          .updateTable('programme_subscription')
          .set({ last_sent_week: week.monday })
          .where('user_id', 'in', subscribers.map((s) => s.user_id))
          .execute();
      }
      return subscribers.length;
    });
    if (claimed < batch) return written;
  }
}

export interface ProgrammeSchedule {
  stop(): Promise<void>;
}

/**
 * Checks soon after the server starts, then every PROGRAMME_CHECK_MS, whether a week's
 * programme is still to write, and writes it. The timers never keep the process alive.
 */
export function startWeeklyProgrammeSchedule(
  db: Kysely<Database>,
  options: ProgrammeContext & { firstCheckMs?: number; checkEveryMs?: number; onError?: (error: unknown) => void },
): ProgrammeSchedule {
  let stopped = false;
  let current: Promise<unknown> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const check = () => {
    current = writeWeeklyProgrammes(db, options)
      .then((written) => written > 0 && console.log(`[weekly programme] ${written} written`))
      .catch((error: unknown) => (options.onError ?? ((e) => console.warn(`[weekly programme] ${e instanceof Error ? e.message : e}`)))(error))
      .finally(() => {
        current = null;
        schedule(options.checkEveryMs ?? PROGRAMME_CHECK_MS);
      });
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(check, ms);
    timer.unref();
  };
  schedule(options.firstCheckMs ?? PROGRAMME_FIRST_CHECK_MS);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
