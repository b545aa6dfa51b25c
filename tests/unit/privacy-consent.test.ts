// Consent records on the engine under test: the texts people agree to and their versions, the
// box on the request (no request without it, recorded in the same transaction), paper forms
// dated neither in the future nor before the person was registered (as Berlin's calendar
// counts days, whatever zone the server runs in), one consent in force at a time, and what
// withdrawing ends: the open request, or the running mentorship with the Kümmerer told — and
// nobody but the person and the coordinators may do it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { isUniqueViolation } from '../../src/db/errors.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { listMentorships, listOpenRequests } from '../../src/features/mentoring/mentoring.queries.ts';
import { requestInput, requestForPersonInput } from '../../src/features/mentoring/mentoring.schema.ts';
import { assignKuemmerer, createRequestForPerson, reassignMentorship, requestKuemmerer } from '../../src/features/mentoring/mentoring.service.ts';
import {
  CONSENT_PURPOSES,
  giveConsent,
  hasConsent,
  listConsents,
  personConsents,
  recordPaperConsent,
  withdrawConsent,
} from '../../src/features/privacy/consent.ts';
import { paperDateProblem } from '../../src/features/privacy/consent.records.ts';
import { catalogues, LOCALES } from '../../src/i18n/index.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';
import { makeCoordinator, makeKuemmerer, makeRequest, TEST_TIME_ZONE } from '../helpers/mentoring.ts';

const ORIGIN = { ip: '192.0.2.7', baseUrl: 'https://ankommen.example' };
const ZONE = TEST_TIME_ZONE;
// 22:30 UTC on 20 May is already 21 May in Berlin (summer time, UTC+2).
const NOW = new Date('2030-05-20T22:30:00Z');
const BERLIN_TODAY = '2030-05-21';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let coordinator: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  coordinator = await makeCoordinator(db);
});
afterAll(() => handle?.close());

const ask = requestInput.parse({ topics: ['housing'], languages: ['ar'], note: 'Wir suchen eine Wohnung.', contactPreference: 'phone', contactDetail: '0151 2', consent: 'on' });

async function registeredAt(person: SessionUser, at: Date): Promise<void> {
  await db.updateTable('app_user').set({ created_at: at } as never).where('id', '=', person.id).execute();
}

const rowsOf = (userId: number) =>
  db.selectFrom('consent').select(['id', 'purpose', 'text_version', 'given_at', 'given_how', 'recorded_by', 'withdrawn_at']).where('user_id', '=', userId).orderBy('id').execute();
const requestsOf = (userId: number) => db.selectFrom('mentoring_request').select(['id', 'status']).where('newcomer_user_id', '=', userId).orderBy('id').execute();
const audits = (action: string, objectId: number) =>
  db.selectFrom('audit_event').select(['actor_user_id', 'details']).where('action', '=', action).where('object_id', '=', String(objectId)).execute();
const mailsTo = (userId: number) => db.selectFrom('outbox').select('kind').where('recipient_user_id', '=', userId).orderBy('id').execute();

describe('the purposes and their texts', () => {
  // A consent names the version of the German text it was given to. Change a text, and this
  // fails until the purpose gets a new version (and its fingerprint here).
  const FINGERPRINTS: Record<string, string> = { 'mentoring_needs@2026-12-07': 'e34457975dfec84f' };

  it('pins each version to its German text', () => {
    for (const [purpose, declared] of Object.entries(CONSENT_PURPOSES)) {
      const german = catalogues.de as Record<string, unknown>;
      const texts = [declared.text.title, declared.text.statement, declared.text.details, declared.kept.text, declared.text.withdrawal].map((key) => german[key]);
      const fingerprint = createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 16);
      expect(`${purpose}@${declared.version}: ${fingerprint}`).toBe(`${purpose}@${declared.version}: ${FINGERPRINTS[`${purpose}@${declared.version}`]}`);
    }
  });

  it('has its texts in all six languages, each its own (not a copy of the German)', () => {
    for (const declared of Object.values(CONSENT_PURPOSES)) {
      for (const key of Object.values(declared.text)) {
        for (const locale of LOCALES) {
          const text = (catalogues[locale] as Record<string, unknown>)[key];
          expect(typeof text === 'string' && text.length > 10, `${locale} ${key}`).toBe(true);
          if (locale !== 'de') expect(text, `${locale} ${key}`).not.toBe((catalogues.de as Record<string, unknown>)[key]);
        }
      }
    }
  });
});

