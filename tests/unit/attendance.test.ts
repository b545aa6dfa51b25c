// The door: check-in, no-shows, walk-ins within the capacity, manual promote into seats of
// no-shows, and a CSV that Excel opens correctly and that runs no formula.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { addWalkIn, exportAttendeesCsv, listAttendees, promoteManually, setCheckedIn, setNoShow, toCsv } from '../../src/features/attendance/attendance.service.ts';
import { createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';

const CONTEXT = { baseUrl: 'https://ankommen.example' };
const NOW = new Date('2030-05-20T10:00:00Z');
const LABELS = { header: ['Name', 'Personen', 'Status', 'Platz', 'Da', 'Nicht gekommen', 'Nachricht'], going: 'Angemeldet', waitlisted: 'Warteliste', yes: 'ja', no: 'nein' };

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organiser: SessionUser;
let outsider: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  organiser = await makePerson(db);
  outsider = await makePerson(db);
  const otherOrganisation = await makeOrganisation(db);
  await db.insertInto('membership').values([
    { organisation_id: organisationId, user_id: organiser.id, role: 'organiser' },
    { organisation_id: otherOrganisation, user_id: outsider.id, role: 'organiser' },
  ]).execute();
});
afterAll(() => handle?.close());

async function rsvp(activityId: number, partySize: number, name = 'Gast', note = '') {
  const person = await makePerson(db, { name });
  const result = await createRsvp(db, person, { activityId, partySize, note }, CONTEXT, NOW);
  if (!result.ok) throw new Error('refused');
  return result;
}

describe('who sees the list', () => {
  it('only members of the organisation; everyone else gets "not found"', async () => {
    const activityId = await makeActivity(db, organisationId);
    const { rsvpId } = await rsvp(activityId, 1, 'Amal');
    for (const stranger of [outsider, null]) {
      await expect(listAttendees(db, stranger, activityId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(setCheckedIn(db, stranger, rsvpId, true, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(setNoShow(db, stranger, rsvpId, true, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(addWalkIn(db, stranger, activityId, { name: 'X', partySize: 1 }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(promoteManually(db, stranger, rsvpId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(exportAttendeesCsv(db, stranger, activityId, LABELS)).rejects.toBeInstanceOf(NotFoundError);
    }
    const list = await listAttendees(db, organiser, activityId);
    expect(list.going.map((a) => [a.name, a.checkedIn])).toEqual([['Amal', false]]);
  });
});

describe('at the door', () => {
  it('checks in and out, marks no-shows, and counts the people who are here', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 10 });
    const family = await rsvp(activityId, 3, 'Familie Haddad', 'Kinderwagen');
    const single = await rsvp(activityId, 1, 'Olena');
    await setCheckedIn(db, organiser, family.rsvpId, true, NOW);
    await setNoShow(db, organiser, single.rsvpId, true, NOW);
    let list = await listAttendees(db, organiser, activityId);
    expect(list.checkedInPeople).toBe(3);
    expect(list.going.find((a) => a.name === 'Olena')).toMatchObject({ noShow: true, checkedIn: false });
    // Olena arrives late after all: checking in clears the no-show mark.
    await setCheckedIn(db, organiser, single.rsvpId, true, NOW);
    await setCheckedIn(db, organiser, family.rsvpId, false, NOW);
    list = await listAttendees(db, organiser, activityId);
    expect(list.going.find((a) => a.name === 'Olena')).toMatchObject({ noShow: false, checkedIn: true });
    expect(list.checkedInPeople).toBe(1);
  });

  it('adds walk-ins, checked in, but never beyond the capacity', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 3 });
    await rsvp(activityId, 2);
    expect(await addWalkIn(db, organiser, activityId, { name: 'Herr Demir', partySize: 2 }, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 1 } });
    expect(await addWalkIn(db, organiser, activityId, { name: 'Herr Demir', partySize: 1 }, NOW)).toEqual({ ok: true });
    const list = await listAttendees(db, organiser, activityId);
    expect(list.going.find((a) => a.walkIn)).toMatchObject({ name: 'Herr Demir', partySize: 1, checkedIn: true });
    expect(list.seatsTaken).toBe(3);
  });

  it('lets a waiting party in only into seats that are free or held by no-shows, and tells them', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 2 });
    const absent = await rsvp(activityId, 2, 'Abwesend');
    const waiting = await rsvp(activityId, 2, 'Wartend');
    expect(await promoteManually(db, organiser, waiting.rsvpId, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 0 } });
    await setNoShow(db, organiser, absent.rsvpId, true, NOW);
    expect(await promoteManually(db, organiser, waiting.rsvpId, CONTEXT, NOW)).toEqual({ ok: true });
    const list = await listAttendees(db, organiser, activityId);
    expect(list.waitlist).toEqual([]);
    const { user_id } = await db.selectFrom('rsvp').select('user_id').where('id', '=', waiting.rsvpId).executeTakeFirstOrThrow();
    const mail = await db.selectFrom('outbox').select('kind').where('kind', '=', 'rsvp_promoted').where('recipient_user_id', '=', user_id).execute();
    expect(mail).toHaveLength(1);
  });
});

