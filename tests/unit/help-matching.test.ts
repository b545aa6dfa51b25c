// Matching helpers to help requests, on the engine under test: the volunteer profile's help
// offer, the ranking and its reasons in words, telling fitting helpers once (in their
// language, with the minimum only), a coordinator asking one directly, and the woman wish
// kept at taking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { handBackRequest, takeRequest } from '../../src/features/help-requests/help-requests.service.ts';
import type { PublicHelpRequest } from '../../src/features/help-requests/help-requests.queries.ts';
import { filterRequests, parseRequestFilters, type OwnOffer, type RequestFilterChoice } from '../../src/features/help-requests/help-wanted-requests.ts';
import { describeHelperFit, rankHelpers, weekdayOf, type HelperCandidate, type HelpMatchRequest } from '../../src/features/help-requests/matching.ts';
import { afterRequestOpened, askHelper, suggestedHelpers, TOLD_AT_MOST } from '../../src/features/help-requests/matching.service.ts';
import { TOPIC_OF_KIND } from '../../src/features/notifications/topics.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { profileInput } from '../../src/features/volunteering/volunteering.schema.ts';
import { saveProfile } from '../../src/features/volunteering/volunteering.service.ts';
import { getVolunteerProfile } from '../../src/features/volunteering/volunteering.queries.ts';
import { translator } from '../../src/i18n/index.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';
import { HELP_ADDRESS, HELP_NOTE, makeHelpRequest } from '../helpers/help-requests.ts';
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
  coordinator = await makeCoordinator(db, 'Clara Koordinatorin');
});
afterAll(() => handle?.close());

interface Offer {
  name?: string;
  locale?: Locale;
  languages?: string[];
  kinds?: string[];
  days?: string[];
  car?: boolean;
  seat?: boolean;
  woman?: boolean;
}

/** A person with a volunteer profile offering help. */
async function makeHelper(offer: Offer = {}): Promise<SessionUser> {
  const person = await makePerson(db, { ...(offer.name ? { name: offer.name } : {}), locale: offer.locale ?? 'de' });
  await saveProfile(
    db,
    person,
    { languages: (offer.languages ?? ['fa']) as never, skills: [], availability: '', helpKinds: (offer.kinds ?? ['interpreting']) as never, helpDays: (offer.days ?? []) as never, hasCar: offer.car ?? false, hasChildSeat: offer.seat ?? false, helpsAsWoman: offer.woman ?? false },
    NOW,
  );
  return person;
}

const asks = (requestId: number) => db.selectFrom('help_request_ask').selectAll().where('request_id', '=', requestId).orderBy('helper_user_id').execute();
const matchingMails = (requestId: number) =>
  db
    .selectFrom('outbox')
    .select(['kind', 'recipient_user_id', 'locale', 'payload'])
    .where('kind', 'in', ['help_request_fits_you', 'help_request_asked_directly'])
    .where(({ eb }) => eb(eb.ref('payload', '->>').key('requestId'), '=', String(requestId)))
    .orderBy('id')
    .execute();
const render = (m: { kind: string; recipient_user_id: number | null; locale: Locale; payload: unknown }) =>
  renderMail({ id: 1, kind: m.kind as never, recipientUserId: m.recipient_user_id, recipientEmail: 'x@example.org', channel: 'email', locale: m.locale, payload: m.payload as Record<string, unknown>, attempts: 0 }, SETTINGS);

