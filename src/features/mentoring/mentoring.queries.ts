// Reads for the mentoring pages and the personal calendar feed. Each read that shows a
// newcomer's data first asks mentoring.access.ts who is asking; the newcomer never gets a
// meeting's private note, and a Kümmerer only sees a mentee while the mentorship runs.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import type { ContactPreference, KuemmererStatus, MentoringRequestStatus } from '../../db/schema-mentoring.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { consentsInForce, type ConsentInForce } from '../privacy/consent.records.ts';
import { rankKuemmerer, type MatchCandidate, type Suggestion } from './matching.ts';
import { assertCoordinator, mentorshipRole, seesPrivateNotes, type MentoringRole } from './mentoring.access.ts';
import { firstName } from '../accounts/first-name.ts';

type Actor = Pick<SessionUser, 'id'> | null | undefined;

export interface Application {
  status: KuemmererStatus;
  topics: string[];
  languages: string[];
  maxMentees: number;
  note: string;
  contactDetails: string;
  decisionMessage: string | null;
  activeMentees: number;
}

export async function getMyApplication(db: Kysely<Database>, userId: number): Promise<Application | null> {
  const row = await db
    .selectFrom('kuemmerer')
    .select((eb) => [
      'status',
      'topics',
      'languages',
      'max_mentees',
      'note',
      'contact_details',
      'decision_message',
      eb.selectFrom('mentorship').select(sql<number>`count(*)::int`.as('n')).where('kuemmerer_user_id', '=', userId).where('status', '=', 'active').as('active'),
    ])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    status: row.status,
    topics: row.topics,
    languages: row.languages,
    maxMentees: row.max_mentees,
    note: row.note,
    contactDetails: row.contact_details,
    decisionMessage: row.decision_message,
    activeMentees: row.active ?? 0,
  };
}

export interface MeetingView {
  id: number;
  mentorshipId: number;
  startsAt: Date;
  endsAt: Date;
  place: string;
  topics: string[];
  /** Null for whoever may not see it (the newcomer). */
  privateNote: string | null;
  revision: number;
}

async function meetingsOf(db: Kysely<Database>, mentorshipIds: number[], withNotes: boolean): Promise<MeetingView[]> {
  if (mentorshipIds.length === 0) return [];
  const rows = await db
    .selectFrom('mentoring_meeting')
    .select(['id', 'mentorship_id', 'starts_at', 'ends_at', 'place', 'topics', 'private_note', 'revision'])
    .where('mentorship_id', 'in', mentorshipIds)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    mentorshipId: r.mentorship_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    topics: r.topics,
    privateNote: withNotes ? r.private_note : null,
    revision: r.revision,
  }));
}

export interface RequestView {
  id: number;
  status: MentoringRequestStatus;
  topics: string[];
  languages: string[];
  note: string;
  contactPreference: ContactPreference;
  contactDetail: string;
  createdAt: Date;
}

function requestView(r: {
  id: number;
  status: MentoringRequestStatus;
  topics: string[];
  languages: string[];
  note: string;
  contact_preference: ContactPreference;
  contact_detail: string;
  created_at: Date;
}): RequestView {
  return { id: r.id, status: r.status, topics: r.topics, languages: r.languages, note: r.note, contactPreference: r.contact_preference, contactDetail: r.contact_detail, createdAt: r.created_at };
}

const REQUEST_COLUMNS = [
  'mentoring_request.id',
  'mentoring_request.status',
  'mentoring_request.topics',
  'mentoring_request.languages',
  'mentoring_request.note',
  'mentoring_request.contact_preference',
  'mentoring_request.contact_detail',
  'mentoring_request.created_at',
] as const;

/** The newcomer's side: their live request, and their Kümmerer as far as they may see them. */
export interface MyMentoring {
  request: RequestView | null;
  mentorship: {
    id: number;
    startedAt: Date;
    kuemmererFirstName: string;
    kuemmererLanguages: string[];
    kuemmererContact: string;
    meetings: MeetingView[];
  } | null;
  /** The last mentorship that ended, so the page can say so. */
  endedAt: Date | null;
}

