// The door: the organiser's list of who is coming, one-tap check-in (of the whole party or of
// those who came), walk-ins without an account, no-shows, the waitlist in order with a manual
// promote, the CSV export and attendance per month. The states and how people are counted
// live in attendance.counting.ts. Only members of the activity's organisation see names;
// everyone else gets "not found".
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Activity, ActivityCategory, Database, RsvpTable } from '../../db/schema.ts';
import { formatShortDateTime, zonedDateInput, zonedTimeToInstant } from '../../i18n/format.ts';
import type { Translator } from '../../i18n/index.ts';
import type { FormMessage } from '../../lib/form-state.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { assertMember } from '../activities/activities.service.ts';
import { recordAudit } from '../audit/audit.ts';
import { tellPromoted, type RsvpContext } from '../rsvps/rsvps.service.ts';
import { countDoor, doorState, peopleHere, planDoorChange, seatsHeldAtTheDoor, type DoorCounts, type DoorFacts, type DoorState } from './attendance.counting.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A going party as the door shows it. Plain data: the door's island receives it too. */
export interface DoorRow {
  rsvpId: number;
  /** Empty for an anonymous row (anonymous). */
  name: string;
  /** Kept after its person deleted their account, or anonymised by retention: it names nobody
   * but still counts. Pages show it as "Anonymous". */
  anonymous: boolean;
  walkIn: boolean;
  partySize: number;
  note: string;
  state: DoorState;
  /** People of the party who came; null unless checked in. */
  arrived: number | null;
  /** When the person answered "I'm coming" to a reminder (a one-tap link or Telegram); null
   * until then, and always for a walk-in. */
  confirmedAt: Date | null;
}

export interface WaitingParty {
  rsvpId: number;
  /** Empty for an anonymous row (see DoorRow). */
  name: string;
  anonymous: boolean;
  partySize: number;
  note: string;
  /** 1 for the first party waiting. */
  position: number;
}

export interface AttendeeList {
  activity: Activity;
  /** Going parties by name, walk-ins among them. */
  going: DoorRow[];
  waitlist: WaitingParty[];
  counts: DoorCounts;
  /** Going parties with an account (those a reminder reaches), and how many of them answered
   * "I'm coming". */
  confirmations: { confirmed: number; of: number };
}

type RsvpRow = Pick<Selectable<RsvpTable>, 'id' | 'walk_in_name' | 'party_size' | 'note' | 'checked_in_count' | 'no_show' | 'confirmed_at'> & { display_name: string | null };

function factsOf(row: Pick<RsvpRow, 'party_size' | 'checked_in_count' | 'no_show' | 'walk_in_name'>): DoorFacts {
  return { partySize: row.party_size, arrived: row.checked_in_count, noShow: row.no_show, walkIn: row.walk_in_name !== null };
}

/** A row with neither an account nor a walk-in name: an anonymised one (rsvp.anonymised_at). */
const isAnonymous = (row: Pick<RsvpRow, 'walk_in_name' | 'display_name'>) => row.walk_in_name === null && row.display_name === null;

function doorRow(row: RsvpRow): DoorRow {
  const facts = factsOf(row);
  return {
    rsvpId: row.id,
    name: row.walk_in_name ?? row.display_name ?? '',
    anonymous: isAnonymous(row),
    walkIn: facts.walkIn,
    partySize: row.party_size,
    note: row.note,
    state: doorState(facts),
    arrived: facts.arrived,
    confirmedAt: row.confirmed_at,
  };
}

function rsvpRows(db: Db) {
  return db
    .selectFrom('rsvp')
    .leftJoin('app_user', 'app_user.id', 'rsvp.user_id')
    .select(['rsvp.id', 'rsvp.user_id', 'rsvp.walk_in_name', 'app_user.display_name', 'rsvp.party_size', 'rsvp.note', 'rsvp.status', 'rsvp.checked_in_at', 'rsvp.checked_in_count', 'rsvp.no_show', 'rsvp.confirmed_at']);
}

/** By name, anonymous rows last. */
const byName = (a: { name: string; anonymous: boolean }, b: { name: string; anonymous: boolean }) => Number(a.anonymous) - Number(b.anonymous) || a.name.localeCompare(b.name);

