// Reading volunteer roles: the public "help wanted" list, an activity's roles, a person's own
// shifts, the organiser's view of their roles and volunteers, and what the personal calendar
// feed needs. Fellow volunteers see each other's first names only; organisers see the people
// on their own organisation's roles, nobody else's.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Activity, ActivityStatus, Database, Locale } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isMember, NotFoundError } from '../access/access.ts';
import { inReaderLanguage } from '../activities/activities.queries.ts';
import { scopeChoices, type ScopeChoice } from '../activities/series-edit.ts';
import { firstName } from '../accounts/first-name.ts';
import { checkInIsOpen } from './check-in.ts';
import { sameNamedRoles, withdrawalRefusal, type VolunteerRefusal } from './volunteering.service.ts';

const filledSql = sql<number>`(select count(*)::int from volunteer_signup s where s.role_id = volunteer_role.id and s.status = 'active')`;
/** When a shift starts and ends, in SQL over volunteer_role joined with activity: the role's own
 * window, or the activity's time (the same rule as shiftWindow in the service). */
export const shiftStartSql = sql<Date>`coalesce(volunteer_role.starts_at, activity.starts_at)`;
export const shiftEndSql = sql<Date>`coalesce(volunteer_role.ends_at, activity.ends_at)`;

export interface RoleSummary {
  id: number;
  name: string;
  peopleNeeded: number;
  filled: number;
  startsAt: Date;
  endsAt: Date;
  /** The role has its own time window (otherwise the activity's time). */
  ownWindow: boolean;
  whatToBring: string;
  skills: string[];
  languages: string[];
}

export interface HelpWantedItem extends RoleSummary {
  activityId: number;
  title: string;
  titleLocale: Locale;
  placeName: string | null;
  address: string | null;
  online: boolean;
  organisationName: string;
}

export interface HelpWantedFilters {
  from: Date;
  to?: Date;
  skill?: string;
  language?: string;
}

/** Roles with free places on a published activity whose shift starts within the window. */
function helpWantedRoles(db: Kysely<Database>, filters: HelpWantedFilters) {
  let query = db
    .selectFrom('volunteer_role')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .where('activity.status', '=', 'published')
    .where(shiftStartSql, '>', filters.from)
    .where(filledSql, '<', sql<number>`volunteer_role.people_needed`);
  if (filters.to) query = query.where(shiftStartSql, '<', filters.to);
  if (filters.skill) query = query.where(sql<boolean>`${filters.skill} = any(volunteer_role.skills)`);
  if (filters.language) query = query.where(sql<boolean>`${filters.language} = any(volunteer_role.languages)`);
  return query;
}

/** How many roles help wanted would list over all its pages. */
export async function countHelpWanted(db: Kysely<Database>, filters: HelpWantedFilters): Promise<number> {
  const row = await helpWantedRoles(db, filters).select(sql<number>`count(*)::int`.as('count')).executeTakeFirstOrThrow();
  return row.count;
}

/** Every role with free places on a published activity whose shift starts within the window, by date. */
export async function listHelpWanted(db: Kysely<Database>, locale: Locale, filters: HelpWantedFilters, page: { limit: number; offset?: number } = { limit: 200 }): Promise<HelpWantedItem[]> {
  const query = helpWantedRoles(db, filters)
    .select([
      'volunteer_role.id',
      'volunteer_role.name',
      'volunteer_role.people_needed',
      'volunteer_role.starts_at as own_start',
      'volunteer_role.what_to_bring',
      'volunteer_role.skills',
      'volunteer_role.languages',
      'activity.id as activity_id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.place_name',
      'activity.address',
      'activity.online_url',
      'organisation.name as organisation_name',
      shiftStartSql.as('shift_start'),
      shiftEndSql.as('shift_end'),
      filledSql.as('filled'),
    ]);
  const rows = await query.orderBy(shiftStartSql).orderBy('volunteer_role.id').limit(page.limit).offset(page.offset ?? 0).execute();
  return rows.map((r) => {
    const shown = inReaderLanguage(r, locale);
    return {
      id: r.id,
      name: r.name,
      peopleNeeded: r.people_needed,
      filled: r.filled,
      startsAt: new Date(r.shift_start),
      endsAt: new Date(r.shift_end),
      ownWindow: r.own_start !== null,
      whatToBring: r.what_to_bring,
      skills: r.skills,
      languages: r.languages,
      activityId: r.activity_id,
      title: shown.title,
      titleLocale: shown.locale,
      placeName: r.place_name,
      address: r.address,
      online: r.online_url !== null,
      organisationName: r.organisation_name,
    };
  });
}

