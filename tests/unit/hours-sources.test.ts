// Hours from what happened: a volunteer checked in at a shift (from an hour before it, by the
// activity's organisers only), a Kümmerer meeting that ended (at once, or by the periodic job,
// once), a help request finished as done. Each source records, follows and withdraws its
// pending entry through the ledger; a confirmed or corrected entry is never changed by it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { activityInput } from '../../src/features/activities/activities.schema.ts';
import { cancelActivity, reinstateActivity, updateActivity } from '../../src/features/activities/activities.service.ts';
import { finishRequest, handBackRequest, takeRequest } from '../../src/features/help-requests/help-requests.service.ts';
import { ENDED_MEETINGS_LOOKBACK_MS, MEETING_DESCRIPTION, recordEndedMeetings } from '../../src/features/hours/sources.ts';
import { removeEntry } from '../../src/features/hours/ledger.ts';
import { meetingInput } from '../../src/features/mentoring/mentoring.schema.ts';
import { assignKuemmerer, deleteMeeting, saveMeeting } from '../../src/features/mentoring/mentoring.service.ts';
import { CHECK_IN_OPENS_BEFORE_MS, listDoorHelpers, setVolunteerCheckIn } from '../../src/features/volunteering/check-in.ts';
import { getRolesPage } from '../../src/features/volunteering/volunteering.queries.ts';
import { checkInInput } from '../../src/features/volunteering/volunteering.schema.ts';
import { signUp, updateRole, withdraw } from '../../src/features/volunteering/volunteering.service.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeHelpRequest } from '../helpers/help-requests.ts';
import { makeCoordinator, makeKuemmerer, makeRequest } from '../helpers/mentoring.ts';
import { makeOrganiser, makeRole, roleForm, TOWN_ZONE } from '../helpers/volunteering.ts';

const CONTEXT = { baseUrl: 'https://ankommen.example' };
const ORIGIN = { ip: '192.0.2.1', baseUrl: 'https://ankommen.example' };
/** Activities start 2030-06-01 16:00 UTC (18:00 in Berlin) and last two hours. */
const START = new Date('2030-06-01T16:00:00Z');
const SIGN_UP_AT = new Date('2030-05-20T10:00:00Z');
/** Half an hour before the activity: the door is open. */
const AT_THE_DOOR = new Date(START.getTime() - 30 * 60_000);
const MINUTE = 60_000;

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organiser: SessionUser;
let otherOrganiser: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  organiser = await makeOrganiser(db, organisationId);
  otherOrganiser = await makeOrganiser(db, await makeOrganisation(db), 'Otto Other');
});
afterAll(() => handle?.close());

async function entryOfSignup(signupId: number) {
  return db.selectFrom('volunteer_hours').selectAll().where('volunteer_signup_id', '=', signupId).executeTakeFirst();
}

/** An activity with one role and one volunteer signed up; answers the ids. */
async function shiftWithVolunteer(options: { window?: { startTime: string; endTime: string } } = {}) {
  const activityId = await makeActivity(db, organisationId, { startsAt: START });
  const roleId = await makeRole(db, organiser, activityId, { name: 'Aufbau', ...(options.window ?? {}) });
  const volunteer = await makePerson(db, { name: 'Vera Volunteer' });
  const signed = await signUp(db, volunteer, roleId, CONTEXT, SIGN_UP_AT);
  if (!signed.ok) throw new Error('sign-up refused');
  return { activityId, roleId, volunteer, signupId: signed.signupId };
}

const activityForm = (activityId: number, date: string, startTime = '18:00', endTime = '20:00', placeName = 'Stellwerk') =>
  activityInput(TOWN_ZONE).parse({ organisationId: String(organisationId), activityId: String(activityId), title: 'Sprachcafé', category: 'language', date, startTime, endTime, placeName });

