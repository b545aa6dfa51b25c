// Help requests on the engine under test: posting (and the form's refusals), the public list's
// minimum, taking exclusively under concurrency, who may see and do what, handing back, the
// helper's report and the mails in each person's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { helpRequestRole } from '../../src/features/help-requests/help-requests.access.ts';
import { getRequestView, listMyRequests, listOpenRequests } from '../../src/features/help-requests/help-requests.queries.ts';
import { finishInput, requestInput } from '../../src/features/help-requests/help-requests.schema.ts';
import { finishRequest, handBackRequest, mondayOf, postRequest, takeRequest, withdrawRequest } from '../../src/features/help-requests/help-requests.service.ts';
import { erasePerson } from '../../src/features/privacy/erasure.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { TOPIC_OF_KIND } from '../../src/features/notifications/topics.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';
import { HELP_ADDRESS, HELP_NOTE, helpForm, makeHelpRequest } from '../helpers/help-requests.ts';
import { makeCoordinator, makeOrganiserOnly } from '../helpers/mentoring.ts';

const ZONE = 'Europe/Berlin';
const ORIGIN = { ip: '192.0.2.1', baseUrl: 'https://ankommen.example' };
const NOW = new Date('2030-05-20T10:00:00Z');
const SETTINGS = { townName: 'Altena', timeZone: ZONE };

let handle: DatabaseHandle;
let db: Kysely<Database>;
let coordinator: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  coordinator = await makeCoordinator(db);
});
afterAll(() => handle?.close());

const statusOf = async (id: number) => (await db.selectFrom('help_request').select(['status', 'helper_user_id', 'minutes_spent']).where('id', '=', id).executeTakeFirstOrThrow());
const mailsAbout = (id: number) =>
  db.selectFrom('outbox').select(['kind', 'recipient_user_id', 'locale', 'payload']).where(({ eb }) => eb(eb.ref('payload', '->>').key('url'), 'like', `%/help-requests/${id}`)).orderBy('id').execute();

describe('the form', () => {
  const form = { kind: 'interpreting', when: 'time', date: '2030-06-03', time: '09:00', district: 'Altena-Mitte', address: 'Lennestraße 1', languages: ['fa'], wantsWoman: 'on', needsCar: null, needsChildSeat: null, note: '' };

  it('reads a time in the town\'s zone, and "any time this week" without a date', () => {
    const parsed = requestInput(ZONE).parse(form);
    expect(parsed.startsAt).toEqual(new Date('2030-06-03T07:00:00Z'));
    expect(parsed.wantsWoman).toBe(true);
    expect(requestInput(ZONE).parse({ ...form, when: 'week', date: '', time: '' }).startsAt).toBeNull();
  });

  it('says next to each field what is missing', () => {
    const result = requestInput(ZONE).safeParse({ ...form, kind: '', date: '', district: '', address: '', languages: [] });
    expect(result.success).toBe(false);
    const issues = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(issues).toMatchObject({ kind: 'helpRequests.error.kind', district: 'error.required', address: 'error.required', languages: 'helpRequests.error.languages' });
  });

  it('refuses a time already past, and saves nothing', async () => {
    const asker = await makePerson(db);
    const result = await postRequest(db, asker, helpForm({ startsAt: new Date('2030-05-19T10:00:00Z') }), ZONE, ORIGIN, NOW);
    expect(result).toEqual({ ok: false, fields: { date: 'helpRequests.error.past' } });
    expect((await listMyRequests(db, asker.id)).asked).toHaveLength(0);
  });

  it('a done report needs minutes between 1 and 1440; "did not happen" needs none', () => {
    expect(finishInput.safeParse({ requestId: '1', outcome: 'done', minutes: '' }).success).toBe(false);
    expect(finishInput.safeParse({ requestId: '1', outcome: 'done', minutes: '1441' }).success).toBe(false);
    expect(finishInput.parse({ requestId: '1', outcome: 'done', minutes: '90' })).toEqual({ requestId: 1, outcome: 'done', minutes: 90 });
    expect(finishInput.parse({ requestId: '1', outcome: 'did_not_happen', minutes: '' })).toEqual({ requestId: 1, outcome: 'did_not_happen', minutes: null });
  });
});