describe('asking for a Kümmerer', () => {
  it('without the box ticked: refused next to the box, and nothing is saved', async () => {
    const newcomer = await makePerson(db);
    expect(requestInput.safeParse({ ...ask, consent: null }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['consent', 'consent.error.required']]);
    // The service asks again, whatever the form let through.
    expect(await requestKuemmerer(db, newcomer, { ...ask, consent: false }, ORIGIN, NOW)).toEqual({ ok: false, fields: { consent: 'consent.error.required' } });
    expect(await requestsOf(newcomer.id)).toEqual([]);
    expect(await rowsOf(newcomer.id)).toEqual([]);
  });

  it('with it: the request and an online consent to the current text, written together and audited', async () => {
    const newcomer = await makePerson(db);
    const asked = await requestKuemmerer(db, newcomer, ask, ORIGIN, NOW);
    expect(asked.ok).toBe(true);
    const [row] = await rowsOf(newcomer.id);
    expect(row).toMatchObject({ purpose: 'mentoring_needs', text_version: CONSENT_PURPOSES.mentoring_needs.version, given_how: 'online', recorded_by: null, withdrawn_at: null });
    expect(row!.given_at.toISOString()).toBe(NOW.toISOString());
    expect(await hasConsent(db, newcomer.id, 'mentoring_needs')).toBe(true);
    expect(await audits('consent.given', row!.id)).toEqual([{ actor_user_id: newcomer.id, details: { purpose: 'mentoring_needs', textVersion: CONSENT_PURPOSES.mentoring_needs.version } }]);
  });

  it('a request refused for another reason records no consent either', async () => {
    const withoutAddress = await db
      .insertInto('app_user')
      .values({ email: null, password_hash: 'not-a-real-hash', display_name: 'Omid Ohne', locale: 'fa' })
      .returning(['id', 'email', 'display_name', 'locale', 'is_admin', 'email_verified_at'])
      .executeTakeFirstOrThrow();
    const byMail = { ...ask, contactPreference: 'email' as const };
    expect(await requestKuemmerer(db, withoutAddress, byMail, ORIGIN, NOW)).toMatchObject({ ok: false, fields: { contactPreference: 'mentoring.error.noEmailSelf' } });
    expect(await rowsOf(withoutAddress.id)).toEqual([]);
  });
});

describe('one consent in force at a time', () => {
  it('giving again while one is in force keeps the one; the database refuses a second', async () => {
    const person = await makePerson(db);
    const first = await db.transaction().execute((trx) => giveConsent(trx, { userId: person.id, purpose: 'mentoring_needs', origin: ORIGIN, now: NOW }));
    const again = await db.transaction().execute((trx) => giveConsent(trx, { userId: person.id, purpose: 'mentoring_needs', origin: ORIGIN, now: new Date(NOW.getTime() + 60_000) }));
    expect(first.isNew).toBe(true);
    expect(again).toEqual({ consentId: first.consentId, isNew: false });
    expect(await rowsOf(person.id)).toHaveLength(1);
    const second = db.insertInto('consent').values({ user_id: person.id, purpose: 'mentoring_needs', text_version: 'x', given_at: NOW, given_how: 'online' }).execute();
    expect(isUniqueViolation(await second.then(() => null, (error: unknown) => error))).toBe(true);
  });
});