/** The person's active sign-up id per role, for the roles given. */
export async function mySignupsByRole(db: Kysely<Database>, userId: number, roleIds: number[]): Promise<Map<number, number>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('volunteer_signup')
    .select(['id', 'role_id'])
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .where('role_id', 'in', roleIds)
    .execute();
  return new Map(rows.map((r) => [r.role_id, r.id]));
}

export interface ActivityRole extends RoleSummary {
  /** The viewer's own active sign-up for this role, if any. */
  mySignupId: number | null;
  /** First names of the other volunteers — shown only to someone on the role themselves. */
  fellowVolunteers: string[];
}

function roleSummary(r: {
  id: number;
  name: string;
  people_needed: number;
  starts_at: Date | null;
  ends_at: Date | null;
  what_to_bring: string;
  skills: string[];
  languages: string[];
  filled: number;
}, activity: Pick<Activity, 'starts_at' | 'ends_at'>): RoleSummary {
  return {
    id: r.id,
    name: r.name,
    peopleNeeded: r.people_needed,
    filled: r.filled,
    startsAt: r.starts_at ?? activity.starts_at,
    endsAt: r.ends_at ?? activity.ends_at,
    ownWindow: r.starts_at !== null,
    whatToBring: r.what_to_bring,
    skills: r.skills,
    languages: r.languages,
  };
}

/** An activity's roles in the order their shifts start (set-up before the activity, clear-up after). */
async function rolesOf(db: Kysely<Database>, activity: Pick<Activity, 'id' | 'starts_at'>) {
  return db
    .selectFrom('volunteer_role')
    .select([
      'id',
      'name',
      'people_needed',
      'starts_at',
      'ends_at',
      'what_to_bring',
      'skills',
      'languages',
      sql<number>`(select count(*)::int from volunteer_signup s where s.role_id = volunteer_role.id and s.status = 'active')`.as('filled'),
    ])
    .where('activity_id', '=', activity.id)
    .orderBy(sql`coalesce(starts_at, ${activity.starts_at})`)
    .orderBy('id')
    .execute();
}

/** First names of the active volunteers on each role, the viewer left out. */
async function fellowFirstNames(db: Kysely<Database>, roleIds: number[], viewerId: number): Promise<Map<number, string[]>> {
  const names = new Map<number, string[]>();
  if (roleIds.length === 0) return names;
  const rows = await db
    .selectFrom('volunteer_signup')
    .innerJoin('app_user', 'app_user.id', 'volunteer_signup.user_id')
    .select(['volunteer_signup.role_id', 'app_user.display_name'])
    .where('volunteer_signup.role_id', 'in', roleIds)
    .where('volunteer_signup.status', '=', 'active')
    .where('volunteer_signup.user_id', '<>', viewerId)
    .orderBy('volunteer_signup.id')
    .execute();
  for (const r of rows) names.set(r.role_id, [...(names.get(r.role_id) ?? []), firstName(r.display_name)]);
  return names;
}

/** An activity's roles as its public page shows them (the caller has checked the activity may be seen). */
export async function listActivityRoles(
  db: Kysely<Database>,
  activity: Pick<Activity, 'id' | 'starts_at' | 'ends_at'>,
  viewer: { id: number } | null,
): Promise<ActivityRole[]> {
  const roles = await rolesOf(db, activity);
  const mySignup = viewer ? await mySignupsByRole(db, viewer.id, roles.map((r) => r.id)) : new Map<number, number>();
  const fellows = viewer ? await fellowFirstNames(db, [...mySignup.keys()], viewer.id) : new Map<number, string[]>();
  return roles.map((r) => ({ ...roleSummary(r, activity), mySignupId: mySignup.get(r.id) ?? null, fellowVolunteers: fellows.get(r.id) ?? [] }));
}

