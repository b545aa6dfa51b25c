// Retention: the job that deletes, blanks or makes anonymous what the portal no longer needs,
// by the periods a site admin sets (retention-periods.ts) and the declaration of the personal
// data (declaration.ts): which period a table or column follows (`kept`) and what erasing a
// value means (`erase`). It is the one place where anything is cleaned up by time: expired
// sessions, links, codes, invitations and rate-limit counters are its rules too.
//
// Each kind is a named rule that can count what is due (a dry run changes nothing) and apply
// itself in batches of `batchSize` rows per statement, so that no statement holds many locks
// for long, and rows that someone is changing right now are skipped (SKIP LOCKED) until the
// next day. The rules run in an order in which none changes what a later one counts, so that
// a dry run's counts are what the real run then does.
//
// The app servers run it once a day between them (runScheduledRetention: whoever inserts the
// day's privacy_run row runs it); `npm run privacy:purge` runs it by hand. Each run is audited
// with its counts.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { zonedDateInput } from '../../i18n/format.ts';
import { localePath } from '../../i18n/locales.ts';
import { USED_TOKEN_KEPT_MS } from '../accounts/accounts.service.ts';
import { staleAnswerToken } from '../answers/answer-links.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { deleteAccountsNothingHolds, EXPIRED_INVITATION_KEPT_MS, heldByNoInvitation } from '../organisations/invitations.service.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { erasePerson } from './erasure.ts';
import { PERSONAL_DATA, personalTables, personColumns, type ColumnDeclaration, type DataCategory, type PersonalTable } from './declaration.ts';
import { INACTIVITY_WARNING_DAYS, loadRetentionPeriods, RETENTION_UNITS, type RetentionKey, type RetentionPeriods } from './retention-periods.ts';

/** The kinds of thing retention removes, in the order the rules run. */
export const RETENTION_KINDS = [
  'expired_sessions',
  'email_links',
  'claim_codes',
  'telegram_link_codes',
  'invitations',
  'invitation_accounts',
  'rate_limits',
  'answer_links',
  'sent_messages',
  'audit_log',
  'unconfirmed_sign_ups',
  'rsvp_notes',
  'consultation_details',
  'attendance',
  'meeting_notes',
  'request_details',
  'help_request_details',
  'mentorship_reasons',
  'inactivity_warnings',
  'inactive_accounts',
] as const;

export type RetentionKind = (typeof RETENTION_KINDS)[number];
export type RetentionCounts = Record<RetentionKind, number>;

/** Rows per statement: small enough that a batch holds its locks for milliseconds. */
export const RETENTION_BATCH_SIZE = 500;

/** A scheduled run that has not finished after this long died with its server; another takes the day over. */
export const STALE_RUN_MS = 6 * 60 * 60_000;

const DAY_MS = 24 * 60 * 60_000;

export interface RetentionOptions {
  now?: Date;
  /** Count what is due, change nothing. */
  dryRun?: boolean;
  batchSize?: number;
  /** Where links in mails point (the sign-in page of the warning mail), without a trailing slash. */
  baseUrl: string;
  /** Stops between batches (a server shutting down); what was done so far stays done. */
  signal?: AbortSignal;
  /** Only these kinds (tests of one rule); the counts of the others stay 0. */
  only?: readonly RetentionKind[];
}

interface RuleContext {
  db: Kysely<Database>;
  now: Date;
  periods: RetentionPeriods;
  batchSize: number;
  baseUrl: string;
  signal: AbortSignal | undefined;
  /** What "blank" is for each column that retention blanks: the column's default. */
  blanks: ColumnDefaults;
}

interface Rule {
  /** The kind of its rows (the invitations rule also counts the accounts that go with them). */
  kind: RetentionKind;
  /** How many rows the rule would change now. */
  count(c: RuleContext): Promise<Partial<RetentionCounts>>;
  /** Changes at most c.batchSize of its rows, and returns the counts (fewer than a batch: done). */
  applyBatch(c: RuleContext): Promise<Partial<RetentionCounts>>;
}

export class RetentionInterrupted extends Error {
  readonly counts: RetentionCounts;
  constructor(counts: RetentionCounts) {
    super('retention was interrupted');
    this.name = 'RetentionInterrupted';
    this.counts = counts;
  }
}

// ---------------------------------------------------------------------------------------------
// Periods, as the declaration links them to tables and columns.

/** The period a table's rows follow, or one of its columns when it has its own (declaration `kept`). */
export function declaredPeriod(table: PersonalTable, column?: string): RetentionKey {
  const declaration = PERSONAL_DATA[table] as { kept: { period?: RetentionKey }; columns: Record<string, ColumnDeclaration> };
  const kept = column ? declaration.columns[column]?.kept : declaration.kept;
  if (!kept || !('period' in kept) || !kept.period) throw new Error(`the declaration gives ${table}${column ? `.${column}` : ''} no retention period`);
  return kept.period;
}

/** The same instant `months` calendar months later (or earlier, when negative); a day the
 * month lacks becomes its last (31 March less one month is 28 or 29 February). */
export function addMonths(instant: Date, months: number): Date {
  const date = new Date(instant);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date;
}

/** Rows older than this instant are due under the period. */
export function cutoff(now: Date, periods: RetentionPeriods, key: RetentionKey): Date {
  const value = periods[key];
  return RETENTION_UNITS[key] === 'days' ? new Date(now.getTime() - value * DAY_MS) : addMonths(now, -value);
}