describe('the CSV', () => {
  it('follows RFC 4180 with a BOM and neutralises formulas', () => {
    expect(toCsv([['Name', 'Nachricht'], ['Jürgen "Jo"', 'a,b\nc'], ['=HYPERLINK("x")', '+49 123'], ['سمير', '@home'], ['-1', '\tTab']])).toBe(
      '\uFEFFName,Nachricht\r\n"Jürgen ""Jo""","a,b\nc"\r\n"\'=HYPERLINK(""x"")",\'+49 123\r\nسمير,\'@home\r\n\'-1,\'\tTab\r\n',
    );
  });

  it('lists going parties and then the waitlist in order, and leaves an audit row', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 1, title: 'Café Ü' });
    await rsvp(activityId, 1, 'Zora', '=1+1');
    await rsvp(activityId, 1, 'Ali');
    const { filename, csv } = await exportAttendeesCsv(db, organiser, activityId, LABELS);
    expect(filename).toBe(`cafe-u-${activityId}.csv`);
    expect(csv.split('\r\n').slice(0, 3)).toEqual(['\uFEFFName,Personen,Status,Platz,Da,Nicht gekommen,Nachricht', "Zora,1,Angemeldet,,nein,nein,'=1+1", 'Ali,1,Warteliste,1,nein,nein,']);
    const audit = await db.selectFrom('audit_event').select('actor_user_id').where('action', '=', 'attendees.exported').where('object_id', '=', String(activityId)).execute();
    expect(audit).toEqual([{ actor_user_id: organiser.id }]);
  });
});

describe('attendance per month', () => {
  it('counts checked-in people by month in the town and by category, for members only', async () => {
    const { attendanceByMonth } = await import('../../src/features/attendance/attendance.service.ts');
    const org = await makeOrganisation(db);
    await db.insertInto('membership').values({ organisation_id: org, user_id: organiser.id, role: 'coordinator' }).execute();
    // 00:30 on 1 April in Berlin is still 31 March in UTC: it belongs to April.
    const april = await makeActivity(db, org, { startsAt: new Date('2030-03-31T22:30:00Z'), extra: { category: 'sports' } });
    const march = await makeActivity(db, org, { startsAt: new Date('2030-03-10T17:00:00Z'), extra: { category: 'language' } });
    const booking = new Date('2030-03-01T10:00:00Z');
    for (const [activityId, party] of [[april, 3], [march, 2], [march, 1]] as const) {
      const person = await makePerson(db);
      const result = await createRsvp(db, person, { activityId, partySize: party, note: '' }, CONTEXT, booking);
      if (!result.ok) throw new Error('refused');
      if (party !== 1) await setCheckedIn(db, organiser, result.rsvpId, true, booking);
    }
    const months = await attendanceByMonth(db, organiser, org, 'Europe/Berlin', new Date('2030-04-15T12:00:00Z'));
    expect(months).toHaveLength(12);
    expect(months[0]!.month).toBe('2029-05');
    expect(months.at(-1)).toEqual({ month: '2030-04', total: 3, byCategory: { sports: 3 } });
    expect(months.at(-2)).toEqual({ month: '2030-03', total: 2, byCategory: { language: 2 } });
    await expect(attendanceByMonth(db, outsider, org, 'Europe/Berlin')).rejects.toBeInstanceOf(NotFoundError);
  });
});