/** A shift of the person's, as their own pages show it. */
export interface PersonShift {
  roleId: number;
  roleName: string;
  startsAt: Date;
  endsAt: Date;
  activityId: number;
  title: string;
  titleLocale: Locale;
  activityStatus: ActivityStatus;
}

/** The person's sign-ups of one status with their role and activity, and the columns every
 * view of them needs; drafts never appear (nobody can sign up there). Each caller adds its
 * own filter and columns. */
function signupsOf(db: Kysely<Database>, userId: number, status: 'active' | 'withdrawn') {
  return db
    .selectFrom('volunteer_signup')
    .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .select([
      'volunteer_role.id as role_id',
      'volunteer_role.name',
      'activity.id as activity_id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.status',
      shiftStartSql.as('shift_start'),
      shiftEndSql.as('shift_end'),
    ])
    .where('volunteer_signup.user_id', '=', userId)
    .where('volunteer_signup.status', '=', status)
    .where('activity.status', '<>', 'draft');
}

/** A row of signupsOf as the person's shift, the title in the reader's language. */
function personShift(
  r: { role_id: number; name: string; activity_id: number; title: string; translations: Activity['translations']; source_locale: Locale; status: ActivityStatus; shift_start: Date; shift_end: Date },
  locale: Locale,
): PersonShift {
  const shown = inReaderLanguage(r, locale);
  return {
    roleId: r.role_id,
    roleName: r.name,
    startsAt: new Date(r.shift_start),
    endsAt: new Date(r.shift_end),
    activityId: r.activity_id,
    title: shown.title,
    titleLocale: shown.locale,
    activityStatus: r.status,
  };
}

export interface MyShift extends PersonShift {
  signupId: number;
  whatToBring: string;
  placeName: string | null;
  online: boolean;
  /** First names of the others on the same role. */
  fellowVolunteers: string[];
}

/** The person's active sign-ups, by shift start. */
export async function listMyShifts(db: Kysely<Database>, userId: number, locale: Locale): Promise<MyShift[]> {
  const rows = await signupsOf(db, userId, 'active')
    .select(['volunteer_signup.id', 'volunteer_role.what_to_bring', 'activity.place_name', 'activity.online_url'])
    .orderBy(shiftStartSql)
    .orderBy('volunteer_signup.id')
    .execute();
  const fellows = await fellowFirstNames(db, rows.map((r) => r.role_id), userId);
  return rows.map((r) => ({
    ...personShift(r, locale),
    signupId: r.id,
    whatToBring: r.what_to_bring,
    placeName: r.place_name,
    online: r.online_url !== null,
    fellowVolunteers: fellows.get(r.role_id) ?? [],
  }));
}

/** A shift the person withdrew from. */
export interface WithdrawnShift extends PersonShift {
  withdrawnAt: Date;
}

/**
 * Shifts the person withdrew from and did not sign up for again (one per role, the last
 * withdrawal), latest shift first: "My shifts" shows them, so that it never claims the person
 * never signed up for anything.
 */
export async function listMyWithdrawnShifts(db: Kysely<Database>, userId: number, locale: Locale): Promise<WithdrawnShift[]> {
  const rows = await signupsOf(db, userId, 'withdrawn')
    .select(sql<Date>`max(volunteer_signup.updated_at)`.as('withdrawn_at'))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('volunteer_signup as again')
            .select('again.id')
            .whereRef('again.role_id', '=', 'volunteer_role.id')
            .where('again.user_id', '=', userId)
            .where('again.status', '=', 'active'),
        ),
      ),
    )
    .groupBy(['volunteer_role.id', 'activity.id'])
    .orderBy(shiftStartSql, 'desc')
    .orderBy('volunteer_role.id')
    .execute();
  return rows.map((r) => ({ ...personShift(r, locale), withdrawnAt: new Date(r.withdrawn_at) }));
}

export interface VolunteerProfile {
  languages: string[];
  skills: string[];
  availability: string;
}

/** The person's own profile, with the help they offer for help requests. */
export interface OwnVolunteerProfile extends VolunteerProfile {
  helpKinds: string[];
  helpDays: string[];
  hasCar: boolean;
  hasChildSeat: boolean;
  helpsAsWoman: boolean;
}

