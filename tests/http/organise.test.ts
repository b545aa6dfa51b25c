// Organisers over HTTP without JavaScript: create with bad and good input, publish, edit,
// cancel; everyone else gets 404 for every organiser page and action.
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
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
    const id = await createPublishedActivity(organiser, organisationId(), { ...goodForm(), title: 'Alphabetisierungskurs', repeat: 'weekly', repeatCount: '3', wholeSeries: 'on', date: '2031-03-20' });
    const dashboard = stripTags(await (await organiser.get('/organise')).text());
    expect(dashboard.match(/Alphabetisierungskurs/g)).toHaveLength(3);
    expect(dashboard).toContain('Reihe');
    // 20 and 27 March are in winter time, 3 April in summer time: 15:00 in Altena each time.
    for (const date of ['Donnerstag, 20. März', 'Donnerstag, 27. März', 'Donnerstag, 3. April']) expect(dashboard).toContain(`${date}, 15:00–17:00 Uhr`);

    const page = await (await new Visitor().get(`/activities/${id}`)).text();
    expect(stripTags(page)).toContain('Ein Kurs: Mit einer Anmeldung sind Sie bei allen kommenden Terminen dabei.');
    const guest = await signedIn('neighbour');
    await guest.submit(`/activities/${id}`, 'rsvps.create', { activityId: id, partySize: '1', note: '' });
    const mine = await (await guest.get('/my-activities')).text();
    expect(mine.match(/<h3[^>]*><a [^>]*>Alphabetisierungskurs<\/a><\/h3>/g)).toHaveLength(3);
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

/** The first id in an /organise/<id> address. */
const idIn = (url: string) => /\/organise\/(\d+)$/.exec(url)?.[1];

describe('dates in the past, without JavaScript', () => {
  it('are named and saved only after the organiser ticks the box; publishing asks the same', async () => {
    const organiser = await signedIn('organiser');
    const newPage = `/organise/new?organisation=${organisationId()}`;
    const warned = await post(organiser, newPage, 'organise.createActivity', { ...goodForm(), title: 'Rückblick Sommerfest', date: '2020-05-06' });
    expect(warned.status).toBe(400);
    const text = stripTags(warned.html);
    expect(text).toContain('Ein Termin liegt in der Vergangenheit: Mittwoch, 6. Mai 2020 um 15:00.');
    expect(fieldError(warned.html, 'confirmPast')).toBe('Bitte prüfen Sie das Datum. Wenn es stimmt, setzen Sie das Häkchen.');
    expect(warned.html).toMatch(/<input type="checkbox" id="field-confirmPast" name="confirmPast"/);
    // What was typed is still there, and nothing was saved.
    expect(warned.html).toContain('value="Rückblick Sommerfest"');
    expect(stripTags(await (await organiser.get('/organise')).text())).not.toContain('Rückblick Sommerfest');

    const created = await post(organiser, newPage, 'organise.createActivity', { ...goodForm(), title: 'Rückblick Sommerfest', date: '2020-05-06', confirmPast: 'on' });
    const id = idIn(created.url);
    expect(id, created.url).toBeDefined();
    const publishWarned = await organiser.submit(`/organise/${id}`, 'organise.publishActivity', { activityId: id! });
    expect(publishWarned.status).toBe(400);
    expect(stripTags(publishWarned.html)).toContain('Ein Termin liegt in der Vergangenheit');
    expect(publishWarned.html).toContain('Ja, das Datum stimmt – trotzdem veröffentlichen.');
    const published = await organiser.submit(`/organise/${id}`, 'organise.publishActivity', { activityId: id!, confirmPast: 'on' });
    expect(stripTags(published.html)).toContain('Das Angebot ist veröffentlicht.');
  });
});