// ---------------------------------------------------------------------------------------------
// Blanking and anonymising by the declaration.

type ColumnDefaults = Map<string, string>;

/** The columns of a row that a rule clears, with what the declaration says they become. */
function erasedColumns(table: PersonalTable, options: { withPersonColumns: boolean; only?: readonly string[] }): Array<[string, 'blank' | 'null']> {
  const columns = Object.entries(PERSONAL_DATA[table].columns as Record<string, ColumnDeclaration>);
  return columns
    .filter(([name, c]) => (options.only ? options.only.includes(name) : true) && (options.withPersonColumns || c.kind !== 'person'))
    .filter((entry): entry is [string, ColumnDeclaration & { erase: 'blank' | 'null' }] => entry[1].erase === 'blank' || entry[1].erase === 'null')
    .map(([name, c]) => [name, c.erase]);
}

/**
 * The defaults of the columns retention blanks, read from the live schema: "blank" is a
 * column's default (an empty text or an empty list). A column the declaration blanks that has
 * no default cannot be blanked, and the run stops before changing anything.
 */
async function readBlanks(db: Kysely<Database>): Promise<ColumnDefaults> {
  const wanted = BLANKED.flatMap(([table, columns]) => columns.filter(([, erase]) => erase === 'blank').map(([column]) => `${table}.${column}`));
  const rows = await sql<{ name: string; value: string | null }>`
    select table_name || '.' || column_name as name, column_default as value
    from information_schema.columns
    where table_schema = current_schema() and table_name || '.' || column_name in (${sql.join(wanted)})`.execute(db);
  const defaults: ColumnDefaults = new Map(rows.rows.filter((r) => r.value !== null).map((r) => [r.name, r.value!]));
  const missing = wanted.filter((name) => !defaults.has(name));
  if (missing.length) throw new Error(`retention cannot blank ${missing.join(', ')}: the column has no default`);
  return defaults;
}

/** SET values that clear these columns. */
function clearing(columns: Array<[string, 'blank' | 'null']>): Record<string, RawBuilder<unknown> | null> {
  return Object.fromEntries(columns.map(([name, erase]) => [name, erase === 'blank' ? sql`default` : null]));
}

/** True for a row where any of these columns still holds something. */
function stillHolds(table: string, columns: Array<[string, 'blank' | 'null']>, blanks: ColumnDefaults): RawBuilder<SqlBool> {
  const checks = columns.map(([name, erase]) =>
    erase === 'null' ? sql`${sql.ref(`${table}.${name}`)} is not null` : sql`${sql.ref(`${table}.${name}`)} is distinct from (${sql.raw(blanks.get(`${table}.${name}`)!)})`,
  );
  return sql<SqlBool>`(${sql.join(checks, sql` or `)})`;
}

// What the rules clear, by the declaration. A meeting's and a request's details go, the rows
// stay (with whose they are): only person columns make a row personal in its own right.
const MEETING_DETAILS = erasedColumns('mentoring_meeting', { withPersonColumns: false });
const REQUEST_DETAILS = erasedColumns('mentoring_request', { withPersonColumns: false });
const MENTORSHIP_DETAILS = erasedColumns('mentorship', { withPersonColumns: false });
/** A help request's values that follow helpRequestDetailsMonths (address, note, contacts, thanks).
 * They are blanked to '' rather than to the column's default: the address has none. */
const HELP_REQUEST_DETAILS = Object.entries(PERSONAL_DATA.help_request.columns as Record<string, ColumnDeclaration>)
  .filter(([, c]) => c.kept !== undefined && 'period' in c.kept && c.kept.period === 'helpRequestDetailsMonths')
  .map(([name]) => name);
const HELP_REQUEST_FINISHED = ['done', 'did_not_happen', 'withdrawn', 'expired'] as const;
/** An RSVP's values that follow their own, shorter period (the note, a walk-in's name). */
const RSVP_SHORT_LIVED = Object.entries(PERSONAL_DATA.rsvp.columns as Record<string, ColumnDeclaration>)
  .filter(([, c]) => c.kept !== undefined)
  .map(([name]) => name);
const RSVP_SHORT_LIVED_VALUES = erasedColumns('rsvp', { withPersonColumns: false, only: RSVP_SHORT_LIVED });
/** Everything that names someone in an RSVP: an anonymous RSVP still counts, naming nobody. */
const RSVP_ANONYMOUS = erasedColumns('rsvp', { withPersonColumns: true });
const BLANKED: Array<[PersonalTable, Array<[string, 'blank' | 'null']>]> = [
  ['mentoring_meeting', MEETING_DETAILS],
  ['mentoring_request', REQUEST_DETAILS],
  ['mentorship', MENTORSHIP_DETAILS],
  ['rsvp', RSVP_ANONYMOUS],
];

// ---------------------------------------------------------------------------------------------
// Helpers for the rules.

/** An activity that ended before `before`. */
const activityEndedBefore = (eb: ExpressionBuilder<Database, 'rsvp'>, before: Date) =>
  eb.exists(eb.selectFrom('activity').select('activity.id').whereRef('activity.id', '=', 'rsvp.activity_id').where('activity.ends_at', '<', before));