describe('the public list', () => {
  it('shows open requests ahead with the minimum only, never the asker, the address or the note', async () => {
    const asker = await makePerson(db, { name: 'Zahra Ahmadi' });
    const id = await makeHelpRequest(db, asker);
    const weekly = await makeHelpRequest(db, asker, { startsAt: null, kind: 'lift', needsCar: true });
    const list = await listOpenRequests(db, NOW, ZONE);
    const mine = list.find((r) => r.id === id)!;
    expect(Object.keys(mine).sort()).toEqual(['district', 'id', 'kind', 'languages', 'needsCar', 'needsChildSeat', 'startsAt', 'wantsWoman', 'weekOf'].sort());
    expect(JSON.stringify(list)).not.toContain(HELP_ADDRESS);
    expect(JSON.stringify(list)).not.toContain(HELP_NOTE);
    expect(JSON.stringify(list)).not.toContain('Zahra');
    expect(list.find((r) => r.id === weekly)).toMatchObject({ startsAt: null, weekOf: mondayOf(ZONE, NOW), needsCar: true });
    // Past and taken ones are not listed.
    expect((await listOpenRequests(db, new Date('2030-06-04T00:00:00Z'), ZONE)).some((r) => r.id === id)).toBe(false);
  });

  it('the week of "any time this week" is the Monday in the town\'s calendar', () => {
    expect(mondayOf(ZONE, new Date('2030-05-20T10:00:00Z'))).toBe('2030-05-20');
    // Sunday 23:30 in Berlin is still that week; half past midnight is the next, though UTC still says Sunday.
    expect(mondayOf(ZONE, new Date('2030-05-26T21:30:00Z'))).toBe('2030-05-20');
    expect(mondayOf(ZONE, new Date('2030-05-26T22:30:00Z'))).toBe('2030-05-27');
  });
});