export async function getMyMentoring(db: Kysely<Database>, userId: number): Promise<MyMentoring> {
  const request = await db
    .selectFrom('mentoring_request')
    .select(REQUEST_COLUMNS)
    .where('newcomer_user_id', '=', userId)
    .where('status', 'in', ['open', 'matched'])
    .executeTakeFirst();
  const active = await db
    .selectFrom('mentorship')
    .innerJoin('app_user', 'app_user.id', 'mentorship.kuemmerer_user_id')
    .innerJoin('kuemmerer', 'kuemmerer.user_id', 'mentorship.kuemmerer_user_id')
    .select(['mentorship.id', 'mentorship.started_at', 'app_user.display_name', 'kuemmerer.languages', 'kuemmerer.contact_details'])
    .where('mentorship.newcomer_user_id', '=', userId)
    .where('mentorship.status', '=', 'active')
    .executeTakeFirst();
  const ended = await db
    .selectFrom('mentorship')
    .select(sql<Date | null>`max(ended_at)`.as('last'))
    .where('newcomer_user_id', '=', userId)
    .where('status', '=', 'ended')
    .executeTakeFirst();
  return {
    request: request ? requestView(request) : null,
    mentorship: active
      ? {
          id: active.id,
          startedAt: active.started_at,
          // First name only: the newcomer needs to know whom to meet, not more.
          kuemmererFirstName: firstName(active.display_name),
          kuemmererLanguages: active.languages,
          kuemmererContact: active.contact_details,
          meetings: await meetingsOf(db, [active.id], false),
        }
      : null,
    endedAt: ended?.last ? new Date(ended.last) : null,
  };
}

export interface MenteeSummary {
  mentorshipId: number;
  name: string;
  startedAt: Date;
  request: RequestView;
  /** The account's address, when the person prefers e-mail and has one. */
  email: string | null;
  nextMeeting: Date | null;
}

/** A Kümmerer's running mentorships, with what they need to help. */
export async function listMyMentees(db: Kysely<Database>, kuemmererId: number, now = new Date()): Promise<MenteeSummary[]> {
  const rows = await db
    .selectFrom('mentorship')
    .innerJoin('mentoring_request', 'mentoring_request.id', 'mentorship.request_id')
    .innerJoin('app_user', 'app_user.id', 'mentorship.newcomer_user_id')
    .select([
      ...REQUEST_COLUMNS,
      'mentorship.id as mentorship_id',
      'mentorship.started_at',
      'app_user.display_name',
      'app_user.email',
      (eb) =>
        eb
          .selectFrom('mentoring_meeting')
          .select(sql<Date | null>`min(starts_at)`.as('next'))
          .whereRef('mentoring_meeting.mentorship_id', '=', 'mentorship.id')
          .where('mentoring_meeting.starts_at', '>', now)
          .as('next_meeting'),
    ])
    .where('mentorship.kuemmerer_user_id', '=', kuemmererId)
    .where('mentorship.status', '=', 'active')
    .orderBy('mentorship.started_at')
    .execute();
  return rows.map((r) => ({
    mentorshipId: r.mentorship_id,
    name: r.display_name,
    startedAt: r.started_at,
    request: requestView(r),
    email: r.contact_preference === 'email' ? r.email : null,
    nextMeeting: r.next_meeting ? new Date(r.next_meeting) : null,
  }));
}

export interface MentorshipDetail {
  role: MentoringRole;
  id: number;
  status: 'active' | 'ended';
  startedAt: Date;
  menteeName: string;
  menteeEmail: string | null;
  kuemmererName: string;
  request: RequestView;
  meetings: MeetingView[];
  /** For coordinators: the newcomer, and their consent to share their needs (if in force). */
  coordination: { newcomerId: number; consent: ConsentInForce | undefined } | null;
}

