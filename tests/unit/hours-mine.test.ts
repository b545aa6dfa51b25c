// A volunteer's own hours: sums per town month, organisation and year (the tests run in
// Auckland, the town is in Berlin, so an entry late on the last evening of a month belongs to
// that month); nobody else's entries in them; the volunteer card's maths; correcting one's own
// pending entry (and the source then leaving it alone), refusing a confirmed one, another's
// entry as NotFoundError, and the forms' bad input; the site admin's threshold (audited).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { recordByHand, recordFromSource, type HoursFacts } from '../../src/features/hours/ledger.ts';
import { correctEntry, groupHours, lastTwelveMonths, loadMyEntry, loadMyHours, offersMyHours, requestedYear } from '../../src/features/hours/my-hours.ts';
import { correctionInput, correctionValues, recognitionInput } from '../../src/features/hours/my-hours.schema.ts';
import { changeRecognitionRule, DEFAULT_RECOGNITION, loadRecognitionPage, loadRecognitionRule, recognitionProgress, targetHours } from '../../src/features/hours/recognition.ts';
import { formatDuration, formatMonth } from '../../src/i18n/format.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeOrganiser, makeRole } from '../helpers/volunteering.ts';
import { createTestDatabase } from '../helpers/database.ts';

const ZONE = 'Europe/Berlin';
/** Mid-December 2026 in Berlin. */
const NOW = new Date('2026-12-15T12:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let volunteer: SessionUser;
let other: SessionUser;
let admin: SessionUser;
let stellwerk: number;
let library: number;

async function entry(facts: Partial<HoursFacts> & Pick<HoursFacts, 'startsAt' | 'minutes'>, confirmed = false): Promise<number> {
  const id = await db.transaction().execute((trx) =>
    recordByHand(trx, { userId: volunteer.id, organisationId: stellwerk, description: 'Sprachcafé – Ausschank', place: 'Stellwerk', ...facts }, volunteer.id, NOW),
  );
  if (confirmed) await db.updateTable('volunteer_hours').set({ status: 'confirmed', confirmed_at: NOW }).where('id', '=', id).execute();
  return id;
}

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  volunteer = await makePerson(db, { name: 'Vera Volunteer' });
  other = await makePerson(db, { name: 'Otto Other' });
  admin = { ...(await makePerson(db, { name: 'Ada Admin' })), is_admin: true };
  await db.updateTable('app_user').set({ is_admin: true }).where('id', '=', admin.id).execute();
  stellwerk = await makeOrganisation(db);
  library = await makeOrganisation(db);
  await db.updateTable('organisation').set({ name: 'Stellwerk' }).where('id', '=', stellwerk).execute();
  await db.updateTable('organisation').set({ name: 'Bibliothek' }).where('id', '=', library).execute();
});
afterAll(async () => {
  await handle?.close();
});

