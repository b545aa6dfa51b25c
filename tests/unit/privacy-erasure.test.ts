// Erasing a person on the engine under test: each step a feature takes when someone leaves
// (seats to the waitlist with the usual mail, organisers told of a free shift, the Kümmerer told
// without a name, a leaving Kümmerer's mentees back in the coordinators' list), the organisers'
// numbers unchanged by anonymous rows, the audit log under a pseudonym, who may delete on whose
// behalf, and a dump of the whole database that holds nothing of the person afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import { LOCALES } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { signIn, signUp } from '../../src/features/accounts/accounts.service.ts';
import { hashPassword } from '../../src/features/accounts/password.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { attendanceByMonth, csvLabels, exportAttendeesCsv, listAttendees, recordAtTheDoor } from '../../src/features/attendance/attendance.service.ts';
import { createCalendarToken, lookUpCalendarToken } from '../../src/features/feeds/personal-feed.ts';
import { listOpenRequests } from '../../src/features/mentoring/mentoring.queries.ts';
import { meetingInput } from '../../src/features/mentoring/mentoring.schema.ts';
import { assignKuemmerer, lookUpClaimCode, regenerateClaimCode, saveMeeting } from '../../src/features/mentoring/mentoring.service.ts';
import type { OutboxKind } from '../../src/features/outbox/outbox.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { deleteOnBehalf, deleteOwnAccount, erasePerson, erasurePreview, personToErase } from '../../src/features/privacy/erasure.ts';
import { createRsvp, seatsTaken } from '../../src/features/rsvps/rsvps.service.ts';
import { activeSignups, signUp as signUpForShift } from '../../src/features/volunteering/volunteering.service.ts';
import { dumpDatabase, dumpForms, plantPerson } from '../helpers/canaries.ts';
import { translator } from '../../src/i18n/index.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeCoordinator, makeKuemmerer, makeRequest, registerPerson } from '../helpers/mentoring.ts';
import { makeOrganiser, makeRole } from '../helpers/volunteering.ts';

const BASE_URL = 'https://ankommen.example';
const ORIGIN = { ip: '192.0.2.7', baseUrl: BASE_URL };
const SETTINGS = { townName: 'Altena', timeZone: 'Europe/Berlin' };
/** Activities start 2030-06-01 unless a test says otherwise. */
const NOW = new Date('2030-05-20T10:00:00Z');
/** The CSV's words, in German. */
const LABELS = csvLabels(translator('de'), 'Europe/Berlin');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let coordinator: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  coordinator = await makeCoordinator(db);
});
afterAll(() => handle?.close());

const eraseBySelf = (personId: number, now = NOW) => erasePerson(db, personId, { requester: { by: 'self' }, ip: ORIGIN.ip, baseUrl: BASE_URL, now });

const mails = (recipientId: number, kind: OutboxKind) =>
  db.selectFrom('outbox').select(['payload', 'about_user_id', 'locale']).where('recipient_user_id', '=', recipientId).where('kind', '=', kind).orderBy('id').execute();

