// Help requests, the coordination half, over HTTP without JavaScript: a coordinator posts on a
// newcomer's behalf (the consent a doctor's visit needs refused at the field, a guessed person
// refused), a helper takes it sharing a contact, each side sees the other's first name and
// contact only once taken, the helper reports it done, the asker thanks once; the privacy
// matrix route by route (asker, poster, helper who took it, another helper, a Kümmerer who has
// nothing to do with it, an organiser, a coordinator, a visitor) with real and guessed ids; and
// the coordinators' overview. (A Kümmerer posting for their own newcomer, and their access
// ending with the mentorship, are in tests/unit/help-coordination.test.ts and the browser test:
// a running mentorship here would change what the mentoring tests count.)
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { as, fieldError, form, mailsTo, page, stripTags, Visitor } from '../helpers/visitor.ts';

const ADDRESS = 'Hauptpraxis, Kirchstraße 3, 58762 Altena';
const NOTE = 'Überweisung vom Hausarzt mitbringen';
const ASKER_CONTACT = 'WhatsApp 0151 4443322';
const HELPER_CONTACT = 'Telefon 0170 9998877';
const THANKS = 'Danke, ohne Sie hätte ich das nicht geschafft!';
const state = { requestId: '', newcomerId: '', guessed: '999999' };

function nextWeek(): string {
  return new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 10);
}

const request = (extra: Record<string, string | string[]> = {}) =>
  form({ forPerson: state.newcomerId, kind: 'doctor', when: 'time', date: nextWeek(), time: '10:30', district: 'Evingsen', address: ADDRESS, languages: ['fa'], note: NOTE, askerContact: ASKER_CONTACT, ...extra });