describe('My hours: sums per month, organisation and year in the town’s zone', () => {
  beforeAll(async () => {
    // 31 October 23:30 in Berlin is 1 November in Auckland (and 22:30 UTC): it belongs to October.
    await entry({ startsAt: new Date('2026-10-31T22:30:00Z'), minutes: 90 }, true);
    // 1 November 00:30 in Berlin is still 31 October in UTC: it belongs to November.
    await entry({ startsAt: new Date('2026-10-31T23:30:00Z'), minutes: 60 });
    await entry({ startsAt: new Date('2026-11-10T17:00:00Z'), minutes: 120, organisationId: library, description: 'Vorlesen', place: 'Bibliothek' }, true);
    await entry({ startsAt: new Date('2026-11-20T15:00:00Z'), minutes: 45, organisationId: null, description: 'lift', place: 'Altena-Mitte' }, true);
    // New Year's Eve 2025 at 23:30 in Berlin: the year 2025, though already 2026 in UTC+13.
    await entry({ startsAt: new Date('2025-12-31T22:30:00Z'), minutes: 30 }, true);
    // Someone else's hours never count for the volunteer.
    await db.transaction().execute((trx) => recordByHand(trx, { userId: other.id, organisationId: stellwerk, startsAt: new Date('2026-11-12T10:00:00Z'), minutes: 600, description: 'Fremd' }, other.id, NOW));
  });

  it('groups the year by town month, newest first, with pending and confirmed apart', async () => {
    const hours = await loadMyHours(db, volunteer, ZONE, NOW);
    expect(hours.year).toBe(2026);
    expect(hours.months.map((m) => m.month)).toEqual(['2026-11', '2026-10']);
    const [november, october] = hours.months;
    expect(october!.totals).toEqual({ confirmedMinutes: 90, pendingMinutes: 0 });
    expect(november!.totals).toEqual({ confirmedMinutes: 165, pendingMinutes: 60 });
    // Within a month the entries read as a diary, oldest first.
    expect(november!.entries.map((e) => e.minutes)).toEqual([60, 120, 45]);
    expect(hours.totals).toEqual({ confirmedMinutes: 255, pendingMinutes: 60 });
    expect(hours.months.flatMap((m) => m.entries).some((e) => e.description === 'Fremd')).toBe(false);
  });

  it('sums per organisation, the town’s schemes as one of them (no organisation)', async () => {
    const hours = await loadMyHours(db, volunteer, ZONE, NOW);
    const byName = Object.fromEntries(hours.organisations.map((o) => [o.organisationName ?? 'town', o.totals]));
    expect(byName).toEqual({
      Stellwerk: { confirmedMinutes: 90, pendingMinutes: 60 },
      Bibliothek: { confirmedMinutes: 120, pendingMinutes: 0 },
      town: { confirmedMinutes: 45, pendingMinutes: 0 },
    });
    // Largest first.
    expect(hours.organisations.map((o) => o.organisationName)).toEqual(['Stellwerk', 'Bibliothek', null]);
  });

  it('shows another year when asked, and offers the years from the first entry on', async () => {
    const last = await loadMyHours(db, volunteer, ZONE, NOW, 2025);
    expect(last.months.map((m) => m.month)).toEqual(['2025-12']);
    expect(last.totals).toEqual({ confirmedMinutes: 30, pendingMinutes: 0 });
    expect(last.years).toEqual([2026, 2025]);
    const empty = await loadMyHours(db, volunteer, ZONE, NOW, 2024);
    expect(empty.months).toEqual([]);
    expect(empty.hasAnyHours).toBe(true);
  });

  it('has nothing for a person without hours, and offers the page to those with hours or sign-ups', async () => {
    const newcomer = await makePerson(db);
    const hours = await loadMyHours(db, newcomer, ZONE, NOW);
    expect(hours).toMatchObject({ months: [], organisations: [], hasAnyHours: false, years: [2026] });
    expect(await offersMyHours(db, newcomer.id)).toBe(false);
    expect(await offersMyHours(db, volunteer.id)).toBe(true);
    const organiser = await makeOrganiser(db, stellwerk);
    const activity = await makeActivity(db, stellwerk);
    const role = await makeRole(db, organiser, activity);
    await db.insertInto('volunteer_signup').values({ role_id: role, user_id: newcomer.id, status: 'active' }).execute();
    expect(await offersMyHours(db, newcomer.id)).toBe(true);
  });

  it('groups pure data the same way (groupHours)', () => {
    const grouped = groupHours(ZONE, []);
    expect(grouped).toEqual({ months: [], organisations: [], totals: { confirmedMinutes: 0, pendingMinutes: 0 } });
  });

  it('counts the last 12 months from the same town day a year ago up to now', async () => {
    const person = await makePerson(db);
    const add = (startsAt: string, minutes: number, confirmed: boolean) =>
      db.transaction().execute(async (trx) => {
        const id = await recordByHand(trx, { userId: person.id, organisationId: stellwerk, startsAt: new Date(startsAt), minutes, description: 'x' }, person.id, NOW);
        if (confirmed) await trx.updateTable('volunteer_hours').set({ status: 'confirmed', confirmed_at: NOW }).where('id', '=', id).execute();
      });
    // 15 December 2025 00:00 in Berlin is 14 December 23:00 UTC: the first instant that counts.
    await add('2025-12-14T23:00:00Z', 60, true);
    await add('2025-12-14T22:59:00Z', 600, true); // a minute before: too old
    await add('2026-06-01T10:00:00Z', 120, false);
    await add('2026-12-16T10:00:00Z', 300, true); // tomorrow: not yet
    expect(await lastTwelveMonths(db, person.id, ZONE, NOW)).toEqual({ confirmedMinutes: 60, pendingMinutes: 120 });
  });
});

describe('the year asked for', () => {
  it('is this year when none is asked, a year from 2000 to next year, and no page for anything else', () => {
    const now = new Date('2026-12-31T23:30:00Z'); // already 2027 in the town
    expect(requestedYear(null, 'Europe/Berlin', now)).toBeUndefined();
    expect(requestedYear('2000', 'Europe/Berlin', now)).toBe(2000);
    expect(requestedYear('2028', 'Europe/Berlin', now)).toBe(2028);
    for (const wrong of ['2029', '1999', '26', '2026a', '', ' 2026']) expect(requestedYear(wrong, 'Europe/Berlin', now), wrong).toBeNull();
  });
});

