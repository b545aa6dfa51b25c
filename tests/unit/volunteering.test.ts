// Volunteering: a role never has more volunteers than it needs, even when many press the button
// at once; withdrawing frees a place until the shift starts; only the activity's organisation
// manages its roles (others get "not found"); help wanted lists exactly the open roles;
// fellow volunteers see first names only; reminders go once; every change writes its mails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { activityInput } from '../../src/features/activities/activities.schema.ts';
import { cancelActivity, duplicateActivity, reinstateActivity, updateActivity } from '../../src/features/activities/activities.service.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { helpWantedQuery, parseHelpWantedFilters } from '../../src/features/volunteering/help-wanted-filters.ts';
import { writeDueShiftReminders } from '../../src/features/volunteering/reminders.ts';
import {
  countHelpWanted,
  getRolesPage,
  listActivityRoles,
  listHelpWanted,
  listMyShifts,
  listRoleCounts,
  listShiftsForCalendar,
  listShortOfHands,
  shiftsFingerprint,
} from '../../src/features/volunteering/volunteering.queries.ts';
import { profileInput, roleInput } from '../../src/features/volunteering/volunteering.schema.ts';
import {
  activeSignups,
  createRole,
  deleteRole,
  messageVolunteers,
  saveProfile,
  shiftIsOpen,
  signUp,
  updateRole,
  withdraw,
} from '../../src/features/volunteering/volunteering.service.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeOrganiser, makeRole, roleForm, TOWN_ZONE } from '../helpers/volunteering.ts';

const CONTEXT = { baseUrl: 'https://ankommen.example' };
/** Activities start 2030-06-01 16:00 UTC (18:00 in Berlin) unless a test says otherwise. */
const NOW = new Date('2030-05-20T10:00:00Z');
const START = new Date('2030-06-01T16:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let otherOrganisationId: number;
let organiser: Awaited<ReturnType<typeof makeOrganiser>>;
let otherOrganiser: Awaited<ReturnType<typeof makeOrganiser>>;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  otherOrganisationId = await makeOrganisation(db);
  organiser = await makeOrganiser(db, organisationId);
  otherOrganiser = await makeOrganiser(db, otherOrganisationId, 'Otto Other');
});
afterAll(() => handle?.close());

async function mailsFor(userId: number, kind: string) {
  return db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', userId).where('kind', '=', kind).execute();
}

async function signupStatuses(roleId: number) {
  return db.selectFrom('volunteer_signup').select(['user_id', 'status']).where('role_id', '=', roleId).orderBy('id').execute();
}

describe('places under concurrency', () => {
  it('30 people at once for a role needing 3: exactly 3 are in, the rest are told it is full', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 3 });
    const people = await Promise.all(Array.from({ length: 30 }, () => makePerson(db)));
    const results = await Promise.all(people.map((p) => signUp(db, p, roleId, CONTEXT, NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.refusal.key))).toEqual(Array(27).fill('volunteer.error.full'));
    expect(await activeSignups(db, roleId)).toBe(3);
    const confirmed = await db.selectFrom('outbox').select('recipient_user_id').where('kind', '=', 'volunteer_signed_up').where('recipient_user_id', 'in', people.map((p) => p.id)).execute();
    expect(confirmed).toHaveLength(3);
  });

  it('one person cannot take two places on the same role', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 5 });
    const person = await makePerson(db);
    const twice = await Promise.all([signUp(db, person, roleId, CONTEXT, NOW), signUp(db, person, roleId, CONTEXT, NOW)]);
    expect(twice.filter((r) => r.ok)).toHaveLength(1);
    expect(twice.find((r) => !r.ok)).toMatchObject({ ok: false, refusal: { key: 'volunteer.error.already' } });
    expect(await activeSignups(db, roleId)).toBe(1);
  });
});

describe('duplicating an activity', () => {
  it('copies its roles with their shifts, without the people signed up', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { name: 'Dolmetschen', peopleNeeded: 2, startTime: '17:30', endTime: '20:00', whatToBring: 'Gute Laune', languages: ['ar'] });
    await makeRole(db, organiser, activityId, { name: 'Abbau', peopleNeeded: 3 });
    const volunteer = await makePerson(db);
    expect(await signUp(db, volunteer, roleId, CONTEXT, NOW)).toMatchObject({ ok: true });

    const copyId = await duplicateActivity(db, organiser, activityId, NOW);
    const columns = ['name', 'people_needed', 'starts_at', 'ends_at', 'what_to_bring', 'skills', 'languages'] as const;
    const original = await db.selectFrom('volunteer_role').select(columns).where('activity_id', '=', activityId).orderBy('id').execute();
    const copied = await db.selectFrom('volunteer_role').select(['id', ...columns]).where('activity_id', '=', copyId).orderBy('id').execute();
    expect(copied.map(({ id: _id, ...rest }) => rest)).toEqual(original);
    expect(copied.map((r) => r.name)).toEqual(['Dolmetschen', 'Abbau']);
    expect(await db.selectFrom('volunteer_signup').select('id').where('role_id', 'in', copied.map((r) => r.id)).execute()).toEqual([]);
  });
});

