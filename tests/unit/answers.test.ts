// One-tap answers: a reminder (and a waitlist promotion) carries "I'm coming" / "I can't come"
// links whose token answers that one RSVP until the activity starts; "coming" records when,
// once; "can't come" cancels through the RSVP service, the waitlist moves up once, however
// often or however many times at once it is pressed; a cancelled place is never booked again;
// after the start nothing changes; someone else's RSVP, an unknown or forged token: not found.
// Volunteers the same for shifts, with the organisers told. The door and the tasks page show
// who confirmed; retention and erasure take the tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Locale } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { cancelActivity } from '../../src/features/activities/activities.service.ts';
import { listAttendees, promoteManually } from '../../src/features/attendance/attendance.service.ts';
import { answerInput } from '../../src/features/answers/answers.schema.ts';
import { ANSWER_TOKEN_KEPT_MS, hasAnswerTokenShape, lookUpAnswerToken } from '../../src/features/answers/answer-links.ts';
import { answerByToken, answerRsvpAsPerson, answerShiftAsPerson, loadAnswerPage, previewAnswer } from '../../src/features/answers/answers.service.ts';
import { claimDueMessages, markSent, type OutboxKind } from '../../src/features/outbox/outbox.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import { erasePerson } from '../../src/features/privacy/erasure.ts';
import { applyRetention } from '../../src/features/privacy/retention.ts';
import { writeDueReminders } from '../../src/features/rsvps/reminders.ts';
import { createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import { writeDueShiftReminders } from '../../src/features/volunteering/reminders.ts';
import { getRolesPage } from '../../src/features/volunteering/volunteering.queries.ts';
import { signUp } from '../../src/features/volunteering/volunteering.service.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeOrganiser, makeRole } from '../helpers/volunteering.ts';

const BASE_URL = 'https://ankommen.example';
const CONTEXT = { baseUrl: BASE_URL };
const SETTINGS = { townName: 'Altena', timeZone: 'Europe/Berlin' };
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organiser: SessionUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  organiser = await makeOrganiser(db, organisationId, 'Olga Organiser');
});
afterAll(() => handle?.close());

/** Each activity on a day of its own, so that a reminder run reaches it alone. */
let days = 0;
function nextStart(): Date {
  days += 2;
  return new Date(Date.UTC(2030, 6, 1 + days, 16, 0));
}

const mails = (recipientId: number, kind: OutboxKind) =>
  db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', recipientId).where('kind', '=', kind).orderBy('id').execute();

const rsvpRow = (id: number) => db.selectFrom('rsvp').select(['status', 'confirmed_at', 'party_size']).where('id', '=', id).executeTakeFirstOrThrow();

/** The links of the person's latest mail of this kind, from where the outbox keeps them. */
async function linksIn(recipientId: number, kind: OutboxKind): Promise<{ coming: URL; notComing: URL; token: string; payload: Record<string, unknown> }> {
  const mail = (await mails(recipientId, kind)).at(-1);
  if (!mail) throw new Error(`no ${kind} to ${recipientId}`);
  const secrets = mail.secrets as unknown as Record<string, string>;
  const coming = new URL(secrets.comingUrl!);
  const notComing = new URL(secrets.notComingUrl!);
  const token = coming.pathname.split('/').at(-2)!;
  return { coming, notComing, token, payload: mail.payload };
}

interface Reminded {
  activityId: number;
  startsAt: Date;
  /** When the reminder went: 20 hours before the start. */
  remindedAt: Date;
  guest: SessionUser;
  rsvpId: number;
  token: string;
}

/** An activity, a guest who signed up a week before, and the reminder the day before. */
async function remindedGuest(options: { locale?: Locale; capacity?: number; partySize?: number } = {}): Promise<Reminded> {
  const startsAt = nextStart();
  const activityId = await makeActivity(db, organisationId, { capacity: options.capacity ?? 10, startsAt });
  const guest = await makePerson(db, { locale: options.locale ?? 'de', name: 'Amal Guest' });
  const created = await createRsvp(db, guest, { activityId, partySize: options.partySize ?? 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - 7 * DAY));
  if (!created.ok) throw new Error('RSVP refused');
  const remindedAt = new Date(startsAt.getTime() - 20 * HOUR);
  expect(await writeDueReminders(db, CONTEXT, remindedAt)).toBeGreaterThanOrEqual(1);
  const { token } = await linksIn(guest.id, 'rsvp_reminder');
  return { activityId, startsAt, remindedAt, guest, rsvpId: created.rsvpId, token };
}