describe('progress toward the volunteer card', () => {
  it('is 250 hours for NRW (5 hours a week would be 260), and either path alone when only one is set', () => {
    expect(targetHours(DEFAULT_RECOGNITION)).toBe(250);
    expect(targetHours({ hoursPerYear: 300, hoursPerWeek: 5 })).toBe(260);
    expect(targetHours({ hoursPerYear: null, hoursPerWeek: 4 })).toBe(208);
    expect(targetHours({ hoursPerYear: 120, hoursPerWeek: null })).toBe(120);
  });

  it('says "183 of 250, 67 still to go", a started hour still to go, pending hours apart', () => {
    expect(recognitionProgress(DEFAULT_RECOGNITION, 183 * 60, 12 * 60)).toEqual({ targetHours: 250, confirmedHours: 183, stillToGo: 67, pendingMinutes: 720, reached: false, percent: 73 });
    // 183 h 30 min: still 183 whole hours, and 67 to go (the two always add up to the target).
    expect(recognitionProgress(DEFAULT_RECOGNITION, 183 * 60 + 30, 0)).toMatchObject({ confirmedHours: 183, stillToGo: 67 });
    // One minute short is not reached.
    expect(recognitionProgress(DEFAULT_RECOGNITION, 250 * 60 - 1, 0)).toMatchObject({ confirmedHours: 249, stillToGo: 1, reached: false, percent: 99 });
    expect(recognitionProgress(DEFAULT_RECOGNITION, 250 * 60, 0)).toMatchObject({ confirmedHours: 250, stillToGo: 0, reached: true, percent: 100 });
    expect(recognitionProgress(DEFAULT_RECOGNITION, 400 * 60, 0)).toMatchObject({ confirmedHours: 400, stillToGo: 0, reached: true, percent: 100 });
    // Pending hours never make it reached.
    expect(recognitionProgress(DEFAULT_RECOGNITION, 0, 300 * 60)).toMatchObject({ reached: false, stillToGo: 250, percent: 0 });
  });

  it('My hours shows it from the last 12 months’ confirmed hours, and not when switched off', async () => {
    const hours = await loadMyHours(db, volunteer, ZONE, NOW);
    // Confirmed since 15 December 2025: 90 + 120 + 45 + 30 minutes; pending 60.
    expect(hours.recognition?.progress).toMatchObject({ targetHours: 250, confirmedHours: 4, stillToGo: 246, pendingMinutes: 60 });
    await changeRecognitionRule(db, admin, { ...DEFAULT_RECOGNITION, enabled: false }, null);
    expect((await loadMyHours(db, volunteer, ZONE, NOW)).recognition).toBeNull();
    await changeRecognitionRule(db, admin, { ...DEFAULT_RECOGNITION }, null);
  });

  it('writes durations and months in the reader’s language', () => {
    expect(formatDuration('de', 150)).toBe('2 Std., 30 Min.');
    expect(formatDuration('en', 180)).toBe('3 hr');
    expect(formatDuration('de', 45)).toBe('45 Min.');
    expect(formatDuration('de', 0)).toBe('0 Min.');
    expect(formatMonth('de', '2026-11')).toBe('November 2026');
    // Persian keeps the Gregorian month the hours are grouped by.
    expect(formatMonth('fa', '2026-11')).toBe('نوامبر ۲۰۲۶');
  });
});

