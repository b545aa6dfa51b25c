// Consultation hours, second half: an interpreting request opens with a booking in a language
// nobody on duty speaks and the booking shows whether an interpreter is looked for or found;
// every way a booking ends withdraws it (and tells a helper who had taken it, in their
// language); a Kümmerer books for their mentee, a coordinator for anyone, nobody else ("not
// found"); the topic "health" needs explicit consent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { bookingOnSlotFor, listBookingsMadeForOthers, listMyBookings } from '../../src/features/consultations/consultations.queries.ts';
import type { BookRequest, HourInput } from '../../src/features/consultations/consultations.schema.ts';
import { bookInput } from '../../src/features/consultations/consultations.schema.ts';
import { addWalkIn, bookSlot, cancelBooking, cancelHour, changeHour, markWalkIn, publishHours } from '../../src/features/consultations/consultations.service.ts';
import { listComingHours, loadDayList, loadHourForStaff } from '../../src/features/consultations/consultations.queries.ts';
import { writeDueConsultationReminders } from '../../src/features/consultations/reminders.ts';
import { createAnswerLinks } from '../../src/features/answers/answer-links.ts';
import { answerByToken, loadAnswerPage } from '../../src/features/answers/answers.service.ts';
import { peopleToBookFor } from '../../src/features/consultations/consultations.access.ts';
import { takeRequest } from '../../src/features/help-requests/help-requests.service.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import type { OutboxMessage } from '../../src/features/outbox/outbox.ts';
import { TOPIC_OF_KIND } from '../../src/features/notifications/topics.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeCoordinator, makeKuemmerer, makeRequest } from '../helpers/mentoring.ts';
import { makeOrganiser, TOWN_ZONE } from '../helpers/volunteering.ts';

export const ORIGIN = { baseUrl: 'https://ankommen.example', ip: '127.0.0.1' };
const NOW = new Date('2030-05-20T10:00:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organiser: SessionUser;
let dateCounter = 0;

/** A fresh hour on its own Monday (so tests do not share slots): three slots of 20 minutes. */
async function publishOneHour(overrides: Partial<HourInput> = {}): Promise<number[]> {
  const day = new Date(Date.UTC(2030, 5, 3 + 7 * dateCounter++)).toISOString().slice(0, 10);
  const before = new Set((await db.selectFrom('consultation_slot').select('id').execute()).map((s) => s.id));
  const result = await publishHours(db, organiser, { organisationId, date: day, startTime: '09:00', endTime: '10:00', slotMinutes: 20, weeks: 1, remote: false, place: 'Rathaus, Raum 12', topics: ['housing', 'residence', 'health'], languages: ['de', 'ar'], ...overrides }, TOWN_ZONE, NOW);
  expect(result.ok).toBe(true);
  const after = await db.selectFrom('consultation_slot').select('id').orderBy('starts_at').orderBy('id').execute();
  return after.map((s) => s.id).filter((id) => !before.has(id));
}

async function book(actor: SessionUser, slotId: number, overrides: Partial<BookRequest> = {}): Promise<number> {
  const result = await bookSlot(db, actor, { slotId, topic: 'residence', language: 'fa', note: 'Aufenthaltstitel', ...overrides }, ORIGIN, NOW);
  if (!result.ok || !('bookingId' in result)) throw new Error(`not booked: ${JSON.stringify(result)}`);
  return result.bookingId;
}

function requestOf(bookingId: number) {
  return db.selectFrom('help_request').selectAll().where('consultation_booking_id', '=', bookingId).executeTakeFirstOrThrow();
}

async function mentorship(kuemmerer: SessionUser, newcomer: SessionUser, status: 'active' | 'ended' = 'active', request?: number): Promise<void> {
  const requestId = request ?? (await makeRequest(db, newcomer));
  await db.insertInto('mentorship').values({ request_id: requestId, kuemmerer_user_id: kuemmerer.id, newcomer_user_id: newcomer.id, status, started_at: NOW, ended_at: status === 'ended' ? NOW : null }).execute();
}

function render(row: { id: number; kind: string; recipient_user_id: number | null; recipient_email: string | null; locale: string; payload: unknown }) {
  return renderMail({ id: row.id, kind: row.kind, recipientUserId: row.recipient_user_id, recipientEmail: row.recipient_email, channel: 'email', locale: row.locale, payload: row.payload as Record<string, unknown>, attempts: 0 } as OutboxMessage, { townName: 'Altena', timeZone: TOWN_ZONE });
}

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  organiser = await makeOrganiser(db, organisationId);
});
afterAll(() => handle?.close());

