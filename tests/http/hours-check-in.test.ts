// Checking volunteers in over HTTP without JavaScript: the organiser checks a volunteer in on
// the roles page (the page comes back at the volunteer, marked "was there"), undoes it at the
// door; a shift more than an hour ahead is refused in its row; another organisation's
// organiser and the volunteer get 404; a post without Origin is refused as every form is.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
import { stripTags, Visitor } from '../helpers/visitor.ts';

const PASSWORD = 'Helfende zählen Stunden';

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

/** Berlin's wall-clock date and time `minutes` from now, as the activity form takes them. */
function berlinIn(minutes: number): { date: string; time: string } {
  const at = new Date(Date.now() + minutes * 60_000);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** The volunteer's check-in block (<div id="volunteer-…">) of a page, to the end of their row. */
function checkInOf(html: string, signupId: string): string {
  const start = html.indexOf(`id="volunteer-${signupId}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</li>', start));
}

let organiser: Visitor;
let volunteer: Visitor;
let soonId: string;
let laterId: string;
const roleIds: Array<[string, string]> = [];
let soonSignup: string;
let laterSignup: string;

/** A role on the activity, with the volunteer signed up; answers the sign-up's id. */
async function roleWithVolunteer(activityId: string, name: string): Promise<string> {
  const created = await organiser.submit(`/organise/${activityId}/roles`, 'volunteering.createRole', { activityId, name, peopleNeeded: '2', startTime: '', endTime: '', whatToBring: '' });
  expect(created.status).toBe(200);
  const roleId = /name="roleId" value="(\d+)"/.exec(created.html)![1]!;
  roleIds.push([activityId, roleId]);
  const signed = await volunteer.submit(`/activities/${activityId}`, 'volunteering.signUp', { roleId });
  expect(signed.status).toBe(200);
  const page = await (await organiser.get(`/organise/${activityId}/roles`)).text();
  return /id="volunteer-(\d+)"/.exec(page)![1]!;
}

beforeAll(async () => {
  organiser = await signedIn('organiser');
  volunteer = await signedIn('volunteer2');
  const organisationId = inject('activities').organisation!;
  // Starts in 40 minutes (check-in is open), ends an hour later or at midnight.
  const start = berlinIn(40);
  const end = berlinIn(100);
  soonId = await createPublishedActivity(organiser, organisationId, { title: 'Aufräumen nach dem Fest', date: start.date, startTime: start.time, endTime: end.date === start.date ? end.time : '23:59' });
  laterId = await createPublishedActivity(organiser, organisationId, { title: 'Herbstmarkt', date: '2031-10-04' });
  soonSignup = await roleWithVolunteer(soonId, 'Tische tragen');
  laterSignup = await roleWithVolunteer(laterId, 'Kasse');
});

afterAll(async () => {
  for (const [activityId, roleId] of roleIds) await organiser.submit(`/organise/${activityId}/roles`, 'volunteering.deleteRole', { roleId });
});

describe('checking a volunteer in', () => {
  it('on the roles page: the page comes back at the volunteer, marked as there, with an undo', async () => {
    const page = `/organise/${soonId}/roles`;
    const before = await (await organiser.get(page)).text();
    expect(stripTags(checkInOf(before, soonSignup))).toContain('Einchecken');

    const done = await organiser.submit(page, 'hoursCheckIn.checkIn', { signupId: soonSignup, present: 'yes', _anchor: `volunteer-${soonSignup}` });
    expect(done.posted.status).toBe(303);
    expect(done.posted.headers.get('location')).toBe(`${page}#volunteer-${soonSignup}`);
    expect(done.status).toBe(200);
    const block = stripTags(checkInOf(done.html, soonSignup));
    expect(block).toContain('War da');
    expect(block).toContain('Rückgängig');
    expect(block).toContain('Viktor Helper');
    expect(block).toMatch(/ist eingecheckt\./);
  });

  it('at the door: the helpers of the shifts, and undo brings the button back', async () => {
    const page = `/organise/${soonId}/attendees`;
    const door = await (await organiser.get(page)).text();
    const helpers = door.slice(door.indexOf('id="helpers"'), door.indexOf('id="walk-in"'));
    expect(stripTags(helpers)).toContain('Helfende');
    expect(stripTags(helpers)).toContain('Tische tragen');
    expect(stripTags(helpers)).toContain('Viktor Helper');
    expect(stripTags(checkInOf(door, soonSignup))).toContain('War da');

    const undone = await organiser.submit(page, 'hoursCheckIn.checkIn', { signupId: soonSignup, present: 'no', _anchor: `volunteer-${soonSignup}` });
    expect(undone.posted.headers.get('location')).toBe(`${page}#volunteer-${soonSignup}`);
    const block = stripTags(checkInOf(undone.html, soonSignup));
    expect(block).toContain('Einchecken');
    expect(block).not.toContain('War da');
    expect(block).toMatch(/zurückgenommen/);
  });

  it('refuses a shift more than an hour ahead in its row, and offers no button for it', async () => {
    const page = `/organise/${laterId}/roles`;
    const before = await (await organiser.get(page)).text();
    expect(checkInOf(before, laterSignup)).not.toContain('name="present"');
    expect(stripTags(checkInOf(before, laterSignup))).toContain('Einchecken ab');
    const refused = await organiser.submit(page, 'hoursCheckIn.checkIn', { signupId: laterSignup, present: 'yes', _anchor: `volunteer-${laterSignup}` });
    expect(refused.status).toBe(400);
    expect(stripTags(checkInOf(refused.html, laterSignup))).toContain('Einchecken geht erst ab einer Stunde vor Beginn der Schicht.');
  });

  it('is "not found" for another organisation’s organiser and for the volunteer; bad input is refused', async () => {
    const admin = await signedIn('admin');
    const slug = `anderer-verein-${Date.now()}`;
    const created = await admin.submit('/admin', 'admin.createOrganisation', { name: 'Anderer Verein', slug, description: 'Nebenan.' });
    const organisationId = /name="organisationId" value="(\d+)"/.exec(created.html)![1]!;
    const email = `andere-${Date.now()}@test.example`;
    const other = new Visitor();
    await other.submit('/sign-up', 'accounts.signUp', { email, password: PASSWORD, displayName: 'Otto Anders', locale: 'de' });
    const added = await admin.submit(`/admin/organisations/${slug}`, 'admin.inviteMember', { organisationId, email, displayName: '', role: 'organiser', locale: 'de' });
    expect(stripTags(added.html)).toContain('Otto Anders ist jetzt');
    await other.signIn(email, PASSWORD);

    for (const [who, visitor] of [['another organisation’s organiser', other], ['the volunteer', volunteer]] as const) {
      expect((await visitor.post(`/organise/${soonId}/roles?_action=hoursCheckIn.checkIn`, { signupId: soonSignup, present: 'yes' })).status, who).toBe(404);
      expect((await visitor.get(`/organise/${soonId}/roles`)).status, who).toBe(404);
      expect((await visitor.get(`/organise/${soonId}/attendees`)).status, who).toBe(404);
    }
    const after = await (await organiser.get(`/organise/${soonId}/roles`)).text();
    expect(stripTags(checkInOf(after, soonSignup))).not.toContain('War da');

    expect((await organiser.post(`/organise/${soonId}/roles?_action=hoursCheckIn.checkIn`, { signupId: 'abc', present: 'yes' })).status).toBe(404);
    const maybe = await organiser.submit(`/organise/${soonId}/roles`, 'hoursCheckIn.checkIn', { signupId: soonSignup, present: 'maybe' });
    expect(maybe.status).toBe(400);
  });

  it('refuses a post without Origin, as every form', async () => {
    const response = await organiser.post(`/organise/${soonId}/roles?_action=hoursCheckIn.checkIn`, { signupId: soonSignup, present: 'yes' }, { origin: null });
    expect(response.status).toBe(403);
    const after = await (await organiser.get(`/organise/${soonId}/roles`)).text();
    expect(stripTags(checkInOf(after, soonSignup))).not.toContain('War da');
  });
});
