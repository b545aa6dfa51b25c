// Deleting an account over HTTP, without JavaScript: the page explains what happens before the
// button; a wrong password deletes nothing; the right one signs the person out, removes the
// account and kills their calendar address; the address can sign up again. A coordinator
// deletes a person the coordination registered after ticking the box, and the person's code
// sheet opens nothing any more; everyone else gets 404 for that page and its action.
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { fieldError, mailsTo, stripTags, Visitor } from '../helpers/visitor.ts';

let counter = 0;
const uniqueEmail = (label: string) => `erase-${label}-${Date.now().toString(36)}-${++counter}@test.example`;
const PASSWORD = 'Ein Zimmer mit Blick auf die Lenne';

/** A new person who signed up and is signed in, with a calendar address; answers its URL. */
async function newPersonWithFeed(email: string): Promise<{ visitor: Visitor; feed: string }> {
  const visitor = new Visitor();
  const signedUp = await visitor.submit('/sign-up', 'accounts.signUp', { email, password: PASSWORD, displayName: 'Dilara', locale: 'de' });
  expect(signedUp.status).toBe(200);
  await visitor.signIn(email, PASSWORD);
  const made = await visitor.submit('/account/calendar', 'calendar.createAddress', {});
  const address = /id="calendar-address"[^>]*value="([^"]+)"/.exec(made.html)?.[1] ?? /value="([^"]+)"[^>]*id="calendar-address"/.exec(made.html)?.[1];
  expect(address).toBeTruthy();
  const feed = new URL(address!).pathname;
  expect((await new Visitor().get(feed)).status).toBe(200);
  return { visitor, feed };
}

describe('deleting one’s own account', () => {
  it('explains what happens before the button, in every language the page is asked in', async () => {
    const email = uniqueEmail('explain');
    const { visitor } = await newPersonWithFeed(email);
    const account = stripTags(await (await visitor.get('/account')).text());
    expect(account).toContain('Konto löschen');
    const response = await visitor.get('/account/delete');
    expect(response.status).toBe(200);
    const html = await response.text();
    const text = stripTags(html);
    const explained = text.indexOf('Was beim Löschen passiert');
    const button = text.indexOf('Mein Konto endgültig löschen');
    expect(explained).toBeGreaterThan(0);
    expect(button).toBeGreaterThan(explained);
    for (const words of [
      'Die Plätze gehen sofort an die Warteliste',
      'die Veranstalter bekommen Bescheid',
      'Der Kümmerer erfährt nur, dass die Person das Portal verlassen hat',
      'Treffen und Notizen dazu werden gelöscht',
      'Frühere Teilnahmen bleiben nur als Zahl ohne Namen',
      'Kalender-Adressen, Links, Codes und noch nicht verschickte Nachrichten',
      'unter einem Decknamen',
      'bleiben beim Verein',
      'mit derselben E-Mail-Adresse wieder registrieren',
    ]) {
      expect(text.slice(explained, button)).toContain(words);
    }
    expect(text).toContain('Bei Ihnen betrifft das');
    expect(html).toContain('autocomplete="current-password"');
    const arabic = await visitor.get('/ar/account/delete');
    expect(arabic.status).toBe(200);
    const arabicHtml = await arabic.text();
    expect(arabicHtml).toMatch(/<html lang="ar" dir="rtl"/);
    expect(stripTags(arabicHtml)).toContain('ما الذي يحدث عند الحذف');
    // Signed out, the page asks to sign in first.
    const signedOut = await new Visitor().get('/account/delete');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/sign-in?next=%2Faccount%2Fdelete');
  });

  it('deletes nothing for a wrong password, and says so next to the field', async () => {
    const email = uniqueEmail('wrong');
    const { visitor, feed } = await newPersonWithFeed(email);
    for (const password of ['', 'Nicht mein Passwort']) {
      const result = await visitor.submit('/account/delete', 'erasure.deleteOwnAccount', { password });
      expect(result.status).toBe(400);
      expect(result.url).toBe('/account/delete');
      expect(fieldError(result.html, 'password')).toBe(password ? 'Das Passwort stimmt nicht.' : 'Bitte füllen Sie dieses Feld aus.');
      expect(result.html).toContain('<title>Fehler: ');
    }
    expect(visitor.cookies.has('session')).toBe(true);
    expect((await visitor.get('/account')).status).toBe(200);
    expect((await new Visitor().get(feed)).status).toBe(200);
  });

  it('signs the person out with the right password, removes the account and its calendar address, and lets the address sign up again', async () => {
    const email = uniqueEmail('right');
    const { visitor, feed } = await newPersonWithFeed(email);
    const result = await visitor.submit('/account/delete', 'erasure.deleteOwnAccount', { password: PASSWORD });
    expect(result.posted.status).toBe(303);
    expect(result.url).toBe('/account/deleted');
    expect(result.status).toBe(200);
    expect(stripTags(result.html)).toContain('Ihr Konto ist gelöscht');
    expect(visitor.cookies.has('session')).toBe(false);
    expect((await visitor.get('/account')).status).toBe(303);
    expect((await new Visitor().get(feed)).status).toBe(404);
    const signIn = await new Visitor().submit('/sign-in', 'accounts.signIn', { login: email, password: PASSWORD });
    expect(signIn.status).toBe(400);

    // The address is free again: a new sign-up gets a confirmation link, as anyone new does.
    const mailsBefore = (await mailsTo(email, { timeoutMs: 500 })).length;
    const again = await new Visitor().submit('/sign-up', 'accounts.signUp', { email, password: 'Ganz von vorn anfangen', displayName: 'Dilara', locale: 'de' });
    expect(again.status).toBe(200);
    const mails = await mailsTo(email, { atLeast: mailsBefore + 1 });
    expect(mails.at(-1)!.subject).toBe('Bitte bestätigen Sie Ihre E-Mail-Adresse');
    await new Visitor().signIn(email, 'Ganz von vorn anfangen');
  });
});

describe('a coordinator deleting on someone’s behalf', () => {
  async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
    const visitor = new Visitor();
    await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
    return visitor;
  }

  it('deletes a person the coordination registered, after the box is ticked; their code opens nothing any more; anyone else gets 404', async () => {
    const coordinator = await signedIn('coordinator');
    const registered = await coordinator.submit(
      '/coordinate/new-request',
      'mentoring.requestForPerson',
      new URLSearchParams({ name: 'Bilal Löschwunsch', locale: 'ar', topics: 'paperwork', languages: 'ar', note: 'Termin beim Amt', contactPreference: 'coordinator', contactDetail: '' }),
    );
    const personId = /\/coordinate\/claim-sheet\/(\d+)$/.exec(registered.url)?.[1];
    expect(personId).toBeDefined();
    const code = /data-claim-code[^>]*>([A-Z2-9-]{14})</.exec(registered.html)?.[1];
    expect(code).toBeDefined();
    const deletePage = `/coordinate/people/${personId}/delete`;
    expect(await (await coordinator.get('/coordinate/people')).text()).toContain(`href="${deletePage}"`);

    // Nobody else sees the page or can use its action, and a made-up id is not found either.
    for (const account of ['resident', 'organiser', 'newcomer'] as const) {
      const outsider = await signedIn(account);
      expect((await outsider.get(deletePage)).status, account).toBe(404);
      expect((await outsider.post(`${deletePage}?_action=erasure.deleteOnBehalf`, { personId: personId!, confirm: 'on' })).status, account).toBe(404);
    }
    expect((await new Visitor().get(deletePage)).status).toBe(303);
    expect((await coordinator.get('/coordinate/people/999999/delete')).status).toBe(404);
    // Nor may a coordinator delete people the coordination does not look after: the site admin,
    // a plain resident, an organiser, themself (the setup writes the test accounts first, in
    // order, so their ids are 1, 2, …).
    const ids = Object.keys(TEST_ACCOUNTS);
    for (const account of ['admin', 'resident', 'organiser', 'coordinator'] as const) {
      const id = String(ids.indexOf(account) + 1);
      expect((await coordinator.get(`/coordinate/people/${id}/delete`)).status, account).toBe(404);
      expect((await coordinator.post(`/coordinate/people/${id}/delete?_action=erasure.deleteOnBehalf`, { personId: id, confirm: 'on' })).status, account).toBe(404);
      expect((await signedIn(account)).cookies.has('session'), account).toBe(true);
    }

    const page = await coordinator.get(deletePage);
    expect(page.status).toBe(200);
    const html = await page.text();
    const text = stripTags(html);
    // The name stands apart from the sentence's direction.
    expect(html).toMatch(/<h1>Konto von <bdi[^>]*>Bilal Löschwunsch<\/bdi> löschen<\/h1>/);
    expect(text).toContain('Die Plätze gehen sofort an die Warteliste');
    expect(text).toContain('Bei dieser Person betrifft das');

    // Without the box ticked: a message at the box, nothing deleted.
    const unticked = await coordinator.submit(deletePage, 'erasure.deleteOnBehalf', { personId: personId! });
    expect(unticked.status).toBe(400);
    expect(unticked.url).toBe(deletePage);
    expect(stripTags(unticked.html)).toContain('Bitte bestätigen Sie, dass die Person das Löschen wünscht.');
    expect(unticked.html).toContain('href="#field-confirm"');
    const stillThere = await new Visitor().submit('/claim', 'mentoring.checkClaimCode', { code: code! });
    expect(stillThere.html).toContain('id="field-signInName"');

    const done = await coordinator.submit(deletePage, 'erasure.deleteOnBehalf', { personId: personId!, confirm: 'on' });
    expect(done.status).toBe(200);
    expect(done.url).toBe('/coordinate/people');
    expect(stripTags(done.html)).toContain('Das Konto wurde gelöscht.');
    expect(done.html).not.toContain('Bilal Löschwunsch');
    expect((await coordinator.get(deletePage)).status).toBe(404);
    const refused = await new Visitor().submit('/claim', 'mentoring.checkClaimCode', { code: code! });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'code')).toContain('Dieser Code funktioniert nicht.');
  });
});
