// The keepers' side of volunteer hours: a month's entries of one scope (in the town's months,
// whatever zone the tests run in), confirming one, the ticked ones and all pending ones of a
// month in one transaction — never another organisation's or another month's entries, and
// nothing half-saved when an id is foreign — taking a confirmation back, removing, adding by
// hand for several people (bad input saves nothing), and the deployment list's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { decimalHours, deploymentRows, exportDeploymentList } from '../../src/features/hours/deployment-list.ts';
import { byHandInput, confirmInput, TOWN_SCOPE, type ByHandInput } from '../../src/features/hours/keeping.schema.ts';
import { addHoursByHand, confirmEntries, listEntriesOfMonth, loadKeepingMonth, removeEntry, requestedMonth, unconfirmEntry } from '../../src/features/hours/keeping.ts';
import { recordByHand, recordFromSource, type MonthKey } from '../../src/features/hours/ledger.ts';
import { formatDuration, formatMonth } from '../../src/i18n/format.ts';
import { translator } from '../../src/i18n/index.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeCoordinator, makeKuemmerer } from '../helpers/mentoring.ts';
import { makeOrganiser, makeRole, TOWN_ZONE } from '../helpers/volunteering.ts';

const NOW = new Date('2030-06-20T10:00:00Z');
const NOVEMBER = '2030-11' as MonthKey;

let handle: DatabaseHandle;
let db: Kysely<Database>;
let orgId: number;
let otherOrgId: number;
let slug: string;
let otherSlug: string;
let organiser: SessionUser;
let otherOrganiser: SessionUser;
let coordinator: SessionUser;
let outsider: SessionUser;
let volunteer: SessionUser;
let volunteer2: SessionUser;

/** An entry straight into the ledger (as a source or an organiser would make it). */
async function entry(userId: number, organisationId: number | null, startsAt: string, minutes = 120, description = 'Sortieren'): Promise<number> {
  return db.transaction().execute((trx) => recordByHand(trx, { userId, organisationId, startsAt: new Date(startsAt), minutes, description }, organiser.id, NOW));
}

function statusOf(id: number) {
  return db.selectFrom('volunteer_hours').select(['status', 'confirmed_at', 'confirmed_by']).where('id', '=', id).executeTakeFirst();
}

function byHand(overrides: Partial<ByHandInput> = {}): ByHandInput {
  return { scope: slug, month: '2030-06' as MonthKey, userIds: [volunteer.id, volunteer2.id], date: '2030-06-12', startTime: '09:30', hours: 3, minutes: 15, description: 'Schulung Erste Hilfe', place: 'Rathaus', activityId: undefined, ...overrides };
}

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  orgId = await makeOrganisation(db);
  otherOrgId = await makeOrganisation(db);
  const orgs = await db.selectFrom('organisation').select(['id', 'slug']).execute();
  slug = orgs.find((o) => o.id === orgId)!.slug;
  otherSlug = orgs.find((o) => o.id === otherOrgId)!.slug;
  organiser = await makeOrganiser(db, orgId);
  otherOrganiser = await makeOrganiser(db, otherOrgId, 'Otto Other');
  coordinator = await makeCoordinator(db);
  outsider = await makePerson(db, { name: 'Nora Nobody' });
  volunteer = await makePerson(db, { name: 'Vera Volunteer' });
  volunteer2 = await makePerson(db, { name: 'سمير حداد' });
  // Vera signed up for a shift of the organisation: she is one of its known volunteers.
  const activityId = await makeActivity(db, orgId, { startsAt: new Date('2030-06-10T16:00:00Z') });
  const roleId = await makeRole(db, organiser, activityId);
  await db.insertInto('volunteer_signup').values({ role_id: roleId, user_id: volunteer.id, status: 'active' }).execute();
  // Samir has hours of it already.
  await entry(volunteer2.id, orgId, '2030-05-03T08:00:00Z', 60);
});
afterAll(() => handle?.close());

