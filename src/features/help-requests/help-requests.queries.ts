// Reads for the help-request pages. The public list selects only the minimum (kind, day,
// district, languages, needs): the asker, the address and the note are not even read for it.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HelpRequestStatus } from '../../db/schema-help-requests.ts';
import { firstName } from '../accounts/first-name.ts';
import { isCoordinator } from '../access/access.ts';
import { actsForAsker, assertCoordinator, helpRequestRole, mayFinish, mayHandBack, mayThank, mayWithdraw, seesContacts, type HelpRequestRole } from './help-requests.access.ts';
import { mondayOf } from './help-requests.service.ts';
import type { HelpKind } from './help-requests.schema.ts';
import { zonedParts, zonedTimeToInstant } from '../../i18n/format.ts';

type Person = { id: number } | null | undefined;

/** What anyone may see of a request. */
export interface PublicHelpRequest {
  id: number;
  kind: HelpKind;
  startsAt: Date | null;
  /** "2026-12-07" for "any time in the week of". */
  weekOf: string | null;
  district: string;
  languages: string[];
  wantsWoman: boolean;
  needsCar: boolean;
  needsChildSeat: boolean;
}

const weekOf = sql<string | null>`to_char(week_of, 'YYYY-MM-DD')`.as('week_of');
const PUBLIC_COLUMNS = ['id', 'kind', 'starts_at', 'district', 'languages', 'wants_woman', 'needs_car', 'needs_child_seat'] as const;

function toPublic(row: { id: number; kind: string; starts_at: Date | null; week_of: string | null; district: string; languages: string[]; wants_woman: boolean; needs_car: boolean; needs_child_seat: boolean }): PublicHelpRequest {
  return {
    id: row.id,
    kind: row.kind as HelpKind,
    startsAt: row.starts_at,
    weekOf: row.week_of,
    district: row.district,
    languages: row.languages,
    wantsWoman: row.wants_woman,
    needsCar: row.needs_car,
    needsChildSeat: row.needs_child_seat,
  };
}

/** Open requests still ahead (a set time not yet passed, or this week's or a later week's),
 * soonest first, minimum columns only. */
export async function listOpenRequests(db: Kysely<Database>, now: Date, timeZone: string, limit = 50): Promise<PublicHelpRequest[]> {
  const rows = await db
    .selectFrom('help_request')
    .select([...PUBLIC_COLUMNS, weekOf])
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('starts_at', '>', now), eb('week_of', '>=', sql<string>`${mondayOf(timeZone, now)}::date`)]))
    .orderBy(sql`coalesce(starts_at, week_of::timestamptz)`)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toPublic);
}

export interface OwnHelpRequest extends PublicHelpRequest {
  status: HelpRequestStatus;
  /** The other side's first name: the helper for the asker, the asker for the helper. */
  otherFirstName: string | null;
}

/** The person's own requests, the ones they took, and the ones they posted for a newcomer they
 * still speak for (see speaksFor in help-requests.access.ts), newest first. */
export async function listMyRequests(db: Kysely<Database>, userId: number): Promise<{ asked: OwnHelpRequest[]; helping: OwnHelpRequest[]; posted: PostedHelpRequest[] }> {
  const coordinator = await isCoordinator(db, userId);
  const rows = await db
    .selectFrom('help_request')
    .leftJoin('app_user as helper', 'helper.id', 'help_request.helper_user_id')
    .innerJoin('app_user as asker', 'asker.id', 'help_request.asker_user_id')
    .select([
      'help_request.id',
      'help_request.kind',
      'help_request.starts_at',
      sql<string | null>`to_char(help_request.week_of, 'YYYY-MM-DD')`.as('week_of'),
      'help_request.district',
      'help_request.languages',
      'help_request.wants_woman',
      'help_request.needs_car',
      'help_request.needs_child_seat',
      'help_request.status',
      'help_request.asker_user_id',
      'help_request.helper_user_id',
      'help_request.posted_by_user_id',
      'helper.display_name as helper_name',
      'asker.display_name as asker_name',
    ])
    .where((eb) =>
      eb.or([
        eb('help_request.asker_user_id', '=', userId),
        eb.and([eb('help_request.helper_user_id', '=', userId), eb('help_request.status', 'in', ['taken', 'done', 'did_not_happen'])]),
        eb.and([
          eb('help_request.posted_by_user_id', '=', userId),
          coordinator
            ? eb.lit(true)
            : eb.exists(
                eb
                  .selectFrom('mentorship')
                  .select('mentorship.id')
                  .where('mentorship.kuemmerer_user_id', '=', userId)
                  .whereRef('mentorship.newcomer_user_id', '=', 'help_request.asker_user_id')
                  .where('mentorship.status', '=', 'active'),
              ),
        ]),
      ]),
    )
    .orderBy('help_request.id', 'desc')
    .execute();
  const hasHelper = (status: HelpRequestStatus) => status !== 'open' && status !== 'withdrawn' && status !== 'expired';
  const own = (r: (typeof rows)[number], other: string | null): OwnHelpRequest => ({ ...toPublic(r), status: r.status, otherFirstName: other ? firstName(other) : null });
  return {
    asked: rows.filter((r) => r.asker_user_id === userId).map((r) => own(r, hasHelper(r.status) ? r.helper_name : null)),
    helping: rows.filter((r) => r.helper_user_id === userId && hasHelper(r.status)).map((r) => own(r, r.asker_name)),
    posted: rows
      .filter((r) => r.posted_by_user_id === userId && r.asker_user_id !== userId)
      .map((r) => ({ ...own(r, hasHelper(r.status) ? r.helper_name : null), forFirstName: firstName(r.asker_name) })),
  };
}

