// Retention with an injected clock: for every rule a row just due goes (or is made anonymous)
// and a row just not due stays; nothing else in the database changes; a dry run changes
// nothing and counts what the real run then does; batches larger than one statement finish;
// the daily run happens once across servers and is audited; the warning mail goes once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, UserTable } from '../../src/db/schema.ts';
import { createSession } from '../../src/features/accounts/sessions.ts';
import { PERSONAL_DATA, personalTables } from '../../src/features/privacy/declaration.ts';
import {
  addMonths,
  applyRetention,
  latestRetentionRuns,
  RETENTION_KINDS,
  runRetentionNow,
  runScheduledRetention,
  STALE_RUN_MS,
  type RetentionCounts,
} from '../../src/features/privacy/retention.ts';
import { DEFAULT_RETENTION, loadRetentionPeriods, saveRetentionPeriods } from '../../src/features/privacy/retention-periods.ts';
import { changeRetentionPeriods, loadRetentionPage } from '../../src/features/privacy/retention.service.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { dumpDatabase } from '../helpers/canaries.ts';
import { createTestDatabase, serverUrl } from '../helpers/database.ts';

const NOW = new Date('2027-06-15T10:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const BASE_URL = 'https://ankommen.example';
const TIME_ZONE = 'Europe/Berlin';
/** Just before and just after an instant: the boundary of a rule, seen from both sides. */
const justBefore = (instant: Date) => new Date(instant.getTime() - MINUTE);
const justAfter = (instant: Date) => new Date(instant.getTime() + MINUTE);
const ago = (ms: number) => new Date(NOW.getTime() - ms);

// The cutoffs of the default periods at NOW, written out rather than computed by the code under test.
const SIX_MONTHS_AGO = new Date('2026-12-15T10:00:00Z');
const TWELVE_MONTHS_AGO = new Date('2026-06-15T10:00:00Z');
const TWENTY_FOUR_MONTHS_AGO = new Date('2025-06-15T10:00:00Z');
/** 24 months less the 30 days of warning. */
const WARNING_CUTOFF = new Date('2025-07-15T10:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());

let people = 0;
/** A person with an account made at `created` (the default: a day before NOW). */
async function person(name: string, values: Partial<Insertable<UserTable>> = {}): Promise<number> {
  people += 1;
  const row = await db
    .insertInto('app_user')
    .values({
      email: `${name}-${people}@test.example`,
      password_hash: 'not-a-real-hash',
      display_name: `Person ${people}`,
      locale: 'de',
      email_verified_at: ago(DAY),
      created_at: ago(DAY),
      last_signed_in_at: ago(DAY),
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function organisation(slug: string): Promise<number> {
  return (await db.insertInto('organisation').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow()).id;
}

async function activity(organisationId: number, endsAt: Date): Promise<number> {
  const row = await db
    .insertInto('activity')
    .values({
      organisation_id: organisationId,
      status: 'published',
      title: 'Sprachcafé',
      description: 'Deutsch sprechen.',
      source_locale: 'de',
      category: 'language',
      starts_at: new Date(endsAt.getTime() - 2 * 60 * MINUTE),
      ends_at: endsAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function rsvp(activityId: number, who: { userId: number } | { walkIn: string }, note = '', partySize = 2): Promise<number> {
  const row = await db
    .insertInto('rsvp')
    .values({
      activity_id: activityId,
      user_id: 'userId' in who ? who.userId : null,
      walk_in_name: 'walkIn' in who ? who.walkIn : null,
      party_size: partySize,
      note,
      status: 'going',
      checked_in_at: ago(400 * DAY),
      checked_in_count: partySize,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

let kuemmerer: number;
let newcomers = 0;
/** A mentorship (with its request) of the Kümmerer and a new newcomer. */
async function mentorship(values: { endedAt: Date | null; endReason?: string }): Promise<number> {
  newcomers += 1;
  const newcomer = await person(`newcomer`);
  const request = await db
    .insertInto('mentoring_request')
    .values({ newcomer_user_id: newcomer, topics: ['housing'], languages: ['ar'], contact_preference: 'coordinator', status: values.endedAt ? 'closed' : 'matched', updated_at: ago(DAY) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('mentorship')
    .values({
      request_id: request.id,
      kuemmerer_user_id: kuemmerer,
      newcomer_user_id: newcomer,
      status: values.endedAt ? 'ended' : 'active',
      started_at: ago(900 * DAY),
      ended_at: values.endedAt,
      end_reason: values.endReason ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function meeting(mentorshipId: number, tag: string): Promise<number> {
  const row = await db
    .insertInto('mentoring_meeting')
    .values({ mentorship_id: mentorshipId, starts_at: ago(800 * DAY), ends_at: ago(800 * DAY - 60 * MINUTE), place: `${tag}-place`, topics: [`${tag}-topic`], private_note: `${tag}-meeting-note` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function request(status: 'closed' | 'withdrawn' | 'open', updatedAt: Date, tag: string): Promise<number> {
  const newcomer = await person('asking');
  const row = await db
    .insertInto('mentoring_request')
    .values({ newcomer_user_id: newcomer, topics: ['paperwork'], languages: ['uk'], note: `${tag}-request-note`, contact_preference: 'phone', contact_detail: `${tag}-contact`, status, created_at: ago(800 * DAY), updated_at: updatedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A help request in the given state, its details tagged; finished (reported) at `finishedAt`,
 * otherwise last changed at `updatedAt`. */
async function helpRequest(status: 'done' | 'withdrawn' | 'expired' | 'taken', at: Date, tag: string): Promise<number> {
  const asker = await person('asking-help');
  const helper = status === 'done' || status === 'taken' ? await person('helping') : null;
  const row = await db
    .insertInto('help_request')
    .values({
      asker_user_id: asker,
      kind: 'interpreting',
      starts_at: ago(400 * DAY),
      district: 'Altena-Mitte',
      address: `${tag}-help-address`,
      languages: ['fa'],
      note: `${tag}-help-note`,
      asker_contact: `${tag}-asker-contact`,
      helper_contact: helper ? `${tag}-helper-contact` : '',
      thanks_message: status === 'done' ? `${tag}-thanks` : '',
      thanked_at: status === 'done' ? at : null,
      status,
      helper_user_id: helper,
      taken_at: helper ? ago(400 * DAY) : null,
      minutes_spent: status === 'done' ? 60 : null,
      finished_at: status === 'done' ? at : null,
      created_at: ago(800 * DAY),
      updated_at: status === 'done' ? ago(DAY) : at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function mail(recipient: number, tag: string, values: { status: 'sent' | 'dead' | 'pending'; createdAt: Date; sentAt?: Date | null; aboutUserId?: number }): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      kind: 'rsvp_going',
      recipient_user_id: recipient,
      about_user_id: values.aboutUserId ?? null,
      recipient_email: 'someone@test.example',
      locale: 'de',
      payload: JSON.stringify({ name: tag }),
      status: values.status,
      created_at: values.createdAt,
      sent_at: values.sentAt ?? null,
      next_attempt_at: values.createdAt,
    })
    .execute();
}

async function session(userId: number, id: string, createdAt: Date, lastVerifiedAt: Date): Promise<void> {
  await db.insertInto('session').values({ id, user_id: userId, secret_hash: Buffer.from(id), created_at: createdAt, last_verified_at: lastVerifiedAt }).execute();
}

/** Each table's rows as text, to see which rows a run removed, changed or added. */
async function rowsByTable(): Promise<Map<string, string[]>> {
  const dump = await dumpDatabase(db);
  return new Map([...dump].map(([table, text]) => [table, text ? text.split('\n') : []]));
}

function differences(before: Map<string, string[]>, after: Map<string, string[]>) {
  const changes = new Map<string, { gone: string[]; added: string[] }>();
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(table) ?? [];
    const now = after.get(table) ?? [];
    const gone = old.filter((row) => !now.includes(row));
    const added = now.filter((row) => !old.includes(row));
    if (gone.length || added.length) changes.set(table, { gone, added });
  }
  return changes;
}

const nothing = (): RetentionCounts => Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, 0])) as RetentionCounts;

describe('every rule, at its boundary', () => {
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const active = await person('active');
    kuemmerer = await person('kuemmerer');
    ids.active = active;

    // Sessions: idle for the idle limit, or signed in for the absolute limit.
    await session(active, 'due-session-idle', ago(11 * DAY), justBefore(ago(10 * DAY)));
    await session(active, 'kept-session-idle', ago(11 * DAY), justAfter(ago(10 * DAY)));
    await session(active, 'due-session-max', justBefore(ago(30 * DAY)), ago(DAY));
    await session(active, 'kept-session-max', justAfter(ago(30 * DAY)), ago(DAY));

    // Links mailed for confirming or resetting: kept a week after they expire.
    for (const [tag, expires] of [['due-token', justBefore(ago(7 * DAY))], ['kept-token', justAfter(ago(7 * DAY))]] as const) {
      await db.insertInto('email_token').values({ token_hash: tag, user_id: active, purpose: 'reset_password', expires_at: expires }).execute();
    }

    // Claim codes of people a coordinator registered.
    for (const [tag, expires] of [['due-code', justBefore(NOW)], ['kept-code', justAfter(NOW)]] as const) {
      const registered = await person(`registered`, { email: null, email_verified_at: null, registered_by_coordination: true, password_hash: null, last_signed_in_at: null });
      await db.insertInto('claim_code').values({ user_id: registered, code_hash: tag, expires_at: expires }).execute();
    }

    // Telegram link codes: 15 minutes, then nothing is left of them.
    for (const [tag, expires] of [['due-telegram-code', justBefore(NOW)], ['kept-telegram-code', justAfter(NOW)]] as const) {
      await db.insertInto('telegram_link_code').values({ user_id: active, code_hash: tag, expires_at: expires, created_at: ago(15 * MINUTE) }).execute();
    }

    // Invitations, and the accounts only they made: kept 30 days after the link expired.
    const library = await organisation('library');
    const club = await organisation('club');
    const invitee = (tag: string) => person(tag, { password_hash: null, email_verified_at: null, last_signed_in_at: null });
    const invite = (organisationId: number, userId: number, tag: string, expires: Date) =>
      db.insertInto('invitation').values({ organisation_id: organisationId, user_id: userId, role: 'organiser', token_hash: tag, expires_at: expires, sent_at: ago(40 * DAY) }).execute();
    await invite(library, await invitee('due-invitee'), 'due-invitation', justBefore(ago(30 * DAY)));
    await invite(library, await invitee('kept-invitee'), 'kept-invitation', justAfter(ago(30 * DAY)));
    // One of two invitations expired: the account stays for the other.
    const twice = await invitee('kept-twice-invited');
    await invite(library, twice, 'due-invitation-2', justBefore(ago(30 * DAY)));
    await invite(club, twice, 'kept-invitation-2', justAfter(ago(30 * DAY)));

    // Rate-limit counters whose window ended.
    await db.insertInto('rate_limit').values([{ key: 'due-window', hits: 3, window_ends_at: justBefore(NOW) }, { key: 'kept-window', hits: 3, window_ends_at: justAfter(NOW) }]).execute();

    // Mails sent or set aside 30 days ago; one still to send is never touched.
    await mail(active, 'due-sent', { status: 'sent', createdAt: ago(40 * DAY), sentAt: justBefore(ago(30 * DAY)) });
    await mail(active, 'kept-sent', { status: 'sent', createdAt: ago(40 * DAY), sentAt: justAfter(ago(30 * DAY)) });
    await mail(active, 'due-dead', { status: 'dead', createdAt: justBefore(ago(30 * DAY)) });
    await mail(active, 'kept-dead', { status: 'dead', createdAt: justAfter(ago(30 * DAY)) });
    await mail(active, 'kept-pending', { status: 'pending', createdAt: ago(400 * DAY) });

    // The audit log: 12 months.
    await db
      .insertInto('audit_event')
      .values([
        { action: 'account.signed_in', object_id: 'due-audit', at: justBefore(TWELVE_MONTHS_AGO) },
        { action: 'account.signed_in', object_id: 'kept-audit', at: justAfter(TWELVE_MONTHS_AGO) },
      ])
      .execute();

    // Sign-ups never confirmed: 7 days, and only when the account was never used.
    const unconfirmed = await person('due-unconfirmed', { email_verified_at: null, created_at: justBefore(ago(7 * DAY)), last_signed_in_at: justBefore(ago(7 * DAY)) });
    await session(unconfirmed, 'due-unconfirmed-session', ago(8 * DAY), ago(8 * DAY));
    await mail(unconfirmed, 'due-confirmation', { status: 'pending', createdAt: ago(8 * DAY) });
    await mail(active, 'due-about-unconfirmed', { status: 'pending', createdAt: ago(8 * DAY), aboutUserId: unconfirmed });
    await person('kept-unconfirmed-young', { email_verified_at: null, created_at: justAfter(ago(7 * DAY)), last_signed_in_at: null });
    const used = await person('kept-unconfirmed-used', { email_verified_at: null, created_at: ago(60 * DAY), last_signed_in_at: ago(60 * DAY) });

    // RSVP notes and walk-in names: 30 days after the activity; attendance: 24 months.
    const notesDue = await activity(library, justBefore(ago(30 * DAY)));
    const notesKept = await activity(library, justAfter(ago(30 * DAY)));
    const attendanceDue = await activity(library, justBefore(TWENTY_FOUR_MONTHS_AGO));
    const attendanceKept = await activity(library, justAfter(TWENTY_FOUR_MONTHS_AGO));
    ids.noteDue = await rsvp(notesDue, { userId: active }, 'due-note');
    ids.walkInDue = await rsvp(notesDue, { walkIn: 'due-walk-in' }, '', 3);
    ids.noNote = await rsvp(notesDue, { userId: used });
    ids.noteKept = await rsvp(notesKept, { userId: active }, 'kept-note');
    ids.walkInKept = await rsvp(notesKept, { walkIn: 'kept-walk-in' });
    ids.attendanceDue = await rsvp(attendanceDue, { userId: active }, 'due-attendance-note', 4);
    ids.attendanceWalkInDue = await rsvp(attendanceDue, { walkIn: 'due-attendance-walk-in' });
    ids.attendanceKept = await rsvp(attendanceKept, { userId: active });
    // Past the notes period but not the attendance one: the walk-in's name goes, the row stays counted.
    ids.walkInDue2 = await rsvp(attendanceKept, { walkIn: 'due-walk-in-2' });

    // One-tap answer links: a week after their activity started (an old link says "too late" till then).
    for (const [tag, startsAt] of [['due-answer-link', justBefore(ago(7 * DAY))], ['kept-answer-link', justAfter(ago(7 * DAY))]] as const) {
      const answered = await rsvp(await activity(library, new Date(startsAt.getTime() + 2 * 60 * MINUTE)), { userId: active });
      await db.insertInto('answer_token').values({ token_hash: tag, rsvp_id: answered, expires_at: startsAt }).execute();
    }

    // Meetings of mentorships ended 6 months ago; the reason it ended: 12 months.
    ids.meetingDue = await meeting(await mentorship({ endedAt: justBefore(SIX_MONTHS_AGO), endReason: 'kept-reason-1' }), 'due');
    ids.meetingKept = await meeting(await mentorship({ endedAt: justAfter(SIX_MONTHS_AGO) }), 'kept');
    ids.meetingActive = await meeting(await mentorship({ endedAt: null }), 'kept-active');
    ids.reasonDue = await mentorship({ endedAt: justBefore(TWELVE_MONTHS_AGO), endReason: 'due-reason' });
    ids.reasonKept = await mentorship({ endedAt: justAfter(TWELVE_MONTHS_AGO), endReason: 'kept-reason-2' });

    // Requests closed or withdrawn 12 months ago; an open one is never touched.
    ids.requestDue = await request('closed', justBefore(TWELVE_MONTHS_AGO), 'due');
    ids.requestKept = await request('withdrawn', justAfter(TWELVE_MONTHS_AGO), 'kept');
    ids.requestOpen = await request('open', ago(800 * DAY), 'kept-open');

    // Help requests finished 6 months ago (a report counts from finished_at, whatever changed
    // later — a thanks; withdrawing or expiring from the last change); one still taken never.
    ids.helpDoneDue = await helpRequest('done', justBefore(SIX_MONTHS_AGO), 'due');
    ids.helpWithdrawnDue = await helpRequest('withdrawn', justBefore(SIX_MONTHS_AGO), 'due');
    ids.helpExpiredKept = await helpRequest('expired', justAfter(SIX_MONTHS_AGO), 'kept');
    ids.helpDoneKept = await helpRequest('done', justAfter(SIX_MONTHS_AGO), 'kept');
    ids.helpTaken = await helpRequest('taken', ago(800 * DAY), 'kept-taken');

    // Accounts nobody signs in to: warned 30 days before the 24 months are over.
    ids.warnDue = await person('due-warn', { created_at: ago(900 * DAY), last_signed_in_at: justBefore(WARNING_CUTOFF) });
    ids.warnKept = await person('kept-warn', { created_at: ago(900 * DAY), last_signed_in_at: justAfter(WARNING_CUTOFF) });
    // Signed in long ago, but a session still in use: active.
    ids.usesSession = await person('kept-session-user', { created_at: ago(900 * DAY), last_signed_in_at: ago(900 * DAY) });
    await session(ids.usesSession, 'kept-live-session', ago(2 * DAY), ago(DAY));
    // A warning from before the last sign-in counts for nothing: warned again.
    ids.warnAgain = await person('due-warn-again', { created_at: ago(900 * DAY), last_signed_in_at: justBefore(WARNING_CUTOFF), inactivity_warned_at: ago(800 * DAY) });
    // Warned after the last sign-in: not again.
    ids.warnedAlready = await person('kept-warned', { created_at: ago(900 * DAY), last_signed_in_at: ago(720 * DAY), inactivity_warned_at: ago(10 * DAY) });
    // Nobody can be warned without an address: deleted at the end of the 24 months all the same.
    const withoutAddress = (createdAt: Date) => person('registered', { email: null, display_name: 'no-address', registered_by_coordination: true, password_hash: null, email_verified_at: null, created_at: createdAt, last_signed_in_at: null });
    ids.noAddressDue = await withoutAddress(justBefore(TWENTY_FOUR_MONTHS_AGO));
    ids.noAddressKept = await withoutAddress(justAfter(TWENTY_FOUR_MONTHS_AGO));
    await db.updateTable('app_user').set({ display_name: 'due-no-address' }).where('id', '=', ids.noAddressDue).execute();

    // Accounts at the end of the 24 months, warned at least 30 days before: erased, as
    // "Delete my account" erases (their RSVP stays counted, naming nobody).
    ids.inactiveDue = await person('due-inactive', { created_at: ago(900 * DAY), last_signed_in_at: justBefore(TWENTY_FOUR_MONTHS_AGO), inactivity_warned_at: justBefore(ago(30 * DAY)) });
    ids.inactiveRsvp = await rsvp(await activity(library, ago(10 * DAY)), { userId: ids.inactiveDue }, 'due-inactive-note');
    // Warned less than 30 days ago: not yet.
    ids.inactiveWarnedLately = await person('kept-inactive-warned-lately', { created_at: ago(900 * DAY), last_signed_in_at: justBefore(TWENTY_FOUR_MONTHS_AGO), inactivity_warned_at: justAfter(ago(30 * DAY)) });
    // Active a minute too late for the 24 months.
    ids.inactiveActive = await person('kept-inactive-active', { created_at: ago(900 * DAY), last_signed_in_at: justAfter(TWENTY_FOUR_MONTHS_AGO), inactivity_warned_at: ago(31 * DAY) });
  });

  const expected: Partial<RetentionCounts> = {
    expired_sessions: 2,
    email_links: 1,
    claim_codes: 1,
    telegram_link_codes: 1,
    invitations: 2,
    invitation_accounts: 1,
    rate_limits: 1,
    answer_links: 1,
    sent_messages: 2,
    audit_log: 1,
    unconfirmed_sign_ups: 1,
    rsvp_notes: 3,
    attendance: 2,
    meeting_notes: 1,
    request_details: 1,
    help_request_details: 2,
    mentorship_reasons: 1,
    inactivity_warnings: 2,
    inactive_accounts: 2,
  };

  it('counts in a dry run exactly what is due, changing nothing', async () => {
    const before = await rowsByTable();
    const counts = await applyRetention(db, { now: NOW, baseUrl: BASE_URL, dryRun: true });
    expect(counts).toEqual({ ...nothing(), ...expected });
    expect(differences(before, await rowsByTable())).toEqual(new Map());
  });

  it('then removes or blanks exactly the rows that are due, and changes nothing else', async () => {
    const before = await rowsByTable();
    const counts = await applyRetention(db, { now: NOW, baseUrl: BASE_URL });
    expect(counts).toEqual({ ...nothing(), ...expected });
    const changes = differences(before, await rowsByTable());

    // Every row that changed or went was marked due, and every row marked due changed or went.
    for (const [table, rows] of before) {
      const gone = changes.get(table)?.gone ?? [];
      expect(gone.filter((row) => !row.includes('due-')), `${table}: rows not due that changed`).toEqual([]);
      expect(rows.filter((row) => row.includes('due-') && !gone.includes(row)), `${table}: rows due that stayed`).toEqual([]);
    }
    // New rows: the changed rows' new versions, the two warning mails, the two erasures in the audit log.
    const added = Object.fromEntries([...changes].filter(([, c]) => c.added.length).map(([table, c]) => [table, c.added.length]));
    expect(added).toEqual({ app_user: 2, outbox: 2, rsvp: 6, mentoring_meeting: 1, mentoring_request: 1, help_request: 2, mentorship: 1, audit_event: 2 });
    const erasures = await db.selectFrom('audit_event').select(['actor_user_id', 'object_type', 'details']).where('action', '=', 'account.deleted').execute();
    expect(erasures).toHaveLength(2);
    expect(JSON.stringify(erasures)).not.toMatch(/due-|no-address/);
  });

  it('leaves an anonymous RSVP counted, naming nobody', async () => {
    const rows = await db.selectFrom('rsvp').selectAll().where('id', 'in', [ids.attendanceDue!, ids.walkInDue!, ids.noteDue!]).orderBy('id').execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.attendanceDue!)).toMatchObject({ user_id: null, walk_in_name: null, note: '', created_by: null, party_size: 4, checked_in_count: 4, status: 'going', anonymised_at: NOW });
    expect(byId.get(ids.walkInDue!)).toMatchObject({ user_id: null, walk_in_name: null, note: '', party_size: 3, anonymised_at: NOW });
    // An account holder's RSVP keeps the person, without the note.
    expect(byId.get(ids.noteDue!)).toMatchObject({ user_id: ids.active, note: '', anonymised_at: null });
    // The RSVP of an erased account: still there, still counted, naming nobody.
    expect(await db.selectFrom('rsvp').selectAll().where('id', '=', ids.inactiveRsvp!).executeTakeFirstOrThrow()).toMatchObject({ user_id: null, note: '', party_size: 2, anonymised_at: NOW });
  });

  it('erases the accounts at the end of the period, and only those', async () => {
    const left = await db.selectFrom('app_user').select('id').where('id', 'in', [ids.inactiveDue!, ids.noAddressDue!, ids.inactiveWarnedLately!, ids.inactiveActive!, ids.noAddressKept!]).execute();
    expect(left.map((r) => r.id).sort((a, b) => a - b)).toEqual([ids.inactiveWarnedLately!, ids.inactiveActive!, ids.noAddressKept!].sort((a, b) => a - b));
  });

  it('blanks what the declaration says of meetings, requests and mentorships', async () => {
    expect(await db.selectFrom('mentoring_meeting').select(['place', 'topics', 'private_note']).where('id', '=', ids.meetingDue!).executeTakeFirstOrThrow()).toEqual({ place: '', topics: [], private_note: '' });
    const requestRow = await db.selectFrom('mentoring_request').select(['note', 'contact_detail', 'topics', 'status']).where('id', '=', ids.requestDue!).executeTakeFirstOrThrow();
    expect(requestRow).toEqual({ note: '', contact_detail: '', topics: ['paperwork'], status: 'closed' });
    expect((await db.selectFrom('mentorship').select('end_reason').where('id', '=', ids.reasonDue!).executeTakeFirstOrThrow()).end_reason).toBeNull();
  });

  it('blanks a finished help request\'s address, note, contacts and thanks; keeps what it was, when and how long', async () => {
    const row = await db.selectFrom('help_request').selectAll().where('id', '=', ids.helpDoneDue!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ address: '', note: '', asker_contact: '', helper_contact: '', thanks_message: '', status: 'done', kind: 'interpreting', district: 'Altena-Mitte', minutes_spent: 60, languages: ['fa'] });
    expect(row.thanked_at).not.toBeNull();
    expect(await db.selectFrom('help_request').select(['address', 'note', 'asker_contact']).where('id', '=', ids.helpWithdrawnDue!).executeTakeFirstOrThrow()).toEqual({ address: '', note: '', asker_contact: '' });
    expect((await db.selectFrom('help_request').select('address').where('id', '=', ids.helpTaken!).executeTakeFirstOrThrow()).address).toBe('kept-taken-help-address');
  });

  it('queues the warning mail with the day of deletion and a sign-in link, once', async () => {
    const mails = await db.selectFrom('outbox').selectAll().where('kind', '=', 'account_inactive').orderBy('recipient_user_id').execute();
    expect(mails.map((m) => m.recipient_user_id)).toEqual([ids.warnDue, ids.warnAgain]);
    // The 24 months end a minute before the 30 days of warning do: the later one counts.
    expect(mails[0]!.payload).toMatchObject({ deleteAfter: '2027-07-15T10:00:00.000Z', url: `${BASE_URL}/sign-in` });
    const text = renderMail({ id: 1, kind: 'account_inactive', recipientUserId: ids.warnDue!, recipientEmail: mails[0]!.recipient_email, channel: 'email', locale: 'de', payload: mails[0]!.payload, attempts: 1 }, { townName: 'Altena', timeZone: TIME_ZONE });
    expect(text.subject).toBe('Ihr Konto bei Ankommen wird bald gelöscht');
    expect(text.text).toContain('ab dem Donnerstag, 15. Juli 2027');
    expect(text.text).toContain(`${BASE_URL}/sign-in`);
    for (const id of [ids.warnDue, ids.warnAgain]) {
      expect((await db.selectFrom('app_user').select('inactivity_warned_at').where('id', '=', id!).executeTakeFirstOrThrow()).inactivity_warned_at).toEqual(NOW);
    }
    // Asked again, nobody is warned twice.
    expect(await applyRetention(db, { now: NOW, baseUrl: BASE_URL, dryRun: true })).toEqual(nothing());
  });

  it('forgets the warning when the person signs in, and warns again only when the time comes again', async () => {
    const signedIn = new Date(NOW.getTime() + DAY);
    await createSession(db, ids.warnDue!, signedIn);
    expect((await db.selectFrom('app_user').select('inactivity_warned_at').where('id', '=', ids.warnDue!).executeTakeFirstOrThrow()).inactivity_warned_at).toBeNull();
    const warnedAt = async () => (await db.selectFrom('app_user').select('inactivity_warned_at').where('id', '=', ids.warnDue!).executeTakeFirstOrThrow()).inactivity_warned_at;
    // Not warned at the next runs, until 24 months less 30 days have passed since that sign-in.
    const due = new Date(addMonths(signedIn, 24).getTime() - 30 * DAY);
    for (const now of [new Date(signedIn.getTime() + DAY), justBefore(due)]) {
      await applyRetention(db, { now, baseUrl: BASE_URL, only: ['inactivity_warnings'] });
      expect(await warnedAt()).toBeNull();
    }
    await applyRetention(db, { now: due, baseUrl: BASE_URL, only: ['inactivity_warnings'] });
    expect(await warnedAt()).toEqual(due);
    expect(await db.selectFrom('outbox').select('id').where('kind', '=', 'account_inactive').where('recipient_user_id', '=', ids.warnDue!).execute()).toHaveLength(2);
  });
});

describe('batches', () => {
  it('finishes when more rows are due than one batch holds', async () => {
    const owner = await person('batch-owner');
    for (let i = 0; i < 7; i++) await session(owner, `batch-session-${i}`, ago(40 * DAY), ago(40 * DAY));
    await db.insertInto('rate_limit').values(Array.from({ length: 6 }, (_, i) => ({ key: `batch-window-${i}`, hits: 1, window_ends_at: ago(MINUTE) }))).execute();
    const dry = await applyRetention(db, { now: NOW, baseUrl: BASE_URL, dryRun: true, only: ['expired_sessions', 'rate_limits'] });
    expect(dry).toMatchObject({ expired_sessions: 7, rate_limits: 6 });
    const counts = await applyRetention(db, { now: NOW, baseUrl: BASE_URL, batchSize: 3, only: ['expired_sessions', 'rate_limits'] });
    expect(counts).toMatchObject({ expired_sessions: 7, rate_limits: 6 });
    expect(await db.selectFrom('session').select('id').where('id', 'like', 'batch-session-%').execute()).toEqual([]);
    expect(await db.selectFrom('rate_limit').select('key').where('key', 'like', 'batch-window-%').execute()).toEqual([]);
  });

  it('stops between batches when asked to, keeping what it did', async () => {
    const owner = await person('interrupted-owner');
    for (let i = 0; i < 4; i++) await session(owner, `stopped-session-${i}`, ago(40 * DAY), ago(40 * DAY));
    const controller = new AbortController();
    controller.abort();
    await expect(applyRetention(db, { now: NOW, baseUrl: BASE_URL, batchSize: 2, signal: controller.signal })).rejects.toThrow('retention was interrupted');
    expect(await db.selectFrom('session').select('id').where('id', 'like', 'stopped-session-%').execute()).toHaveLength(4);
  });
});

describe('the periods a site admin set', () => {
  it('are the ones the rules use', async () => {
    const activityId = await activity(await organisation('periods'), ago(45 * DAY));
    const walkIn = await rsvp(activityId, { walkIn: 'period-walk-in' });
    await saveRetentionPeriods(db, { ...DEFAULT_RETENTION, rsvpNotesDays: 60 });
    expect((await applyRetention(db, { now: NOW, baseUrl: BASE_URL, dryRun: true, only: ['rsvp_notes'] })).rsvp_notes).toBe(0);
    await saveRetentionPeriods(db, { ...DEFAULT_RETENTION, rsvpNotesDays: 40 });
    expect((await applyRetention(db, { now: NOW, baseUrl: BASE_URL, only: ['rsvp_notes'] })).rsvp_notes).toBe(1);
    expect((await db.selectFrom('rsvp').select('walk_in_name').where('id', '=', walkIn).executeTakeFirstOrThrow()).walk_in_name).toBeNull();
    await saveRetentionPeriods(db, DEFAULT_RETENTION);
  });
});

describe('consultation details', () => {
  it('deletes walk-ins and blanks booking notes consultationDetailsDays after the hour; the booking itself stays', async () => {
    const organisationId = await organisation('consultations');
    const newcomer = await person('consultation-newcomer');
    async function hour(endedDaysAgo: number) {
      const ends = ago(endedDaysAgo * DAY);
      const row = await db.insertInto('consultation_hour').values({ organisation_id: organisationId, starts_at: new Date(ends.getTime() - 3_600_000), ends_at: ends, slot_minutes: 60, topics: ['housing'], languages: ['de'] }).returning('id').executeTakeFirstOrThrow();
      const slot = await db.insertInto('consultation_slot').values({ hour_id: row.id, starts_at: new Date(ends.getTime() - 3_600_000), ends_at: ends }).returning('id').executeTakeFirstOrThrow();
      const booking = await db.insertInto('consultation_booking').values({ slot_id: slot.id, user_id: newcomer, topic: 'housing', language: 'de', note: 'Mietvertrag', status: 'booked', attendance: 'present' }).returning('id').executeTakeFirstOrThrow();
      const walkIn = await db.insertInto('consultation_walk_in').values({ hour_id: row.id, name: 'Walk In', topic: 'housing', language: 'ar', note: 'privat' }).returning('id').executeTakeFirstOrThrow();
      return { booking: booking.id, walkIn: walkIn.id };
    }
    const old = await hour(31);
    const recent = await hour(29);
    expect((await applyRetention(db, { now: NOW, baseUrl: BASE_URL, dryRun: true, only: ['consultation_details'] })).consultation_details).toBe(2);
    expect((await applyRetention(db, { now: NOW, baseUrl: BASE_URL, only: ['consultation_details'] })).consultation_details).toBe(2);
    expect(await db.selectFrom('consultation_walk_in').select('id').where('id', 'in', [old.walkIn, recent.walkIn]).execute()).toEqual([{ id: recent.walkIn }]);
    const bookings = await db.selectFrom('consultation_booking').select(['id', 'note', 'topic', 'attendance']).where('id', 'in', [old.booking, recent.booking]).orderBy('id').execute();
    expect(bookings).toEqual([
      { id: old.booking, note: '', topic: 'housing', attendance: 'present' },
      { id: recent.booking, note: 'Mietvertrag', topic: 'housing', attendance: 'present' },
    ]);
    // A shorter period set by the site admin takes the recent ones too.
    await saveRetentionPeriods(db, { ...DEFAULT_RETENTION, consultationDetailsDays: 20 });
    expect((await applyRetention(db, { now: NOW, baseUrl: BASE_URL, only: ['consultation_details'] })).consultation_details).toBe(2);
    await saveRetentionPeriods(db, DEFAULT_RETENTION);
    expect(await applyRetention(db, { now: NOW, baseUrl: BASE_URL, dryRun: true, only: ['consultation_details'] })).toMatchObject({ consultation_details: 0 });
  });
});

describe('changing the periods', () => {
  it('is for site admins only, and audited with what changed', async () => {
    const admin = await db.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale', 'is_admin', 'email_verified_at']).where('id', '=', await person('admin', { is_admin: true })).executeTakeFirstOrThrow();
    const resident = { ...admin, id: await person('resident'), is_admin: false };
    await expect(changeRetentionPeriods(db, resident, { ...DEFAULT_RETENTION, auditLogMonths: 1 }, '203.0.113.9')).rejects.toThrow(NotFoundError);
    await expect(loadRetentionPage(db, resident)).rejects.toThrow(NotFoundError);
    expect(await loadRetentionPeriods(db)).toEqual(DEFAULT_RETENTION);

    await changeRetentionPeriods(db, admin, { ...DEFAULT_RETENTION, auditLogMonths: 6 }, '203.0.113.9');
    expect((await loadRetentionPage(db, admin)).periods.find((p) => p.key === 'auditLogMonths')).toEqual({ key: 'auditLogMonths', value: 6, unit: 'months', min: 1, max: 120 });
    const audit = await db.selectFrom('audit_event').select(['actor_user_id', 'details', 'ip']).where('action', '=', 'privacy.retention_changed').executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_user_id: admin.id, details: { auditLogMonths: '12 → 6' }, ip: '203.0.113.9' });
    await saveRetentionPeriods(db, DEFAULT_RETENTION);
  });
});

describe('the declaration', () => {
  it('links tables and columns to the periods the rules read', async () => {
    const periods = new Set<string>();
    for (const [, declaration] of personalTables()) {
      if ('period' in declaration.kept) periods.add(declaration.kept.period);
      for (const column of Object.values(declaration.columns)) if (column.kept && 'period' in column.kept) periods.add(column.kept.period);
    }
    // The account periods are the accounts' own rules (see retention.ts); the rest come from the declaration.
    expect([...periods].sort()).toEqual(['attendanceMonths', 'auditLogMonths', 'consultationDetailsDays', 'helpRequestDetailsMonths', 'meetingNotesMonths', 'requestDetailsMonths', 'rsvpNotesDays', 'sentMessageDays']);
    expect(PERSONAL_DATA.consultation_booking.columns.note.kept).toEqual({ period: 'consultationDetailsDays' });
    expect(PERSONAL_DATA.consultation_walk_in.kept).toEqual({ period: 'consultationDetailsDays' });
    for (const column of ['address', 'note', 'asker_contact', 'helper_contact', 'thanks_message'] as const) expect(PERSONAL_DATA.help_request.columns[column].kept, column).toEqual({ period: 'helpRequestDetailsMonths' });
    expect(PERSONAL_DATA.rsvp.columns.note.kept).toEqual({ period: 'rsvpNotesDays' });
  });
});

describe('the daily run', () => {
  it('runs once a day across servers, audited with its counts', async () => {
    const day = new Date('2027-08-01T22:30:00Z'); // already 2 August in Berlin
    const owner = await person('daily-owner');
    await session(owner, 'daily-expired-session', ago(40 * DAY), ago(40 * DAY));
    const options = { now: day, baseUrl: BASE_URL, timeZone: TIME_ZONE };
    // Two servers check at the same moment: on PostgreSQL really at once, on the embedded
    // database (one connection) one after the other.
    const runs = serverUrl
      ? await Promise.all([runScheduledRetention(db, options), runScheduledRetention(db, options)])
      : [await runScheduledRetention(db, options), await runScheduledRetention(db, options)];
    const ran = runs.filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    const run = ran[0]!;
    expect(run).toMatchObject({ day: '2027-08-02', startedBy: 'schedule', finishedAt: day });
    expect(run.counts?.expired_sessions).toBeGreaterThanOrEqual(1);

    // An hour later, the same day: nothing.
    expect(await runScheduledRetention(db, { ...options, now: new Date(day.getTime() + 60 * MINUTE) })).toBeNull();
    const audits = await db.selectFrom('audit_event').select(['object_id', 'details', 'actor_user_id']).where('action', '=', 'privacy.retention_run').execute();
    expect(audits).toEqual([{ object_id: String(run.id), details: run.counts, actor_user_id: null }]);
    const [latest] = await latestRetentionRuns(db);
    expect(latest).toEqual(run);

    // The next day it runs again.
    expect(await runScheduledRetention(db, { ...options, now: new Date(day.getTime() + DAY) })).toMatchObject({ day: '2027-08-03' });
  });

  it('takes over a day whose run died with its server', async () => {
    const now = new Date('2027-09-01T12:00:00Z');
    await db.insertInto('privacy_run').values({ day: '2027-09-01', started_by: 'schedule', started_at: new Date(now.getTime() - STALE_RUN_MS + MINUTE) }).execute();
    expect(await runScheduledRetention(db, { now, baseUrl: BASE_URL, timeZone: TIME_ZONE })).toBeNull();
    const later = new Date(now.getTime() + 2 * MINUTE);
    expect(await runScheduledRetention(db, { now: later, baseUrl: BASE_URL, timeZone: TIME_ZONE })).toMatchObject({ day: '2027-09-01', finishedAt: later });
    expect(await db.selectFrom('privacy_run').select('id').where(sql`day`, '=', '2027-09-01').execute()).toHaveLength(1);
  });

  it('runs by hand whatever the schedule did, recorded and audited', async () => {
    const now = new Date('2027-08-02T09:00:00Z');
    const run = await runRetentionNow(db, { now, baseUrl: BASE_URL, timeZone: TIME_ZONE });
    expect(run).toMatchObject({ day: '2027-08-02', startedBy: 'command', finishedAt: now });
    const audit = await db.selectFrom('audit_event').select('details').where('action', '=', 'privacy.retention_run').where('object_id', '=', String(run.id)).executeTakeFirstOrThrow();
    expect(audit.details).toEqual(run.counts);
  });
});