describe('rankHelpers (pure)', () => {
  const request: HelpMatchRequest = { kind: 'interpreting', languages: ['fa', 'ar'], weekday: 'thu', wantsWoman: false, needsCar: false, needsChildSeat: false, askerUserId: 1, postedByUserId: 2 };
  const helper = (userId: number, over: Partial<HelperCandidate> = {}): HelperCandidate => ({
    userId,
    displayName: `H${userId}`,
    languages: ['fa'],
    helpKinds: ['interpreting'],
    helpDays: [],
    hasCar: false,
    hasChildSeat: false,
    helpsAsWoman: false,
    activeRequests: 0,
    ...over,
  });
  const ids = (r: HelpMatchRequest, cs: HelperCandidate[]) => rankHelpers(r, cs).map((f) => f.candidate.userId);

  it('keeps each hard rule: kind, a shared language, car, child seat, woman, weekday, never the asker or poster', () => {
    expect(ids(request, [helper(10, { helpKinds: ['lift'] }), helper(11, { helpKinds: [] }), helper(12)])).toEqual([12]);
    expect(ids(request, [helper(10, { languages: ['de', 'en'] }), helper(11, { languages: ['ar'] })])).toEqual([11]);
    expect(ids({ ...request, needsCar: true }, [helper(10), helper(11, { hasCar: true })])).toEqual([11]);
    expect(ids({ ...request, needsChildSeat: true }, [helper(10, { hasCar: true }), helper(11, { hasCar: true, hasChildSeat: true })])).toEqual([11]);
    expect(ids({ ...request, wantsWoman: true }, [helper(10), helper(11, { helpsAsWoman: true })])).toEqual([11]);
    // A set time on a Thursday: Monday-only helpers do not fit; no days named = any day.
    expect(ids(request, [helper(10, { helpDays: ['mon'] }), helper(11, { helpDays: ['thu', 'fri'] }), helper(12, { helpDays: [] })])).toEqual([11, 12]);
    // "Any time this week": every helper's days fit.
    expect(ids({ ...request, weekday: null }, [helper(10, { helpDays: ['mon'] })])).toEqual([10]);
    expect(ids(request, [helper(1), helper(2), helper(3)])).toEqual([3]);
  });

  it('orders by shared languages, then a named day, then fewer requests held, then the lower id', () => {
    const ranked = ids(request, [
      helper(20, { activeRequests: 0 }),
      helper(21, { languages: ['fa', 'ar'], activeRequests: 5 }),
      helper(22, { helpDays: ['thu'], activeRequests: 3 }),
      helper(23, { activeRequests: 1 }),
      helper(19, { activeRequests: 0 }),
    ]);
    expect(ranked).toEqual([21, 22, 19, 20, 23]);
  });

  it('gives the reasons in words, in the reader\'s language', () => {
    const [fit] = rankHelpers({ ...request, needsCar: true, wantsWoman: true }, [helper(30, { hasCar: true, helpsAsWoman: true, helpDays: ['thu'] })]);
    expect(describeHelperFit(translator('de'), fit!.reason)).toBe('spricht Persisch · bietet „Dolmetschen“ an · hat ein Auto · hilft als Frau · am Donnerstag meist frei');
    expect(describeHelperFit(translator('en'), fit!.reason)).toBe('speaks Persian · offers “Interpreting” · has a car · helps as a woman · usually free on Thursday');
    const [plain] = rankHelpers({ ...request, weekday: null }, [helper(31, { languages: ['fa', 'ar'] })]);
    expect(describeHelperFit(translator('de'), plain!.reason)).toBe('spricht Persisch und Arabisch · bietet „Dolmetschen“ an');
  });

  it('reads the weekday in the town\'s calendar', () => {
    // Wednesday 23:30 in UTC is already Thursday in Berlin.
    expect(weekdayOf(ZONE, new Date('2030-05-22T23:30:00Z'))).toBe('thu');
    expect(weekdayOf('UTC', new Date('2030-05-22T23:30:00Z'))).toBe('wed');
  });
});

describe('the volunteer profile\'s help offer', () => {
  it('is saved and read back; a child seat without a car is refused next to the field', async () => {
    const parsed = profileInput.parse({ languages: ['fa'], skills: [], availability: '', helpKinds: ['lift', 'doctor'], helpDays: ['mon', 'sat'], hasCar: 'on', hasChildSeat: 'on', helpsAsWoman: 'on' });
    const person = await makePerson(db);
    await saveProfile(db, person, parsed, NOW);
    expect(await getVolunteerProfile(db, person.id)).toMatchObject({ helpKinds: ['lift', 'doctor'], helpDays: ['mon', 'sat'], hasCar: true, hasChildSeat: true, helpsAsWoman: true });
    const refused = profileInput.safeParse({ languages: [], skills: [], availability: '', helpKinds: ['lift'], helpDays: [], hasChildSeat: 'on' });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['hasChildSeat', 'helpMatching.error.childSeatNeedsCar']]);
    expect(profileInput.safeParse({ languages: [], skills: [], availability: '', helpKinds: ['flying'], helpDays: ['someday'] }).success).toBe(false);
    // Ticking nothing of the offer is allowed: that is the opt-out.
    expect(profileInput.parse({ languages: [], skills: [], availability: '' })).toMatchObject({ helpKinds: [], helpDays: [], hasCar: false, hasChildSeat: false, helpsAsWoman: false });
  });
});

