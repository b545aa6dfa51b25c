// Consultation hours over HTTP without JavaScript: the organisation's organiser publishes an
// hour on its page, the public list shows its free slots and whether someone speaks the chosen
// language, a newcomer books a slot in Persian and is told an interpreter is needed (and gets a
// mail), the office's day list shows the booking with its note and checks the person in, the
// newcomer cancels and the slot is free again. Walked route by route: the day list, the hours
// page, other people's bookings and the office's actions are 404 for everyone but the
// organisation's members, with real and guessed ids.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { fieldError, mailsTo, stripTags, Visitor } from '../helpers/visitor.ts';

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

/** A day three weeks ahead (within the public list's eight weeks), as a date field sends it. */
const day = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
const hoursPage = '/organise/organisation/test-verein/consultation-hours';
const dayPage = `${hoursPage}/day?date=${day}`;

function hourFields(extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams({ organisationId: String(inject('activities').organisation), date: day, startTime: '09:00', endTime: '10:00', slotMinutes: '20', weeks: '1', place: 'Rathaus, Raum 12', ...extra });
  params.append('topics', 'housing');
  params.append('topics', 'residence');
  params.append('languages', 'de');
  params.append('languages', 'ar');
  return params;
}

let organiser: Visitor;
let newcomer: Visitor;
let slotIds: string[];

beforeAll(async () => {
  organiser = await signedIn('organiser');
  newcomer = await signedIn('newcomer');
  const published = await organiser.submit(hoursPage, 'consultations.publish', hourFields());
  expect(published.status).toBe(200);
  expect(stripTags(published.html)).toContain('Die Sprechstunde ist veröffentlicht.');
  const list = await (await new Visitor().get('/consultations')).text();
  slotIds = [...list.matchAll(/href="\/consultations\/slots\/(\d+)"/g)].map((m) => m[1]!);
  expect(slotIds.length).toBeGreaterThanOrEqual(3);
});

describe('publishing', () => {
  it('answers bad input next to the field and saves nothing', async () => {
    const fields = hourFields({ place: '' });
    fields.delete('topics');
    const refused = await organiser.submit(hoursPage, 'consultations.publish', fields);
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'place')).toContain('Bitte geben Sie den Ort an');
    expect(fieldError(refused.html, 'topics')).toContain('mindestens ein Thema');
    const list = await (await new Visitor().get('/consultations')).text();
    expect([...list.matchAll(/href="\/consultations\/slots\/(\d+)"/g)]).toHaveLength(slotIds.length);
  });

  it('is the organisation’s members’ only: others get 404, a signed-out visitor is sent to sign in', async () => {
    const coordinator = await signedIn('coordinator');
    expect((await coordinator.get(hoursPage)).status).toBe(200);
    for (const account of ['resident', 'newcomer', 'volunteer'] as const) {
      const visitor = await signedIn(account);
      expect((await visitor.get(hoursPage)).status, account).toBe(404);
      expect((await visitor.post(`${hoursPage}?_action=consultations.publish`, hourFields())).status, account).toBe(404);
    }
    expect((await organiser.get('/organise/organisation/no-such-verein/consultation-hours')).status).toBe(404);
    const anonymous = await new Visitor().get(hoursPage);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('sign-in?next=');
  });
});