export async function listAttendees(db: Kysely<Database>, actor: SessionUser | null, activityId: number): Promise<AttendeeList> {
  const activity = await db.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirst();
  if (!activity) throw new NotFoundError('activity');
  await assertMember(db, actor, activity.organisation_id);
  const rows = await rsvpRows(db).where('rsvp.activity_id', '=', activityId).where('rsvp.status', '<>', 'cancelled').orderBy('rsvp.id').execute();
  const goingRows = rows.filter((r) => r.status === 'going');
  const going = goingRows.map(doorRow).sort(byName);
  const waitlist = rows
    .filter((r) => r.status === 'waitlisted')
    .map((r, i): WaitingParty => ({ rsvpId: r.id, name: r.display_name ?? '', anonymous: isAnonymous(r), partySize: r.party_size, note: r.note, position: i + 1 }));
  const withAccount = goingRows.filter((r) => r.user_id !== null);
  return {
    activity,
    going,
    waitlist,
    counts: countDoor(goingRows.map(factsOf)),
    confirmations: { confirmed: withAccount.filter((r) => r.confirmed_at !== null).length, of: withAccount.length },
  };
}

/**
 * The activity, locked, and the RSVP as it is under that lock, when the actor may run this
 * activity's door and the RSVP is still `status`. The RSVP is read again after the lock (as
 * lockOwnRsvp does): a party that cancelled while the organiser tapped is gone, never set back
 * to going or checked in.
 */
async function lockForDoor(trx: Transaction<Database>, actor: SessionUser | null, rsvpId: number, status: 'going' | 'waitlisted') {
  const found = await trx.selectFrom('rsvp').select('activity_id').where('id', '=', rsvpId).where('status', '<>', 'cancelled').executeTakeFirst();
  if (!found) throw new NotFoundError('rsvp');
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', found.activity_id).forUpdate().executeTakeFirstOrThrow();
  await assertMember(trx, actor, activity.organisation_id);
  const rsvp = await rsvpRows(trx).where('rsvp.id', '=', rsvpId).executeTakeFirstOrThrow();
  if (rsvp.status !== status) throw new NotFoundError(`not ${status}`);
  return { rsvp, activity };
}

/** What the door knows of each going party of the activity. */
async function goingFacts(db: Db, activityId: number): Promise<DoorFacts[]> {
  const rows = await db
    .selectFrom('rsvp')
    .select(['party_size', 'checked_in_count', 'no_show', 'walk_in_name'])
    .where('activity_id', '=', activityId)
    .where('status', '=', 'going')
    .execute();
  return rows.map(factsOf);
}

/** The counts of an activity's door, as the page's counters show them. */
async function doorCounts(db: Db, activityId: number): Promise<DoorCounts> {
  return countDoor(await goingFacts(db, activityId));
}

export type DoorChange =
  | { ok: true; row: DoorRow | null; counts: DoorCounts }
  /** Refused from the party's current state, which `row` shows. */
  | { ok: false; refusal: FormMessage; row: DoorRow; counts: DoorCounts };

/**
 * Records what happened at the door for one going party: checked in (all of the party, or
 * `arrived` of them), no-show, or back to expected ("undo"). A change that would give the
 * party seats that are no longer free (a no-show coming after all, once a walk-in has the
 * seat) is refused, as is a no-show on a party that is checked in.
 */
export async function recordAtTheDoor(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { rsvpId: number; to: DoorState; arrived?: number | undefined },
  now = new Date(),
): Promise<DoorChange> {
  return db.transaction().execute(async (trx): Promise<DoorChange> => {
    const { rsvp: current, activity } = await lockForDoor(trx, actor, input.rsvpId, 'going');
    const facts = factsOf(current);
    const plan = planDoorChange(facts, input.to, input.arrived);
    const refuse = async (refusal: FormMessage): Promise<DoorChange> => ({ ok: false, refusal, row: doorRow(current), counts: await doorCounts(trx, activity.id) });
    if (plan.kind === 'refused') return refuse({ key: plan.reason, count: current.party_size, params: { name: doorRow(current).name } });
    if (plan.kind === 'remove') {
      await trx.updateTable('rsvp').set({ status: 'cancelled', updated_at: now }).where('id', '=', current.id).execute();
      return { ok: true, row: null, counts: await doorCounts(trx, activity.id) };
    }
    if (plan.kind === 'set') {
      const growth = seatsHeldAtTheDoor({ ...facts, arrived: plan.arrived, noShow: plan.noShow }) - seatsHeldAtTheDoor(facts);
      if (growth > 0) {
        const free = await freeAtTheDoor(trx, activity);
        if (growth > free) return refuse({ key: 'rsvp.error.noRoomForMore', count: Math.max(0, free) });
      }
      await trx
        .updateTable('rsvp')
        .set({
          checked_in_at: plan.arrived === null ? null : (current.checked_in_at ?? now),
          checked_in_count: plan.arrived,
          no_show: plan.noShow,
          updated_at: now,
        })
        .where('id', '=', current.id)
        .execute();
    }
    const after = await rsvpRows(trx).where('rsvp.id', '=', current.id).executeTakeFirstOrThrow();
    return { ok: true, row: doorRow(after), counts: await doorCounts(trx, activity.id) };
  });
}