describe('checking a volunteer in', () => {
  it('records the shift as pending hours: the activity’s window, organisation, "<title> – <role>" and place; undo takes them back', async () => {
    const { activityId, volunteer, signupId } = await shiftWithVolunteer();
    expect(await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR)).toEqual({ ok: true, activityId, displayName: 'Vera Volunteer' });
    const signup = await db.selectFrom('volunteer_signup').select(['checked_in_at', 'checked_in_by']).where('id', '=', signupId).executeTakeFirstOrThrow();
    expect(signup).toEqual({ checked_in_at: AT_THE_DOOR, checked_in_by: organiser.id });
    expect(await entryOfSignup(signupId)).toMatchObject({
      user_id: volunteer.id,
      organisation_id: organisationId,
      activity_id: activityId,
      source: 'shift',
      starts_at: START,
      minutes: 120,
      description: 'Sprachcafé – Aufbau',
      place: 'Stellwerk',
      status: 'pending',
    });

    expect((await setVolunteerCheckIn(db, organiser, { signupId, present: false }, AT_THE_DOOR)).ok).toBe(true);
    expect(await entryOfSignup(signupId)).toBeUndefined();
    const undone = await db.selectFrom('volunteer_signup').select(['checked_in_at', 'checked_in_by']).where('id', '=', signupId).executeTakeFirstOrThrow();
    expect(undone).toEqual({ checked_in_at: null, checked_in_by: null });
  });

  it('uses the role’s own window when it has one', async () => {
    const { signupId } = await shiftWithVolunteer({ window: { startTime: '17:30', endTime: '18:15' } });
    await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR);
    expect(await entryOfSignup(signupId)).toMatchObject({ starts_at: new Date('2030-06-01T15:30:00Z'), minutes: 45 });
  });

  it('opens an hour before the shift: a minute earlier it is refused and nothing is written', async () => {
    const { signupId } = await shiftWithVolunteer();
    const tooEarly = new Date(START.getTime() - CHECK_IN_OPENS_BEFORE_MS - MINUTE);
    expect(await setVolunteerCheckIn(db, organiser, { signupId, present: true }, tooEarly)).toEqual({ ok: false, refusal: { key: 'hoursCheckIn.error.tooEarly' } });
    expect(await entryOfSignup(signupId)).toBeUndefined();
    expect((await db.selectFrom('volunteer_signup').select('checked_in_at').where('id', '=', signupId).executeTakeFirstOrThrow()).checked_in_at).toBeNull();
    const justInTime = new Date(START.getTime() - CHECK_IN_OPENS_BEFORE_MS);
    expect((await setVolunteerCheckIn(db, organiser, { signupId, present: true }, justInTime)).ok).toBe(true);
    // Long after the shift, too (the organiser catches up the next day).
    const { signupId: later } = await shiftWithVolunteer();
    expect((await setVolunteerCheckIn(db, organiser, { signupId: later, present: true }, new Date(START.getTime() + 24 * 3600_000))).ok).toBe(true);
  });

  it('is refused for a withdrawn sign-up and on a cancelled activity', async () => {
    const { volunteer, signupId } = await shiftWithVolunteer();
    expect((await withdraw(db, volunteer, signupId, CONTEXT, SIGN_UP_AT)).ok).toBe(true);
    expect(await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR)).toEqual({ ok: false, refusal: { key: 'hoursCheckIn.error.withdrawn' } });

    const other = await shiftWithVolunteer();
    await cancelActivity(db, organiser, other.activityId, 'Der Saal ist gesperrt.', CONTEXT, SIGN_UP_AT);
    expect(await setVolunteerCheckIn(db, organiser, { signupId: other.signupId, present: true }, AT_THE_DOOR)).toEqual({ ok: false, refusal: { key: 'hoursCheckIn.error.cancelled' } });
    expect(await entryOfSignup(other.signupId)).toBeUndefined();
  });

  it('is "not found" for anyone but the activity’s organisers: another organisation’s, the volunteer, a stranger, nobody signed in', async () => {
    const { volunteer, signupId } = await shiftWithVolunteer();
    for (const actor of [otherOrganiser, volunteer, await makePerson(db), null]) {
      await expect(setVolunteerCheckIn(db, actor, { signupId, present: true }, AT_THE_DOOR)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(setVolunteerCheckIn(db, organiser, { signupId: 2_000_000, present: true }, AT_THE_DOOR)).rejects.toBeInstanceOf(NotFoundError);
    expect(await entryOfSignup(signupId)).toBeUndefined();
    await expect(listDoorHelpers(db, 2_000_000)).rejects.toThrow();
  });

  it('checking in twice keeps the first time and one entry', async () => {
    const { signupId } = await shiftWithVolunteer();
    await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR);
    await setVolunteerCheckIn(db, organiser, { signupId, present: true }, new Date(AT_THE_DOOR.getTime() + 5 * MINUTE));
    const signup = await db.selectFrom('volunteer_signup').select('checked_in_at').where('id', '=', signupId).executeTakeFirstOrThrow();
    expect(signup.checked_in_at).toEqual(AT_THE_DOOR);
    expect(await db.selectFrom('volunteer_hours').select('id').where('volunteer_signup_id', '=', signupId).execute()).toHaveLength(1);
  });

  it('shows on the roles page and at the door: who is checked in and whether check-in is open', async () => {
    const { activityId, signupId } = await shiftWithVolunteer();
    const early = new Date(START.getTime() - 2 * 3600_000);
    const page = await getRolesPage(db, organiser, activityId, early);
    expect(page.roles[0]).toMatchObject({ checkInOpen: false, volunteers: [{ signupId, checkedInAt: null }] });
    await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR);
    expect((await getRolesPage(db, organiser, activityId, AT_THE_DOOR)).roles[0]).toMatchObject({ checkInOpen: true, volunteers: [{ signupId, checkedInAt: AT_THE_DOOR }] });
    expect(await listDoorHelpers(db, activityId, AT_THE_DOOR)).toEqual([
      { roleId: expect.any(Number), name: 'Aufbau', startsAt: START, endsAt: new Date(START.getTime() + 2 * 3600_000), checkInOpen: true, helpers: [{ signupId, displayName: 'Vera Volunteer', checkedInAt: AT_THE_DOOR }] },
    ]);
  });

  it('takes the form’s values and refuses bad input', () => {
    expect(checkInInput.parse({ signupId: '12', present: 'yes' })).toEqual({ signupId: 12, present: true });
    expect(checkInInput.parse({ signupId: '12', present: 'no' })).toEqual({ signupId: 12, present: false });
    expect(checkInInput.safeParse({ signupId: '12', present: 'maybe' }).success).toBe(false);
    expect(checkInInput.safeParse({ signupId: 'abc', present: 'yes' }).success).toBe(false);
    expect(checkInInput.safeParse({ signupId: '-1', present: 'yes' }).success).toBe(false);
  });
});

