// Help requests, the coordination half, on the engine under test: posting on someone's behalf
// (a Kümmerer for their newcomer, a coordinator for any) and who then may see and act; the
// contact details each side shares, visible only once taken; thanks, once; the consent a
// doctor's visit needs; the day-before escalation (once per request) and expiry; the
// coordinators' overview with its counts and the languages helpers are missing for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { helpRequestRole } from '../../src/features/help-requests/help-requests.access.ts';
import { escalateHelpRequests, expireHelpRequests, runHelpRequestJobs } from '../../src/features/help-requests/help-requests.jobs.ts';
import { getHelpRequestsOverview, getRequestView, lastSharedContact, listMyRequests, listPostableFor } from '../../src/features/help-requests/help-requests.queries.ts';
import { requestInput, takeInput, thankInput } from '../../src/features/help-requests/help-requests.schema.ts';
import { finishRequest, handBackRequest, postRequest, takeRequest, thankHelper, withdrawRequest } from '../../src/features/help-requests/help-requests.service.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { TOPIC_OF_KIND } from '../../src/features/notifications/topics.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { personalCalendar, type CalendarContext } from '../../src/features/feeds/calendar.ts';
import { loadPersonalFeed, personalFeedFingerprint } from '../../src/features/feeds/feeds.queries.ts';
import { feedVersion } from '../../src/features/feeds/feed-response.ts';
import { translator } from '../../src/i18n/index.ts';
import { contentLineProblems, parseBoth, parseWithIcalExpander } from '../helpers/calendars.ts';
import { makePerson } from '../helpers/fixtures.ts';
import { HELP_ADDRESS, HELP_NOTE, helpForm, makeHelpRequest } from '../helpers/help-requests.ts';
import { makeCoordinator, makeKuemmerer, makeOrganiserOnly, makeRequest } from '../helpers/mentoring.ts';

const ZONE = 'Europe/Berlin';
const ORIGIN = { ip: '192.0.2.1', baseUrl: 'https://ankommen.example' };
const NOW = new Date('2030-05-20T10:00:00Z');
const SETTINGS = { townName: 'Altena', timeZone: ZONE };
const JOBS = { baseUrl: ORIGIN.baseUrl, timeZone: ZONE };

let handle: DatabaseHandle;
let db: Kysely<Database>;
let coordinator: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  coordinator = await makeCoordinator(db);
});
afterAll(() => handle?.close());

