// Kümmerer mentoring on the engine under test: the ranking rule and its reasons, capacity under
// concurrent assignment, applications and their mails, claim codes that work exactly once,
// who may see and do what, private notes that never leave the Kümmerer and coordinators, and
// the calendar reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { confirmEmail, requestPasswordReset, resetPassword, signIn } from '../../src/features/accounts/accounts.service.ts';
import { validateSessionToken, type SessionUser } from '../../src/features/accounts/sessions.ts';
import { createCalendarToken } from '../../src/features/feeds/personal-feed.ts';
import { generateClaimCode, normaliseClaimCode, CLAIM_ALPHABET } from '../../src/features/mentoring/claim-code.ts';
import { describeSuggestion, rankKuemmerer, type MatchCandidate } from '../../src/features/mentoring/matching.ts';
import { mentorshipRole, requestRole } from '../../src/features/mentoring/mentoring.access.ts';
import { getClaimPerson, getMentorship, getMyMentoring, listMeetingsForCalendar, listOpenRequests, listRegisteredPeople, meetingsFingerprint, REGISTERED_PEOPLE_PAGE } from '../../src/features/mentoring/mentoring.queries.ts';
import { applyInput, claimInput, requestInput, decideApplicationInput, meetingInput, requestForPersonInput } from '../../src/features/mentoring/mentoring.schema.ts';
import {
  applyAsKuemmerer,
  assignKuemmerer,
  decideApplication,
  deleteMeeting,
  endMentorship,
  reassignMentorship,
  lookUpClaimCode,
  redeemClaimCode,
  regenerateClaimCode,
  requestKuemmerer,
  saveMeeting,
  withdrawRequest,
} from '../../src/features/mentoring/mentoring.service.ts';
import { enqueueMessage } from '../../src/features/outbox/outbox.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { translator } from '../../src/i18n/index.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';
import { makeCoordinator, makeKuemmerer, makeOrganiserOnly, makeRequest, registerPerson } from '../helpers/mentoring.ts';

const ORIGIN = { ip: '192.0.2.1', baseUrl: 'https://ankommen.example' };
const SETTINGS = { townName: 'Altena', timeZone: 'Europe/Berlin' };
const NOW = new Date('2030-05-20T10:00:00Z');
/** The personal feed's history start: 30 days before now. */
const FEED_FROM = new Date(NOW.getTime() - 30 * 24 * 60 * 60 * 1000);
let ips = 0;
const origin = () => ({ ...ORIGIN, ip: `198.51.100.${++ips % 250}` });

let handle: DatabaseHandle;
let db: Kysely<Database>;
let coordinator: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  coordinator = await makeCoordinator(db);
});
afterAll(() => handle?.close());

const mailsToAddress = (email: string, kind: string) =>
  db.selectFrom('outbox').select(['locale', 'secrets']).where('recipient_email', '=', email).where('kind', '=', kind).orderBy('id').execute();
/** The token of a mailed link (the outbox keeps it apart from the payload until sent). */
const tokenIn = (row: { secrets: Record<string, unknown> | null }) => new URL(String(row.secrets?.url)).searchParams.get('token')!;
const addressOf = (userId: number) => db.selectFrom('app_user').select(['email', 'email_verified_at']).where('id', '=', userId).executeTakeFirstOrThrow();

async function mailsTo(userId: number) {
  return db.selectFrom('outbox').select(['kind', 'payload', 'locale', 'recipient_email']).where('recipient_user_id', '=', userId).orderBy('id').execute();
}

async function activeCount(kuemmererId: number): Promise<number> {
  const rows = await db.selectFrom('mentorship').select('id').where('kuemmerer_user_id', '=', kuemmererId).where('status', '=', 'active').execute();
  return rows.length;
}

describe('ranking Kümmerer for a request', () => {
  const candidate = (userId: number, languages: string[], topics: string[], maxMentees: number, activeMentees: number, status: MatchCandidate['status'] = 'approved'): MatchCandidate => ({
    userId,
    displayName: `K${userId}`,
    status,
    languages,
    topics,
    maxMentees,
    activeMentees,
  });
  const request = { newcomerUserId: 999, languages: ['ar', 'de'], topics: ['german', 'paperwork', 'housing'] };
  const fixed = [
    candidate(1, ['de'], ['german', 'paperwork', 'housing'], 3, 0), // one language, all topics: before two topics
    candidate(2, ['ar', 'de'], ['german'], 3, 2), // two languages, one topic
    candidate(3, ['ar'], ['german', 'paperwork'], 3, 1), // one language, two topics, 2 free
    candidate(4, ['ar'], ['german', 'paperwork'], 5, 1), // same, but 4 free
    candidate(5, ['ar'], ['german', 'paperwork'], 2, 0), // same, 2 free, but less load than 3
    candidate(6, ['ar', 'de'], ['housing'], 1, 1), // at capacity
    candidate(7, ['ar', 'de'], ['german', 'paperwork', 'housing'], 5, 0, 'paused'),
    candidate(8, ['ar', 'de'], ['german', 'paperwork', 'housing'], 5, 0, 'pending'),
    candidate(9, ['ar', 'de'], ['german', 'paperwork', 'housing'], 5, 0, 'declined'),
    candidate(10, ['uk'], ['everyday'], 2, 0), // nothing shared
    candidate(999, ['ar', 'de'], ['german', 'paperwork', 'housing'], 5, 0), // the newcomer themself
    candidate(11, ['ar'], ['german', 'paperwork'], 3, 1), // ties with 3: the lower id first
  ];

  it('orders by shared languages, topics covered, free places, load, then id', () => {
    const ranked = rankKuemmerer(request, fixed);
    expect(ranked.map((s) => s.candidate.userId)).toEqual([2, 1, 4, 5, 3, 11, 10]);
  });

  it('never suggests anyone at capacity, paused, pending, declined, or the newcomer', () => {
    const ids = rankKuemmerer(request, fixed).map((s) => s.candidate.userId);
    for (const never of [6, 7, 8, 9, 999]) expect(ids).not.toContain(never);
  });

  it('says why, in words, in the reader language', () => {
    const ranked = rankKuemmerer({ newcomerUserId: 999, languages: ['ar'], topics: ['german', 'paperwork', 'housing'] }, [candidate(3, ['ar', 'de'], ['german', 'paperwork'], 3, 1), candidate(10, ['uk'], ['everyday'], 2, 0)]);
    expect(describeSuggestion(translator('en'), ranked[0]!.reason)).toBe('speaks Arabic · covers 2 of 3 topics · 1 of 3 places taken');
    expect(describeSuggestion(translator('de'), ranked[0]!.reason)).toBe('spricht Arabisch · deckt 2 von 3 Themen ab · 1 von 3 Plätzen belegt');
    expect(describeSuggestion(translator('en'), ranked[1]!.reason)).toBe('no shared language · covers 0 of 3 topics · 0 of 2 places taken');
  });
});