describe('telling fitting helpers', () => {
  it('a new request tells the fitting helpers, each in their language, with the minimum only', async () => {
    const dari = await makeHelper({ name: 'Parwin Rahimi', locale: 'fa', languages: ['ps'], kinds: ['doctor'], days: ['mon'] });
    const german = await makeHelper({ name: 'Hanna Becker', locale: 'de', languages: ['ps', 'de'], kinds: ['doctor'] });
    const optedOut = await makeHelper({ languages: ['ps'], kinds: [] });
    const otherKind = await makeHelper({ languages: ['ps'], kinds: ['lift'] });
    const otherDay = await makeHelper({ languages: ['ps'], kinds: ['doctor'], days: ['fri'] });
    const asker = await makePerson(db, { name: 'Zahra Ahmadi' });
    const id = await makeHelpRequest(db, asker, { kind: 'doctor', languages: ['ps'], healthConsent: true });
    const told = (await asks(id)).map((a) => a.helper_user_id);
    expect(told.sort()).toEqual([dari.id, german.id].sort());
    for (const nobody of [optedOut, otherKind, otherDay, asker]) expect(told).not.toContain(nobody.id);
    expect((await asks(id)).every((a) => a.direct === false && a.asked_by_user_id === null)).toBe(true);
    const mails = await matchingMails(id);
    expect(mails.map((m) => [m.recipient_user_id, m.locale]).sort()).toEqual([[dari.id, 'fa'], [german.id, 'de']].sort());
    const fa = render(mails.find((m) => m.recipient_user_id === dari.id)!);
    const de = render(mails.find((m) => m.recipient_user_id === german.id)!);
    expect(de.subject).toBe('Eine Anfrage passt zu Ihrem Angebot');
    expect(de.text).toContain('Begleitung zum Arzt');
    expect(de.text).toContain('Altena-Mitte');
    expect(de.text).toContain('Paschtu');
    expect(de.text).toContain(`https://ankommen.example/help-wanted#help-request-${id}`);
    expect(fa.text).toContain('همراهی');
    expect(fa.text).toContain(`https://ankommen.example/fa/help-wanted#help-request-${id}`);
    for (const mail of [fa, de]) {
      expect(mail.text).not.toContain(HELP_ADDRESS);
      expect(mail.text).not.toContain(HELP_NOTE);
      expect(mail.text).not.toContain('Zahra');
    }
    expect(TOPIC_OF_KIND.help_request_fits_you).toBe('help_requests');
    expect(TOPIC_OF_KIND.help_request_asked_directly).toBe('help_requests');
  });

  it('nobody is told twice about one request: not again on hand-back, not on a second call', async () => {
    const helper = await makeHelper({ languages: ['so'], kinds: ['carrying'] });
    const taker = await makeHelper({ languages: ['so'], kinds: ['carrying'] });
    const asker = await makePerson(db);
    const id = await makeHelpRequest(db, asker, { kind: 'carrying', languages: ['so'] });
    expect((await matchingMails(id)).map((m) => m.recipient_user_id).sort()).toEqual([helper.id, taker.id].sort());
    expect(await takeRequest(db, taker, id, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await handBackRequest(db, taker, id, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await db.transaction().execute((trx) => afterRequestOpened(trx, id, ORIGIN, NOW, ZONE))).toBe(0);
    expect(await matchingMails(id)).toHaveLength(2);
    // A helper who starts offering it later is told when it opens again.
    const late = await makeHelper({ languages: ['so'], kinds: ['carrying'] });
    expect(await db.transaction().execute((trx) => afterRequestOpened(trx, id, ORIGIN, NOW, ZONE))).toBe(1);
    expect((await matchingMails(id)).map((m) => m.recipient_user_id)).toContain(late.id);
  });

  it('the helper who hands a request back is not told of it as if it were new', async () => {
    const asker = await makePerson(db);
    const id = await makeHelpRequest(db, asker, { kind: 'carrying', languages: ['ru'] });
    expect(await matchingMails(id)).toHaveLength(0);
    // Offering it after it was posted: nobody told them, yet they take it from the list.
    const taker = await makeHelper({ languages: ['ru'], kinds: ['carrying'] });
    const other = await makeHelper({ languages: ['ru'], kinds: ['carrying'] });
    expect(await takeRequest(db, taker, id, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await handBackRequest(db, taker, id, ORIGIN, NOW)).toEqual({ ok: true });
    expect((await matchingMails(id)).map((m) => m.recipient_user_id)).toEqual([other.id]);
  });

  it(`tells at most ${TOLD_AT_MOST}, the best ranked first`, async () => {
    const helpers = [];
    for (let i = 0; i < TOLD_AT_MOST + 3; i += 1) helpers.push(await makeHelper({ languages: ['ti'], kinds: ['school'] }));
    const best = await makeHelper({ languages: ['ti', 'ar'], kinds: ['school'] });
    const id = await makeHelpRequest(db, await makePerson(db), { kind: 'school', languages: ['ti', 'ar'] });
    const told = (await asks(id)).map((a) => a.helper_user_id);
    expect(told).toHaveLength(TOLD_AT_MOST);
    expect(told).toContain(best.id);
    // Ties go to the lower id: the last three made are not told.
    for (const h of helpers.slice(-3)) expect(told).not.toContain(h.id);
  });

  it('a request that is no longer open tells nobody', async () => {
    const asker = await makePerson(db);
    const id = await makeHelpRequest(db, asker, { kind: 'other', languages: ['es'] });
    await db.updateTable('help_request').set({ status: 'withdrawn' }).where('id', '=', id).execute();
    await makeHelper({ languages: ['es'], kinds: ['other'] });
    expect(await db.transaction().execute((trx) => afterRequestOpened(trx, id, ORIGIN, NOW, ZONE))).toBe(0);
  });
});

describe('a coordinator asks one directly', () => {
  it('shows the ranked helpers with who was told; asking mails the helper in their language, naming the coordinator', async () => {
    const first = await makeHelper({ name: 'Olena Koval', locale: 'uk', languages: ['ku', 'uk'], kinds: ['authority'] });
    const second = await makeHelper({ name: 'Ali Demir', locale: 'tr', languages: ['ku'], kinds: ['authority'] });
    const asker = await makePerson(db);
    const id = await makeHelpRequest(db, asker, { kind: 'authority', languages: ['ku', 'uk'] });
    const view = await suggestedHelpers(db, coordinator, id, ZONE);
    expect(view.open).toBe(true);
    expect(view.helpers.map((h) => h.candidate.userId)).toEqual([first.id, second.id]);
    expect(view.helpers.every((h) => h.askedAt !== null && !h.direct)).toBe(true);

    expect(await askHelper(db, coordinator, id, second.id, ORIGIN, NOW, ZONE)).toEqual({ ok: true });
    const row = (await asks(id)).find((a) => a.helper_user_id === second.id)!;
    expect(row).toMatchObject({ direct: true, asked_by_user_id: coordinator.id });
    const direct = (await matchingMails(id)).filter((m) => m.kind === 'help_request_asked_directly');
    expect(direct.map((m) => [m.recipient_user_id, m.locale])).toEqual([[second.id, 'tr']]);
    const mail = render(direct[0]!);
    expect(mail.text).toContain('Koordinasyondan Clara');
    expect(mail.text).not.toContain('Koordinatorin');
    expect(mail.text).not.toContain(HELP_ADDRESS);
    expect(mail.text).not.toContain(HELP_NOTE);
    expect((await suggestedHelpers(db, coordinator, id, ZONE)).helpers.find((h) => h.candidate.userId === second.id)).toMatchObject({ direct: true });
    // Asked once directly is enough.
    expect(await askHelper(db, coordinator, id, second.id, ORIGIN, NOW, ZONE)).toEqual({ ok: false, form: { key: 'helpMatching.error.alreadyAsked' } });
  });

  it('only coordinators: the helper, the asker, an organiser and a visitor get "not found"; only fitting helpers; only open requests', async () => {
    const helper = await makeHelper({ languages: ['ru'], kinds: ['lift'], car: true });
    const noCar = await makeHelper({ languages: ['ru'], kinds: ['lift'] });
    const asker = await makePerson(db);
    const organiser = await makeOrganiserOnly(db);
    const id = await makeHelpRequest(db, asker, { kind: 'lift', languages: ['ru'], needsCar: true });
    for (const nobody of [helper, asker, organiser, null]) {
      await expect(askHelper(db, nobody, id, helper.id, ORIGIN, NOW, ZONE)).rejects.toBeInstanceOf(NotFoundError);
      await expect(suggestedHelpers(db, nobody, id, ZONE)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(askHelper(db, coordinator, 2_000_000, helper.id, ORIGIN, NOW, ZONE)).rejects.toBeInstanceOf(NotFoundError);
    expect(await askHelper(db, coordinator, id, noCar.id, ORIGIN, NOW, ZONE)).toEqual({ ok: false, form: { key: 'helpMatching.error.notFitting' } });
    expect(await askHelper(db, coordinator, id, asker.id, ORIGIN, NOW, ZONE)).toEqual({ ok: false, form: { key: 'helpMatching.error.notFitting' } });
    expect(await takeRequest(db, helper, id, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await askHelper(db, coordinator, id, helper.id, ORIGIN, NOW, ZONE)).toEqual({ ok: false, form: { key: 'helpRequests.error.notOpen' } });
    expect((await suggestedHelpers(db, coordinator, id, ZONE)).open).toBe(false);
  });
});

describe('the woman wish at taking', () => {
  it('only a helper who helps as a woman may take it; others are told why, and nothing changes', async () => {
    const man = await makePerson(db, { name: 'Klaus Hoffmann' });
    const unsaid = await makeHelper({ languages: ['fr'], kinds: ['doctor'] });
    const woman = await makeHelper({ name: 'Vera Volunteer', languages: ['fr'], kinds: ['doctor'], woman: true });
    const asker = await makePerson(db);
    const id = await makeHelpRequest(db, asker, { kind: 'doctor', languages: ['fr'], wantsWoman: true, healthConsent: true });
    // Matching tells only her.
    expect((await asks(id)).map((a) => a.helper_user_id)).toEqual([woman.id]);
    for (const other of [man, unsaid]) expect(await takeRequest(db, other, id, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'helpMatching.error.womanWish' } });
    expect((await db.selectFrom('help_request').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('open');
    expect(await takeRequest(db, woman, id, ORIGIN, NOW)).toEqual({ ok: true });
    // Without the wish, anyone may take it.
    const plain = await makeHelpRequest(db, asker, { kind: 'doctor', languages: ['fr'], wantsWoman: false, healthConsent: true });
    expect(await takeRequest(db, man, plain, ORIGIN, NOW)).toEqual({ ok: true });
  });
});

describe('the filters of the requests on /help-wanted (pure)', () => {
  // Monday 20 May 2030 is "now"; the week runs to Sunday 26 May in the town's calendar.
  const base = { district: 'Altena-Mitte', wantsWoman: false, needsCar: false, needsChildSeat: false };
  const thursday: PublicHelpRequest = { ...base, id: 1, kind: 'interpreting', startsAt: new Date('2030-05-23T08:00:00Z'), weekOf: null, languages: ['fa'] };
  const sundayLate: PublicHelpRequest = { ...base, id: 2, kind: 'lift', startsAt: new Date('2030-05-26T22:30:00Z'), weekOf: null, languages: ['ar'], needsCar: true };
  const anyThisWeek: PublicHelpRequest = { ...base, id: 3, kind: 'doctor', startsAt: null, weekOf: '2030-05-20', languages: ['fa', 'de'], wantsWoman: true };
  const all = [thursday, sundayLate, anyThisWeek];
  const ids = (choice: RequestFilterChoice, offer: OwnOffer | null = null) => filterRequests(all, choice, NOW, ZONE, offer).map((r) => r.id);
  const choose = (query: string) => parseRequestFilters(new URLSearchParams(query));

  it('by kind, language, this week (town\'s calendar) and a day; nonsense is dropped', () => {
    expect(ids(choose('rkind=lift'))).toEqual([2]);
    expect(ids(choose('rlang=fa'))).toEqual([1, 3]);
    // Sunday 22:30 UTC is already Monday in Berlin: next week.
    expect(ids(choose('rday=week'))).toEqual([1, 3]);
    expect(ids(choose('rday=date&rdate=2030-05-23'))).toEqual([1, 3]);
    expect(ids(choose('rday=date&rdate=2030-05-27'))).toEqual([2]);
    expect(choose('rkind=flying&rlang=xx&rday=date&rdate=2030-13-45&fits=yes')).toEqual({});
    expect(choose('rday=any&rdate=2030-05-23')).toEqual({});
  });

  it('"fits my profile" applies matching\'s hard rules; no offer, nothing fits', () => {
    const offer: OwnOffer = { userId: 99, languages: ['fa'], helpKinds: ['interpreting', 'doctor'], helpDays: ['thu'], hasCar: false, hasChildSeat: false, helpsAsWoman: false };
    expect(ids(choose('fits=on'), offer)).toEqual([1]);
    expect(ids(choose('fits=1'), { ...offer, helpsAsWoman: true })).toEqual([1, 3]);
    expect(ids(choose('fits=on'), { ...offer, helpKinds: [] })).toEqual([]);
    expect(ids(choose('fits=on'), null)).toEqual([]);
  });
});