describe('the reminder', () => {
  it('carries both links in the person’s language, secret, with the RSVP’s id for Telegram; only the token’s hash is kept, until the start', async () => {
    const { guest, rsvpId, startsAt } = await remindedGuest({ locale: 'ar', partySize: 3 });
    const [mail] = await mails(guest.id, 'rsvp_reminder');
    // The links are secrets, kept apart from the payload; the RSVP's id is not.
    expect(mail!.payload).toMatchObject({ rsvpId, partySize: 3 });
    expect(JSON.stringify(mail!.payload)).not.toContain('/answer/');
    const { coming, notComing, token } = await linksIn(guest.id, 'rsvp_reminder');
    expect(coming.href).toBe(`${BASE_URL}/ar/answer/${token}/coming`);
    expect(notComing.href).toBe(`${BASE_URL}/ar/answer/${token}/not-coming`);
    expect(hasAnswerTokenShape(token)).toBe(true);
    const stored = await db.selectFrom('answer_token').selectAll().where('rsvp_id', '=', rsvpId).execute();
    expect(stored).toEqual([expect.objectContaining({ token_hash: hashToken(token), volunteer_signup_id: null, expires_at: startsAt })]);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('shows both answers as lines of their own, each address alone on the next line; the secret is gone once sent', async () => {
    const { guest, remindedAt } = await remindedGuest({ partySize: 2 });
    const { coming, notComing } = await linksIn(guest.id, 'rsvp_reminder');
    const claimed = (await claimDueMessages(db, 500, remindedAt)).find((m) => m.recipientUserId === guest.id && m.kind === 'rsvp_reminder')!;
    const text = renderMail(claimed, SETTINGS).text;
    expect(text).toContain(`Ich komme:\n${coming.href}\n`);
    expect(text).toContain(`Ich kann nicht kommen (mein Platz geht an die Warteliste):\n${notComing.href}\n`);
    expect(text).not.toContain('Bitte sagen Sie über den Link ab');
    await markSent(db, claimed.id, remindedAt);
    const row = await db.selectFrom('outbox').select(['secrets', 'payload']).where('id', '=', claimed.id).executeTakeFirstOrThrow();
    expect(row.secrets).toBeNull();
    expect(JSON.stringify(row.payload)).not.toContain('/answer/');
  });

  it('reads in every language without a placeholder left', async () => {
    const { guest } = await remindedGuest();
    const [mail] = await mails(guest.id, 'rsvp_reminder');
    const payload = { ...mail!.payload, ...(mail!.secrets as unknown as Record<string, unknown>) };
    for (const locale of ['de', 'en', 'ar', 'uk', 'tr', 'fa'] as const) {
      const text = renderMail({ id: 1, kind: 'rsvp_reminder', recipientUserId: guest.id, recipientEmail: 'x@example.org', channel: 'email', locale, payload, attempts: 1 }, SETTINGS).text;
      expect(text, locale).toContain(String(payload.comingUrl));
      expect(text, locale).toContain(String(payload.notComingUrl));
      expect(text, locale).not.toMatch(/\{\w+\}/);
    }
  });
});

describe('answering an RSVP', () => {
  it('"coming" records when, once: pressed again it says so and keeps the first time', async () => {
    const { guest, rsvpId, remindedAt } = await remindedGuest();
    const first = await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: remindedAt });
    expect(first).toMatchObject({ outcome: 'confirmed', promoted: 0, rsvp: { rsvpId, status: 'going', confirmedAt: remindedAt, title: 'Sprachcafé', place: 'Stellwerk, Lennestraße 12, 58762 Altena' } });
    expect((await rsvpRow(rsvpId)).confirmed_at).toEqual(remindedAt);
    const later = new Date(remindedAt.getTime() + HOUR);
    expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: later })).toMatchObject({ outcome: 'already_confirmed', rsvp: { confirmedAt: remindedAt } });
    expect((await rsvpRow(rsvpId)).confirmed_at).toEqual(remindedAt);
  });

  it('"can\'t come" gives the seats to the waitlist at once; the family that moves up is told, with links of its own; used twice, nobody moves up again', async () => {
    const { activityId, guest, rsvpId, remindedAt, startsAt } = await remindedGuest({ capacity: 3, partySize: 3 });
    const waiting = await makePerson(db, { locale: 'uk', name: 'Olena Waiting' });
    const second = await makePerson(db, { name: 'Sami Second' });
    const w1 = await createRsvp(db, waiting, { activityId, partySize: 2, note: '' }, CONTEXT, new Date(startsAt.getTime() - 3 * DAY));
    const w2 = await createRsvp(db, second, { activityId, partySize: 2, note: '' }, CONTEXT, new Date(startsAt.getTime() - 2 * DAY));
    expect([w1, w2].map((r) => r.ok && r.status)).toEqual(['waitlisted', 'waitlisted']);

    const result = await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'not_coming', { now: remindedAt });
    expect(result).toMatchObject({ outcome: 'cancelled', promoted: 1, rsvp: { status: 'cancelled' } });
    expect((await rsvpRow(rsvpId)).status).toBe('cancelled');
    // The first waiting family fits (2 of 3 seats); the next (2 more) does not.
    expect((await rsvpRow((w1 as { rsvpId: number }).rsvpId)).status).toBe('going');
    expect((await rsvpRow((w2 as { rsvpId: number }).rsvpId)).status).toBe('waitlisted');
    const promotion = await mails(waiting.id, 'rsvp_promoted');
    expect(promotion).toHaveLength(1);
    const theirs = await linksIn(waiting.id, 'rsvp_promoted');
    expect(theirs.payload).toMatchObject({ rsvpId: (w1 as { rsvpId: number }).rsvpId });
    expect(theirs.coming.pathname).toBe(`/uk/answer/${theirs.token}/coming`);
    // Their links answer their RSVP, until the start.
    expect(await lookUpAnswerToken(db, theirs.token, '198.51.100.1', remindedAt)).toEqual({ kind: 'found', target: { kind: 'rsvp', rsvpId: (w1 as { rsvpId: number }).rsvpId, personId: waiting.id } });
    const text = renderMail({ id: 1, kind: 'rsvp_promoted', recipientUserId: waiting.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'uk', payload: { ...theirs.payload, comingUrl: theirs.coming.href, notComingUrl: theirs.notComing.href }, attempts: 1 }, SETTINGS).text;
    expect(text).toContain(`Я прийду:\n${theirs.coming.href}`);

    // Pressed again (a second tab, a double tap): it says so; nothing moves.
    const again = await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'not_coming', { now: new Date(remindedAt.getTime() + 60_000) });
    expect(again).toMatchObject({ outcome: 'already_cancelled', promoted: 0 });
    expect(await mails(waiting.id, 'rsvp_promoted')).toHaveLength(1);
    expect(await mails(second.id, 'rsvp_promoted')).toHaveLength(0);
  });

  it('a family the organiser lets in from the waitlist at the door gets the links too', async () => {
    const startsAt = nextStart();
    const activityId = await makeActivity(db, organisationId, { capacity: 1, startsAt });
    const [going, waiting] = await Promise.all([makePerson(db), makePerson(db, { locale: 'fa' })]);
    await createRsvp(db, going, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - 3 * DAY));
    const queued = (await createRsvp(db, waiting, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - 2 * DAY))) as { rsvpId: number };
    await db.updateTable('activity').set({ capacity: 2 }).where('id', '=', activityId).execute();
    const now = new Date(startsAt.getTime() - HOUR);
    expect(await promoteManually(db, organiser, queued.rsvpId, CONTEXT, now)).toEqual({ ok: true, rsvpId: queued.rsvpId });
    const theirs = await linksIn(waiting.id, 'rsvp_promoted');
    expect(theirs.payload).toMatchObject({ rsvpId: queued.rsvpId });
    expect(theirs.coming.pathname).toBe(`/fa/answer/${theirs.token}/coming`);
    expect(await answerRsvpAsPerson(db, CONTEXT, waiting.id, queued.rsvpId, 'coming', { now })).toMatchObject({ outcome: 'confirmed' });

    // Let in once it has begun: the notice offers nothing to answer.
    const latecomer = await makePerson(db);
    const late = (await createRsvp(db, latecomer, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - DAY))) as { rsvpId: number };
    await db.updateTable('activity').set({ capacity: 3 }).where('id', '=', activityId).execute();
    expect(await promoteManually(db, organiser, late.rsvpId, CONTEXT, new Date(startsAt.getTime() + 10 * 60_000))).toMatchObject({ ok: true });
    const [notice] = await mails(latecomer.id, 'rsvp_promoted');
    expect(notice?.secrets).toBeNull();
    expect(await db.selectFrom('answer_token').select('token_hash').where('rsvp_id', '=', late.rsvpId).execute()).toEqual([]);
  });

  it('pressed twice at the same moment, cancels once and promotes once', async () => {
    const { activityId, guest, rsvpId, remindedAt, startsAt } = await remindedGuest({ capacity: 1 });
    const waiting = await Promise.all([makePerson(db), makePerson(db)]);
    for (const person of waiting) await createRsvp(db, person, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - 2 * DAY));
    const results = await Promise.all([1, 2].map(() => answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'not_coming', { now: remindedAt })));
    expect(results.map((r) => r.outcome).sort()).toEqual(['already_cancelled', 'cancelled']);
    const promotions = await db.selectFrom('outbox').select('recipient_user_id').where('kind', '=', 'rsvp_promoted').where('recipient_user_id', 'in', waiting.map((p) => p.id)).execute();
    expect(promotions.map((m) => m.recipient_user_id)).toEqual([waiting[0]!.id]);
    const seats = await db.selectFrom('rsvp').select(['user_id', 'status']).where('activity_id', '=', activityId).where('status', '=', 'going').execute();
    expect(seats).toEqual([{ user_id: waiting[0]!.id, status: 'going' }]);
  });

  it('"coming" on a cancelled place says it was cancelled and never books it again', async () => {
    const { guest, rsvpId, remindedAt } = await remindedGuest();
    await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'not_coming', { now: remindedAt });
    const result = await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: remindedAt });
    expect(result).toMatchObject({ outcome: 'already_cancelled' });
    expect(await rsvpRow(rsvpId)).toMatchObject({ status: 'cancelled', confirmed_at: null });
  });

  it('after "coming", "can\'t come" still cancels (people change their minds)', async () => {
    const { guest, rsvpId, remindedAt } = await remindedGuest();
    await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: remindedAt });
    expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'not_coming', { now: remindedAt })).toMatchObject({ outcome: 'cancelled' });
    expect((await rsvpRow(rsvpId)).status).toBe('cancelled');
  });

  it('after the start changes nothing: too late, for either answer', async () => {
    const { activityId, guest, rsvpId, startsAt } = await remindedGuest({ capacity: 1 });
    const waiting = await makePerson(db);
    await createRsvp(db, waiting, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - DAY));
    for (const answer of ['coming', 'not_coming'] as const) {
      for (const now of [startsAt, new Date(startsAt.getTime() + HOUR)]) {
        expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, answer, { now })).toMatchObject({ outcome: 'too_late' });
      }
    }
    expect(await rsvpRow(rsvpId)).toMatchObject({ status: 'going', confirmed_at: null });
    expect(await mails(waiting.id, 'rsvp_promoted')).toHaveLength(0);
    // A minute before, it still works.
    expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: new Date(startsAt.getTime() - 60_000) })).toMatchObject({ outcome: 'confirmed' });
  });

  it('follows the activity when it moves: a later start keeps the link working, an earlier one ends it sooner', async () => {
    const { activityId, guest, rsvpId, startsAt } = await remindedGuest();
    const later = new Date(startsAt.getTime() + 2 * DAY);
    await db.updateTable('activity').set({ starts_at: later, ends_at: new Date(later.getTime() + 2 * HOUR) }).where('id', '=', activityId).execute();
    expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: new Date(startsAt.getTime() + HOUR) })).toMatchObject({ outcome: 'confirmed' });
    const earlier = new Date(startsAt.getTime() - 4 * HOUR);
    await db.updateTable('activity').set({ starts_at: earlier, ends_at: startsAt }).where('id', '=', activityId).execute();
    expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'not_coming', { now: new Date(earlier.getTime() + 60_000) })).toMatchObject({ outcome: 'too_late' });
  });

  it('someone else’s RSVP, or one that does not exist, is not found and stays as it was', async () => {
    const { guest, rsvpId, remindedAt } = await remindedGuest();
    const stranger = await makePerson(db);
    for (const answer of ['coming', 'not_coming'] as const) {
      expect(await answerRsvpAsPerson(db, CONTEXT, stranger.id, rsvpId, answer, { now: remindedAt })).toEqual({ outcome: 'not_found' });
      expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, 2_000_000_000, answer, { now: remindedAt })).toEqual({ outcome: 'not_found' });
    }
    expect(await rsvpRow(rsvpId)).toMatchObject({ status: 'going', confirmed_at: null });
    expect(await previewAnswer(db, { kind: 'rsvp', rsvpId, personId: stranger.id }, 'coming', { now: remindedAt })).toBeNull();
  });

  it('on the waitlist: "coming" has nothing to confirm yet; "can\'t come" leaves the waitlist', async () => {
    const startsAt = nextStart();
    const activityId = await makeActivity(db, organisationId, { capacity: 1, startsAt });
    const [going, waiting] = await Promise.all([makePerson(db), makePerson(db)]);
    await createRsvp(db, going, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - 3 * DAY));
    const queued = await createRsvp(db, waiting, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - 2 * DAY));
    const rsvpId = (queued as { rsvpId: number }).rsvpId;
    const now = new Date(startsAt.getTime() - DAY);
    expect(await answerRsvpAsPerson(db, CONTEXT, waiting.id, rsvpId, 'coming', { now })).toMatchObject({ outcome: 'waitlisted', rsvp: { waitlistPosition: 1 } });
    expect((await rsvpRow(rsvpId)).confirmed_at).toBeNull();
    expect(await answerRsvpAsPerson(db, CONTEXT, waiting.id, rsvpId, 'not_coming', { now })).toMatchObject({ outcome: 'cancelled', promoted: 0 });
  });

  it('on an activity the organisers called off, changes nothing', async () => {
    const { activityId, guest, rsvpId, remindedAt } = await remindedGuest();
    expect(await cancelActivity(db, organiser, activityId, 'Der Raum ist nass.', CONTEXT, remindedAt)).toEqual({ cancelled: 1 });
    for (const answer of ['coming', 'not_coming'] as const) {
      expect(await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, answer, { now: remindedAt })).toMatchObject({ outcome: 'activity_cancelled', rsvp: { cancelReason: 'Der Raum ist nass.' } });
    }
    expect(await rsvpRow(rsvpId)).toMatchObject({ status: 'going', confirmed_at: null });
  });

  it('the page’s preview asks first, and says what happened once it has', async () => {
    const { guest, rsvpId, remindedAt } = await remindedGuest({ locale: 'en' });
    const target = { kind: 'rsvp' as const, rsvpId, personId: guest.id };
    expect(await previewAnswer(db, target, 'coming', { now: remindedAt })).toMatchObject({ kind: 'rsvp', outcome: 'ask' });
    expect(await previewAnswer(db, target, 'not_coming', { now: remindedAt })).toMatchObject({ kind: 'rsvp', outcome: 'ask', rsvp: { othersWaiting: 0, partySize: 1, dates: 1 } });
    await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: remindedAt });
    expect(await previewAnswer(db, target, 'coming', { now: remindedAt })).toMatchObject({ outcome: 'already_confirmed' });
    // Having said "coming", "can't come" is still offered.
    expect(await previewAnswer(db, target, 'not_coming', { now: remindedAt })).toMatchObject({ outcome: 'ask' });
    // Reading changed nothing.
    expect((await rsvpRow(rsvpId)).status).toBe('going');
  });
});

