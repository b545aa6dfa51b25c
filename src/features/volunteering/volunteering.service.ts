// Volunteer roles and sign-ups. Organisers (members of the activity's organisation) manage an
// activity's roles; anyone signed in signs up for a role and withdraws until the shift starts.
// A role never has more active sign-ups than people needed, however many press the button at
// once: every change locks the role row first (SELECT … FOR UPDATE), then counts and writes in
// one transaction. Mails are written to the outbox in the same transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Activity, Database } from '../../db/schema.ts';
import type { VolunteerRole } from '../../db/schema-volunteering.ts';
import { zonedDateInput, zonedSpan, zonedTimeInput } from '../../i18n/format.ts';
import { localePath } from '../../i18n/locales.ts';
import type { EditScope } from '../activities/activities.schema.ts';
import { datesInScope } from '../activities/series-edit.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isMember, NotFoundError } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
import { ActivityMails, notifyAboutActivity, type MailActivity, type RsvpContext } from '../rsvps/rsvps.service.ts';
import { followActivity, followRole } from '../hours/sources.ts';
import { shiftWindow } from './shift-window.ts';
export { shiftWindow };
import type { VolunteeringMailKind } from './volunteering.mails.ts';
import type { ProfileInput, RoleInput } from './volunteering.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A shift may start this long before its activity (setting up) and end this long after it
 * (clearing up); further away it is most likely a typo in the time. */
export const WINDOW_SLACK_MS = 6 * 60 * 60 * 1000;

export type VolunteerRefusal =
  | { key: 'volunteer.error.full' }
  | { key: 'volunteer.error.already' }
  | { key: 'volunteer.error.started' }
  | { key: 'volunteer.error.cancelled' };

/** A refused role form; `date` names another date of the series when the refusal is about it. */
export type FieldRefusal = { ok: false; fields: Record<string, string>; count?: number; date?: Date };


/** Whether people may still sign up for a shift or withdraw from it: its activity is
 * published and the shift has not started. Pages ask this before offering the buttons; the
 * services check the same things (with a message for each case). */
export function shiftIsOpen(activityStatus: Activity['status'], shiftStart: Date, now: Date): boolean {
  return activityStatus === 'published' && shiftStart.getTime() > now.getTime();
}

/** Why the person may no longer withdraw from a shift, or null while they may: until the
 * shift starts — on a cancelled activity too, so that it leaves their list. withdraw() asks
 * this under its lock; the page that asks before withdrawing shows the same answer. */
export function withdrawalRefusal(shiftStart: Date, now: Date): VolunteerRefusal | null {
  return shiftStart.getTime() <= now.getTime() ? { key: 'volunteer.error.started' } : null;
}