const row = (id: number) => db.selectFrom('help_request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const mailsAbout = (id: number) =>
  db.selectFrom('outbox').select(['kind', 'recipient_user_id', 'locale', 'payload']).where(({ eb }) => eb(eb.ref('payload', '->>').key('url'), 'like', `%/help-requests/${id}`)).orderBy('id').execute();
const mailsOfKind = (kind: string) => db.selectFrom('outbox').select(['kind', 'recipient_user_id', 'locale', 'payload']).where('kind', '=', kind as never).orderBy('id').execute();
const render = (m: { kind: string; recipient_user_id: number | null; locale: string; payload: unknown }) =>
  renderMail({ id: 1, kind: m.kind as never, recipientUserId: m.recipient_user_id, recipientEmail: 'x@example.org', channel: 'email', locale: m.locale as never, payload: m.payload as Record<string, unknown>, attempts: 0 }, SETTINGS);

/** A Kümmerer in a running mentorship with a newcomer. */
async function pair(newcomerLocale: 'fa' | 'ar' | 'de' = 'fa'): Promise<{ kuemmerer: SessionUser; newcomer: SessionUser; mentorshipId: number }> {
  const kuemmerer = await makeKuemmerer(db, { name: 'Karl Kümmerer' });
  const newcomer = await makePerson(db, { name: 'Zahra Ahmadi', locale: newcomerLocale });
  const requestId = await makeRequest(db, newcomer);
  const m = await db.insertInto('mentorship').values({ request_id: requestId, kuemmerer_user_id: kuemmerer.id, newcomer_user_id: newcomer.id, status: 'active' }).returning('id').executeTakeFirstOrThrow();
  return { kuemmerer, newcomer, mentorshipId: m.id };
}

describe('on behalf', () => {
  it('a Kümmerer posts for their newcomer: the request is the newcomer\'s, the poster is remembered and may act for them', async () => {
    const { kuemmerer, newcomer } = await pair();
    const result = await postRequest(db, kuemmerer, helpForm({ forPerson: newcomer.id }), ZONE, ORIGIN, NOW);
    expect(result.ok).toBe(true);
    const id = (result as { requestId: number }).requestId;
    expect(await row(id)).toMatchObject({ asker_user_id: newcomer.id, posted_by_user_id: kuemmerer.id });
    expect(await helpRequestRole(db, kuemmerer, id)).toBe('poster');
    expect(await helpRequestRole(db, newcomer, id)).toBe('asker');
    const view = await getRequestView(db, kuemmerer, id);
    expect(view).toMatchObject({ askerFirstName: 'Zahra', posterFirstName: 'Karl', address: HELP_ADDRESS, may: { withdraw: true, handBack: false, finish: false, thank: false } });
    expect((await listMyRequests(db, kuemmerer.id)).posted.map((r) => [r.id, r.forFirstName])).toEqual([[id, 'Zahra']]);
    expect((await listMyRequests(db, newcomer.id)).asked.map((r) => r.id)).toEqual([id]);
    expect(await withdrawRequest(db, kuemmerer, id, NOW)).toEqual({ ok: true });
  });

  it('who may be chosen: a Kümmerer their running mentees only; a coordinator any newcomer; others nobody', async () => {
    const { kuemmerer, newcomer } = await pair();
    const stranger = await makePerson(db, { name: 'Samir Fremder' });
    await makeRequest(db, stranger);
    expect((await listPostableFor(db, kuemmerer.id)).people.map((p) => p.id)).toEqual([newcomer.id]);
    const forCoordinator = (await listPostableFor(db, coordinator.id)).people.map((p) => p.id);
    expect(forCoordinator).toContain(newcomer.id);
    expect(forCoordinator).toContain(stranger.id);
    expect(await listPostableFor(db, (await makePerson(db)).id)).toEqual({ coordinator: false, people: [] });
    // A coordinator's ?for= link offers that person even before the coordination knows them.
    const unknown = await makePerson(db, { name: 'Lina Neu' });
    expect((await listPostableFor(db, coordinator.id, unknown.id)).people[0]).toEqual({ id: unknown.id, name: 'Lina Neu' });
    expect((await listPostableFor(db, kuemmerer.id, unknown.id)).people.map((p) => p.id)).toEqual([newcomer.id]);
    // Another Kümmerer's newcomer, or anyone, for a person with no newcomers: refused at the field, nothing saved.
    const refused = await postRequest(db, kuemmerer, helpForm({ forPerson: stranger.id }), ZONE, ORIGIN, NOW);
    expect(refused).toEqual({ ok: false, fields: { forPerson: 'helpCoordination.error.forPerson' } });
    const nobody = await makePerson(db);
    expect(await postRequest(db, nobody, helpForm({ forPerson: newcomer.id }), ZONE, ORIGIN, NOW)).toEqual({ ok: false, fields: { forPerson: 'helpCoordination.error.forPerson' } });
    expect(await postRequest(db, kuemmerer, helpForm({ forPerson: 2_000_000 }), ZONE, ORIGIN, NOW)).toEqual({ ok: false, fields: { forPerson: 'helpCoordination.error.forPerson' } });
    expect((await listMyRequests(db, stranger.id)).asked).toHaveLength(0);
    // A coordinator posts for anyone.
    const byCoordinator = await postRequest(db, coordinator, helpForm({ forPerson: stranger.id }), ZONE, ORIGIN, NOW);
    expect(byCoordinator.ok).toBe(true);
  });

  it('the poster\'s access ends with the mentorship; the newcomer\'s Kümmerer does not see what the newcomer posted; another Kümmerer gets "not found"', async () => {
    const { kuemmerer, newcomer, mentorshipId } = await pair();
    const id = await makeHelpRequest(db, kuemmerer, { forPerson: newcomer.id });
    // The newcomer's own Kümmerer, for a request they did not post: it is the newcomer's to share.
    const own = await makeHelpRequest(db, newcomer);
    await expect(helpRequestRole(db, kuemmerer, own)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawRequest(db, kuemmerer, own, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const other = await makeKuemmerer(db, { name: 'Otto Anderer' });
    await expect(getRequestView(db, other, id)).rejects.toBeInstanceOf(NotFoundError);
    await db.updateTable('mentorship').set({ status: 'ended', ended_at: NOW }).where('id', '=', mentorshipId).execute();
    await expect(getRequestView(db, kuemmerer, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawRequest(db, kuemmerer, id, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listMyRequests(db, kuemmerer.id)).posted).toEqual([]);
  });

  it('taken: the newcomer is told in their language, the poster too, in theirs, naming whom it is for', async () => {
    const { kuemmerer, newcomer } = await pair('fa');
    const helper = await makePerson(db, { name: 'Hanna Becker', locale: 'de' });
    const id = await makeHelpRequest(db, kuemmerer, { forPerson: newcomer.id });
    expect(await takeRequest(db, kuemmerer, id, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'helpRequests.error.own' } });
    await takeRequest(db, helper, id, ORIGIN, NOW, '0170 555');
    const mails = await mailsAbout(id);
    expect(mails.map((m) => [m.kind, m.recipient_user_id, m.locale])).toEqual([
      ['help_request_taken_asker', newcomer.id, 'fa'],
      ['help_request_taken_helper', helper.id, 'de'],
      ['help_request_taken_asker', kuemmerer.id, 'de'],
    ]);
    expect(render(mails[2]!).text).toContain('Hanna hat die Anfrage übernommen, die Sie für Zahra gestellt haben.');
    expect(render(mails[2]!).text).toContain('So erreichen Sie Hanna: 0170 555');
    // The poster hands it back for the newcomer; the helper is told.
    expect(await handBackRequest(db, kuemmerer, id, ORIGIN, NOW)).toEqual({ ok: true });
    expect((await row(id)).helper_contact).toBe('');
  });
});

describe('contacts each side chose to share', () => {
  it('visible to the other side only once taken, and afterwards; the taken mails carry them', async () => {
    const asker = await makePerson(db, { name: 'Zahra Ahmadi', locale: 'ar' });
    const helper = await makePerson(db, { name: 'Hanna Becker' });
    const other = await makePerson(db);
    const id = await makeHelpRequest(db, asker, { askerContact: 'WhatsApp 0151 111' });
    // Open: the asker sees what they shared; the coordinators not yet (nobody agreed to anything).
    expect((await getRequestView(db, asker, id)).askerContact).toBe('WhatsApp 0151 111');
    expect((await getRequestView(db, coordinator, id)).askerContact).toBe('');
    await takeRequest(db, helper, id, ORIGIN, NOW, 'Telefon 0170 222');
    const forHelper = await getRequestView(db, helper, id);
    expect(forHelper).toMatchObject({ askerContact: 'WhatsApp 0151 111', helperContact: 'Telefon 0170 222', askerFirstName: 'Zahra' });
    expect(await getRequestView(db, asker, id)).toMatchObject({ helperContact: 'Telefon 0170 222', helperFirstName: 'Hanna' });
    await expect(getRequestView(db, other, id)).rejects.toBeInstanceOf(NotFoundError);
    const mails = await mailsAbout(id);
    const toAsker = render(mails.find((m) => m.kind === 'help_request_taken_asker')!);
    const toHelper = render(mails.find((m) => m.kind === 'help_request_taken_helper')!);
    expect(toAsker.text).toContain('Telefon 0170 222');
    expect(toHelper.text).toContain('So erreichen Sie Zahra: WhatsApp 0151 111');
    expect(toHelper.text).not.toContain(HELP_ADDRESS);
    expect(toHelper.text).not.toContain(HELP_NOTE);
    // After it is done, for the record.
    await finishRequest(db, helper, { requestId: id, outcome: 'done', minutes: 60 }, NOW);
    expect((await getRequestView(db, asker, id)).helperContact).toBe('Telefon 0170 222');
    // The take form is prefilled with what the helper shared last time.
    expect(await lastSharedContact(db, helper.id)).toBe('Telefon 0170 222');
    expect(await lastSharedContact(db, other.id)).toBe('');
  });

  it('refuses a contact longer than 200 characters at the field', () => {
    const take = takeInput.safeParse({ requestId: '1', helperContact: 'x'.repeat(201) });
    expect(take.success).toBe(false);
    expect(take.error!.issues[0]).toMatchObject({ path: ['helperContact'], message: 'helpCoordination.error.contactTooLong' });
    expect(takeInput.parse({ requestId: '1', helperContact: null })).toEqual({ requestId: 1, helperContact: '' });
  });
});

describe('thanks', () => {
  it('after done, the asker thanks once; the helper is told in their language with the message', async () => {
    const asker = await makePerson(db, { name: 'Zahra Ahmadi', locale: 'fa' });
    const helper = await makePerson(db, { name: 'Hanna Becker', locale: 'uk' });
    const id = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, id, ORIGIN, NOW);
    expect(await thankHelper(db, asker, { requestId: id, message: 'Danke!' }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'helpCoordination.error.notDone' } });
    await finishRequest(db, helper, { requestId: id, outcome: 'done', minutes: 30 }, NOW);
    expect((await getRequestView(db, asker, id)).may.thank).toBe(true);
    await expect(thankHelper(db, helper, { requestId: id, message: 'x' }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(thankHelper(db, coordinator, { requestId: id, message: 'x' }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await thankHelper(db, asker, { requestId: id, message: 'Vielen Dank für den Tag!' }, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await thankHelper(db, asker, { requestId: id, message: 'Noch einmal' }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'helpCoordination.error.alreadyThanked' } });
    expect(await row(id)).toMatchObject({ thanks_message: 'Vielen Dank für den Tag!' });
    const view = await getRequestView(db, helper, id);
    expect(view.thanksMessage).toBe('Vielen Dank für den Tag!');
    expect(view.thankedAt).not.toBeNull();
    expect((await getRequestView(db, asker, id)).may.thank).toBe(false);
    const thanks = (await mailsAbout(id)).filter((m) => m.kind === 'help_request_thanks');
    expect(thanks.map((m) => [m.recipient_user_id, m.locale])).toEqual([[helper.id, 'uk']]);
    const text = render(thanks[0]!).text;
    expect(text).toContain('Zahra дякує вам за допомогу.');
    expect(text).toContain('Vielen Dank für den Tag!');
    expect(TOPIC_OF_KIND.help_request_thanks).toBe('help_requests');
  });

  it('not after "did not happen"; a message over 500 characters is refused at the field', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const id = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, id, ORIGIN, NOW);
    await finishRequest(db, helper, { requestId: id, outcome: 'did_not_happen', minutes: null }, NOW);
    expect(await thankHelper(db, asker, { requestId: id, message: '' }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'helpCoordination.error.notDone' } });
    const long = thankInput.safeParse({ requestId: '1', message: 'x'.repeat(501) });
    expect(long.error!.issues[0]).toMatchObject({ path: ['message'], message: 'helpCoordination.error.thanksTooLong' });
  });
});

describe('health consent', () => {
  const form = { kind: 'doctor', when: 'time', date: '2030-06-03', time: '09:00', district: 'Altena-Mitte', address: 'Lennestraße 1', languages: ['fa'], note: '' };

  it('a doctor\'s visit is refused at the field without the consent; with it, the time is stored', async () => {
    const refused = requestInput(ZONE).safeParse(form);
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['healthConsent', 'helpCoordination.error.healthConsent']]);
    expect(requestInput(ZONE).safeParse({ ...form, kind: 'lift' }).success).toBe(true);
    const asker = await makePerson(db);
    // The service refuses too, whatever calls it.
    expect(await postRequest(db, asker, helpForm({ kind: 'doctor', healthConsent: false }), ZONE, ORIGIN, NOW)).toEqual({ ok: false, fields: { healthConsent: 'helpCoordination.error.healthConsent' } });
    const id = await makeHelpRequest(db, asker, { kind: 'doctor', healthConsent: true });
    expect((await row(id)).health_consent_at).toEqual(NOW);
    const lift = await makeHelpRequest(db, asker, { kind: 'lift', healthConsent: true });
    expect((await row(lift)).health_consent_at).toBeNull();
  });
});

