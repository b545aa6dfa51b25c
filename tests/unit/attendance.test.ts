// The door: explicit states (expected, checked in n of m, no-show), walk-ins within the
// capacity, manual promote into seats of no-shows, one way of counting people for the
// counters, the CSV and the monthly chart, and a CSV that Excel opens correctly and that runs
// no formula.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { countDoor, planDoorChange, type DoorFacts } from '../../src/features/attendance/attendance.counting.ts';
import { addWalkIn, attendanceByMonth, csvLabels, exportAttendeesCsv, listAttendees, promoteManually, recordAtTheDoor, toCsv } from '../../src/features/attendance/attendance.service.ts';
import { cancelRsvp, changePartySize, createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { translator } from '../../src/i18n/index.ts';
import { createTestDatabase, serverUrl } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';

const CONTEXT = { baseUrl: 'https://ankommen.example' };
const NOW = new Date('2030-05-20T10:00:00Z');
/** The CSV's words, in German. */
const LABELS = csvLabels(translator('de'), 'Europe/Berlin');

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
      for (const to of ['checkedIn', 'noShow', 'expected'] as const) {
        await expect(recordAtTheDoor(db, stranger, { rsvpId, to }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      }
      await expect(addWalkIn(db, stranger, activityId, { name: 'X', partySize: 1 }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(promoteManually(db, stranger, rsvpId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(exportAttendeesCsv(db, stranger, activityId, LABELS)).rejects.toBeInstanceOf(NotFoundError);
    }
    const list = await listAttendees(db, organiser, activityId);
    expect(list.going.map((a) => [a.name, a.state])).toEqual([['Amal', 'expected']]);
    expect((await db.selectFrom('rsvp').select(['checked_in_at', 'no_show']).where('id', '=', rsvpId).executeTakeFirstOrThrow())).toEqual({ checked_in_at: null, no_show: false });
  });

  it('is not found for an id that does not exist or a party on the waitlist', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 1 });
    await rsvp(activityId, 1);
    const { rsvpId: waiting } = await rsvp(activityId, 1);
    await expect(recordAtTheDoor(db, organiser, { rsvpId: waiting, to: 'checkedIn' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordAtTheDoor(db, organiser, { rsvpId: 2_000_000, to: 'checkedIn' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("the door's rules", () => {
  const party = (over: Partial<DoorFacts> = {}): DoorFacts => ({ partySize: 3, arrived: null, noShow: false, walkIn: false, ...over });

  it('moves between expected, checked in (n of m) and no-show, never silently from one to another', () => {
    expect(planDoorChange(party(), 'checkedIn')).toEqual({ kind: 'set', arrived: 3, noShow: false });
    expect(planDoorChange(party(), 'checkedIn', 2)).toEqual({ kind: 'set', arrived: 2, noShow: false });
    expect(planDoorChange(party({ arrived: 2 }), 'checkedIn', 3)).toEqual({ kind: 'set', arrived: 3, noShow: false });
    expect(planDoorChange(party({ arrived: 2 }), 'checkedIn', 2)).toEqual({ kind: 'unchanged' });
    expect(planDoorChange(party({ arrived: 3 }), 'expected')).toEqual({ kind: 'set', arrived: null, noShow: false });
    expect(planDoorChange(party(), 'noShow')).toEqual({ kind: 'set', arrived: null, noShow: true });
    expect(planDoorChange(party({ noShow: true }), 'noShow')).toEqual({ kind: 'unchanged' });
    expect(planDoorChange(party({ noShow: true }), 'expected')).toEqual({ kind: 'set', arrived: null, noShow: false });
    // Late after all: checking in a no-show clears the mark.
    expect(planDoorChange(party({ noShow: true }), 'checkedIn')).toEqual({ kind: 'set', arrived: 3, noShow: false });
    // A no-show never undoes a check-in.
    expect(planDoorChange(party({ arrived: 3 }), 'noShow')).toEqual({ kind: 'refused', reason: 'door.error.checkedInAlready' });
    expect(planDoorChange(party(), 'checkedIn', 4)).toEqual({ kind: 'refused', reason: 'door.error.moreThanParty' });
  });

  it('keeps walk-ins checked in: never a no-show, and undoing takes them off the list', () => {
    const walkIn = party({ walkIn: true, arrived: 3 });
    expect(planDoorChange(walkIn, 'noShow')).toEqual({ kind: 'refused', reason: 'door.error.walkInNoShow' });
    expect(planDoorChange(walkIn, 'expected')).toEqual({ kind: 'remove' });
    expect(planDoorChange(walkIn, 'checkedIn', 1)).toEqual({ kind: 'unchanged' });
  });

  it('counts people, with a partial party counted by those who came', () => {
    expect(countDoor([party({ arrived: 2 }), party({ noShow: true, partySize: 2 }), party({ partySize: 1 }), party({ walkIn: true, arrived: 4, partySize: 4 })])).toEqual({
      registered: 10,
      here: 6,
      expected: 1,
      away: 3,
    });
    expect(countDoor([])).toEqual({ registered: 0, here: 0, expected: 0, away: 0 });
  });
});

describe('at the door', () => {
  it('checks in, records a partial party, marks no-shows and counts the people who are here', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 10 });
    const family = await rsvp(activityId, 3, 'Familie Haddad', 'Kinderwagen');
    const single = await rsvp(activityId, 1, 'Olena');
    let change = await recordAtTheDoor(db, organiser, { rsvpId: family.rsvpId, to: 'checkedIn', arrived: 2 }, NOW);
    expect(change).toEqual({
      ok: true,
      row: { rsvpId: family.rsvpId, name: 'Familie Haddad', anonymous: false, walkIn: false, partySize: 3, note: 'Kinderwagen', state: 'checkedIn', arrived: 2, confirmedAt: null },
      counts: { registered: 4, here: 2, expected: 1, away: 1 },
    });
    change = await recordAtTheDoor(db, organiser, { rsvpId: single.rsvpId, to: 'noShow' }, NOW);
    expect(change).toMatchObject({ ok: true, row: { state: 'noShow', arrived: null }, counts: { here: 2, expected: 0, away: 2 } });
    let list = await listAttendees(db, organiser, activityId);
    expect(list.counts).toEqual({ registered: 4, here: 2, expected: 0, away: 2 });
    expect(list.going.map((a) => [a.name, a.state, a.arrived])).toEqual([['Familie Haddad', 'checkedIn', 2], ['Olena', 'noShow', null]]);
    // The third of the family comes after all; Olena arrives late.
    await recordAtTheDoor(db, organiser, { rsvpId: family.rsvpId, to: 'checkedIn', arrived: 3 }, NOW);
    await recordAtTheDoor(db, organiser, { rsvpId: single.rsvpId, to: 'checkedIn' }, NOW);
    list = await listAttendees(db, organiser, activityId);
    expect(list.counts).toEqual({ registered: 4, here: 4, expected: 0, away: 0 });
    // Undo puts the family back to expected.
    change = await recordAtTheDoor(db, organiser, { rsvpId: family.rsvpId, to: 'expected' }, NOW);
    expect(change).toMatchObject({ ok: true, row: { state: 'expected', arrived: null }, counts: { here: 1, expected: 3 } });
  });

  it('refuses a no-show for a party that is checked in, and keeps the check-in', async () => {
    const activityId = await makeActivity(db, organisationId);
    const { rsvpId } = await rsvp(activityId, 2, 'Amal');
    await recordAtTheDoor(db, organiser, { rsvpId, to: 'checkedIn' }, NOW);
    const refused = await recordAtTheDoor(db, organiser, { rsvpId, to: 'noShow' }, NOW);
    expect(refused).toEqual({
      ok: false,
      refusal: { key: 'door.error.checkedInAlready', count: 2, params: { name: 'Amal' } },
      row: expect.objectContaining({ state: 'checkedIn', arrived: 2 }),
      counts: { registered: 2, here: 2, expected: 0, away: 0 },
    });
    expect(await db.selectFrom('rsvp').select(['checked_in_count', 'no_show']).where('id', '=', rsvpId).executeTakeFirstOrThrow()).toEqual({ checked_in_count: 2, no_show: false });
  });

  it('asks for the state a party is already in without changing it (two organisers at the door)', async () => {
    const activityId = await makeActivity(db, organisationId);
    const { rsvpId } = await rsvp(activityId, 1);
    const early = new Date(NOW.getTime() - 60_000);
    await recordAtTheDoor(db, organiser, { rsvpId, to: 'checkedIn' }, early);
    expect(await recordAtTheDoor(db, organiser, { rsvpId, to: 'checkedIn' }, NOW)).toMatchObject({ ok: true, row: { state: 'checkedIn', arrived: 1 } });
    const row = await db.selectFrom('rsvp').select('checked_in_at').where('id', '=', rsvpId).executeTakeFirstOrThrow();
    expect(row.checked_in_at).toEqual(early);
  });

  it('refuses more arrivals than the party has', async () => {
    const activityId = await makeActivity(db, organisationId);
    const { rsvpId } = await rsvp(activityId, 2);
    expect(await recordAtTheDoor(db, organiser, { rsvpId, to: 'checkedIn', arrived: 3 }, NOW)).toMatchObject({ ok: false, refusal: { key: 'door.error.moreThanParty', count: 2 }, row: { state: 'expected' } });
  });

  it('adds walk-ins, checked in, but never beyond the capacity; they cannot be no-shows and undo removes them', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 3 });
    await rsvp(activityId, 2);
    expect(await addWalkIn(db, organiser, activityId, { name: 'Herr Demir', partySize: 2 }, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 1 } });
    const added = await addWalkIn(db, organiser, activityId, { name: 'Herr Demir', partySize: 1 }, NOW);
    expect(added).toEqual({ ok: true, rsvpId: expect.any(Number) });
    if (!added.ok) throw new Error('refused');
    let list = await listAttendees(db, organiser, activityId);
    expect(list.going.find((a) => a.walkIn)).toMatchObject({ name: 'Herr Demir', partySize: 1, state: 'checkedIn', arrived: 1 });
    expect(list.counts.registered).toBe(3);
    expect(await recordAtTheDoor(db, organiser, { rsvpId: added.rsvpId, to: 'noShow' }, NOW)).toMatchObject({ ok: false, refusal: { key: 'door.error.walkInNoShow' }, row: { state: 'checkedIn' } });
    expect(await recordAtTheDoor(db, organiser, { rsvpId: added.rsvpId, to: 'expected' }, NOW)).toEqual({ ok: true, row: null, counts: { registered: 2, here: 0, expected: 2, away: 0 } });
    list = await listAttendees(db, organiser, activityId);
    expect(list.going.some((a) => a.walkIn)).toBe(false);
    // The database itself keeps the states apart.
    await expect(db.updateTable('rsvp').set({ no_show: true }).where('id', '=', list.going[0]!.rsvpId).where('status', '=', 'going').execute().then(() =>
      db.updateTable('rsvp').set({ checked_in_at: NOW, checked_in_count: 1 }).where('id', '=', list.going[0]!.rsvpId).execute(),
    )).rejects.toThrow();
  });

  it('gives the seats of no-shows and of missing party members at the door, and refuses a no-show back once they are taken', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 4 });
    const absent = await rsvp(activityId, 1, 'Abwesend');
    const family = await rsvp(activityId, 3, 'Familie');
    await recordAtTheDoor(db, organiser, { rsvpId: absent.rsvpId, to: 'noShow' }, NOW);
    await recordAtTheDoor(db, organiser, { rsvpId: family.rsvpId, to: 'checkedIn', arrived: 2 }, NOW);
    // Two seats are free at the door now: one no-show, one of the family.
    expect(await addWalkIn(db, organiser, activityId, { name: 'Frau Nowak', partySize: 3 }, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 2 } });
    expect(await addWalkIn(db, organiser, activityId, { name: 'Frau Nowak', partySize: 2 }, NOW)).toMatchObject({ ok: true });
    // Whoever comes now finds the room full.
    expect(await recordAtTheDoor(db, organiser, { rsvpId: absent.rsvpId, to: 'checkedIn' }, NOW)).toMatchObject({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 0 }, row: { state: 'noShow' } });
    expect(await recordAtTheDoor(db, organiser, { rsvpId: family.rsvpId, to: 'checkedIn', arrived: 3 }, NOW)).toMatchObject({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 0 }, row: { arrived: 2 } });
    // Fewer is always possible.
    expect(await recordAtTheDoor(db, organiser, { rsvpId: family.rsvpId, to: 'checkedIn', arrived: 1 }, NOW)).toMatchObject({ ok: true, row: { arrived: 1 } });
  });

  it('keeps the count of a checked-in party within its size when the party shrinks', async () => {
    const activityId = await makeActivity(db, organisationId);
    const person = await makePerson(db);
    const created = await createRsvp(db, person, { activityId, partySize: 3, note: '' }, CONTEXT, NOW);
    if (!created.ok) throw new Error('refused');
    await recordAtTheDoor(db, organiser, { rsvpId: created.rsvpId, to: 'checkedIn' }, NOW);
    expect(await changePartySize(db, person, { rsvpId: created.rsvpId, partySize: 2 }, CONTEXT, NOW)).toMatchObject({ ok: true });
    const list = await listAttendees(db, organiser, activityId);
    expect(list.going[0]).toMatchObject({ partySize: 2, state: 'checkedIn', arrived: 2 });
  });

  it('lets a waiting party in only into seats that are free or held by no-shows, and tells them', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 2 });
    const absent = await rsvp(activityId, 2, 'Abwesend');
    const waiting = await rsvp(activityId, 2, 'Wartend');
    expect(await promoteManually(db, organiser, waiting.rsvpId, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.noRoomForMore', count: 0 } });
    await recordAtTheDoor(db, organiser, { rsvpId: absent.rsvpId, to: 'noShow' }, NOW);
    expect(await promoteManually(db, organiser, waiting.rsvpId, CONTEXT, NOW)).toEqual({ ok: true, rsvpId: waiting.rsvpId });
    const list = await listAttendees(db, organiser, activityId);
    expect(list.waitlist).toEqual([]);
    const { user_id } = await db.selectFrom('rsvp').select('user_id').where('id', '=', waiting.rsvpId).executeTakeFirstOrThrow();
    const mail = await db.selectFrom('outbox').select('kind').where('kind', '=', 'rsvp_promoted').where('recipient_user_id', '=', user_id).execute();
    expect(mail).toHaveLength(1);
  });
});