export async function activeSignups(db: Db, roleId: number): Promise<number> {
  const row = await db
    .selectFrom('volunteer_signup')
    .select(sql<number>`count(*)::int`.as('filled'))
    .where('role_id', '=', roleId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return row.filled;
}

/** The role, locked for the rest of the transaction, with its activity. */
async function lockRole(trx: Transaction<Database>, roleId: number): Promise<{ role: VolunteerRole; activity: Activity }> {
  const role = await trx.selectFrom('volunteer_role').selectAll().where('id', '=', roleId).forUpdate().executeTakeFirst();
  if (!role) throw new NotFoundError('volunteer role');
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', role.activity_id).executeTakeFirstOrThrow();
  return { role, activity };
}

/** What a mail about a shift says: the activity, at the shift's time. */
function shiftMail(role: VolunteerRole, activity: Activity): { activity: MailActivity; extra: Record<string, unknown> } {
  const window = shiftWindow(role, activity);
  return {
    activity: { ...activity, starts_at: window.startsAt, ends_at: window.endsAt },
    extra: { roleName: role.name, whatToBring: role.what_to_bring },
  };
}

/** Writes one mail of `kind` to every active volunteer of the role (in the caller's transaction). */
async function tellVolunteers(
  trx: Transaction<Database>,
  kind: VolunteeringMailKind,
  role: VolunteerRole,
  activity: Activity,
  context: RsvpContext,
  extra: Record<string, unknown> = {},
  mails?: ActivityMails,
): Promise<number> {
  const people = await trx
    .selectFrom('volunteer_signup')
    .innerJoin('app_user', 'app_user.id', 'volunteer_signup.user_id')
    .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale'])
    .where('volunteer_signup.role_id', '=', role.id)
    .where('volunteer_signup.status', '=', 'active')
    .orderBy('volunteer_signup.id')
    .execute();
  const mail = shiftMail(role, activity);
  for (const person of people) {
    if (mails) mails.add(kind, person, mail.activity, { ...mail.extra, ...extra });
    else await notifyAboutActivity(trx, kind, person, mail.activity, context, { ...mail.extra, ...extra });
  }
  return people.length;
}

/** The shift's instants for times typed on the activity's day, or null for "the activity's time". */
function windowFor(activity: Activity, input: Pick<RoleInput, 'startTime' | 'endTime'>, timeZone: string): { starts_at: Date; ends_at: Date } | null {
  if (!input.startTime || !input.endTime) return null;
  const [y, m, d] = zonedDateInput(timeZone, activity.starts_at).split('-').map(Number) as [number, number, number];
  const span = zonedSpan(timeZone, { y, m, d }, input.startTime, input.endTime);
  return { starts_at: span.startsAt, ends_at: span.endsAt };
}

function windowIsSensible(window: { starts_at: Date; ends_at: Date } | null, activity: Activity): boolean {
  if (!window) return true;
  return window.starts_at.getTime() >= activity.starts_at.getTime() - WINDOW_SLACK_MS && window.ends_at.getTime() <= activity.ends_at.getTime() + WINDOW_SLACK_MS;
}

function roleColumns(input: RoleInput) {
  return {
    name: input.name,
    people_needed: input.peopleNeeded,
    what_to_bring: input.whatToBring,
    skills: input.skills,
    languages: input.languages,
  };
}

/** Organisers of the activity's organisation (the same rule as the organise pages). */
async function assertMember(db: Db, actor: SessionUser | null, organisationId: number): Promise<SessionUser> {
  if (!actor) throw new NotFoundError('signed-in only');
  if (!(await isMember(db, actor.id, organisationId))) throw new NotFoundError('organisation');
  return actor;
}

/** The activity, if the actor may manage it. */
async function managedActivity(db: Db, actor: SessionUser | null, activityId: number): Promise<Activity> {
  const activity = await db.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirst();
  if (!activity) throw new NotFoundError('activity');
  await assertMember(db, actor, activity.organisation_id);
  return activity;
}

/**
 * A new role on the activity, or — for an activity in a series, when asked — on every date of
 * the series still to come (one row each, so each date has its own sign-ups).
 */
export async function createRole(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: RoleInput,
  timeZone: string,
  now = new Date(),
): Promise<{ ok: true; roleIds: number[] } | FieldRefusal> {
  return db.transaction().execute(async (trx): Promise<{ ok: true; roleIds: number[] } | FieldRefusal> => {
    const activity = await managedActivity(trx, actor, input.activityId);
    if (activity.status === 'cancelled') throw new NotFoundError('cancelled activity');
    let targets = [activity];
    if (input.allDates && activity.series_id !== null) {
      targets = await trx
        .selectFrom('activity')
        .selectAll()
        .where('series_id', '=', activity.series_id)
        .where('status', '<>', 'cancelled')
        .where((eb) => eb.or([eb('starts_at', '>', now), eb('id', '=', activity.id)]))
        .orderBy('starts_at')
        .execute();
    }
    const rows = targets.map((target) => ({ target, window: windowFor(target, input, timeZone) }));
    if (rows.some((r) => !windowIsSensible(r.window, r.target))) return { ok: false, fields: { startTime: 'volunteer.error.windowOutside' } } as const;
    const inserted = await trx
      .insertInto('volunteer_role')
      .values(
        rows.map(({ target, window }) => ({
          ...roleColumns(input),
          activity_id: target.id,
          starts_at: window?.starts_at ?? null,
          ends_at: window?.ends_at ?? null,
          created_by: actor!.id,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute();
    return { ok: true, roleIds: inserted.map((r) => r.id) } as const;
  });
}

/**
 * What a change to the role named `name` reaches on a series: the role of that name on each of
 * the dates its scope reaches (the role itself among them), as a role made "on every date"
 * is. The roles page counts them for "which dates?"; updateRole and deleteRole change them.
 */
export function sameNamedRoles(roles: ReadonlyArray<Pick<VolunteerRole, 'id' | 'activity_id' | 'name'>>, name: string, reached: ReadonlyArray<Pick<Activity, 'id'>>): number[] {
  return roles.filter((r) => r.name === name && reached.some((d) => d.id === r.activity_id)).map((r) => r.id);
}

/** A role with the date it belongs to. */
interface RoleAt {
  role: VolunteerRole;
  activity: Activity;
}

/**
 * The role the actor may manage, and — for "following" or "all" on a date of a series — the
 * roles of the same name on the other dates that scope reaches (as a role made "on every date"
 * is), all locked in id order, as sign-ups lock one of them.
 */
async function rolesInScope(trx: Transaction<Database>, actor: SessionUser | null, roleId: number, scope: EditScope, now: Date): Promise<{ edited: RoleAt; all: RoleAt[] }> {
  const found = await trx
    .selectFrom('volunteer_role')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .select(['volunteer_role.name', 'volunteer_role.activity_id', 'activity.organisation_id', 'activity.series_id'])
    .where('volunteer_role.id', '=', roleId)
    .executeTakeFirst();
  if (!found) throw new NotFoundError('volunteer role');
  await assertMember(trx, actor, found.organisation_id);
  let ids = [roleId];
  if (scope !== 'this' && found.series_id !== null) {
    const dates = await trx.selectFrom('activity').selectAll().where('series_id', '=', found.series_id).execute();
    const chosen = dates.find((d) => d.id === found.activity_id)!;
    const seriesRoles = await trx.selectFrom('volunteer_role').select(['id', 'activity_id', 'name']).where('activity_id', 'in', dates.map((d) => d.id)).execute();
    ids = [...new Set([roleId, ...sameNamedRoles(seriesRoles, found.name, datesInScope(dates, chosen, scope, now))])];
  }
  const roles = await trx.selectFrom('volunteer_role').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
  const activities = await trx.selectFrom('activity').selectAll().where('id', 'in', [...new Set(roles.map((r) => r.activity_id))]).execute();
  const all = roles
    .map((role) => ({ role, activity: activities.find((a) => a.id === role.activity_id)! }))
    .sort((a, b) => a.activity.starts_at.getTime() - b.activity.starts_at.getTime() || a.role.id - b.role.id);
  const edited = all.find((r) => r.role.id === roleId);
  if (!edited) throw new NotFoundError('volunteer role');
  return { edited, all };
}

/**
 * Edits a role and, for a date of a series, the role of that name on the dates its scope
 * reaches: those take only the fields changed, a new shift on each date's own day. The number
 * needed cannot drop below the people already signed up on any of them (then nothing is
 * changed); a new time window raises a role's revision and tells its volunteers, once each.
 */
export async function updateRole(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: RoleInput,
  timeZone: string,
  context: RsvpContext,
  now = new Date(),
): Promise<{ ok: true; changed: number } | FieldRefusal> {
  if (!input.roleId) throw new NotFoundError('volunteer role');
  const roleId = input.roleId;
  return db.transaction().execute(async (trx): Promise<{ ok: true; changed: number } | FieldRefusal> => {
    const { edited, all } = await rolesInScope(trx, actor, roleId, input.scope, now);
    if (edited.role.activity_id !== input.activityId) throw new NotFoundError('volunteer role');
    const columns = roleColumns(input);
    const changed = (Object.keys(columns) as Array<keyof typeof columns>).filter((k) => JSON.stringify(edited.role[k]) !== JSON.stringify(columns[k]));
    const typed = (role: VolunteerRole) => (role.starts_at && role.ends_at ? `${zonedTimeInput(timeZone, role.starts_at)}-${zonedTimeInput(timeZone, role.ends_at)}` : '');
    const windowChanged = typed(edited.role) !== (input.startTime && input.endTime ? `${input.startTime}-${input.endTime}` : '');

    const planned: Array<RoleAt & { set: Partial<ReturnType<typeof roleColumns>> & { starts_at?: Date | null; ends_at?: Date | null } }> = [];
    for (const { role, activity } of all) {
      const own = role.id === edited.role.id;
      const set: (typeof planned)[number]['set'] = own ? { ...columns } : {};
      if (!own) for (const k of changed) (set as Record<string, unknown>)[k] = columns[k];
      if (own || windowChanged) {
        const window = windowFor(activity, input, timeZone);
        if (!windowIsSensible(window, activity)) return { ok: false, fields: { startTime: 'volunteer.error.windowOutside' }, ...(own ? {} : { date: activity.starts_at }) } as const;
        set.starts_at = window?.starts_at ?? null;
        set.ends_at = window?.ends_at ?? null;
      }
      if (set.people_needed !== undefined) {
        const filled = await activeSignups(trx, role.id);
        if (set.people_needed < filled) {
          return { ok: false, fields: { peopleNeeded: 'volunteer.error.neededBelowTaken' }, count: filled, ...(own ? {} : { date: activity.starts_at }) } as const;
        }
      }
      planned.push({ role, activity, set });
    }

    const mails = new ActivityMails();
    for (const { role, activity, set } of planned) {
      const before = shiftWindow(role, activity);
      const after = set.starts_at === undefined ? before : shiftWindow({ starts_at: set.starts_at, ends_at: set.ends_at ?? null }, activity);
      const moved = before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime();
      const updated = await trx
        .updateTable('volunteer_role')
        .set({ ...set, updated_at: now, revision: moved ? sql`revision + 1` : sql`revision` })
        .where('id', '=', role.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // Hours of volunteers already checked in follow the new window (while pending).
      if (moved) await followRole(trx, role.id, now);
      if (moved && activity.status === 'published' && after.endsAt > now) await tellVolunteers(trx, 'volunteer_role_changed', updated, activity, context, {}, mails);
    }
    await mails.send(trx, context);
    return { ok: true, changed: planned.length } as const;
  });
}

/**
 * Removes a role (and, for a date of a series, the role of that name on the dates the scope
 * reaches); its volunteers are told their shift is no longer needed, once each.
 */
export async function deleteRole(
  db: Kysely<Database>,
  actor: SessionUser | null,
  roleId: number,
  context: RsvpContext,
  now = new Date(),
  scope: EditScope = 'this',
): Promise<{ activityId: number; deleted: number }> {
  return db.transaction().execute(async (trx) => {
    const { edited, all } = await rolesInScope(trx, actor, roleId, scope, now);
    const mails = new ActivityMails();
    for (const { role, activity } of all) {
      if (activity.status === 'published' && shiftWindow(role, activity).endsAt > now) await tellVolunteers(trx, 'volunteer_role_removed', role, activity, context, {}, mails);
    }
    await mails.send(trx, context);
    await trx.deleteFrom('volunteer_role').where('id', 'in', all.map((r) => r.role.id)).execute();
    return { activityId: edited.activity.id, deleted: all.length };
  });
}

export type SignupResult = { ok: true; signupId: number } | { ok: false; refusal: VolunteerRefusal };

/** Signs the person up for a role while places are free and the shift has not started. */
export async function signUp(db: Kysely<Database>, actor: SessionUser | null, roleId: number, context: RsvpContext, now = new Date()): Promise<SignupResult> {
  if (!actor) throw new NotFoundError('signed-in only');
  return db.transaction().execute(async (trx) => {
    const { role, activity } = await lockRole(trx, roleId);
    if (activity.status === 'draft') throw new NotFoundError('draft');
    if (activity.status === 'cancelled') return { ok: false, refusal: { key: 'volunteer.error.cancelled' } } as const;
    if (shiftWindow(role, activity).startsAt.getTime() <= now.getTime()) return { ok: false, refusal: { key: 'volunteer.error.started' } } as const;
    const mine = await trx
      .selectFrom('volunteer_signup')
      .select('id')
      .where('role_id', '=', role.id)
      .where('user_id', '=', actor.id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (mine) return { ok: false, refusal: { key: 'volunteer.error.already' } } as const;
    if ((await activeSignups(trx, role.id)) >= role.people_needed) return { ok: false, refusal: { key: 'volunteer.error.full' } } as const;
    const row = await trx
      .insertInto('volunteer_signup')
      .values({ role_id: role.id, user_id: actor.id, status: 'active', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mail = shiftMail(role, activity);
    await notifyAboutActivity(trx, 'volunteer_signed_up', actor, mail.activity, context, mail.extra);
    return { ok: true, signupId: row.id } as const;
  });
}

/** Withdraws the person's own sign-up until the shift starts (withdrawalRefusal) and tells
 * the organisers; anyone else's is "not found". */
export async function withdraw(
  db: Kysely<Database>,
  actor: SessionUser | null,
  signupId: number,
  context: RsvpContext,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; refusal: VolunteerRefusal }> {
  if (!actor) throw new NotFoundError('signed-in only');
  // The organisers learn of it as they do from the reminder's one-tap "I can't make it": a
  // place they counted on is free again, whichever way the volunteer gave it back.
  return db.transaction().execute(async (trx) => {
    const result = await withdrawAndTellOrganisers(trx, actor.id, signupId, context, now);
    return result.ok ? ({ ok: true } as const) : result;
  });
}

/** withdraw for the person's sign-up, in the caller's transaction; answers the role and its
 * activity it left. */
async function withdrawSignup(
  trx: Transaction<Database>,
  personId: number,
  signupId: number,
  now: Date,
): Promise<({ ok: true } & RoleAt) | { ok: false; refusal: VolunteerRefusal }> {
  const owned = await trx
    .selectFrom('volunteer_signup')
    .select('role_id')
    .where('id', '=', signupId)
    .where('user_id', '=', personId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!owned) throw new NotFoundError('volunteer signup');
  const { role, activity } = await lockRole(trx, owned.role_id);
  const refusal = withdrawalRefusal(shiftWindow(role, activity).startsAt, now);
  if (refusal) return { ok: false, refusal } as const;
  const done = await trx
    .updateTable('volunteer_signup')
    .set({ status: 'withdrawn', updated_at: now })
    .where('id', '=', signupId)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  if (!done) throw new NotFoundError('volunteer signup');
  return { ok: true, role, activity } as const;
}

/**
 * The volunteer answered a reminder with "I can't make it" (a one-tap link or Telegram; in the
 * caller's transaction): withdrawn as withdraw() does, and — on a published activity — every
 * organiser of the organisation is told who it was and that a place is free again, with a
 * link to the shifts. The mail names the volunteer, so it goes when their account is erased.
 */
export async function withdrawAndTellOrganisers(
  trx: Transaction<Database>,
  personId: number,
  signupId: number,
  context: RsvpContext,
  now: Date,
): Promise<{ ok: true; organisersTold: number } | { ok: false; refusal: VolunteerRefusal }> {
  const result = await withdrawSignup(trx, personId, signupId, now);
  if (!result.ok) return result;
  if (result.activity.status !== 'published') return { ok: true, organisersTold: 0 };
  const volunteer = await trx.selectFrom('app_user').select('display_name').where('id', '=', personId).executeTakeFirstOrThrow();
  const mail = shiftMail(result.role, result.activity);
  const organisers = await organisersOf(trx, result.activity.organisation_id, personId);
  for (const organiser of organisers) {
    const url = `${context.baseUrl}${localePath(organiser.locale, `/organise/${result.activity.id}/roles`)}`;
    await notifyAboutActivity(trx, 'volunteer_withdrew_organiser', organiser, mail.activity, context, { ...mail.extra, volunteerName: volunteer.display_name, url }, personId);
  }
  return { ok: true, organisersTold: organisers.length };
}

/**
 * A person leaves the portal (their account is erased, in the caller's transaction): they are
 * withdrawn from every shift they could still withdraw from themself (withdrawalRefusal), and
 * the organisers of each published activity are told that a place is free again — without a
 * name, since the person's is about to go; one mail per organiser and shift, listing the dates
 * of a series together. Answers how many shifts were withdrawn.
 */
export async function withdrawFromFutureShifts(trx: Transaction<Database>, personId: number, context: RsvpContext, now: Date): Promise<number> {
  const mails = new ActivityMails();
  let withdrawn = 0;
  for (const signupId of await withdrawableShiftsOf(trx, personId, now)) {
    const result = await withdrawSignup(trx, personId, signupId, now);
    if (!result.ok) continue;
    withdrawn += 1;
    if (result.activity.status !== 'published') continue;
    const mail = shiftMail(result.role, result.activity);
    for (const organiser of await organisersOf(trx, result.activity.organisation_id, personId)) {
      // Their link leads to the shifts of the date, where they can look for someone else.
      const url = `${context.baseUrl}${localePath(organiser.locale, `/organise/${result.activity.id}/roles`)}`;
      mails.add('volunteer_left_organiser', organiser, mail.activity, { ...mail.extra, url });
    }
  }
  await mails.send(trx, context);
  return withdrawn;
}

/** The person's sign-ups they could still withdraw from themself (withdrawalRefusal), in role
 * id order as every sign-up locks its role: what withdrawFromFutureShifts withdraws, and what
 * the page before deleting an account counts. */
export async function withdrawableShiftsOf(db: Db, personId: number, now: Date): Promise<number[]> {
  const active = await db
    .selectFrom('volunteer_signup')
    .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .select(['volunteer_signup.id', 'volunteer_role.starts_at', 'volunteer_role.ends_at', 'activity.starts_at as activity_starts_at', 'activity.ends_at as activity_ends_at'])
    .where('volunteer_signup.user_id', '=', personId)
    .where('volunteer_signup.status', '=', 'active')
    .orderBy('volunteer_signup.role_id')
    .execute();
  return active
    .filter((s) => !withdrawalRefusal(shiftWindow(s, { starts_at: s.activity_starts_at, ends_at: s.activity_ends_at }).startsAt, now))
    .map((s) => s.id);
}

/** The organisers of an organisation, who run its activities' shifts, but the one leaving. */
async function organisersOf(trx: Transaction<Database>, organisationId: number, leaving: number) {
  return trx
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale'])
    .where('membership.organisation_id', '=', organisationId)
    .where('membership.role', '=', 'organiser')
    .where('app_user.id', '<>', leaving)
    .orderBy('app_user.id')
    .execute();
}

/**
 * The organiser writes to a role's volunteers: one mail each, in their language's frame, with
 * the organiser's plain text. Recorded in the audit log (who wrote to how many, never the text).
 */
export async function messageVolunteers(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { roleId: number; subject: string; body: string },
  context: RsvpContext & { ip?: string },
): Promise<{ ok: true; sent: number } | { ok: false }> {
  return db.transaction().execute(async (trx) => {
    const role = await trx.selectFrom('volunteer_role').selectAll().where('id', '=', input.roleId).executeTakeFirst();
    if (!role) throw new NotFoundError('volunteer role');
    const activity = await trx.selectFrom('activity').selectAll().where('id', '=', role.activity_id).executeTakeFirstOrThrow();
    const organiser = await assertMember(trx, actor, activity.organisation_id);
    const organisation = await trx.selectFrom('organisation').select('name').where('id', '=', activity.organisation_id).executeTakeFirstOrThrow();
    const sent = await tellVolunteers(trx, 'volunteer_message', role, activity, context, {
      subject: input.subject,
      body: input.body,
      from: organisation.name,
    });
    if (sent === 0) return { ok: false } as const;
    await recordAudit(trx, {
      actorUserId: organiser.id,
      action: 'volunteers.messaged',
      objectType: 'volunteer_role',
      objectId: role.id,
      ip: context.ip ?? null,
      details: { recipients: sent },
    });
    return { ok: true, sent } as const;
  });
}

/** Saves the person's own volunteer profile (every field optional). */
export async function saveProfile(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: ProfileInput,
  now = new Date(),
): Promise<void> {
  if (!actor) throw new NotFoundError('signed-in only');
  const values = {
    languages: input.languages,
    skills: input.skills,
    availability: input.availability,
    help_kinds: input.helpKinds,
    help_days: input.helpDays,
    has_car: input.hasCar,
    has_child_seat: input.hasChildSeat,
    helps_as_woman: input.helpsAsWoman,
    updated_at: now,
  };
  await db
    .insertInto('volunteer_profile')
    .values({ user_id: actor.id, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/** A duplicated activity needs the same hands: its roles are copied, without anyone signed up. */
export async function copyRoles(trx: Transaction<Database>, fromActivityId: number, toActivityId: number, actorId: number | null, now: Date): Promise<void> {
  const roles = await trx.selectFrom('volunteer_role').selectAll().where('activity_id', '=', fromActivityId).orderBy('id').execute();
  if (roles.length === 0) return;
  await trx
    .insertInto('volunteer_role')
    .values(
      roles.map((role) => ({
        activity_id: toActivityId,
        name: role.name,
        people_needed: role.people_needed,
        starts_at: role.starts_at,
        ends_at: role.ends_at,
        what_to_bring: role.what_to_bring,
        skills: role.skills,
        languages: role.languages,
        created_by: actorId,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

/**
 * Called where an activity changes (in the organiser's transaction): shifts with their own
 * window move with the activity, and when time or place changed, or the activity was
 * cancelled, or reinstated after a cancellation, its volunteers are told — as its attendees
 * are. With `mails`, the mails are gathered there (one per volunteer for a change to many dates).
 */
export async function volunteersFollowActivity(
  trx: Transaction<Database>,
  before: Activity,
  after: Activity,
  context: RsvpContext,
  extra: Record<string, unknown> = {},
  mails?: ActivityMails,
): Promise<void> {
  const shift = after.starts_at.getTime() - before.starts_at.getTime();
  if (shift !== 0) {
    await trx
      .updateTable('volunteer_role')
      .set({
        starts_at: sql`starts_at + ${`${shift / 1000} seconds`}::interval`,
        ends_at: sql`ends_at + ${`${shift / 1000} seconds`}::interval`,
        revision: sql`revision + 1`,
        updated_at: after.updated_at,
      })
      .where('activity_id', '=', after.id)
      .where('starts_at', 'is not', null)
      .execute();
  }
  // Hours of checked-in volunteers follow the time and place, and go while it is cancelled.
  await followActivity(trx, after.id, after.updated_at);
  const kind: VolunteeringMailKind | null =
    before.status === 'cancelled' && after.status === 'published'
      ? 'volunteer_activity_reinstated'
      : before.status !== 'published'
        ? null
        : after.status === 'cancelled'
          ? 'volunteer_activity_cancelled'
          : after.revision !== before.revision
            ? 'volunteer_activity_changed'
            : null;
  if (!kind) return;
  const roles = await trx.selectFrom('volunteer_role').selectAll().where('activity_id', '=', after.id).orderBy('id').execute();
  for (const role of roles) await tellVolunteers(trx, kind, role, after, context, extra, mails);
}