function idIn(html: string): string {
  const ids = [...html.matchAll(/\/help-requests\/(\d+)"/g)].map((m) => Number(m[1]));
  if (ids.length === 0) throw new Error('no request link');
  return String(Math.max(...ids));
}

describe('on behalf', () => {
  it('a coordinator\'s form offers "for whom"; a person with nobody to speak for sees no such choice', async () => {
    const newcomer = await as('newcomer');
    const data = (await (await newcomer.get('/account/data.json')).json()) as { person: { id: number } };
    state.newcomerId = String(data.person.id);
    expect((await page(await as('coordinator'), '/help-requests/new')).html).toContain('id="field-forPerson"');
    expect((await page(await as('volunteer2'), '/help-requests/new')).html).not.toContain('id="field-forPerson"');
    // ?for= preselects (a link from a person's page works without JavaScript).
    const chosen = await page(await as('coordinator'), `/help-requests/new?for=${state.newcomerId}`);
    expect(chosen.status).toBe(200);
    expect(chosen.html).toMatch(new RegExp(`<option value="${state.newcomerId}" selected[^>]*>Test Newcomer</option>`));
  });

  it('refuses a doctor\'s visit without the consent, and a person the poster does not speak for, at the field; nothing saved', async () => {
    const coordinator = await as('coordinator');
    const before = (await page(await as('newcomer'), '/my-help-requests')).html;
    const noConsent = await coordinator.submit('/help-requests/new', 'helpRequests.post', request());
    expect(noConsent.status).toBe(400);
    expect(fieldError(noConsent.html, 'healthConsent')).toBe('Für eine Begleitung zum Arzt brauchen wir diese Einwilligung. Ohne sie wird nichts gespeichert.');
    expect(noConsent.html).toContain(ASKER_CONTACT);
    const volunteer2 = await as('volunteer2');
    const notTheirs = await volunteer2.submit('/help-requests/new', 'helpRequests.post', request({ healthConsent: 'on' }));
    expect(notTheirs.status).toBe(400);
    expect(fieldError(notTheirs.html, 'forPerson')).toBe('Für diese Person können Sie keine Anfrage stellen.');
    const guessed = await coordinator.submit('/help-requests/new', 'helpRequests.post', request({ healthConsent: 'on', forPerson: '2000000000' }));
    expect(guessed.status).toBe(400);
    const tooLong = await coordinator.submit('/help-requests/new', 'helpRequests.post', request({ healthConsent: 'on', askerContact: 'x'.repeat(201) }));
    expect(tooLong.status).toBe(400);
    expect(fieldError(tooLong.html, 'askerContact')).toBe('Bitte höchstens 200 Zeichen.');
    expect((await page(await as('newcomer'), '/my-help-requests')).html).toBe(before);
  });

  it('posted for the newcomer: theirs to see, listed for the coordinator as posted for them', async () => {
    const coordinator = await as('coordinator');
    const done = await coordinator.submit('/help-requests/new', 'helpRequests.post', request({ healthConsent: 'on' }));
    expect(done.status).toBe(200);
    expect(done.url).toContain('/my-help-requests');
    const text = stripTags(done.html);
    expect(text).toContain('Anfragen, die Sie für andere gestellt haben');
    expect(text).toContain('Für: Test');
    state.requestId = idIn(done.html);
    const mine = await page(await as('newcomer'), `/help-requests/${state.requestId}`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('Eingetragen von: Test');
    expect(mine.html).toContain(ASKER_CONTACT);
  });
});

describe('taking with a contact', () => {
  it('"Help wanted" shows the take form with the contact field, never the asker\'s contact', async () => {
    const { html, status } = await page(await as('volunteer'), '/help-wanted');
    expect(status).toBe(200);
    expect(html).toContain(`id="take-contact-${state.requestId}"`);
    expect(html).not.toContain(ASKER_CONTACT);
    expect(html).not.toContain(ADDRESS);
    // A contact too long is refused next to it, at that request.
    const tooLong = await (await as('volunteer')).submit('/help-wanted', 'helpRequests.take', { requestId: state.requestId, helperContact: 'x'.repeat(201) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain(`id="take-contact-${state.requestId}-error"`);
  });

  it('the helper takes it sharing a phone number; both sides see the other\'s first name and contact; both told with them', async () => {
    const volunteer = await as('volunteer');
    const taken = await volunteer.submit('/help-wanted', 'helpRequests.take', { requestId: state.requestId, helperContact: HELPER_CONTACT });
    expect(taken.status).toBe(200);
    expect(taken.html).toContain(ASKER_CONTACT);
    expect(taken.html).toContain(HELPER_CONTACT);
    expect(stripTags(taken.html)).toContain('Anfrage von: Test');
    const asker = await page(await as('newcomer'), `/help-requests/${state.requestId}`);
    expect(asker.text).toContain('Es hilft: Vera');
    expect(asker.html).toContain(HELPER_CONTACT);
    const toAsker = (await mailsTo(TEST_ACCOUNTS.newcomer.email, { about: 'Jemand hilft Ihnen', containing: HELPER_CONTACT }))[0];
    expect(toAsker!.text).toContain('Vera hat Ihre Anfrage übernommen.');
    const toHelper = (await mailsTo(TEST_ACCOUNTS.volunteer.email, { about: 'Sie haben eine Anfrage übernommen', containing: ASKER_CONTACT }))[0];
    expect(toHelper).toBeTruthy();
    expect(toHelper!.text).not.toContain(ADDRESS);
    expect(toHelper!.text).not.toContain(NOTE);
    // The poster is told too.
    const toPoster = await mailsTo(TEST_ACCOUNTS.coordinator.email, { about: 'Jemand hilft Ihnen' });
    expect(toPoster.some((m) => m.text.includes('Vera hat die Anfrage übernommen, die Sie für Test gestellt haben.'))).toBe(true);
    // Next time the take form offers what they shared.
    const other = await (await as('newcomer')).submit('/help-requests/new', 'helpRequests.post', form({ kind: 'authority', when: 'week', date: '', time: '', district: 'Evingsen', address: ADDRESS, languages: ['fa'], note: '' }));
    expect(other.status).toBe(200);
    expect((await page(volunteer, '/help-wanted')).html).toContain(`value="${HELPER_CONTACT}"`);
  });
});

describe('privacy matrix, route by route', () => {
  const actions = (id: string) =>
    [
      ['helpRequests.withdraw', { requestId: id }],
      ['helpRequests.handBack', { requestId: id }],
      ['helpRequests.finish', { requestId: id, outcome: 'done', minutes: '30' }],
      ['helpRequests.thank', { requestId: id, message: 'x' }],
    ] as const;

  it('the asker, the poster, the helper who took it and a coordinator open it; guessed ids are 404 for them too', async () => {
    for (const account of ['newcomer', 'coordinator', 'volunteer'] as const) {
      const visitor = await as(account);
      const result = await page(visitor, `/help-requests/${state.requestId}`);
      expect(result.status, account).toBe(200);
      expect(result.html, account).toContain(ADDRESS);
      for (const id of [state.guessed, `${state.requestId}x`]) expect((await page(visitor, `/help-requests/${id}`)).status, `${account} ${id}`).toBe(404);
      for (const [action, fields] of actions(state.guessed)) expect((await visitor.post(`/help-requests/${state.guessed}?_action=${action}`, form(fields))).status, `${account} ${action}`).toBe(404);
    }
  });

  it.each(['volunteer2', 'mentor', 'organiser', 'resident'] as const)('%s (another helper, a Kümmerer not theirs, an organiser, a resident) gets 404 for the page and every action, real and guessed; nothing changes', async (account) => {
    const visitor = await as(account);
    for (const id of [state.requestId, state.guessed]) {
      const result = await page(visitor, `/help-requests/${id}`);
      expect(result.status, `${account} ${id}`).toBe(404);
      expect(result.html).not.toContain(ADDRESS);
      expect(result.html).not.toContain(ASKER_CONTACT);
      expect(result.html).not.toContain(HELPER_CONTACT);
      for (const [action, fields] of actions(id)) expect((await visitor.post(`/help-requests/${id}?_action=${action}`, form(fields))).status, `${account} ${action} ${id}`).toBe(404);
    }
    expect((await page(visitor, '/coordinate/help-requests')).status).toBe(404);
    expect((await page(await as('volunteer'), `/help-requests/${state.requestId}`)).text).toContain('Übernommen');
  });

  it('a visitor is sent to sign in for the pages and gets 404 for every action', async () => {
    const visitor = new Visitor();
    for (const path of [`/help-requests/${state.requestId}`, `/help-requests/${state.guessed}`, '/coordinate/help-requests']) {
      const response = await visitor.get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toContain('/sign-in');
    }
    for (const id of [state.requestId, state.guessed]) {
      for (const [action, fields] of actions(id)) expect((await visitor.post(`/help-requests/${id}?_action=${action}`, form(fields))).status, `${action} ${id}`).toBe(404);
    }
  });
});

describe('thanks', () => {
  it('not before it is done; after, the asker thanks once; the helper reads it on the page and by mail', async () => {
    const newcomer = await as('newcomer');
    const early = await newcomer.submit(`/help-requests/${state.requestId}`, 'helpRequests.thank', { requestId: state.requestId, message: THANKS });
    expect(early.status).toBe(400);
    expect(stripTags(early.html)).toContain('Danke sagen geht, sobald die Hilfe erledigt ist.');
    const volunteer = await as('volunteer');
    await volunteer.submit(`/help-requests/${state.requestId}`, 'helpRequests.finish', form({ requestId: state.requestId, outcome: 'done', minutes: '120' }));
    expect((await page(newcomer, `/help-requests/${state.requestId}`)).html).toContain('id="thank-title"');
    const tooLong = await newcomer.submit(`/help-requests/${state.requestId}`, 'helpRequests.thank', { requestId: state.requestId, message: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(fieldError(tooLong.html, 'message')).toBe('Bitte höchstens 500 Zeichen.');
    const thanked = await newcomer.submit(`/help-requests/${state.requestId}`, 'helpRequests.thank', { requestId: state.requestId, message: THANKS });
    expect(thanked.status).toBe(200);
    expect(stripTags(thanked.html)).toContain('Ihr Dank ist angekommen.');
    expect(thanked.html).not.toContain('id="thank-title"');
    const again = await newcomer.submit(`/help-requests/${state.requestId}`, 'helpRequests.thank', { requestId: state.requestId, message: 'Noch einmal' });
    expect(again.status).toBe(400);
    expect(stripTags(again.html)).toContain('Sie haben sich schon bedankt.');
    expect((await page(volunteer, `/help-requests/${state.requestId}`)).html).toContain(THANKS);
    const mails = await mailsTo(TEST_ACCOUNTS.volunteer.email, { about: 'Ein Dankeschön für Ihre Hilfe' });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(THANKS);
    expect(mails[0]!.text).toContain('Test sagt Danke für Ihre Hilfe.');
  });
});

describe('the coordinators\' overview', () => {
  it('counts by kind and language, names the missing languages, lists the open requests with links; linked from the coordination menu', async () => {
    const coordinator = await as('coordinator');
    // An open request of its own, whatever other test files left open or closed.
    const open = await (await as('newcomer')).submit('/help-requests/new', 'helpRequests.post', form({ kind: 'lift', when: 'time', date: nextWeek(), time: '08:15', district: 'Dahle', address: ADDRESS, languages: ['fa'], note: '' }));
    expect(open.status).toBe(200);
    const openId = idIn(open.html);
    const { status, html, text } = await page(coordinator, '/coordinate/help-requests');
    expect(status).toBe(200);
    expect(text).toContain('Hilfe-Anfragen im Überblick');
    expect(html).toContain('id="by-kind"');
    expect(html).toContain('id="by-language"');
    expect(text).toContain('Begleitung zum Arzt');
    // Which languages lack helpers depends on the volunteer profiles other test files write
    // (the rule itself is in the unit tests); the section is there either way.
    expect(text).toContain('Sprachen, für die Helfende fehlen');
    expect(html).toMatch(new RegExp(`id="open-requests"[\\s\\S]*/help-requests/${openId}"`));
    expect(html).not.toContain(ADDRESS);
    expect(html).not.toContain(ASKER_CONTACT);
    expect((await page(coordinator, '/coordinate')).html).toContain('href="/coordinate/help-requests"');
    expect((await page(coordinator, '/ar/coordinate/help-requests')).html).toContain('dir="rtl"');
  });
});