describe('a party that cancels while the organiser taps', () => {
  const promotedMails = async (userId: number) =>
    (await db.selectFrom('outbox').select('id').where('kind', '=', 'rsvp_promoted').where('recipient_user_id', '=', userId).execute()).length;

  it('is never promoted nor checked in by a list that still shows it', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 1 });
    const [coming, waiting] = [await makePerson(db), await makePerson(db)];
    const going = await createRsvp(db, coming, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    const queued = await createRsvp(db, waiting, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    if (!going.ok || !queued.ok) throw new Error('refused');
    await recordAtTheDoor(db, organiser, { rsvpId: going.rsvpId, to: 'noShow' }, NOW);
    // Both cancel; the organiser's page still shows them and the organiser taps.
    await cancelRsvp(db, waiting, queued.rsvpId, CONTEXT, NOW);
    await cancelRsvp(db, coming, going.rsvpId, CONTEXT, NOW);
    await expect(promoteManually(db, organiser, queued.rsvpId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordAtTheDoor(db, organiser, { rsvpId: going.rsvpId, to: 'checkedIn' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const rows = await db.selectFrom('rsvp').select(['status', 'checked_in_count']).where('id', 'in', [going.rsvpId, queued.rsvpId]).orderBy('id').execute();
    expect(rows).toEqual([{ status: 'cancelled', checked_in_count: null }, { status: 'cancelled', checked_in_count: null }]);
    expect(await promotedMails(waiting.id)).toBe(0);
  });

  // On the embedded database one transaction runs at a time, so only a server can cancel between
  // the door's first read and its lock.
  it.skipIf(!serverUrl)('is never promoted nor checked in when it cancels between the read and the lock (PostgreSQL server)', async () => {
    /** Runs `tap` while another transaction holds the activity's lock, cancels the RSVP there once `tap` waits for the lock, then lets `tap` go on. */
    async function cancelWhileTapping(activityId: number, rsvpId: number, tap: () => Promise<unknown>): Promise<unknown> {
      const holder = await db.startTransaction().execute();
      await holder.selectFrom('activity').select('id').where('id', '=', activityId).forUpdate().execute();
      const tapped = tap().then(() => 'done', (error: unknown) => error);
      for (let waited = 0; ; waited += 20) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        if (rows[0]!.n > 0) break;
        if (waited > 10_000) throw new Error('the tap never waited for the lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await holder.updateTable('rsvp').set({ status: 'cancelled', updated_at: NOW }).where('id', '=', rsvpId).execute();
      await holder.commit().execute();
      return tapped;
    }
    const activityId = await makeActivity(db, organisationId, { capacity: 1 });
    const [coming, waiting] = [await makePerson(db), await makePerson(db)];
    const going = await createRsvp(db, coming, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    const queued = await createRsvp(db, waiting, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    if (!going.ok || !queued.ok) throw new Error('refused');
    await recordAtTheDoor(db, organiser, { rsvpId: going.rsvpId, to: 'noShow' }, NOW);
    expect(await cancelWhileTapping(activityId, queued.rsvpId, () => promoteManually(db, organiser, queued.rsvpId, CONTEXT, NOW))).toBeInstanceOf(NotFoundError);
    expect(await cancelWhileTapping(activityId, going.rsvpId, () => recordAtTheDoor(db, organiser, { rsvpId: going.rsvpId, to: 'checkedIn' }, NOW))).toBeInstanceOf(NotFoundError);
    const rows = await db.selectFrom('rsvp').select(['status', 'checked_in_count']).where('id', 'in', [going.rsvpId, queued.rsvpId]).orderBy('id').execute();
    expect(rows).toEqual([{ status: 'cancelled', checked_in_count: null }, { status: 'cancelled', checked_in_count: null }]);
    expect(await promotedMails(waiting.id)).toBe(0);
  });
});

describe('the CSV', () => {
  it('follows RFC 4180 with a BOM and neutralises formulas', () => {
    expect(toCsv([['Name', 'Nachricht'], ['Jürgen "Jo"', 'a,b\nc'], ['=HYPERLINK("x")', '+49 123'], ['سمير', '@home'], ['-1', '\tTab']])).toBe(
      '\uFEFFName,Nachricht\r\n"Jürgen ""Jo""","a,b\nc"\r\n"\'=HYPERLINK(""x"")",\'+49 123\r\nسمير,\'@home\r\n\'-1,\'\tTab\r\n',
    );
  });

  it('lists going parties with their state and the people who came, then the waitlist in order, and leaves an audit row', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 5, title: 'Café Ü' });
    const zora = await rsvp(activityId, 1, 'Zora', '=1+1');
    const haddad = await rsvp(activityId, 3, 'Haddad');
    const olena = await rsvp(activityId, 1, 'Olena');
    await rsvp(activityId, 2, 'Ali');
    await rsvp(activityId, 1, 'Ben');
    await recordAtTheDoor(db, organiser, { rsvpId: haddad.rsvpId, to: 'checkedIn', arrived: 2 }, NOW);
    await recordAtTheDoor(db, organiser, { rsvpId: olena.rsvpId, to: 'noShow' }, NOW);
    await addWalkIn(db, organiser, activityId, { name: 'Demir', partySize: 2 }, NOW);
    // Haddad answered "I'm coming" to the reminder: the CSV says when, in the town's time.
    await db.updateTable('rsvp').set({ confirmed_at: NOW }).where('id', '=', haddad.rsvpId).execute();
    void zora;
    const { filename, csv } = await exportAttendeesCsv(db, organiser, activityId, LABELS);
    expect(filename).toBe(`cafe-u-${activityId}.csv`);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFName,Personen,Status,Wartelistenplatz,Zugesagt am,Einlass,Eingecheckte Personen,Nachricht',
      'Demir,2,Ohne Anmeldung,,,Eingecheckt,2,',
      'Haddad,3,Angemeldet,,"20. Mai, 12:00",Eingecheckt,2,',
      'Olena,1,Angemeldet,,,Nicht gekommen,0,',
      "Zora,1,Angemeldet,,,Erwartet,0,'=1+1",
      'Ali,2,Warteliste,1,,,,',
      'Ben,1,Warteliste,2,,,,',
      '',
    ]);
    // The column adds up to the door's counter.
    const list = await listAttendees(db, organiser, activityId);
    expect(list.counts.here).toBe(4);
    const audit = await db.selectFrom('audit_event').select('actor_user_id').where('action', '=', 'attendees.exported').where('object_id', '=', String(activityId)).execute();
    expect(audit).toEqual([{ actor_user_id: organiser.id }]);
  });
});

describe('attendance per month', () => {
  it('counts checked-in people by month in the town and by category, for members only', async () => {
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
      if (party !== 1) await recordAtTheDoor(db, organiser, { rsvpId: result.rsvpId, to: 'checkedIn' }, booking);
    }
    const months = await attendanceByMonth(db, organiser, org, 'Europe/Berlin', new Date('2030-04-15T12:00:00Z'));
    expect(months).toHaveLength(12);
    expect(months[0]!.month).toBe('2029-05');
    expect(months.at(-1)).toEqual({ month: '2030-04', total: 3, byCategory: { sports: 3 } });
    expect(months.at(-2)).toEqual({ month: '2030-03', total: 2, byCategory: { language: 2 } });
    await expect(attendanceByMonth(db, outsider, org, 'Europe/Berlin')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("counts today's check-ins in this month, also for an activity that starts later today", async () => {
    const org = await makeOrganisation(db);
    await db.insertInto('membership').values({ organisation_id: org, user_id: organiser.id, role: 'organiser' }).execute();
    const now = new Date('2030-05-20T15:30:00Z');
    // 19:00 in Berlin today; the family arrives early and is checked in at 17:30.
    const tonight = await makeActivity(db, org, { startsAt: new Date('2030-05-20T17:00:00Z'), extra: { category: 'culture' } });
    const person = await makePerson(db);
    const result = await createRsvp(db, person, { activityId: tonight, partySize: 4, note: '' }, CONTEXT, new Date('2030-05-01T10:00:00Z'));
    if (!result.ok) throw new Error('refused');
    await recordAtTheDoor(db, organiser, { rsvpId: result.rsvpId, to: 'checkedIn' }, now);
    const months = await attendanceByMonth(db, organiser, org, 'Europe/Berlin', now);
    expect(months.at(-1)).toEqual({ month: '2030-05', total: 4, byCategory: { culture: 4 } });
  });

  it('counts as the door does: those of a party who came, walk-ins, nobody of a no-show, nothing of next month', async () => {
    const org = await makeOrganisation(db);
    await db.insertInto('membership').values({ organisation_id: org, user_id: organiser.id, role: 'organiser' }).execute();
    const now = new Date('2030-05-20T15:30:00Z');
    const today = await makeActivity(db, org, { startsAt: new Date('2030-05-20T10:00:00Z'), capacity: null });
    const nextMonth = await makeActivity(db, org, { startsAt: new Date('2030-06-02T10:00:00Z'), capacity: null });
    const booking = new Date('2030-05-01T10:00:00Z');
    const book = async (activityId: number, partySize: number) => {
      const result = await createRsvp(db, await makePerson(db), { activityId, partySize, note: '' }, CONTEXT, booking);
      if (!result.ok) throw new Error('refused');
      return result.rsvpId;
    };
    await recordAtTheDoor(db, organiser, { rsvpId: await book(today, 3), to: 'checkedIn', arrived: 2 }, now);
    await recordAtTheDoor(db, organiser, { rsvpId: await book(today, 2), to: 'noShow' }, now);
    await book(today, 5);
    await addWalkIn(db, organiser, today, { name: 'Demir', partySize: 2 }, now);
    await recordAtTheDoor(db, organiser, { rsvpId: await book(nextMonth, 4), to: 'checkedIn' }, now);
    const months = await attendanceByMonth(db, organiser, org, 'Europe/Berlin', now);
    const list = await listAttendees(db, organiser, today);
    expect(list.counts.here).toBe(4);
    expect(months.at(-1)).toEqual({ month: '2030-05', total: list.counts.here, byCategory: { language: 4 } });
  });
});