describe('escalation and expiry', () => {
  it('an open request less than a day ahead goes to every coordinator once, in their language', async () => {
    await db.updateTable('help_request').set({ status: 'withdrawn' }).where('status', '=', 'open').execute();
    const second = await makeCoordinator(db, 'Cem Koordinator');
    await db.updateTable('app_user').set({ locale: 'tr' }).where('id', '=', second.id).execute();
    const asker = await makePerson(db);
    const soon = await makeHelpRequest(db, asker, { startsAt: new Date('2030-05-21T08:00:00Z') });
    const later = await makeHelpRequest(db, asker, { startsAt: new Date('2030-05-23T08:00:00Z') });
    const taken = await makeHelpRequest(db, asker, { startsAt: new Date('2030-05-21T08:00:00Z') });
    await takeRequest(db, await makePerson(db), taken, ORIGIN, NOW);
    const before = (await mailsOfKind('help_requests_unanswered')).length;
    expect(await escalateHelpRequests(db, JOBS, NOW)).toBe(1);
    expect((await row(soon)).escalated_at).toEqual(NOW);
    expect((await row(later)).escalated_at).toBeNull();
    expect((await row(taken)).escalated_at).toBeNull();
    const mails = (await mailsOfKind('help_requests_unanswered')).slice(before);
    expect(mails.map((m) => m.recipient_user_id).sort()).toEqual([coordinator.id, second.id].sort());
    const turkish = render(mails.find((m) => m.recipient_user_id === second.id)!).text;
    expect(turkish).toContain('Bu taleplerin zamanı yaklaşıyor');
    expect(turkish).toContain(`/tr/help-requests/${soon}`);
    expect(turkish).toContain('Farsça');
    // Once per request: the next run finds nothing new.
    expect(await escalateHelpRequests(db, JOBS, new Date(NOW.getTime() + 60_000))).toBe(0);
    expect((await mailsOfKind('help_requests_unanswered')).length).toBe(before + mails.length);
    // Shown on the request's page and in the overview.
    expect((await getRequestView(db, coordinator, soon)).escalated).toBe(true);
    expect((await getHelpRequestsOverview(db, coordinator, NOW, ZONE)).open.find((r) => r.id === soon)?.escalated).toBe(true);
    await db.deleteFrom('membership').where('user_id', '=', second.id).execute();
  });

  it('"any time this week" goes to the coordinators on the Thursday of its week, not before', async () => {
    const asker = await makePerson(db);
    const monday = new Date('2030-05-20T08:00:00Z');
    const id = await makeHelpRequest(db, asker, { startsAt: null }, monday);
    expect((await row(id)).week_of).toBeTruthy();
    await escalateHelpRequests(db, JOBS, new Date('2030-05-22T20:00:00Z')); // Wednesday evening
    expect((await row(id)).escalated_at).toBeNull();
    await escalateHelpRequests(db, JOBS, new Date('2030-05-22T22:30:00Z')); // Thursday 00:30 in Berlin
    expect((await row(id)).escalated_at).not.toBeNull();
  });

  it('an open request whose time passed, or whose week ended in the town\'s calendar, expires; the asker is told', async () => {
    const asker = await makePerson(db, { locale: 'en' });
    const timed = await makeHelpRequest(db, asker, { startsAt: new Date('2030-05-21T08:00:00Z') });
    const weekly = await makeHelpRequest(db, asker, { startsAt: null });
    const helper = await makePerson(db);
    const taken = await makeHelpRequest(db, asker, { startsAt: new Date('2030-05-21T08:00:00Z') });
    await takeRequest(db, helper, taken, ORIGIN, NOW);
    await expireHelpRequests(db, JOBS, new Date('2030-05-21T07:59:00Z'));
    expect((await row(timed)).status).toBe('open');
    await expireHelpRequests(db, JOBS, new Date('2030-05-21T08:00:00Z'));
    expect((await row(timed)).status).toBe('expired');
    expect((await row(taken)).status).toBe('taken');
    // Sunday 23:30 in Berlin the week still runs; half past midnight it has ended.
    await expireHelpRequests(db, JOBS, new Date('2030-05-26T21:30:00Z'));
    expect((await row(weekly)).status).toBe('open');
    const result = await runHelpRequestJobs(db, JOBS, new Date('2030-05-26T22:30:00Z'));
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await row(weekly)).status).toBe('expired');
    const expired = (await mailsAbout(timed)).filter((m) => m.kind === 'help_request_expired');
    expect(expired.map((m) => [m.recipient_user_id, m.locale])).toEqual([[asker.id, 'en']]);
    expect(render(expired[0]!).text).toContain('The time of your request has passed without anyone taking it.');
    // An expired request can no longer be taken or withdrawn; its page says so.
    await expect(takeRequest(db, helper, timed, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await withdrawRequest(db, asker, timed, NOW)).toEqual({ ok: false, form: { key: 'helpRequests.error.notOpen' } });
    expect((await getRequestView(db, asker, timed)).status).toBe('expired');
    // Run again: nothing more.
    expect(await expireHelpRequests(db, JOBS, new Date('2030-05-27T00:00:00Z'))).toBe(0);
  });
});

