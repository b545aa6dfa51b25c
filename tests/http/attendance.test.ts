// The organiser's door page without JavaScript: rows in plain states, a check-in (of the whole
// party or of those who came) that brings the page back at its row, a refused no-show that
// says why in that row, walk-ins, the CSV download, the island's 409, and 404 for everyone else.
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
import { stripTags, Visitor } from '../helpers/visitor.ts';

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

/** The row (<li class="attendee…">) of the door page that holds this text, as HTML. */
function rowOf(html: string, text: string): string {
  const rows = html.match(/<li[^>]*class="attendee[^"]*"[\s\S]*?<\/li>/g) ?? [];
  return rows.find((row) => row.includes(text)) ?? '';
}

describe('the door page', () => {
  it('lists who is coming, checks them in, comes back at the row, adds a walk-in and exports the list', async () => {
    const id = String(inject('activities').roomy);
    const guest = await signedIn('newcomer');
    await guest.submit(`/activities/${id}`, 'rsvps.create', { activityId: id, partySize: '3', note: 'Wir brauchen eine Übersetzung ins Arabische' });

    const organiser = await signedIn('organiser');
    const page = `/organise/${id}/attendees`;
    const before = await organiser.get(page);
    expect(before.status).toBe(200);
    const html = await before.text();
    expect(stripTags(html)).toContain('Test Newcomer');
    expect(stripTags(html)).toContain('Wir brauchen eine Übersetzung ins Arabische');
    // The row (<li>) that holds the newcomer's name holds their RSVP's id, and says its state.
    const row = rowOf(html, 'Test Newcomer');
    const newcomerRsvp = /name="rsvpId" value="(\d+)"/.exec(row)?.[1];
    expect(newcomerRsvp).toBeDefined();
    expect(stripTags(row)).toContain('Erwartet');
    expect(row).toContain(`id="attendee-${newcomerRsvp}"`);

    // Two of the three came: the page comes back at their row.
    const partial = await organiser.submit(page, 'attendance.door', { rsvpId: newcomerRsvp!, to: 'checkedIn', arrived: '2', _anchor: `attendee-${newcomerRsvp}` });
    expect(partial.posted.status).toBe(303);
    expect(partial.posted.headers.get('location')).toBe(`${page}#attendee-${newcomerRsvp}`);
    expect(stripTags(rowOf(partial.html, 'Test Newcomer'))).toContain('Eingecheckt: 2 von 3 Personen');
    expect(stripTags(partial.html)).toMatch(/2 von \d+ Personen eingecheckt/);
    // The third comes after all.
    const checkedIn = await organiser.submit(page, 'attendance.door', { rsvpId: newcomerRsvp!, to: 'checkedIn', arrived: '', _anchor: `attendee-${newcomerRsvp}` });
    const newcomerRow = stripTags(rowOf(checkedIn.html, 'Test Newcomer'));
    expect(newcomerRow).toContain('Eingecheckt: 3 von 3 Personen');
    expect(newcomerRow).toContain('Rückgängig');
    // A checked-in party offers no "did not come".
    expect(rowOf(checkedIn.html, 'Test Newcomer')).not.toContain('value="noShow"');

    const walkIn = await organiser.submit(page, 'attendance.addWalkIn', { activityId: id, name: 'Frau Nowak', partySize: '2', _anchor: 'walk-in' });
    expect(walkIn.posted.headers.get('location')).toBe(`${page}#walk-in`);
    // The confirmation is shown where the page comes back: in the walk-in section.
    const walkInSection = walkIn.html.slice(walkIn.html.indexOf('id="walk-in"'), walkIn.html.indexOf('id="waitlist-title"'));
    expect(stripTags(walkInSection)).toContain('Frau Nowak (2 Personen) ist eingecheckt.');
    const nowakRow = rowOf(walkIn.html, 'Frau Nowak');
    expect(stripTags(nowakRow)).toContain('Ohne Anmeldung');
    // A walk-in came: no "did not come" for them, and undo takes them off the list.
    expect(nowakRow).not.toContain('value="noShow"');
    expect(stripTags(nowakRow)).toContain('Entfernen');

    const csv = await organiser.get(`${page}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="gro-es-fest-\d+\.csv"$/);
    // ignoreBOM: keep the byte-order mark in the text, to see that it is there.
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(body.startsWith('\uFEFFName,Personen,Status,Wartelistenplatz,Zugesagt am,Einlass,Eingecheckte Personen,Nachricht\r\n')).toBe(true);
    expect(body).toContain('Test Newcomer,3,Angemeldet,,,Eingecheckt,3,Wir brauchen eine Übersetzung ins Arabische\r\n');
    expect(body).toContain('Frau Nowak,2,Ohne Anmeldung,,,Eingecheckt,2,\r\n');
  });

  it('refuses a no-show for a checked-in party in its row, without undoing the check-in', async () => {
    const id = String(inject('activities').roomy);
    const guest = await signedIn('doorGuest');
    await guest.submit(`/activities/${id}`, 'rsvps.create', { activityId: id, partySize: '1', note: '' });
    const organiser = await signedIn('organiser');
    const page = `/organise/${id}/attendees`;
    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(rowOf(await (await organiser.get(page)).text(), 'Dora Guest'))![1]!;
    await organiser.submit(page, 'attendance.door', { rsvpId, to: 'checkedIn' });

    // A second organiser's page still showed "expected": their tap on "did not come" is refused.
    const refused = await organiser.submit(page, 'attendance.door', { rsvpId, to: 'noShow', _anchor: `attendee-${rsvpId}` });
    expect(refused.posted.headers.get('location')).toBe(`${page}#attendee-${rsvpId}`);
    expect(refused.status).toBe(400);
    const row = rowOf(refused.html, 'Dora Guest');
    // The name is isolated from the sentence's direction (U+2068 … U+2069).
    expect(stripTags(row)).toContain('\u2068Dora Guest\u2069 ist eingecheckt. Ist die Person doch nicht da, machen Sie zuerst den Check-in rückgängig.');
    expect(stripTags(row)).toContain('Eingecheckt');
    expect(stripTags(row)).not.toContain('Nicht gekommen');
  });

  it('answers the island with the row and the counters, and a refusal with 409 and the row as it is', async () => {
    const id = String(inject('activities').roomy);
    const guest = await signedIn('doorGuest2');
    await guest.submit(`/activities/${id}`, 'rsvps.create', { activityId: id, partySize: '2', note: '' });
    const organiser = await signedIn('organiser');
    const page = `/organise/${id}/attendees`;
    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(rowOf(await (await organiser.get(page)).text(), 'Dario Guest'))![1]!;

    const done = await organiser.post('/_actions/attendance.door', { rsvpId, to: 'checkedIn', arrived: '1' });
    expect(done.status).toBe(200);
    const data = await done.text();
    expect(data).toContain('Dario Guest');
    expect(data).toContain('checkedIn');

    const conflict = await organiser.post('/_actions/attendance.door', { rsvpId, to: 'noShow' });
    expect(conflict.status).toBe(409);
    const error = (await conflict.json()) as { code: string; message: string };
    expect(error.code).toBe('CONFLICT');
    expect(JSON.parse(error.message)).toMatchObject({
      form: { key: 'door.error.checkedInAlready', params: { name: 'Dario Guest' } },
      door: { row: { rsvpId: Number(rsvpId), state: 'checkedIn', arrived: 1, partySize: 2 }, counts: { here: expect.any(Number) } },
    });

    // Someone else's door: not found, whichever way it is asked.
    const resident = await signedIn('resident');
    expect((await resident.post('/_actions/attendance.door', { rsvpId, to: 'expected' })).status).toBe(404);
    expect((await resident.post(`${page}?_action=attendance.door`, { rsvpId, to: 'expected' })).status).toBe(404);
  });

  it('lets a waiting party in and comes back at the waitlist, with what happened said there', async () => {
    const organiser = await signedIn('organiser');
    const id = await createPublishedActivity(organiser, inject('activities').organisation!, {
      title: 'Kochabend',
      description: 'Wir kochen zusammen.',
      date: '2031-06-12',
      startTime: '18:00',
      endTime: '21:00',
      capacity: '1',
    });
    for (const account of ['doorGuest', 'doorGuest2'] as const) {
      await (await signedIn(account)).submit(`/activities/${id}`, 'rsvps.create', { activityId: id, partySize: '1', note: '' });
    }
    const page = `/organise/${id}/attendees`;
    const html = await (await organiser.get(page)).text();
    const waiting = /name="rsvpId" value="(\d+)"/.exec(html.slice(html.indexOf('id="waitlist"')))![1]!;
    const going = /name="rsvpId" value="(\d+)"/.exec(rowOf(html, 'Dora Guest'))![1]!;
    const waitlistSection = (page: string) => page.slice(page.indexOf('id="waitlist"'));

    const full = await organiser.submit(page, 'attendance.promote', { rsvpId: waiting, _anchor: 'waitlist' });
    expect(full.posted.headers.get('location')).toBe(`${page}#waitlist`);
    expect(full.status).toBe(400);
    expect(stripTags(waitlistSection(full.html))).toContain('Es sind nur noch 0 Plätze frei.');

    await organiser.submit(page, 'attendance.door', { rsvpId: going, to: 'noShow' });
    const promoted = await organiser.submit(page, 'attendance.promote', { rsvpId: waiting, _anchor: 'waitlist' });
    expect(promoted.posted.headers.get('location')).toBe(`${page}#waitlist`);
    // Said once, in the waitlist section, not at the top where nobody at the waitlist looks.
    expect(stripTags(waitlistSection(promoted.html))).toContain('Ist nachgerückt und wird benachrichtigt.');
    expect(promoted.html.split('Ist nachgerückt und wird benachrichtigt.')).toHaveLength(2);
    expect(stripTags(rowOf(promoted.html, 'Dario Guest'))).toContain('Erwartet');
  });

  it('comes back only to an anchor that is a plain id', async () => {
    const id = String(inject('activities').roomy);
    const organiser = await signedIn('organiser');
    const page = `/organise/${id}/attendees`;
    for (const anchor of ['x" onmouseover="alert(1)', '//evil.example', 'a'.repeat(65), '']) {
      const posted = await organiser.post(`${page}?_action=attendance.addWalkIn`, { activityId: id, name: '', partySize: '1', _anchor: anchor });
      expect(posted.status).toBe(303);
      expect(posted.headers.get('location')).toBe(page);
    }
  });

  it('asks how many people came, not "you included"', async () => {
    const id = String(inject('activities').roomy);
    const organiser = await signedIn('organiser');
    for (const [prefix, asked] of [['', 'Wie viele Personen sind gekommen?'], ['/en', 'How many people came?']] as const) {
      const html = await (await organiser.get(`${prefix}/organise/${id}/attendees`)).text();
      const walkIn = stripTags(html.slice(html.indexOf('id="walk-in"'), html.indexOf('id="waitlist-title"')));
      expect(walkIn).toContain(asked);
      expect(walkIn).not.toMatch(/Sie eingeschlossen|including you/);
    }
  });

  it('is not found for anyone outside the organisation, and shows no names', async () => {
    const id = String(inject('activities').roomy);
    const resident = await signedIn('resident');
    expect((await resident.get(`/organise/${id}/attendees`)).status).toBe(404);
    const csv = await resident.get(`/organise/${id}/attendees.csv`);
    expect(csv.status).toBe(404);
    expect(await csv.text()).not.toContain('Test Newcomer');
    expect((await resident.post(`/organise/${id}/attendees?_action=attendance.addWalkIn`, { activityId: id, name: 'X', partySize: '1' })).status).toBe(404);
    expect((await new Visitor().get(`/organise/${id}/attendees.csv`)).status).toBe(404);
    expect(stripTags(await (await new Visitor().get(`/activities/${id}`)).text())).not.toContain('Test Newcomer');
  });
});