describe('tokens', () => {
  it('a forged or unknown token opens nothing, and too many from one address are slowed down, never the owner', async () => {
    const { token, remindedAt, rsvpId, guest } = await remindedGuest();
    const ip = '203.0.113.77';
    const forged = token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
    expect(await lookUpAnswerToken(db, forged, ip, remindedAt)).toEqual({ kind: 'unknown' });
    expect(await lookUpAnswerToken(db, 'not-a-token', ip, remindedAt)).toEqual({ kind: 'unknown' });
    expect(await loadAnswerPage(db, forged, 'coming', ip, { now: remindedAt })).toEqual({ kind: 'unknown' });
    expect(await answerByToken(db, CONTEXT, forged, 'not_coming', ip, { now: remindedAt })).toEqual({ kind: 'unknown' });
    for (let i = 0; i < 16; i++) await lookUpAnswerToken(db, `${'a'.repeat(31)}${i % 8}`, ip, remindedAt);
    expect(await lookUpAnswerToken(db, forged, ip, remindedAt)).toMatchObject({ kind: 'rate-limited' });
    // The real link still works from there.
    expect(await lookUpAnswerToken(db, token, ip, remindedAt)).toEqual({ kind: 'found', target: { kind: 'rsvp', rsvpId, personId: guest.id } });
  });

  it('the button answers through the token: "coming", then the page says it was already done', async () => {
    const { token, remindedAt, rsvpId } = await remindedGuest();
    const ip = '203.0.113.78';
    expect(await answerByToken(db, CONTEXT, token, 'coming', ip, { now: remindedAt })).toMatchObject({ kind: 'rsvp', outcome: 'confirmed' });
    expect(await loadAnswerPage(db, token, 'coming', ip, { now: remindedAt, locale: 'de' })).toMatchObject({ kind: 'found', preview: { kind: 'rsvp', outcome: 'already_confirmed', rsvp: { rsvpId } } });
  });

  it('the button’s input takes a token and one of the two answers; anything else names nothing', () => {
    expect(answerInput.safeParse({ token: 'abc', answer: 'coming' }).success).toBe(true);
    expect(answerInput.safeParse({ token: 'abc', answer: 'not_coming' }).success).toBe(true);
    for (const bad of [{ token: 'abc', answer: 'maybe' }, { token: '', answer: 'coming' }, { token: 'x'.repeat(65), answer: 'coming' }, { answer: 'coming' }]) {
      const parsed = answerInput.safeParse(bad);
      expect(parsed.success, JSON.stringify(bad)).toBe(false);
      expect(parsed.error?.issues.every((issue) => issue.message === 'error.notFound'), JSON.stringify(bad)).toBe(true);
    }
  });
});