const accountExists = async (id: number) => (await db.selectFrom('app_user').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

/** The mail in every language: each renders, and none names the person who left. */
function expectRendersWithoutName(kind: OutboxKind, payload: Record<string, unknown>, name: string): string {
  let german = '';
  for (const locale of LOCALES) {
    const rendered = renderMail({ id: 1, kind, recipientUserId: 1, recipientEmail: 'x@example.org', channel: 'email', locale: locale as Locale, payload, attempts: 1 }, SETTINGS);
    expect(rendered.subject.trim(), locale).not.toBe('');
    expect(`${rendered.subject}\n${rendered.text}`, locale).not.toContain(name);
    if (locale === 'de') german = `${rendered.subject}\n${rendered.text}`;
  }
  return german;
}

describe('RSVPs and attendance', () => {
  it("cancels future RSVPs, gives the seats to the waitlist at once with the usual mail, and keeps past attendance as anonymous rows that count the same", async () => {
    const organisationId = await makeOrganisation(db);
    const organiser = await makeOrganiser(db, organisationId);
    const leaving = await makePerson(db, { name: 'Lina Leaving' });
    const waiting = await makePerson(db, { name: 'Wanda Waiting' });
    const future = await makeActivity(db, organisationId, { capacity: 2 });
    expect(await createRsvp(db, leaving, { activityId: future, partySize: 2, note: 'Rollstuhl' }, { baseUrl: BASE_URL }, NOW)).toMatchObject({ ok: true, status: 'going' });
    const waitlisted = await createRsvp(db, waiting, { activityId: future, partySize: 1, note: '' }, { baseUrl: BASE_URL }, NOW);
    expect(waitlisted).toMatchObject({ ok: true, status: 'waitlisted' });

    // Last month's activity: the leaving family of three came with two, someone else alone.
    const past = await makeActivity(db, organisationId, { capacity: 10, startsAt: new Date('2030-04-15T16:00:00Z') });
    const others = await makePerson(db, { name: 'Omar Other' });
    await db
      .insertInto('rsvp')
      .values([
        { activity_id: past, user_id: leaving.id, party_size: 3, note: 'Kinderwagen', status: 'going', checked_in_at: new Date('2030-04-15T16:05:00Z'), checked_in_count: 2 },
        { activity_id: past, user_id: others.id, party_size: 1, note: '', status: 'going', checked_in_at: new Date('2030-04-15T16:10:00Z'), checked_in_count: 1 },
      ])
      .execute();
    // A date still to come that the organisers cancelled: the RSVP waits for it to come back.
    const called = await makeActivity(db, organisationId, { status: 'cancelled' });
    await db.insertInto('rsvp').values({ activity_id: called, user_id: leaving.id, party_size: 1, status: 'going' }).execute();
    const before = await listAttendees(db, organiser, past);
    const seatsBefore = await seatsTaken(db, past);
    const monthsBefore = await attendanceByMonth(db, organiser, organisationId, SETTINGS.timeZone, NOW);
    const csvBefore = await exportAttendeesCsv(db, organiser, past, LABELS);

    const result = await eraseBySelf(leaving.id);
    expect(result.steps.rsvpsCancelled).toBe(2);
    expect(await db.selectFrom('rsvp').select(['status', 'user_id']).where('activity_id', '=', called).execute()).toEqual([{ status: 'cancelled', user_id: null }]);
    expect(await accountExists(leaving.id)).toBe(false);

    // The seat went to the waitlist, and the usual mail was written.
    const promoted = await db.selectFrom('rsvp').select('status').where('id', '=', (waitlisted as { rsvpId: number }).rsvpId).executeTakeFirstOrThrow();
    expect(promoted.status).toBe('going');
    expect(await mails(waiting.id, 'rsvp_promoted')).toHaveLength(1);

    // The organisers' numbers are the same; the row is listed as anonymous, last.
    const after = await listAttendees(db, organiser, past);
    expect(after.counts).toEqual(before.counts);
    expect(after.counts).toEqual({ registered: 4, here: 3, expected: 0, away: 1 });
    expect(after.going.map((r) => [r.name, r.anonymous, r.partySize, r.arrived])).toEqual([
      ['Omar Other', false, 1, 1],
      ['', true, 3, 2],
    ]);
    expect(await attendanceByMonth(db, organiser, organisationId, SETTINGS.timeZone, NOW)).toEqual(monthsBefore);
    expect(await seatsTaken(db, past)).toBe(seatsBefore);
    const csvAfter = await exportAttendeesCsv(db, organiser, past, LABELS);
    expect(csvAfter.csv.split('\r\n')).toHaveLength(csvBefore.csv.split('\r\n').length);
    expect(csvAfter.csv).toContain('Anonym,3,Angemeldet,,,Eingecheckt,2,\r\n');
    expect(csvAfter.csv).not.toContain('Lina');
    expect(csvAfter.csv).not.toContain('Kinderwagen');

    // Both of the person's rows are kept without anything that names them.
    const rows = await db.selectFrom('rsvp').select(['activity_id', 'user_id', 'walk_in_name', 'note', 'status', 'anonymised_at', 'created_by']).where('activity_id', 'in', [past, future]).where('user_id', 'is', null).orderBy('activity_id').execute();
    expect(rows).toEqual([
      { activity_id: future, user_id: null, walk_in_name: null, note: '', status: 'cancelled', anonymised_at: NOW, created_by: null },
      { activity_id: past, user_id: null, walk_in_name: null, note: '', status: 'going', anonymised_at: NOW, created_by: null },
    ].sort((a, b) => a.activity_id - b.activity_id));
    // The door can still correct the anonymous party; it stays anonymous.
    const anonymous = after.going.find((r) => r.anonymous)!;
    const corrected = await recordAtTheDoor(db, organiser, { rsvpId: anonymous.rsvpId, to: 'checkedIn', arrived: 3 }, NOW);
    expect(corrected).toMatchObject({ ok: true, row: { name: '', anonymous: true, arrived: 3 }, counts: { here: 4 } });
  });
});

describe('volunteering', () => {
  it('withdraws future shifts and tells the organisers, without a name, in every language', async () => {
    const organisationId = await makeOrganisation(db);
    const organiser = await makeOrganiser(db, organisationId, 'Olga Organiser');
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { name: 'Aufbau', peopleNeeded: 2 });
    const pastActivity = await makeActivity(db, organisationId, { startsAt: new Date('2030-05-01T16:00:00Z') });
    const pastRole = await makeRole(db, organiser, pastActivity, { name: 'Abbau' }, new Date('2030-04-01T10:00:00Z'));
    const volunteer = await makePerson(db, { name: 'Vesna Volunteer' });
    expect(await signUpForShift(db, volunteer, roleId, { baseUrl: BASE_URL }, NOW)).toMatchObject({ ok: true });
    expect(await signUpForShift(db, volunteer, pastRole, { baseUrl: BASE_URL }, new Date('2030-04-02T10:00:00Z'))).toMatchObject({ ok: true });
    expect((await erasurePreview(db, volunteer.id, NOW)).futureShifts).toBe(1);

    const result = await eraseBySelf(volunteer.id);
    expect(result.steps.shiftsWithdrawn).toBe(1);
    expect(await activeSignups(db, roleId)).toBe(0);
    expect(await db.selectFrom('volunteer_signup').select('id').where('role_id', 'in', [roleId, pastRole]).execute()).toEqual([]);

    const told = await mails(organiser.id, 'volunteer_left_organiser');
    expect(told).toHaveLength(1);
    expect(told[0]!.payload).toMatchObject({ roleName: 'Aufbau', url: `${BASE_URL}/organise/${activityId}/roles` });
    const text = expectRendersWithoutName('volunteer_left_organiser', told[0]!.payload, 'Vesna');
    expect(text).toContain('Eine Person, die sich für die Aufgabe „Aufbau“ eingetragen hatte, hat ihr Konto gelöscht.');
  });
});