describe('taking a request', () => {
  it('20 helpers at once: exactly one gets it, the others are told it is taken', async () => {
    const asker = await makePerson(db);
    const id = await makeHelpRequest(db, asker);
    const helpers = await Promise.all(Array.from({ length: 20 }, () => makePerson(db)));
    const results = await Promise.all(helpers.map((h) => takeRequest(db, h, id, ORIGIN, NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array(19).fill({ ok: false, form: { key: 'helpRequests.error.taken' } }));
    const winner = helpers[results.findIndex((r) => r.ok)]!;
    expect(await statusOf(id)).toMatchObject({ status: 'taken', helper_user_id: winner.id });
    const mails = await mailsAbout(id);
    expect(mails.map((m) => [m.kind, m.recipient_user_id])).toEqual([
      ['help_request_taken_asker', asker.id],
      ['help_request_taken_helper', winner.id],
    ]);
  });

  it('the asker cannot take their own; a withdrawn or unknown request is "not found"', async () => {
    const asker = await makePerson(db);
    const id = await makeHelpRequest(db, asker);
    expect(await takeRequest(db, asker, id, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'helpRequests.error.own' } });
    expect(await withdrawRequest(db, asker, id, NOW)).toEqual({ ok: true });
    const helper = await makePerson(db);
    await expect(takeRequest(db, helper, id, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(takeRequest(db, helper, 2_000_000, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(takeRequest(db, null, id, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('both sides are told in their own language, by first name, without address or note', async () => {
    const asker = await makePerson(db, { name: 'Zahra Ahmadi', locale: 'fa' });
    const helper = await makePerson(db, { name: 'Hanna Becker', locale: 'de' });
    const id = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, id, ORIGIN, NOW);
    const mails = await mailsAbout(id);
    const toAsker = mails.find((m) => m.kind === 'help_request_taken_asker')!;
    const toHelper = mails.find((m) => m.kind === 'help_request_taken_helper')!;
    expect(toAsker.locale).toBe('fa');
    expect(toHelper.locale).toBe('de');
    const render = (m: (typeof mails)[number]) => renderMail({ id: 1, kind: m.kind as never, recipientUserId: m.recipient_user_id, recipientEmail: 'x@example.org', channel: 'email', locale: m.locale, payload: m.payload as Record<string, unknown>, attempts: 0 }, SETTINGS);
    const askerMail = render(toAsker);
    const helperMail = render(toHelper);
    expect(askerMail.text).toContain('Hanna');
    expect(askerMail.text).not.toContain('Becker');
    expect(askerMail.text).toContain('ترجمهٔ شفاهی');
    expect(helperMail.text).toContain('Zahra');
    expect(helperMail.text).toContain('Dolmetschen');
    for (const mail of [askerMail, helperMail]) {
      expect(mail.text).not.toContain(HELP_ADDRESS);
      expect(mail.text).not.toContain(HELP_NOTE);
    }
    for (const kind of ['help_request_taken_asker', 'help_request_taken_helper', 'help_request_handed_back'] as const) expect(TOPIC_OF_KIND[kind]).toBe('help_requests');
  });
});

describe('who may see a request', () => {
  it('the asker, the helper who took it and coordinators; another helper, an organiser and a visitor get "not found"', async () => {
    const asker = await makePerson(db, { name: 'Zahra Ahmadi' });
    const helper = await makePerson(db, { name: 'Hanna Becker' });
    const other = await makePerson(db);
    const organiser = await makeOrganiserOnly(db);
    const id = await makeHelpRequest(db, asker);
    // Before it is taken, the one who will take it sees only the list.
    await expect(helpRequestRole(db, helper, id)).rejects.toBeInstanceOf(NotFoundError);
    await takeRequest(db, helper, id, ORIGIN, NOW);
    expect(await helpRequestRole(db, asker, id)).toBe('asker');
    expect(await helpRequestRole(db, helper, id)).toBe('helper');
    expect(await helpRequestRole(db, coordinator, id)).toBe('coordinator');
    for (const nobody of [other, organiser, null]) await expect(getRequestView(db, nobody, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getRequestView(db, asker, 2_000_000)).rejects.toBeInstanceOf(NotFoundError);
    const seen = await getRequestView(db, helper, id);
    expect(seen).toMatchObject({ address: HELP_ADDRESS, note: HELP_NOTE, askerFirstName: 'Zahra', helperFirstName: 'Hanna', may: { withdraw: false, handBack: true, finish: true } });
    expect((await getRequestView(db, asker, id)).may).toEqual({ withdraw: false, handBack: true, finish: false, thank: false });
    expect((await getRequestView(db, coordinator, id)).may).toEqual({ withdraw: false, handBack: false, finish: false, thank: false });
  });

  it('only the asker withdraws, and only while it is open', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const id = await makeHelpRequest(db, asker);
    await expect(withdrawRequest(db, helper, id, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawRequest(db, coordinator, id, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await takeRequest(db, helper, id, ORIGIN, NOW);
    expect(await withdrawRequest(db, asker, id, NOW)).toEqual({ ok: false, form: { key: 'helpRequests.error.notOpen' } });
    expect((await statusOf(id)).status).toBe('taken');
  });
});

describe('handing back and finishing', () => {
  it('the helper hands it back: open again, listed again, the asker told; the helper no longer sees it', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const id = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, id, ORIGIN, NOW);
    expect(await handBackRequest(db, helper, id, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await statusOf(id)).toMatchObject({ status: 'open', helper_user_id: null });
    expect((await listOpenRequests(db, NOW, ZONE)).some((r) => r.id === id)).toBe(true);
    await expect(getRequestView(db, helper, id)).rejects.toBeInstanceOf(NotFoundError);
    const back = (await mailsAbout(id)).filter((m) => m.kind === 'help_request_handed_back');
    expect(back.map((m) => m.recipient_user_id)).toEqual([asker.id]);
  });

  it('the asker hands it back too, and the helper is told', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const id = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, id, ORIGIN, NOW);
    expect(await handBackRequest(db, asker, id, ORIGIN, NOW)).toEqual({ ok: true });
    const back = (await mailsAbout(id)).filter((m) => m.kind === 'help_request_handed_back');
    expect(back.map((m) => m.recipient_user_id)).toEqual([helper.id]);
    expect(await handBackRequest(db, asker, id, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'helpRequests.error.notTaken' } });
  });

  it('the helper marks it done with the minutes, or "did not happen"; nobody else can', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const done = await makeHelpRequest(db, asker);
    const missed = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, done, ORIGIN, NOW);
    await takeRequest(db, helper, missed, ORIGIN, NOW);
    await expect(finishRequest(db, asker, { requestId: done, outcome: 'done', minutes: 90 }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(finishRequest(db, coordinator, { requestId: done, outcome: 'done', minutes: 90 }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await finishRequest(db, helper, { requestId: done, outcome: 'done', minutes: 90 }, NOW)).toEqual({ ok: true });
    expect(await finishRequest(db, helper, { requestId: missed, outcome: 'did_not_happen', minutes: null }, NOW)).toEqual({ ok: true });
    expect(await statusOf(done)).toMatchObject({ status: 'done', minutes_spent: 90 });
    expect(await statusOf(missed)).toMatchObject({ status: 'did_not_happen', minutes_spent: null });
    expect(await finishRequest(db, helper, { requestId: done, outcome: 'done', minutes: 30 }, NOW)).toEqual({ ok: false, form: { key: 'helpRequests.error.notTaken' } });
    const mine = await listMyRequests(db, helper.id);
    expect(mine.helping.map((r) => r.status).sort()).toEqual(['did_not_happen', 'done']);
    expect((await listMyRequests(db, asker.id)).asked.every((r) => r.otherFirstName !== null)).toBe(true);
  });

  it('a helper who deletes their account gives back what they hold: it opens again; a finished one stays done', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const held = await makeHelpRequest(db, asker);
    const finished = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, held, ORIGIN, NOW);
    await takeRequest(db, helper, finished, ORIGIN, NOW);
    await finishRequest(db, helper, { requestId: finished, outcome: 'done', minutes: 45 }, NOW);
    await erasePerson(db, helper.id, { requester: { by: 'self' }, ip: ORIGIN.ip, baseUrl: ORIGIN.baseUrl, now: NOW });
    expect(await statusOf(held)).toMatchObject({ status: 'open', helper_user_id: null });
    expect(await statusOf(finished)).toMatchObject({ status: 'done', helper_user_id: null, minutes_spent: 45 });
  });
});