describe('shifts', () => {
  async function remindedVolunteer() {
    const startsAt = nextStart();
    const activityId = await makeActivity(db, organisationId, { startsAt });
    const roleId = await makeRole(db, organiser, activityId, { name: 'Aufbau', peopleNeeded: 2 });
    const volunteer = await makePerson(db, { name: 'Vera Volunteer', locale: 'tr' });
    const signed = await signUp(db, volunteer, roleId, CONTEXT, new Date(startsAt.getTime() - 7 * DAY));
    if (!signed.ok) throw new Error('sign-up refused');
    const remindedAt = new Date(startsAt.getTime() - 20 * HOUR);
    expect(await writeDueShiftReminders(db, CONTEXT, remindedAt)).toBeGreaterThanOrEqual(1);
    return { activityId, roleId, volunteer, signupId: signed.signupId, startsAt, remindedAt };
  }
  const signupRow = (id: number) => db.selectFrom('volunteer_signup').select(['status', 'confirmed_at']).where('id', '=', id).executeTakeFirstOrThrow();

  it('the reminder carries "I’ll be there" / "I can’t make it", secret, with the sign-up’s id', async () => {
    const { volunteer, signupId, startsAt } = await remindedVolunteer();
    const links = await linksIn(volunteer.id, 'volunteer_reminder');
    expect(links.payload).toMatchObject({ signupId, roleName: 'Aufbau' });
    expect(links.coming.pathname).toBe(`/tr/answer/${links.token}/coming`);
    expect(await db.selectFrom('answer_token').select(['volunteer_signup_id', 'rsvp_id', 'expires_at']).where('token_hash', '=', hashToken(links.token)).executeTakeFirst()).toEqual({ volunteer_signup_id: signupId, rsvp_id: null, expires_at: startsAt });
    const text = renderMail({ id: 1, kind: 'volunteer_reminder', recipientUserId: volunteer.id, recipientEmail: 'x@example.org', channel: 'email', locale: 'de', payload: { ...links.payload, comingUrl: links.coming.href, notComingUrl: links.notComing.href }, attempts: 1 }, SETTINGS).text;
    expect(text).toContain(`Ich bin dabei:\n${links.coming.href}\n`);
    expect(text).toContain(`Ich kann nicht (das Team bekommt Bescheid):\n${links.notComing.href}`);
  });

  it('"I’ll be there" records when, once; the tasks page shows it', async () => {
    const { activityId, volunteer, signupId, remindedAt } = await remindedVolunteer();
    expect(await answerShiftAsPerson(db, CONTEXT, volunteer.id, signupId, 'coming', { now: remindedAt })).toMatchObject({ outcome: 'confirmed', shift: { roleName: 'Aufbau', confirmedAt: remindedAt } });
    expect(await answerShiftAsPerson(db, CONTEXT, volunteer.id, signupId, 'coming', { now: new Date(remindedAt.getTime() + HOUR) })).toMatchObject({ outcome: 'already_confirmed', shift: { confirmedAt: remindedAt } });
    expect((await signupRow(signupId)).confirmed_at).toEqual(remindedAt);
    const page = await getRolesPage(db, organiser, activityId, remindedAt);
    expect(page.roles[0]!.volunteers).toEqual([expect.objectContaining({ displayName: 'Vera Volunteer', confirmedAt: remindedAt })]);
  });

  it('"I can’t make it" withdraws and tells every organiser who it was, once; a second time changes nothing', async () => {
    const { activityId, volunteer, signupId, remindedAt } = await remindedVolunteer();
    const second = await makeOrganiser(db, organisationId, 'Otto Organiser');
    const before = await mails(organiser.id, 'volunteer_withdrew_organiser');
    const result = await answerShiftAsPerson(db, CONTEXT, volunteer.id, signupId, 'not_coming', { now: remindedAt });
    expect(result).toMatchObject({ outcome: 'cancelled', shift: { status: 'withdrawn' } });
    expect((await signupRow(signupId)).status).toBe('withdrawn');
    const told = (await mails(organiser.id, 'volunteer_withdrew_organiser')).slice(before.length);
    expect(told).toHaveLength(1);
    expect(await mails(second.id, 'volunteer_withdrew_organiser')).toHaveLength(1);
    // The mail names the volunteer: it goes when they are erased.
    expect(told[0]).toMatchObject({ about_user_id: volunteer.id, payload: expect.objectContaining({ volunteerName: 'Vera Volunteer', roleName: 'Aufbau', url: `${BASE_URL}/organise/${activityId}/roles` }) });
    const text = renderMail({ id: 1, kind: 'volunteer_withdrew_organiser', recipientUserId: organiser.id, recipientEmail: 'o@example.org', channel: 'email', locale: 'de', payload: told[0]!.payload, attempts: 1 }, SETTINGS);
    expect(text.subject).toBe('Absage für „Aufbau“: Sprachcafé');
    expect(text.text).toContain('Vera Volunteer kann bei der Aufgabe „Aufbau“ nicht helfen und hat sich ausgetragen.');
    expect(text.text).toContain(`${BASE_URL}/organise/${activityId}/roles`);

    const again = await answerShiftAsPerson(db, CONTEXT, volunteer.id, signupId, 'not_coming', { now: remindedAt });
    expect(again).toMatchObject({ outcome: 'already_cancelled', organisersTold: 0 });
    expect(await answerShiftAsPerson(db, CONTEXT, volunteer.id, signupId, 'coming', { now: remindedAt })).toMatchObject({ outcome: 'already_cancelled' });
    expect(await mails(organiser.id, 'volunteer_withdrew_organiser')).toHaveLength(before.length + 1);
  });

  it('someone else’s sign-up is not found; after the shift starts nothing changes', async () => {
    const { volunteer, signupId, startsAt, remindedAt } = await remindedVolunteer();
    const stranger = await makePerson(db);
    expect(await answerShiftAsPerson(db, CONTEXT, stranger.id, signupId, 'not_coming', { now: remindedAt })).toEqual({ outcome: 'not_found' });
    expect(await answerShiftAsPerson(db, CONTEXT, volunteer.id, signupId, 'not_coming', { now: startsAt })).toMatchObject({ outcome: 'too_late' });
    expect(await signupRow(signupId)).toEqual({ status: 'active', confirmed_at: null });
  });
});

