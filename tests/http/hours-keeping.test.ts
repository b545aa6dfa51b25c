// Keeping hours over HTTP without JavaScript: an organiser adds hours by hand for a volunteer
// of the organisation (bad input answered next to the field, nothing saved), sees them in the
// month, downloads the deployment list (BOM, semicolons, a formula neutralised, no-store),
// confirms all of the month, takes one back and removes it with a second step. Everyone else
// gets 404 for the page, the CSV and the actions; a post without our Origin changes nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { fieldError, stripTags, Visitor } from '../helpers/visitor.ts';

const ids = () => inject('activities');
const PAGE = '/organise/organisation/test-verein/hours';
const MONTH = '2026-10';
const IN_MONTH = `${PAGE}?month=${MONTH}`;

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

let organiser: Visitor;
let roleId: string;
let neighbourId: string;

function byHand(extra: Record<string, string> = {}): Record<string, string> {
  return { scope: 'test-verein', month: MONTH, userIds: neighbourId, date: `${MONTH}-06`, startTime: '09:00', hours: '2', minutes: '30', description: '=1+1 Spenden sortieren', place: 'Lager', activityId: '', ...extra };
}

/** The ids of the entries the month page lists (each has its own row). */
function entryIds(html: string): string[] {
  return [...html.matchAll(/<li class="keep-entry[^"]*" id="entry-(\d+)"/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  organiser = await signedIn('organiser');
  // The neighbour signs up for a shift of the organisation: one of its known volunteers.
  const role = await organiser.submit(`/organise/${ids().roomy}/roles`, 'volunteering.createRole', { activityId: String(ids().roomy), name: 'Stunden-Test', peopleNeeded: '1', startTime: '', endTime: '', whatToBring: '' });
  roleId = /name="roleId" value="(\d+)"[\s\S]*?Stunden-Test|Stunden-Test[\s\S]*?name="roleId" value="(\d+)"/.exec(role.html)!.slice(1).find(Boolean)!;
  const neighbour = await signedIn('neighbour');
  const signed = await neighbour.submit(`/activities/${ids().roomy}`, 'volunteering.signUp', { roleId });
  expect(signed.status).toBe(200);
  const page = await (await organiser.get(IN_MONTH)).text();
  neighbourId = new RegExp(`name="userIds" value="(\\d+)"[^>]*/?>\\s*<bdi>${TEST_ACCOUNTS.neighbour.displayName}`).exec(page)![1]!;
});

afterAll(async () => {
  if (roleId) await organiser.submit(`/organise/${ids().roomy}/roles`, 'volunteering.deleteRole', { roleId });
});