/** When a person last did anything: the latest of their sign-up, sign-in and a live session's last use. */
function lastActivity(now: Date): RawBuilder<Date> {
  return sql<Date>`greatest(app_user.created_at, app_user.last_signed_in_at, (
    select max(session.last_verified_at) from session
    where session.user_id = app_user.id
      and session.last_verified_at > ${new Date(now.getTime() - SESSION_IDLE_MS)}
      and session.created_at > ${new Date(now.getTime() - SESSION_MAX_MS)}))`;
}

/** The kinds of row that exist only to serve an account (signing in, a calendar address,
 * mails, consents): an account with nothing else has never been used for anything. */
const ACCOUNT_ONLY: ReadonlySet<DataCategory> = new Set(['account', 'sign_in', 'calendar', 'messages', 'consents']);

/** The person has rows of their own beyond the account's own (an RSVP, a request, a membership…), read from the declaration. */
function holdsMoreThanTheAccount(): RawBuilder<SqlBool> {
  const checks = personalTables()
    .filter(([, declaration]) => !ACCOUNT_ONLY.has(declaration.category))
    .flatMap(([table, declaration]) =>
      personColumns(declaration)
        .filter(([, column]) => column.rows === 'own')
        .map(([column]) => sql`exists (select 1 from ${sql.table(table)} where ${sql.ref(`${table}.${column}`)} = app_user.id)`),
    );
  return sql<SqlBool>`(${sql.join(checks, sql` or `)})`;
}

/**
 * A sign-up whose address was never confirmed, older than the period, that was never used for
 * anything (no RSVP, no shift, no request, no membership…). A person who signed in and took part
 * without confirming is a user like any other: the inactive-account rule is theirs.
 */
function unconfirmedSignUpDue(eb: ExpressionBuilder<Database, 'app_user'>, c: RuleContext): Expression<SqlBool> {
  return eb.and([
    eb('app_user.email', 'is not', null),
    eb('app_user.email_verified_at', 'is', null),
    // Accounts made by an invitation or by a coordinator have no password of their own choosing yet.
    eb('app_user.password_hash', 'is not', null),
    eb('app_user.registered_by_coordination', '=', false),
    eb('app_user.created_at', '<', cutoff(c.now, c.periods, 'unconfirmedSignUpDays')),
    eb.not(holdsMoreThanTheAccount()),
  ]);
}

/** Accounts the inactive-account rules look at: not an unconfirmed sign-up (its own rule) nor
 * an account an invitation holds (it goes with its invitation). */
function subjectToInactivity(eb: ExpressionBuilder<Database, 'app_user'>, c: RuleContext): Expression<SqlBool> {
  return eb.and([
    eb.not(unconfirmedSignUpDue(eb, c)),
    eb.not(eb.exists(eb.selectFrom('invitation').select('invitation.id').whereRef('invitation.user_id', '=', 'app_user.id'))),
  ]);
}

/** The instant before which the last activity must lie for the warning mail. */
function warningCutoff(c: RuleContext): Date {
  return new Date(cutoff(c.now, c.periods, 'inactiveAccountMonths').getTime() + INACTIVITY_WARNING_DAYS * DAY_MS);
}

// ---------------------------------------------------------------------------------------------
// The rules, in the order they run (see the top of the file for why the order matters).

const expiredSession = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'session'>) =>
  eb.or([eb('session.last_verified_at', '<=', new Date(c.now.getTime() - SESSION_IDLE_MS)), eb('session.created_at', '<=', new Date(c.now.getTime() - SESSION_MAX_MS))]);

const staleEmailLink = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'email_token'>) =>
  // Kept a week past expiry so that opening a used link again still says "already done".
  eb('email_token.expires_at', '<', new Date(c.now.getTime() - USED_TOKEN_KEPT_MS));

const expiredClaimCode = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'claim_code'>) => eb('claim_code.expires_at', '<', c.now);

/** Telegram link codes past their 15 minutes: used ones are gone already (linkChatWithCode). */
const expiredTelegramLinkCode = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'telegram_link_code'>) => eb('telegram_link_code.expires_at', '<', c.now);

const expiredInvitation = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'invitation'>) =>
  eb('invitation.expires_at', '<', new Date(c.now.getTime() - EXPIRED_INVITATION_KEPT_MS));

const endedRateWindow = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'rate_limit'>) => eb('rate_limit.window_ends_at', '<', c.now);

/** A mail sent (or set aside) longer ago than the period; mails still to be sent are never touched. */
const oldMessage = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.and([
    eb('outbox.status', 'in', ['sent', 'dead']),
    eb(eb.fn.coalesce('outbox.sent_at', 'outbox.created_at'), '<', cutoff(c.now, c.periods, declaredPeriod('outbox'))),
  ]);

const oldAuditEvent = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'audit_event'>) => eb('audit_event.at', '<', cutoff(c.now, c.periods, declaredPeriod('audit_event')));

/** RSVPs whose note (and walk-in name) are due, of activities not yet due to be anonymised
 * altogether (the attendance rule takes those, so that no row is counted twice). */
const rsvpNoteDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'rsvp'>) =>
  eb.and([
    eb('rsvp.anonymised_at', 'is', null),
    activityEndedBefore(eb, cutoff(c.now, c.periods, declaredPeriod('rsvp', 'note'))),
    eb.not(activityEndedBefore(eb, cutoff(c.now, c.periods, declaredPeriod('rsvp')))),
    stillHolds('rsvp', RSVP_SHORT_LIVED_VALUES, c.blanks),
  ]);