describe('the public list and booking', () => {
  it('shows free slots, and marks that nobody speaks Persian but someone speaks Arabic', async () => {
    const persian = stripTags(await (await new Visitor().get('/consultations?language=fa')).text());
    expect(persian).toContain('Test-Verein');
    expect(persian).toContain('Dolmetscher nötig');
    const arabic = stripTags(await (await new Visitor().get('/en/consultations?language=ar')).text());
    expect(arabic).toContain('Someone here speaks Arabic.');
  });

  it('asks a signed-out visitor to sign in before booking; a guessed slot is 404', async () => {
    const page = await (await new Visitor().get(`/consultations/slots/${slotIds[0]}`)).text();
    expect(page).toContain(`sign-in?next=${encodeURIComponent(`/consultations/slots/${slotIds[0]}`)}`);
    expect((await new Visitor().get('/consultations/slots/999999')).status).toBe(404);
    expect((await new Visitor().get('/consultations/slots/abc')).status).toBe(404);
    expect((await newcomer.post('/consultations?_action=consultations.book', { slotId: '999999', topic: 'housing', language: 'fa', note: '' })).status).toBe(404);
  });

  it('books a slot in Persian: interpreter needed, on the page, in "my appointments" and in the mail', async () => {
    const booked = await newcomer.submit(`/consultations/slots/${slotIds[0]}`, 'consultations.book', { slotId: slotIds[0]!, topic: 'residence', language: 'fa', note: 'Aufenthaltstitel verlängern' });
    expect(booked.status).toBe(200);
    const text = stripTags(booked.html);
    expect(text).toContain('Ihr Termin ist gebucht. Dolmetscher nötig');
    expect(text).toContain('Meine Termine');
    expect(text).toContain('Behörden und Aufenthalt');
    const [mail] = await mailsTo(TEST_ACCOUNTS.newcomer.email, { about: 'Test-Verein' });
    expect(mail!.text).toContain('Dolmetscherin oder ein Dolmetscher gebraucht');
    // Taken: nobody else sees it free or can book it.
    const resident = await signedIn('resident');
    const second = await resident.submit(`/consultations/slots/${slotIds[0]}`, 'consultations.book', { slotId: slotIds[0]!, topic: 'housing', language: 'de', note: '' });
    expect(second.status).toBe(400);
    expect(stripTags(second.html)).toContain('Dieser Termin ist schon vergeben');
    expect(await (await new Visitor().get('/consultations')).text()).not.toContain(`/consultations/slots/${slotIds[0]}"`);
    // Nor do they see the topic or note of it anywhere public.
    expect(stripTags(await (await resident.get('/consultations')).text())).not.toContain('Aufenthaltstitel');
  });

  it('refuses a topic the hour does not offer next to the field', async () => {
    const refused = await newcomer.submit(`/consultations/slots/${slotIds[1]}`, 'consultations.book', { slotId: slotIds[1]!, topic: 'health', language: 'fa', note: '' });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'topic')).toContain('Thema dieser Sprechstunde');
  });
});

describe('the office’s day list', () => {
  it('shows the booking with topic, language and note to the organisation’s members only', async () => {
    const list = stripTags(await (await organiser.get(dayPage)).text());
    expect(list).toContain('Test Newcomer');
    expect(list).toContain('Aufenthaltstitel verlängern');
    expect(list).toContain('Dolmetscher nötig');
    const coordinator = await signedIn('coordinator');
    expect((await coordinator.get(dayPage)).status).toBe(200);
    for (const account of ['resident', 'newcomer', 'volunteer'] as const) {
      const visitor = await signedIn(account);
      expect((await visitor.get(dayPage)).status, account).toBe(404);
    }
    expect((await organiser.get('/organise/organisation/no-such-verein/consultation-hours/day')).status).toBe(404);
  });

  it('checks the newcomer in; nobody else may mark or cancel the booking', async () => {
    const html = await (await organiser.get(dayPage)).text();
    const bookingId = /name="bookingId" value="(\d+)"/.exec(html)![1]!;
    const resident = await signedIn('resident');
    expect((await resident.post(`${dayPage}&_action=consultations.mark`, { bookingId, attendance: 'present' })).status).toBe(404);
    expect((await newcomer.post(`${dayPage}&_action=consultations.mark`, { bookingId, attendance: 'present' })).status).toBe(404);
    expect((await resident.post('/consultations?_action=consultations.cancel', { bookingId })).status).toBe(404);
    expect((await organiser.post('/consultations?_action=consultations.cancel', { bookingId })).status).toBe(404);
    expect((await organiser.post(`${dayPage}&_action=consultations.mark`, { bookingId: '999999', attendance: 'present' })).status).toBe(404);
    const marked = await organiser.submit(dayPage, 'consultations.mark', { bookingId, attendance: 'present' });
    expect(marked.status).toBe(200);
    expect(stripTags(marked.html)).toContain('Eingecheckt.');
    expect(stripTags(marked.html)).toContain('Ist da');
  });

  it('the newcomer cancels and rebooks: the slot is free again', async () => {
    const mine = await (await newcomer.get('/consultations')).text();
    const bookingId = /name="bookingId" value="(\d+)"/.exec(mine)![1]!;
    const cancelled = await newcomer.submit('/consultations', 'consultations.cancel', { bookingId });
    expect(stripTags(cancelled.html)).toContain('Ihr Termin ist abgesagt.');
    expect(await (await new Visitor().get('/consultations')).text()).toContain(`/consultations/slots/${slotIds[0]}"`);
    const rebooked = await newcomer.submit(`/consultations/slots/${slotIds[2]}`, 'consultations.book', { slotId: slotIds[2]!, topic: 'housing', language: 'de', note: '' });
    expect(stripTags(rebooked.html)).toContain('Ihr Termin ist gebucht. Sie bekommen eine Bestätigung.');
  });
});