describe('an interpreter for a booking', () => {
  it('opens an interpreting request with the booking: the slot’s time, place and language, the organisation and topic, never the note', async () => {
    const [slotId] = await publishOneHour();
    const newcomer = await makePerson(db, { locale: 'fa', name: 'Zahra Ahmadi' });
    const bookingId = await book(newcomer, slotId!);
    const request = await requestOf(bookingId);
    const slot = await db.selectFrom('consultation_slot').select('starts_at').where('id', '=', slotId!).executeTakeFirstOrThrow();
    expect(request).toMatchObject({ kind: 'interpreting', status: 'open', asker_user_id: newcomer.id, posted_by_user_id: null, district: 'Rathaus, Raum 12', address: 'Rathaus, Raum 12', languages: ['fa'], week_of: null });
    expect(request.starts_at!.toISOString()).toBe(slot.starts_at.toISOString());
    expect(request.note).toContain('Test-Verein');
    expect(request.note).toContain('Behörden und Aufenthalt');
    expect(request.note).not.toContain('Aufenthaltstitel');
    const [mine] = await listMyBookings(db, newcomer.id, NOW);
    expect(mine!.interpreter).toEqual({ state: 'looking' });
  });

  it('says "by phone or video" to helpers when the hour is remote, and opens nothing for a spoken language', async () => {
    const [remoteSlot] = await publishOneHour({ remote: true, place: '' });
    const [spokenSlot] = await publishOneHour();
    const newcomer = await makePerson(db, { locale: 'fa' });
    const remote = await requestOf(await book(newcomer, remoteSlot!));
    expect(remote).toMatchObject({ district: 'Am Telefon oder per Video', address: '' });
    const arabic = await book(await makePerson(db, { locale: 'ar' }), spokenSlot!, { language: 'ar' });
    expect(await db.selectFrom('help_request').select('id').where('consultation_booking_id', '=', arabic).executeTakeFirst()).toBeUndefined();
  });

  it('shows "Interpreter found" with the helper’s first name once a volunteer takes the request', async () => {
    const [slotId] = await publishOneHour();
    const newcomer = await makePerson(db, { locale: 'fa' });
    const bookingId = await book(newcomer, slotId!);
    const helper = await makePerson(db, { name: 'Hanna Helferin' });
    expect(await takeRequest(db, helper, (await requestOf(bookingId)).id, ORIGIN, NOW)).toEqual({ ok: true });
    expect((await bookingOnSlotFor(db, newcomer.id, slotId!))!.interpreter).toEqual({ state: 'found', helperName: 'Hanna' });
    // Nobody else sees the booking on the slot's page.
    expect(await bookingOnSlotFor(db, helper.id, slotId!)).toBeNull();
  });

  it('cancelling withdraws an open request, and a taken one too — the helper is told in their language', async () => {
    const [first, second] = await publishOneHour();
    const newcomer = await makePerson(db, { locale: 'fa', name: 'Zahra Ahmadi' });
    const open = await book(newcomer, first!);
    expect(await cancelBooking(db, newcomer, open, ORIGIN, NOW)).toEqual({ ok: true });
    expect((await requestOf(open)).status).toBe('withdrawn');

    const taken = await book(newcomer, second!);
    const helper = await makePerson(db, { name: 'Oksana Helper', locale: 'uk' });
    await takeRequest(db, helper, (await requestOf(taken)).id, ORIGIN, NOW);
    expect(await cancelBooking(db, newcomer, taken, ORIGIN, NOW)).toEqual({ ok: true });
    expect((await requestOf(taken)).status).toBe('withdrawn');
    const mail = await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', helper.id).where('kind', '=', 'help_request_withdrawn_helper').executeTakeFirstOrThrow();
    expect(mail.locale).toBe('uk');
    const text = render(mail).text;
    expect(text).toContain('Zahra');
    expect(text).toContain('Ви для нього більше не потрібні');
    expect(TOPIC_OF_KIND.help_request_withdrawn_helper).toBe('help_requests');
  });
});