export type DoorResult = { ok: true; rsvpId: number } | { ok: false; refusal: { key: 'rsvp.error.noRoomForMore'; count: number } };

/**
 * Seats the organiser can still give at the door: those of no-shows, and of the members of a
 * checked-in party who did not come, are free (seatsHeldAtTheDoor).
 */
async function freeAtTheDoor(trx: Transaction<Database>, activity: Activity): Promise<number> {
  if (activity.capacity === null) return Number.POSITIVE_INFINITY;
  const parties = await goingFacts(trx, activity.id);
  return activity.capacity - parties.reduce((sum, party) => sum + seatsHeldAtTheDoor(party), 0);
}

/** Someone without an account at the door: a name and a party size, checked in at once. */
export async function addWalkIn(
  db: Kysely<Database>,
  actor: SessionUser | null,
  activityId: number,
  input: { name: string; partySize: number },
  now = new Date(),
): Promise<DoorResult> {
  return db.transaction().execute(async (trx) => {
    const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).forUpdate().executeTakeFirst();
    if (!activity || activity.status === 'draft') throw new NotFoundError('activity');
    const member = await assertMember(trx, actor, activity.organisation_id);
    const free = await freeAtTheDoor(trx, activity);
    if (input.partySize > free) return { ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: Math.max(0, free) } } as const;
    const row = await trx
      .insertInto('rsvp')
      .values({
        activity_id: activityId,
        user_id: null,
        walk_in_name: input.name,
        party_size: input.partySize,
        status: 'going',
        checked_in_at: now,
        checked_in_count: input.partySize,
        created_by: member.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ok: true, rsvpId: row.id } as const;
  });
}

/** The organiser lets a waiting party in, into seats that are free or held by no-shows. */
export async function promoteManually(db: Kysely<Database>, actor: SessionUser | null, rsvpId: number, context: RsvpContext, now = new Date()): Promise<DoorResult> {
  return db.transaction().execute(async (trx) => {
    const { rsvp, activity } = await lockForDoor(trx, actor, rsvpId, 'waitlisted');
    const free = await freeAtTheDoor(trx, activity);
    if (rsvp.party_size > free) return { ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: Math.max(0, free) } } as const;
    await trx.updateTable('rsvp').set({ status: 'going', updated_at: now }).where('id', '=', rsvpId).execute();
    if (rsvp.user_id !== null) await tellPromoted(trx, rsvp.user_id, rsvp, activity, context, now);
    return { ok: true, rsvpId } as const;
  });
}

/**
 * RFC 4180 CSV, UTF-8 with a byte-order mark so that Excel shows umlauts and Arabic. A cell
 * that starts with = + - @, a tab or a carriage return is prefixed with ' so that no
 * spreadsheet runs it as a formula. The separator is a comma unless asked otherwise: German
 * Excel opens a file by double-click only when it is a semicolon (the deployment list).
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>, separator: ',' | ';' = ','): string {
  const cell = (value: string | number) => {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /["\r\n]/.test(text) || text.includes(separator) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(separator)).join('\r\n')}\r\n`;
}

export interface CsvLabels {
  header: string[];
  going: string;
  waitlisted: string;
  walkIn: string;
  /** The name of a row that names nobody. */
  anonymous: string;
  state: Record<DoorState, string>;
  /** When a party answered "I'm coming" to the reminder, in the town's time. */
  confirmedAt: (at: Date) => string;
}