describe('the month of a scope', () => {
  it('takes the town’s month in Europe/Berlin, whatever zone the server runs in', async () => {
    expect(process.env.TZ).toBe('Pacific/Auckland');
    // 30 Nov 23:30 in Berlin is 22:30 UTC: November. 1 Dec 00:30 in Berlin is 30 Nov 23:30 UTC: December.
    const lastOfNovember = await entry(volunteer.id, orgId, '2030-11-30T22:30:00Z');
    const firstOfDecember = await entry(volunteer.id, orgId, '2030-11-30T23:30:00Z');
    // 1 Nov 00:10 in Berlin is 31 Oct 23:10 UTC.
    const firstOfNovember = await entry(volunteer.id, orgId, '2030-10-31T23:10:00Z');
    const november = (await listEntriesOfMonth(db, { kind: 'organisation', organisationId: orgId, slug, name: '' }, NOVEMBER, TOWN_ZONE)).map((e) => e.id);
    expect(november).toEqual([firstOfNovember, lastOfNovember]);
    const december = (await listEntriesOfMonth(db, { kind: 'organisation', organisationId: orgId, slug, name: '' }, '2030-12' as MonthKey, TOWN_ZONE)).map((e) => e.id);
    expect(december).toEqual([firstOfDecember]);
    expect(requestedMonth(null, TOWN_ZONE, new Date('2030-11-30T23:30:00Z'))).toBe('2030-12');
    expect(requestedMonth('2030-13', TOWN_ZONE, NOW)).toBe('2030-06');
    expect(requestedMonth('2030-02', TOWN_ZONE, NOW)).toBe('2030-02');
  });

  it('groups by person with totals, shows only its own scope, and 404s for anyone who does not keep it', async () => {
    await entry(volunteer.id, otherOrgId, '2030-11-10T09:00:00Z', 45, 'Bei den anderen');
    await entry(volunteer.id, null, '2030-11-11T09:00:00Z', 30, 'Stadt');
    const view = await loadKeepingMonth(db, organiser, slug, NOVEMBER, TOWN_ZONE, 'de');
    expect(view.previous).toBe('2030-10');
    expect(view.next).toBe('2030-12');
    expect(view.people.map((p) => p.name)).toEqual(['Vera Volunteer']);
    expect(view.people[0]!.entries.map((e) => e.description)).toEqual(['Sortieren', 'Sortieren']);
    expect(view.totalMinutes).toBe(240);
    expect(view.pendingCount).toBe(2);
    expect(view.volunteers.map((v) => v.name).sort()).toEqual(['Vera Volunteer', 'سمير حداد'].sort());
    await expect(loadKeepingMonth(db, outsider, slug, NOVEMBER, TOWN_ZONE, 'de')).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadKeepingMonth(db, otherOrganiser, slug, NOVEMBER, TOWN_ZONE, 'de')).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadKeepingMonth(db, null, slug, NOVEMBER, TOWN_ZONE, 'de')).rejects.toBeInstanceOf(NotFoundError);
    // The town's schemes: coordinators only.
    await expect(loadKeepingMonth(db, organiser, TOWN_SCOPE, NOVEMBER, TOWN_ZONE, 'de')).rejects.toBeInstanceOf(NotFoundError);
    const town = await loadKeepingMonth(db, coordinator, TOWN_SCOPE, NOVEMBER, TOWN_ZONE, 'de');
    expect(town.people.flatMap((p) => p.entries.map((e) => e.description))).toEqual(['Stadt']);
  });
});