describe('mentoring', () => {
  const meeting = (mentorshipId: number) =>
    meetingInput('Europe/Berlin').parse({ mentorshipId: String(mentorshipId), date: '2030-05-25', startTime: '15:00', endTime: '16:00', place: 'Bibliothek', topics: ['german'], privateNote: 'Sorgen wegen der Wohnung' });

  it("ends a newcomer's mentorship: the Kümmerer is told without the name, meetings and notes go, and so do the mails that named them", async () => {
    const kuemmerer = await makeKuemmerer(db, { name: 'Karla Kümmerer' });
    const newcomer = await makePerson(db, { name: 'Nadia Newcomer' });
    const requestId = await makeRequest(db, newcomer);
    const assigned = await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, new Date('2030-03-03T10:00:00Z'));
    if (!assigned.ok) throw new Error('not assigned');
    await saveMeeting(db, kuemmerer, meeting(assigned.mentorshipId), NOW);
    // The mail that told the Kümmerer about their new mentee names the newcomer.
    expect((await mails(kuemmerer.id, 'mentoring_started_kuemmerer'))[0]!.about_user_id).toBe(newcomer.id);
    expect((await erasurePreview(db, newcomer.id, NOW)).runningMentorships).toBe(1);

    const result = await eraseBySelf(newcomer.id);
    expect(result.steps).toMatchObject({ mentorshipsEnded: 1, requestsReopened: 0 });
    expect(result.tables.mentoring_meeting).toEqual({ deleted: 1, anonymised: 0, unlinked: 0 });
    expect(await db.selectFrom('mentorship').select('id').where('id', '=', assigned.mentorshipId).execute()).toEqual([]);
    expect(await db.selectFrom('mentoring_meeting').select('id').where('mentorship_id', '=', assigned.mentorshipId).execute()).toEqual([]);
    expect(await db.selectFrom('mentoring_request').select('id').where('id', '=', requestId).execute()).toEqual([]);
    expect(await mails(kuemmerer.id, 'mentoring_started_kuemmerer')).toEqual([]);

    const told = await mails(kuemmerer.id, 'mentoring_mentee_left');
    expect(told).toHaveLength(1);
    expect(told[0]!.about_user_id).toBeNull();
    const text = expectRendersWithoutName('mentoring_mentee_left', told[0]!.payload, 'Nadia');
    expect(text).toContain('Die Person, die Sie seit Sonntag, 3. März 2030 begleiten, hat ihr Konto gelöscht');
  });

  it("gives a leaving Kümmerer's mentees their requests back for the coordinators, and tells them", async () => {
    const kuemmerer = await makeKuemmerer(db, { name: 'Kurt Leaving' });
    const newcomer = await makePerson(db, { name: 'Nour Staying' });
    const requestId = await makeRequest(db, newcomer);
    const assigned = await assignKuemmerer(db, coordinator, { requestId, kuemmererId: kuemmerer.id }, ORIGIN, NOW);
    if (!assigned.ok) throw new Error('not assigned');
    await saveMeeting(db, kuemmerer, meeting(assigned.mentorshipId), NOW);
    expect((await listOpenRequests(db, coordinator)).map((r) => r.request.id)).not.toContain(requestId);

    const result = await eraseBySelf(kuemmerer.id);
    expect(result.steps).toMatchObject({ mentorshipsEnded: 1, requestsReopened: 1 });
    expect(await db.selectFrom('mentoring_request').select('status').where('id', '=', requestId).executeTakeFirstOrThrow()).toEqual({ status: 'open' });
    expect((await listOpenRequests(db, coordinator)).map((r) => r.request.id)).toContain(requestId);
    expect(await db.selectFrom('kuemmerer').select('user_id').where('user_id', '=', kuemmerer.id).execute()).toEqual([]);
    expect(await db.selectFrom('mentoring_meeting').select('id').where('mentorship_id', '=', assigned.mentorshipId).execute()).toEqual([]);
    // The mail that named the Kümmerer to the newcomer is gone; the new one names nobody.
    expect(await mails(newcomer.id, 'mentoring_started_newcomer')).toEqual([]);
    const told = await mails(newcomer.id, 'mentoring_kuemmerer_left');
    expect(told).toHaveLength(1);
    expect(expectRendersWithoutName('mentoring_kuemmerer_left', told[0]!.payload, 'Kurt')).toContain('Ihre Bitte um einen Kümmerer ist wieder offen');
  });

  it('withdraws an open request', async () => {
    const newcomer = await makePerson(db);
    await makeRequest(db, newcomer);
    const result = await eraseBySelf(newcomer.id);
    expect(result.steps.requestsWithdrawn).toBe(1);
    expect(result.tables.mentoring_request).toMatchObject({ deleted: 1 });
  });
});