describe('interpreters, booking on behalf and the health consent', () => {
  /** A day later than the first hour's, with the topic health offered. */
  const day2 = new Date(Date.now() + 22 * 86_400_000).toISOString().slice(0, 10);
  let slots: string[] = [];

  beforeAll(async () => {
    const fields = hourFields({ date: day2, startTime: '11:00', endTime: '12:00', place: 'Rathaus, Raum 14' });
    fields.append('topics', 'health');
    expect((await organiser.submit(hoursPage, 'consultations.publish', fields)).status).toBe(200);
    const list = await (await new Visitor().get('/consultations')).text();
    const all = [...list.matchAll(/href="\/consultations\/slots\/(\d+)"/g)].map((m) => m[1]!);
    slots = all.filter((id) => !slotIds.includes(id));
    expect(slots.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses the topic health without explicit consent, next to the box, and books it with', async () => {
    const page = await (await newcomer.get(`/consultations/slots/${slots[0]}`)).text();
    expect(stripTags(page)).toContain('Ich bin einverstanden, dass das Büro erfährt, dass es bei meinem Besuch um meine Gesundheit geht.');
    const refused = await newcomer.submit(`/consultations/slots/${slots[0]}`, 'consultations.book', { slotId: slots[0]!, topic: 'health', language: 'de', note: '' });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'healthConsent')).toContain('ausdrückliche Zustimmung');
    expect(await (await new Visitor().get('/consultations')).text()).toContain(`/consultations/slots/${slots[0]}"`);
    const booked = await newcomer.submit(`/consultations/slots/${slots[0]}`, 'consultations.book', { slotId: slots[0]!, topic: 'health', language: 'de', note: '', healthConsent: 'on' });
    expect(booked.status).toBe(200);
    expect(stripTags(booked.html)).toContain('Ihr Termin ist gebucht.');
  });

  it('books in Persian: an interpreter is looked for; a volunteer takes it on /help-wanted; the booking says who; cancelling tells the volunteer', async () => {
    await newcomer.submit(`/consultations/slots/${slots[1]}`, 'consultations.book', { slotId: slots[1]!, topic: 'housing', language: 'fa', note: 'Mietvertrag' });
    const slotPage = stripTags(await (await newcomer.get(`/consultations/slots/${slots[1]}`)).text());
    expect(slotPage).toContain('Ihr Termin');
    expect(slotPage).toContain('Eine Dolmetscherin oder ein Dolmetscher wird gesucht.');
    // Nobody else sees the booking on the slot's page.
    expect(stripTags(await (await (await signedIn('resident')).get(`/consultations/slots/${slots[1]}`)).text())).not.toContain('wird gesucht');

    const volunteer = await signedIn('volunteer');
    const wanted = await (await volunteer.get('/help-wanted')).text();
    const ids = [...wanted.matchAll(/name="requestId" value="(\d+)"/g)].map((m) => m[1]!);
    // The request of this booking: the one at the hour's place, in Persian (the list shows no note).
    const cards = wanted.split('<li class="help-request').filter((card) => card.includes('Rathaus, Raum 14'));
    expect(cards).toHaveLength(1);
    const requestId = /name="requestId" value="(\d+)"/.exec(cards[0]!)![1]!;
    expect(ids).toContain(requestId);
    expect(wanted).not.toContain('Mietvertrag');
    const taken = await volunteer.submit('/help-wanted', 'helpRequests.take', { requestId });
    expect(taken.status).toBe(200);
    const mine = stripTags(await (await newcomer.get('/consultations')).text());
    expect(mine).toContain('Dolmetscher gefunden: Vera');
    expect(stripTags(await (await organiser.get(`${hoursPage}/day?date=${day2}`)).text())).toContain('Dolmetscher gefunden: Vera');

    const html = await (await newcomer.get(`/consultations/slots/${slots[1]}`)).text();
    const bookingId = /name="bookingId" value="(\d+)"/.exec(html)![1]!;
    const cancelled = await newcomer.submit(`/consultations/slots/${slots[1]}`, 'consultations.cancel', { bookingId });
    expect(stripTags(cancelled.html)).toContain('Ihr Termin ist abgesagt.');
    const [mail] = await mailsTo(TEST_ACCOUNTS.volunteer.email, { about: 'Dolmetschen wird nicht mehr gebraucht' });
    expect(mail!.text).toContain('Test');
  });

  it('a coordinator books for a newcomer: the booking is hers, the coordinator sees and cancels it; others get 404', async () => {
    const coordinator = await signedIn('coordinator');
    // The newcomer's id, as her own data export shows it.
    const exported = (await (await newcomer.get('/account/data.json')).json()) as { person: { id: number } };
    const newcomerId = String(exported.person.id);
    // From the people page a coordinator comes with ?for=: the list's slots carry it on (and
    // the language filter keeps it).
    const list = await (await coordinator.get(`/consultations?for=${newcomerId}`)).text();
    expect(list).toContain(`/consultations/slots/${slots[2]}?for=${newcomerId}"`);
    expect(list).toContain(`<input type="hidden" name="for" value="${newcomerId}">`);
    expect(await (await coordinator.get('/consultations?for=1%3Cscript')).text()).not.toContain('name="for"');
    const form = await (await coordinator.get(`/consultations/slots/${slots[2]}?for=${newcomerId}`)).text();
    expect(form).toMatch(new RegExp(`<option value="${newcomerId}" selected`));
    const resident = await signedIn('resident');
    expect((await resident.post(`/consultations/slots/${slots[2]}?_action=consultations.book`, { slotId: slots[2]!, forUserId: newcomerId, topic: 'housing', language: 'de', note: '' })).status).toBe(404);
    const booked = await coordinator.submit(`/consultations/slots/${slots[2]}`, 'consultations.book', { slotId: slots[2]!, forUserId: newcomerId, topic: 'housing', language: 'de', note: 'Wohnungssuche' });
    expect(booked.status).toBe(200);
    const coordinatorList = stripTags(booked.html);
    expect(coordinatorList).toContain('Der Termin ist gebucht. Die Person bekommt eine Bestätigung in ihrer Sprache.');
    expect(coordinatorList).toContain('Termine, die Sie für andere gebucht haben');
    expect(coordinatorList).toContain('Für Test Newcomer');
    const hers = stripTags(await (await newcomer.get('/consultations')).text());
    expect(hers).toContain('Test hat diesen Termin für Sie gebucht.');
    const [mail] = await mailsTo(TEST_ACCOUNTS.newcomer.email, { about: 'Test-Verein', atLeast: 4 });
    expect(mail).toBeDefined();
    const bookingId = /name="bookingId" value="(\d+)"/.exec(await (await coordinator.get('/consultations')).text())![1]!;
    expect((await resident.post('/consultations?_action=consultations.cancel', { bookingId })).status).toBe(404);
    const cancelled = await coordinator.submit('/consultations', 'consultations.cancel', { bookingId });
    expect(stripTags(cancelled.html)).toContain('Ihr Termin ist abgesagt.');
    expect(await (await new Visitor().get('/consultations')).text()).toContain(`/consultations/slots/${slots[2]}"`);
  });
});