/** A request the person posted for someone else: whom it is for, by first name. */
export interface PostedHelpRequest extends OwnHelpRequest {
  forFirstName: string;
}

/**
 * Whom the person may post a request for, besides themselves: a Kümmerer their newcomers in a
 * running mentorship; a coordinator every newcomer — everyone who asked for a Kümmerer or whom
 * the coordination registered (and whoever a ?for= link names). Empty for everyone else (the
 * form then shows no choice).
 */
export async function listPostableFor(db: Kysely<Database>, userId: number, chosen: number | null = null): Promise<{ coordinator: boolean; people: { id: number; name: string }[] }> {
  if (await isCoordinator(db, userId)) {
    const people = await db
      .selectFrom('app_user')
      .select(['app_user.id', 'app_user.display_name as name'])
      .where('app_user.id', '!=', userId)
      .where((eb) =>
        eb.or([
          eb('app_user.registered_by_coordination', '=', true),
          eb.exists(eb.selectFrom('mentoring_request').select('mentoring_request.id').whereRef('mentoring_request.newcomer_user_id', '=', 'app_user.id')),
        ]),
      )
      .orderBy('app_user.display_name')
      .orderBy('app_user.id')
      .limit(500)
      .execute();
    // A coordinator may ask for anyone: someone chosen by a link (?for=) is offered even when
    // the coordination does not know them as a newcomer yet.
    if (chosen !== null && chosen !== userId && !people.some((p) => p.id === chosen)) {
      const person = await db.selectFrom('app_user').select(['id', 'display_name as name']).where('id', '=', chosen).executeTakeFirst();
      if (person) people.unshift(person);
    }
    return { coordinator: true, people };
  }
  const people = await db
    .selectFrom('mentorship')
    .innerJoin('app_user', 'app_user.id', 'mentorship.newcomer_user_id')
    .select(['app_user.id', 'app_user.display_name as name'])
    .where('mentorship.kuemmerer_user_id', '=', userId)
    .where('mentorship.status', '=', 'active')
    .orderBy('app_user.display_name')
    .execute();
  return { coordinator: false, people };
}

/** What the helper shared the last time they took a request, to fill the take form with. */
export async function lastSharedContact(db: Kysely<Database>, userId: number): Promise<string> {
  const row = await db
    .selectFrom('help_request')
    .select('helper_contact')
    .where('helper_user_id', '=', userId)
    .where('helper_contact', '!=', '')
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.helper_contact ?? '';
}

export interface HelpRequestView extends OwnHelpRequest {
  role: HelpRequestRole;
  address: string;
  note: string;
  askerFirstName: string;
  helperFirstName: string | null;
  minutesSpent: number | null;
  /** The other side's shared contacts: only once taken (seesContacts), '' otherwise. */
  askerContact: string;
  helperContact: string;
  /** Whoever posted it on the asker's behalf, by first name; null when the asker did. */
  posterFirstName: string | null;
  thankedAt: Date | null;
  thanksMessage: string;
  escalated: boolean;
  /** Which forms the page offers. */
  may: { withdraw: boolean; handBack: boolean; finish: boolean; thank: boolean };
}