describe('booking on someone’s behalf', () => {
  it('a Kümmerer books for their mentee: the booking, the interpreting request and the mail are the newcomer’s, in her language', async () => {
    const [slotId] = await publishOneHour();
    const kuemmerer = await makeKuemmerer(db, { name: 'Karl Kümmerer' });
    const mentee = await makePerson(db, { locale: 'fa', name: 'Zahra Ahmadi' });
    await mentorship(kuemmerer, mentee);
    expect((await peopleToBookFor(db, kuemmerer.id)).map((p) => p.id)).toEqual([mentee.id]);
    const bookingId = await book(kuemmerer, slotId!, { forUserId: mentee.id });
    const row = await db.selectFrom('consultation_booking').selectAll().where('id', '=', bookingId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: mentee.id, booked_by_user_id: kuemmerer.id });
    expect(await requestOf(bookingId)).toMatchObject({ asker_user_id: mentee.id, posted_by_user_id: kuemmerer.id });
    expect((await listMyBookings(db, mentee.id, NOW)).map((b) => [b.id, b.bookedByName])).toContainEqual([bookingId, 'Karl']);
    expect((await listBookingsMadeForOthers(db, kuemmerer.id, NOW)).map((b) => [b.id, b.personName])).toEqual([[bookingId, 'Zahra Ahmadi']]);
    const mail = await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', mentee.id).where('kind', '=', 'consultation_booked').executeTakeFirstOrThrow();
    expect(mail.locale).toBe('fa');
    expect(render(mail).text).toContain('این وقت را برای شما رزرو کرد');
    expect(await db.selectFrom('outbox').select('id').where('recipient_user_id', '=', kuemmerer.id).where('kind', '=', 'consultation_booked').executeTakeFirst()).toBeUndefined();
    // The booker may cancel it, and that withdraws the interpreting request.
    expect(await cancelBooking(db, kuemmerer, bookingId, ORIGIN, NOW)).toEqual({ ok: true });
    expect((await requestOf(bookingId)).status).toBe('withdrawn');
  });

  it('a coordinator books for anyone; a Kümmerer of someone else, of an ended mentorship, or a stranger gets "not found"', async () => {
    const [a, b] = await publishOneHour();
    const coordinator = await makeCoordinator(db);
    const newcomer = await makePerson(db, { locale: 'ar' });
    const requestId = await makeRequest(db, newcomer);
    expect((await peopleToBookFor(db, coordinator.id)).map((p) => p.id)).toContain(newcomer.id);
    const booked = await book(coordinator, a!, { forUserId: newcomer.id, language: 'ar' });
    expect((await db.selectFrom('consultation_booking').select(['user_id', 'booked_by_user_id']).where('id', '=', booked).executeTakeFirstOrThrow())).toEqual({ user_id: newcomer.id, booked_by_user_id: coordinator.id });

    const otherKuemmerer = await makeKuemmerer(db);
    const ended = await makeKuemmerer(db);
    await mentorship(ended, newcomer, 'ended', requestId);
    const stranger = await makePerson(db);
    for (const actor of [otherKuemmerer, ended, stranger]) {
      await expect(bookSlot(db, actor, { slotId: b!, topic: 'housing', language: 'de', note: '', forUserId: newcomer.id }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      // Nor may they see or cancel a booking made for the newcomer.
      await expect(cancelBooking(db, actor, booked, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      expect(await bookingOnSlotFor(db, actor.id, a!)).toBeNull();
    }
    expect(await peopleToBookFor(db, stranger.id)).toEqual([]);
    await expect(bookSlot(db, coordinator, { slotId: b!, topic: 'housing', language: 'de', note: '', forUserId: 2_000_000_000 }, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(await db.selectFrom('consultation_booking').select('id').where('slot_id', '=', b!).executeTakeFirst()).toBeUndefined();
  });
});

describe('the topic "health"', () => {
  it('is refused at its field without explicit consent, and stores when consent was given', async () => {
    const [slotId] = await publishOneHour();
    const person = await makePerson(db);
    expect(await bookSlot(db, person, { slotId: slotId!, topic: 'health', language: 'de', note: '' }, ORIGIN, NOW)).toEqual({ ok: false, fields: { healthConsent: 'consultations.error.healthConsent' } });
    expect(await db.selectFrom('consultation_booking').select('id').where('slot_id', '=', slotId!).executeTakeFirst()).toBeUndefined();
    const bookingId = await book(person, slotId!, { topic: 'health', language: 'de', healthConsent: true });
    const row = await db.selectFrom('consultation_booking').select(['health_consent_at']).where('id', '=', bookingId).executeTakeFirstOrThrow();
    expect(row.health_consent_at!.toISOString()).toBe(NOW.toISOString());
    // Another topic keeps no consent, ticked or not; the form reads an unticked box as "no".
    const [other] = await publishOneHour();
    const housing = await book(person, other!, { topic: 'housing', language: 'de', healthConsent: true });
    expect((await db.selectFrom('consultation_booking').select('health_consent_at').where('id', '=', housing).executeTakeFirstOrThrow()).health_consent_at).toBeNull();
    expect(bookInput.parse({ slotId: '1', topic: 'health', language: 'de', note: '' }).healthConsent).toBe(false);
    expect(bookInput.parse({ slotId: '1', topic: 'health', language: 'de', note: '', healthConsent: 'on', forUserId: '' })).toMatchObject({ healthConsent: true, forUserId: undefined });
  });
});

describe('walk-ins', () => {
  it('staff add people without a booking to the day’s queue in arrival order and check them in', async () => {
    const [slotId] = await publishOneHour();
    const hour = await db.selectFrom('consultation_slot').innerJoin('consultation_hour', 'consultation_hour.id', 'consultation_slot.hour_id').select(['consultation_hour.id', 'consultation_hour.starts_at']).where('consultation_slot.id', '=', slotId!).executeTakeFirstOrThrow();
    const first = await addWalkIn(db, organiser, { hourId: hour.id, name: 'Ali Walk', topic: 'housing', language: 'ar', note: 'Wohnungsamt' }, NOW);
    const second = await addWalkIn(db, organiser, { hourId: hour.id, name: 'Bea Later', topic: 'work', language: 'de', note: '' }, new Date(NOW.getTime() + 60_000));
    if (!first.ok || !second.ok) throw new Error('not added');
    const organisation = await db.selectFrom('organisation').select('slug').where('id', '=', organisationId).executeTakeFirstOrThrow();
    const dayStart = new Date(hour.starts_at.getTime() - 7 * 3_600_000);
    const dayEnd = new Date(hour.starts_at.getTime() + 12 * 3_600_000);
    const day = await loadDayList(db, organiser, organisation.slug, dayStart, dayEnd);
    expect(day.walkIns.map((w) => [w.name, w.topic, w.language, w.note])).toEqual([
      ['Ali Walk', 'housing', 'ar', 'Wohnungsamt'],
      ['Bea Later', 'work', 'de', ''],
    ]);
    expect(day.hours.map((h) => h.id)).toEqual([hour.id]);
    expect(await markWalkIn(db, organiser, first.walkInId, 'present')).toEqual({ ok: true });
    expect(await markWalkIn(db, organiser, second.walkInId, 'no_show')).toEqual({ ok: true });
    expect((await loadDayList(db, organiser, organisation.slug, dayStart, dayEnd)).walkIns.map((w) => w.attendance)).toEqual(['present', 'no_show']);
    // An hour that is over takes nobody any more.
    expect(await addWalkIn(db, organiser, { hourId: hour.id, name: 'Too Late', topic: 'housing', language: 'de', note: '' }, new Date(hour.starts_at.getTime() + 2 * 3_600_000))).toEqual({ ok: false, refusal: { key: 'consultations.error.hourOver' } });
  });

  it('is the organisation’s staff’s only: another organisation’s organiser, a newcomer and a visitor get "not found"', async () => {
    const [slotId] = await publishOneHour();
    const { hour_id: hourId } = await db.selectFrom('consultation_slot').select('hour_id').where('id', '=', slotId!).executeTakeFirstOrThrow();
    const added = await addWalkIn(db, organiser, { hourId, name: 'Cem Private', topic: 'housing', language: 'tr', note: 'privat' }, NOW);
    if (!added.ok) throw new Error('not added');
    const other = await makeOrganiser(db, await makeOrganisation(db), 'Otto Other');
    const newcomer = await makePerson(db);
    for (const person of [other, newcomer, null]) {
      await expect(addWalkIn(db, person, { hourId, name: 'X', topic: 'housing', language: 'de', note: '' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(markWalkIn(db, person, added.walkInId, 'present')).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(addWalkIn(db, organiser, { hourId: 2_000_000_000, name: 'X', topic: 'housing', language: 'de', note: '' }, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(markWalkIn(db, organiser, 2_000_000_000, 'present')).rejects.toBeInstanceOf(NotFoundError);
    expect((await db.selectFrom('consultation_walk_in').select('attendance').where('id', '=', added.walkInId).executeTakeFirstOrThrow()).attendance).toBeNull();
  });
});

describe('the reminder the day before, with one-tap answers', () => {
  it('reminds each booking once, in the person’s language, with both links; not a booking made within the day', async () => {
    const [a, b] = await publishOneHour();
    const person = await makePerson(db, { locale: 'uk', name: 'Oksana Petrenko' });
    const bookingId = await book(person, a!, { language: 'uk' });
    const slot = await db.selectFrom('consultation_slot').select('starts_at').where('id', '=', a!).executeTakeFirstOrThrow();
    const dayBefore = new Date(slot.starts_at.getTime() - 12 * 3_600_000);
    // Booked within the day: its confirmation has just gone.
    const late = await bookSlot(db, await makePerson(db), { slotId: b!, topic: 'housing', language: 'de', note: '' }, ORIGIN, new Date(slot.starts_at.getTime() - 13 * 3_600_000));
    expect(late.ok).toBe(true);
    expect(await writeDueConsultationReminders(db, ORIGIN, new Date(slot.starts_at.getTime() - 30 * 3_600_000))).toBe(0);
    expect(await writeDueConsultationReminders(db, ORIGIN, dayBefore)).toBe(1);
    expect(await writeDueConsultationReminders(db, ORIGIN, dayBefore)).toBe(0);
    const row = await db.selectFrom('consultation_booking').select('reminder_sent_at').where('id', '=', bookingId).executeTakeFirstOrThrow();
    expect(row.reminder_sent_at!.toISOString()).toBe(dayBefore.toISOString());
    const mail = await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', person.id).where('kind', '=', 'consultation_reminder').executeTakeFirstOrThrow();
    expect(mail.locale).toBe('uk');
    const text = render({ ...mail, payload: { ...(mail.payload as object), ...((mail as { secrets?: object }).secrets ?? {}), comingUrl: 'https://x/uk/answer/t/coming', notComingUrl: 'https://x/uk/answer/t/not-coming' } }).text;
    expect(text).toContain('Нагадування: завтра у вас запис на консультацію');
    expect(text).toContain('Я не зможу прийти (час звільниться для інших):');
    expect(await db.selectFrom('answer_token').select('expires_at').where('consultation_booking_id', '=', bookingId).execute()).toHaveLength(1);
    expect(TOPIC_OF_KIND.consultation_reminder).toBe('reminders');
  });

  it('"I can’t come" cancels through the consultation service: slot free, interpreting request withdrawn; "I’m coming" changes nothing; after the start it is too late', async () => {
    const [slotId] = await publishOneHour();
    const person = await makePerson(db, { locale: 'fa' });
    const bookingId = await book(person, slotId!);
    const slot = await db.selectFrom('consultation_slot').select('starts_at').where('id', '=', slotId!).executeTakeFirstOrThrow();
    const links = await createAnswerLinks(db, ORIGIN.baseUrl, { bookingId }, slot.starts_at, 'fa', NOW);
    const token = /answer\/([a-z2-7]{32})\//.exec(links.notComingUrl)![1]!;
    const page = await loadAnswerPage(db, token, 'not_coming', '127.0.0.1', { now: NOW });
    expect(page).toMatchObject({ kind: 'found', preview: { kind: 'booking', outcome: 'ask', booking: { bookingId, status: 'booked' } } });
    expect(await answerByToken(db, ORIGIN, token, 'coming', '127.0.0.1', { now: NOW })).toMatchObject({ kind: 'booking', outcome: 'confirmed' });
    expect(await db.selectFrom('consultation_booking').select(['status', 'confirmed_at']).where('id', '=', bookingId).executeTakeFirstOrThrow()).toEqual({ status: 'booked', confirmed_at: NOW });
    // Pressed again: already confirmed, the first time stays.
    expect(await answerByToken(db, ORIGIN, token, 'coming', '127.0.0.1', { now: new Date(NOW.getTime() + 60_000) })).toMatchObject({ kind: 'booking', outcome: 'already_confirmed' });
    expect((await db.selectFrom('consultation_booking').select('confirmed_at').where('id', '=', bookingId).executeTakeFirstOrThrow()).confirmed_at).toEqual(NOW);
    // The office's day list shows who confirmed.
    const organisation = await db.selectFrom('organisation').select('slug').where('id', '=', organisationId).executeTakeFirstOrThrow();
    const day = await loadDayList(db, organiser, organisation.slug, new Date(slot.starts_at.getTime() - 3_600_000), new Date(slot.starts_at.getTime() + 3_600_000));
    expect(day.bookings.find((b) => b.id === bookingId)?.confirmedAt).toEqual(NOW);
    expect(await answerByToken(db, ORIGIN, token, 'not_coming', '127.0.0.1', { now: NOW })).toMatchObject({ kind: 'booking', outcome: 'cancelled' });
    expect((await db.selectFrom('consultation_booking').select('status').where('id', '=', bookingId).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect((await requestOf(bookingId)).status).toBe('withdrawn');
    expect(await answerByToken(db, ORIGIN, token, 'not_coming', '127.0.0.1', { now: NOW })).toMatchObject({ kind: 'booking', outcome: 'already_cancelled' });
    // The slot is free for someone else.
    expect(await book(await makePerson(db), slotId!, { language: 'de' })).toBeGreaterThan(0);
    // Another booking's link after the start: too late, nothing changes.
    const [later] = await publishOneHour();
    const other = await book(person, later!, { language: 'de' });
    const laterSlot = await db.selectFrom('consultation_slot').select('starts_at').where('id', '=', later!).executeTakeFirstOrThrow();
    const lateLinks = await createAnswerLinks(db, ORIGIN.baseUrl, { bookingId: other }, laterSlot.starts_at, 'fa', NOW);
    const lateToken = /answer\/([a-z2-7]{32})\//.exec(lateLinks.comingUrl)![1]!;
    expect(await answerByToken(db, ORIGIN, lateToken, 'not_coming', '127.0.0.1', { now: new Date(laterSlot.starts_at.getTime() + 60_000) })).toMatchObject({ outcome: 'too_late' });
    expect((await db.selectFrom('consultation_booking').select('status').where('id', '=', other).executeTakeFirstOrThrow()).status).toBe('booked');
  });
});

describe('changing and cancelling an hour', () => {
  async function hourOf(slotId: number): Promise<number> {
    return (await db.selectFrom('consultation_slot').select('hour_id').where('id', '=', slotId).executeTakeFirstOrThrow()).hour_id;
  }

  it('a changed place is told to each booked person in their language; a language no longer spoken opens an interpreting request', async () => {
    const [a, b] = await publishOneHour();
    const hourId = await hourOf(a!);
    const arabic = await makePerson(db, { locale: 'ar', name: 'Amal Arabi' });
    const german = await makePerson(db, { locale: 'de', name: 'Gerd Deutsch' });
    const arBooking = await book(arabic, a!, { language: 'ar' });
    await book(german, b!, { language: 'de' });
    const result = await changeHour(db, organiser, { hourId, remote: false, place: 'Rathaus, Raum 3', topics: ['housing', 'residence', 'health'], languages: ['de'] }, ORIGIN, NOW);
    expect(result).toEqual({ ok: true, told: 2 });
    const hour = await db.selectFrom('consultation_hour').select(['place', 'languages', 'starts_at']).where('id', '=', hourId).executeTakeFirstOrThrow();
    expect(hour).toMatchObject({ place: 'Rathaus, Raum 3', languages: ['de'] });
    expect(await requestOf(arBooking)).toMatchObject({ status: 'open', languages: ['ar'], address: 'Rathaus, Raum 3' });
    const arMail = await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', arabic.id).where('kind', '=', 'consultation_hour_changed').executeTakeFirstOrThrow();
    expect(arMail.locale).toBe('ar');
    const text = render(arMail).text;
    expect(text).toContain('Rathaus, Raum 3');
    expect(text).toContain('لم يعد هناك من يتحدث لغتك.');
    const deMail = render(await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', german.id).where('kind', '=', 'consultation_hour_changed').executeTakeFirstOrThrow()).text;
    expect(deMail).toContain('Neu ist der Ort');
    expect(deMail).not.toContain('spricht jetzt');
    // Spoken again: the request is withdrawn and the booking no longer needs one.
    await changeHour(db, organiser, { hourId, remote: false, place: 'Rathaus, Raum 3', topics: ['housing'], languages: ['de', 'ar'] }, ORIGIN, NOW);
    expect((await requestOf(arBooking)).status).toBe('withdrawn');
    expect((await db.selectFrom('consultation_booking').select('interpreter_needed').where('id', '=', arBooking).executeTakeFirstOrThrow()).interpreter_needed).toBe(false);
  });

  it('cancelling ends every booking, withdraws interpreting, tells each person in their language; the hour vanishes and cannot be booked', async () => {
    const [a, b, c] = await publishOneHour();
    const hourId = await hourOf(a!);
    const persian = await makePerson(db, { locale: 'fa', name: 'Zahra Ahmadi' });
    const booking = await book(persian, a!);
    const slot = await db.selectFrom('consultation_slot').select('starts_at').where('id', '=', a!).executeTakeFirstOrThrow();
    expect(await cancelHour(db, organiser, hourId, ORIGIN, NOW)).toMatchObject({ ok: true, told: 1 });
    expect((await db.selectFrom('consultation_booking').select('status').where('id', '=', booking).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect((await requestOf(booking)).status).toBe('withdrawn');
    const mail = await db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', persian.id).where('kind', '=', 'consultation_hour_cancelled').executeTakeFirstOrThrow();
    expect(mail.locale).toBe('fa');
    expect(render(mail).text).toContain('لطفاً وقت دیگری رزرو کنید:');
    expect((await listComingHours(db, NOW, null)).map((h) => h.id)).not.toContain(hourId);
    expect(await bookSlot(db, await makePerson(db), { slotId: b!, topic: 'housing', language: 'de', note: '' }, ORIGIN, NOW)).toEqual({ ok: false, refusal: { key: 'consultations.error.hourCancelled' } });
    expect(await cancelHour(db, organiser, hourId, ORIGIN, NOW)).toEqual({ ok: false, refusal: { key: 'consultations.error.hourCancelled' } });
    const organisation = await db.selectFrom('organisation').select('slug').where('id', '=', organisationId).executeTakeFirstOrThrow();
    await expect(loadHourForStaff(db, organiser, organisation.slug, hourId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(c).toBeDefined();
    expect(slot.starts_at.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it('only the organisation’s staff change or cancel, and only before the hour begins', async () => {
    const [a] = await publishOneHour();
    const hourId = await hourOf(a!);
    const other = await makeOrganiser(db, await makeOrganisation(db), 'Otto Other');
    const newcomer = await makePerson(db);
    const change = { hourId, remote: true, place: '', topics: ['housing' as const], languages: ['de' as const] };
    for (const person of [other, newcomer, null]) {
      await expect(changeHour(db, person, change, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(cancelHour(db, person, hourId, ORIGIN, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    const organisation = await db.selectFrom('organisation').select('slug').where('id', '=', organisationId).executeTakeFirstOrThrow();
    await expect(loadHourForStaff(db, other, organisation.slug, hourId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    const started = new Date((await db.selectFrom('consultation_hour').select('starts_at').where('id', '=', hourId).executeTakeFirstOrThrow()).starts_at.getTime() + 60_000);
    expect(await cancelHour(db, organiser, hourId, ORIGIN, started)).toEqual({ ok: false, refusal: { key: 'consultations.error.hourStarted' } });
    expect(await changeHour(db, organiser, change, ORIGIN, started)).toEqual({ ok: false, refusal: { key: 'consultations.error.hourStarted' } });
    expect((await db.selectFrom('consultation_hour').select(['cancelled_at', 'remote']).where('id', '=', hourId).executeTakeFirstOrThrow())).toEqual({ cancelled_at: null, remote: false });
  });
});
