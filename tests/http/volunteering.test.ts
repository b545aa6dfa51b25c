// Volunteering over HTTP without JavaScript: the organiser adds a role through the roles page,
// residents sign up from /help-wanted and see it in "My shifts", fellow volunteers see first
// names only, the organiser sees who came and writes to them; bad input is answered next to
// the field; other people's roles pages, sign-ups and actions do not exist (404).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { fieldError, mailsTo, stripTags, Visitor } from '../helpers/visitor.ts';

const ids = () => inject('activities');

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

function roleFields(extra: Record<string, string | string[]> = {}): URLSearchParams {
  const params = new URLSearchParams({ activityId: String(ids().roomy), name: 'Aufbau im Saal', peopleNeeded: '2', startTime: '16:30', endTime: '18:00', whatToBring: 'Feste Schuhe' });
  params.append('skills', 'setup');
  params.append('languages', 'ar');
  for (const [key, value] of Object.entries(extra)) {
    params.delete(key);
    for (const v of [value].flat()) params.append(key, v);
  }
  return params;
}

const rolesPage = () => `/organise/${ids().roomy}/roles`;
let organiser: Visitor;
let roleId: string;

beforeAll(async () => {
  organiser = await signedIn('organiser');
  const created = await organiser.submit(rolesPage(), 'volunteering.createRole', roleFields());
  expect(created.status).toBe(200);
  expect(stripTags(created.html)).toContain('1 Aufgabe angelegt.');
  roleId = /name="roleId" value="(\d+)"/.exec(created.html)![1]!;
});

afterAll(async () => {
  // Other files never see this role (they do not count roles, but keep the database as found).
  if (roleId) await organiser.submit(rolesPage(), 'volunteering.deleteRole', { roleId });
});

describe('pages that need a sign-in', () => {
  it('send signed-out visitors to sign in and back', async () => {
    const anonymous = new Visitor();
    for (const path of ['/my-shifts', '/account/volunteer-profile', rolesPage(), '/en/my-shifts']) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toContain(`sign-in?next=${encodeURIComponent(path)}`);
    }
  });
});

describe('help wanted', () => {
  it('lists the open role without JavaScript, with what a visitor needs and a way to sign in', async () => {
    const response = await new Visitor().get('/help-wanted');
    expect(response.status).toBe(200);
    const html = await response.text();
    const text = stripTags(html);
    expect(text).toContain('Aufbau im Saal');
    expect(text).toContain('Großes Fest');
    expect(text).toContain('0 von 2 besetzt');
    expect(text).toContain('Feste Schuhe');
    expect(text).toContain('Tragen, Auf- und Abbau');
    expect(text).toContain('16:30');
    expect(html).toContain('/sign-in?next=%2Fhelp-wanted');
    // The filters are a plain GET form; the page needs no script to work.
    expect(html).toMatch(/<form method="get" action="\/help-wanted"/);
    const filtered = stripTags(await (await new Visitor().get('/help-wanted?skill=driving')).text());
    expect(filtered).not.toContain('Aufbau im Saal');
    const arabic = stripTags(await (await new Visitor().get('/help-wanted?language=ar')).text());
    expect(arabic).toContain('Aufbau im Saal');
    // Signed in, the button posts back to the same filtered list.
    const resident = await signedIn('resident');
    const filteredHtml = await (await resident.get('/help-wanted?language=ar')).text();
    expect(/action="([^"]*volunteering\.signUp)"/.exec(filteredHtml)?.[1]).toBe('?language=ar&amp;_action=volunteering.signUp');
  });
});