/** The whole request for those who may see it (helpRequestRole); anyone else: NotFoundError. */
export async function getRequestView(db: Kysely<Database>, user: Person, requestId: number): Promise<HelpRequestView> {
  const role = await helpRequestRole(db, user, requestId);
  const r = await db
    .selectFrom('help_request')
    .leftJoin('app_user as helper', 'helper.id', 'help_request.helper_user_id')
    .innerJoin('app_user as asker', 'asker.id', 'help_request.asker_user_id')
    .leftJoin('app_user as poster', 'poster.id', 'help_request.posted_by_user_id')
    .select([
      'help_request.id',
      'help_request.kind',
      'help_request.starts_at',
      sql<string | null>`to_char(help_request.week_of, 'YYYY-MM-DD')`.as('week_of'),
      'help_request.district',
      'help_request.address',
      'help_request.note',
      'help_request.languages',
      'help_request.wants_woman',
      'help_request.needs_car',
      'help_request.needs_child_seat',
      'help_request.status',
      'help_request.minutes_spent',
      'help_request.asker_contact',
      'help_request.helper_contact',
      'help_request.thanked_at',
      'help_request.thanks_message',
      'help_request.escalated_at',
      'helper.display_name as helper_name',
      'asker.display_name as asker_name',
      'poster.display_name as poster_name',
    ])
    .where('help_request.id', '=', requestId)
    .executeTakeFirstOrThrow();
  const helperFirstName = r.helper_name ? firstName(r.helper_name) : null;
  const askerFirstName = firstName(r.asker_name);
  return {
    ...toPublic(r),
    role,
    status: r.status,
    otherFirstName: role === 'helper' ? askerFirstName : helperFirstName,
    address: r.address,
    note: r.note,
    askerFirstName,
    helperFirstName,
    minutesSpent: r.minutes_spent,
    // The asker's side sees what it shared itself all along; the others once it is taken.
    askerContact: seesContacts(r.status) || actsForAsker(role) ? r.asker_contact : '',
    helperContact: seesContacts(r.status) ? r.helper_contact : '',
    posterFirstName: r.poster_name ? firstName(r.poster_name) : null,
    thankedAt: r.thanked_at,
    thanksMessage: r.thanks_message,
    escalated: r.escalated_at !== null,
    may: { withdraw: mayWithdraw(role, r.status), handBack: mayHandBack(role, r.status), finish: mayFinish(role, r.status), thank: mayThank(role, r.status, r.thanked_at) },
  };
}

/** The statuses the coordinators' overview counts (withdrawn ones are nobody's concern). */
export const OVERVIEW_STATUSES = ['open', 'taken', 'done', 'did_not_happen', 'expired'] as const;
type OverviewStatus = (typeof OVERVIEW_STATUSES)[number];

export interface OverviewRow {
  key: string;
  /** This month's requests (posted since the 1st, in the town's calendar) by status. */
  month: Record<OverviewStatus, number>;
  /** Every open request, whenever posted. */
  allOpen: number;
}

export interface HelpRequestsOverview {
  byKind: OverviewRow[];
  byLanguage: OverviewRow[];
  /** Languages of open requests that no volunteer profile both speaks and offers help in. */
  missingLanguages: string[];
  open: (PublicHelpRequest & { escalated: boolean })[];
}