describe('shift hours follow the shift while pending', () => {
  it('move with the activity and with the role’s window, go when it is cancelled and come back when it is reinstated', async () => {
    const { activityId, roleId, signupId } = await shiftWithVolunteer();
    await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR);

    // Half an hour later, at another place (still ahead of "now": the organiser fixes a slip).
    expect(await updateActivity(db, organiser, activityId, activityForm(activityId, '2030-06-01', '18:30', '20:00', 'Gemeindehaus'), CONTEXT, AT_THE_DOOR)).toEqual({ ok: true, changed: 1 });
    expect(await entryOfSignup(signupId)).toMatchObject({ starts_at: new Date('2030-06-01T16:30:00Z'), minutes: 90, place: 'Gemeindehaus' });

    const updated = await updateRole(db, organiser, roleForm(activityId, { roleId, name: 'Aufbau', startTime: '18:00', endTime: '19:00' }), TOWN_ZONE, CONTEXT, AT_THE_DOOR);
    expect(updated.ok).toBe(true);
    expect(await entryOfSignup(signupId)).toMatchObject({ starts_at: new Date('2030-06-01T16:00:00Z'), minutes: 60 });

    await cancelActivity(db, organiser, activityId, 'Der Saal ist gesperrt.', CONTEXT, AT_THE_DOOR);
    expect(await entryOfSignup(signupId)).toBeUndefined();
    expect((await reinstateActivity(db, organiser, activityId, CONTEXT, AT_THE_DOOR)).ok).toBe(true);
    expect(await entryOfSignup(signupId)).toMatchObject({ starts_at: new Date('2030-06-01T16:00:00Z'), minutes: 60, status: 'pending' });
  });

  it('a confirmed entry is untouched by later changes and stays when the check-in is undone', async () => {
    const { activityId, signupId } = await shiftWithVolunteer();
    await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR);
    await db.updateTable('volunteer_hours').set({ status: 'confirmed', confirmed_at: AT_THE_DOOR, confirmed_by: organiser.id }).where('volunteer_signup_id', '=', signupId).execute();
    await updateActivity(db, organiser, activityId, activityForm(activityId, '2030-06-01', '19:00', '20:00'), CONTEXT, AT_THE_DOOR);
    expect(await entryOfSignup(signupId)).toMatchObject({ starts_at: START, minutes: 120, status: 'confirmed' });
    await cancelActivity(db, organiser, activityId, 'Doch nicht.', CONTEXT, AT_THE_DOOR);
    await setVolunteerCheckIn(db, organiser, { signupId, present: false }, AT_THE_DOOR);
    expect(await entryOfSignup(signupId)).toMatchObject({ starts_at: START, minutes: 120, status: 'confirmed' });
  });

  it('an entry the volunteer corrected is not overwritten by a moved window', async () => {
    const { activityId, roleId, signupId } = await shiftWithVolunteer();
    await setVolunteerCheckIn(db, organiser, { signupId, present: true }, AT_THE_DOOR);
    await db.updateTable('volunteer_hours').set({ minutes: 150, corrected_at: AT_THE_DOOR }).where('volunteer_signup_id', '=', signupId).execute();
    await updateRole(db, organiser, roleForm(activityId, { roleId, name: 'Aufbau', startTime: '18:00', endTime: '19:00' }), TOWN_ZONE, CONTEXT, AT_THE_DOOR);
    expect(await entryOfSignup(signupId)).toMatchObject({ starts_at: START, minutes: 150 });
  });

  it('changes nothing for volunteers who were not checked in', async () => {
    const { activityId, signupId } = await shiftWithVolunteer();
    await updateActivity(db, organiser, activityId, activityForm(activityId, '2030-06-02'), CONTEXT, SIGN_UP_AT);
    expect(await entryOfSignup(signupId)).toBeUndefined();
  });
});