describe('the account', () => {
  it('can be made again with the same address, as a new person; activities the person created stay with the organisation', async () => {
    const organisationId = await makeOrganisation(db);
    const organiser = await makeOrganiser(db, organisationId, 'Ole Organiser');
    const activityId = await makeActivity(db, organisationId, { extra: { created_by: organiser.id } });
    const roleId = await makeRole(db, organiser, activityId);
    const result = await eraseBySelf(organiser.id);
    expect(result.tables.activity).toEqual({ deleted: 0, anonymised: 0, unlinked: 1 });
    expect(await db.selectFrom('activity').select(['organisation_id', 'created_by', 'status']).where('id', '=', activityId).executeTakeFirstOrThrow()).toEqual({
      organisation_id: organisationId,
      created_by: null,
      status: 'published',
    });
    expect(await db.selectFrom('volunteer_role').select('created_by').where('id', '=', roleId).executeTakeFirstOrThrow()).toEqual({ created_by: null });
    expect(await db.selectFrom('membership').select('user_id').where('user_id', '=', organiser.id).execute()).toEqual([]);

    const again = await signUp(db, { email: organiser.email!, password: 'Ein neuer Anfang im Ort', displayName: 'Ole', locale: 'de' }, ORIGIN, NOW);
    expect(again.ok && again.userId).toBeGreaterThan(organiser.id);
  });

  it('keeps the audit log under one pseudonym: no name, address or network address; objects that were the person get it too', async () => {
    const person = await makePerson(db, { name: 'Petra Pseudonym' });
    const { since } = await db.selectFrom('audit_event').select(sql<number>`coalesce(max(id), 0)`.as('since')).executeTakeFirstOrThrow();
    await db
      .insertInto('audit_event')
      .values([
        { actor_user_id: person.id, action: 'account.signed_in', object_type: 'session', ip: '203.0.113.9', details: JSON.stringify({ email: person.email }) },
        { actor_user_id: person.id, action: 'attendees.exported', object_type: 'activity', object_id: String(person.id) },
        { actor_user_id: coordinator.id, action: 'mentoring.person_registered', object_type: 'user', object_id: String(person.id), ip: '198.51.100.1' },
      ])
      .execute();
    const { pseudonym } = await eraseBySelf(person.id);
    expect(pseudonym).toMatch(/^deleted-[0-9a-f]{8}$/);
    const events = await db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'actor_pseudonym', 'action', 'object_type', 'object_id', 'ip', 'details'])
      .where('id', '>', since)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { actor_user_id: null, actor_pseudonym: pseudonym, action: 'account.signed_in', object_type: 'session', object_id: null, ip: null, details: {} },
      // An activity's number stays: only an object that was the person takes the pseudonym.
      { actor_user_id: null, actor_pseudonym: pseudonym, action: 'attendees.exported', object_type: 'activity', object_id: String(person.id), ip: null, details: {} },
      { actor_user_id: coordinator.id, actor_pseudonym: null, action: 'mentoring.person_registered', object_type: 'user', object_id: pseudonym, ip: '198.51.100.1', details: {} },
      { actor_user_id: null, actor_pseudonym: pseudonym, action: 'account.deleted', object_type: 'user', object_id: pseudonym, ip: null, details: { by: 'self' } },
    ]);
  });

  it('records a deletion by retention with nobody as actor', async () => {
    const unused = await makePerson(db);
    const { pseudonym } = await erasePerson(db, unused.id, { requester: { by: 'retention' }, ip: null, baseUrl: BASE_URL, now: NOW });
    expect(await db.selectFrom('audit_event').select(['actor_user_id', 'actor_pseudonym', 'ip', 'details']).where('action', '=', 'account.deleted').where('object_id', '=', pseudonym).execute()).toEqual([
      { actor_user_id: null, actor_pseudonym: null, ip: null, details: { by: 'retention' } },
    ]);
    await expect(erasePerson(db, unused.id, { requester: { by: 'retention' }, ip: null, baseUrl: BASE_URL, now: NOW })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is deleted by its owner only with the right password; a person without an address or password is told to ask a coordinator', async () => {
    const password = 'Mein Schlüssel zum Portal';
    const owner = await makePerson(db, { name: 'Olivia Owner' });
    await db.updateTable('app_user').set({ password_hash: await hashPassword(password) }).where('id', '=', owner.id).execute();
    const activityId = await makeActivity(db, await makeOrganisation(db));
    await createRsvp(db, owner, { activityId, partySize: 1, note: '' }, { baseUrl: BASE_URL }, NOW);

    expect(await deleteOwnAccount(db, owner, { password: 'falsch geraten' }, ORIGIN, NOW)).toEqual({ ok: false, fields: { password: 'error.password.wrong' } });
    expect(await accountExists(owner.id)).toBe(true);
    expect(await db.selectFrom('rsvp').select('status').where('user_id', '=', owner.id).executeTakeFirstOrThrow()).toEqual({ status: 'going' });
    await expect(deleteOwnAccount(db, null, { password }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);

    expect(await deleteOwnAccount(db, owner, { password }, ORIGIN, NOW)).toEqual({ ok: true });
    expect(await accountExists(owner.id)).toBe(false);
    expect((await signIn(db, { login: owner.email!, password }, { ...ORIGIN, ip: '192.0.2.99' }, NOW)).ok).toBe(false);

    const registered = await registerPerson(
      db,
      coordinator,
      { name: 'Rana Registered', locale: 'ar', topics: ['german'], languages: ['ar'], note: '', contactPreference: 'coordinator', contactDetail: '' },
      ORIGIN,
      NOW,
    );
    expect((await erasurePreview(db, registered.personId, NOW)).canDeleteThemself).toBe(false);
    expect(await deleteOwnAccount(db, { id: registered.personId }, { password: 'irgendwas' }, ORIGIN, NOW)).toEqual({ ok: false, form: { key: 'erasure.askCoordinator' } });
    expect(await accountExists(registered.personId)).toBe(true);
  });
});

