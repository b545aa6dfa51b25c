// Organisers over HTTP without JavaScript: create with bad and good input, publish, edit,
// cancel; everyone else gets 404 for every organiser page and action.
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { fieldError, stripTags, Visitor } from '../helpers/visitor.ts';

const organisationId = () => String(inject('activities').organisation);

const goodForm = () => ({
  organisationId: organisationId(),
  title: 'Nähwerkstatt',
  sourceLocale: 'de',
  description: 'Wir reparieren Kleidung.\n\nNähmaschinen sind da.',
  category: 'leisure',
  date: '2031-05-06',
  startTime: '15:00',
  endTime: '17:00',
  placeName: 'Stellwerk',
  address: 'Lennestraße 12, 58762 Altena',
  onlineUrl: '',
  capacity: '8',
  deadlineDate: '',
  deadlineTime: '',
  germanLevel: '',
  cost: '',
  contactName: 'Frau Yilmaz',
  title_ar: 'ورشة الخياطة',
  description_ar: 'نصلح الملابس معًا.',
});

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

function post(visitor: Visitor, page: string, action: string, fields: Record<string, string>, multi: Array<[string, string]> = []) {
  const body = new URLSearchParams(fields);
  for (const [k, v] of multi) body.append(k, v);
  return visitor.submit(page, action, body);
}

describe('an organiser', () => {
  it('creates a draft (after fixing mistakes), publishes it, edits it and cancels it', async () => {
    const organiser = await signedIn('organiser');
    const dashboard = stripTags(await (await organiser.get('/organise')).text());
    expect(dashboard).toContain('Test-Verein');

    const newPage = `/organise/new?organisation=${organisationId()}`;
    expect((await organiser.get(newPage)).status).toBe(200);
    const bad = await post(organiser, newPage, 'organise.createActivity', { ...goodForm(), title: '', endTime: '14:00', capacity: '0' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'title')).toBe('Bitte füllen Sie dieses Feld aus.');
    expect(stripTags(bad.html)).toContain('Das Ende muss nach dem Beginn liegen.');
    expect(fieldError(bad.html, 'capacity')).toContain('ganze Zahl');
    expect(bad.html).toContain('value="Frau Yilmaz"');
    // Nothing was saved.
    expect(stripTags(await (await organiser.get('/organise')).text())).not.toContain('Nähwerkstatt');

    const created = await post(organiser, newPage, 'organise.createActivity', goodForm());
    const id = /\/organise\/(\d+)$/.exec(created.url)?.[1];
    expect(id, created.url).toBeDefined();
    expect(stripTags(created.html)).toContain('Entwurf – nur Ihre Organisation sieht dieses Angebot.');
    // The draft: a preview for the organisation, nothing for anyone else.
    expect((await new Visitor().get(`/activities/${id}`)).status).toBe(404);
    expect((await (await signedIn('resident')).get(`/activities/${id}`)).status).toBe(404);
    const preview = await organiser.get(`/activities/${id}`);
    expect(preview.status).toBe(200);
    expect(stripTags(await preview.text())).toContain('Nähwerkstatt');

    const manage = `/organise/${id}`;
    await organiser.submit(manage, 'organise.publishActivity', { activityId: id! });
    const publicPage = await (await new Visitor().get(`/ar/activities/${id}`)).text();
    expect(publicPage).toContain('ورشة الخياطة');
    expect(stripTags(publicPage)).toContain('3:00–5:00 م');

    const edited = await post(organiser, `${manage}/edit`, 'organise.updateActivity', { ...goodForm(), activityId: id!, startTime: '16:00' });
    expect(edited.url).toBe(manage);
    expect(stripTags((await (await new Visitor().get(`/activities/${id}`)).text()))).toContain('Zeit oder Ort haben sich geändert');

    const noReason = await organiser.submit(manage, 'organise.cancelActivity', { activityId: id!, reason: '' });
    expect(fieldError(noReason.html, 'reason')).toBe('Bitte füllen Sie dieses Feld aus.');
    await organiser.submit(manage, 'organise.cancelActivity', { activityId: id!, reason: 'Die Nähmaschinen sind in Reparatur.' });
    const cancelled = stripTags(await (await new Visitor().get(`/activities/${id}`)).text());
    expect(cancelled).toContain('Dieses Angebot ist abgesagt.');
    expect(cancelled).toContain('Die Nähmaschinen sind in Reparatur.');
  });

  it('keeps every checked language and audience after a failed post', async () => {
    const organiser = await signedIn('organiser');
    const page = `/organise/new?organisation=${organisationId()}`;
    const result = await post(organiser, page, 'organise.createActivity', { ...goodForm(), title: '' }, [['languages', 'de'], ['languages', 'uk'], ['audience', 'families']]);
    expect(result.html).toMatch(/name="languages" value="uk" checked/);
    expect(result.html).toMatch(/name="audience" value="families" checked/);
    expect(result.html).not.toMatch(/name="languages" value="ar" checked/);
  });
});