/** One mentorship for its Kümmerer (or a coordinator): mentee, request and meetings with notes. */
export async function getMentorship(db: Kysely<Database>, actor: Actor, mentorshipId: number): Promise<MentorshipDetail> {
  const role = await mentorshipRole(db, actor, mentorshipId);
  // The newcomer has their own page, without private notes.
  if (role === 'newcomer') throw new NotFoundError('mentorship');
  const row = await db
    .selectFrom('mentorship')
    .innerJoin('mentoring_request', 'mentoring_request.id', 'mentorship.request_id')
    .innerJoin('app_user as newcomer', 'newcomer.id', 'mentorship.newcomer_user_id')
    .innerJoin('app_user as kuemmerer', 'kuemmerer.id', 'mentorship.kuemmerer_user_id')
    .select([
      ...REQUEST_COLUMNS,
      'mentorship.id as mentorship_id',
      'mentorship.status as mentorship_status',
      'mentorship.started_at',
      'newcomer.id as mentee_id',
      'newcomer.display_name as mentee_name',
      'newcomer.email as mentee_email',
      'kuemmerer.display_name as kuemmerer_name',
    ])
    .where('mentorship.id', '=', mentorshipId)
    .executeTakeFirstOrThrow();
  return {
    role,
    id: row.mentorship_id,
    status: row.mentorship_status,
    startedAt: row.started_at,
    menteeName: row.mentee_name,
    menteeEmail: row.contact_preference === 'email' ? row.mentee_email : null,
    kuemmererName: row.kuemmerer_name,
    request: requestView(row),
    meetings: await meetingsOf(db, [mentorshipId], seesPrivateNotes(role)),
    coordination:
      role === 'coordinator' ? { newcomerId: row.mentee_id, consent: (await consentsInForce(db, [row.mentee_id], 'mentoring_needs')).get(row.mentee_id) } : null,
  };
}

// ——— Coordinators ———

export interface KuemmererRow extends MatchCandidate {
  note: string;
  contactDetails: string;
  createdAt: Date;
  decisionMessage: string | null;
}

async function listKuemmerer(db: Kysely<Database>): Promise<KuemmererRow[]> {
  const rows = await db
    .selectFrom('kuemmerer')
    .innerJoin('app_user', 'app_user.id', 'kuemmerer.user_id')
    .select((eb) => [
      'kuemmerer.user_id',
      'kuemmerer.status',
      'kuemmerer.topics',
      'kuemmerer.languages',
      'kuemmerer.max_mentees',
      'kuemmerer.note',
      'kuemmerer.contact_details',
      'kuemmerer.created_at',
      'kuemmerer.decision_message',
      'app_user.display_name',
      eb
        .selectFrom('mentorship')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('mentorship.kuemmerer_user_id', '=', 'kuemmerer.user_id')
        .where('mentorship.status', '=', 'active')
        .as('active'),
    ])
    .orderBy('kuemmerer.created_at')
    .orderBy('kuemmerer.user_id')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    status: r.status,
    topics: r.topics,
    languages: r.languages,
    maxMentees: r.max_mentees,
    activeMentees: r.active ?? 0,
    note: r.note,
    contactDetails: r.contact_details,
    createdAt: r.created_at,
    decisionMessage: r.decision_message,
  }));
}

export async function listApplications(db: Kysely<Database>, actor: Actor): Promise<KuemmererRow[]> {
  await assertCoordinator(db, actor);
  return listKuemmerer(db);
}

export interface OpenRequest {
  request: RequestView;
  newcomerId: number;
  newcomerName: string;
  /** True for a person registered by a coordinator who has not set up a sign-in yet. */
  withoutAccount: boolean;
  /** The person's consent to share their needs; none for a request from before consents were
   * recorded, and then no Kümmerer can be assigned yet. */
  consent: ConsentInForce | undefined;
  suggestions: Suggestion[];
}