describe('walk-ins on the day list', () => {
  it('the organiser adds a walk-in without JavaScript and checks her in; nobody else may add or mark one', async () => {
    const page = await (await organiser.get(dayPage)).text();
    const hourId = /name="hourId"[^>]*>\s*<option value="(\d+)"/.exec(page)?.[1] ?? /<option value="(\d+)"[^>]*>[^<]*Rathaus, Raum 12/.exec(page)![1]!;
    const refused = await organiser.submit(dayPage, 'consultations.addWalkIn', { hourId, name: '', topic: 'housing', language: 'uk', note: '' });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'name')).toBeTruthy();
    for (const account of ['resident', 'newcomer'] as const) {
      expect((await (await signedIn(account)).post(`${dayPage}&_action=consultations.addWalkIn`, { hourId, name: 'Eindringling', topic: 'housing', language: 'de', note: '' })).status, account).toBe(404);
    }
    const added = await organiser.submit(dayPage, 'consultations.addWalkIn', { hourId, name: 'Olena Walk-in', topic: 'work', language: 'uk', note: 'Jobcenter-Brief' });
    expect(added.status).toBe(200);
    const text = stripTags(added.html);
    expect(text).toContain('Aufgenommen: Die Person steht in der Warteschlange.');
    expect(text).toContain('Olena Walk-in');
    expect(text).toContain('Jobcenter-Brief');
    const walkInId = /name="walkInId" value="(\d+)"/.exec(added.html)![1]!;
    expect((await (await signedIn('resident')).post(`${dayPage}&_action=consultations.markWalkIn`, { walkInId, attendance: 'present' })).status).toBe(404);
    const marked = await organiser.submit(dayPage, 'consultations.markWalkIn', { walkInId, attendance: 'present' });
    expect(stripTags(marked.html)).toContain('Eingecheckt.');
    // Nothing of it on a public page.
    expect(stripTags(await (await new Visitor().get('/consultations')).text())).not.toContain('Olena Walk-in');
  });
});