describe('the coordinators\' overview', () => {
  it('counts this month by kind and language and status, all open, and names the languages helpers are missing for', async () => {
    await db.deleteFrom('help_request').execute();
    const now = new Date('2030-07-15T10:00:00Z');
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    // A helper who speaks Arabic and offers help; one who speaks Tigrinya but offers none.
    await db.insertInto('volunteer_profile').values({ user_id: helper.id, languages: ['ar'], skills: [], help_kinds: ['interpreting'], help_days: [] }).execute();
    await db.insertInto('volunteer_profile').values({ user_id: (await makePerson(db)).id, languages: ['ti'], skills: [], help_kinds: [], help_days: [] }).execute();
    const at = (d: string) => new Date(d);
    await makeHelpRequest(db, asker, { kind: 'interpreting', languages: ['ar'], startsAt: at('2030-07-20T08:00:00Z') }, now);
    await makeHelpRequest(db, asker, { kind: 'interpreting', languages: ['ti', 'ar'], startsAt: at('2030-07-18T08:00:00Z') }, now);
    const done = await makeHelpRequest(db, asker, { kind: 'lift', languages: ['fa'], startsAt: at('2030-07-19T08:00:00Z') }, now);
    await takeRequest(db, helper, done, ORIGIN, now);
    await finishRequest(db, helper, { requestId: done, outcome: 'done', minutes: 20 }, now);
    // Posted last month and still open: counted in "all open", not in this month.
    await makeHelpRequest(db, asker, { kind: 'lift', languages: ['fa'], startsAt: at('2030-07-25T08:00:00Z') }, at('2030-06-20T10:00:00Z'));
    const overview = await getHelpRequestsOverview(db, coordinator, now, ZONE);
    expect(overview.byKind).toEqual([
      { key: 'interpreting', month: { open: 2, taken: 0, done: 0, did_not_happen: 0, expired: 0 }, allOpen: 2 },
      { key: 'lift', month: { open: 0, taken: 0, done: 1, did_not_happen: 0, expired: 0 }, allOpen: 1 },
    ]);
    expect(overview.byLanguage).toEqual([
      { key: 'ar', month: { open: 2, taken: 0, done: 0, did_not_happen: 0, expired: 0 }, allOpen: 2 },
      { key: 'fa', month: { open: 0, taken: 0, done: 1, did_not_happen: 0, expired: 0 }, allOpen: 1 },
      { key: 'ti', month: { open: 1, taken: 0, done: 0, did_not_happen: 0, expired: 0 }, allOpen: 1 },
    ]);
    expect(overview.missingLanguages).toEqual(['fa', 'ti']);
    expect(overview.open.map((r) => r.startsAt?.toISOString() ?? null)).toEqual(['2030-07-18T08:00:00.000Z', '2030-07-20T08:00:00.000Z', '2030-07-25T08:00:00.000Z']);
    expect(JSON.stringify(overview)).not.toContain(HELP_ADDRESS);
    expect(JSON.stringify(overview)).not.toContain(HELP_NOTE);
  });

  it('is for coordinators only', async () => {
    for (const nobody of [await makePerson(db), await makeOrganiserOnly(db), await makeKuemmerer(db), null]) {
      await expect(getHelpRequestsOverview(db, nobody, NOW, ZONE)).rejects.toBeInstanceOf(NotFoundError);
    }
  });
});