describe('the month of an organisation’s hours', () => {
  it('adds hours by hand, lists them, exports the deployment list, confirms the month and removes an entry', async () => {
    const empty = await organiser.get(IN_MONTH);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('cache-control')).toBe('no-store');
    expect(stripTags(await empty.text())).toContain('Für diesen Monat sind keine Stunden eingetragen.');

    // Bad input: the message next to the field, nothing saved.
    const refused = await organiser.submit(IN_MONTH, 'hoursOrganise.addByHand', byHand({ description: '', hours: '0', minutes: '0' }));
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'description')).toBe('Bitte füllen Sie dieses Feld aus.');
    expect(fieldError(refused.html, 'hours')).toBe('Bitte geben Sie eine Dauer zwischen 1 Minute und 24 Stunden an.');
    expect(entryIds(refused.html)).toEqual([]);
    // Someone who is no volunteer of the organisation: not found, nothing saved.
    const resident = await organiser.submit(IN_MONTH, 'hoursOrganise.addByHand', byHand({ userIds: '2000000' }));
    expect(resident.status).toBe(404);

    const added = await organiser.submit(IN_MONTH, 'hoursOrganise.addByHand', byHand());
    expect(added.url).toBe(IN_MONTH);
    expect(stripTags(added.html)).toContain('Die Stunden für eine Person sind eingetragen.');
    await organiser.submit(IN_MONTH, 'hoursOrganise.addByHand', byHand({ date: `${MONTH}-07`, description: 'Kleiderkammer' }));
    const page = await (await organiser.get(IN_MONTH)).text();
    const text = stripTags(page);
    expect(text).toContain(TEST_ACCOUNTS.neighbour.displayName);
    expect(text).toContain('=1+1 Spenden sortieren');
    expect(text).toContain('2 Std., 30 Min.');
    expect(text).toContain('Insgesamt 5 Std., davon 5 Std. noch nicht bestätigt.');
    const [first, second] = entryIds(page);
    expect(second).toBeDefined();

    const csv = await organiser.get(`${PAGE}/deployments.csv?month=${MONTH}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('cache-control')).toBe('no-store');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="einsatzliste-test-verein-${MONTH}.csv"`);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(body.startsWith('\uFEFFName;Datum;Von;Bis;Was;Wo;Aktivität;Minuten;Stunden;Status\r\n')).toBe(true);
    expect(body).toContain(`${TEST_ACCOUNTS.neighbour.displayName};${MONTH}-06;09:00;11:30;'=1+1 Spenden sortieren;Lager;;150;2,5;Noch nicht bestätigt\r\n`);

    // "Confirm all 2": one post, both confirmed.
    const all = await organiser.submit(IN_MONTH, 'hoursOrganise.confirm', { scope: 'test-verein', month: MONTH, allPending: '2' });
    expect(all.url).toBe(IN_MONTH);
    expect(stripTags(all.html)).toContain('2 Einträge sind bestätigt.');
    expect(stripTags(all.html)).toContain('Insgesamt 5 Std., davon 0 Min. noch nicht bestätigt.');
    // Nothing ticked: the message at the list.
    const none = await organiser.submit(IN_MONTH, 'hoursOrganise.confirm', { scope: 'test-verein', month: MONTH });
    expect(none.status).toBe(400);
    expect(stripTags(none.html)).toContain('Bitte wählen Sie mindestens einen Eintrag aus.');

    const back = await organiser.submit(IN_MONTH, 'hoursOrganise.unconfirm', { scope: 'test-verein', month: MONTH, entryId: first! });
    expect(stripTags(back.html)).toContain('Die Bestätigung ist zurückgenommen.');

    const question = await organiser.get(`${PAGE}/remove?month=${MONTH}&entry=${second}`);
    expect(question.status).toBe(200);
    expect(stripTags(await question.text())).toContain('Ja, entfernen');
    const removed = await organiser.submit(IN_MONTH, 'hoursOrganise.remove', { scope: 'test-verein', month: MONTH, entryId: second! });
    expect(stripTags(removed.html)).toContain('Der Eintrag ist entfernt.');
    expect(entryIds(removed.html)).toEqual([first]);
  });
});

describe('who may', () => {
  it('answers 404 to anyone who is not a member, for the page, the CSV, the question and the actions', async () => {
    const resident = await signedIn('resident');
    const page = await (await organiser.get(IN_MONTH)).text();
    const [entry] = entryIds(page);
    expect(entry).toBeDefined();
    for (const path of [IN_MONTH, `${PAGE}/deployments.csv?month=${MONTH}`, `${PAGE}/remove?month=${MONTH}&entry=${entry}`, '/coordinate/hours', '/coordinate/hours/deployments.csv']) {
      expect((await resident.get(path)).status, path).toBe(404);
    }
    // The organiser is no coordinator: the town's hours are not theirs.
    expect((await organiser.get('/coordinate/hours')).status).toBe(404);
    const confirm = await resident.submit(IN_MONTH, 'hoursOrganise.confirm', { scope: 'test-verein', month: MONTH, only: entry! });
    expect(confirm.status).toBe(404);
    const remove = await resident.submit(IN_MONTH, 'hoursOrganise.remove', { scope: 'test-verein', month: MONTH, entryId: entry! });
    expect(remove.status).toBe(404);
    expect(entryIds(await (await organiser.get(IN_MONTH)).text())).toContain(entry);

    // Signed out: sign in first, then back here.
    const visitor = new Visitor();
    const gate = await visitor.get(IN_MONTH);
    expect(gate.status).toBe(303);
    expect(gate.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(IN_MONTH)}`);
    expect((await visitor.get(`${PAGE}/deployments.csv`)).status).toBe(303);
  });

  it('lets the coordinator keep the town’s hours', async () => {
    const coordinator = await signedIn('coordinator');
    const town = await coordinator.get('/coordinate/hours');
    expect(town.status).toBe(200);
    expect(stripTags(await town.text())).toContain('Stunden der Kümmerer und der Nachbarschaftshilfe');
    const csv = await coordinator.get(`/coordinate/hours/deployments.csv?month=${MONTH}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="einsatzliste-stadt-${MONTH}.csv"`);
  });

  it('refuses a post without our Origin, and changes nothing', async () => {
    const page = await (await organiser.get(IN_MONTH)).text();
    const pending = entryIds(page);
    for (const origin of [null, 'https://evil.example']) {
      const posted = await organiser.post(`${IN_MONTH}&_action=hoursOrganise.remove`, { scope: 'test-verein', month: MONTH, entryId: pending[0]! }, { origin });
      expect(posted.status).toBe(403);
    }
    expect(entryIds(await (await organiser.get(IN_MONTH)).text())).toEqual(pending);
  });
});