describe('deleting on behalf', () => {
  it("lets a coordinator delete a registered person or a newcomer they coordinate, audited with the coordinator as actor; the person's claim code and feed stop working", async () => {
    const registered = await registerPerson(
      db,
      coordinator,
      { name: 'Hamid Registered', locale: 'fa', topics: ['paperwork'], languages: ['fa'], note: 'Termin beim Amt', contactPreference: 'coordinator', contactDetail: '' },
      ORIGIN,
      NOW,
    );
    const feed = await createCalendarToken(db, registered.personId, null, NOW);
    expect(await lookUpClaimCode(db, registered.code, { ...ORIGIN, ip: '192.0.2.50' }, NOW)).toMatchObject({ userId: registered.personId });
    expect(await lookUpCalendarToken(db, feed, '192.0.2.50', NOW)).toMatchObject({ kind: 'found' });
    expect(await personToErase(db, coordinator, registered.personId, NOW)).toMatchObject({ id: registered.personId, name: 'Hamid Registered' });

    const result = await deleteOnBehalf(db, coordinator, registered.personId, { ...ORIGIN, ip: '192.0.2.60' }, NOW);
    expect(await accountExists(registered.personId)).toBe(false);
    expect(await lookUpClaimCode(db, registered.code, { ...ORIGIN, ip: '192.0.2.51' }, NOW)).toBeNull();
    expect(await lookUpCalendarToken(db, feed, '192.0.2.51', NOW)).toEqual({ kind: 'unknown' });
    expect(
      await db.selectFrom('audit_event').select(['actor_user_id', 'actor_pseudonym', 'object_id', 'ip', 'details']).where('action', '=', 'account.deleted').where('object_id', '=', result.pseudonym).execute(),
    ).toEqual([{ actor_user_id: coordinator.id, actor_pseudonym: null, object_id: result.pseudonym, ip: '192.0.2.60', details: { by: 'coordinator' } }]);

    // A newcomer with an address who asked for a Kümmerer: the coordination may delete them too.
    const newcomer = await makePerson(db);
    await makeRequest(db, newcomer);
    await deleteOnBehalf(db, coordinator, newcomer.id, ORIGIN, NOW);
    expect(await accountExists(newcomer.id)).toBe(false);
  });

  it('is "not found" for anyone but a coordinator, and for anyone a coordinator does not look after', async () => {
    const registered = await registerPerson(
      db,
      coordinator,
      { name: 'Sami Safe', locale: 'ar', topics: ['german'], languages: ['ar'], note: '', contactPreference: 'coordinator', contactDetail: '' },
      ORIGIN,
      NOW,
    );
    const resident = await makePerson(db, { name: 'Rita Resident' });
    const organisationId = await makeOrganisation(db);
    const organiser = await makeOrganiser(db, organisationId);
    // An organiser who also asked for a Kümmerer: their account carries the organisation's work.
    await makeRequest(db, organiser);
    const otherCoordinator = await makeCoordinator(db, 'Cora Other');
    const admin = await makePerson(db, { name: 'Adam Admin' });
    await db.updateTable('app_user').set({ is_admin: true }).where('id', '=', admin.id).execute();
    await makeRequest(db, admin);

    for (const actor of [null, resident, organiser]) {
      await expect(deleteOnBehalf(db, actor, registered.personId, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(personToErase(db, actor, registered.personId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    for (const target of [resident.id, organiser.id, otherCoordinator.id, coordinator.id, admin.id, 2_000_000]) {
      await expect(deleteOnBehalf(db, coordinator, target, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(personToErase(db, coordinator, target, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    for (const id of [registered.personId, resident.id, organiser.id, otherCoordinator.id, admin.id]) expect(await accountExists(id)).toBe(true);
  });
});

describe('canaries', () => {
  it("leaves none of the person's planted values in any table, and all of another person's", async () => {
    const alpha = await plantPerson(db, 'alpha');
    const bravo = await plantPerson(db, 'bravo');
    // Alpha was registered by the coordination and has a code sheet and a calendar address.
    await db.updateTable('app_user').set({ registered_by_coordination: true, email_verified_at: null }).where('id', '=', alpha.id).execute();
    const { code } = await regenerateClaimCode(db, coordinator, alpha.id, ORIGIN, NOW);
    const feed = await createCalendarToken(db, alpha.id, null, NOW);
    expect(await lookUpClaimCode(db, code, { ...ORIGIN, ip: '192.0.2.70' }, NOW)).toMatchObject({ userId: alpha.id });
    expect(await lookUpCalendarToken(db, feed, '192.0.2.70', NOW)).toMatchObject({ kind: 'found' });
    // The real code and address took the place of the planted hashes (one row per person):
    // their hashes stand in for those canaries.
    const replaced = new Set(['claim_code.code_hash', 'calendar_token.token_hash']);
    const hashes = [
      (await db.selectFrom('claim_code').select('code_hash').where('user_id', '=', alpha.id).executeTakeFirstOrThrow()).code_hash,
      (await db.selectFrom('calendar_token').select('token_hash').where('user_id', '=', alpha.id).executeTakeFirstOrThrow()).token_hash,
    ];
    const dumpText = async () => [...(await dumpDatabase(db))].map(([table, text]) => `${table}\n${text}`).join('\n');
    const before = await dumpText();
    for (const canary of alpha.canaries.filter((c) => !replaced.has(`${c.table}.${c.column}`))) {
      expect(dumpForms(canary).some((form) => before.includes(form)), `${canary.table}.${canary.column} of alpha, before`).toBe(true);
    }
    for (const hash of hashes) expect(before).toContain(hash);

    await eraseBySelf(alpha.id);

    const dump = await dumpText();
    for (const canary of alpha.canaries) {
      for (const form of dumpForms(canary)) expect(dump.includes(form), `${canary.table}.${canary.column} of alpha`).toBe(false);
    }
    for (const hash of hashes) expect(dump).not.toContain(hash);
    expect(dump).not.toContain(alpha.email);
    for (const canary of bravo.canaries) {
      expect(dumpForms(canary).some((form) => dump.includes(form)), `${canary.table}.${canary.column} of bravo`).toBe(true);
    }
    expect(await lookUpClaimCode(db, code, { ...ORIGIN, ip: '192.0.2.71' }, NOW)).toBeNull();
    expect(await lookUpCalendarToken(db, feed, '192.0.2.71', NOW)).toEqual({ kind: 'unknown' });
    // Alpha's mentee is told, and their request is open again; bravo's world is untouched.
    expect(await mails(alpha.menteeId, 'mentoring_kuemmerer_left')).toHaveLength(1);
    expect(await accountExists(bravo.id)).toBe(true);
  });
});