describe('Kümmerer meetings', () => {
  let kuemmerer: SessionUser;
  let mentorshipId: number;
  const SAVED_AT = new Date('2030-05-20T10:00:00Z');

  beforeAll(async () => {
    const coordinator = await makeCoordinator(db);
    kuemmerer = await makeKuemmerer(db, { name: 'Maria Schulz', languages: ['ar', 'de'] });
    const newcomer = await makePerson(db, { name: 'Amal Hassan' });
    const assigned = await assignKuemmerer(db, coordinator, { requestId: await makeRequest(db, newcomer), kuemmererId: kuemmerer.id }, ORIGIN, SAVED_AT);
    if (!assigned.ok) throw new Error('assignment failed');
    mentorshipId = assigned.mentorshipId;
  });

  const meeting = (date: string, startTime: string, endTime: string, meetingId?: number) =>
    meetingInput(TOWN_ZONE).parse({
      mentorshipId: String(mentorshipId),
      ...(meetingId ? { meetingId: String(meetingId) } : {}),
      date,
      startTime,
      endTime,
      place: 'Hausarztpraxis am Markt',
      topics: ['health'],
      privateNote: 'Befund besprochen',
    });
  const entryOf = (meetingId: number) => db.selectFrom('volunteer_hours').selectAll().where('mentoring_meeting_id', '=', meetingId).executeTakeFirst();

  it('an ended meeting counts at once for the Kümmerer: the town’s schemes, a key for what it was, no place, its length', async () => {
    const { meetingId } = await saveMeeting(db, kuemmerer, meeting('2030-05-18', '15:00', '16:30'), SAVED_AT);
    const entry = await entryOf(meetingId);
    expect(entry).toMatchObject({ user_id: kuemmerer.id, organisation_id: null, source: 'meeting', starts_at: new Date('2030-05-18T13:00:00Z'), minutes: 90, description: MEETING_DESCRIPTION, place: '', status: 'pending' });
    // Nothing of the meeting's place, topics or note reaches the ledger.
    expect(JSON.stringify(entry)).not.toMatch(/Hausarzt|health|Befund/);

    // Edited: follows. Moved into the future: withdrawn until it has happened.
    await saveMeeting(db, kuemmerer, meeting('2030-05-18', '15:00', '17:00', meetingId), SAVED_AT);
    expect(await entryOf(meetingId)).toMatchObject({ minutes: 120 });
    await saveMeeting(db, kuemmerer, meeting('2030-05-28', '15:00', '17:00', meetingId), SAVED_AT);
    expect(await entryOf(meetingId)).toBeUndefined();
  });

  it('a meeting logged ahead counts once it has ended, by the periodic job, once however often (or on how many servers) it runs', async () => {
    const { meetingId } = await saveMeeting(db, kuemmerer, meeting('2030-05-22', '10:00', '11:00'), SAVED_AT);
    expect(await entryOf(meetingId)).toBeUndefined();
    expect(await recordEndedMeetings(db, new Date('2030-05-22T08:59:00Z'))).toBe(0);
    const ended = new Date('2030-05-22T09:00:00Z');
    const runs = await Promise.all([recordEndedMeetings(db, ended), recordEndedMeetings(db, ended)]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await recordEndedMeetings(db, new Date('2030-05-22T10:00:00Z'))).toBe(0);
    expect(await db.selectFrom('volunteer_hours').select('id').where('mentoring_meeting_id', '=', meetingId).execute()).toHaveLength(1);
    expect(await entryOf(meetingId)).toMatchObject({ user_id: kuemmerer.id, minutes: 60, description: MEETING_DESCRIPTION });
  });

  it('the job looks back a week only: an entry a keeper removed long after is not brought back', async () => {
    const { meetingId } = await saveMeeting(db, kuemmerer, meeting('2030-05-24', '10:00', '11:00'), SAVED_AT);
    const later = new Date(new Date('2030-05-24T09:00:00Z').getTime() + ENDED_MEETINGS_LOOKBACK_MS + MINUTE);
    await recordEndedMeetings(db, later);
    expect(await entryOf(meetingId)).toBeUndefined();
  });

  it('an entry a keeper removed is not made again: not by the job within the week, not by an edit of the meeting', async () => {
    const { meetingId } = await saveMeeting(db, kuemmerer, meeting('2030-05-19', '10:00', '11:00'), SAVED_AT);
    const entry = await entryOf(meetingId);
    expect(entry).toBeDefined();
    await db.transaction().execute((trx) => removeEntry(trx, entry!));
    expect(await recordEndedMeetings(db, new Date('2030-05-20T12:00:00Z'))).toBe(0);
    await saveMeeting(db, kuemmerer, meeting('2030-05-19', '10:00', '12:00', meetingId), SAVED_AT);
    expect(await entryOf(meetingId)).toBeUndefined();
    // Another meeting of the same mentorship still counts.
    const { meetingId: next } = await saveMeeting(db, kuemmerer, meeting('2030-05-19', '14:00', '15:00'), SAVED_AT);
    expect(await entryOf(next)).toMatchObject({ minutes: 60 });
  });

  it('a deleted meeting takes its pending hours; confirmed ones stay', async () => {
    const first = await saveMeeting(db, kuemmerer, meeting('2030-05-10', '10:00', '11:00'), SAVED_AT);
    const second = await saveMeeting(db, kuemmerer, meeting('2030-05-11', '10:00', '11:00'), SAVED_AT);
    await db.updateTable('volunteer_hours').set({ status: 'confirmed', confirmed_at: SAVED_AT }).where('mentoring_meeting_id', '=', second.meetingId).execute();
    const confirmedId = (await entryOf(second.meetingId))!.id;
    await deleteMeeting(db, kuemmerer, first.meetingId, SAVED_AT);
    await deleteMeeting(db, kuemmerer, second.meetingId, SAVED_AT);
    expect(await entryOf(first.meetingId)).toBeUndefined();
    const kept = await db.selectFrom('volunteer_hours').selectAll().where('id', '=', confirmedId).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ status: 'confirmed', mentoring_meeting_id: null, minutes: 60, user_id: kuemmerer.id });
  });
});