/** The matching page: open requests, oldest first, each with its ranked Kümmerer. */
export async function listOpenRequests(db: Kysely<Database>, actor: Actor): Promise<OpenRequest[]> {
  await assertCoordinator(db, actor);
  const [requests, candidates] = await Promise.all([
    db
      .selectFrom('mentoring_request')
      .innerJoin('app_user', 'app_user.id', 'mentoring_request.newcomer_user_id')
      .select([...REQUEST_COLUMNS, 'app_user.id as newcomer_id', 'app_user.display_name', 'app_user.password_hash'])
      .where('mentoring_request.status', '=', 'open')
      .orderBy('mentoring_request.created_at')
      .orderBy('mentoring_request.id')
      .execute(),
    listKuemmerer(db),
  ]);
  const consents = await consentsInForce(db, requests.map((r) => r.newcomer_id), 'mentoring_needs');
  return requests.map((r) => ({
    request: requestView(r),
    newcomerId: r.newcomer_id,
    newcomerName: r.display_name,
    withoutAccount: r.password_hash === null,
    consent: consents.get(r.newcomer_id),
    suggestions: rankKuemmerer({ newcomerUserId: r.newcomer_id, languages: r.languages, topics: r.topics }, candidates),
  }));
}

/** What assigning a Kümmerer to a request would do, for the page that asks before it happens. */
export interface AssignmentPreview {
  requestId: number;
  newcomerName: string;
  /** The suggestion as the matching page ranked it (its reason, free places), and its rank. */
  suggestion: Suggestion;
  rank: number;
}

/**
 * One open request and one of its suggested Kümmerer, for coordinators only. A request that is
 * no longer open, or a Kümmerer who is not among its suggestions (full, paused, not approved),
 * is "not found": the matching page would not offer that pair either. Reads only:
 * assignKuemmerer decides again under its locks.
 */
export async function assignmentPreview(db: Kysely<Database>, actor: Actor, requestId: number, kuemmererId: number): Promise<AssignmentPreview> {
  await assertCoordinator(db, actor);
  const [request, candidates] = await Promise.all([
    db
      .selectFrom('mentoring_request')
      .innerJoin('app_user', 'app_user.id', 'mentoring_request.newcomer_user_id')
      .select(['mentoring_request.topics', 'mentoring_request.languages', 'app_user.id as newcomer_id', 'app_user.display_name'])
      .where('mentoring_request.id', '=', requestId)
      .where('mentoring_request.status', '=', 'open')
      .executeTakeFirst(),
    listKuemmerer(db),
  ]);
  if (!request) throw new NotFoundError('request');
  const suggestions = rankKuemmerer({ newcomerUserId: request.newcomer_id, languages: request.languages, topics: request.topics }, candidates);
  const rank = suggestions.findIndex((s) => s.candidate.userId === kuemmererId);
  if (rank < 0) throw new NotFoundError('kuemmerer');
  return { requestId, newcomerName: request.display_name, suggestion: suggestions[rank]!, rank: rank + 1 };
}

export interface MentorshipRow {
  id: number;
  status: 'active' | 'ended';
  kuemmererId: number;
  kuemmererName: string;
  newcomerId: number;
  newcomerName: string;
  /** The newcomer's consent to share their needs (none for mentorships from before consents
   * were recorded, or after a withdrawal). */
  consent: ConsentInForce | undefined;
  topics: string[];
  languages: string[];
  startedAt: Date;
  endedAt: Date | null;
  endedBy: 'newcomer' | 'kuemmerer' | 'coordinator' | null;
  endReason: string | null;
  suggestions: Suggestion[];
}

