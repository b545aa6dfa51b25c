// RSVPs: capacity is never exceeded under concurrency, the waitlist keeps arrival order, freed
// seats go to the earliest party that fits together with its notification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { createRsvpInput } from '../../src/features/rsvps/rsvps.schema.ts';
import { cancelRsvp, changePartySize, createRsvp, datesCancelledTogether, seatsTaken } from '../../src/features/rsvps/rsvps.service.ts';
import { findMyRsvp } from '../../src/features/rsvps/rsvps.queries.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';

const CONTEXT = { baseUrl: 'https://ankommen.example' };
const NOW = new Date('2030-05-20T10:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
});
afterAll(() => handle?.close());

async function statuses(activityId: number) {
  return db.selectFrom('rsvp').select(['id', 'user_id', 'party_size', 'status']).where('activity_id', '=', activityId).orderBy('id').execute();
}

async function mailsFor(userId: number, kind: string) {
  return db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', userId).where('kind', '=', kind).execute();
}

describe('capacity under concurrency', () => {
  it('50 people at once for 10 seats: exactly 10 go, 40 wait in arrival order', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 10 });
    const people = await Promise.all(Array.from({ length: 50 }, () => makePerson(db)));
    const results = await Promise.all(people.map((p) => createRsvp(db, p, { activityId, partySize: 1, note: '' }, CONTEXT, NOW)));
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = await statuses(activityId);
    expect(rows.filter((r) => r.status === 'going')).toHaveLength(10);
    expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(40);
    // The first ten to get the lock go; everyone after waits, numbered 1…40 in that order.
    expect(rows.slice(0, 10).every((r) => r.status === 'going')).toBe(true);
    const positions = rows.slice(10).map((row) => results.find((r) => r.ok && r.rsvpId === row.id));
    expect(positions.map((r) => (r && r.ok ? r.waitlistPosition : null))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await seatsTaken(db, activityId)).toBe(10);
  });

  it('a mix of party sizes never exceeds the capacity', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 12 });
    const people = await Promise.all(Array.from({ length: 30 }, () => makePerson(db)));
    await Promise.all(people.map((p, i) => createRsvp(db, p, { activityId, partySize: (i % 4) + 1, note: '' }, CONTEXT, NOW)));
    const rows = await statuses(activityId);
    const going = rows.filter((r) => r.status === 'going').reduce((sum, r) => sum + r.party_size, 0);
    expect(going).toBeLessThanOrEqual(12);
    expect(rows).toHaveLength(30);
    // Whatever is left is too small for every waiting party.
    const waitingSizes = rows.filter((r) => r.status === 'waitlisted').map((r) => r.party_size);
    expect(waitingSizes.every((size) => size > 12 - going)).toBe(true);
  });
});

describe('the waitlist', () => {
  it('promotes the earliest waiting party that fits when seats free up, with its mail written alongside', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 4 });
    const [a, b, big, small] = await Promise.all([makePerson(db), makePerson(db), makePerson(db), makePerson(db, { locale: 'ar' })]);
    const first = await createRsvp(db, a!, { activityId, partySize: 3, note: '' }, CONTEXT, NOW);
    await createRsvp(db, b!, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    const bigParty = await createRsvp(db, big!, { activityId, partySize: 3, note: '' }, CONTEXT, NOW);
    const smallParty = await createRsvp(db, small!, { activityId, partySize: 2, note: '' }, CONTEXT, NOW);
    expect(bigParty).toMatchObject({ ok: true, status: 'waitlisted', waitlistPosition: 1 });
    expect(smallParty).toMatchObject({ ok: true, status: 'waitlisted', waitlistPosition: 2 });
    expect(await mailsFor(big!.id, 'rsvp_waitlisted')).toHaveLength(1);

    // B (1 seat) cancels: one seat is free, too few for anyone waiting.
    const bRsvp = (await statuses(activityId)).find((r) => r.user_id === b!.id)!;
    expect(await cancelRsvp(db, b!, bRsvp.id, CONTEXT, NOW)).toEqual({ ok: true });
    expect((await statuses(activityId)).filter((r) => r.status === 'going').map((r) => r.user_id)).toEqual([a!.id]);

    // A (3 seats) cancels: 4 free → the party of 3 (earliest) goes, then 1 left: the party of 2 still waits.
    if (!first.ok) throw new Error('first RSVP refused');
    await cancelRsvp(db, a!, first.rsvpId, CONTEXT, NOW);
    const after = await statuses(activityId);
    expect(after.find((r) => r.user_id === big!.id)!.status).toBe('going');
    expect(after.find((r) => r.user_id === small!.id)!.status).toBe('waitlisted');
    const promotedMail = await mailsFor(big!.id, 'rsvp_promoted');
    expect(promotedMail).toHaveLength(1);
    expect(promotedMail[0]!.payload).toMatchObject({ partySize: 3, url: `https://ankommen.example/activities/${activityId}` });
  });

  it('lets a smaller party further back take seats a bigger one cannot use', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 2 });
    const [holder, family, single] = await Promise.all([makePerson(db), makePerson(db), makePerson(db)]);
    const held = await createRsvp(db, holder!, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    await createRsvp(db, family!, { activityId, partySize: 5, note: '' }, CONTEXT, NOW);
    const singleResult = await createRsvp(db, single!, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    // One seat was free and the family of five waits for more: the single goes straight in.
    expect(singleResult).toMatchObject({ ok: true, status: 'going' });
    if (!held.ok) throw new Error('refused');
    await cancelRsvp(db, holder!, held.rsvpId, CONTEXT, NOW);
    expect((await statuses(activityId)).find((r) => r.user_id === family!.id)!.status).toBe('waitlisted');
  });
});