describe('signing up', () => {
  it('from /help-wanted: two volunteers fill the role, see each other by first name, and the organiser sees them in full', async () => {
    const vera = await signedIn('volunteer');
    const signed = await vera.submit('/help-wanted', 'volunteering.signUp', { roleId });
    expect(signed.status).toBe(200);
    expect(stripTags(signed.html)).toContain('Danke! Sie sind eingetragen.');
    const viktor = await signedIn('volunteer2');
    await viktor.submit('/help-wanted', 'volunteering.signUp', { roleId });

    const shifts = stripTags(await (await vera.get('/my-shifts')).text());
    expect(shifts).toContain('Aufbau im Saal');
    expect(shifts).toContain('Großes Fest');
    expect(shifts).toContain('Mit dabei: Viktor');
    expect(shifts).not.toContain('Viktor Helper');
    expect(shifts).not.toContain(TEST_ACCOUNTS.volunteer2.email);

    // Full now: the role leaves /help-wanted, and the activity page says so.
    expect(stripTags(await (await new Visitor().get('/help-wanted')).text())).not.toContain('Aufbau im Saal');
    const activity = stripTags(await (await new Visitor().get(`/activities/${ids().roomy}`)).text());
    expect(activity).toContain('Voll besetzt – danke!');
    expect(activity).not.toContain('Vera');
    const late = await signedIn('neighbour');
    const refused = await late.submit(`/activities/${ids().roomy}`, 'volunteering.signUp', { roleId });
    expect(refused.status).toBe(400);
    expect(stripTags(refused.html)).toContain('Diese Aufgabe ist schon voll besetzt.');

    const managed = stripTags(await (await organiser.get(rolesPage())).text());
    expect(managed).toContain('2 von 2 besetzt');
    expect(managed).toContain('Vera Volunteer');
    expect(managed).toContain(TEST_ACCOUNTS.volunteer2.email);
    const dashboard = stripTags(await (await organiser.get('/organise')).text());
    expect(dashboard).toContain('Aufbau im Saal 2/2');

    const mails = await mailsTo(TEST_ACCOUNTS.volunteer.email, { about: 'Großes Fest' });
    expect(mails.map((m) => m.subject)).toContain('Danke fürs Mithelfen: Großes Fest');
  });

  it("the organiser cannot set the number below the people signed up; the message is next to the field and nothing is saved", async () => {
    const result = await organiser.submit(rolesPage(), 'volunteering.updateRole', roleFields({ roleId, peopleNeeded: '1', name: 'Umbenannt' }));
    expect(result.status).toBe(400);
    expect(fieldError(result.html, 'peopleNeeded')).toContain('So viele Personen haben sich schon eingetragen');
    expect(stripTags(result.html)).toContain('Es haben sich schon 2 Personen eingetragen.');
    const page = stripTags(await (await organiser.get(rolesPage())).text());
    expect(page).not.toContain('Umbenannt');
    expect(page).toContain('2 von 2 besetzt');
  });

  it('the organiser writes to the volunteers: one mail each', async () => {
    const sent = await organiser.submit(rolesPage(), 'volunteering.message', { roleId, subject: 'Treffpunkt', body: 'Bitte am Seiteneingang klingeln.' });
    expect(stripTags(sent.html)).toContain('Nachricht an 2 Personen geschickt.');
    for (const account of ['volunteer', 'volunteer2'] as const) {
      const mails = await mailsTo(TEST_ACCOUNTS[account].email, { about: 'Nachricht zu Ihrem Einsatz' });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain('Bitte am Seiteneingang klingeln.');
    }
    const empty = await organiser.submit(rolesPage(), 'volunteering.message', { roleId, subject: '', body: '' });
    expect(empty.status).toBe(400);
    expect(fieldError(empty.html, 'subject')).toBe('Bitte füllen Sie dieses Feld aus.');
  });

  it('withdrawing from "My shifts" asks first, then frees the place; someone else cannot withdraw it for them', async () => {
    const viktor = await signedIn('volunteer2');
    const page = await (await viktor.get('/my-shifts')).text();
    const confirmPath = /href="(\/my-shifts\/(\d+)\/withdraw)"/.exec(page)!;
    const signupId = confirmPath[2]!;
    // The question, and nothing changed by asking it.
    const question = await viktor.get(confirmPath[1]!);
    expect(question.status).toBe(200);
    const asked = stripTags(await question.text());
    expect(asked).toMatch(/Aus „Aufbau im Saal“ bei „.+“ am .+ austragen\?/);
    expect(asked).toContain('Dann sind nur noch 1 von 2 Plätzen besetzt');
    // In a right-to-left language the page's title isolates the names, as every message does.
    const arabicTitle = /<title>([^<]*)<\/title>/.exec(await (await viktor.get(`/ar${confirmPath[1]}`)).text())?.[1];
    expect(arabicTitle).toContain('\u2068Aufbau im Saal\u2069');
    expect(arabicTitle).toContain('\u2068Großes Fest\u2069');
    expect(stripTags(await (await viktor.get('/my-shifts')).text())).toMatch(/Kommende Einsätze\s*Aufbau im Saal/);
    // Nobody else sees the question or can withdraw.
    const vera = await signedIn('volunteer');
    for (const other of [vera, organiser]) {
      expect((await other.get(confirmPath[1]!)).status).toBe(404);
      expect((await other.post(`/my-shifts?_action=volunteering.withdraw`, { signupId })).status).toBe(404);
    }
    expect((await new Visitor().get(confirmPath[1]!)).status).toBe(303);
    // A sign-up's id is a plain number (only activities have readable addresses).
    expect((await viktor.get(`/my-shifts/${signupId}-aufbau/withdraw`)).status).toBe(404);
    const done = await viktor.submit('/my-shifts', 'volunteering.withdraw', { signupId });
    expect(stripTags(done.html)).toContain('Sie haben sich ausgetragen.');
    expect(stripTags(done.html)).toMatch(/Ausgetragen\s*Aufbau im Saal/);
    expect(stripTags(done.html)).not.toMatch(/Kommende Einsätze\s*Aufbau im Saal/);
    expect(stripTags(await (await new Visitor().get('/help-wanted')).text())).toContain('1 von 2 besetzt');
    // Withdrawn: there is nothing left to ask about.
    expect((await viktor.get(confirmPath[1]!)).status).toBe(404);
  });
});