/** Running mentorships (with other Kümmerer to hand them to) and the ended ones' history. */
export async function listMentorships(db: Kysely<Database>, actor: Actor): Promise<MentorshipRow[]> {
  await assertCoordinator(db, actor);
  const [rows, candidates] = await Promise.all([
    db
      .selectFrom('mentorship')
      .innerJoin('mentoring_request', 'mentoring_request.id', 'mentorship.request_id')
      .innerJoin('app_user as k', 'k.id', 'mentorship.kuemmerer_user_id')
      .innerJoin('app_user as n', 'n.id', 'mentorship.newcomer_user_id')
      .select([
        'mentorship.id',
        'mentorship.status',
        'mentorship.kuemmerer_user_id',
        'mentorship.newcomer_user_id',
        'mentorship.started_at',
        'mentorship.ended_at',
        'mentorship.ended_by',
        'mentorship.end_reason',
        'k.display_name as kuemmerer_name',
        'n.display_name as newcomer_name',
        'mentoring_request.topics',
        'mentoring_request.languages',
      ])
      .orderBy('mentorship.status')
      .orderBy('mentorship.started_at', 'desc')
      .orderBy('mentorship.id', 'desc')
      .execute(),
    listKuemmerer(db),
  ]);
  const consents = await consentsInForce(db, rows.filter((r) => r.status === 'active').map((r) => r.newcomer_user_id), 'mentoring_needs');
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    kuemmererId: r.kuemmerer_user_id,
    kuemmererName: r.kuemmerer_name,
    newcomerId: r.newcomer_user_id,
    newcomerName: r.newcomer_name,
    consent: r.status === 'active' ? consents.get(r.newcomer_user_id) : undefined,
    topics: r.topics,
    languages: r.languages,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by === null ? null : r.ended_by === r.kuemmerer_user_id ? 'kuemmerer' : r.ended_by === r.newcomer_user_id ? 'newcomer' : 'coordinator',
    endReason: r.end_reason,
    suggestions:
      r.status === 'active'
        ? rankKuemmerer({ newcomerUserId: r.newcomer_user_id, languages: r.languages, topics: r.topics }, candidates).filter((s) => s.candidate.userId !== r.kuemmerer_user_id)
        : [],
  }));
}

export interface Overview {
  openRequests: Array<{ id: number; name: string; createdAt: Date; topics: string[]; languages: string[] }>;
  pendingApplications: Array<{ userId: number; name: string; createdAt: Date }>;
  activePerTopic: Array<{ key: string; count: number }>;
  activePerLanguage: Array<{ key: string; count: number }>;
  atCapacity: Array<{ userId: number; name: string; activeMentees: number; maxMentees: number }>;
  activeCount: number;
  recentlyEnded: MentorshipRow[];
}

/** The coordinator's dashboard: who waits, who applied, where mentorships are, who is full. */
export async function getOverview(db: Kysely<Database>, actor: Actor): Promise<Overview> {
  await assertCoordinator(db, actor);
  const [open, kuemmerer, mentorships] = await Promise.all([
    db
      .selectFrom('mentoring_request')
      .innerJoin('app_user', 'app_user.id', 'mentoring_request.newcomer_user_id')
      .select(['mentoring_request.id', 'mentoring_request.created_at', 'mentoring_request.topics', 'mentoring_request.languages', 'app_user.display_name'])
      .where('mentoring_request.status', '=', 'open')
      .orderBy('mentoring_request.created_at')
      .orderBy('mentoring_request.id')
      .execute(),
    listKuemmerer(db),
    listMentorships(db, actor),
  ]);
  const active = mentorships.filter((m) => m.status === 'active');
  const tally = (pick: (m: MentorshipRow) => string[]) => {
    const counts = new Map<string, number>();
    for (const m of active) for (const key of pick(m)) counts.set(key, (counts.get(key) ?? 0) + 1);
    return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  };
  return {
    openRequests: open.map((r) => ({ id: r.id, name: r.display_name, createdAt: r.created_at, topics: r.topics, languages: r.languages })),
    pendingApplications: kuemmerer.filter((k) => k.status === 'pending').map((k) => ({ userId: k.userId, name: k.displayName, createdAt: k.createdAt })),
    activePerTopic: tally((m) => m.topics),
    activePerLanguage: tally((m) => m.languages),
    atCapacity: kuemmerer.filter((k) => k.status === 'approved' && k.activeMentees >= k.maxMentees).map((k) => ({ userId: k.userId, name: k.displayName, activeMentees: k.activeMentees, maxMentees: k.maxMentees })),
    activeCount: active.length,
    recentlyEnded: mentorships.filter((m) => m.status === 'ended').slice(0, 20),
  };
}

/**
 * People the coordination registered: the only accounts a coordinator may give a new code to,
 * and only while they have no confirmed e-mail address (see mayGetNewCode).
 */
export function registeredPeople(db: Kysely<Database> | Transaction<Database>) {
  return db.selectFrom('app_user').where('app_user.registered_by_coordination', '=', true);
}