/** Walk-ins of consultation hours that ended before the period. */
const walkInDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'consultation_walk_in'>) =>
  eb(
    'consultation_walk_in.hour_id',
    'in',
    eb.selectFrom('consultation_hour').select('consultation_hour.id').where('consultation_hour.ends_at', '<', cutoff(c.now, c.periods, declaredPeriod('consultation_walk_in'))),
  );

/** Bookings with a note whose slot ended before the period. */
const bookingNoteDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'consultation_booking'>) =>
  eb.and([
    eb('consultation_booking.note', '<>', ''),
    eb(
      'consultation_booking.slot_id',
      'in',
      eb.selectFrom('consultation_slot').select('consultation_slot.id').where('consultation_slot.ends_at', '<', cutoff(c.now, c.periods, declaredPeriod('consultation_booking', 'note'))),
    ),
  ]);

const attendanceDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'rsvp'>) =>
  eb.and([eb('rsvp.anonymised_at', 'is', null), activityEndedBefore(eb, cutoff(c.now, c.periods, declaredPeriod('rsvp')))]);

/** Meetings of mentorships that ended longer ago than the period, with details left. */
const meetingDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'mentoring_meeting'>) =>
  eb.and([
    eb.exists(
      eb
        .selectFrom('mentorship')
        .select('mentorship.id')
        .whereRef('mentorship.id', '=', 'mentoring_meeting.mentorship_id')
        .where('mentorship.status', '=', 'ended')
        .where('mentorship.ended_at', '<', cutoff(c.now, c.periods, declaredPeriod('mentoring_meeting'))),
    ),
    stillHolds('mentoring_meeting', MEETING_DETAILS, c.blanks),
  ]);

/** Requests closed or withdrawn longer ago than the period (the status change is their last change). */
const requestDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'mentoring_request'>) =>
  eb.and([
    eb('mentoring_request.status', 'in', ['closed', 'withdrawn']),
    eb('mentoring_request.updated_at', '<', cutoff(c.now, c.periods, declaredPeriod('mentoring_request'))),
    stillHolds('mentoring_request', REQUEST_DETAILS, c.blanks),
  ]);

/** Help requests finished (reported, withdrawn or expired) longer ago than the period, with
 * details left: a report sets finished_at; withdrawing or expiring is the last change. */
const helpRequestDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'help_request'>) =>
  eb.and([
    eb('help_request.status', 'in', HELP_REQUEST_FINISHED),
    eb(eb.fn.coalesce('help_request.finished_at', 'help_request.updated_at'), '<', cutoff(c.now, c.periods, declaredPeriod('help_request', 'address'))),
    eb.or(HELP_REQUEST_DETAILS.map((column) => eb(sql.ref(`help_request.${column}`), '!=', ''))),
  ]);

const mentorshipDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'mentorship'>) =>
  eb.and([
    eb('mentorship.status', '=', 'ended'),
    eb('mentorship.ended_at', '<', cutoff(c.now, c.periods, declaredPeriod('mentorship'))),
    stillHolds('mentorship', MENTORSHIP_DETAILS, c.blanks),
  ]);

/**
 * Accounts whose owner is to be warned: no activity for the period less the warning time,
 * not warned since their last activity (a sign-in clears the warning: sessions.ts). People
 * without an e-mail address cannot be warned; their accounts are deleted at the period's end
 * all the same.
 */
const warningDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'app_user'>) =>
  eb.and([
    eb('app_user.email', 'is not', null),
    eb(lastActivity(c.now), '<=', warningCutoff(c)),
    eb.or([eb('app_user.inactivity_warned_at', 'is', null), eb('app_user.inactivity_warned_at', '<', lastActivity(c.now))]),
    subjectToInactivity(eb, c),
  ]);

/** Counts how many rows a query selects (its one column is `n`). */
async function counted(kind: RetentionKind, query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }): Promise<Partial<RetentionCounts>> {
  return { [kind]: Number((await query.executeTakeFirstOrThrow()).n) };
}

const affected = (kind: RetentionKind, result: { numDeletedRows?: bigint; numUpdatedRows?: bigint }): Partial<RetentionCounts> => ({
  [kind]: Number(result.numDeletedRows ?? result.numUpdatedRows ?? 0n),
});

/**
 * Accounts at the end of the period: no activity for the whole period, and warned at least the
 * warning time ago, after the last activity. People without an e-mail address could not be
 * warned; their accounts are deleted at the period's end all the same.
 */
const inactiveDue = (c: RuleContext) => (eb: ExpressionBuilder<Database, 'app_user'>) =>
  eb.and([
    eb(lastActivity(c.now), '<=', cutoff(c.now, c.periods, 'inactiveAccountMonths')),
    eb.or([
      eb('app_user.email', 'is', null),
      eb.and([
        eb('app_user.inactivity_warned_at', '>=', lastActivity(c.now)),
        eb('app_user.inactivity_warned_at', '<=', new Date(c.now.getTime() - INACTIVITY_WARNING_DAYS * DAY_MS)),
      ]),
    ]),
    subjectToInactivity(eb, c),
  ]);