/** The CSV's words in the reader's language, its times in the town's zone. */
export function csvLabels(t: Translator, timeZone: string): CsvLabels {
  return {
    header: [t('attendees.csv.name'), t('attendees.csv.party'), t('attendees.csv.status'), t('attendees.csv.position'), t('door.csv.confirmed'), t('door.csv.door'), t('door.csv.arrived'), t('attendees.csv.note')],
    going: t('my.statusGoing'),
    waitlisted: t('my.statusWaitlisted'),
    walkIn: t('attendees.walkIn'),
    anonymous: t('erasure.anonymous'),
    state: { expected: t('door.state.expected'), checkedIn: t('door.state.checkedIn'), noShow: t('door.state.noShow') },
    confirmedAt: (at) => formatShortDateTime(t.locale, timeZone, at),
  };
}

/**
 * One row per party: going ones by name, then the waitlist in order. "Checked in" holds the
 * people of the party who came (peopleHere), so the column adds up to the door's counter.
 */
export async function exportAttendeesCsv(db: Kysely<Database>, actor: SessionUser | null, activityId: number, labels: CsvLabels): Promise<{ filename: string; csv: string }> {
  const list = await listAttendees(db, actor, activityId);
  await recordAudit(db, { actorUserId: actor?.id ?? null, action: 'attendees.exported', objectType: 'activity', objectId: activityId });
  const rows = [
    ...list.going.map((a) => [a.anonymous ? labels.anonymous : a.name, a.partySize, a.walkIn ? labels.walkIn : labels.going, '', a.confirmedAt ? labels.confirmedAt(a.confirmedAt) : '', labels.state[a.state], peopleHere(a), a.note]),
    ...list.waitlist.map((a) => [a.anonymous ? labels.anonymous : a.name, a.partySize, labels.waitlisted, a.position, '', '', '', a.note]),
  ];
  const slug = list.activity.title.normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 40) || 'activity';
  return { filename: `${slug}-${activityId}.csv`, csv: toCsv([labels.header, ...rows]) };
}

export interface AttendanceMonth {
  /** "2026-03" in the town's zone. */
  month: string;
  total: number;
  byCategory: Partial<Record<ActivityCategory, number>>;
}

/**
 * People checked in (peopleHere) per month of the activity's date, in the town's zone, and
 * category over the last 12 months up to the current one, oldest first, empty months included
 * so that a chart shows the gaps. The current month is whole: tonight's activity counts as soon
 * as its first guests are checked in, before it starts.
 */
export async function attendanceByMonth(
  db: Kysely<Database>,
  actor: SessionUser | null,
  organisationId: number,
  timeZone: string,
  now = new Date(),
): Promise<AttendanceMonth[]> {
  await assertMember(db, actor, organisationId);
  const months: AttendanceMonth[] = [];
  const current = zonedDateInput(timeZone, now).slice(0, 7);
  let [year, month] = current.split('-').map(Number) as [number, number];
  for (let i = 0; i < 12; i++) {
    months.unshift({ month: `${year}-${String(month).padStart(2, '0')}`, total: 0, byCategory: {} });
    month -= 1;
    if (month === 0) [year, month] = [year - 1, 12];
  }
  const [firstYear, firstMonth] = months[0]!.month.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = months.at(-1)!.month.split('-').map(Number) as [number, number];
  const since = zonedTimeToInstant(timeZone, firstYear, firstMonth, 1);
  // Date.UTC carries month 13 over into January.
  const until = zonedTimeToInstant(timeZone, lastYear, lastMonth + 1, 1);
  const rows = await db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .select(['activity.starts_at', 'activity.category', 'rsvp.checked_in_count'])
    .where('activity.organisation_id', '=', organisationId)
    .where('rsvp.status', '=', 'going')
    .where('rsvp.checked_in_count', 'is not', null)
    .where('activity.starts_at', '>=', since)
    .where('activity.starts_at', '<', until)
    .execute();
  const index = new Map(months.map((m) => [m.month, m]));
  for (const row of rows) {
    const bucket = index.get(zonedDateInput(timeZone, row.starts_at).slice(0, 7));
    if (!bucket) continue;
    const people = peopleHere({ arrived: row.checked_in_count });
    bucket.total += people;
    bucket.byCategory[row.category] = (bucket.byCategory[row.category] ?? 0) + people;
  }
  return months;
}