describe('a course that repeats', () => {
  it('is created weekly from the form, published together, and booked as a whole', async () => {
    const organiser = await signedIn('organiser');
    const newPage = `/organise/new?organisation=${organisationId()}`;
    const bad = await post(organiser, newPage, 'organise.createActivity', { ...goodForm(), title: 'Alphabetisierungskurs', repeat: 'weekly' });
    expect(fieldError(bad.html, 'repeatCount')).toBe('Bitte geben Sie an, wie viele Termine es gibt oder bis wann.');
    const created = await post(organiser, newPage, 'organise.createActivity', { ...goodForm(), title: 'Alphabetisierungskurs', repeat: 'weekly', repeatCount: '3', wholeSeries: 'on', date: '2031-03-20' });
    const id = /\/organise\/(\d+)$/.exec(created.url)?.[1];
    expect(id, created.url).toBeDefined();
    await organiser.submit(`/organise/${id}`, 'organise.publishActivity', { activityId: id! });
    const dashboard = stripTags(await (await organiser.get('/organise')).text());
    expect(dashboard.match(/Alphabetisierungskurs/g)).toHaveLength(3);
    expect(dashboard).toContain('Reihe');
    // 20 and 27 March are in winter time, 3 April in summer time: 15:00 in Altena each time.
    for (const date of ['Donnerstag, 20. März', 'Donnerstag, 27. März', 'Donnerstag, 3. April']) expect(dashboard).toContain(`${date}, 15:00–17:00 Uhr`);

    const page = await (await new Visitor().get(`/activities/${id}`)).text();
    expect(stripTags(page)).toContain('Ein Kurs: Mit einer Anmeldung sind Sie bei allen kommenden Terminen dabei.');
    const guest = await signedIn('neighbour');
    await guest.submit(`/activities/${id}`, 'rsvps.create', { activityId: id!, partySize: '1', note: '' });
    const mine = stripTags(await (await guest.get('/my-activities')).text());
    expect(mine.match(/Alphabetisierungskurs/g)).toHaveLength(3);
  });
});

describe('everyone else', () => {
  it('gets 404 for organiser pages and actions', async () => {
    const resident = await signedIn('resident');
    const id = String(inject('activities').small);
    expect((await resident.get(`/organise/new?organisation=${organisationId()}`)).status).toBe(404);
    expect((await resident.get(`/organise/${id}`)).status).toBe(404);
    expect((await resident.get(`/organise/${id}/edit`)).status).toBe(404);
    for (const action of ['organise.publishActivity', 'organise.duplicateActivity']) {
      expect((await resident.post(`/organise/${id}?_action=${action}`, { activityId: id })).status, action).toBe(404);
    }
    expect((await resident.post(`/organise/${id}?_action=organise.cancelActivity`, { activityId: id, reason: 'x' })).status).toBe(404);
    expect((await resident.post(`/organise/new?_action=organise.createActivity`, goodForm())).status).toBe(404);
    expect(stripTags(await (await new Visitor().get(`/activities/${id}`)).text())).not.toContain('abgesagt');
  });
});
