// "My data" over HTTP, without JavaScript: the page, the JSON download with its headers and
// contents, the readable page in Arabic (right to left, every section), the sign-in gate, and a
// coordinator's export of a newcomer for a formal access request — 404 to anyone else, and
// recorded in the security log (read back from the coordinator's own export).
import { beforeAll, describe, expect, it } from 'vitest';
import { personalTables } from '../../src/features/privacy/declaration.ts';
import { zonedDateInput } from '../../src/i18n/format.ts';
import { translator } from '../../src/i18n/index.ts';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { as, stripTags, Visitor } from '../helpers/visitor.ts';

type Json = Record<string, unknown>;

const SECTION_KEYS = personalTables().flatMap(([, d]) => (d.exportKey === null ? [] : [d.exportKey]));
const FILE_NAME = /^attachment; filename="ankommen-data-\d{4}-\d{2}-\d{2}\.json"$/;

async function download(visitor: Visitor, path: string): Promise<{ response: Response; json: Json }> {
  const response = await visitor.get(path);
  expect(response.status, path).toBe(200);
  return { response, json: (await response.json()) as Json };
}
const events = (json: Json) => json.security_log as Array<{ action: string; object_id: string | null; at: string }>;

describe('signed out', () => {
  it.each(['/account/data', '/account/data.json', '/ar/account/data/view', '/coordinate/people/1/data', '/coordinate/people/1/data.json'])('%s sends to sign-in and back', async (path) => {
    const response = await new Visitor().get(path);
    expect(response.status).toBe(303);
    const signIn = path.startsWith('/ar/') ? '/ar/sign-in' : '/sign-in';
    expect(response.headers.get('location')).toBe(`${signIn}?next=${encodeURIComponent(path)}`);
  });
});

describe('My data', () => {
  it('explains what is kept, offers both downloads and the ways to change or delete, not cached', async () => {
    const visitor = await as('neighbour');
    const response = await visitor.get('/account/data');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const text = stripTags(html);
    expect(text).toContain('Was das Portal über Sie speichert');
    for (const key of SECTION_KEYS) expect(html, key).toContain(`data-section="${key}"`);
    expect(text).toContain('Sicherheitsprotokoll');
    for (const href of ['/account/data.json', '/account/data/view', '/account#email-title', '/account/calendar', '/account/delete']) expect(html, href).toContain(`href="${href}"`);
    expect(text).toContain('Alles herunterladen (JSON)');
    expect(text).toContain('Mein Konto löschen');
  });

  it('is linked from the account page and the list of my pages, in every language', async () => {
    const visitor = await as('neighbour');
    const account = await (await visitor.get('/account')).text();
    expect(account).toContain('href="/account/data"');
    expect(stripTags(account)).toContain('Meine Daten: alles sehen, herunterladen oder löschen');
    const shifts = await (await visitor.get('/tr/my-shifts')).text();
    expect(shifts).toContain(`href="/tr/account/data">${translator('tr')('privacyData.title')}</a>`);
  });

  it('downloads everything as a JSON file with the documented keys, and records the download', async () => {
    const visitor = await as('neighbour');
    const { response, json } = await download(visitor, '/account/data.json');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(FILE_NAME);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(json)).toEqual(['format', 'exported_at', 'access_request', 'person', ...SECTION_KEYS]);
    expect(json.format).toBe('ankommen.personal-data/1');
    expect(json.access_request).toBe(false);
    expect((json.person as Json).display_name).toBe(TEST_ACCOUNTS.neighbour.displayName);
    const [account] = json.account as Json[];
    expect(account!.email).toBe(TEST_ACCOUNTS.neighbour.email);
    // Whether a password is set, never its hash.
    expect(account!.password_hash).toBe(true);
    expect(JSON.stringify(json)).not.toContain('$argon2');
    expect((json.sessions as Json[]).length).toBeGreaterThan(0);
    expect(events(json).map((e) => e.action)).toContain('account.signed_in');
    // The next export shows this one in the security log.
    const again = await download(visitor, '/account/data.json');
    expect(events(again.json).filter((e) => e.action === 'privacy.exported').length).toBeGreaterThan(0);
  });

  it('shows everything to read and print in Arabic, right to left, every section with its heading', async () => {
    const visitor = await as('neighbour');
    const response = await visitor.get('/ar/account/data/view');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toMatch(/<html lang="ar" dir="rtl"/);
    const ar = translator('ar');
    expect(stripTags(html)).toContain(ar('privacyData.viewTitle'));
    for (const key of SECTION_KEYS) {
      expect(html, key).toContain(`data-section="${key}"`);
      expect(html, key).toMatch(new RegExp(`<h2 id="section-${key}"[^>]*>${ar(`privacyData.section.${key}` as Parameters<typeof ar>[0])}</h2>`));
    }
    // The person's own name and address, isolated in the Arabic text.
    expect(html).toContain(`<bdi class="personal-data__typed">${TEST_ACCOUNTS.neighbour.email}</bdi>`);
  });
});

