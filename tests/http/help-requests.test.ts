// Help requests over HTTP, without JavaScript: a newcomer asks (refusals next to the fields),
// "Help wanted" shows the minimum to visitors and helpers, one helper takes it and only then
// sees the address and the note, the other gets a clear message, both are told by mail; hand
// back, done with minutes, withdraw — and the privacy matrix (asker, the helper who took it,
// another helper, an organiser, a coordinator, a visitor) with real and guessed ids.
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { as, fieldError, form, mailsTo, page, stripTags, Visitor } from '../helpers/visitor.ts';

const ADDRESS = 'Rahmedestraße 77, 58762 Altena';
const NOTE = 'Termin bei der Ausländerbehörde, Zimmer 12';
const state = { requestId: '', guessed: '999999' };

/** A date a week ahead, as the date field sends it. */
function nextWeek(): string {
  return new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 10);
}

const request = () => ({ kind: 'interpreting', when: 'time', date: nextWeek(), time: '09:00', district: 'Rahmede', address: ADDRESS, languages: ['fa', 'de'], wantsWoman: 'on', note: NOTE });

function idIn(html: string): string {
  const ids = [...html.matchAll(/\/help-requests\/(\d+)"/g)].map((m) => Number(m[1]));
  if (ids.length === 0) throw new Error('no request link');
  return String(Math.max(...ids));
}

describe('asking for help', () => {
  it('refuses a form without kind, district, address or language, with the message next to each field, and saves nothing', async () => {
    const newcomer = await as('newcomer');
    const before = (await page(newcomer, '/my-help-requests')).text;
    const result = await newcomer.submit('/help-requests/new', 'helpRequests.post', form({ kind: '', when: 'time', date: '', time: '', district: '', address: '', note: 'Nur ein Versuch' }));
    expect(result.status).toBe(400);
    expect(fieldError(result.html, 'kind')).toBe('Bitte wählen Sie, wobei Sie Hilfe brauchen.');
    expect(fieldError(result.html, 'district')).toBeTruthy();
    expect(stripTags(result.html)).toContain('Bitte wählen Sie mindestens eine Sprache.');
    expect(result.html).toContain('Nur ein Versuch');
    // A set time needs its date; one already past is refused too.
    const noDate = await newcomer.submit('/help-requests/new', 'helpRequests.post', form({ ...request(), date: '', note: 'Nur ein Versuch' }));
    expect(noDate.status).toBe(400);
    expect(fieldError(noDate.html, 'date')).toBeTruthy();
    const past = await newcomer.submit('/help-requests/new', 'helpRequests.post', form({ ...request(), date: '2020-01-06', note: 'Nur ein Versuch' }));
    expect(past.status).toBe(400);
    expect(fieldError(past.html, 'date')).toBe('Dieser Zeitpunkt ist schon vorbei. Bitte wählen Sie einen späteren.');
    expect((await page(newcomer, '/my-help-requests')).text).toBe(before);
  });

  it('takes the request and lists it with its status on the person\'s own page', async () => {
    const newcomer = await as('newcomer');
    const done = await newcomer.submit('/help-requests/new', 'helpRequests.post', form(request()));
    expect(done.status).toBe(200);
    expect(done.url).toContain('/my-help-requests');
    const text = stripTags(done.html);
    expect(text).toContain('Ihre Anfrage ist eingetragen.');
    expect(text).toContain('Dolmetschen');
    expect(text).toContain('Offen – noch niemand hat übernommen');
    state.requestId = idIn(done.html);
  });

  it('asks visitors to sign in before the form', async () => {
    const response = await new Visitor().get('/help-requests/new');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('/sign-in');
  });
});

describe('"Help wanted"', () => {
  it('shows visitors and helpers kind, day, district, languages and wishes — never the name, address or note', async () => {
    for (const who of [new Visitor(), await as('volunteer'), await as('volunteer2'), await as('organiser')]) {
      const { status, html, text } = await page(who, '/help-wanted');
      expect(status).toBe(200);
      expect(text).toContain('Dolmetschen');
      expect(text).toContain('Rahmede');
      expect(text).toContain('Eine Frau soll helfen');
      expect(html).not.toContain(ADDRESS);
      expect(html).not.toContain('Rahmedestraße');
      expect(html).not.toContain(NOTE);
      expect(text).not.toContain(TEST_ACCOUNTS.newcomer.displayName);
    }
    expect((await page(new Visitor(), '/help-wanted')).text).toContain('Melden Sie sich an, um eine Anfrage zu übernehmen.');
  });
});

describe('taking a request', () => {
  it('before it is taken, no helper and no organiser may open it', async () => {
    for (const account of ['volunteer', 'volunteer2', 'organiser'] as const) {
      const result = await page(await as(account), `/help-requests/${state.requestId}`);
      expect(result.status, account).toBe(404);
      expect(result.html).not.toContain(ADDRESS);
    }
  });

  it('one click: the helper sees the address, the note and the asker\'s first name; both are told by mail', async () => {
    const volunteer = await as('volunteer');
    // The request wishes for a woman helper: Vera says in her profile that she helps as one.
    expect((await volunteer.submit('/account/volunteer-profile', 'volunteering.saveProfile', form({ helpsAsWoman: 'on' }))).status).toBe(200);
    const taken = await volunteer.submit('/help-wanted', 'helpRequests.take', { requestId: state.requestId });
    expect(taken.status).toBe(200);
    expect(taken.url).toContain(`/help-requests/${state.requestId}`);
    const text = stripTags(taken.html);
    expect(text).toContain('Sie haben die Anfrage übernommen.');
    expect(taken.html).toContain(ADDRESS);
    expect(taken.html).toContain(NOTE);
    expect(text).toContain('Anfrage von: Test');
    expect(text).not.toContain(TEST_ACCOUNTS.newcomer.displayName);
    const link = `/help-requests/${state.requestId}`;
    const toAsker = await mailsTo(TEST_ACCOUNTS.newcomer.email, { about: 'Jemand hilft Ihnen', containing: link });
    expect(toAsker).toHaveLength(1);
    expect(toAsker[0]!.text).toContain('Vera hat Ihre Anfrage übernommen.');
    const toHelper = await mailsTo(TEST_ACCOUNTS.volunteer.email, { about: 'Sie haben eine Anfrage übernommen', containing: link });
    expect(toHelper).toHaveLength(1);
    for (const mail of [...toAsker, ...toHelper]) {
      expect(mail.text).not.toContain(ADDRESS);
      expect(mail.text).not.toContain(NOTE);
    }
    // No longer on the public list.
    expect((await page(await as('volunteer2'), '/help-wanted')).html).not.toContain(`value="${state.requestId}"`);
  });

  it('a second helper gets a clear message, not the request', async () => {
    const other = await as('volunteer2');
    const result = await other.submit('/help-wanted', 'helpRequests.take', { requestId: state.requestId });
    expect(result.status).toBe(400);
    expect(stripTags(result.html)).toContain('Jemand anderes hat diese Anfrage gerade übernommen.');
    expect(result.html).not.toContain(ADDRESS);
  });

  it('the asker sees the helper\'s first name on the request and in their list', async () => {
    const newcomer = await as('newcomer');
    const mine = await page(newcomer, `/help-requests/${state.requestId}`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('Es hilft: Vera');
    expect(mine.text).not.toContain(TEST_ACCOUNTS.volunteer.displayName);
    expect((await page(newcomer, '/my-help-requests')).text).toContain('Übernommen');
  });
});

describe('privacy matrix', () => {
  it('the asker, the helper who took it and a coordinator open it; a guessed id is 404 for them too', async () => {
    for (const account of ['newcomer', 'volunteer', 'coordinator'] as const) {
      const visitor = await as(account);
      const result = await page(visitor, `/help-requests/${state.requestId}`);
      expect(result.status, account).toBe(200);
      expect(result.html, account).toContain(ADDRESS);
      expect((await page(visitor, `/help-requests/${state.guessed}`)).status, account).toBe(404);
      expect((await page(visitor, `/help-requests/${state.requestId}-x`)).status, account).toBe(404);
    }
  });

  it.each(['volunteer2', 'organiser', 'resident'] as const)('%s gets 404 for the page and every action, real and guessed ids, and nothing changes', async (account) => {
    const visitor = await as(account);
    for (const id of [state.requestId, state.guessed]) {
      const result = await page(visitor, `/help-requests/${id}`);
      expect(result.status, `${account} ${id}`).toBe(404);
      expect(result.html).not.toContain(ADDRESS);
      for (const [action, fields] of [
        ['helpRequests.withdraw', { requestId: id }],
        ['helpRequests.handBack', { requestId: id }],
        ['helpRequests.finish', { requestId: id, outcome: 'done', minutes: '30' }],
      ] as const) {
        const response = await visitor.post(`/help-requests/${id}?_action=${action}`, form(fields));
        expect(response.status, `${account} ${action} ${id}`).toBe(404);
      }
    }
    // Taking a guessed id is 404 as well.
    expect((await visitor.post(`/help-wanted?_action=helpRequests.take`, { requestId: state.guessed })).status).toBe(404);
    expect((await page(await as('volunteer'), `/help-requests/${state.requestId}`)).text).toContain('Übernommen');
  });

  it('a visitor is sent to sign in for the page, real or guessed, and gets 404 for every action', async () => {
    const visitor = new Visitor();
    for (const id of [state.requestId, state.guessed]) {
      const response = await visitor.get(`/help-requests/${id}`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toContain('/sign-in');
      for (const action of ['helpRequests.take', 'helpRequests.withdraw', 'helpRequests.handBack']) {
        expect((await visitor.post(`/help-wanted?_action=${action}`, { requestId: id })).status, `${action} ${id}`).toBe(404);
      }
    }
  });

  it('a coordinator sees it but neither hands it back nor reports for the helper', async () => {
    const coordinator = await as('coordinator');
    expect((await coordinator.post(`/help-requests/${state.requestId}?_action=helpRequests.handBack`, { requestId: state.requestId })).status).toBe(404);
    expect((await coordinator.post(`/help-requests/${state.requestId}?_action=helpRequests.finish`, form({ requestId: state.requestId, outcome: 'done', minutes: '30' }))).status).toBe(404);
  });
});

describe('afterwards', () => {
  it('the helper hands it back: open again on "Help wanted", the asker told', async () => {
    const volunteer = await as('volunteer');
    const back = await volunteer.submit(`/help-requests/${state.requestId}`, 'helpRequests.handBack', { requestId: state.requestId });
    expect(back.status).toBe(200);
    expect(stripTags(back.html)).toContain('Die Anfrage ist zurückgegeben und wieder offen.');
    expect(await mailsTo(TEST_ACCOUNTS.newcomer.email, { about: 'Eine Anfrage ist zurückgegeben' })).toHaveLength(1);
    expect((await page(volunteer, `/help-requests/${state.requestId}`)).status).toBe(404);
    expect((await page(await as('volunteer2'), '/help-wanted')).html).toContain(`value="${state.requestId}"`);
  });

  it('taken again, the helper reports it done with the minutes; a wrong number is refused next to the field', async () => {
    const volunteer = await as('volunteer');
    await volunteer.submit('/help-wanted', 'helpRequests.take', { requestId: state.requestId });
    const wrong = await volunteer.submit(`/help-requests/${state.requestId}`, 'helpRequests.finish', form({ requestId: state.requestId, outcome: 'done', minutes: 'viel' }));
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.html, 'minutes')).toBe('Bitte geben Sie die Minuten als Zahl von 1 bis 1440 an.');
    const done = await volunteer.submit(`/help-requests/${state.requestId}`, 'helpRequests.finish', form({ requestId: state.requestId, outcome: 'done', minutes: '75' }));
    expect(done.status).toBe(200);
    const text = stripTags(done.html);
    expect(text).toContain('Danke! Ihre Angabe ist gespeichert.');
    expect(text).toContain('Zeit: 75 Minuten');
    expect((await page(await as('newcomer'), '/my-help-requests')).text).toContain('Erledigt');
  });

  it('the asker withdraws an open request; it leaves "Help wanted"', async () => {
    const newcomer = await as('newcomer');
    const posted = await newcomer.submit('/help-requests/new', 'helpRequests.post', form({ ...request(), kind: 'lift', when: 'week', date: '', time: '', needsCar: 'on' }));
    const id = idIn(posted.html);
    expect((await page(await as('volunteer2'), '/help-wanted')).html).toContain(`value="${id}"`);
    const withdrawn = await newcomer.submit('/my-help-requests', 'helpRequests.withdraw', { requestId: id });
    expect(withdrawn.status).toBe(200);
    expect(stripTags(withdrawn.html)).toContain('Ihre Anfrage ist zurückgezogen.');
    expect((await page(await as('volunteer2'), '/help-wanted')).html).not.toContain(`value="${id}"`);
    // A withdrawn request cannot be taken: it is gone.
    expect((await (await as('volunteer2')).post('/help-wanted?_action=helpRequests.take', { requestId: id })).status).toBe(404);
  });
});
