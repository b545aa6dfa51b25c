// RSVPs over HTTP without JavaScript: the activity page, signing up with a party, the waitlist,
// cancelling (which promotes), "my activities", bad input and other people's RSVPs.
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { mailsTo, stripTags, Visitor } from '../helpers/visitor.ts';

const ids = () => inject('activities');

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

describe('the activity page', () => {
  it('shows everything a visitor needs, safely, and offers to sign in to RSVP', async () => {
    const response = await new Visitor().get(`/activities/${ids().small}-kleines-sprachcafe`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Kleines Sprachcafé');
    expect(html).toContain('href="https://www.openstreetmap.org/search?query=Stellwerk%2C%20Lenne');
    // A link in the description keeps its own direction (it may sit in an Arabic sentence).
    expect(html).toContain('<a href="https://example.org/info" rel="noopener noreferrer" dir="ltr">https://example.org/info</a>');
    expect(html).toContain('&lt;b&gt;ohne HTML&lt;/b&gt;');
    expect(html).toContain(`/sign-in?next=%2Factivities%2F${ids().small}-kleines-sprachcafe`);
    expect(stripTags(html)).toContain('Noch 2 Plätze frei');
  });

  it('does not exist for drafts, unknown ids or odd addresses', async () => {
    const visitor = new Visitor();
    expect((await visitor.get(`/activities/${ids().draft}`)).status).toBe(404);
    expect((await visitor.get('/activities/999999')).status).toBe(404);
    expect((await visitor.get('/activities/abc')).status).toBe(404);
  });
});

describe('RSVP', () => {
  it('signs up a family, puts the next one on the waitlist, and promotes it when the first cancels', async () => {
    const page = `/activities/${ids().small}`;
    const resident = await signedIn('resident');
    const going = await resident.submit(page, 'rsvps.create', { activityId: String(ids().small), partySize: '2', note: 'Wir bringen einen Kinderwagen mit.' });
    expect(going.status).toBe(200);
    expect(stripTags(going.html)).toContain('Sie sind angemeldet. Sie kommen zu 2.');
    expect(stripTags(going.html)).toContain('Ausgebucht – Warteliste');

    const newcomer = await signedIn('newcomer');
    const waiting = await newcomer.submit(page, 'rsvps.create', { activityId: String(ids().small), partySize: '1', note: '' });
    expect(stripTags(waiting.html)).toContain('Sie stehen auf der Warteliste auf Platz 1.');
    const mine = stripTags(await (await newcomer.get('/my-activities')).text());
    expect(mine).toContain('Kleines Sprachcafé');
    expect(mine).toContain('Warteliste');
    // Nobody sees who else is coming.
    expect(stripTags(waiting.html)).not.toContain('Test Resident');

    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(going.html)![1]!;
    // Someone else cannot cancel it: the answer is the same as for an id that does not exist.
    const stranger = await signedIn('neighbour');
    expect((await stranger.post(`${page}?_action=rsvps.cancel`, { rsvpId })).status).toBe(404);

    const cancelled = await resident.submit(page, 'rsvps.cancel', { rsvpId });
    expect(stripTags(cancelled.html)).toContain('Sie haben abgesagt.');
    const promotedPage = stripTags(await (await newcomer.get(page)).text());
    expect(promotedPage).toContain('Sie sind angemeldet.');
    const mails = await mailsTo(TEST_ACCOUNTS.newcomer.email, { atLeast: 2, about: 'Kleines Sprachcafé' });
    expect(mails.map((m) => m.subject)).toEqual(['Warteliste: Kleines Sprachcafé', 'Ein Platz ist frei geworden: Kleines Sprachcafé']);
  });

  it('answers bad input next to the field and saves nothing', async () => {
    const visitor = await signedIn('neighbour');
    const page = `/activities/${ids().roomy}`;
    for (const partySize of ['0', '11', 'viele']) {
      const result = await visitor.submit(page, 'rsvps.create', { activityId: String(ids().roomy), partySize, note: '' });
      expect(result.status).toBe(400);
      expect(stripTags(result.html)).toContain('Bitte wählen Sie, wie viele Personen kommen (1 bis 10).');
    }
    const tooLong = await visitor.submit(page, 'rsvps.create', { activityId: String(ids().roomy), partySize: '1', note: 'x'.repeat(501) });
    expect(stripTags(tooLong.html)).toContain('Höchstens 500 Zeichen.');
    expect(stripTags(await (await visitor.get('/my-activities')).text())).not.toContain('Großes Fest');
    const ok = await visitor.submit(page, 'rsvps.create', { activityId: String(ids().roomy), partySize: '10', note: '' });
    expect(stripTags(ok.html)).toContain('Sie kommen zu 10.');
  });

  it('is refused to signed-out visitors and for drafts', async () => {
    const anonymous = new Visitor();
    expect((await anonymous.post(`/activities/${ids().small}?_action=rsvps.create`, { activityId: String(ids().small), partySize: '1', note: '' })).status).toBe(404);
    const visitor = await signedIn('neighbour');
    expect((await visitor.post(`/activities/${ids().roomy}?_action=rsvps.create`, { activityId: String(ids().draft), partySize: '1', note: '' })).status).toBe(404);
    expect((await anonymous.get('/my-activities')).status).toBe(303);
  });
});

describe('RSVP on behalf', () => {
  it('lets a coordinator sign up a newcomer by e-mail, and nobody else', async () => {
    const page = `/activities/${ids().roomy}`;
    const resident = await signedIn('resident');
    expect(await (await resident.get(page)).text()).not.toContain('rsvps.createOnBehalf');
    expect((await resident.post(`${page}?_action=rsvps.createOnBehalf`, { activityId: String(ids().roomy), partySize: '1', note: '', email: TEST_ACCOUNTS.admin.email })).status).toBe(404);

    const coordinator = await signedIn('coordinator');
    // The coordinator records someone else's party: the question is not "you included?".
    for (const [prefix, asked] of [['', 'Wie viele Personen kommen, die Person eingeschlossen?'], ['/en', 'How many people are coming, the person included?']] as const) {
      const html = await (await coordinator.get(`${prefix}${page}`)).text();
      const behalf = stripTags(html.slice(html.indexOf('id="on-behalf-title"')));
      expect(behalf).toContain(asked);
      expect(behalf).not.toMatch(/Sie eingeschlossen|including you/);
    }
    const unknown = await coordinator.submit(page, 'rsvps.createOnBehalf', { activityId: String(ids().roomy), partySize: '2', note: '', email: 'nobody@test.example' });
    expect(unknown.status).toBe(400);
    expect(stripTags(unknown.html)).toContain('Zu dieser E-Mail-Adresse gibt es kein Konto.');
    const done = await coordinator.submit(page, 'rsvps.createOnBehalf', { activityId: String(ids().roomy), partySize: '2', note: 'Begleitet von Frau Weber', email: TEST_ACCOUNTS.admin.email });
    expect(stripTags(done.html)).toContain(`${TEST_ACCOUNTS.admin.email} ist angemeldet.`);
    const mails = await mailsTo(TEST_ACCOUNTS.admin.email, { about: 'Großes Fest' });
    expect(mails.map((m) => m.subject)).toEqual(['Sie sind angemeldet: Großes Fest']);
  });
});

describe('"My activities" after cancelling', () => {
  it('lists the cancelled RSVP (saying who cancelled) instead of claiming there was never one', async () => {
    const visitor = new Visitor();
    await visitor.signIn(TEST_ACCOUNTS.mentee2.email, TEST_ACCOUNTS.mentee2.password);
    const empty = stripTags(await (await visitor.get('/my-activities')).text());
    expect(empty).toContain('Sie haben sich noch zu keinem Angebot angemeldet.');

    const page = `/activities/${ids().roomy}`;
    const going = await visitor.submit(page, 'rsvps.create', { activityId: String(ids().roomy), partySize: '2', note: '' });
    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(going.html)![1]!;
    // The buttons name the activity for screen readers, the title in an isolate of its language.
    const named = '<span class="visually-hidden">: <bdi lang="de">Großes Fest</bdi></span></a>';
    const before = await (await visitor.get('/my-activities')).text();
    expect(before).toContain(`Absagen${named}`);
    await visitor.submit('/my-activities', 'rsvps.cancel', { rsvpId });
    const html = await (await visitor.get('/my-activities')).text();
    expect(html).toContain(`Wieder anmelden${named}`);
    expect(html).not.toContain('aria-label="Wieder anmelden');
    const after = stripTags(html);
    expect(after).not.toContain('Sie haben sich noch zu keinem Angebot angemeldet.');
    expect(after).toContain('Gerade steht nichts an.');
    expect(after).toMatch(/Abgesagt\s*Großes Fest.*Sie haben am .* abgesagt\.\s*Wieder anmelden/);
    // In English too.
    const english = stripTags(await (await visitor.get('/en/my-activities')).text());
    expect(english).toMatch(/Cancelled\s*Großes Fest.*You cancelled on .*\.\s*Sign up again/);
  });
});

describe('cancelling asks first', () => {
  it('shows what happens to the seats, changes nothing by asking, and is the owner’s alone', async () => {
    const activityId = ids().small;
    const page = `/activities/${activityId}`;
    const family = await signedIn('mentee');
    const waiting = await signedIn('mentor');
    // One of the two seats is taken by an earlier test; the family takes the other, the next one waits.
    await family.submit(page, 'rsvps.create', { activityId: String(activityId), partySize: '1', note: '' });
    await waiting.submit(page, 'rsvps.create', { activityId: String(activityId), partySize: '1', note: '' });

    const activityHtml = await (await family.get(page)).text();
    expect(activityHtml).toContain(`href="/activities/${activityId}/cancel"`);
    const question = await family.get(`/activities/${activityId}/cancel`);
    expect(question.status).toBe(200);
    const text = stripTags(await question.text());
    expect(text).toMatch(/Ihren Platz bei „Kleines Sprachcafé“ am .+ absagen\?/);
    expect(text).toContain('Ihr Platz geht an die Nächsten auf der Warteliste.');
    expect(text).toContain('Ja, absagen');
    // In a right-to-left language the page's title isolates the activity's title, as every message does.
    expect(/<title>([^<]*)<\/title>/.exec(await (await family.get(`/ar/activities/${activityId}/cancel`)).text())?.[1]).toContain('\u2068Kleines Sprachcafé\u2069');
    // Asking changed nothing.
    expect(stripTags(await (await family.get(page)).text())).toContain('Sie sind angemeldet.');
    // The one waiting is asked about their waitlist place instead.
    expect(stripTags(await (await waiting.get(`/activities/${activityId}/cancel`)).text())).toContain('Sie verlieren Ihren Platz 1 auf der Warteliste.');

    // Someone without an RSVP there, or signed out, never sees the question.
    expect((await (await signedIn('neighbour')).get(`/activities/${activityId}/cancel`)).status).toBe(404);
    expect((await family.get(`/activities/${ids().draft}/cancel`)).status).toBe(404);
    expect((await new Visitor().get(`/activities/${activityId}/cancel`)).status).toBe(303);

    // "Yes" posts back where the person came from: My activities here; an address elsewhere is ignored.
    const fromMine = await (await family.get(`/activities/${activityId}/cancel?back=%2Fmy-activities`)).text();
    expect(fromMine).toContain('action="/my-activities?_action=rsvps.cancel"');
    expect(fromMine).toContain('href="/my-activities"');
    for (const back of ['https://evil.example/', '//evil.example/x', '/admin', '/en/my-activities']) {
      const html = await (await family.get(`/activities/${activityId}/cancel?back=${encodeURIComponent(back)}`)).text();
      expect(html, back).toContain(`action="/activities/${activityId}?_action=rsvps.cancel"`);
    }
    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(fromMine)![1]!;
    const done = await family.submit('/my-activities', 'rsvps.cancel', { rsvpId });
    expect(done.url).toBe('/my-activities');
    expect(stripTags(done.html)).toContain('Sie haben abgesagt.');
    expect(stripTags(await (await waiting.get(page)).text())).toContain('Sie sind angemeldet.');
    // Cancelled: nothing left to ask about.
    expect((await family.get(`/activities/${activityId}/cancel`)).status).toBe(404);
  });

  it('says so when the organiser called the activity off, instead of offering the seats to the waitlist', async () => {
    const organiser = await signedIn('organiser');
    const organisationId = String(ids().organisation);
    const made = await organiser.submit(`/organise/new?organisation=${organisationId}`, 'organise.createActivity', {
      organisationId,
      title: 'Stadtführung',
      sourceLocale: 'de',
      category: 'culture',
      date: '2031-09-10',
      startTime: '14:00',
      endTime: '16:00',
      placeName: 'Burg Altena',
      capacity: '1',
    });
    const id = /\/organise\/(\d+)$/.exec(made.url)?.[1];
    expect(id, made.url).toBeTruthy();
    await organiser.submit(`/organise/${id}`, 'organise.publishActivity', { activityId: id! });
    const guest = await signedIn('neighbour');
    const going = await guest.submit(`/activities/${id}`, 'rsvps.create', { activityId: id!, partySize: '1', note: '' });
    await (await signedIn('resident')).submit(`/activities/${id}`, 'rsvps.create', { activityId: id!, partySize: '1', note: '' });
    await organiser.submit(`/organise/${id}`, 'organise.cancelActivity', { activityId: id!, reason: 'Sturm.' });

    const question = await guest.get(`/activities/${id}/cancel`);
    expect(question.status).toBe(200);
    const text = stripTags(await question.text());
    expect(text).toContain('Dieses Angebot ist abgesagt.');
    expect(text).not.toContain('Warteliste');
    expect(text).not.toContain('Ja, absagen');
    // Posting anyway is refused the same way and changes nothing.
    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(going.html)![1]!;
    const refused = await guest.submit(`/activities/${id}`, 'rsvps.cancel', { rsvpId });
    expect(stripTags(refused.html)).toContain('Dieses Angebot ist abgesagt.');
    expect(stripTags(refused.html)).not.toContain('Sie haben abgesagt.');
  });
});