const RULES: readonly Rule[] = [
  {
    kind: 'expired_sessions',
    count: (c) => counted('expired_sessions', c.db.selectFrom('session').select((eb) => eb.fn.countAll().as('n')).where(expiredSession(c))),
    applyBatch: async (c) =>
      affected(
        'expired_sessions',
        await c.db
          .deleteFrom('session')
          .where('id', 'in', c.db.selectFrom('session').select('session.id').where(expiredSession(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'email_links',
    count: (c) => counted('email_links', c.db.selectFrom('email_token').select((eb) => eb.fn.countAll().as('n')).where(staleEmailLink(c))),
    applyBatch: async (c) =>
      affected(
        'email_links',
        await c.db
          .deleteFrom('email_token')
          .where('token_hash', 'in', c.db.selectFrom('email_token').select('email_token.token_hash').where(staleEmailLink(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'claim_codes',
    count: (c) => counted('claim_codes', c.db.selectFrom('claim_code').select((eb) => eb.fn.countAll().as('n')).where(expiredClaimCode(c))),
    applyBatch: async (c) =>
      affected(
        'claim_codes',
        await c.db
          .deleteFrom('claim_code')
          .where('user_id', 'in', c.db.selectFrom('claim_code').select('claim_code.user_id').where(expiredClaimCode(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'telegram_link_codes',
    count: (c) => counted('telegram_link_codes', c.db.selectFrom('telegram_link_code').select((eb) => eb.fn.countAll().as('n')).where(expiredTelegramLinkCode(c))),
    applyBatch: async (c) =>
      affected(
        'telegram_link_codes',
        await c.db
          .deleteFrom('telegram_link_code')
          .where('code_hash', 'in', c.db.selectFrom('telegram_link_code').select('telegram_link_code.code_hash').where(expiredTelegramLinkCode(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    // With each batch of invitations go the accounts only they held.
    kind: 'invitations',
    count: async (c) => ({
      ...(await counted('invitations', c.db.selectFrom('invitation').select((eb) => eb.fn.countAll().as('n')).where(expiredInvitation(c)))),
      ...(await counted(
        'invitation_accounts',
        c.db
          .selectFrom('app_user')
          .select((eb) => eb.fn.countAll().as('n'))
          .where((eb) => eb.exists(eb.selectFrom('invitation').select('invitation.id').whereRef('invitation.user_id', '=', 'app_user.id')))
          .where((eb) => heldByNoInvitation(eb, expiredInvitation(c))),
      )),
    }),
    applyBatch: (c) =>
      c.db.transaction().execute(async (trx) => {
        const due = await trx.selectFrom('invitation').select(['invitation.id', 'invitation.user_id']).where(expiredInvitation(c)).limit(c.batchSize).forUpdate().skipLocked().execute();
        if (due.length === 0) return { invitations: 0 };
        await trx.deleteFrom('invitation').where('id', 'in', due.map((d) => d.id)).execute();
        const accounts = await deleteAccountsNothingHolds(trx, [...new Set(due.map((d) => d.user_id))]);
        return { invitations: due.length, invitation_accounts: accounts };
      }),
  },
  {
    kind: 'rate_limits',
    count: (c) => counted('rate_limits', c.db.selectFrom('rate_limit').select((eb) => eb.fn.countAll().as('n')).where(endedRateWindow(c))),
    applyBatch: async (c) =>
      affected(
        'rate_limits',
        await c.db
          .deleteFrom('rate_limit')
          .where('key', 'in', c.db.selectFrom('rate_limit').select('rate_limit.key').where(endedRateWindow(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    // One-tap answer links, a week after their activity started (answer-links.ts): until then
    // an old link says "too late" rather than "not found".
    kind: 'answer_links',
    count: (c) => counted('answer_links', c.db.selectFrom('answer_token').select((eb) => eb.fn.countAll().as('n')).where(staleAnswerToken(c.now))),
    applyBatch: async (c) =>
      affected(
        'answer_links',
        await c.db
          .deleteFrom('answer_token')
          .where('token_hash', 'in', c.db.selectFrom('answer_token').select('answer_token.token_hash').where(staleAnswerToken(c.now)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    // The whole row goes, not only its body: a sent mail's kind and address without its text
    // answer nothing the period does not already cover, and the outbox never reads a sent mail.
    kind: 'sent_messages',
    count: (c) => counted('sent_messages', c.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where(oldMessage(c))),
    applyBatch: async (c) =>
      affected(
        'sent_messages',
        await c.db
          .deleteFrom('outbox')
          .where('id', 'in', c.db.selectFrom('outbox').select('outbox.id').where(oldMessage(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'audit_log',
    count: (c) => counted('audit_log', c.db.selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).where(oldAuditEvent(c))),
    applyBatch: async (c) =>
      affected(
        'audit_log',
        await c.db
          .deleteFrom('audit_event')
          .where('id', 'in', c.db.selectFrom('audit_event').select('audit_event.id').where(oldAuditEvent(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    // An unused account has nothing but its own rows (sessions, links, mails to it), which go
    // with it; a mail that names it to someone else goes too.
    kind: 'unconfirmed_sign_ups',
    count: (c) => counted('unconfirmed_sign_ups', c.db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).where((eb) => unconfirmedSignUpDue(eb, c))),
    applyBatch: (c) =>
      c.db.transaction().execute(async (trx) => {
        const due = await trx.selectFrom('app_user').select('app_user.id').where((eb) => unconfirmedSignUpDue(eb, c)).limit(c.batchSize).forUpdate().skipLocked().execute();
        if (due.length === 0) return { unconfirmed_sign_ups: 0 };
        const ids = due.map((d) => d.id);
        await trx.deleteFrom('outbox').where('about_user_id', 'in', ids).execute();
        return affected('unconfirmed_sign_ups', await trx.deleteFrom('app_user').where('id', 'in', ids).executeTakeFirst());
      }),
  },
  {
    // Account holders' RSVPs lose their note; a walk-in's RSVP names nobody but by its name,
    // so it is made anonymous (the schema wants a name or an account otherwise).
    kind: 'rsvp_notes',
    count: (c) => counted('rsvp_notes', c.db.selectFrom('rsvp').select((eb) => eb.fn.countAll().as('n')).where(rsvpNoteDue(c))),
    applyBatch: (c) =>
      c.db.transaction().execute(async (trx) => {
        const due = await trx.selectFrom('rsvp').select(['rsvp.id', 'rsvp.user_id']).where(rsvpNoteDue(c)).limit(c.batchSize).forUpdate().skipLocked().execute();
        const ofAccounts = due.filter((d) => d.user_id !== null).map((d) => d.id);
        const walkIns = due.filter((d) => d.user_id === null).map((d) => d.id);
        if (ofAccounts.length) await trx.updateTable('rsvp').set(clearing(RSVP_SHORT_LIVED_VALUES)).where('id', 'in', ofAccounts).execute();
        if (walkIns.length) await anonymiseRsvps(trx, walkIns, c.now);
        return { rsvp_notes: due.length };
      }),
  },
  {
    // The office's notes and the queue of a consultation hour are for the day: walk-ins go, and
    // bookings keep topic, language and whether the person came, but not the note.
    kind: 'consultation_details',
    count: async (c) => {
      const [walkIns, notes] = await Promise.all([
        c.db.selectFrom('consultation_walk_in').select((eb) => eb.fn.countAll<number>().as('n')).where(walkInDue(c)).executeTakeFirstOrThrow(),
        c.db.selectFrom('consultation_booking').select((eb) => eb.fn.countAll<number>().as('n')).where(bookingNoteDue(c)).executeTakeFirstOrThrow(),
      ]);
      return { consultation_details: Number(walkIns.n) + Number(notes.n) };
    },
    applyBatch: (c) =>
      c.db.transaction().execute(async (trx) => {
        const walkIns = await trx.selectFrom('consultation_walk_in').select('id').where(walkInDue(c)).limit(c.batchSize).forUpdate().skipLocked().execute();
        if (walkIns.length) await trx.deleteFrom('consultation_walk_in').where('id', 'in', walkIns.map((w) => w.id)).execute();
        const notes = await trx.selectFrom('consultation_booking').select('id').where(bookingNoteDue(c)).limit(c.batchSize).forUpdate().skipLocked().execute();
        if (notes.length) await trx.updateTable('consultation_booking').set({ note: '' }).where('id', 'in', notes.map((n) => n.id)).execute();
        return { consultation_details: walkIns.length + notes.length };
      }),
  },
  {
    kind: 'attendance',
    count: (c) => counted('attendance', c.db.selectFrom('rsvp').select((eb) => eb.fn.countAll().as('n')).where(attendanceDue(c))),
    applyBatch: (c) =>
      c.db.transaction().execute(async (trx) => {
        const due = await trx.selectFrom('rsvp').select('rsvp.id').where(attendanceDue(c)).limit(c.batchSize).forUpdate().skipLocked().execute();
        if (due.length) await anonymiseRsvps(trx, due.map((d) => d.id), c.now);
        return { attendance: due.length };
      }),
  },
  {
    kind: 'meeting_notes',
    count: (c) => counted('meeting_notes', c.db.selectFrom('mentoring_meeting').select((eb) => eb.fn.countAll().as('n')).where(meetingDue(c))),
    applyBatch: async (c) =>
      affected(
        'meeting_notes',
        await c.db
          .updateTable('mentoring_meeting')
          .set(clearing(MEETING_DETAILS))
          .where('id', 'in', c.db.selectFrom('mentoring_meeting').select('mentoring_meeting.id').where(meetingDue(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'request_details',
    count: (c) => counted('request_details', c.db.selectFrom('mentoring_request').select((eb) => eb.fn.countAll().as('n')).where(requestDue(c))),
    applyBatch: async (c) =>
      affected(
        'request_details',
        await c.db
          .updateTable('mentoring_request')
          .set(clearing(REQUEST_DETAILS))
          .where('id', 'in', c.db.selectFrom('mentoring_request').select('mentoring_request.id').where(requestDue(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'help_request_details',
    count: (c) => counted('help_request_details', c.db.selectFrom('help_request').select((eb) => eb.fn.countAll().as('n')).where(helpRequestDue(c))),
    applyBatch: async (c) =>
      affected(
        'help_request_details',
        await c.db
          .updateTable('help_request')
          .set(Object.fromEntries(HELP_REQUEST_DETAILS.map((column) => [column, ''])))
          .where('id', 'in', c.db.selectFrom('help_request').select('help_request.id').where(helpRequestDue(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'mentorship_reasons',
    count: (c) => counted('mentorship_reasons', c.db.selectFrom('mentorship').select((eb) => eb.fn.countAll().as('n')).where(mentorshipDue(c))),
    applyBatch: async (c) =>
      affected(
        'mentorship_reasons',
        await c.db
          .updateTable('mentorship')
          .set(clearing(MENTORSHIP_DETAILS))
          .where('id', 'in', c.db.selectFrom('mentorship').select('mentorship.id').where(mentorshipDue(c)).limit(c.batchSize).forUpdate().skipLocked())
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'inactivity_warnings',
    count: (c) => counted('inactivity_warnings', c.db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).where(warningDue(c))),
    applyBatch: (c) =>
      c.db.transaction().execute(async (trx) => {
        const due = await trx
          .selectFrom('app_user')
          .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale', lastActivity(c.now).as('last_activity')])
          .where(warningDue(c))
          .orderBy('app_user.id')
          .limit(c.batchSize)
          .forUpdate()
          .skipLocked()
          .execute();
        for (const person of due) {
          // Deleted at the period's end, and never less than the warning time after this mail.
          const periodEnd = addMonths(new Date(person.last_activity), c.periods.inactiveAccountMonths);
          const deleteAfter = new Date(Math.max(periodEnd.getTime(), c.now.getTime() + INACTIVITY_WARNING_DAYS * DAY_MS));
          await enqueueMessage(trx, {
            kind: 'account_inactive',
            recipientUserId: person.id,
            recipientEmail: person.email,
            locale: person.locale,
            payload: { name: person.display_name, deleteAfter: deleteAfter.toISOString(), url: `${c.baseUrl}${localePath(person.locale, '/sign-in')}` },
          });
        }
        if (due.length) await trx.updateTable('app_user').set({ inactivity_warned_at: c.now }).where('id', 'in', due.map((d) => d.id)).execute();
        return { inactivity_warnings: due.length };
      }),
  },
  {
    // Deleted as "Delete my account" deletes (erasure.ts): what the person takes part in ends
    // by the features' rules, everything naming them goes or is made anonymous. One erasure
    // (one transaction) at a time.
    kind: 'inactive_accounts',
    count: (c) => counted('inactive_accounts', c.db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).where(inactiveDue(c))),
    applyBatch: async (c) => {
      const due = await c.db.selectFrom('app_user').select('app_user.id').where(inactiveDue(c)).orderBy('app_user.id').limit(c.batchSize).execute();
      let erased = 0;
      for (const { id } of due) {
        if (c.signal?.aborted) break;
        // Asked again just before: someone may have signed in while the ones before were erased.
        const still = await c.db.selectFrom('app_user').select('app_user.id').where('app_user.id', '=', id).where(inactiveDue(c)).executeTakeFirst();
        if (!still) continue;
        await erasePerson(c.db, id, { requester: { by: 'retention' }, ip: null, baseUrl: c.baseUrl, now: c.now });
        erased += 1;
      }
      return { inactive_accounts: erased };
    },
  },
];

/** Makes RSVPs anonymous as the declaration says: every column naming someone cleared; the
 * party size, status and check-in stay, so the organisers' counts keep their numbers. */
async function anonymiseRsvps(trx: Transaction<Database>, ids: number[], now: Date): Promise<void> {
  await trx
    .updateTable('rsvp')
    .set({ ...clearing(RSVP_ANONYMOUS), anonymised_at: now })
    .where('id', 'in', ids)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Running.

function noCounts(): RetentionCounts {
  return Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, 0])) as RetentionCounts;
}

/**
 * Applies every rule (or, with dryRun, counts what each would change). Returns the counts per
 * kind. Interrupted by the signal between two batches, it throws RetentionInterrupted with the
 * counts of what it did.
 */
export async function applyRetention(db: Kysely<Database>, options: RetentionOptions): Promise<RetentionCounts> {
  const c: RuleContext = {
    db,
    now: options.now ?? new Date(),
    periods: await loadRetentionPeriods(db),
    batchSize: options.batchSize ?? RETENTION_BATCH_SIZE,
    baseUrl: options.baseUrl,
    signal: options.signal,
    blanks: await readBlanks(db),
  };
  const counts = noCounts();
  const add = (some: Partial<RetentionCounts>) => {
    for (const [kind, n] of Object.entries(some) as Array<[RetentionKind, number]>) counts[kind] += n;
  };
  for (const rule of RULES) {
    if (options.only && !options.only.includes(rule.kind)) continue;
    if (options.dryRun) {
      add(await rule.count(c));
      continue;
    }
    for (;;) {
      if (c.signal?.aborted) throw new RetentionInterrupted(counts);
      const done = await rule.applyBatch(c);
      add(done);
      if ((done[rule.kind] ?? 0) < c.batchSize) break;
    }
  }
  return counts;
}

export interface RetentionRun {
  id: number;
  day: string;
  startedBy: 'schedule' | 'command';
  startedAt: Date;
  finishedAt: Date | null;
  counts: Partial<RetentionCounts> | null;
}

export interface RunOptions extends Omit<RetentionOptions, 'dryRun'> {
  /** The town's time zone: a run belongs to the town's calendar day. */
  timeZone: string;
}

/** Runs and records one run in its row: counts, finish time, and the audit event. */
async function recordedRun(db: Kysely<Database>, run: { id: number; day: string; startedBy: 'schedule' | 'command'; startedAt: Date }, options: RunOptions): Promise<RetentionRun> {
  let counts: RetentionCounts;
  try {
    counts = await applyRetention(db, options);
  } catch (error) {
    // What was done stays done and is audited; the day's row goes, so that another check (on
    // any server) runs the day again.
    if (error instanceof RetentionInterrupted) {
      await recordAudit(db, { actorUserId: null, action: 'privacy.retention_run', objectType: 'privacy_run', objectId: run.id, details: { ...error.counts, interrupted: true } }).catch(() => undefined);
    }
    await db.deleteFrom('privacy_run').where('id', '=', run.id).execute().catch(() => undefined);
    throw error;
  }
  const finishedAt = options.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('privacy_run').set({ finished_at: finishedAt, counts: JSON.stringify(counts) }).where('id', '=', run.id).execute();
    await recordAudit(trx, { actorUserId: null, action: 'privacy.retention_run', objectType: 'privacy_run', objectId: run.id, details: counts });
  });
  return { ...run, finishedAt, counts };
}

/**
 * The daily run, exactly once across all app servers: the one whose insert of the day's row
 * succeeds runs it; the others (and later checks the same day) find the row and do nothing.
 * A run left unfinished for STALE_RUN_MS (its server died) is taken over. Returns the run, or
 * null when the day's run is another's or done.
 */
export async function runScheduledRetention(db: Kysely<Database>, options: RunOptions): Promise<RetentionRun | null> {
  const now = options.now ?? new Date();
  const day = zonedDateInput(options.timeZone, now);
  const claimed = await db
    .insertInto('privacy_run')
    .values({ day, started_by: 'schedule', started_at: now })
    .onConflict((oc) =>
      oc
        .column('day')
        .where('started_by', '=', 'schedule')
        .doUpdateSet({ started_at: now, counts: null })
        .where('privacy_run.finished_at', 'is', null)
        .where('privacy_run.started_at', '<', new Date(now.getTime() - STALE_RUN_MS)),
    )
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return null;
  return recordedRun(db, { id: claimed.id, day, startedBy: 'schedule', startedAt: now }, options);
}

/** A run now, whatever the day's scheduled run did (`npm run privacy:purge`). */
export async function runRetentionNow(db: Kysely<Database>, options: RunOptions): Promise<RetentionRun> {
  const now = options.now ?? new Date();
  const day = zonedDateInput(options.timeZone, now);
  const row = await db.insertInto('privacy_run').values({ day, started_by: 'command', started_at: now }).returning('id').executeTakeFirstOrThrow();
  return recordedRun(db, { id: row.id, day, startedBy: 'command', startedAt: now }, options);
}

/** The latest runs, newest first, for the admin page. */
export async function latestRetentionRuns(db: Kysely<Database>, limit = 10): Promise<RetentionRun[]> {
  const rows = await db
    .selectFrom('privacy_run')
    .select(['id', sql<string>`day::text`.as('day'), 'started_by', 'started_at', 'finished_at', 'counts'])
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, day: r.day, startedBy: r.started_by, startedAt: r.started_at, finishedAt: r.finished_at, counts: r.counts as Partial<RetentionCounts> | null }));
}

export interface RetentionSchedule {
  /** Stops checking; a run in progress stops after its current batch. */
  stop(): Promise<void>;
}

/** How often a server checks whether the day's run is still to do. */
export const RETENTION_CHECK_MS = 60 * 60_000;

/** The first check, this long after the server starts: a town that restarts its server every
 * night still gets its run, and the start itself is not slowed. */
export const RETENTION_FIRST_CHECK_MS = 10_000;

/**
 * Checks soon after the server starts, then every RETENTION_CHECK_MS, whether the day's run is
 * still to do, and runs it if this server gets it. The timers never keep the process alive.
 */
export function startRetentionSchedule(
  db: Kysely<Database>,
  options: Omit<RunOptions, 'signal' | 'now'> & { firstCheckMs?: number; checkEveryMs?: number; onError?: (error: unknown) => void },
): RetentionSchedule {
  const controller = new AbortController();
  let current: Promise<unknown> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const check = () => {
    current = runScheduledRetention(db, { ...options, signal: controller.signal })
      .then((run) => run && console.log(`[retention] ${describeCounts(run.counts ?? {})}`))
      .catch((error: unknown) => {
        if (!(error instanceof RetentionInterrupted)) (options.onError ?? ((e) => console.warn(`[retention] ${e instanceof Error ? e.message : e}`)))(error);
      })
      .finally(() => {
        current = null;
        schedule(options.checkEveryMs ?? RETENTION_CHECK_MS);
      });
  };
  const schedule = (ms: number) => {
    if (controller.signal.aborted) return;
    timer = setTimeout(check, ms);
    timer.unref();
  };
  schedule(options.firstCheckMs ?? RETENTION_FIRST_CHECK_MS);
  return {
    async stop() {
      controller.abort();
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

/** "expired_sessions 3, audit_log 120" (nothing: "nothing was due"), for logs and the command line. */
export function describeCounts(counts: Partial<RetentionCounts>): string {
  const due = RETENTION_KINDS.filter((kind) => (counts[kind] ?? 0) > 0).map((kind) => `${kind} ${counts[kind]}`);
  return due.length ? due.join(', ') : 'nothing was due';
}