describe('applying to be a Kümmerer', () => {
  it('checks the form: topics, languages, 1–5 mentees, contact and the code of conduct', () => {
    const ok = applyInput.safeParse({ topics: ['german', 'housing', 'german'], languages: ['ar'], maxMentees: '2', note: '', contactDetails: '0170 1', codeOfConduct: 'on' });
    expect(ok.success && ok.data).toMatchObject({ topics: ['german', 'housing'], languages: ['ar'], maxMentees: 2 });
    const bad = applyInput.safeParse({ topics: [], languages: ['xx'], maxMentees: '6', note: '', contactDetails: '', codeOfConduct: null });
    expect(bad.success).toBe(false);
    const messages = Object.fromEntries((bad.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(messages).toMatchObject({
      topics: 'mentoring.error.topics',
      languages: 'mentoring.error.languages',
      maxMentees: 'mentoring.error.maxMentees',
      contactDetails: 'error.required',
      codeOfConduct: 'mentoring.error.codeOfConduct',
    });
    // A decline needs a message for the person.
    expect(decideApplicationInput.safeParse({ kuemmererId: '3', decision: 'decline', message: '' }).success).toBe(false);
    expect(decideApplicationInput.safeParse({ kuemmererId: '3', decision: 'approve', message: '' }).success).toBe(true);
  });

  it('waits for a coordinator, who approves, pauses and resumes; the applicant is told each time in their language', async () => {
    const applicant = await makePerson(db, { name: 'Petra Paten', locale: 'uk' });
    const input = applyInput.parse({ topics: ['german'], languages: ['de', 'uk'], maxMentees: '2', note: 'Lehrerin', contactDetails: 'petra@example.org', codeOfConduct: 'on' });
    expect(await applyAsKuemmerer(db, applicant, input, ORIGIN, NOW)).toEqual({ ok: true, status: 'pending' });
    // Neither the applicant, an organiser nor another Kümmerer may decide.
    for (const actor of [applicant, await makeOrganiserOnly(db), await makeKuemmerer(db), null]) {
      await expect(decideApplication(db, actor, { kuemmererId: applicant.id, decision: 'approve', message: '' }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await decideApplication(db, coordinator, { kuemmererId: applicant.id, decision: 'approve', message: '' }, ORIGIN, NOW)).toEqual({ ok: true, status: 'approved' });
    expect(await decideApplication(db, coordinator, { kuemmererId: applicant.id, decision: 'approve', message: '' }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'mentoring.error.transition' } });
    expect(await decideApplication(db, coordinator, { kuemmererId: applicant.id, decision: 'pause', message: 'Urlaub bis Juli' }, ORIGIN, NOW)).toMatchObject({ ok: true, status: 'paused' });
    // A paused Kümmerer is never suggested.
    const newcomer = await makePerson(db);
    const requestId = await makeRequest(db, newcomer, { languages: ['uk'] });
    const open = await listOpenRequests(db, coordinator);
    expect(open.find((r) => r.request.id === requestId)!.suggestions.map((s) => s.candidate.userId)).not.toContain(applicant.id);
    expect(await assignKuemmerer(db, coordinator, { requestId, kuemmererId: applicant.id }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'mentoring.error.noPlace' } });
    expect(await decideApplication(db, coordinator, { kuemmererId: applicant.id, decision: 'resume', message: '' }, ORIGIN, NOW)).toMatchObject({ ok: true, status: 'approved' });
    const mails = await mailsTo(applicant.id);
    expect(mails.map((m) => m.kind)).toEqual(['mentoring_application_received', 'mentoring_application_approved', 'mentoring_application_paused', 'mentoring_application_approved']);
    expect(mails.every((m) => m.locale === 'uk')).toBe(true);
    const paused = renderMail({ id: 1, kind: 'mentoring_application_paused', recipientUserId: applicant.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'uk', payload: mails[2]!.payload, attempts: 1 }, SETTINGS);
    expect(paused.text).toContain('Urlaub bis Juli');
    expect(paused.subject).toBe('Вашу діяльність наставника призупинено');
  });

  it('whatever the coordinator writes reaches the applicant’s mail, for every decision, as plain text', async () => {
    const message = 'Willkommen im Team!\nInfoabend am <b>Dienstag</b> & Kaffee um 18 Uhr.';
    const applicant = await makePerson(db, { name: 'Nora Neu' });
    const input = applyInput.parse({ topics: ['german'], languages: ['de'], maxMentees: '1', note: '', contactDetails: 'x', codeOfConduct: 'on' });
    await applyAsKuemmerer(db, applicant, input, ORIGIN, NOW);
    for (const decision of ['approve', 'pause', 'resume'] as const) {
      await decideApplication(db, coordinator, { kuemmererId: applicant.id, decision, message: `${message} (${decision})` }, ORIGIN, NOW);
      const mail = (await mailsTo(applicant.id)).at(-1)!;
      const rendered = renderMail({ id: 1, kind: mail.kind as 'mentoring_application_approved', recipientUserId: applicant.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'de', payload: mail.payload, attempts: 1 }, SETTINGS);
      expect(rendered.text, decision).toContain('Nachricht der Koordination:\nWillkommen im Team!\nInfoabend am <b>Dienstag</b> & Kaffee um 18 Uhr.');
      expect(rendered.text, decision).toContain(`(${decision})`);
    }
    // Without a message, the mail says nothing about one.
    const other = await makePerson(db);
    await applyAsKuemmerer(db, other, input, ORIGIN, NOW);
    await decideApplication(db, coordinator, { kuemmererId: other.id, decision: 'approve', message: '' }, ORIGIN, NOW);
    const plain = (await mailsTo(other.id)).at(-1)!;
    expect(renderMail({ id: 1, kind: 'mentoring_application_approved', recipientUserId: other.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'de', payload: plain.payload, attempts: 1 }, SETTINGS).text).not.toContain('Nachricht der Koordination');
  });

  it('a decline carries its message; the person may apply again, which waits again', async () => {
    const applicant = await makePerson(db);
    const input = applyInput.parse({ topics: ['housing'], languages: ['de'], maxMentees: '1', note: '', contactDetails: 'x', codeOfConduct: 'on' });
    await applyAsKuemmerer(db, applicant, input, ORIGIN, NOW);
    await decideApplication(db, coordinator, { kuemmererId: applicant.id, decision: 'decline', message: 'Bitte erst zum Infoabend kommen.' }, ORIGIN, NOW);
    const declined = (await mailsTo(applicant.id)).at(-1)!;
    expect(declined.kind).toBe('mentoring_application_declined');
    expect(renderMail({ id: 1, kind: 'mentoring_application_declined', recipientUserId: applicant.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'de', payload: declined.payload, attempts: 1 }, SETTINGS).text).toContain('Bitte erst zum Infoabend kommen.');
    expect(await applyAsKuemmerer(db, applicant, input, ORIGIN, NOW)).toEqual({ ok: true, status: 'pending' });
  });
});

describe('assignment', () => {
  it('never gives a Kümmerer more mentees than offered, however many coordinators assign at once', async () => {
    const kuemmerer = await makeKuemmerer(db, { maxMentees: 2 });
    const coordinators = await Promise.all(Array.from({ length: 3 }, () => makeCoordinator(db)));
    const requests = await Promise.all(Array.from({ length: 8 }, async () => makeRequest(db, await makePerson(db))));
    const results = await Promise.all(requests.map((requestId, i) => assignKuemmerer(db, coordinators[i % 3], { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.form?.key === 'mentoring.error.noPlace')).toBe(true);
    expect(await activeCount(kuemmerer.id)).toBe(2);
    const open = await listOpenRequests(db, coordinator);
    // At capacity: suggested for nobody any more.
    expect(open.flatMap((r) => r.suggestions.map((s) => s.candidate.userId))).not.toContain(kuemmerer.id);
  });

  it('one request gets one Kümmerer, even when two coordinators assign it at once', async () => {
    const [a, b] = [await makeKuemmerer(db), await makeKuemmerer(db)];
    const requestId = await makeRequest(db, await makePerson(db));
    const results = await Promise.all([
      assignKuemmerer(db, coordinator, { requestId, kuemmererId: a.id }, ORIGIN, NOW),
      assignKuemmerer(db, await makeCoordinator(db), { requestId, kuemmererId: b.id }, ORIGIN, NOW),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const rows = await db.selectFrom('mentorship').select('id').where('request_id', '=', requestId).execute();
    expect(rows).toHaveLength(1);
  });

  it('tells both sides, the newcomer only when they have an address; reassigning keeps the history', async () => {
    const kuemmerer = await makeKuemmerer(db, { name: 'Karin Weber', languages: ['ar'] });
    const other = await makeKuemmerer(db, { name: 'Omar Second', languages: ['ar'], maxMentees: 1 });
    const registered = await registerPerson(
      db,
      coordinator,
      { name: 'Yusuf Haddad', locale: 'ar', topics: ['paperwork'], languages: ['ar'], note: '', contactPreference: 'coordinator', contactDetail: '' },
      ORIGIN,
      NOW,
    );
    const assigned = await assignKuemmerer(db, coordinator, { requestId: registered.requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW);
    expect(assigned.ok).toBe(true);
    expect(await mailsTo(registered.personId)).toEqual([]);
    const told = await mailsTo(kuemmerer.id);
    expect(told.map((m) => m.kind)).toEqual(['mentoring_started_kuemmerer']);
    expect(told[0]!.payload).toMatchObject({ otherName: 'Yusuf' });
    if (!assigned.ok) return;
    const moved = await reassignMentorship(db, coordinator, { mentorshipId: assigned.mentorshipId, kuemmererId: other.id }, ORIGIN, NOW);
    expect(moved.ok).toBe(true);
    const history = await db.selectFrom('mentorship').select(['kuemmerer_user_id', 'status']).where('request_id', '=', registered.requestId).orderBy('id').execute();
    expect(history).toEqual([
      { kuemmerer_user_id: kuemmerer.id, status: 'ended' },
      { kuemmerer_user_id: other.id, status: 'active' },
    ]);
    expect((await mailsTo(kuemmerer.id)).map((m) => m.kind)).toEqual(['mentoring_started_kuemmerer', 'mentoring_ended']);
    // The old Kümmerer no longer sees the mentorship; the new one does.
    await expect(mentorshipRole(db, kuemmerer, assigned.mentorshipId)).rejects.toBeInstanceOf(NotFoundError);
    // The other one is now full: a further reassignment to them is refused.
    if (!moved.ok) return;
    expect(await reassignMentorship(db, coordinator, { mentorshipId: moved.mentorshipId, kuemmererId: other.id }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'mentoring.error.sameKuemmerer' } });
  });
});

describe('requests', () => {
  it('one live request per person, also when sent twice at once; withdrawing frees the way', async () => {
    const newcomer = await makePerson(db);
    const input = requestInput.parse({ topics: ['german'], languages: ['fa'], note: '', contactPreference: 'email', contactDetail: '', consent: 'on' });
    const results = await Promise.all([requestKuemmerer(db, newcomer, input, ORIGIN, NOW), requestKuemmerer(db, newcomer, input, ORIGIN, NOW)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const requestId = results.find((r) => r.ok && 'requestId' in r) as { requestId: number };
    await expect(withdrawRequest(db, await makePerson(db), requestId.requestId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await withdrawRequest(db, newcomer, requestId.requestId, NOW)).toEqual({ ok: true });
    expect((await requestKuemmerer(db, newcomer, input, ORIGIN, NOW)).ok).toBe(true);
  });

  it('a person registered by a coordinator needs name and language; phone needs a number', () => {
    const base = { name: 'Amina', locale: 'ar', topics: ['german'], languages: ['ar'], note: '', contactPreference: 'phone', contactDetail: '', paperConsent: 'on', consentSignedOn: '2030-05-20' };
    const bad = requestForPersonInput.safeParse(base);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toContain('mentoring.error.contactDetail');
    expect(requestForPersonInput.safeParse({ ...base, contactDetail: '0151 1' }).success).toBe(true);
    expect(requestForPersonInput.safeParse({ ...base, contactDetail: '0151 1', locale: 'xx' }).success).toBe(false);
    // The person has no address, so "by e-mail" is refused, whatever is typed as detail.
    const byMail = requestForPersonInput.safeParse({ ...base, contactPreference: 'email', contactDetail: 'amina@example.org' });
    expect(byMail.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['contactPreference', 'mentoring.error.noEmailPerson']]);
  });

  it('"by e-mail" is refused to someone who has no address, and the request is not written', async () => {
    const withoutAddress = await db
      .insertInto('app_user')
      .values({ email: null, password_hash: 'not-a-real-hash', display_name: 'Omid Ohne', locale: 'fa' })
      .returning(['id', 'email', 'display_name', 'locale', 'is_admin', 'email_verified_at'])
      .executeTakeFirstOrThrow();
    const byMail = requestInput.parse({ topics: ['german'], languages: ['fa'], note: '', contactPreference: 'email', contactDetail: '', consent: 'on' });
    expect(await requestKuemmerer(db, withoutAddress, byMail, ORIGIN, NOW)).toEqual({ ok: false, fields: { contactPreference: 'mentoring.error.noEmailSelf' } });
    expect(await db.selectFrom('mentoring_request').select('id').where('newcomer_user_id', '=', withoutAddress.id).execute()).toEqual([]);
    expect((await requestKuemmerer(db, withoutAddress, { ...byMail, contactPreference: 'in_person' }, ORIGIN, NOW)).ok).toBe(true);
  });
});

describe('claim codes', () => {
  const register = (name = 'Amina Saleh') =>
    registerPerson(db, coordinator, { name, locale: 'ar', topics: ['german'], languages: ['ar'], note: '', contactPreference: 'coordinator', contactDetail: '' }, ORIGIN, NOW);

  it('look like ABCD-EFGH-JKLM from an alphabet without look-alikes, and are read leniently', () => {
    const code = generateClaimCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(CLAIM_ALPHABET).toHaveLength(32);
    for (const c of 'IO01') expect(CLAIM_ALPHABET).not.toContain(c);
    expect(normaliseClaimCode(` ${code.toLowerCase().replaceAll('-', ' ')} `)).toBe(code.replaceAll('-', ''));
    expect(normaliseClaimCode('ABCD-EFGH-JKL0')).toBeNull();
    expect(new Set(Array.from({ length: 200 }, generateClaimCode)).size).toBe(200);
  });

  it('are stored only as a hash, create a person without e-mail or password who cannot sign in', async () => {
    const { personId, code } = await register();
    const row = await db.selectFrom('claim_code').selectAll().where('user_id', '=', personId).executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code.replaceAll('-', ''));
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    const person = await db.selectFrom('app_user').select(['email', 'password_hash', 'locale']).where('id', '=', personId).executeTakeFirstOrThrow();
    expect(person).toEqual({ email: null, password_hash: null, locale: 'ar' });
    // Nothing to mail to: the outbox stays empty for them.
    expect(await enqueueMessage(db, { kind: 'confirm_email', recipientUserId: personId, recipientEmail: null, locale: 'ar', payload: {} })).toBeNull();
    expect(await mailsTo(personId)).toEqual([]);
  });

  it('work once: set a password, sign in; then never again', async () => {
    const { personId, code } = await register();
    const redeemed = await redeemClaimCode(db, { signInName: '', code: code.toLowerCase(), email: '', password: 'Ein Garten am Fluss' }, origin(), NOW);
    if (!redeemed.ok) throw new Error(JSON.stringify(redeemed.fields));
    expect(redeemed).toMatchObject({ userId: personId, emailLinkSentTo: null });
    expect((await signIn(db, { login: redeemed.signInName, password: 'Ein Garten am Fluss' }, origin(), NOW)).ok).toBe(true);
    expect(await redeemClaimCode(db, { signInName: '', code, email: '', password: 'Noch ein anderes Passwort' }, origin(), NOW)).toEqual({ ok: false, fields: { code: 'mentoring.error.claimCode' } });
  });

  it('make a typed address the account\'s only once its link is opened, as the account page does', async () => {
    const { personId, code } = await register('Amina Haddad');
    const redeemed = await redeemClaimCode(db, { signInName: 'amina.h', code, email: 'amina@example.org', password: 'Ein Garten am Fluss' }, origin(), NOW);
    expect(redeemed).toMatchObject({ ok: true, userId: personId, emailLinkSentTo: 'amina@example.org' });
    expect(await addressOf(personId)).toEqual({ email: null, email_verified_at: null });
    expect(await signIn(db, { login: 'amina@example.org', password: 'Ein Garten am Fluss' }, origin(), NOW)).toEqual({ ok: false });
    const [link] = await mailsToAddress('amina@example.org', 'change_email');
    expect(link!.locale).toBe('ar');
    expect(await confirmEmail(db, tokenIn(link!), ORIGIN, NOW)).toEqual({ ok: true, userId: personId, purpose: 'change_email' });
    expect(await addressOf(personId)).toEqual({ email: 'amina@example.org', email_verified_at: NOW });
    expect((await signIn(db, { login: 'amina@example.org', password: 'Ein Garten am Fluss' }, origin(), NOW)).ok).toBe(true);
    // Now the person resets a forgotten password by mail: no coordinator makes a code for them.
    await expect(regenerateClaimCode(db, coordinator, personId, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('give the person a sign-in name from their first name, which they may change when claiming', async () => {
    const first = await register('Олена Коваленко');
    const second = await register('Олена Шевченко');
    const names = await db.selectFrom('app_user').select(['id', 'sign_in_name']).where('id', 'in', [first.personId, second.personId]).execute();
    const nameOf = (id: number) => names.find((n) => n.id === id)!.sign_in_name;
    expect(nameOf(first.personId)).toBe('олена');
    expect(nameOf(second.personId)).toMatch(/^олена[1-9]\d$/);
    // A name someone else has is refused, and the code keeps working.
    expect(await redeemClaimCode(db, { signInName: 'ОЛЕНА', code: second.code, email: '', password: 'Лелека над Дніпром' }, origin(), NOW)).toEqual({ ok: false, fields: { signInName: 'signInName.error.taken' } });
    const claimed = await redeemClaimCode(db, { signInName: 'Olena.K', code: second.code, email: '', password: 'Лелека над Дніпром' }, origin(), NOW);
    expect(claimed).toMatchObject({ ok: true, signInName: 'olena.k', settingNewPassword: false });
    expect((await signIn(db, { login: 'olena.k', password: 'Лелека над Дніпром' }, origin(), NOW)).ok).toBe(true);
    // Kept as the sheet printed it when the field is left alone.
    expect(await redeemClaimCode(db, { signInName: '', code: first.code, email: '', password: 'Лелека над Дніпром' }, origin(), NOW)).toMatchObject({ ok: true, signInName: 'олена' });
  });

  it('give a person without an address who forgot their password a new one, ending their sessions and calendar address', async () => {
    const { personId, code } = await register('Karim Haddad');
    const claimed = await redeemClaimCode(db, { signInName: '', code, email: '', password: 'Ein Garten am Fluss' }, origin(), NOW);
    if (!claimed.ok) throw new Error(JSON.stringify(claimed.fields));
    await createCalendarToken(db, personId, null, NOW);
    // The person is locked out: no address to reset by mail. The coordinator makes a new code.
    const fresh = await regenerateClaimCode(db, coordinator, personId, ORIGIN, NOW);
    const audit = await db.selectFrom('audit_event').select(['actor_user_id', 'details']).where('action', '=', 'mentoring.claim_code_created').where('object_id', '=', String(personId)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_user_id: coordinator.id, details: { forNewPassword: true } });
    expect(await lookUpClaimCode(db, fresh.code, origin(), NOW)).toMatchObject({ userId: personId, signInName: 'karim', settingNewPassword: true });
    const recovered = await redeemClaimCode(db, { signInName: '', code: fresh.code, email: '', password: 'Zwei Störche im Nest' }, origin(), NOW);
    expect(recovered).toMatchObject({ ok: true, userId: personId, signInName: 'karim', settingNewPassword: true });
    expect(await validateSessionToken(db, claimed.token, NOW)).toBeNull();
    expect(await db.selectFrom('calendar_token').select('user_id').where('user_id', '=', personId).executeTakeFirst()).toBeUndefined();
    expect(await signIn(db, { login: 'karim', password: 'Ein Garten am Fluss' }, origin(), NOW)).toEqual({ ok: false });
    expect((await signIn(db, { login: 'karim', password: 'Zwei Störche im Nest' }, origin(), NOW)).ok).toBe(true);
  });

  it('open nothing once the address is confirmed by its link, also a code printed before', async () => {
    const { personId, code } = await register('Samir Nasser');
    expect((await redeemClaimCode(db, { signInName: 'samir', code, email: 'samir@example.org', password: 'Ein Garten am Fluss' }, origin(), NOW)).ok).toBe(true);
    // The address waits for its link, so the coordinator may still print a code for a new password.
    const printed = await regenerateClaimCode(db, coordinator, personId, ORIGIN, NOW);
    expect(await lookUpClaimCode(db, printed.code, origin(), NOW)).toMatchObject({ userId: personId });
    const [link] = await mailsToAddress('samir@example.org', 'change_email');
    expect((await confirmEmail(db, tokenIn(link!), ORIGIN, NOW)).ok).toBe(true);
    expect(await lookUpClaimCode(db, printed.code, origin(), NOW)).toBeNull();
    expect(await redeemClaimCode(db, { signInName: '', code: printed.code, email: '', password: 'Drei Kraniche im Schilf' }, origin(), NOW)).toEqual({ ok: false, fields: { code: 'mentoring.error.claimCode' } });
  });

  it('open nothing once a reset link confirmed an address, as claims once wrote it unconfirmed', async () => {
    const { personId, code } = await register('Rana Nasser');
    expect((await redeemClaimCode(db, { signInName: 'rana', code, email: '', password: 'Ein Garten am Fluss' }, origin(), NOW)).ok).toBe(true);
    await db.updateTable('app_user').set({ email: 'rana@example.org', email_verified_at: null }).where('id', '=', personId).execute();
    const printed = await regenerateClaimCode(db, coordinator, personId, ORIGIN, NOW);
    // A reset link proves the mailbox: the address counts as confirmed from then on.
    await requestPasswordReset(db, 'rana', origin(), NOW);
    const [mail] = await db.selectFrom('outbox').select('secrets').where('recipient_user_id', '=', personId).where('kind', '=', 'reset_password').execute();
    expect(await resetPassword(db, { token: tokenIn(mail!), password: 'Zwei Störche im Nest' }, origin(), NOW)).toEqual({ ok: true, userId: personId });
    expect(await lookUpClaimCode(db, printed.code, origin(), NOW)).toBeNull();
    expect(await redeemClaimCode(db, { signInName: '', code: printed.code, email: '', password: 'Drei Kraniche im Schilf' }, origin(), NOW)).toEqual({ ok: false, fields: { code: 'mentoring.error.claimCode' } });
    expect((await signIn(db, { login: 'rana', password: 'Zwei Störche im Nest' }, origin(), NOW)).ok).toBe(true);
  });

  it('are never made for people the coordination did not register, nor by anyone but a coordinator', async () => {
    const stranger = await makePerson(db);
    await db.updateTable('app_user').set({ email_verified_at: null }).where('id', '=', stranger.id).execute();
    await expect(regenerateClaimCode(db, coordinator, stranger.id, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const { personId } = await register();
    await expect(regenerateClaimCode(db, stranger, personId, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(regenerateClaimCode(db, await makeOrganiserOnly(db), personId, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('count only wrong codes against the limit, so a person who found theirs is never slowed', async () => {
    const ip = { ...ORIGIN, ip: '203.0.113.78' };
    const { code } = await register();
    for (let i = 0; i < 9; i++) expect(await lookUpClaimCode(db, 'AAAA-AAAA-AAAA', ip, NOW)).toBeNull();
    for (let i = 0; i < 5; i++) expect(await lookUpClaimCode(db, code, ip, NOW)).not.toBeNull();
    expect(await lookUpClaimCode(db, 'AAAA-AAAA-AAAB', ip, NOW)).toBeNull();
    // The tenth wrong code reached the limit: now not even the right one is looked up.
    await expect(lookUpClaimCode(db, code, ip, NOW)).rejects.toMatchObject({ name: 'RateLimitedError' });
  });

  it('work once when redeemed five times at the same moment', async () => {
    const { code } = await register();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => redeemClaimCode(db, { signInName: '', code, email: '', password: `Gleichzeitig probiert ${i}` }, origin(), NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('refuse expired codes, replaced codes and weak passwords (keeping the code); a taken address is answered as any other', async () => {
    const old = await register();
    const later = new Date(NOW.getTime() + 91 * 24 * 60 * 60 * 1000);
    expect(await redeemClaimCode(db, { signInName: '', code: old.code, email: '', password: 'Ein Garten am Fluss' }, origin(), later)).toEqual({ ok: false, fields: { code: 'mentoring.error.claimCode' } });
    const fresh = await regenerateClaimCode(db, coordinator, old.personId, ORIGIN, NOW);
    expect(await redeemClaimCode(db, { signInName: '', code: old.code, email: '', password: 'Ein Garten am Fluss' }, origin(), NOW)).toMatchObject({ ok: false });
    expect(await redeemClaimCode(db, { signInName: '', code: fresh.code, email: '', password: 'password' }, origin(), NOW)).toEqual({ ok: false, fields: { password: 'error.password.common' } });
    // Nobody learns here whether an address has an account: its owner is told instead.
    const taken = await makePerson(db);
    expect(await redeemClaimCode(db, { signInName: '', code: fresh.code, email: taken.email!, password: 'Ein Garten am Fluss' }, origin(), NOW)).toMatchObject({ ok: true, emailLinkSentTo: taken.email });
    expect(await mailsToAddress(taken.email!, 'address_in_use')).toHaveLength(1);
    expect(await mailsToAddress(taken.email!, 'change_email')).toHaveLength(0);
    expect(await addressOf(old.personId)).toEqual({ email: null, email_verified_at: null });
    expect(claimInput.safeParse({ signInName: '', email: 'kein-at', password: 'ein Passwort' }).success).toBe(false);
  });

  it('slows down guessing from one address', async () => {
    const ip = { ...ORIGIN, ip: '203.0.113.77' };
    for (let i = 0; i < 10; i++) await redeemClaimCode(db, { signInName: '', code: 'AAAA-AAAA-AAAA', email: '', password: 'x' }, ip, NOW);
    await expect(redeemClaimCode(db, { signInName: '', code: 'AAAA-AAAA-AAAA', email: '', password: 'x' }, ip, NOW)).rejects.toMatchObject({ name: 'RateLimitedError' });
  });
});

describe("the coordinators' list of registered people", () => {
  const register = (name: string) =>
    registerPerson(db, coordinator, { name, locale: 'tr', topics: ['german'], languages: ['tr'], note: '', contactPreference: 'coordinator', contactDetail: '' }, ORIGIN, NOW);

  it('says where each stands and who may get a new code, by the one rule the codes follow', async () => {
    const waiting = await register('Zehra Bekliyor');
    const expired = await register('Zehra Suresi');
    const signsIn = await register('Zehra Giriyor');
    const hasEmail = await register('Zehra Epostali');
    for (const person of [signsIn, hasEmail]) await redeemClaimCode(db, { signInName: '', code: person.code, email: '', password: 'Ein Garten am Fluss' }, origin(), NOW);
    await db.updateTable('app_user').set({ email: 'zehra@example.org', email_verified_at: NOW }).where('id', '=', hasEmail.personId).execute();
    const later = new Date(NOW.getTime() + 60 * 24 * 60 * 60 * 1000);
    await regenerateClaimCode(db, coordinator, waiting.personId, ORIGIN, later);
    const { people, more } = await listRegisteredPeople(db, coordinator, 'zehra', new Date(NOW.getTime() + 91 * 24 * 60 * 60 * 1000));
    expect(more).toBe(false);
    const stateOf = (id: number) => {
      const person = people.find((p) => p.id === id)!;
      return { state: person.state, mayGetNewCode: person.mayGetNewCode };
    };
    expect(stateOf(waiting.personId)).toEqual({ state: 'codeWaiting', mayGetNewCode: true });
    expect(stateOf(expired.personId)).toEqual({ state: 'codeExpired', mayGetNewCode: true });
    expect(stateOf(signsIn.personId)).toEqual({ state: 'signsIn', mayGetNewCode: true });
    expect(stateOf(hasEmail.personId)).toEqual({ state: 'hasEmail', mayGetNewCode: false });
    expect(await getClaimPerson(db, coordinator, hasEmail.personId, NOW)).toMatchObject({ state: 'hasEmail', mayGetNewCode: false });
    await expect(regenerateClaimCode(db, coordinator, hasEmail.personId, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it(`says there are more only when more than ${REGISTERED_PEOPLE_PAGE} are found`, async () => {
    const add = (from: number, count: number) =>
      db
        .insertInto('app_user')
        .values(Array.from({ length: count }, (_, i) => ({ email: null, password_hash: null, display_name: `Viele Leute ${from + i}`, locale: 'de' as const, registered_by_coordination: true })))
        .execute();
    await add(0, REGISTERED_PEOPLE_PAGE);
    expect(await listRegisteredPeople(db, coordinator, 'viele leute', NOW)).toMatchObject({ more: false, people: { length: REGISTERED_PEOPLE_PAGE } });
    await add(REGISTERED_PEOPLE_PAGE, 1);
    const page = await listRegisteredPeople(db, coordinator, 'viele leute', NOW);
    expect(page).toMatchObject({ more: true, people: { length: REGISTERED_PEOPLE_PAGE } });
    // The newest first.
    expect(page.people[0]!.name).toBe(`Viele Leute ${REGISTERED_PEOPLE_PAGE}`);
  });
});

describe('who sees what', () => {
  let newcomer: SessionUser;
  let kuemmerer: SessionUser;
  let mentorshipId: number;
  let requestId: number;
  let meetingId: number;
  let strangers: Array<[string, SessionUser | null]>;

  beforeAll(async () => {
    newcomer = await makePerson(db, { name: 'Amal Hassan' });
    kuemmerer = await makeKuemmerer(db, { name: 'Maria Schulz', languages: ['ar', 'de'], contactDetails: 'maria@example.org' });
    requestId = await makeRequest(db, newcomer);
    const assigned = await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW);
    if (!assigned.ok) throw new Error('assignment failed');
    mentorshipId = assigned.mentorshipId;
    const parsed = meetingInput('Europe/Berlin').parse({ mentorshipId: String(mentorshipId), date: '2030-05-25', startTime: '15:00', endTime: '16:30', place: 'Stadtbibliothek', topics: ['german'], privateNote: 'Sorgen wegen der Wohnung' });
    meetingId = (await saveMeeting(db, kuemmerer, parsed, NOW)).meetingId;
    strangers = [
      ['a signed-out visitor', null],
      ['a resident', await makePerson(db)],
      ['an organiser', await makeOrganiserOnly(db)],
      ['another Kümmerer', await makeKuemmerer(db)],
    ];
  });

  it('meeting times are typed in Berlin time, whatever the server zone', async () => {
    const meeting = await db.selectFrom('mentoring_meeting').select(['starts_at', 'ends_at']).where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(meeting.starts_at.toISOString()).toBe('2030-05-25T13:00:00.000Z');
    expect(meeting.ends_at.toISOString()).toBe('2030-05-25T14:30:00.000Z');
  });

  it('a meeting typed at a time the clocks skip moves forward by the gap and keeps its length', () => {
    const parsed = meetingInput('Europe/Berlin').parse({ mentorshipId: String(mentorshipId), date: '2027-03-28', startTime: '02:30', endTime: '03:30', place: '', topics: [], privateNote: '' });
    expect([parsed.startsAt.toISOString(), parsed.endsAt.toISOString()]).toEqual(['2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00.000Z']);
  });

  it('the newcomer sees their Kümmerer by first name with the shared contact, and meetings without notes', async () => {
    const mine = await getMyMentoring(db, newcomer.id);
    expect(mine.mentorship).toMatchObject({ kuemmererFirstName: 'Maria', kuemmererLanguages: ['ar', 'de'], kuemmererContact: 'maria@example.org' });
    expect(mine.mentorship!.meetings).toHaveLength(1);
    expect(mine.mentorship!.meetings[0]!.privateNote).toBeNull();
    expect(JSON.stringify(mine)).not.toContain('Sorgen');
    await expect(getMentorship(db, newcomer, mentorshipId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the Kümmerer and coordinators see the mentee, the request and the private note', async () => {
    for (const actor of [kuemmerer, coordinator]) {
      const detail = await getMentorship(db, actor, mentorshipId);
      expect(detail.menteeName).toBe('Amal Hassan');
      expect(detail.request.contactDetail).toBe('0151 7654321');
      expect(detail.meetings[0]!.privateNote).toBe('Sorgen wegen der Wohnung');
    }
    expect(await requestRole(db, kuemmerer, requestId)).toBe('kuemmerer');
  });

  it('everyone else gets "not found" for the request, the mentorship and every action on them', async () => {
    const meeting = meetingInput('Europe/Berlin').parse({ mentorshipId: String(mentorshipId), date: '2030-05-26', startTime: '10:00', endTime: '11:00', place: '', topics: [], privateNote: '' });
    for (const [, actor] of strangers) {
      await expect(requestRole(db, actor, requestId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(getMentorship(db, actor, mentorshipId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(saveMeeting(db, actor, meeting, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(saveMeeting(db, actor, { ...meeting, meetingId }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(deleteMeeting(db, actor, meetingId, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(endMentorship(db, actor, { mentorshipId, reason: '' }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(withdrawRequest(db, actor, requestId, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(assignKuemmerer(db, actor, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(reassignMentorship(db, actor, { mentorshipId, kuemmererId: kuemmerer.id }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(listOpenRequests(db, actor)).rejects.toBeInstanceOf(NotFoundError);
    }
    // The newcomer cannot log or change meetings either; ids that do not exist look the same.
    await expect(saveMeeting(db, newcomer, meeting, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteMeeting(db, newcomer, meetingId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteMeeting(db, kuemmerer, 987_654, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getMentorship(db, coordinator, 987_654)).rejects.toBeInstanceOf(NotFoundError);
    // A meeting id of one mentorship cannot be edited through another.
    await expect(saveMeeting(db, kuemmerer, { ...meeting, mentorshipId: mentorshipId + 1000, meetingId }, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('calendar reads: both people, no private note, and a fingerprint that moves on add, edit and delete', async () => {
    for (const [person, isKuemmerer, other] of [[newcomer, false, 'Maria'], [kuemmerer, true, 'Amal']] as const) {
      const meetings = await listMeetingsForCalendar(db, person.id, FEED_FROM);
      expect(meetings).toHaveLength(1);
      expect(meetings[0]).toMatchObject({ id: meetingId, place: 'Stadtbibliothek', topics: ['german'], revision: 1, otherFirstName: other, isKuemmerer });
      expect(JSON.stringify(meetings)).not.toContain('Sorgen');
    }
    expect(await listMeetingsForCalendar(db, strangers[1]![1]!.id, FEED_FROM)).toEqual([]);
    const before = await meetingsFingerprint(db, newcomer.id, FEED_FROM);
    const edit = meetingInput('Europe/Berlin').parse({ mentorshipId: String(mentorshipId), meetingId: String(meetingId), date: '2030-05-25', startTime: '16:00', endTime: '17:00', place: 'Rathaus', topics: ['paperwork'], privateNote: 'x' });
    await saveMeeting(db, kuemmerer, edit, new Date(NOW.getTime() + 1000));
    const edited = await meetingsFingerprint(db, newcomer.id, FEED_FROM);
    expect(edited).not.toEqual(before);
    expect((await listMeetingsForCalendar(db, newcomer.id, FEED_FROM))[0]!.revision).toBe(2);
    const extra = await saveMeeting(db, kuemmerer, { ...edit, meetingId: undefined }, new Date(NOW.getTime() + 2000));
    const added = await meetingsFingerprint(db, newcomer.id, FEED_FROM);
    expect(added).not.toEqual(edited);
    await deleteMeeting(db, kuemmerer, extra.meetingId, new Date(NOW.getTime() + 3000));
    const deleted = await meetingsFingerprint(db, newcomer.id, FEED_FROM);
    expect(deleted).not.toEqual(added);
    expect(deleted).not.toEqual(edited);
  });

  it('either side ends it; the other side is told without the reason, coordinators with it', async () => {
    const fingerprint = await meetingsFingerprint(db, kuemmerer.id, FEED_FROM);
    expect(await endMentorship(db, newcomer, { mentorshipId, reason: 'Wir sind umgezogen.' }, ORIGIN, NOW)).toEqual({ ok: true });
    // Its meetings leave both calendars, and the feeds notice.
    expect(await listMeetingsForCalendar(db, newcomer.id, FEED_FROM)).toEqual([]);
    expect(await listMeetingsForCalendar(db, kuemmerer.id, FEED_FROM)).toEqual([]);
    expect(await meetingsFingerprint(db, kuemmerer.id, FEED_FROM)).not.toEqual(fingerprint);
    const toKuemmerer = (await mailsTo(kuemmerer.id)).at(-1)!;
    expect(toKuemmerer.kind).toBe('mentoring_ended');
    const rendered = renderMail({ id: 1, kind: 'mentoring_ended', recipientUserId: kuemmerer.id, recipientEmail: 'k@example.org', channel: 'email', locale: 'de', payload: toKuemmerer.payload, attempts: 1 }, SETTINGS);
    expect(rendered.text).toContain('Amal');
    expect(rendered.text).not.toContain('umgezogen');
    expect((await mailsTo(newcomer.id)).filter((m) => m.kind === 'mentoring_ended')).toEqual([]);
    const toCoordinator = (await mailsTo(coordinator.id)).filter((m) => m.kind === 'mentoring_ended_coordinator').at(-1)!;
    const text = renderMail({ id: 1, kind: 'mentoring_ended_coordinator', recipientUserId: coordinator.id, recipientEmail: 'c@example.org', channel: 'email', locale: 'en', payload: toCoordinator.payload, attempts: 1 }, SETTINGS).text;
    expect(text).toContain('Reason: Wir sind umgezogen.');
    expect(text).toContain('Ended by the person being mentored.');
    expect(text).not.toContain('Sorgen');
    // Ended: the Kümmerer no longer sees the mentee; the coordinator still has the history.
    await expect(getMentorship(db, kuemmerer, mentorshipId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await getMentorship(db, coordinator, mentorshipId)).status).toBe('ended');
    expect(await endMentorship(db, coordinator, { mentorshipId, reason: '' }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'mentoring.error.alreadyEnded' } });
    const request = await db.selectFrom('mentoring_request').select('status').where('id', '=', requestId).executeTakeFirstOrThrow();
    expect(request.status).toBe('closed');
  });
});

describe('the page that asks before assigning', () => {
  it('shows a suggested pair to coordinators only, and no pair the matching page would not offer', async () => {
    const { assignmentPreview } = await import('../../src/features/mentoring/mentoring.queries.ts');
    const newcomer = await makePerson(db, { name: 'Olena Preview' });
    const requestId = await makeRequest(db, newcomer, { languages: ['uk'], topics: ['german'] });
    const speaks = await makeKuemmerer(db, { name: 'Ulla Ukrainisch', languages: ['uk', 'de'], topics: ['german'] });
    const full = await makeKuemmerer(db, { name: 'Volker Voll', languages: ['uk'], maxMentees: 1 });
    const filler = await makeRequest(db, await makePerson(db));
    expect(await assignKuemmerer(db, coordinator, { requestId: filler, kuemmererId: full.id }, origin(), NOW)).toMatchObject({ ok: true });

    const preview = await assignmentPreview(db, coordinator, requestId, speaks.id);
    expect(preview).toMatchObject({ requestId, newcomerName: 'Olena Preview' });
    expect(preview.suggestion.candidate.displayName).toBe('Ulla Ukrainisch');
    expect(describeSuggestion(translator('de'), preview.suggestion.reason)).toContain('spricht Ukrainisch');
    await expect(assignmentPreview(db, coordinator, requestId, full.id)).rejects.toBeInstanceOf(NotFoundError);
    for (const actor of [newcomer, speaks, await makeOrganiserOnly(db), null]) {
      await expect(assignmentPreview(db, actor, requestId, speaks.id)).rejects.toBeInstanceOf(NotFoundError);
    }
    // Once assigned, there is nothing left to confirm.
    expect(await assignKuemmerer(db, coordinator, { requestId, kuemmererId: speaks.id }, origin(), NOW)).toMatchObject({ ok: true });
    await expect(assignmentPreview(db, coordinator, requestId, speaks.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