describe('withdrawing after the activity changed', () => {
  /** The organiser's activity form for a plain afternoon activity. */
  const activityForm = (title: string, date: string) => ({
    organisationId: String(ids().organisation), title, sourceLocale: 'de', description: 'Für alle.', category: 'leisure', date, startTime: '15:00', endTime: '17:00',
    placeName: 'Stellwerk', address: 'Lennestraße 12, 58762 Altena', onlineUrl: '', capacity: '', deadlineDate: '', deadlineTime: '', germanLevel: '', cost: '', contactName: '',
  });

  /** A published activity with one role, and Nina signed up for it: her sign-up's withdraw page. */
  async function signedUpFor(title: string, nina: Visitor): Promise<{ activityId: string; withdrawPath: string }> {
    const created = await organiser.submit(`/organise/new?organisation=${ids().organisation}`, 'organise.createActivity', activityForm(title, '2031-05-06'));
    const activityId = /\/organise\/(\d+)$/.exec(created.url)![1]!;
    await organiser.submit(`/organise/${activityId}`, 'organise.publishActivity', { activityId });
    const role = await organiser.submit(`/organise/${activityId}/roles`, 'volunteering.createRole', roleFields({ activityId, name: `Kasse: ${title}`, startTime: '', endTime: '' }));
    const roleId = /name="roleId" value="(\d+)"/.exec(role.html)![1]!;
    const signed = await nina.submit(`/activities/${activityId}`, 'volunteering.signUp', { roleId });
    const withdrawPath = /href="(\/my-shifts\/\d+\/withdraw)\?back=/.exec(signed.html)![1]!;
    return { activityId, withdrawPath: `${withdrawPath}?back=${encodeURIComponent('/my-shifts')}` };
  }

  it('once the shift has begun, the page says so and offers no button, as the action refuses', async () => {
    const nina = await signedIn('neighbour');
    const { activityId, withdrawPath } = await signedUpFor('Rückblick Flohmarkt', nina);
    const moved = await organiser.submit(`/organise/${activityId}/edit`, 'organise.updateActivity', { ...activityForm('Rückblick Flohmarkt', '2020-05-06'), activityId, confirmPast: 'on' });
    expect(moved.url).toBe(`/organise/${activityId}`);
    const page = await nina.get(withdrawPath);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(stripTags(html)).toContain('Diese Schicht hat schon begonnen.');
    expect(html).not.toContain('volunteering.withdraw');
    const signupId = /\/my-shifts\/(\d+)\//.exec(withdrawPath)![1]!;
    const refused = await nina.submit('/my-shifts', 'volunteering.withdraw', { signupId });
    expect(refused.status).toBe(400);
    expect(stripTags(refused.html)).toContain('Diese Schicht hat schon begonnen.');
  });

  it('on a cancelled activity, the question is asked (not "it has begun") and the withdrawal goes through', async () => {
    const nina = await signedIn('neighbour');
    const { activityId, withdrawPath } = await signedUpFor('Abgesagter Flohmarkt', nina);
    await organiser.submit(`/organise/${activityId}`, 'organise.cancelActivity', { activityId, reason: 'Regen.' });
    const page = await nina.get(withdrawPath);
    expect(page.status).toBe(200);
    const html = await page.text();
    const text = stripTags(html);
    expect(text).toMatch(/Aus „Kasse: Abgesagter Flohmarkt“ bei „Abgesagter Flohmarkt“ am .+ austragen\?/);
    expect(text).toContain('Dieses Angebot ist abgesagt.');
    expect(text).not.toContain('schon begonnen');
    expect(html).toContain('action="/my-shifts?_action=volunteering.withdraw"');
    const signupId = /name="signupId" value="(\d+)"/.exec(html)![1]!;
    const done = await nina.submit('/my-shifts', 'volunteering.withdraw', { signupId });
    expect(stripTags(done.html)).toContain('Sie haben sich ausgetragen.');
    expect((await nina.get(withdrawPath)).status).toBe(404);
  });
});

