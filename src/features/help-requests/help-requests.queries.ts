// Reads for the help-request pages. The public list selects only the minimum (kind, day,
// district, languages, needs): the asker, the address and the note are not even read for it.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HelpRequestStatus } from '../../db/schema-help-requests.ts';
import { firstName } from '../accounts/first-name.ts';
import { helpRequestRole, mayFinish, mayHandBack, mayWithdraw, type HelpRequestRole } from './help-requests.access.ts';
import { mondayOf } from './help-requests.service.ts';
import type { HelpKind } from './help-requests.schema.ts';

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

/** The person's own requests and the ones they took, newest first. */
export async function listMyRequests(db: Kysely<Database>, userId: number): Promise<{ asked: OwnHelpRequest[]; helping: OwnHelpRequest[] }> {
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
      'helper.display_name as helper_name',
      'asker.display_name as asker_name',
    ])
    .where((eb) => eb.or([eb('help_request.asker_user_id', '=', userId), eb.and([eb('help_request.helper_user_id', '=', userId), eb('help_request.status', 'in', ['taken', 'done', 'did_not_happen'])])]))
    .orderBy('help_request.id', 'desc')
    .execute();
  const own = (r: (typeof rows)[number], other: string | null): OwnHelpRequest => ({ ...toPublic(r), status: r.status, otherFirstName: other ? firstName(other) : null });
  return {
    asked: rows.filter((r) => r.asker_user_id === userId).map((r) => own(r, r.status === 'open' || r.status === 'withdrawn' ? null : r.helper_name)),
    helping: rows.filter((r) => r.helper_user_id === userId).map((r) => own(r, r.asker_name)),
  };
}

export interface HelpRequestView extends OwnHelpRequest {
  role: HelpRequestRole;
  address: string;
  note: string;
  askerFirstName: string;
  helperFirstName: string | null;
  minutesSpent: number | null;
  /** Which forms the page offers. */
  may: { withdraw: boolean; handBack: boolean; finish: boolean };
}

/** The whole request for those who may see it (helpRequestRole); anyone else: NotFoundError. */
export async function getRequestView(db: Kysely<Database>, user: Person, requestId: number): Promise<HelpRequestView> {
  const role = await helpRequestRole(db, user, requestId);
  const r = await db
    .selectFrom('help_request')
    .leftJoin('app_user as helper', 'helper.id', 'help_request.helper_user_id')
    .innerJoin('app_user as asker', 'asker.id', 'help_request.asker_user_id')
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
      'helper.display_name as helper_name',
      'asker.display_name as asker_name',
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
    may: { withdraw: mayWithdraw(role, r.status), handBack: mayHandBack(role, r.status), finish: mayFinish(role, r.status) },
  };
}