describe('confirming', () => {
  it('confirms one entry, then the ticked ones, and leaves another organisation’s entries untouched', async () => {
    const a = await entry(volunteer.id, orgId, '2030-09-02T08:00:00Z');
    const b = await entry(volunteer.id, orgId, '2030-09-03T08:00:00Z');
    const c = await entry(volunteer2.id, orgId, '2030-09-04T08:00:00Z');
    const foreign = await entry(volunteer.id, otherOrgId, '2030-09-05T08:00:00Z');

    const one = await confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-09', only: String(a), entryIds: [String(b)] }), TOWN_ZONE, NOW);
    expect(one).toEqual({ ok: true, confirmed: 1 });
    expect(await statusOf(a)).toEqual({ status: 'confirmed', confirmed_at: NOW, confirmed_by: organiser.id });
    expect((await statusOf(b))!.status).toBe('pending');

    // The ticked ones; one of them was confirmed a moment ago by someone else: left as it is.
    const ticked = await confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-09', entryIds: [String(a), String(b), String(c)] }), TOWN_ZONE, new Date(NOW.getTime() + 60_000));
    expect(ticked).toEqual({ ok: true, confirmed: 2 });
    expect((await statusOf(a))!.confirmed_at).toEqual(NOW);
    expect((await statusOf(c))!.status).toBe('confirmed');
    expect((await statusOf(foreign))!.status).toBe('pending');
  });

  it('refuses the whole post when one id is another organisation’s or another month’s: nothing half-saved', async () => {
    const mine = await entry(volunteer.id, orgId, '2030-08-02T08:00:00Z');
    const foreign = await entry(volunteer.id, otherOrgId, '2030-08-03T08:00:00Z');
    const otherMonth = await entry(volunteer.id, orgId, '2030-07-03T08:00:00Z');
    for (const stranger of [foreign, otherMonth, 2_000_000]) {
      await expect(confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-08', entryIds: [String(mine), String(stranger)] }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
      expect((await statusOf(mine))!.status).toBe('pending');
    }
    expect((await statusOf(foreign))!.status).toBe('pending');
    expect((await statusOf(otherMonth))!.status).toBe('pending');
    // Nor can the other organisation's organiser confirm ours, nor anyone name ours in their scope.
    await expect(confirmEntries(db, otherOrganiser, confirmInput.parse({ scope: slug, month: '2030-08', only: String(mine) }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(confirmEntries(db, otherOrganiser, confirmInput.parse({ scope: otherSlug, month: '2030-08', only: String(mine) }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect((await statusOf(mine))!.status).toBe('pending');
  });

  it('confirms all pending entries of the month in one step, only if as many are pending as the button said', async () => {
    const ids = [await entry(volunteer.id, orgId, '2030-03-02T08:00:00Z'), await entry(volunteer2.id, orgId, '2030-03-31T21:30:00Z')];
    const april = await entry(volunteer.id, orgId, '2030-03-31T22:30:00Z'); // 1 April, 00:30 in Berlin
    const foreign = await entry(volunteer.id, otherOrgId, '2030-03-05T08:00:00Z');
    expect(await confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-03', allPending: '3' }), TOWN_ZONE, NOW)).toEqual({ ok: false, changed: 2 });
    for (const id of ids) expect((await statusOf(id))!.status).toBe('pending');
    expect(await confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-03', allPending: '2' }), TOWN_ZONE, NOW)).toEqual({ ok: true, confirmed: 2 });
    for (const id of ids) expect((await statusOf(id))!.status).toBe('confirmed');
    expect((await statusOf(april))!.status).toBe('pending');
    expect((await statusOf(foreign))!.status).toBe('pending');
  });

  it('refuses a post with nothing ticked, with a message for the list', () => {
    const parsed = confirmInput.safeParse({ scope: slug, month: '2030-03', entryIds: [] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['entryIds', 'hoursOrganise.error.noneSelected']]);
    expect(confirmInput.safeParse({ scope: slug, month: '2030-3', only: '1' }).success).toBe(false);
  });

  it('never lets a keeper confirm their own hours: another keeper does, and "all" leaves them out', async () => {
    const second = await makeOrganiser(db, orgId, 'Paula Partner');
    const own = await entry(organiser.id, orgId, '2030-10-07T08:00:00Z');
    const others = await entry(volunteer.id, orgId, '2030-10-08T08:00:00Z');
    // Named alone or among others: refused whole, nothing confirmed.
    await expect(confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-10', only: String(own) }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-10', entryIds: [String(own), String(others)] }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect((await statusOf(others))?.status).toBe('pending');
    // The page offers "all" for the one entry that is not the keeper's own, and says why.
    const view = await loadKeepingMonth(db, organiser, slug, '2030-10' as MonthKey, TOWN_ZONE, 'de');
    expect(view.pendingCount).toBe(2);
    expect(view.confirmableCount).toBe(1);
    expect(await confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-10', allPending: '1' }), TOWN_ZONE, NOW)).toEqual({ ok: true, confirmed: 1 });
    expect((await statusOf(own))?.status).toBe('pending');
    // The other organiser of the organisation confirms it.
    expect(await confirmEntries(db, second, confirmInput.parse({ scope: slug, month: '2030-10', only: String(own) }), TOWN_ZONE, NOW)).toEqual({ ok: true, confirmed: 1 });
    expect(await statusOf(own)).toMatchObject({ status: 'confirmed', confirmed_by: second.id });
  });

  it('lets coordinators confirm the town’s schemes, and nobody else', async () => {
    const town = await entry(volunteer.id, null, '2030-04-02T08:00:00Z');
    await expect(confirmEntries(db, organiser, confirmInput.parse({ scope: TOWN_SCOPE, month: '2030-04', only: String(town) }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    // An organisation's scope never reaches the town's entries.
    await expect(confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-04', only: String(town) }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await confirmEntries(db, coordinator, confirmInput.parse({ scope: TOWN_SCOPE, month: '2030-04', only: String(town) }), TOWN_ZONE, NOW)).toEqual({ ok: true, confirmed: 1 });
  });
});

describe('taking back and removing', () => {
  it('takes a confirmation back, and removes an entry (audited), only in scope', async () => {
    const id = await entry(volunteer.id, orgId, '2030-02-02T08:00:00Z');
    await confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-02', only: String(id) }), TOWN_ZONE, NOW);
    await unconfirmEntry(db, organiser, { scope: slug, month: '2030-02' as MonthKey, entryId: id }, TOWN_ZONE, NOW);
    expect(await statusOf(id)).toEqual({ status: 'pending', confirmed_at: null, confirmed_by: null });

    await expect(removeEntry(db, otherOrganiser, { scope: otherSlug, month: '2030-02' as MonthKey, entryId: id }, TOWN_ZONE)).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeEntry(db, organiser, { scope: slug, month: '2030-03' as MonthKey, entryId: id }, TOWN_ZONE)).rejects.toBeInstanceOf(NotFoundError);
    expect(await statusOf(id)).toBeDefined();
    await removeEntry(db, organiser, { scope: slug, month: '2030-02' as MonthKey, entryId: id }, TOWN_ZONE);
    expect(await statusOf(id)).toBeUndefined();
    const audit = await db.selectFrom('audit_event').select(['actor_user_id', 'object_id']).where('action', '=', 'hours.removed').execute();
    expect(audit).toEqual([{ actor_user_id: organiser.id, object_id: String(id) }]);
  });

  it('removes a confirmed entry made from a source too', async () => {
    const activityId = await makeActivity(db, orgId, { startsAt: new Date('2030-01-10T16:00:00Z') });
    const roleId = await makeRole(db, organiser, activityId, {}, new Date('2029-12-01T10:00:00Z'));
    const signup = await db.insertInto('volunteer_signup').values({ role_id: roleId, user_id: volunteer2.id, status: 'active' }).returning('id').executeTakeFirstOrThrow();
    const id = (await db.transaction().execute((trx) => recordFromSource(trx, { source: 'shift', signupId: signup.id }, { userId: volunteer2.id, organisationId: orgId, activityId, startsAt: new Date('2030-01-10T16:00:00Z'), minutes: 120, description: 'Sprachcafé – Aufbau' }, NOW)))!;
    await confirmEntries(db, organiser, confirmInput.parse({ scope: slug, month: '2030-01', only: String(id) }), TOWN_ZONE, NOW);
    await removeEntry(db, organiser, { scope: slug, month: '2030-01' as MonthKey, entryId: id }, TOWN_ZONE);
    expect(await statusOf(id)).toBeUndefined();
  });
});

describe('adding by hand', () => {
  it('adds the same pending hours for several people in one step, at the town’s wall-clock time', async () => {
    const result = await addHoursByHand(db, organiser, byHandInput.parse({ ...byHand(), userIds: [String(volunteer.id), String(volunteer2.id)], hours: '3', minutes: '15' }), TOWN_ZONE, NOW);
    expect(result).toEqual({ ok: true, added: 2, month: '2030-06' });
    const rows = await db.selectFrom('volunteer_hours').selectAll().where('description', '=', 'Schulung Erste Hilfe').orderBy('user_id').execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([volunteer.id, volunteer2.id].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ organisation_id: orgId, source: 'manual', minutes: 195, place: 'Rathaus', status: 'pending', created_by: organiser.id });
      // 09:30 summer time in Berlin is 07:30 UTC.
      expect(row.starts_at.toISOString()).toBe('2030-06-12T07:30:00.000Z');
    }
  });

  it('saves nothing when one person is no known volunteer, the activity is another organisation’s, or the date is wrong', async () => {
    const count = async () => Number((await db.selectFrom('volunteer_hours').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await expect(addHoursByHand(db, organiser, byHand({ userIds: [volunteer.id, outsider.id] }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const foreignActivity = await makeActivity(db, otherOrgId);
    await expect(addHoursByHand(db, organiser, byHand({ activityId: foreignActivity }), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(addHoursByHand(db, otherOrganiser, byHand(), TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await addHoursByHand(db, organiser, byHand({ date: '2030-02-30' }), TOWN_ZONE, NOW)).toEqual({ ok: false, fields: { date: 'hoursOrganise.error.date' } });
    expect(await addHoursByHand(db, organiser, byHand({ date: '2030-06-20', startTime: '12:30' }), TOWN_ZONE, NOW)).toEqual({ ok: false, fields: { date: 'hoursOrganise.error.future' } });
    expect(await count()).toBe(before);
  });

  it('refuses bad input next to the fields', () => {
    const parsed = byHandInput.safeParse({ scope: slug, month: '2030-06', date: '12.06.2030', startTime: '25:00', hours: '0', minutes: '0', description: 'x'.repeat(201), place: '' });
    expect(parsed.success).toBe(false);
    const fields = Object.fromEntries(parsed.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(fields).toEqual({ date: 'hoursOrganise.error.date', startTime: 'error.time.invalid', description: 'hoursOrganise.error.tooLong', userIds: 'hoursOrganise.error.people', hours: 'hoursOrganise.error.duration' });
    expect(byHandInput.safeParse({ ...byHand(), month: '2030-06', userIds: ['1'], hours: '24', minutes: '5' }).error!.issues.map((i) => i.message)).toEqual(['hoursOrganise.error.duration']);
    expect(byHandInput.safeParse({ ...byHand(), userIds: ['1'], description: '   ' }).error!.issues.map((i) => i.message)).toEqual(['error.required']);
  });

  it('adds the town’s hours for a Kümmerer, by coordinators only', async () => {
    const kuemmerer = await makeKuemmerer(db);
    const input = byHand({ scope: TOWN_SCOPE, userIds: [kuemmerer.id], description: 'Kümmerer-Schulung' });
    await expect(addHoursByHand(db, organiser, input, TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    // Nora is no Kümmerer, never helped and has no hours of the town: not one of its volunteers.
    await expect(addHoursByHand(db, coordinator, { ...input, userIds: [kuemmerer.id, outsider.id] }, TOWN_ZONE, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await addHoursByHand(db, coordinator, input, TOWN_ZONE, NOW)).toEqual({ ok: true, added: 1, month: '2030-06' });
    const row = await db.selectFrom('volunteer_hours').selectAll().where('user_id', '=', kuemmerer.id).executeTakeFirstOrThrow();
    expect(row.organisation_id).toBeNull();
  });
});

describe('the deployment list', () => {
  it('has one row per entry of the month, for German Excel, and is audited', async () => {
    const activityId = await makeActivity(db, orgId, { title: 'Kleiderkammer', startsAt: new Date('2030-05-10T08:00:00Z') });
    await db.transaction().execute((trx) => recordByHand(trx, { userId: volunteer.id, organisationId: orgId, activityId, startsAt: new Date('2030-05-10T08:00:00Z'), minutes: 150, description: '=SUMME(A1)' }, organiser.id, NOW));
    const t = translator('de');
    const { filename, csv } = await exportDeploymentList(db, organiser, slug, '2030-05' as MonthKey, t, TOWN_ZONE);
    expect(filename).toBe(`einsatzliste-${slug}-2030-05.csv`);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('\uFEFFName;Datum;Von;Bis;Was;Wo;Aktivität;Minuten;Stunden;Status');
    expect(lines).toContain("Vera Volunteer;2030-05-10;10:00;12:30;'=SUMME(A1);Stellwerk;Kleiderkammer;150;2,5;Noch nicht bestätigt");
    expect(lines).toContain('سمير حداد;2030-05-03;10:00;11:00;Sortieren;;;60;1;Noch nicht bestätigt');
    const audit = await db.selectFrom('audit_event').select(['actor_user_id', 'object_id', 'details']).where('action', '=', 'hours.deployments_exported').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: organiser.id, object_id: String(orgId) });
    await expect(exportDeploymentList(db, otherOrganiser, slug, '2030-05' as MonthKey, t, TOWN_ZONE)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('writes a meeting by its key in the reader’s language, and hours with a decimal comma', () => {
    const t = translator('en');
    const rows = deploymentRows(t, TOWN_ZONE, [
      { id: 1, userId: 1, name: 'Maria', startsAt: new Date('2030-05-10T22:30:00Z'), endsAt: new Date('2030-05-10T23:15:00Z'), minutes: 45, source: 'meeting', description: 'meeting', place: 'Café; Markt', activityTitle: null, status: 'confirmed' },
    ]);
    expect(rows[1]).toEqual(['Maria', '2030-05-11', '00:30', '01:15', 'Mentoring as a Kümmerer', 'Café; Markt', '', '45', '0,75', 'Confirmed']);
    expect(decimalHours(20)).toBe('0,33');
  });
});

describe('words', () => {
  it('shows hours and minutes and the month in each language', () => {
    expect(formatDuration('de', 150)).toBe('2 Std., 30 Min.');
    expect(formatDuration('de', 45)).toBe('45 Min.');
    expect(formatDuration('de', 0)).toBe('0 Min.');
    expect(formatDuration('en', 120)).toBe('2 hr');
    expect(formatMonth('de', '2030-11')).toBe('November 2030');
    // Persian: the Gregorian month, in Persian words and digits.
    expect(formatMonth('fa', '2030-11')).toBe('نوامبر ۲۰۳۰');
  });
});