describe('the site admin’s threshold', () => {
  it('is NRW’s by default', async () => {
    const fresh = await createTestDatabase();
    try {
      expect(await loadRecognitionRule(fresh.db)).toEqual(DEFAULT_RECOGNITION);
    } finally {
      await fresh.close();
    }
  });

  it('is for site admins only (NotFoundError), and a change is audited', async () => {
    await expect(loadRecognitionPage(db, volunteer)).rejects.toThrow(NotFoundError);
    await expect(loadRecognitionPage(db, null)).rejects.toThrow(NotFoundError);
    await expect(changeRecognitionRule(db, volunteer, { ...DEFAULT_RECOGNITION, hoursPerYear: 10 }, null)).rejects.toThrow(NotFoundError);
    expect((await loadRecognitionRule(db)).hoursPerYear).toBe(250);

    await changeRecognitionRule(db, admin, { enabled: true, state: 'BY', cardName: 'Ehrenamtskarte Bayern', hoursPerYear: 250, hoursPerWeek: null }, '192.0.2.1');
    expect(await loadRecognitionPage(db, admin)).toEqual({ enabled: true, state: 'BY', cardName: 'Ehrenamtskarte Bayern', hoursPerYear: 250, hoursPerWeek: null });
    const audit = await db.selectFrom('audit_event').select(['actor_user_id', 'object_id', 'details', 'ip']).where('action', '=', 'hours.recognition_changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: admin.id, object_id: 'hours.recognition', ip: '192.0.2.1' });
    expect(audit.details).toEqual({ state: 'NW → BY', cardName: 'Ehrenamtskarte NRW → Ehrenamtskarte Bayern', hoursPerWeek: '5 → –' });
    await changeRecognitionRule(db, admin, { ...DEFAULT_RECOGNITION }, null);
  });

  it('refuses bad input with a message per field', () => {
    const parse = (fields: Record<string, string>) => recognitionInput.safeParse({ enabled: 'on', state: 'NW', cardName: 'Ehrenamtskarte NRW', hoursPerYear: '250', hoursPerWeek: '5', ...fields });
    const errors = (fields: Record<string, string>) => {
      const result = parse(fields);
      return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
    };
    expect(parse({}).success).toBe(true);
    expect(parse({ hoursPerWeek: '' }).data).toMatchObject({ hoursPerYear: 250, hoursPerWeek: null });
    expect(errors({ state: 'XX' })).toEqual({ state: 'hoursMine.recognition.error.state' });
    expect(errors({ cardName: '  ' })).toEqual({ cardName: 'error.required' });
    expect(errors({ cardName: 'x'.repeat(81) })).toEqual({ cardName: 'hoursMine.recognition.error.cardName' });
    expect(errors({ hoursPerYear: '0' })).toEqual({ hoursPerYear: 'hoursMine.recognition.error.hoursPerYear' });
    expect(errors({ hoursPerYear: '2001' })).toEqual({ hoursPerYear: 'hoursMine.recognition.error.hoursPerYear' });
    expect(errors({ hoursPerWeek: '2.5' })).toEqual({ hoursPerWeek: 'hoursMine.recognition.error.hoursPerWeek' });
    expect(errors({ hoursPerYear: '', hoursPerWeek: '' })).toEqual({ hoursPerYear: 'hoursMine.recognition.error.noThreshold' });
    expect(parse({ enabled: '' }).data?.enabled).toBe(false);
  });
});

describe('correcting one’s own entry', () => {
  const schema = correctionInput(ZONE);
  const form = (entryId: number, fields: Record<string, string> = {}) => ({ entryId: String(entryId), date: '2026-12-01', time: '18:00', hours: '2', minutes: '15', ...fields });

  it('reads the form in the town’s zone: 18:00 on 1 December in Berlin is 17:00 UTC', () => {
    const parsed = schema.parse(form(1));
    expect(parsed).toEqual({ entryId: 1, startsAt: new Date('2026-12-01T17:00:00Z'), minutes: 135 });
    expect(correctionValues(ZONE, parsed)).toEqual({ date: '2026-12-01', time: '18:00', hours: '2', minutes: '15' });
    expect(schema.parse(form(1, { hours: '', minutes: '45' })).minutes).toBe(45);
    expect(schema.parse(form(1, { hours: '24', minutes: '0' })).minutes).toBe(1440);
  });

  it('refuses bad input with a message next to each field', () => {
    const errors = (fields: Record<string, string>) => {
      const result = schema.safeParse(form(1, fields));
      return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
    };
    expect(errors({ date: '2026-02-30' })).toEqual({ date: 'error.date.invalid' });
    expect(errors({ date: '1.12.2026' })).toEqual({ date: 'error.date.invalid' });
    expect(errors({ date: '1999-12-01' })).toEqual({ date: 'error.date.invalid' });
    expect(errors({ time: '25:00' })).toEqual({ time: 'error.time.invalid' });
    expect(errors({ hours: '-1' })).toEqual({ hours: 'hoursMine.error.hours' });
    expect(errors({ hours: '25' })).toEqual({ hours: 'hoursMine.error.hours' });
    expect(errors({ minutes: '60' })).toEqual({ minutes: 'hoursMine.error.minutes' });
    expect(errors({ minutes: 'zehn' })).toEqual({ minutes: 'hoursMine.error.minutes' });
    expect(errors({ hours: '0', minutes: '0' })).toEqual({ hours: 'hoursMine.error.duration' });
    expect(errors({ hours: '24', minutes: '1' })).toEqual({ hours: 'hoursMine.error.duration' });
    // Several wrong fields are all named at once.
    expect(errors({ date: '', time: '', minutes: '99' })).toEqual({ date: 'error.date.invalid', time: 'error.time.invalid', minutes: 'hoursMine.error.minutes' });
    expect(schema.safeParse(form(1, { entryId: 'abc' })).success).toBe(false);
  });

  it('saves a pending entry of one’s own, marks it corrected, and the source no longer overwrites it', async () => {
    const organiser = await makeOrganiser(db, stellwerk);
    const activity = await makeActivity(db, stellwerk, { startsAt: new Date('2026-11-28T14:00:00Z') });
    const role = await makeRole(db, organiser, activity);
    const signup = await db.insertInto('volunteer_signup').values({ role_id: role, user_id: volunteer.id, status: 'active' }).returning('id').executeTakeFirstOrThrow();
    const facts = { userId: volunteer.id, organisationId: stellwerk, activityId: activity, startsAt: new Date('2026-11-28T14:00:00Z'), minutes: 120, description: 'Sprachcafé – Aufbau', place: 'Stellwerk' };
    const id = (await db.transaction().execute((trx) => recordFromSource(trx, { source: 'shift', signupId: signup.id }, facts, NOW)))!;

    // The same values again change nothing: the entry keeps following its source.
    const same = await correctEntry(db, volunteer, { entryId: id, startsAt: facts.startsAt, minutes: 120 }, NOW);
    expect(same).toMatchObject({ ok: true, changed: false });
    expect((await loadMyEntry(db, volunteer, id)).corrected).toBe(false);

    const result = await correctEntry(db, volunteer, { entryId: id, startsAt: new Date('2026-11-28T13:30:00Z'), minutes: 180 }, NOW);
    expect(result).toMatchObject({ ok: true, changed: true, entry: { id, minutes: 180, corrected: true, status: 'pending' } });
    const row = await db.selectFrom('volunteer_hours').select(['starts_at', 'minutes', 'corrected_at', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ starts_at: new Date('2026-11-28T13:30:00Z'), minutes: 180, corrected_at: NOW, status: 'pending' });

    // The shift's window changes later: the corrected entry stays as the volunteer said.
    await db.transaction().execute((trx) => recordFromSource(trx, { source: 'shift', signupId: signup.id }, { ...facts, minutes: 60 }, NOW));
    expect((await loadMyEntry(db, volunteer, id)).minutes).toBe(180);
  });

  it('refuses a confirmed entry with a clear message, and changes nothing', async () => {
    const id = await entry({ startsAt: new Date('2026-12-02T10:00:00Z'), minutes: 60 }, true);
    const result = await correctEntry(db, volunteer, { entryId: id, startsAt: new Date('2026-12-02T10:00:00Z'), minutes: 600 }, NOW);
    expect(result).toEqual({ ok: false, form: { key: 'hoursMine.error.confirmed' } });
    const row = await db.selectFrom('volunteer_hours').select(['minutes', 'corrected_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ minutes: 60, corrected_at: null });
  });

  it('refuses a start in the future, next to the date', async () => {
    const id = await entry({ startsAt: new Date('2026-12-03T10:00:00Z'), minutes: 60 });
    const result = await correctEntry(db, volunteer, { entryId: id, startsAt: new Date(NOW.getTime() + 60_000), minutes: 60 }, NOW);
    expect(result).toEqual({ ok: false, fields: { date: 'hoursMine.error.future' } });
    expect((await loadMyEntry(db, volunteer, id)).startsAt).toEqual(new Date('2026-12-03T10:00:00Z'));
  });

  it('treats another person’s entry (or none, or nobody signed in) as not found, and leaves it alone', async () => {
    const theirs = await db.transaction().execute((trx) => recordByHand(trx, { userId: other.id, organisationId: stellwerk, startsAt: new Date('2026-12-04T10:00:00Z'), minutes: 60, description: 'Fremd' }, other.id, NOW));
    await expect(loadMyEntry(db, volunteer, theirs)).rejects.toThrow(NotFoundError);
    await expect(correctEntry(db, volunteer, { entryId: theirs, startsAt: new Date('2026-12-04T10:00:00Z'), minutes: 5 }, NOW)).rejects.toThrow(NotFoundError);
    await expect(correctEntry(db, volunteer, { entryId: 2_000_000_000, startsAt: new Date('2026-12-04T10:00:00Z'), minutes: 5 }, NOW)).rejects.toThrow(NotFoundError);
    await expect(loadMyEntry(db, null, theirs)).rejects.toThrow(NotFoundError);
    await expect(correctEntry(db, null, { entryId: theirs, startsAt: new Date('2026-12-04T10:00:00Z'), minutes: 5 }, NOW)).rejects.toThrow(NotFoundError);
    const row = await db.selectFrom('volunteer_hours').select(['minutes', 'corrected_at']).where('id', '=', theirs).executeTakeFirstOrThrow();
    expect(row).toEqual({ minutes: 60, corrected_at: null });
  });
});