describe('help requests', () => {
  const entryOf = (requestId: number) => db.selectFrom('volunteer_hours').selectAll().where('help_request_id', '=', requestId).executeTakeFirst();
  const FINISHED = new Date('2030-06-03T12:00:00Z');

  it('done with minutes counts for the helper: the kind as a key, the district, the request’s time', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const requestId = await makeHelpRequest(db, asker, { kind: 'authority', district: 'Dahle' });
    expect((await takeRequest(db, helper, requestId, ORIGIN, SIGN_UP_AT)).ok).toBe(true);
    expect(await finishRequest(db, helper, { requestId, outcome: 'done', minutes: 75 }, FINISHED)).toEqual({ ok: true });
    expect(await entryOf(requestId)).toMatchObject({ user_id: helper.id, organisation_id: null, source: 'help', description: 'authority', place: 'Dahle', minutes: 75, starts_at: new Date('2030-06-03T07:00:00Z') });
    // Nothing of the asker: not their address, nor note.
    expect(JSON.stringify(await entryOf(requestId))).not.toMatch(/Bismarck|Reisepass/);
  });

  it('"any time this week" counts from when it was finished; "did not happen" and handing back record nothing', async () => {
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const anyTime = await makeHelpRequest(db, asker, { startsAt: null });
    await takeRequest(db, helper, anyTime, ORIGIN, SIGN_UP_AT);
    await finishRequest(db, helper, { requestId: anyTime, outcome: 'done', minutes: 30 }, FINISHED);
    expect(await entryOf(anyTime)).toMatchObject({ starts_at: FINISHED, minutes: 30 });

    const notHappened = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, notHappened, ORIGIN, SIGN_UP_AT);
    await finishRequest(db, helper, { requestId: notHappened, outcome: 'did_not_happen', minutes: null }, FINISHED);
    expect(await entryOf(notHappened)).toBeUndefined();

    const handedBack = await makeHelpRequest(db, asker);
    await takeRequest(db, helper, handedBack, ORIGIN, SIGN_UP_AT);
    await handBackRequest(db, helper, handedBack, ORIGIN, SIGN_UP_AT);
    expect(await entryOf(handedBack)).toBeUndefined();
  });
});
