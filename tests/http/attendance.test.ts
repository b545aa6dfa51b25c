// The organiser's door page without JavaScript, the CSV download, and 404 for everyone else.
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { stripTags, Visitor } from '../helpers/visitor.ts';

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

describe('the door page', () => {
  it('lists who is coming, checks them in, adds a walk-in and exports the list', async () => {
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
    // The row (<li>) that holds the newcomer's name holds their RSVP's id.
    const row = html.split('<li').find((chunk) => chunk.includes('Test Newcomer'));
    const newcomerRsvp = /name="rsvpId" value="(\d+)"/.exec(row ?? '')?.[1];
    expect(newcomerRsvp).toBeDefined();

    const checkedIn = await organiser.submit(page, 'attendance.checkIn', { rsvpId: newcomerRsvp!, checkedIn: 'true' });
    const newcomerRow = checkedIn.html.split('<li').find((chunk) => chunk.includes('Test Newcomer')) ?? '';
    expect(stripTags(newcomerRow)).toContain('Rückgängig');

    const walkIn = await organiser.submit(page, 'attendance.addWalkIn', { activityId: id, name: 'Frau Nowak', partySize: '2' });
    expect(stripTags(walkIn.html)).toContain('Hinzugefügt und eingecheckt.');
    expect(stripTags(walkIn.html)).toContain('Frau Nowak');

    const csv = await organiser.get(`${page}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="gro-es-fest-\d+\.csv"$/);
    // ignoreBOM: keep the byte-order mark in the text, to see that it is there.
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(body.startsWith('\uFEFFName,Personen,Status')).toBe(true);
    expect(body).toContain('Test Newcomer,3,Angemeldet,,ja,nein,Wir brauchen eine Übersetzung ins Arabische\r\n');
    expect(body).toContain('Frau Nowak,2,Angemeldet,,ja,nein,\r\n');
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