describe('changing and cancelling', () => {
  it('grows a party only while seats are left, and a smaller party frees seats for the waitlist', async () => {
    const activityId = await makeActivity(db, organisationId, { capacity: 5 });
    const [a, b] = await Promise.all([makePerson(db), makePerson(db)]);
    const mine = await createRsvp(db, a!, { activityId, partySize: 4, note: '' }, CONTEXT, NOW);
    await createRsvp(db, b!, { activityId, partySize: 2, note: '' }, CONTEXT, NOW);
    if (!mine.ok) throw new Error('refused');
    expect(await changePartySize(db, a!, { rsvpId: mine.rsvpId, partySize: 6 }, CONTEXT, NOW)).toEqual({
      ok: false,
      refusal: { key: 'rsvp.error.noRoomForMore', count: 1 },
    });
    expect(await changePartySize(db, a!, { rsvpId: mine.rsvpId, partySize: 5 }, CONTEXT, NOW)).toMatchObject({ ok: true, status: 'going' });
    expect(await changePartySize(db, a!, { rsvpId: mine.rsvpId, partySize: 3 }, CONTEXT, NOW)).toMatchObject({ ok: true, status: 'going' });
    expect((await statuses(activityId)).find((r) => r.user_id === b!.id)!.status).toBe('going');
    expect(await seatsTaken(db, activityId)).toBe(5);
  });

  it('answers "not found" for somebody else’s RSVP and keeps it', async () => {
    const activityId = await makeActivity(db, organisationId);
    const [owner, stranger] = await Promise.all([makePerson(db), makePerson(db)]);
    const rsvp = await createRsvp(db, owner!, { activityId, partySize: 2, note: 'Rollstuhl' }, CONTEXT, NOW);
    if (!rsvp.ok) throw new Error('refused');
    await expect(cancelRsvp(db, stranger!, rsvp.rsvpId, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(changePartySize(db, stranger!, { rsvpId: rsvp.rsvpId, partySize: 1 }, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect((await statuses(activityId))[0]).toMatchObject({ status: 'going', party_size: 2 });
    expect(await findMyRsvp(db, stranger!.id, activityId, 'de', NOW)).toBeNull();
  });

  it('refuses a second RSVP, one after the start or deadline, for a cancelled activity, and knows no drafts', async () => {
    const person = await makePerson(db);
    const open = await makeActivity(db, organisationId);
    await createRsvp(db, person, { activityId: open, partySize: 1, note: '' }, CONTEXT, NOW);
    expect(await createRsvp(db, person, { activityId: open, partySize: 1, note: '' }, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.already' } });

    const started = await makeActivity(db, organisationId, { startsAt: new Date(NOW.getTime() - 60_000) });
    expect(await createRsvp(db, person, { activityId: started, partySize: 1, note: '' }, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.closed' } });
    const deadline = await makeActivity(db, organisationId, { rsvpDeadline: new Date(NOW.getTime() - 1) });
    expect(await createRsvp(db, person, { activityId: deadline, partySize: 1, note: '' }, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.closed' } });
    const cancelled = await makeActivity(db, organisationId, { status: 'cancelled' });
    expect(await createRsvp(db, person, { activityId: cancelled, partySize: 1, note: '' }, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.cancelled' } });
    const draft = await makeActivity(db, organisationId, { status: 'draft' });
    await expect(createRsvp(db, person, { activityId: draft, partySize: 1, note: '' }, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const rows = await db.selectFrom('rsvp').select('activity_id').where('user_id', '=', person.id).execute();
    expect(rows.map((r) => r.activity_id)).toEqual([open]);
  });

  it('keeps an RSVP as it is once the activity started or the organiser called it off', async () => {
    const person = await makePerson(db);
    const activityId = await makeActivity(db, organisationId);
    const rsvp = await createRsvp(db, person, { activityId, partySize: 2, note: '' }, CONTEXT, NOW);
    if (!rsvp.ok) throw new Error('refused');
    const started = new Date('2030-06-01T16:00:00Z');
    expect(await cancelRsvp(db, person, rsvp.rsvpId, CONTEXT, started)).toEqual({ ok: false, refusal: { key: 'rsvp.error.closed' } });
    expect(await changePartySize(db, person, { rsvpId: rsvp.rsvpId, partySize: 1 }, CONTEXT, started)).toEqual({ ok: false, refusal: { key: 'rsvp.error.closed' } });
    // Called off: the RSVP stays, so that a reinstated activity finds its people again.
    await db.updateTable('activity').set({ status: 'cancelled' }).where('id', '=', activityId).execute();
    expect(await cancelRsvp(db, person, rsvp.rsvpId, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.cancelled' } });
    expect(await changePartySize(db, person, { rsvpId: rsvp.rsvpId, partySize: 1 }, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.cancelled' } });
    expect((await statuses(activityId))[0]).toMatchObject({ status: 'going', party_size: 2 });
  });

  it('lets a person RSVP again after cancelling', async () => {
    const activityId = await makeActivity(db, organisationId);
    const person = await makePerson(db);
    const first = await createRsvp(db, person, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    if (!first.ok) throw new Error('refused');
    await cancelRsvp(db, person, first.rsvpId, CONTEXT, NOW);
    expect(await createRsvp(db, person, { activityId, partySize: 3, note: '' }, CONTEXT, NOW)).toMatchObject({ ok: true, status: 'going' });
  });
});

describe('the form input', () => {
  it('takes 1 to 10 people and a note of at most 500 characters', () => {
    expect(createRsvpInput.safeParse({ activityId: '3', partySize: '3', note: null }).data).toEqual({ activityId: 3, partySize: 3, note: '' });
    for (const partySize of ['0', '11', '2.5', 'zwei', '', null]) {
      const result = createRsvpInput.safeParse({ activityId: '3', partySize, note: '' });
      expect(result.success, String(partySize)).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('error.partySize');
    }
    expect(createRsvpInput.safeParse({ activityId: '3', partySize: '1', note: 'x'.repeat(501) }).error?.issues[0]?.message).toBe('error.note.tooLong');
  });
});

describe('RSVP mails', () => {
  it('are written in the recipient’s language, with the translated title and the town’s time', async () => {
    const activityId = await makeActivity(db, organisationId, {
      capacity: 1,
      startsAt: new Date('2030-10-24T16:00:00Z'), // 18:00 in Berlin (summer time)
      translations: { ar: { title: 'مقهى اللغة', description: '…' } },
    });
    const [first, second] = await Promise.all([makePerson(db), makePerson(db, { locale: 'ar' })]);
    await createRsvp(db, first!, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    await createRsvp(db, second!, { activityId, partySize: 1, note: '' }, CONTEXT, NOW);
    const [row] = await mailsFor(second!.id, 'rsvp_waitlisted');
    const mail = renderMail(
      { id: row!.id, kind: 'rsvp_waitlisted', recipientUserId: second!.id, recipientEmail: row!.recipient_email, channel: 'email', locale: 'ar', payload: row!.payload, attempts: 1 },
      { townName: 'Altena', timeZone: 'Europe/Berlin' },
    );
    expect(mail.subject).toContain('مقهى اللغة');
    // 18:00–20:00 in Berlin, whatever zone the server is in (the tests run in Auckland).
    expect(mail.text).toContain('الخميس، 24 أكتوبر، 6:00–8:00 م');
    expect(mail.text).toContain(`https://ankommen.example/ar/activities/${activityId}`);
  });
});

describe('the reminder the day before', () => {
  it('is written once per going party, 24 hours ahead, not for the waitlist or fresh RSVPs', async () => {
    const { writeDueReminders } = await import('../../src/features/rsvps/reminders.ts');
    const startsAt = new Date('2030-07-10T16:00:00Z');
    const activityId = await makeActivity(db, organisationId, { capacity: 1, startsAt });
    const [early, waiting, late] = await Promise.all([makePerson(db, { locale: 'uk' }), makePerson(db), makePerson(db)]);
    const weekBefore = new Date(startsAt.getTime() - 7 * 24 * 3600_000);
    await createRsvp(db, early!, { activityId, partySize: 1, note: '' }, CONTEXT, weekBefore);
    await createRsvp(db, waiting!, { activityId, partySize: 1, note: '' }, CONTEXT, weekBefore);
    const twoDaysBefore = new Date(startsAt.getTime() - 48 * 3600_000);
    const dayBefore = new Date(startsAt.getTime() - 20 * 3600_000);
    expect(await writeDueReminders(db, CONTEXT, twoDaysBefore)).toBe(0);
    expect(await writeDueReminders(db, CONTEXT, dayBefore)).toBe(1);
    expect(await writeDueReminders(db, CONTEXT, dayBefore)).toBe(0);
    const reminders = await mailsFor(early!.id, 'rsvp_reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.locale).toBe('uk');
    expect(await mailsFor(waiting!.id, 'rsvp_reminder')).toHaveLength(0);
    // Someone who signs up within the last day just had a confirmation: no reminder.
    const roomy = await makeActivity(db, organisationId, { capacity: null, startsAt });
    await createRsvp(db, late!, { activityId: roomy, partySize: 1, note: '' }, CONTEXT, dayBefore);
    expect(await writeDueReminders(db, CONTEXT, new Date(dayBefore.getTime() + 60_000))).toBe(0);
  });
});

describe('RSVP on behalf of a newcomer', () => {
  it('is for coordinators only, records who made it, and tells the newcomer', async () => {
    const { createRsvpOnBehalf } = await import('../../src/features/rsvps/rsvps.service.ts');
    const activityId = await makeActivity(db, organisationId);
    const [coordinator, organiserOnly, newcomer] = await Promise.all([makePerson(db), makePerson(db), makePerson(db, { locale: 'ar' })]);
    await db.insertInto('membership').values([
      { organisation_id: organisationId, user_id: coordinator!.id, role: 'coordinator' },
      { organisation_id: organisationId, user_id: organiserOnly!.id, role: 'organiser' },
    ]).execute();
    const input = { activityId, partySize: 3, note: 'Mit zwei Kindern', email: newcomer!.email!.toUpperCase() };
    await expect(createRsvpOnBehalf(db, organiserOnly!, input, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createRsvpOnBehalf(db, null, input, CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await createRsvpOnBehalf(db, coordinator!, { ...input, email: 'nobody@test.example' }, CONTEXT, NOW)).toEqual({ ok: false, fields: { email: 'error.member.unknownEmail' } });

    const result = await createRsvpOnBehalf(db, coordinator!, input, CONTEXT, NOW);
    expect(result).toMatchObject({ ok: true, status: 'going' });
    const row = await db.selectFrom('rsvp').select(['user_id', 'created_by', 'party_size']).where('activity_id', '=', activityId).executeTakeFirstOrThrow();
    expect(row).toEqual({ user_id: newcomer!.id, created_by: coordinator!.id, party_size: 3 });
    expect(await mailsFor(newcomer!.id, 'rsvp_going')).toHaveLength(1);
    expect(await mailsFor(coordinator!.id, 'rsvp_going')).toHaveLength(0);
    // The newcomer sees it as their own and can cancel it.
    expect(await findMyRsvp(db, newcomer!.id, activityId, 'ar', NOW)).toMatchObject({ activityId, status: 'going', partySize: 3, changeable: true });
  });
});

describe('"My activities"', () => {
  it('keeps coming, past and cancelled RSVPs apart, and says who cancelled', async () => {
    const { listMyActivities } = await import('../../src/features/rsvps/rsvps.queries.ts');
    const [me, other] = await Promise.all([makePerson(db), makePerson(db)]);
    const at = (days: number) => new Date(NOW.getTime() + days * 24 * 3600_000);
    const soon = await makeActivity(db, organisationId, { title: 'Bald', startsAt: at(2) });
    const later = await makeActivity(db, organisationId, { title: 'Später', startsAt: at(9), capacity: 1 });
    const leftByMe = await makeActivity(db, organisationId, { title: 'Abgesagt von mir', startsAt: at(4) });
    const rejoined = await makeActivity(db, organisationId, { title: 'Wieder dabei', startsAt: at(5) });
    const calledOff = await makeActivity(db, organisationId, { title: 'Fällt aus', startsAt: at(3) });
    const over = await makeActivity(db, organisationId, { title: 'Vorbei', startsAt: at(-3) });
    const longAgo = await makeActivity(db, organisationId, { title: 'Lange her', startsAt: at(-30) });
    const draft = await makeActivity(db, organisationId, { title: 'Entwurf', startsAt: at(6), status: 'draft' });
    const past = new Date(NOW.getTime() - 40 * 24 * 3600_000);

    for (const id of [longAgo]) await createRsvp(db, me!, { activityId: id, partySize: 1, note: '' }, CONTEXT, past);
    await createRsvp(db, me!, { activityId: over, partySize: 2, note: '' }, CONTEXT, new Date(NOW.getTime() - 5 * 24 * 3600_000));
    await createRsvp(db, other!, { activityId: later, partySize: 1, note: '' }, CONTEXT, NOW);
    for (const id of [soon, later, leftByMe, rejoined, calledOff]) await createRsvp(db, me!, { activityId: id, partySize: 3, note: '' }, CONTEXT, NOW);
    await db.insertInto('rsvp').values({ activity_id: draft, user_id: me!.id, party_size: 1, status: 'going' }).execute();
    const mine = async (activityId: number) =>
      (await db.selectFrom('rsvp').select('id').where('activity_id', '=', activityId).where('user_id', '=', me!.id).where('status', '<>', 'cancelled').executeTakeFirstOrThrow()).id;
    const cancelledAt = new Date(NOW.getTime() + 60_000);
    await cancelRsvp(db, me!, await mine(leftByMe), CONTEXT, cancelledAt);
    await cancelRsvp(db, me!, await mine(rejoined), CONTEXT, cancelledAt);
    await createRsvp(db, me!, { activityId: rejoined, partySize: 1, note: '' }, CONTEXT, cancelledAt);
    await db.updateTable('activity').set({ status: 'cancelled', cancel_reason: 'Die Halle ist gesperrt.' }).where('id', '=', calledOff).execute();

    const view = await listMyActivities(db, me!.id, 'de', NOW);
    expect(view.upcoming.map((r) => r.title)).toEqual(['Bald', 'Wieder dabei', 'Später']);
    expect(view.upcoming.find((r) => r.title === 'Später')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, partySize: 3 });
    expect(view.past.map((r) => r.title)).toEqual(['Vorbei', 'Lange her']);
    expect(view.cancelled.map((r) => [r.title, r.cancelledBy])).toEqual([
      ['Fällt aus', 'organiser'],
      ['Abgesagt von mir', 'you'],
    ]);
    expect(view.cancelled[0]).toMatchObject({ reason: 'Die Halle ist gesperrt.' });
    expect(view.cancelled[1]).toMatchObject({ cancelledAt, reason: null, partySize: 3 });
    expect(view.hasAny).toBe(true);

    // Someone who only ever cancelled still has something to see; someone new has nothing.
    const quitter = await makePerson(db);
    const rsvp = await createRsvp(db, quitter!, { activityId: soon, partySize: 1, note: '' }, CONTEXT, NOW);
    await cancelRsvp(db, quitter!, rsvp.ok ? rsvp.rsvpId : 0, CONTEXT, NOW);
    const quitterView = await listMyActivities(db, quitter!.id, 'de', NOW);
    expect(quitterView).toMatchObject({ upcoming: [], past: [], hasAny: true });
    expect(quitterView.cancelled.map((r) => r.title)).toEqual(['Bald']);
    expect(await listMyActivities(db, (await makePerson(db))!.id, 'de', NOW)).toEqual({ upcoming: [], past: [], cancelled: [], hasAny: false });
  });
});

describe('the page that asks before cancelling', () => {
  it('says what cancelling would do: seats to the waitlist, a waitlist place lost, every date of a course', async () => {
    const { cancellationPreview } = await import('../../src/features/rsvps/rsvps.queries.ts');
    const activityId = await makeActivity(db, organisationId, { capacity: 3, title: 'Kochkurs' });
    const [family, waiting, stranger] = await Promise.all([makePerson(db), makePerson(db), makePerson(db)]);
    await createRsvp(db, family!, { activityId, partySize: 3, note: '' }, CONTEXT, NOW);
    await createRsvp(db, waiting!, { activityId, partySize: 2, note: '' }, CONTEXT, NOW);
    expect(await cancellationPreview(db, family!.id, activityId, 'de', NOW)).toMatchObject({ title: 'Kochkurs', status: 'going', partySize: 3, othersWaiting: 1, dates: 1, refusal: null, waitlistPosition: null });
    expect(await cancellationPreview(db, waiting!.id, activityId, 'de', NOW)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, othersWaiting: 0 });
    // Nobody else's, and not once it has started.
    await expect(cancellationPreview(db, stranger!.id, activityId, 'de', NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect((await cancellationPreview(db, family!.id, activityId, 'de', new Date('2030-06-01T16:00:00Z'))).refusal).toEqual({ key: 'rsvp.error.closed' });
    // Nor once the organiser called it off: the seats go to nobody.
    await db.updateTable('activity').set({ status: 'cancelled' }).where('id', '=', activityId).execute();
    expect((await cancellationPreview(db, family!.id, activityId, 'de', NOW)).refusal).toEqual({ key: 'rsvp.error.cancelled' });
    await db.updateTable('activity').set({ status: 'published' }).where('id', '=', activityId).execute();

    // A course booked as a whole: cancelling leaves every date still to come, from this one on.
    const series = await db.insertInto('activity_series').values({ organisation_id: organisationId, frequency: 'weekly', whole_series: true }).returning('id').executeTakeFirstOrThrow();
    const dates = [];
    for (const week of [0, 1, 2, 3]) {
      dates.push(await makeActivity(db, organisationId, { startsAt: new Date(Date.UTC(2030, 5, 1 + 7 * week, 16)), extra: { series_id: series.id } }));
    }
    await createRsvp(db, stranger!, { activityId: dates[0]!, partySize: 1, note: '' }, CONTEXT, NOW);
    expect((await cancellationPreview(db, stranger!.id, dates[0]!, 'de', NOW)).dates).toBe(4);
    expect((await cancellationPreview(db, stranger!.id, dates[2]!, 'de', NOW)).dates).toBe(2);
  });

  it('takes the dates of a course together by one rule: the chosen one and those after it not yet begun', async () => {
    const at = (day: number) => ({ id: day, starts_at: new Date(Date.UTC(2030, 5, day, 16)) });
    const course = [at(1), at(8), at(15), at(22)];
    expect(datesCancelledTogether(course, at(8), NOW).map((d) => d.id)).toEqual([8, 15, 22]);
    // Once the 15th has begun, only the 22nd is still to come; a date that began stays chosen.
    const on15th = new Date(Date.UTC(2030, 5, 15, 17));
    expect(datesCancelledTogether(course, at(8), on15th).map((d) => d.id)).toEqual([8, 22]);
    expect(datesCancelledTogether(course, at(22), new Date(Date.UTC(2030, 5, 23))).map((d) => d.id)).toEqual([22]);

    // The last date of a course has begun: cancelling it is refused, not an error.
    const { cancellationPreview } = await import('../../src/features/rsvps/rsvps.queries.ts');
    const series = await db.insertInto('activity_series').values({ organisation_id: organisationId, frequency: 'weekly', whole_series: true }).returning('id').executeTakeFirstOrThrow();
    const first = await makeActivity(db, organisationId, { startsAt: new Date(Date.UTC(2030, 5, 1, 16)), extra: { series_id: series.id } });
    const last = await makeActivity(db, organisationId, { startsAt: new Date(Date.UTC(2030, 5, 8, 16)), extra: { series_id: series.id } });
    const person = await makePerson(db);
    await createRsvp(db, person, { activityId: first, partySize: 1, note: '' }, CONTEXT, NOW);
    const mine = await db.selectFrom('rsvp').select('id').where('activity_id', '=', last).where('user_id', '=', person.id).executeTakeFirstOrThrow();
    const during = new Date(Date.UTC(2030, 5, 8, 17));
    expect(await cancelRsvp(db, person, mine.id, CONTEXT, during)).toEqual({ ok: false, refusal: { key: 'rsvp.error.closed' } });
    expect(await cancellationPreview(db, person.id, last, 'de', during)).toMatchObject({ dates: 1, refusal: { key: 'rsvp.error.closed' } });
  });
});