describe('taken requests in personal calendar feeds', () => {
  const FROM = new Date('2030-05-01T00:00:00Z');
  const context = (locale: 'de' | 'fa' | 'en'): CalendarContext => ({ baseUrl: ORIGIN.baseUrl, timeZone: ZONE, t: translator(locale), name: 'Ankommen', organizerEmail: 'no-reply@ankommen.example', refreshSeconds: 3600 });
  /** The three parsers the feed tests use must read the same; returns ical.js's reading. */
  function read(body: string) {
    expect(contentLineProblems(body)).toEqual([]);
    const { icalJs, nodeIcal } = parseBoth(body);
    expect(nodeIcal.occurrences).toEqual(icalJs.occurrences);
    expect(parseWithIcalExpander(body)).toEqual(icalJs.occurrences);
    return icalJs.occurrences;
  }

  it('in both feeds, each in its owner\'s language, with the kind, district and the other\'s first name — never the note, address or contacts', async () => {
    const asker = await makePerson(db, { name: 'Zahra Ahmadi', locale: 'fa' });
    const helper = await makePerson(db, { name: 'Hanna Becker', locale: 'de' });
    const stranger = await makePerson(db);
    const id = await makeHelpRequest(db, asker, { askerContact: 'WhatsApp 0151 111', startsAt: new Date('2030-06-03T07:00:00Z') });
    // Open: in nobody's feed.
    expect((await loadPersonalFeed(db, asker.id, FROM)).helpRequests).toEqual([]);
    const before = feedVersion(['personal', helper.id], await personalFeedFingerprint(db, helper.id, FROM));
    await takeRequest(db, helper, id, ORIGIN, NOW, 'Telefon 0170 222');
    expect(feedVersion(['personal', helper.id], await personalFeedFingerprint(db, helper.id, FROM)).etag).not.toBe(before.etag);
    const uid = `help-request-${id}@ankommen.example`;
    const forHelper = personalCalendar(await loadPersonalFeed(db, helper.id, FROM), context('de'));
    const forAsker = personalCalendar(await loadPersonalFeed(db, asker.id, FROM), context('fa'));
    for (const body of [forHelper, forAsker]) {
      for (const secret of [HELP_ADDRESS, HELP_NOTE, 'WhatsApp', 'Telefon 0170', 'Bismarck', 'Becker', 'Ahmadi']) expect(body).not.toContain(secret);
    }
    const [helperEvent] = read(forHelper);
    expect(helperEvent).toMatchObject({ uid, start: '2030-06-03T07:00:00.000Z', end: '2030-06-03T09:00:00.000Z', summary: 'Dolmetschen mit Zahra', status: 'CONFIRMED' });
    expect(helperEvent!.description).toContain('Stadtteil: Altena-Mitte');
    expect(helperEvent!.description).toContain(`/help-requests/${id}`);
    const [askerEvent] = read(forAsker);
    expect(askerEvent).toMatchObject({ uid, start: '2030-06-03T07:00:00.000Z' });
    expect(askerEvent!.summary).toContain('ترجمهٔ شفاهی');
    expect(askerEvent!.summary).toContain('Hanna');
    expect(askerEvent!.description).toContain(`/fa/help-requests/${id}`);
    expect((await loadPersonalFeed(db, stranger.id, FROM)).helpRequests).toEqual([]);
    // Handed back: it leaves both feeds.
    await handBackRequest(db, helper, id, ORIGIN, NOW);
    expect((await loadPersonalFeed(db, helper.id, FROM)).helpRequests).toEqual([]);
    expect((await loadPersonalFeed(db, asker.id, FROM)).helpRequests).toEqual([]);
  });

  it('"any time this week" is an all-day span Monday to Sunday; "did not happen" is cancelled', async () => {
    const asker = await makePerson(db, { locale: 'en' });
    const helper = await makePerson(db, { name: 'Hanna Becker' });
    const id = await makeHelpRequest(db, asker, { startsAt: null, kind: 'lift' });
    await takeRequest(db, helper, id, ORIGIN, NOW);
    const body = personalCalendar(await loadPersonalFeed(db, asker.id, FROM), context('en'));
    expect(body).toContain('DTSTART;VALUE=DATE:20300520');
    expect(body).toContain('DTEND;VALUE=DATE:20300527');
    const [event] = read(body);
    expect(event!.summary).toBe('A lift with Hanna');
    await finishRequest(db, helper, { requestId: id, outcome: 'did_not_happen', minutes: null }, NOW);
    expect(read(personalCalendar(await loadPersonalFeed(db, helper.id, FROM), context('de')))[0]!.status).toBe('CANCELLED');
  });
});