describe('a coordinator’s export of a newcomer for a formal access request', () => {
  let personId = '';

  beforeAll(async () => {
    const coordinator = await as('coordinator');
    // The coordinator confirms the consent form she signed today (Berlin's day).
    const signedOn = zonedDateInput('Europe/Berlin', new Date());
    const params = new URLSearchParams({ name: 'Samira Auskunft', locale: 'ar', note: 'Samiras Bedarf: Kita-Platz', contactPreference: 'coordinator', contactDetail: '', paperConsent: 'on', consentSignedOn: signedOn });
    params.append('topics', 'school');
    params.append('languages', 'ar');
    const created = await coordinator.submit('/coordinate/new-request', 'mentoring.requestForPerson', params);
    expect(created.status).toBe(200);
    personId = /\/coordinate\/claim-sheet\/(\d+)$/.exec(created.url)?.[1] ?? '';
    expect(personId).not.toBe('');
  });

  it.each(['resident', 'neighbour', 'organiser'] as const)('%s gets 404 for the file and the page', async (account) => {
    const visitor = await as(account);
    for (const path of [`/coordinate/people/${personId}/data.json`, `/coordinate/people/${personId}/data`, `/ar/coordinate/people/${personId}/data`]) {
      const response = await visitor.get(path);
      expect(response.status, `${account} ${path}`).toBe(404);
      expect(response.headers.get('content-disposition')).toBeNull();
      expect(await response.text()).not.toContain('Samira');
    }
    // Nor for an id that is not a number or names nobody.
    expect((await visitor.get('/coordinate/people/abc/data.json')).status).toBe(404);
  });

  it('a coordinator finds it on the people page and gets the complete file and page; both are recorded', async () => {
    const coordinator = await as('coordinator');
    const people = await (await coordinator.get('/coordinate/people?q=Samira')).text();
    expect(people).toContain(`href="/coordinate/people/${personId}/data"`);
    expect(people).toContain(`href="/coordinate/people/${personId}/data.json"`);

    const { response, json } = await download(coordinator, `/coordinate/people/${personId}/data.json`);
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="ankommen-data-person-${personId}-\\d{4}-\\d{2}-\\d{2}\\.json"$`));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(json.access_request).toBe(true);
    expect((json.person as Json).display_name).toBe('Samira Auskunft');
    expect((json.mentoring_requests as Json[]).map((r) => r.note)).toEqual(['Samiras Bedarf: Kita-Platz']);

    const view = await coordinator.get(`/coordinate/people/${personId}/data`);
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(stripTags(html)).toContain('Auskunft über Samira Auskunft');
    expect(stripTags(html)).toContain('Samiras Bedarf: Kita-Platz');
    // Offered in the person's own language as well.
    expect(html).toContain(`href="/ar/coordinate/people/${personId}/data"`);

    const own = await download(coordinator, '/account/data.json');
    const recorded = events(own.json).filter((e) => e.action === 'privacy.exported_for_access_request');
    expect(recorded.map((e) => e.object_id)).toEqual([personId, personId]);
    // The refusals were recorded for whoever asked, and no export in their name.
    const resident = await download(await as('resident'), '/account/data.json');
    expect(events(resident.json).map((e) => e.action)).toContain('access.refused');
    expect(events(resident.json).map((e) => e.action)).not.toContain('privacy.exported_for_access_request');
  });

  it('a coordinator gets 404 for someone the coordination does not know as a newcomer', async () => {
    const coordinator = await as('coordinator');
    const neighbour = await download(await as('neighbour'), '/account/data.json');
    const neighbourId = (neighbour.json.person as Json).id as number;
    expect((await coordinator.get(`/coordinate/people/${neighbourId}/data.json`)).status).toBe(404);
    expect((await coordinator.get('/coordinate/people/2000000000/data')).status).toBe(404);
  });
});