describe('bad input', () => {
  it('is answered next to the field with status 400, and no role is saved', async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ peopleNeeded: '0' }, 'peopleNeeded', 'Bitte geben Sie eine Zahl von 1 bis 100 ein.'],
      [{ peopleNeeded: 'viele' }, 'peopleNeeded', 'Bitte geben Sie eine Zahl von 1 bis 100 ein.'],
      [{ name: '' }, 'name', 'Bitte füllen Sie dieses Feld aus.'],
      [{ endTime: '' }, 'endTime', 'Bitte geben Sie Beginn und Ende an – oder lassen Sie beide leer.'],
      [{ startTime: '05:00', endTime: '06:00' }, 'startTime', 'Die Schicht darf höchstens 6 Stunden vor dem Angebot beginnen'],
    ];
    for (const [fields, field, message] of cases) {
      const result = await organiser.submit(rolesPage(), 'volunteering.createRole', roleFields({ ...fields, name: fields.name ?? 'Nicht speichern' }));
      expect(result.status, JSON.stringify(fields)).toBe(400);
      expect(fieldError(result.html, field), JSON.stringify(fields)).toContain(message);
      // What was typed is kept.
      if (fields.name === undefined) expect(result.html).toContain('value="Nicht speichern"');
    }
    const roles = await (await organiser.get(rolesPage())).text();
    expect([...roles.matchAll(/<h2 class="volunteer-role__name"/g)]).toHaveLength(1);
    expect(stripTags(roles)).not.toContain('Nicht speichern');
  });

  it('in the volunteer profile too', async () => {
    const vera = await signedIn('volunteer');
    const tooLong = await vera.submit('/account/volunteer-profile', 'volunteering.saveProfile', { availability: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(fieldError(tooLong.html, 'availability')).toBe('Höchstens 500 Zeichen.');
    const params = new URLSearchParams({ availability: 'Samstags vormittags' });
    params.append('languages', 'ar');
    params.append('skills', 'driving');
    const saved = await vera.submit('/account/volunteer-profile', 'volunteering.saveProfile', params);
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('Samstags vormittags');
    // The organiser of a role Vera is on sees it.
    const managed = stripTags(await (await organiser.get(rolesPage())).text());
    expect(managed).toContain('Zeit: Samstags vormittags');
    expect(managed).toContain('Kann: Fahren (mit Auto)');
  });
});

describe('other people\'s roles', () => {
  it('the roles page and every organiser action are "not found" for non-members, also with guessed ids', async () => {
    const resident = await signedIn('resident');
    expect((await resident.get(rolesPage())).status).toBe(404);
    expect((await organiser.get('/organise/999999/roles')).status).toBe(404);
    expect((await organiser.get('/organise/abc/roles')).status).toBe(404);
    const page = rolesPage();
    expect((await resident.post(`${page}?_action=volunteering.createRole`, roleFields())).status).toBe(404);
    expect((await resident.post(`${page}?_action=volunteering.updateRole`, roleFields({ roleId, name: 'Gekapert' }))).status).toBe(404);
    expect((await resident.post(`${page}?_action=volunteering.message`, { roleId, subject: 'Hallo', body: 'Spam' })).status).toBe(404);
    expect((await resident.post(`${page}?_action=volunteering.deleteRole`, { roleId })).status).toBe(404);
    expect((await organiser.post(`${page}?_action=volunteering.deleteRole`, { roleId: '999999' })).status).toBe(404);
    expect((await organiser.post(`${page}?_action=volunteering.createRole`, roleFields({ activityId: '999999' }))).status).toBe(404);
    expect((await resident.post(`/help-wanted?_action=volunteering.signUp`, { roleId: '999999' })).status).toBe(404);
    expect((await new Visitor().post(`/help-wanted?_action=volunteering.signUp`, { roleId })).status).toBe(404);
    const still = stripTags(await (await organiser.get(rolesPage())).text());
    expect(still).toContain('Aufbau im Saal');
    expect(still).not.toContain('Gekapert');
  });

  it('a role on a draft cannot be signed up for (404)', async () => {
    const draftRoles = `/organise/${ids().draft}/roles`;
    const created = await organiser.submit(draftRoles, 'volunteering.createRole', roleFields({ activityId: String(ids().draft), name: 'Geheim' }));
    const draftRoleId = /name="roleId" value="(\d+)"/.exec(created.html)![1]!;
    const resident = await signedIn('resident');
    expect((await resident.post(`/help-wanted?_action=volunteering.signUp`, { roleId: draftRoleId })).status).toBe(404);
    expect(stripTags(await (await new Visitor().get('/help-wanted')).text())).not.toContain('Geheim');
    await organiser.submit(draftRoles, 'volunteering.deleteRole', { roleId: draftRoleId });
  });

  it('a form posted from another site is refused (403)', async () => {
    const resident = await signedIn('resident');
    expect((await resident.post(`/help-wanted?_action=volunteering.signUp`, { roleId }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await resident.post(`/help-wanted?_action=volunteering.signUp`, { roleId }, { origin: null })).status).toBe(403);
    expect((await organiser.post(`${rolesPage()}?_action=volunteering.deleteRole`, { roleId }, { origin: 'https://evil.example' })).status).toBe(403);
    expect(stripTags(await (await resident.get('/my-shifts')).text())).not.toContain('Aufbau im Saal');
  });
});