describe('the door', () => {
  it('shows when each party confirmed, and how many of those with an account did', async () => {
    const { activityId, guest, rsvpId, remindedAt, startsAt } = await remindedGuest({ partySize: 2 });
    const other = await makePerson(db, { name: 'Bilal Other' });
    await createRsvp(db, other, { activityId, partySize: 1, note: '' }, CONTEXT, new Date(startsAt.getTime() - 3 * DAY));
    await answerRsvpAsPerson(db, CONTEXT, guest.id, rsvpId, 'coming', { now: remindedAt });
    const list = await listAttendees(db, organiser, activityId);
    expect(list.going.map((r) => [r.name, r.confirmedAt])).toEqual([
      ['Amal Guest', remindedAt],
      ['Bilal Other', null],
    ]);
    expect(list.confirmations).toEqual({ confirmed: 1, of: 2 });
  });
});

describe('retention and erasure', () => {
  it('retention deletes a token a week after its activity started, not before, and not while a moved activity is still ahead', async () => {
    const { token, startsAt } = await remindedGuest();
    const moved = await remindedGuest();
    const later = new Date(moved.startsAt.getTime() + 30 * DAY);
    await db.updateTable('activity').set({ starts_at: later, ends_at: new Date(later.getTime() + HOUR) }).where('id', '=', moved.activityId).execute();
    const exists = async (t: string) => (await db.selectFrom('answer_token').select('token_hash').where('token_hash', '=', hashToken(t)).executeTakeFirst()) !== undefined;
    const run = (now: Date, dryRun = false) => applyRetention(db, { now, baseUrl: BASE_URL, only: ['answer_links'], dryRun });

    const justBefore = new Date(startsAt.getTime() + ANSWER_TOKEN_KEPT_MS - 60_000);
    await run(justBefore);
    expect(await exists(token)).toBe(true);
    const justAfter = new Date(startsAt.getTime() + ANSWER_TOKEN_KEPT_MS + 60_000);
    // The moved activity's token is older still, but its activity is a month away.
    const due = await run(new Date(moved.startsAt.getTime() + ANSWER_TOKEN_KEPT_MS + 60_000), true);
    expect(due.answer_links).toBeGreaterThanOrEqual(1);
    await run(justAfter);
    expect(await exists(token)).toBe(false);
    await run(new Date(moved.startsAt.getTime() + ANSWER_TOKEN_KEPT_MS + 60_000));
    expect(await exists(moved.token)).toBe(true);
    await run(new Date(later.getTime() + ANSWER_TOKEN_KEPT_MS + 60_000));
    expect(await exists(moved.token)).toBe(false);
  });

  it('erasing a person deletes their links: the RSVPs stay, anonymous, and no link answers them any more', async () => {
    const past = await remindedGuest();
    // Their RSVP from before: it stays, anonymous, and counted.
    await answerRsvpAsPerson(db, CONTEXT, past.guest.id, past.rsvpId, 'coming', { now: past.remindedAt });
    const ip = '203.0.113.90';
    const after = new Date(past.startsAt.getTime() + DAY);
    const result = await erasePerson(db, past.guest.id, { requester: { by: 'self' }, ip, baseUrl: BASE_URL, now: after });
    expect(result.steps.answerLinksDeleted).toBe(1);
    expect(await db.selectFrom('rsvp').select(['user_id', 'anonymised_at']).where('id', '=', past.rsvpId).executeTakeFirstOrThrow()).toEqual({ user_id: null, anonymised_at: after });
    expect(await db.selectFrom('answer_token').select('token_hash').where('rsvp_id', '=', past.rsvpId).execute()).toEqual([]);
    expect(await lookUpAnswerToken(db, past.token, ip, after)).toEqual({ kind: 'unknown' });

    // A volunteer's links go with their sign-ups.
    const startsAt = nextStart();
    const activityId = await makeActivity(db, organisationId, { startsAt });
    const roleId = await makeRole(db, organiser, activityId);
    const volunteer = await makePerson(db);
    const signed = await signUp(db, volunteer, roleId, CONTEXT, new Date(startsAt.getTime() - 7 * DAY));
    await writeDueShiftReminders(db, CONTEXT, new Date(startsAt.getTime() - 20 * HOUR));
    const { token } = await linksIn(volunteer.id, 'volunteer_reminder');
    await erasePerson(db, volunteer.id, { requester: { by: 'self' }, ip, baseUrl: BASE_URL, now: new Date(startsAt.getTime() - 10 * HOUR) });
    expect(await db.selectFrom('answer_token').select('token_hash').where('token_hash', '=', hashToken(token)).execute()).toEqual([]);
    expect(signed.ok).toBe(true);
  });
});