describe('a consent signed on paper', () => {
  it('takes a day from the registration to today, as Berlin counts days', () => {
    const registered = new Date('2030-05-09T22:30:00Z'); // 10 May in Berlin
    expect(paperDateProblem(BERLIN_TODAY, registered, NOW, ZONE)).toBeNull();
    expect(paperDateProblem('2030-05-10', registered, NOW, ZONE)).toBeNull();
    expect(paperDateProblem('2030-05-22', registered, NOW, ZONE)).toBe('consent.error.signedInFuture');
    expect(paperDateProblem('2030-05-09', registered, NOW, ZONE)).toBe('consent.error.signedBeforeRegistration');
    expect(paperDateProblem('2030-02-30', registered, NOW, ZONE)).toBe('error.date.invalid');
    expect(paperDateProblem('0000-01-01', registered, NOW, ZONE)).toBe('error.date.invalid');
  });

  it('is recorded by a coordinator with the date on it, refused outside those days, and audited', async () => {
    const person = await makePerson(db, { name: 'Samir Papier' });
    await makeRequest(db, person, { consent: false });
    // Registered on 10 May at 14:00 in Berlin.
    await registeredAt(person, new Date('2030-05-10T12:00:00Z'));
    const record = (signedOn: string) => recordPaperConsent(db, coordinator, { personId: person.id, purpose: 'mentoring_needs', signedOn }, ORIGIN, ZONE, NOW);
    expect(await record('2030-05-22')).toEqual({ ok: false, fields: { consentSignedOn: 'consent.error.signedInFuture' } });
    expect(await record('2030-05-09')).toEqual({ ok: false, fields: { consentSignedOn: 'consent.error.signedBeforeRegistration' } });
    expect(await rowsOf(person.id)).toEqual([]);
    // The day of the registration: it counts from the registration, never before the account.
    const recorded = await record('2030-05-10');
    expect(recorded.ok).toBe(true);
    const [row] = await rowsOf(person.id);
    expect(row).toMatchObject({ given_how: 'paper', recorded_by: coordinator.id, text_version: CONSENT_PURPOSES.mentoring_needs.version, withdrawn_at: null });
    expect(row!.given_at.toISOString()).toBe('2030-05-10T12:00:00.000Z');
    expect(await audits('consent.recorded_on_paper', row!.id)).toEqual([
      { actor_user_id: coordinator.id, details: { purpose: 'mentoring_needs', textVersion: CONSENT_PURPOSES.mentoring_needs.version, signedOn: '2030-05-10', userId: person.id } },
    ]);
    // One in force: a second form is refused until the first is withdrawn.
    expect(await record(BERLIN_TODAY)).toEqual({ ok: false, form: { key: 'consent.error.alreadyInForce' } });
    expect(await withdrawConsent(db, coordinator, row!.id, ORIGIN, NOW)).toMatchObject({ ok: true, role: 'coordinator' });
    expect((await record(BERLIN_TODAY)).ok).toBe(true);
    const [, later] = await rowsOf(person.id);
    // A later day counts from its start in Berlin (midnight summer time is 22:00 UTC).
    expect(later!.given_at.toISOString()).toBe('2030-05-20T22:00:00.000Z');
    const view = await personConsents(db, coordinator, person.id);
    expect(view.missing).toEqual([]);
    expect(view.consents.map((c) => [c.givenHow, c.withdrawnAt === null])).toEqual([
      ['paper', true],
      ['paper', false],
    ]);
  });

  it('only coordinators record one, and only for people the coordination looks after', async () => {
    const person = await makePerson(db);
    await makeRequest(db, person, { consent: false });
    const input = { personId: person.id, purpose: 'mentoring_needs' as const, signedOn: BERLIN_TODAY };
    for (const actor of [person, await makePerson(db), await makeKuemmerer(db), null]) {
      await expect(recordPaperConsent(db, actor, input, ORIGIN, ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(personConsents(db, actor, person.id)).rejects.toBeInstanceOf(NotFoundError);
    }
    // Someone who never asked for a Kümmerer and was not registered by the coordination.
    const stranger = await makePerson(db);
    await expect(recordPaperConsent(db, coordinator, { ...input, personId: stranger.id }, ORIGIN, ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(personConsents(db, coordinator, stranger.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await rowsOf(stranger.id)).toEqual([]);
  });

  it('registering a person needs the signed form, dated today; refused, nothing of the person is saved', async () => {
    const people = async () => Number((await db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const fields = { name: 'Leyla Kaya', locale: 'tr' as const, topics: ['german' as const], languages: ['tr' as const], note: '', contactPreference: 'coordinator' as const, contactDetail: '' };
    const parsed = requestForPersonInput.safeParse({ ...fields, paperConsent: null, consentSignedOn: '' });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['paperConsent', 'consent.error.confirmPaper'],
      ['consentSignedOn', 'error.date.invalid'],
    ]);
    const before = await people();
    const register = (paperConsent: boolean, consentSignedOn: string) => createRequestForPerson(db, coordinator, { ...fields, paperConsent, consentSignedOn }, ORIGIN, ZONE, NOW);
    expect(await register(false, BERLIN_TODAY)).toEqual({ ok: false, fields: { paperConsent: 'consent.error.confirmPaper' } });
    expect(await register(true, '2030-05-22')).toEqual({ ok: false, fields: { consentSignedOn: 'consent.error.signedInFuture' } });
    // The person is registered now: a day before today is before their registration.
    expect(await register(true, '2030-05-20')).toEqual({ ok: false, fields: { consentSignedOn: 'consent.error.signedBeforeRegistration' } });
    expect(await people()).toBe(before);
    const registered = await register(true, BERLIN_TODAY);
    if (!registered.ok) throw new Error('refused');
    expect(await rowsOf(registered.personId)).toMatchObject([{ given_how: 'paper', recorded_by: coordinator.id, withdrawn_at: null }]);
    expect((await rowsOf(registered.personId))[0]!.given_at.toISOString()).toBe(NOW.toISOString());
  });
});

describe('withdrawing', () => {
  it('ends the open request (withdrawn), keeps the record, is audited; a second time is refused', async () => {
    const newcomer = await makePerson(db);
    const asked = await requestKuemmerer(db, newcomer, ask, ORIGIN, NOW);
    if (!asked.ok) throw new Error('refused');
    const [consent] = await listConsents(db, newcomer.id);
    const later = new Date(NOW.getTime() + 3_600_000);
    expect(await withdrawConsent(db, newcomer, consent!.id, ORIGIN, later)).toEqual({ ok: true, role: 'the_person', withdrawnRequestId: asked.requestId, endedMentorshipId: null });
    expect(await requestsOf(newcomer.id)).toEqual([{ id: asked.requestId, status: 'withdrawn' }]);
    expect((await rowsOf(newcomer.id))[0]!.withdrawn_at?.toISOString()).toBe(later.toISOString());
    expect(await hasConsent(db, newcomer.id, 'mentoring_needs')).toBe(false);
    expect(await audits('consent.withdrawn', consent!.id)).toEqual([
      { actor_user_id: newcomer.id, details: { purpose: 'mentoring_needs', userId: newcomer.id, byCoordinator: false, withdrawnRequestId: asked.requestId, endedMentorshipId: null } },
    ]);
    expect(await withdrawConsent(db, newcomer, consent!.id, ORIGIN, later)).toEqual({ ok: false, form: { key: 'consent.error.alreadyWithdrawn' } });
    // Asking again gives a new consent; the withdrawn one stays, listed after it.
    expect((await requestKuemmerer(db, newcomer, ask, ORIGIN, later)).ok).toBe(true);
    expect((await listConsents(db, newcomer.id)).map((c) => c.withdrawnAt === null)).toEqual([true, false]);
  });

  it('ends the running mentorship in the same step; the Kümmerer and the coordinators are told', async () => {
    const newcomer = await makePerson(db, { name: 'Rania Rückzug' });
    const kuemmerer = await makeKuemmerer(db, { name: 'Karla Kümmert', languages: ['ar'] });
    const asked = await requestKuemmerer(db, newcomer, ask, ORIGIN, NOW);
    if (!asked.ok) throw new Error('refused');
    const assigned = await assignKuemmerer(db, coordinator, { requestId: asked.requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW);
    if (!assigned.ok) throw new Error('not assigned');
    const [consent] = await listConsents(db, newcomer.id);
    expect(await withdrawConsent(db, newcomer, consent!.id, ORIGIN, NOW)).toEqual({ ok: true, role: 'the_person', withdrawnRequestId: null, endedMentorshipId: assigned.mentorshipId });
    const mentorship = await db.selectFrom('mentorship').select(['status', 'ended_by', 'ended_at']).where('id', '=', assigned.mentorshipId).executeTakeFirstOrThrow();
    expect(mentorship).toMatchObject({ status: 'ended', ended_by: newcomer.id });
    expect(await requestsOf(newcomer.id)).toEqual([{ id: asked.requestId, status: 'closed' }]);
    expect((await mailsTo(kuemmerer.id)).map((m) => m.kind)).toEqual(['mentoring_started_kuemmerer', 'mentoring_ended']);
    expect((await mailsTo(coordinator.id)).map((m) => m.kind)).toContain('mentoring_ended_coordinator');
    // They ended it themself: no mail tells them so.
    expect((await mailsTo(newcomer.id)).map((m) => m.kind)).not.toContain('mentoring_ended');
    expect(await audits('mentoring.ended', assigned.mentorshipId)).toHaveLength(1);
  });

  it('a coordinator records a withdrawal the person told them of; the newcomer is told the mentorship ended', async () => {
    const newcomer = await makePerson(db);
    const kuemmerer = await makeKuemmerer(db, { languages: ['ar'] });
    const requestId = await makeRequest(db, newcomer);
    const assigned = await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW);
    if (!assigned.ok) throw new Error('not assigned');
    const [consent] = await listConsents(db, newcomer.id);
    expect(await withdrawConsent(db, coordinator, consent!.id, ORIGIN, NOW)).toMatchObject({ ok: true, role: 'coordinator', endedMentorshipId: assigned.mentorshipId });
    expect((await mailsTo(kuemmerer.id)).map((m) => m.kind)).toContain('mentoring_ended');
    expect((await mailsTo(newcomer.id)).map((m) => m.kind)).toContain('mentoring_ended');
    expect((await audits('consent.withdrawn', consent!.id))[0]!.details).toMatchObject({ byCoordinator: true });
  });

  it('nobody else can: another resident, the Kümmerer, an organiser — 404, and nothing changes', async () => {
    const newcomer = await makePerson(db);
    const kuemmerer = await makeKuemmerer(db, { languages: ['ar'] });
    const requestId = await makeRequest(db, newcomer);
    expect((await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW)).ok).toBe(true);
    const [consent] = await listConsents(db, newcomer.id);
    for (const actor of [await makePerson(db), kuemmerer, null]) {
      await expect(withdrawConsent(db, actor, consent!.id, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(withdrawConsent(db, newcomer, 987_654, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await hasConsent(db, newcomer.id, 'mentoring_needs')).toBe(true);
    expect(await requestsOf(newcomer.id)).toEqual([{ id: requestId, status: 'matched' }]);
  });
});

describe('requests from before consents were recorded', () => {
  it('show no consent to the coordinators and cannot be matched until the paper form is recorded', async () => {
    const newcomer = await makePerson(db, { name: 'Alte Anfrage' });
    const kuemmerer = await makeKuemmerer(db, { languages: ['ar'] });
    const requestId = await makeRequest(db, newcomer, { consent: false });
    const listed = (await listOpenRequests(db, coordinator)).find((r) => r.request.id === requestId);
    expect(listed?.consent).toBeUndefined();
    expect((await personConsents(db, coordinator, newcomer.id)).missing).toEqual(['mentoring_needs']);
    expect(await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'consent.error.noneForMatching' } });
    expect(await db.selectFrom('mentorship').select('id').where('request_id', '=', requestId).execute()).toEqual([]);
    expect((await recordPaperConsent(db, coordinator, { personId: newcomer.id, purpose: 'mentoring_needs', signedOn: BERLIN_TODAY }, ORIGIN, ZONE, NOW)).ok).toBe(true);
    expect((await listOpenRequests(db, coordinator)).find((r) => r.request.id === requestId)?.consent).toMatchObject({ givenHow: 'paper' });
    expect((await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW)).ok).toBe(true);
  });

  it('a mentorship already running without one is marked, and is not handed to another Kümmerer', async () => {
    const newcomer = await makePerson(db);
    const first = await makeKuemmerer(db, { languages: ['ar'] });
    const second = await makeKuemmerer(db, { languages: ['ar'] });
    const requestId = await makeRequest(db, newcomer, { consent: false });
    await db.updateTable('mentoring_request').set({ status: 'matched' }).where('id', '=', requestId).execute();
    const mentorship = await db
      .insertInto('mentorship')
      .values({ request_id: requestId, kuemmerer_user_id: first.id, newcomer_user_id: newcomer.id, status: 'active', started_at: NOW, assigned_by: coordinator.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = (await listMentorships(db, coordinator)).find((m) => m.id === mentorship.id);
    expect(row).toMatchObject({ newcomerId: newcomer.id, consent: undefined });
    expect(await reassignMentorship(db, coordinator, { mentorshipId: mentorship.id, kuemmererId: second.id }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'consent.error.noneForMatching' } });
  });
});