describe('a series, without JavaScript', () => {
  it('is published as a whole from a button that says so, edited for this date, the following ones or all, cancelled and reinstated', async () => {
    const organiser = await signedIn('organiser');
    const newPage = `/organise/new?organisation=${organisationId()}`;
    const created = await post(organiser, newPage, 'organise.createActivity', { ...goodForm(), title: 'Computerkurs', date: '2031-09-02', repeat: 'weekly', repeatCount: '3' });
    const first = idIn(created.url)!;
    expect(stripTags(created.html)).toContain('3 Termine sind als Entwurf gespeichert.');
    expect(stripTags(created.html)).toContain('Alle 3 Termine veröffentlichen');
    expect(stripTags(created.html)).toContain('Die Termine einer Reihe werden zusammen veröffentlicht.');
    // A draft is deleted, not cancelled.
    expect(stripTags(created.html)).toContain('Entwurf löschen');
    expect(stripTags(created.html)).not.toContain('Angebot absagen');
    const published = await organiser.submit(`/organise/${first}`, 'organise.publishActivity', { activityId: first });
    expect(stripTags(published.html)).toContain('Alle 3 Termine der Reihe sind veröffentlicht.');
    const ids = [...published.html.matchAll(/class="series-date__when" href="\/organise\/(\d+)"/g)].map((m) => m[1]!);
    const [second, third] = ids;
    expect(ids).toHaveLength(2);

    // The edit form of the second date asks which dates the change is for.
    const editPage = await (await organiser.get(`/organise/${second}/edit`)).text();
    expect(stripTags(editPage)).toContain('Für welche Termine gilt die Änderung?');
    expect(editPage).toMatch(/name="scope" value="this" checked/);
    expect(stripTags(editPage)).toContain('Dieser und alle folgenden Termine (2 Termine)');
    expect(stripTags(editPage)).toContain('Alle Termine der Reihe (3 Termine)');

    const costs = async () =>
      Promise.all([first, second, third].map(async (id) => /<dt>Kosten<\/dt>\s*<dd[^>]*>([^<]*)<\/dd>/.exec(await (await new Visitor().get(`/activities/${id}`)).text())?.[1] ?? '?'));
    const edit = (id: string, date: string, fields: Record<string, string>) => post(organiser, `/organise/${id}/edit`, 'organise.updateActivity', { ...goodForm(), title: 'Computerkurs', activityId: id, date, ...fields });
    const saved = await edit(second!, '2031-09-09', { scope: 'following', cost: '2 € pro Abend' });
    expect(saved.url).toBe(`/organise/${second}`);
    expect(stripTags(saved.html)).toContain('Die Änderungen sind für 2 Termine gespeichert.');
    const afterFollowing = await costs();
    expect(afterFollowing[0]).not.toContain('2 €');
    expect(afterFollowing[1]).toContain('2 € pro Abend');
    expect(afterFollowing[2]).toContain('2 € pro Abend');
    await edit(first, '2031-09-02', { scope: 'all', cost: '1 €' });
    expect((await costs()).every((c) => c.includes('1 €'))).toBe(true);
    await edit(third!, '2031-09-16', { scope: 'this', cost: '' });
    const afterThis = await costs();
    expect(afterThis[0]).toContain('1 €');
    expect(afterThis[2]).not.toContain('1 €');

    // Cancelled alone: the organiser sees the own reason as a state, with a way back.
    await organiser.submit(`/organise/${second}`, 'organise.cancelActivity', { activityId: second!, reason: 'Der Raum ist belegt.', scope: 'this' });
    const cancelledPage = await (await organiser.get(`/organise/${second}`)).text();
    expect(stripTags(cancelledPage)).toContain('Sie haben diesen Termin abgesagt.');
    expect(stripTags(cancelledPage)).toContain('Grund: Der Raum ist belegt.');
    expect(cancelledPage).not.toContain('notice--error');
    expect(await (await organiser.get(`/organise/${first}`)).text()).toMatch(/aria-label="Wieder ansetzen: [^"]+">Wieder ansetzen</);
    const reinstated = await organiser.submit(`/organise/${second}`, 'organise.reinstateActivity', { activityId: second! });
    expect(stripTags(reinstated.html)).toContain('Der Termin findet wieder statt.');
    expect(stripTags((await (await new Visitor().get(`/activities/${second}`)).text()))).not.toContain('abgesagt');

    // Someone else's organisation: every one of these answers "not found".
    const resident = await signedIn('resident');
    for (const [action, fields] of [
      ['organise.reinstateActivity', { activityId: second! }],
      ['organise.deleteDraft', { activityId: second!, scope: 'all' }],
      ['organise.cancelActivity', { activityId: second!, reason: 'x', scope: 'all' }],
      ['organise.publishActivity', { activityId: second!, confirmPast: 'on' }],
    ] as const) {
      expect((await resident.post(`/organise/${second}?_action=${action}`, fields)).status, action).toBe(404);
    }
    expect((await resident.post(`/organise/${second}/edit?_action=organise.updateActivity`, { ...goodForm(), activityId: second!, scope: 'all', title: 'Übernommen' })).status).toBe(404);
  });

  it('a volunteer role on every date is changed for the following dates and removed from all at once', async () => {
    const organiser = await signedIn('organiser');
    const created = await post(organiser, `/organise/new?organisation=${organisationId()}`, 'organise.createActivity', { ...goodForm(), title: 'Repair-Café', date: '2031-11-04', repeat: 'weekly', repeatCount: '3' });
    const first = idIn(created.url)!;
    const published = await organiser.submit(`/organise/${first}`, 'organise.publishActivity', { activityId: first });
    const [second, third] = [...published.html.matchAll(/class="series-date__when" href="\/organise\/(\d+)"/g)].map((m) => m[1]!);
    const role = { name: 'Werkzeug ausgeben', peopleNeeded: '1', startTime: '', endTime: '', whatToBring: '' };
    await organiser.submit(`/organise/${first}/roles`, 'volunteering.createRole', { ...role, activityId: first, allDates: 'on' });
    const roleOn = async (id: string) => {
      const html = await (await organiser.get(`/organise/${id}/roles`)).text();
      return { html, roleId: /name="roleId" value="(\d+)"/.exec(html)?.[1] };
    };
    const onSecond = await roleOn(second!);
    expect(stripTags(onSecond.html)).toContain('Dieser und alle folgenden Termine (2 Termine)');
    const saved = await organiser.submit(`/organise/${second}/roles`, 'volunteering.updateRole', { ...role, activityId: second!, roleId: onSecond.roleId!, peopleNeeded: '3', scope: 'following' });
    expect(stripTags(saved.html)).toContain('Die Änderungen sind für 2 Termine gespeichert.');
    expect(stripTags((await roleOn(first)).html)).toContain('0 von 1 besetzt');
    expect(stripTags((await roleOn(third!)).html)).toContain('0 von 3 besetzt');

    const onFirst = await roleOn(first);
    const removed = await organiser.submit(`/organise/${first}/roles`, 'volunteering.deleteRole', { roleId: onFirst.roleId!, scope: 'all' });
    expect(stripTags(removed.html)).toContain('Die Aufgabe ist von 3 Terminen entfernt.');
    expect((await roleOn(third!)).roleId).toBeUndefined();
    // Someone else gets "not found" for the same.
    const resident = await signedIn('resident');
    expect((await resident.post(`/organise/${first}/roles?_action=volunteering.deleteRole`, { roleId: onSecond.roleId!, scope: 'all' })).status).toBe(404);
  });

  it('a draft series is deleted date by date or as a whole', async () => {
    const organiser = await signedIn('organiser');
    const created = await post(organiser, `/organise/new?organisation=${organisationId()}`, 'organise.createActivity', { ...goodForm(), title: 'Verworfener Kurs', date: '2031-10-07', repeat: 'weekly', repeatCount: '2' });
    const first = idIn(created.url)!;
    const deleted = await organiser.submit(`/organise/${first}`, 'organise.deleteDraft', { activityId: first, scope: 'all' });
    expect(deleted.url).toBe('/organise');
    expect(stripTags(deleted.html)).toContain('2 Entwürfe sind gelöscht.');
    expect(stripTags(deleted.html)).not.toContain('Verworfener Kurs');
    expect((await organiser.get(`/organise/${first}`)).status).toBe(404);
  });
});