/**
 * The one rule for claim codes, asked when a code is made and whenever one is used: a code
 * opens an account only while it has no confirmed e-mail address. A person with one resets a
 * forgotten password by mail, and a sheet printed before they confirmed it must not open
 * their account any more.
 */
export function mayGetNewCode(eb: ExpressionBuilder<Database, 'app_user'>) {
  return eb('app_user.email_verified_at', 'is', null);
}

/**
 * Where a registered person stands, as coordinators see it: with a confirmed address they reset
 * a forgotten password by mail; else they sign in with their name (a password chosen), or their
 * code waits to be redeemed, or it expired (or was never printed) and a new sheet is needed.
 */
export type RegisteredPersonState = 'hasEmail' | 'signsIn' | 'codeWaiting' | 'codeExpired';

export interface RegisteredPerson {
  id: number;
  name: string;
  locale: Locale;
  signInName: string | null;
  state: RegisteredPersonState;
  /** A coordinator may make them a new code (mayGetNewCode). */
  mayGetNewCode: boolean;
  /** When the code not yet redeemed stops working; null when there is none. */
  codeExpiresAt: Date | null;
}

function registeredPersonQuery(db: Kysely<Database>, now: Date) {
  return registeredPeople(db)
    .leftJoin('claim_code', 'claim_code.user_id', 'app_user.id')
    .select((eb) => [
      'app_user.id',
      'app_user.display_name',
      'app_user.locale',
      'app_user.sign_in_name',
      'app_user.password_hash',
      mayGetNewCode(eb).$castTo<boolean>().as('may_get_new_code'),
      eb.case().when(eb.and([eb('claim_code.used_at', 'is', null), eb('claim_code.expires_at', '>', now)])).then(eb.ref('claim_code.expires_at')).else(null).end().as('code_expires_at'),
    ]);
}

function registeredPerson(row: {
  id: number;
  display_name: string;
  locale: Locale;
  sign_in_name: string | null;
  password_hash: string | null;
  may_get_new_code: boolean;
  code_expires_at: Date | null;
}): RegisteredPerson {
  const state: RegisteredPersonState = !row.may_get_new_code ? 'hasEmail' : row.password_hash !== null ? 'signsIn' : row.code_expires_at ? 'codeWaiting' : 'codeExpired';
  return {
    id: row.id,
    name: row.display_name,
    locale: row.locale,
    signInName: row.sign_in_name,
    state,
    mayGetNewCode: row.may_get_new_code,
    codeExpiresAt: row.code_expires_at,
  };
}

/** The person behind a code sheet, for coordinators only; anyone else is refused (404). */
export async function getClaimPerson(db: Kysely<Database>, actor: Actor, personId: number, now = new Date()): Promise<RegisteredPerson> {
  await assertCoordinator(db, actor);
  const row = await registeredPersonQuery(db, now).where('app_user.id', '=', personId).executeTakeFirst();
  if (!row) throw new NotFoundError('person');
  return registeredPerson(row);
}

export const REGISTERED_PEOPLE_PAGE = 50;

/**
 * The people the coordination registered, newest first, for finding someone who cannot get
 * in: by any part of their name or sign-in name, case and accents as typed. `more` says that
 * the page holds only the newest REGISTERED_PEOPLE_PAGE of those found.
 */
export async function listRegisteredPeople(db: Kysely<Database>, actor: Actor, search: string, now = new Date()): Promise<{ people: RegisteredPerson[]; more: boolean }> {
  await assertCoordinator(db, actor);
  let query = registeredPersonQuery(db, now);
  const words = search.normalize('NFKC').trim().toLowerCase().split(/\s+/u).filter(Boolean).slice(0, 5);
  for (const word of words) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('app_user.display_name', 'ilike', pattern), eb('app_user.sign_in_name', 'ilike', pattern)]));
  }
  // One row more than shown tells whether there are more.
  const rows = await query.orderBy('app_user.id', 'desc').limit(REGISTERED_PEOPLE_PAGE + 1).execute();
  return { people: rows.slice(0, REGISTERED_PEOPLE_PAGE).map(registeredPerson), more: rows.length > REGISTERED_PEOPLE_PAGE };
}

// ——— Personal calendar feed ———