describe('withdrawing', () => {
  it('frees the place for the next person, and the person may come back later', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 1 });
    const [first, second] = await Promise.all([makePerson(db), makePerson(db)]);
    const mine = await signUp(db, first!, roleId, CONTEXT, NOW);
    expect(await signUp(db, second!, roleId, CONTEXT, NOW)).toMatchObject({ ok: false, refusal: { key: 'volunteer.error.full' } });
    if (!mine.ok) throw new Error('first sign-up refused');
    expect(await withdraw(db, first!, mine.signupId, CONTEXT, NOW)).toEqual({ ok: true });
    expect(await signUp(db, second!, roleId, CONTEXT, NOW)).toMatchObject({ ok: true });
    expect(await signupStatuses(roleId)).toEqual([
      { user_id: first!.id, status: 'withdrawn' },
      { user_id: second!.id, status: 'active' },
    ]);
  });

  it('tells the organisers who gave the place back, and nobody when it was refused', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 2 });
    const volunteer = await makePerson(db, { name: 'Vera Volunteer' });
    const mine = await signUp(db, volunteer, roleId, CONTEXT, NOW);
    if (!mine.ok) throw new Error('sign-up refused');
    const before = (await mailsFor(organiser.id, 'volunteer_withdrew_organiser')).length;
    expect(await withdraw(db, volunteer, mine.signupId, CONTEXT, NOW)).toEqual({ ok: true });
    const told = (await mailsFor(organiser.id, 'volunteer_withdrew_organiser')).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]!.payload).toMatchObject({ volunteerName: 'Vera Volunteer' });
    expect(told[0]!.about_user_id).toBe(volunteer.id);
    // The other organisation's organiser hears nothing of it.
    expect(await mailsFor(otherOrganiser.id, 'volunteer_withdrew_organiser')).toHaveLength(0);
  });

  it('is refused once the shift has started, and so is signing up', async () => {
    const activityId = await makeActivity(db, organisationId);
    // Set-up from 17:00 Berlin time (15:00 UTC), an hour before the activity.
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 2, startTime: '17:00', endTime: '18:00' });
    const person = await makePerson(db);
    const mine = await signUp(db, person, roleId, CONTEXT, NOW);
    if (!mine.ok) throw new Error('sign-up refused');
    const duringShift = new Date('2030-06-01T15:30:00Z');
    expect(await withdraw(db, person, mine.signupId, CONTEXT, duringShift)).toEqual({ ok: false, refusal: { key: 'volunteer.error.started' } });
    expect(await signUp(db, await makePerson(db), roleId, CONTEXT, duringShift)).toEqual({ ok: false, refusal: { key: 'volunteer.error.started' } });
    // A minute before the shift (though the activity itself is later), withdrawing still works.
    expect(await withdraw(db, person, mine.signupId, CONTEXT, new Date('2030-06-01T14:59:00Z'))).toEqual({ ok: true });
  });

  it("is 'not found' for someone else's sign-up, a withdrawn one, or a made-up id", async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId);
    const [owner, stranger] = await Promise.all([makePerson(db), makePerson(db)]);
    const mine = await signUp(db, owner!, roleId, CONTEXT, NOW);
    if (!mine.ok) throw new Error('sign-up refused');
    await expect(withdraw(db, stranger!, mine.signupId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdraw(db, organiser, mine.signupId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdraw(db, owner!, 99_999_999, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await withdraw(db, owner!, mine.signupId, CONTEXT, NOW);
    await expect(withdraw(db, owner!, mine.signupId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('which activities take sign-ups', () => {
  it('drafts are "not found", cancelled and past ones refuse with a reason', async () => {
    const draft = await makeActivity(db, organisationId, { status: 'draft' });
    const draftRole = await makeRole(db, organiser, draft);
    await expect(signUp(db, await makePerson(db), draftRole, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);

    const cancelled = await makeActivity(db, organisationId);
    const cancelledRole = await makeRole(db, organiser, cancelled);
    await db.updateTable('activity').set({ status: 'cancelled' }).where('id', '=', cancelled).execute();
    expect(await signUp(db, await makePerson(db), cancelledRole, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'volunteer.error.cancelled' } });

    const past = await makeActivity(db, organisationId, { startsAt: new Date('2030-05-01T16:00:00Z') });
    const pastRole = await makeRole(db, organiser, past, {}, new Date('2030-04-01T10:00:00Z'));
    expect(await signUp(db, await makePerson(db), pastRole, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'volunteer.error.started' } });
    await expect(signUp(db, await makePerson(db), 99_999_999, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('managing roles', () => {
  it("only the activity's organisation: another organisation's organiser and a resident get 'not found'", async () => {
    const activityId = await makeActivity(db, organisationId);
    const resident = await makePerson(db);
    for (const outsider of [otherOrganiser, resident]) {
      await expect(createRole(db, outsider, roleForm(activityId), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(createRole(db, null, roleForm(activityId), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const roleId = await makeRole(db, organiser, activityId, { name: 'Kuchen backen' });
    const volunteer = await makePerson(db);
    await signUp(db, volunteer, roleId, CONTEXT, NOW);
    for (const outsider of [otherOrganiser, resident]) {
      await expect(updateRole(db, outsider, roleForm(activityId, { roleId, name: 'Gekapert' }), TOWN_ZONE, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(deleteRole(db, outsider, roleId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(messageVolunteers(db, outsider, { roleId, subject: 'Hallo', body: 'Spam' }, CONTEXT)).rejects.toBeInstanceOf(NotFoundError);
      await expect(getRolesPage(db, outsider, activityId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    // A role id sent with another activity's id (a forged form) is not found either.
    const otherActivity = await makeActivity(db, otherOrganisationId);
    await expect(updateRole(db, otherOrganiser, roleForm(otherActivity, { roleId }), TOWN_ZONE, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const role = await db.selectFrom('volunteer_role').select('name').where('id', '=', roleId).executeTakeFirstOrThrow();
    expect(role.name).toBe('Kuchen backen');
    expect(await mailsFor(volunteer.id, 'volunteer_message')).toHaveLength(0);
  });

  it('the number needed cannot drop below the people signed up; nothing is changed then', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 3, name: 'Tische tragen' });
    await signUp(db, await makePerson(db), roleId, CONTEXT, NOW);
    await signUp(db, await makePerson(db), roleId, CONTEXT, NOW);
    const refused = await updateRole(db, organiser, roleForm(activityId, { roleId, peopleNeeded: 1, name: 'Neu' }), TOWN_ZONE, CONTEXT, NOW);
    expect(refused).toEqual({ ok: false, fields: { peopleNeeded: 'volunteer.error.neededBelowTaken' }, count: 2 });
    const unchanged = await db.selectFrom('volunteer_role').select(['name', 'people_needed']).where('id', '=', roleId).executeTakeFirstOrThrow();
    expect(unchanged).toEqual({ name: 'Tische tragen', people_needed: 3 });
    expect(await updateRole(db, organiser, roleForm(activityId, { roleId, peopleNeeded: 2, name: 'Tische tragen' }), TOWN_ZONE, CONTEXT, NOW)).toEqual({ ok: true, changed: 1 });
  });

  it('a shift window is typed in town time on the activity day and must lie around the activity', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { startTime: '16:30', endTime: '21:00' });
    const row = await db.selectFrom('volunteer_role').select(['starts_at', 'ends_at']).where('id', '=', roleId).executeTakeFirstOrThrow();
    expect(row.starts_at?.toISOString()).toBe('2030-06-01T14:30:00.000Z');
    expect(row.ends_at?.toISOString()).toBe('2030-06-01T19:00:00.000Z');
    // 06:00 is twelve hours before an 18:00 activity: most likely a typo.
    expect(await createRole(db, organiser, roleForm(activityId, { startTime: '06:00', endTime: '08:00' }), TOWN_ZONE, NOW)).toEqual({ ok: false, fields: { startTime: 'volunteer.error.windowOutside' } });
  });

  it('a shift at a time the clocks skip moves forward by the gap and keeps its length', async () => {
    // 01:00–05:00 on 28 March 2027, the night summer time begins; the shift is typed 02:30–03:30.
    const activityId = await makeActivity(db, organisationId, { startsAt: new Date('2027-03-28T00:00:00Z') });
    const roleId = await makeRole(db, organiser, activityId, { startTime: '02:30', endTime: '03:30' }, new Date('2027-03-01T00:00:00Z'));
    const row = await db.selectFrom('volunteer_role').select(['starts_at', 'ends_at']).where('id', '=', roleId).executeTakeFirstOrThrow();
    expect([row.starts_at?.toISOString(), row.ends_at?.toISOString()]).toEqual(['2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00.000Z']);
  });

  it('the form schema refuses bad numbers, half windows and unknown skills with message keys', () => {
    const base = { activityId: '1', name: 'Aufbau', peopleNeeded: '2' };
    const error = (fields: Record<string, unknown>) => {
      const result = roleInput.safeParse({ ...base, ...fields });
      return result.success ? null : result.error.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    };
    expect(error({})).toBeNull();
    expect(error({ peopleNeeded: '0' })).toEqual(['peopleNeeded:volunteer.error.peopleNeeded']);
    expect(error({ peopleNeeded: '101' })).toEqual(['peopleNeeded:volunteer.error.peopleNeeded']);
    expect(error({ peopleNeeded: 'drei' })).toEqual(['peopleNeeded:volunteer.error.peopleNeeded']);
    expect(error({ name: '  ' })).toEqual(['name:error.required']);
    expect(error({ startTime: '17:00' })).toEqual(['endTime:volunteer.error.windowIncomplete']);
    expect(error({ startTime: '19:00', endTime: '18:00' })).toEqual(['endTime:error.time.endBeforeStart']);
    expect(error({ skills: ['juggling'] })).not.toBeNull();
    expect(profileInput.safeParse({ languages: ['ar'], skills: ['driving'], availability: 'x'.repeat(501) }).success).toBe(false);
  });

  it('for a series, one role on every date still to come', async () => {
    const series = await db.insertInto('activity_series').values({ organisation_id: organisationId, frequency: 'weekly' }).returning('id').executeTakeFirstOrThrow();
    const dates = ['2030-05-13T16:00:00Z', '2030-05-27T16:00:00Z', '2030-06-03T16:00:00Z', '2030-06-10T16:00:00Z'];
    const ids = [];
    for (const d of dates) ids.push(await makeActivity(db, organisationId, { startsAt: new Date(d), extra: { series_id: series.id, series_slot: new Date(d) } }));
    const result = await createRole(db, organiser, roleForm(ids[1]!, { name: 'Dolmetschen Arabisch', allDates: true, startTime: '17:30', endTime: '20:00' }), TOWN_ZONE, NOW);
    if (!result.ok) throw new Error('refused');
    expect(result.roleIds).toHaveLength(3);
    const rows = await db.selectFrom('volunteer_role').select(['activity_id', 'starts_at']).where('id', 'in', result.roleIds).orderBy('activity_id').execute();
    expect(rows.map((r) => r.activity_id)).toEqual(ids.slice(1));
    // 17:30 in Berlin on each date.
    expect(rows.map((r) => r.starts_at?.toISOString())).toEqual(['2030-05-27T15:30:00.000Z', '2030-06-03T15:30:00.000Z', '2030-06-10T15:30:00.000Z']);
  });
});

describe('the roles of a series', () => {
  async function seriesWithRole(name: string) {
    const series = await db.insertInto('activity_series').values({ organisation_id: organisationId, frequency: 'weekly' }).returning('id').executeTakeFirstOrThrow();
    const starts = ['2030-06-03T16:00:00Z', '2030-06-10T16:00:00Z', '2030-06-17T16:00:00Z', '2030-06-24T16:00:00Z'];
    const ids: number[] = [];
    for (const d of starts) ids.push(await makeActivity(db, organisationId, { startsAt: new Date(d), extra: { series_id: series.id, series_slot: new Date(d) } }));
    const created = await createRole(db, organiser, roleForm(ids[0]!, { name, allDates: true, peopleNeeded: 2 }), TOWN_ZONE, NOW);
    if (!created.ok) throw new Error('refused');
    return { ids, roleIds: created.roleIds };
  }
  const rows = (roleIds: number[]) =>
    db.selectFrom('volunteer_role').select(['id', 'name', 'people_needed', 'starts_at']).where('id', 'in', roleIds).orderBy('id').execute();

  it('are changed for this date, this and the following ones, or all at once', async () => {
    const { ids, roleIds } = await seriesWithRole('Tee kochen');
    const helper = await makePerson(db);
    await signUp(db, helper, roleIds[2]!, CONTEXT, NOW);
    // From the second date on, three people are needed.
    expect(await updateRole(db, organiser, roleForm(ids[1]!, { roleId: roleIds[1], name: 'Tee kochen', peopleNeeded: 3, scope: 'following' }), TOWN_ZONE, CONTEXT, NOW)).toEqual({ ok: true, changed: 3 });
    expect((await rows(roleIds)).map((r) => r.people_needed)).toEqual([2, 3, 3, 3]);
    // The whole series gets a shift from 17:00 to 18:00, each on its own day; the helper hears once.
    expect(await updateRole(db, organiser, roleForm(ids[0]!, { roleId: roleIds[0], name: 'Tee kochen', peopleNeeded: 2, startTime: '17:00', endTime: '18:00', scope: 'all' }), TOWN_ZONE, CONTEXT, NOW)).toEqual({ ok: true, changed: 4 });
    const after = await rows(roleIds);
    expect(after.map((r) => r.starts_at?.toISOString())).toEqual(['2030-06-03T15:00:00.000Z', '2030-06-10T15:00:00.000Z', '2030-06-17T15:00:00.000Z', '2030-06-24T15:00:00.000Z']);
    // Only the number needed that was changed travels: it was 2 on the first date and stays so elsewhere.
    expect(after.map((r) => r.people_needed)).toEqual([2, 3, 3, 3]);
    expect(await mailsFor(helper.id, 'volunteer_role_changed')).toHaveLength(1);
    // This date only.
    await updateRole(db, organiser, roleForm(ids[3]!, { roleId: roleIds[3], name: 'Tee und Kaffee', peopleNeeded: 3, startTime: '17:00', endTime: '18:00' }), TOWN_ZONE, CONTEXT, NOW);
    expect((await rows(roleIds)).map((r) => r.name)).toEqual(['Tee kochen', 'Tee kochen', 'Tee kochen', 'Tee und Kaffee']);
  });

  it('checks every date before writing: more volunteers on a later date than the new number refuses it all', async () => {
    const { ids, roleIds } = await seriesWithRole('Abwasch');
    const [a, b] = await Promise.all([makePerson(db), makePerson(db)]);
    await signUp(db, a!, roleIds[3]!, CONTEXT, NOW);
    await signUp(db, b!, roleIds[3]!, CONTEXT, NOW);
    const refused = await updateRole(db, organiser, roleForm(ids[0]!, { roleId: roleIds[0], name: 'Spülen', peopleNeeded: 1, scope: 'all' }), TOWN_ZONE, CONTEXT, NOW);
    expect(refused).toEqual({ ok: false, fields: { peopleNeeded: 'volunteer.error.neededBelowTaken' }, count: 2, date: new Date('2030-06-24T16:00:00Z') });
    expect((await rows(roleIds)).map((r) => [r.name, r.people_needed])).toEqual([['Abwasch', 2], ['Abwasch', 2], ['Abwasch', 2], ['Abwasch', 2]]);
  });

  it('are removed from this date and the following ones; their volunteers hear once', async () => {
    const { roleIds } = await seriesWithRole('Fahrdienst');
    const helper = await makePerson(db);
    await signUp(db, helper, roleIds[2]!, CONTEXT, NOW);
    await signUp(db, helper, roleIds[3]!, CONTEXT, NOW);
    expect(await deleteRole(db, organiser, roleIds[1]!, CONTEXT, NOW, 'following')).toMatchObject({ deleted: 3 });
    expect((await rows(roleIds)).map((r) => r.id)).toEqual([roleIds[0]]);
    const removed = await mailsFor(helper.id, 'volunteer_role_removed');
    expect(removed).toHaveLength(1);
    expect((removed[0]!.payload.dates as unknown[]).length).toBe(2);
  });

  it("are 'not found' for another organisation's organiser", async () => {
    const { ids, roleIds } = await seriesWithRole('Kasse');
    await expect(updateRole(db, otherOrganiser, roleForm(ids[0]!, { roleId: roleIds[0], name: 'Weg', scope: 'all' }), TOWN_ZONE, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteRole(db, otherOrganiser, roleIds[0]!, CONTEXT, NOW, 'all')).rejects.toBeInstanceOf(NotFoundError);
    expect((await rows(roleIds)).map((r) => r.name)).toEqual(['Kasse', 'Kasse', 'Kasse', 'Kasse']);
  });
});

describe('help wanted', () => {
  it('lists exactly the open roles that match skill, language and date; never full, past, draft or cancelled ones', async () => {
    const org = await makeOrganisation(db);
    const boss = await makeOrganiser(db, org);
    const tomorrow = await makeActivity(db, org, { startsAt: new Date('2030-05-21T16:00:00Z'), title: 'Morgen' });
    const nextMonth = await makeActivity(db, org, { startsAt: new Date('2030-06-20T16:00:00Z'), title: 'Später', translations: { ar: { title: 'لاحقًا', description: '' } } });
    const past = await makeActivity(db, org, { startsAt: new Date('2030-05-19T16:00:00Z') });
    const draft = await makeActivity(db, org, { status: 'draft', startsAt: new Date('2030-05-22T16:00:00Z') });
    const cancelled = await makeActivity(db, org, { startsAt: new Date('2030-05-22T16:00:00Z') });
    const driver = await makeRole(db, boss, tomorrow, { name: 'Fahrdienst', skills: ['driving'], peopleNeeded: 2 });
    const interpreter = await makeRole(db, boss, nextMonth, { name: 'Dolmetschen', skills: ['translating'], languages: ['ar', 'fa'] });
    const full = await makeRole(db, boss, tomorrow, { name: 'Voll', skills: ['driving'], peopleNeeded: 1 });
    await signUp(db, await makePerson(db), full, CONTEXT, NOW);
    await makeRole(db, boss, past, { name: 'Vorbei' }, new Date('2030-05-01T00:00:00Z'));
    await makeRole(db, boss, draft, { name: 'Entwurf' });
    await makeRole(db, boss, cancelled, { name: 'Abgesagt' });
    await db.updateTable('activity').set({ status: 'cancelled' }).where('id', '=', cancelled).execute();
    // A half-filled role is still open and says how far it got.
    await signUp(db, await makePerson(db), driver, CONTEXT, NOW);

    const ours = async (query: string, locale: 'de' | 'ar' = 'de') => {
      const rows = await listHelpWanted(db, locale, helpWantedQuery(parseHelpWantedFilters(new URLSearchParams(query)), NOW, TOWN_ZONE));
      return rows.filter((r) => [tomorrow, nextMonth, past, draft, cancelled].includes(r.activityId));
    };
    const all = await ours('');
    expect(all.map((r) => r.id)).toEqual([driver, interpreter]);
    expect(all[0]).toMatchObject({ filled: 1, peopleNeeded: 2, title: 'Morgen' });
    expect((await ours('skill=driving')).map((r) => r.id)).toEqual([driver]);
    expect((await ours('skill=translating&language=fa')).map((r) => r.id)).toEqual([interpreter]);
    expect((await ours('language=uk')).map((r) => r.id)).toEqual([]);
    expect((await ours('when=week')).map((r) => r.id)).toEqual([driver]);
    expect((await ours('from=2030-06-15&to=2030-06-25')).map((r) => r.id)).toEqual([interpreter]);
    // Nonsense in a shared link is dropped rather than failing.
    expect((await ours('skill=juggling&language=xx&from=2030-13-45')).map((r) => r.id)).toEqual([driver, interpreter]);
    expect((await ours('', 'ar')).map((r) => r.title)).toEqual(['Morgen', 'لاحقًا']);
    // Page by page, in the same order.
    const query = helpWantedQuery({}, NOW, TOWN_ZONE);
    const everything = (await listHelpWanted(db, 'de', query, { limit: 1000 })).map((r) => r.id);
    const pages = [...(await listHelpWanted(db, 'de', query, { limit: 2 })), ...(await listHelpWanted(db, 'de', query, { limit: 1000, offset: 2 }))].map((r) => r.id);
    expect(pages).toEqual(everything);
    // The count behind the page links says how many the list has over all its pages, whatever the filters.
    for (const filters of ['', 'skill=driving', 'skill=translating&language=fa', 'language=uk', 'when=week', 'from=2030-06-15&to=2030-06-25', 'skill=driving&when=week']) {
      const asked = helpWantedQuery(parseHelpWantedFilters(new URLSearchParams(filters)), NOW, TOWN_ZONE);
      expect(await countHelpWanted(db, asked), filters).toBe((await listHelpWanted(db, 'de', asked, { limit: 1000 })).length);
    }
  });
});

describe('who sees whom', () => {
  it('volunteers see the others on their role by first name only; others see only the numbers', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 3 });
    const amal = await makePerson(db, { name: 'Amal Haddad' });
    const jonas = await makePerson(db, { name: 'Jonas Peter Müller' });
    const onlooker = await makePerson(db, { name: 'Nina Neugier' });
    await signUp(db, amal, roleId, CONTEXT, NOW);
    await signUp(db, jonas, roleId, CONTEXT, NOW);

    const [shift] = (await listMyShifts(db, amal.id, 'de')).filter((s) => s.roleId === roleId);
    expect(shift?.fellowVolunteers).toEqual(['Jonas']);
    const seenByJonas = (await listActivityRoles(db, { id: activityId, starts_at: START, ends_at: new Date(START.getTime() + 7_200_000) }, jonas)).find((r) => r.id === roleId);
    expect(seenByJonas).toMatchObject({ fellowVolunteers: ['Amal'], filled: 2 });
    expect(JSON.stringify(seenByJonas)).not.toContain('Haddad');
    const seenByOnlooker = (await listActivityRoles(db, { id: activityId, starts_at: START, ends_at: START }, onlooker)).find((r) => r.id === roleId);
    expect(seenByOnlooker).toMatchObject({ fellowVolunteers: [], filled: 2, mySignupId: null });
    const seenSignedOut = (await listActivityRoles(db, { id: activityId, starts_at: START, ends_at: START }, null)).find((r) => r.id === roleId);
    expect(seenSignedOut?.fellowVolunteers).toEqual([]);
  });

  it("organisers see full names, addresses and profiles of the people on their own roles", async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId);
    const volunteer = await makePerson(db, { name: 'Sara Stark' });
    await saveProfile(db, volunteer, { languages: ['ar', 'de'], skills: ['driving'], availability: 'Samstags', helpKinds: [], helpDays: [], hasCar: false, hasChildSeat: false, helpsAsWoman: false });
    await signUp(db, volunteer, roleId, CONTEXT, NOW);
    const page = await getRolesPage(db, organiser, activityId, NOW);
    const role = page.roles.find((r) => r.id === roleId)!;
    expect(role.volunteers).toEqual([{ signupId: expect.any(Number), displayName: 'Sara Stark', email: volunteer.email, profile: { languages: ['ar', 'de'], skills: ['driving'], availability: 'Samstags' }, confirmedAt: null, checkedInAt: null }]);
    await expect(getRolesPage(db, otherOrganiser, activityId, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('whether a shift still takes sign-ups and withdrawals', () => {
  it('only on a published activity, until the shift starts', () => {
    const start = new Date('2030-06-01T16:00:00Z');
    expect(shiftIsOpen('published', start, new Date('2030-06-01T15:59:59Z'))).toBe(true);
    expect(shiftIsOpen('published', start, start)).toBe(false);
    expect(shiftIsOpen('cancelled', start, NOW)).toBe(false);
    expect(shiftIsOpen('draft', start, NOW)).toBe(false);
  });
});

describe('the organiser dashboard', () => {
  it('shows filled / needed per role and the activities still short of hands', async () => {
    const org = await makeOrganisation(db);
    const boss = await makeOrganiser(db, org);
    // Organiser and coordinator of the same organisation: each role still counted once.
    await db.insertInto('membership').values({ organisation_id: org, user_id: boss.id, role: 'coordinator' }).execute();
    const staffed = await makeActivity(db, org, { title: 'Besetzt' });
    const short = await makeActivity(db, org, { title: 'Braucht Hilfe', startsAt: new Date('2030-05-25T16:00:00Z') });
    const one = await makeRole(db, boss, staffed, { peopleNeeded: 1 });
    await signUp(db, await makePerson(db), one, CONTEXT, NOW);
    await makeRole(db, boss, short, { peopleNeeded: 3, name: 'Aufbau' });
    await makeRole(db, boss, short, { peopleNeeded: 2, name: 'Abbau' });
    const counts = await listRoleCounts(db, boss, NOW);
    expect(counts.map((c) => [c.activityId, c.name, c.filled, c.peopleNeeded])).toEqual([
      [staffed, 'Aufbau', 1, 1],
      [short, 'Aufbau', 0, 3],
      [short, 'Abbau', 0, 2],
    ]);
    expect(await listShortOfHands(db, boss, NOW)).toEqual([expect.objectContaining({ activityId: short, title: 'Braucht Hilfe', missing: 5 })]);
    // Another organisation's organiser sees none of it.
    expect((await listShortOfHands(db, otherOrganiser, NOW)).map((a) => a.activityId)).not.toContain(short);
    expect((await listRoleCounts(db, otherOrganiser, NOW)).map((c) => c.activityId)).not.toContain(short);
  });
});

describe('mails', () => {
  it('confirms a sign-up in the volunteer\'s language, with the shift time and what to bring', async () => {
    const activityId = await makeActivity(db, organisationId, { title: 'Sommerfest' });
    const roleId = await makeRole(db, organiser, activityId, { name: 'Grillen', startTime: '17:00', endTime: '19:00', whatToBring: 'Schürze' });
    const person = await makePerson(db, { locale: 'ar', name: 'Rami' });
    await signUp(db, person, roleId, CONTEXT, NOW);
    const [mail] = await mailsFor(person.id, 'volunteer_signed_up');
    const rendered = renderMail({ id: 1, kind: 'volunteer_signed_up', recipientUserId: person.id, recipientEmail: person.email!, channel: 'email', locale: 'ar', payload: mail!.payload, attempts: 1 }, { townName: 'Altena', timeZone: TOWN_ZONE });
    // The Latin title is isolated (U+2068 … U+2069) inside the Arabic sentence.
    expect(rendered.subject).toBe('شكرًا على مساعدتك: \u2068Sommerfest\u2069');
    expect(rendered.text).toContain('«\u2068Grillen\u2069»');
    expect(rendered.text).toContain('Schürze');
    expect(rendered.text).toContain(`https://ankommen.example/ar/activities/${activityId}`);
  });

  it('tells the volunteers when their shift moves or is removed', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { name: 'Aufbau' });
    const person = await makePerson(db);
    await signUp(db, person, roleId, CONTEXT, NOW);
    // Only the number changes: no mail.
    await updateRole(db, organiser, roleForm(activityId, { roleId, name: 'Aufbau', peopleNeeded: 4 }), TOWN_ZONE, CONTEXT, NOW);
    expect(await mailsFor(person.id, 'volunteer_role_changed')).toHaveLength(0);
    await updateRole(db, organiser, roleForm(activityId, { roleId, name: 'Aufbau', peopleNeeded: 4, startTime: '16:00', endTime: '18:00' }), TOWN_ZONE, CONTEXT, NOW);
    expect(await mailsFor(person.id, 'volunteer_role_changed')).toHaveLength(1);
    const revised = await db.selectFrom('volunteer_role').select('revision').where('id', '=', roleId).executeTakeFirstOrThrow();
    expect(revised.revision).toBe(1);
    await deleteRole(db, organiser, roleId, CONTEXT, NOW);
    expect(await mailsFor(person.id, 'volunteer_role_removed')).toHaveLength(1);
    expect(await db.selectFrom('volunteer_role').select('id').where('id', '=', roleId).execute()).toEqual([]);
  });

  it('tells the volunteers when the activity moves (their shift moves along) or is cancelled', async () => {
    const activityId = await makeActivity(db, organisationId);
    const ownShift = await makeRole(db, organiser, activityId, { name: 'Aufbau', startTime: '17:00', endTime: '18:00' });
    const plain = await makeRole(db, organiser, activityId, { name: 'Kasse' });
    const [a, b] = await Promise.all([makePerson(db), makePerson(db)]);
    await signUp(db, a!, ownShift, CONTEXT, NOW);
    await signUp(db, b!, plain, CONTEXT, NOW);
    const form = (date: string) =>
      activityInput(TOWN_ZONE).parse({ organisationId: String(organisationId), activityId: String(activityId), title: 'Sprachcafé', category: 'language', date, startTime: '18:00', endTime: '20:00', placeName: 'Stellwerk' });
    expect(await updateActivity(db, organiser, activityId, form('2030-06-02'), CONTEXT, NOW)).toEqual({ ok: true, changed: 1 });
    const moved = await db.selectFrom('volunteer_role').select(['starts_at', 'revision']).where('id', '=', ownShift).executeTakeFirstOrThrow();
    expect(moved.starts_at?.toISOString()).toBe('2030-06-02T15:00:00.000Z');
    expect(moved.revision).toBe(1);
    expect(await mailsFor(a!.id, 'volunteer_activity_changed')).toHaveLength(1);
    expect(await mailsFor(b!.id, 'volunteer_activity_changed')).toHaveLength(1);

    await cancelActivity(db, organiser, activityId, 'Der Saal ist gesperrt.', CONTEXT, NOW);
    const [cancelMail] = await mailsFor(a!.id, 'volunteer_activity_cancelled');
    expect(cancelMail?.payload).toMatchObject({ roleName: 'Aufbau', reason: 'Der Saal ist gesperrt.' });
    expect(await mailsFor(b!.id, 'volunteer_activity_cancelled')).toHaveLength(1);

    // It takes place after all: the volunteers, still signed up, are told.
    expect(await reinstateActivity(db, organiser, activityId, CONTEXT, NOW)).toEqual({ ok: true });
    const [backMail] = await mailsFor(a!.id, 'volunteer_activity_reinstated');
    expect(backMail?.payload).toMatchObject({ roleName: 'Aufbau' });
    const text = renderMail({ id: 1, kind: 'volunteer_activity_reinstated', recipientUserId: a!.id, recipientEmail: 'a@example.org', channel: 'email', locale: 'de', payload: backMail!.payload, attempts: 0 }, { townName: 'Altena', timeZone: TOWN_ZONE }).text;
    expect(text).toContain('Das Angebot, bei dem Sie als „Aufbau“ helfen, findet nun doch statt.');
    expect(await mailsFor(b!.id, 'volunteer_activity_reinstated')).toHaveLength(1);
  });

  it('a volunteer on every date of a series hears of a new time once, with the dates listed', async () => {
    const series = await db.insertInto('activity_series').values({ organisation_id: organisationId, frequency: 'weekly' }).returning('id').executeTakeFirstOrThrow();
    const starts = ['2030-06-03T16:00:00Z', '2030-06-10T16:00:00Z', '2030-06-17T16:00:00Z'];
    const ids = [];
    for (const d of starts) ids.push(await makeActivity(db, organisationId, { startsAt: new Date(d), extra: { series_id: series.id, series_slot: new Date(d) } }));
    const created = await createRole(db, organiser, roleForm(ids[0]!, { name: 'Tee kochen', allDates: true }), TOWN_ZONE, NOW);
    if (!created.ok) throw new Error('refused');
    const helper = await makePerson(db);
    for (const roleId of created.roleIds) await signUp(db, helper, roleId, CONTEXT, NOW);
    const form = activityInput(TOWN_ZONE).parse({ organisationId: String(organisationId), activityId: String(ids[0]), title: 'Sprachcafé', category: 'language', date: '2030-06-03', startTime: '19:00', endTime: '21:00', placeName: 'Stellwerk', address: 'Lennestraße 12, 58762 Altena', capacity: '10', scope: 'all' });
    expect(await updateActivity(db, organiser, ids[0]!, form, CONTEXT, NOW)).toEqual({ ok: true, changed: 3 });
    const mails = await mailsFor(helper.id, 'volunteer_activity_changed');
    expect(mails).toHaveLength(1);
    const text = renderMail({ id: 1, kind: 'volunteer_activity_changed', recipientUserId: helper.id, recipientEmail: 'h@example.org', channel: 'email', locale: 'de', payload: mails[0]!.payload, attempts: 0 }, { townName: 'Altena', timeZone: TOWN_ZONE }).text;
    expect(text).toContain('Zeit oder Ort von 3 Terminen haben sich geändert, bei denen Sie als „Tee kochen“ helfen.');
    expect(text.match(/19:00–21:00/g)).toHaveLength(3);
  });

  it("writes the organiser's message to each volunteer once, and audits who wrote to how many", async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 3, name: 'Dolmetschen' });
    const people = await Promise.all([makePerson(db, { locale: 'uk' }), makePerson(db)]);
    for (const p of people) await signUp(db, p, roleId, CONTEXT, NOW);
    const gone = await makePerson(db);
    const left = await signUp(db, gone, roleId, CONTEXT, NOW);
    if (left.ok) await withdraw(db, gone, left.signupId, CONTEXT, NOW);
    expect(await messageVolunteers(db, organiser, { roleId, subject: 'Treffpunkt', body: 'Bitte um 17 Uhr am Seiteneingang.\n<b>Danke</b>' }, { ...CONTEXT, ip: '10.0.0.1' })).toEqual({ ok: true, sent: 2 });
    for (const p of people) expect(await mailsFor(p.id, 'volunteer_message')).toHaveLength(1);
    expect(await mailsFor(gone.id, 'volunteer_message')).toHaveLength(0);
    const [mail] = await mailsFor(people[0]!.id, 'volunteer_message');
    const rendered = renderMail({ id: 1, kind: 'volunteer_message', recipientUserId: people[0]!.id, recipientEmail: '', channel: 'email', locale: 'uk', payload: mail!.payload, attempts: 1 }, { townName: 'Altena', timeZone: TOWN_ZONE });
    expect(rendered.text).toContain('Test-Verein пише всім, хто записався на «Dolmetschen»:');
    expect(rendered.text).toContain('Bitte um 17 Uhr am Seiteneingang.\n<b>Danke</b>');
    const audit = await db.selectFrom('audit_event').selectAll().where('action', '=', 'volunteers.messaged').where('object_id', '=', String(roleId)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: organiser.id, object_type: 'volunteer_role', details: { recipients: 2 } });
    expect(JSON.stringify(audit[0]!.details)).not.toContain('Seiteneingang');
  });

  it('a role without volunteers has nobody to write to', async () => {
    const activityId = await makeActivity(db, organisationId);
    const roleId = await makeRole(db, organiser, activityId);
    expect(await messageVolunteers(db, organiser, { roleId, subject: 'x', body: 'y' }, CONTEXT)).toEqual({ ok: false });
  });
});

describe('the reminder the day before', () => {
  it('goes once, to active volunteers of published activities, in the 24 hours before the shift', async () => {
    const startsAt = new Date('2030-07-10T16:00:00Z');
    const activityId = await makeActivity(db, organisationId, { startsAt });
    const roleId = await makeRole(db, organiser, activityId, { peopleNeeded: 5, startTime: '17:00', endTime: '18:00' });
    const early = await makePerson(db);
    const withdrawn = await makePerson(db);
    await signUp(db, early, roleId, CONTEXT, NOW);
    const w = await signUp(db, withdrawn, roleId, CONTEXT, NOW);
    if (w.ok) await withdraw(db, withdrawn, w.signupId, CONTEXT, NOW);
    // Signed up only three hours before: the confirmation was enough.
    const late = await makePerson(db);
    await signUp(db, late, roleId, CONTEXT, new Date('2030-07-10T12:00:00Z'));

    // The shift starts 15:00 UTC; two days before, nothing is due yet.
    expect(await writeDueShiftReminders(db, CONTEXT, new Date('2030-07-08T15:00:00Z'))).toBe(0);
    const dayBefore = new Date('2030-07-09T15:30:00Z');
    const [first, second] = await Promise.all([writeDueShiftReminders(db, CONTEXT, dayBefore), writeDueShiftReminders(db, CONTEXT, dayBefore)]);
    expect((first ?? 0) + (second ?? 0)).toBeGreaterThanOrEqual(1);
    expect(await writeDueShiftReminders(db, CONTEXT, new Date('2030-07-10T13:00:00Z'))).toBe(0);
    expect(await mailsFor(early.id, 'volunteer_reminder')).toHaveLength(1);
    expect(await mailsFor(withdrawn.id, 'volunteer_reminder')).toHaveLength(0);
    expect(await mailsFor(late.id, 'volunteer_reminder')).toHaveLength(0);
    const [reminder] = await mailsFor(early.id, 'volunteer_reminder');
    expect(reminder?.payload).toMatchObject({ startsAt: '2030-07-10T15:00:00.000Z', roleName: 'Aufbau' });
  });
});

describe('for the personal calendar feed', () => {
  const FROM = new Date(NOW.getTime() - 30 * 24 * 60 * 60 * 1000);
  it('lists the shifts with their times and revisions, and the fingerprint changes with every change', async () => {
    const person = await makePerson(db);
    const activityId = await makeActivity(db, organisationId, { title: 'Lesecafé', translations: { en: { title: 'Reading café', description: '' } } });
    const roleId = await makeRole(db, organiser, activityId, { name: 'Vorlesen', startTime: '17:30', endTime: '20:00' });
    const empty = await shiftsFingerprint(db, person.id, FROM);
    expect(empty).toEqual({ count: 0, lastUpdated: null, idSum: 0 });
    const mine = await signUp(db, person, roleId, CONTEXT, NOW);
    if (!mine.ok) throw new Error('refused');
    const shifts = await listShiftsForCalendar(db, person.id, FROM);
    expect(shifts).toEqual([
      expect.objectContaining({
        signupId: mine.signupId,
        roleId,
        roleName: 'Vorlesen',
        activityId,
        activityTitle: 'Lesecafé',
        activityTranslations: { en: { title: 'Reading café', description: '' } },
        startsAt: new Date('2030-06-01T15:30:00Z'),
        endsAt: new Date('2030-06-01T18:00:00Z'),
        activityStatus: 'published',
        roleRevision: 0,
        activityRevision: 0,
      }),
    ]);
    const before = await shiftsFingerprint(db, person.id, FROM);
    expect(before.count).toBe(1);
    await updateRole(db, organiser, roleForm(activityId, { roleId, name: 'Vorlesen', startTime: '17:00', endTime: '20:00' }), TOWN_ZONE, CONTEXT, new Date(NOW.getTime() + 60_000));
    const after = await shiftsFingerprint(db, person.id, FROM);
    expect(after).not.toEqual(before);
    expect((await listShiftsForCalendar(db, person.id, FROM))[0]?.roleRevision).toBe(1);
    await withdraw(db, person, mine.signupId, CONTEXT, NOW);
    expect(await shiftsFingerprint(db, person.id, FROM)).toEqual(empty);
  });
});

describe('"My shifts" after withdrawing', () => {
  it('lists shifts the person withdrew from (unless they signed up again), latest first', async () => {
    const { listMyWithdrawnShifts } = await import('../../src/features/volunteering/volunteering.queries.ts');
    const activityId = await makeActivity(db, organisationId, { startsAt: START, title: 'Hoffest' });
    const [setup, kitchen] = [await makeRole(db, organiser, activityId, { name: 'Aufbau' }), await makeRole(db, organiser, activityId, { name: 'Küche' })];
    const nadia = await makePerson(db);
    const signed = async (roleId: number) => {
      const result = await signUp(db, nadia, roleId, CONTEXT, NOW);
      if (!result.ok) throw new Error('sign-up refused');
      return result.signupId;
    };
    await withdraw(db, nadia, await signed(setup), CONTEXT, NOW);
    await withdraw(db, nadia, await signed(kitchen), CONTEXT, NOW);
    // Back on the kitchen shift: no longer "withdrawn".
    await signed(kitchen);
    const withdrawn = await listMyWithdrawnShifts(db, nadia.id, 'de');
    expect(withdrawn.map((s) => [s.roleName, s.title])).toEqual([['Aufbau', 'Hoffest']]);
    expect(withdrawn[0]!.withdrawnAt.getTime()).toBe(NOW.getTime());
    // Nobody else's.
    expect(await listMyWithdrawnShifts(db, organiser.id, 'de')).toEqual([]);
  });
});

describe('the page that asks before withdrawing', () => {
  it('shows the person’s own sign-up with its role’s count, and nobody else’s', async () => {
    const { withdrawalPreview } = await import('../../src/features/volunteering/volunteering.queries.ts');
    const activityId = await makeActivity(db, organisationId, { startsAt: START, title: 'Sommerfest' });
    const roleId = await makeRole(db, organiser, activityId, { name: 'Grill', peopleNeeded: 3 });
    const [lena, tom] = [await makePerson(db), await makePerson(db)];
    const mine = await signUp(db, lena, roleId, CONTEXT, NOW);
    await signUp(db, tom, roleId, CONTEXT, NOW);
    if (!mine.ok) throw new Error('refused');
    expect(await withdrawalPreview(db, lena.id, mine.signupId, 'de', NOW)).toMatchObject({ roleName: 'Grill', title: 'Sommerfest', filledAfter: 1, needed: 3, startsAt: START, refusal: null });
    await expect(withdrawalPreview(db, tom.id, mine.signupId, 'de', NOW)).rejects.toBeInstanceOf(NotFoundError);
    await withdraw(db, lena, mine.signupId, CONTEXT, NOW);
    await expect(withdrawalPreview(db, lena.id, mine.signupId, 'de', NOW)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses exactly when withdraw refuses: once the shift has started, not because the activity was cancelled', async () => {
    const { withdrawalPreview } = await import('../../src/features/volunteering/volunteering.queries.ts');
    const activityId = await makeActivity(db, organisationId, { startsAt: START, title: 'Flohmarkt' });
    const roleId = await makeRole(db, organiser, activityId, { name: 'Kasse' });
    const person = await makePerson(db);
    const mine = await signUp(db, person, roleId, CONTEXT, NOW);
    if (!mine.ok) throw new Error('refused');
    const started = new Date(START.getTime() + 60_000);
    expect((await withdrawalPreview(db, person.id, mine.signupId, 'de', started)).refusal).toEqual({ key: 'volunteer.error.started' });
    expect(await withdraw(db, person, mine.signupId, CONTEXT, started)).toEqual({ ok: false, refusal: { key: 'volunteer.error.started' } });
    await db.updateTable('activity').set({ status: 'cancelled' }).where('id', '=', activityId).execute();
    expect(await withdrawalPreview(db, person.id, mine.signupId, 'de', NOW)).toMatchObject({ activityStatus: 'cancelled', refusal: null, filledAfter: 0 });
    expect(await withdraw(db, person, mine.signupId, CONTEXT, NOW)).toEqual({ ok: true });
  });
});