describe('changing and cancelling an hour', () => {
  it('the organiser changes then cancels an hour on its own page; others get 404; the booked person is told', async () => {
    const day3 = new Date(Date.now() + 23 * 86_400_000).toISOString().slice(0, 10);
    expect((await organiser.submit(hoursPage, 'consultations.publish', hourFields({ date: day3, startTime: '14:00', endTime: '14:40', place: 'Rathaus, Raum 15' }))).status).toBe(200);
    const hours = await (await organiser.get(hoursPage)).text();
    const hourPath = [...hours.matchAll(/href="(\/organise\/organisation\/test-verein\/consultation-hours\/hours\/\d+)"/g)].map((m) => m[1]!).at(-1)!;
    const list = await (await new Visitor().get('/consultations')).text();
    const slot = /<li class="card" id="hour-\d+">(?:(?!<\/li>\s*<li class="card" id="hour)[\s\S])*?Rathaus, Raum 15[\s\S]*?href="\/consultations\/slots\/(\d+)"/.exec(list)![1]!;
    await newcomer.submit(`/consultations/slots/${slot}`, 'consultations.book', { slotId: slot, topic: 'housing', language: 'de', note: '' });
    for (const account of ['resident', 'newcomer', 'volunteer'] as const) {
      const visitor = await signedIn(account);
      expect((await visitor.get(hourPath)).status, account).toBe(404);
      expect((await visitor.post(`${hourPath}?_action=consultations.cancelHour`, { hourId: hourPath.split('/').pop()! })).status, account).toBe(404);
    }
    const hourId = hourPath.split('/').pop()!;
    const changed = await organiser.submit(hourPath, 'consultations.changeHour', new URLSearchParams([['hourId', hourId], ['place', 'Rathaus, Raum 16'], ['topics', 'housing'], ['languages', 'de']]));
    expect(changed.status).toBe(200);
    expect(stripTags(changed.html)).toContain('Die Sprechstunde ist geändert.');
    const [changedMail] = await mailsTo(TEST_ACCOUNTS.newcomer.email, { about: 'Geändert' });
    expect(changedMail!.text).toContain('Rathaus, Raum 16');
    const cancelled = await organiser.submit(hourPath, 'consultations.cancelHour', { hourId });
    expect(stripTags(cancelled.html)).toContain('Die Sprechstunde ist abgesagt.');
    const [cancelMail] = await mailsTo(TEST_ACCOUNTS.newcomer.email, { about: 'Abgesagt' });
    expect(cancelMail!.text).toContain('Bitte buchen Sie einen anderen Termin');
    expect(await (await new Visitor().get('/consultations')).text()).not.toContain('Rathaus, Raum 16');
    expect((await organiser.get(hourPath)).status).toBe(404);
    const refused = await newcomer.submit(`/consultations/slots/${slot}`, 'consultations.book', { slotId: slot, topic: 'housing', language: 'de', note: '' });
    expect(refused.status).toBe(400);
  });
});