export interface CalendarMeeting {
  id: number;
  startsAt: Date;
  endsAt: Date;
  place: string;
  topics: string[];
  revision: number;
  updatedAt: Date;
  /** First name of the other person in the mentorship. */
  otherFirstName: string;
  /** Whether the feed's owner is the Kümmerer (else the newcomer). */
  isKuemmerer: boolean;
}

/** Meetings of running mentorships that end after `from` (the feed's history start). */
function calendarMeetings(db: Kysely<Database>, userId: number, from: Date) {
  return db
    .selectFrom('mentoring_meeting')
    .innerJoin('mentorship', 'mentorship.id', 'mentoring_meeting.mentorship_id')
    .where((eb) => eb.or([eb('mentorship.kuemmerer_user_id', '=', userId), eb('mentorship.newcomer_user_id', '=', userId)]))
    // An ended mentorship's meetings leave both calendars: they will not take place, and the
    // Kümmerer no longer looks after the person.
    .where('mentorship.status', '=', 'active')
    .where('mentoring_meeting.ends_at', '>', from);
}

/**
 * Meetings for a person's personal calendar feed: of running mentorships where they are the
 * Kümmerer or the newcomer, ending after `from`. Never the private note.
 */
export async function listMeetingsForCalendar(db: Kysely<Database>, userId: number, from: Date): Promise<CalendarMeeting[]> {
  const rows = await calendarMeetings(db, userId, from)
    .innerJoin('app_user as k', 'k.id', 'mentorship.kuemmerer_user_id')
    .innerJoin('app_user as n', 'n.id', 'mentorship.newcomer_user_id')
    .select([
      'mentoring_meeting.id',
      'mentoring_meeting.starts_at',
      'mentoring_meeting.ends_at',
      'mentoring_meeting.place',
      'mentoring_meeting.topics',
      'mentoring_meeting.revision',
      'mentoring_meeting.updated_at',
      'mentorship.kuemmerer_user_id',
      'k.display_name as kuemmerer_name',
      'n.display_name as newcomer_name',
    ])
    .orderBy('mentoring_meeting.starts_at')
    .orderBy('mentoring_meeting.id')
    .execute();
  return rows.map((r) => {
    const isKuemmerer = r.kuemmerer_user_id === userId;
    return {
      id: r.id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      place: r.place,
      topics: r.topics,
      revision: r.revision,
      updatedAt: r.updated_at,
      otherFirstName: firstName(isKuemmerer ? r.newcomer_name : r.kuemmerer_name),
      isKuemmerer,
    };
  });
}

/**
 * A small aggregate that changes whenever the person's calendar meetings change, appear or go
 * (for the feed's ETag). Ending a mentorship takes its meetings out, which the count and ids
 * show; the mentorships' latest change is kept as well, for a meeting that leaves in the same
 * instant as another arrives.
 */
export async function meetingsFingerprint(db: Kysely<Database>, userId: number, from: Date): Promise<{ count: number; lastUpdated: Date | null; key: string }> {
  const meetings = await calendarMeetings(db, userId, from)
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<Date | null>`max(mentoring_meeting.updated_at)`.as('latest'),
      sql<string>`coalesce(sum(mentoring_meeting.id), 0)::text`.as('ids'),
    ])
    .executeTakeFirstOrThrow();
  const mentorships = await db
    .selectFrom('mentorship')
    .select(sql<Date | null>`max(updated_at)`.as('latest'))
    .where((eb) => eb.or([eb('kuemmerer_user_id', '=', userId), eb('newcomer_user_id', '=', userId)]))
    .executeTakeFirstOrThrow();
  const time = (d: Date | string | null) => (d ? new Date(d).getTime() : 0);
  // A deleted meeting or an ended mentorship leaves no row behind but moves the mentorship's
  // change forward: it counts, so that the feed's Last-Modified never goes back.
  const latest = Math.max(time(meetings.latest), time(mentorships.latest));
  return {
    count: meetings.n,
    lastUpdated: latest > 0 ? new Date(latest) : null,
    key: `${meetings.ids}-${time(mentorships.latest)}`,
  };
}