function tally(rows: { key: string; status: string; n: number | string | bigint; month: boolean }[]): OverviewRow[] {
  const byKey = new Map<string, OverviewRow>();
  for (const r of rows) {
    const row = byKey.get(r.key) ?? { key: r.key, month: { open: 0, taken: 0, done: 0, did_not_happen: 0, expired: 0 }, allOpen: 0 };
    const n = Number(r.n);
    if (r.month && (OVERVIEW_STATUSES as readonly string[]).includes(r.status)) row.month[r.status as OverviewStatus] += n;
    if (r.status === 'open') row.allOpen += n;
    byKey.set(r.key, row);
  }
  // A kind or language with only withdrawn requests this month has nothing to count.
  const counted = (row: OverviewRow) => row.allOpen + OVERVIEW_STATUSES.reduce((sum, s) => sum + row.month[s], 0) > 0;
  return [...byKey.values()].filter(counted).sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * The coordinators' overview of help requests (coordinators only; NotFoundError otherwise):
 * this month's requests by kind and by language and status, all open ones, the languages for
 * which helpers are missing, and the open requests soonest first. No names, addresses or
 * notes: each request's page has them.
 */
export async function getHelpRequestsOverview(db: Kysely<Database>, user: Person, now: Date, timeZone: string): Promise<HelpRequestsOverview> {
  await assertCoordinator(db, user);
  const p = zonedParts(timeZone, now);
  const monthStart = zonedTimeToInstant(timeZone, p.y, p.m, 1);
  const inMonth = sql<boolean>`help_request.created_at >= ${monthStart}`;
  const kinds = await db
    .selectFrom('help_request')
    .select((eb) => ['kind as key', 'status', inMonth.as('month'), eb.fn.countAll<number>().as('n')])
    .where((eb) => eb.or([eb('status', '=', 'open'), eb('created_at', '>=', monthStart)]))
    .groupBy(['kind', 'status', sql`3`])
    .execute();
  const languages = await sql<{ key: string; status: string; month: boolean; n: number }>`
    select lang as key, status, ${inMonth} as month, count(*) as n
    from help_request cross join unnest(help_request.languages) as lang
    where status = 'open' or created_at >= ${monthStart}
    group by lang, status, 3`.execute(db);
  const missing = await sql<{ lang: string }>`
    select distinct lang from help_request cross join unnest(help_request.languages) as lang
    where help_request.status = 'open'
      and not exists (select 1 from volunteer_profile vp where lang = any(vp.languages) and cardinality(vp.help_kinds) > 0)
    order by lang`.execute(db);
  const open = await db
    .selectFrom('help_request')
    .select([...PUBLIC_COLUMNS, weekOf, 'escalated_at'])
    .where('status', '=', 'open')
    .orderBy(sql`coalesce(starts_at, week_of::timestamptz)`)
    .orderBy('id')
    .limit(200)
    .execute();
  return {
    byKind: tally(kinds),
    byLanguage: tally(languages.rows),
    missingLanguages: missing.rows.map((r) => r.lang),
    open: open.map((r) => ({ ...toPublic(r), escalated: r.escalated_at !== null })),
  };
}

/** A taken request in a personal calendar feed, as its asker or its helper sees it there. */
export interface CalendarHelpRequest {
  id: number;
  kind: HelpKind;
  status: HelpRequestStatus;
  startsAt: Date | null;
  weekOf: string | null;
  district: string;
  /** The other side's first name: the helper in the asker's feed, the asker in the helper's. */
  otherFirstName: string;
  updatedAt: Date;
}

/** Requests the person asked for or helps with, once taken (and after, for the record), not
 * over before `from`. Only what the feed shows is read: no address, no note, no contacts. */
function calendarRequests(db: Kysely<Database>, userId: number, from: Date) {
  return db
    .selectFrom('help_request')
    .where('help_request.status', 'in', ['taken', 'done', 'did_not_happen'])
    .where((eb) => eb.or([eb('help_request.asker_user_id', '=', userId), eb('help_request.helper_user_id', '=', userId)]))
    .where((eb) => eb.or([eb('help_request.starts_at', '>=', new Date(from.getTime() - HELP_EVENT_MS)), eb('help_request.week_of', '>=', sql<string>`(${from.toISOString().slice(0, 10)}::date - 7)`)]));
}

/** How long a request with a set time stands in a calendar: the form asks only when it begins,
 * and an appointment with the way there and back takes about two hours. */
export const HELP_EVENT_MS = 2 * 3600_000;

export async function listHelpRequestsForCalendar(db: Kysely<Database>, userId: number, from: Date): Promise<CalendarHelpRequest[]> {
  const rows = await calendarRequests(db, userId, from)
    .innerJoin('app_user as asker', 'asker.id', 'help_request.asker_user_id')
    .leftJoin('app_user as helper', 'helper.id', 'help_request.helper_user_id')
    .select([
      'help_request.id',
      'help_request.kind',
      'help_request.status',
      'help_request.starts_at',
      sql<string | null>`to_char(help_request.week_of, 'YYYY-MM-DD')`.as('week_of'),
      'help_request.district',
      'help_request.asker_user_id',
      'help_request.updated_at',
      'asker.display_name as asker_name',
      'helper.display_name as helper_name',
    ])
    .orderBy('help_request.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as HelpKind,
    status: r.status,
    startsAt: r.starts_at,
    weekOf: r.week_of,
    district: r.district,
    otherFirstName: firstName((r.asker_user_id === userId ? r.helper_name : r.asker_name) ?? ''),
    updatedAt: r.updated_at,
  }));
}

/** What the feed's version counts of them: a request handed back leaves both feeds (the count
 * and the ids change); a report or thanks moves Last-Modified. */
export async function helpRequestsFingerprint(db: Kysely<Database>, userId: number, from: Date): Promise<{ count: number; lastUpdated: Date | null; key: string }> {
  const row = await calendarRequests(db, userId, from)
    .select([sql<number>`count(*)::int`.as('n'), sql<string>`coalesce(sum(help_request.id), 0)::text`.as('ids'), sql<Date | null>`max(help_request.updated_at)`.as('latest')])
    .executeTakeFirstOrThrow();
  return { count: row.n, lastUpdated: row.latest ? new Date(row.latest) : null, key: row.ids };
}