export async function getVolunteerProfile(db: Kysely<Database>, userId: number): Promise<OwnVolunteerProfile | null> {
  const row = await db
    .selectFrom('volunteer_profile')
    .select(['languages', 'skills', 'availability', 'help_kinds', 'help_days', 'has_car', 'has_child_seat', 'helps_as_woman'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    languages: row.languages,
    skills: row.skills,
    availability: row.availability,
    helpKinds: row.help_kinds,
    helpDays: row.help_days,
    hasCar: row.has_car,
    hasChildSeat: row.has_child_seat,
    helpsAsWoman: row.helps_as_woman,
  };
}

export interface RoleVolunteer {
  signupId: number;
  displayName: string;
  /** Null for a person a coordinator registered without an address. */
  email: string | null;
  profile: VolunteerProfile | null;
  /** When the volunteer answered "I'll be there" to the reminder; null until then. */
  confirmedAt: Date | null;
  /** When an organiser marked them as there (check-in.ts); null until then. */
  checkedInAt: Date | null;
}

export interface ManagedRole extends RoleSummary {
  volunteers: RoleVolunteer[];
  /** On a date of a series: which dates a change or removal may reach (the role of this name
   * on each), or null when this is the only one. */
  scopes: ScopeChoice[] | null;
  /** Whether its volunteers can be checked in now (checkInIsOpen). */
  checkInOpen: boolean;
}

export interface RolesPage {
  activity: Activity & { organisationName: string };
  roles: ManagedRole[];
  /** Dates of the activity's series still to come (0 when it is not in a series). */
  upcomingInSeries: number;
}

/**
 * The organiser's roles page: the activity's roles, each with its volunteers' names, e-mail
 * addresses and profiles. Only members of the activity's organisation; others get "not found".
 */
export async function getRolesPage(db: Kysely<Database>, actor: SessionUser | null, activityId: number, now = new Date()): Promise<RolesPage> {
  if (!actor) throw new NotFoundError('signed-in only');
  const activity = await db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .selectAll('activity')
    .select('organisation.name as organisationName')
    .where('activity.id', '=', activityId)
    .executeTakeFirst();
  if (!activity) throw new NotFoundError('activity');
  if (!(await isMember(db, actor.id, activity.organisation_id))) throw new NotFoundError('organisation');
  const roles = await rolesOf(db, activity);
  const people =
    roles.length === 0
      ? []
      : await db
          .selectFrom('volunteer_signup')
          .innerJoin('app_user', 'app_user.id', 'volunteer_signup.user_id')
          .leftJoin('volunteer_profile', 'volunteer_profile.user_id', 'volunteer_signup.user_id')
          .select([
            'volunteer_signup.id',
            'volunteer_signup.role_id',
            'volunteer_signup.confirmed_at',
            'volunteer_signup.checked_in_at',
            'app_user.display_name',
            'app_user.email',
            'volunteer_profile.user_id as profile_user',
            'volunteer_profile.languages',
            'volunteer_profile.skills',
            'volunteer_profile.availability',
          ])
          .where('volunteer_signup.role_id', 'in', roles.map((r) => r.id))
          .where('volunteer_signup.status', '=', 'active')
          .orderBy('volunteer_signup.id')
          .execute();
  const upcoming =
    activity.series_id === null
      ? { n: 0 }
      : await db
          .selectFrom('activity')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('series_id', '=', activity.series_id)
          .where('status', '<>', 'cancelled')
          .where('starts_at', '>', now)
          .executeTakeFirstOrThrow();
  // Roles of the same name on the other dates of the series change with it if the organiser says so.
  const seriesDates = activity.series_id === null ? [] : await db.selectFrom('activity').selectAll().where('series_id', '=', activity.series_id).execute();
  const seriesRoles =
    seriesDates.length < 2 ? [] : await db.selectFrom('volunteer_role').select(['id', 'activity_id', 'name']).where('activity_id', 'in', seriesDates.map((d) => d.id)).execute();
  const scopesOf = (role: { id: number; name: string }) =>
    seriesDates.length < 2
      ? null
      : scopeChoices(seriesDates, seriesDates.find((d) => d.id === activity.id) ?? activity, now, (reached) => sameNamedRoles(seriesRoles, role.name, reached));
  return {
    activity,
    upcomingInSeries: upcoming.n,
    roles: roles.map((r) => {
      const summary = roleSummary(r, activity);
      return {
        ...summary,
        scopes: scopesOf(r),
        checkInOpen: checkInIsOpen(summary.startsAt, now),
        volunteers: people
          .filter((p) => p.role_id === r.id)
          .map((p) => ({
            signupId: p.id,
            displayName: p.display_name,
            email: p.email,
            profile: p.profile_user === null ? null : { languages: p.languages ?? [], skills: p.skills ?? [], availability: p.availability ?? '' },
            confirmedAt: p.confirmed_at,
            checkedInAt: p.checked_in_at,
          })),
      };
    }),
  };
}

/** Activities of an organisation the person belongs to (in any role): the organiser's view. */
function inOrganisationsOf(userId: number) {
  return (eb: ExpressionBuilder<Database, 'activity'>) =>
    eb.exists(eb.selectFrom('membership').select('membership.user_id').whereRef('membership.organisation_id', '=', 'activity.organisation_id').where('membership.user_id', '=', userId));
}

export interface RoleCount {
  activityId: number;
  roleId: number;
  name: string;
  filled: number;
  peopleNeeded: number;
}

/** Filled / needed per role on the coming activities of the organisations the person belongs to. */
export async function listRoleCounts(db: Kysely<Database>, actor: SessionUser, now = new Date()): Promise<RoleCount[]> {
  const rows = await db
    .selectFrom('volunteer_role')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .select(['activity.id as activity_id', 'volunteer_role.id', 'volunteer_role.name', 'volunteer_role.people_needed', filledSql.as('filled')])
    .where(inOrganisationsOf(actor.id))
    .where('activity.ends_at', '>', now)
    .orderBy('activity.id')
    .orderBy('volunteer_role.id')
    .execute();
  return rows.map((r) => ({ activityId: r.activity_id, roleId: r.id, name: r.name, filled: r.filled, peopleNeeded: r.people_needed }));
}

export interface ShortOfHands {
  activityId: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  organisationName: string;
  /** Places still open over all its roles. */
  missing: number;
}

/** Published coming activities of the person's organisations whose roles still need people, soonest first. */
export async function listShortOfHands(db: Kysely<Database>, actor: SessionUser, now = new Date()): Promise<ShortOfHands[]> {
  const rows = await db
    .selectFrom('activity')
    .innerJoin('organisation', 'organisation.id', 'activity.organisation_id')
    .innerJoin('volunteer_role', 'volunteer_role.activity_id', 'activity.id')
    .select([
      'activity.id',
      'activity.title',
      'activity.starts_at',
      'activity.ends_at',
      'organisation.name',
      sql<number>`sum(greatest(volunteer_role.people_needed - ${filledSql}, 0))::int`.as('missing'),
    ])
    .where('activity.status', '=', 'published')
    .where('activity.ends_at', '>', now)
    .where(inOrganisationsOf(actor.id))
    .groupBy(['activity.id', 'organisation.name'])
    .having(sql<number>`sum(greatest(volunteer_role.people_needed - ${filledSql}, 0))`, '>', 0)
    .orderBy('activity.starts_at')
    .execute();
  return rows.map((r) => ({ activityId: r.id, title: r.title, startsAt: r.starts_at, endsAt: r.ends_at, organisationName: r.name, missing: r.missing }));
}

export interface CalendarShift {
  signupId: number;
  roleId: number;
  roleName: string;
  whatToBring: string;
  activityId: number;
  activityTitle: string;
  activityTranslations: Activity['translations'];
  sourceLocale: Locale;
  placeName: string | null;
  address: string | null;
  onlineUrl: string | null;
  startsAt: Date;
  endsAt: Date;
  activityStatus: 'published' | 'cancelled';
  roleRevision: number;
  activityRevision: number;
  /** The latest of the sign-up's, the role's and the activity's updated_at. */
  updatedAt: Date;
}

/** Sign-ups the personal calendar feed carries: active, on published or cancelled
 * activities, whose shift ends after `from` (the feed's history start). */
function calendarShiftsQuery(db: Kysely<Database>, userId: number, from: Date) {
  return db
    .selectFrom('volunteer_signup')
    .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
    .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
    .where('volunteer_signup.user_id', '=', userId)
    .where('volunteer_signup.status', '=', 'active')
    .where('activity.status', 'in', ['published', 'cancelled'])
    .where(shiftEndSql, '>', from);
}

const updatedSql = sql<Date>`greatest(volunteer_signup.updated_at, volunteer_role.updated_at, activity.updated_at)`;

export async function listShiftsForCalendar(db: Kysely<Database>, userId: number, from: Date): Promise<CalendarShift[]> {
  const rows = await calendarShiftsQuery(db, userId, from)
    .select([
      'volunteer_signup.id',
      'volunteer_role.id as role_id',
      'volunteer_role.name',
      'volunteer_role.revision as role_revision',
      'volunteer_role.what_to_bring',
      'activity.id as activity_id',
      'activity.title',
      'activity.translations',
      'activity.source_locale',
      'activity.place_name',
      'activity.address',
      'activity.online_url',
      'activity.status',
      'activity.revision as activity_revision',
      shiftStartSql.as('shift_start'),
      shiftEndSql.as('shift_end'),
      updatedSql.as('updated'),
    ])
    .orderBy(shiftStartSql)
    .orderBy('volunteer_signup.id')
    .execute();
  return rows.map((r) => ({
    signupId: r.id,
    roleId: r.role_id,
    roleName: r.name,
    whatToBring: r.what_to_bring,
    activityId: r.activity_id,
    activityTitle: r.title,
    activityTranslations: r.translations,
    sourceLocale: r.source_locale,
    placeName: r.place_name,
    address: r.address,
    onlineUrl: r.online_url,
    startsAt: new Date(r.shift_start),
    endsAt: new Date(r.shift_end),
    activityStatus: r.status === 'cancelled' ? 'cancelled' : 'published',
    roleRevision: r.role_revision,
    activityRevision: r.activity_revision,
    updatedAt: new Date(r.updated),
  }));
}

/**
 * A small aggregate that changes whenever a row of listShiftsForCalendar changes, appears or
 * goes (for the feed's ETag): how many, the latest change, and the sum of their ids. A
 * withdrawal changes the count; an organiser's edit moves updated_at.
 */
export async function shiftsFingerprint(db: Kysely<Database>, userId: number, from: Date): Promise<{ count: number; lastUpdated: Date | null; idSum: number }> {
  const row = await calendarShiftsQuery(db, userId, from)
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<Date | null>`max(${updatedSql})`.as('last_updated'),
      sql<string>`coalesce(sum(volunteer_signup.id), 0)::text`.as('id_sum'),
    ])
    .executeTakeFirstOrThrow();
  return { count: row.count, lastUpdated: row.last_updated === null ? null : new Date(row.last_updated), idSum: Number(row.id_sum) };
}

/** What withdrawing from a shift would do, for the page that asks before it happens. */
export interface WithdrawalPreview extends PersonShift {
  signupId: number;
  /** Why withdrawing is refused now (withdraw's own rule), or null. */
  refusal: VolunteerRefusal | null;
  /** Places taken once the person has withdrawn, and needed. */
  filledAfter: number;
  needed: number;
}

/** The person's active sign-up, with its role's count; anyone else's is "not found". Reads
 * only: withdraw decides again under its lock. */
export async function withdrawalPreview(db: Kysely<Database>, userId: number, signupId: number, locale: Locale, now = new Date()): Promise<WithdrawalPreview> {
  const row = await signupsOf(db, userId, 'active')
    .select(['volunteer_signup.id', 'volunteer_role.people_needed', filledSql.as('filled')])
    .where('volunteer_signup.id', '=', signupId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('volunteer signup');
  const shift = personShift(row, locale);
  return {
    ...shift,
    signupId: row.id,
    refusal: withdrawalRefusal(shift.startsAt, now),
    // The person's own sign-up is among those counted.
    filledAfter: row.filled - 1,
    needed: row.people_needed,
  };
}
