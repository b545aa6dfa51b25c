// The account journeys over HTTP against the built server, without JavaScript: sign-up with
// every kind of bad input, confirmation through the outbox, sign-in, rate limit, sign-out.
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { fieldError, linkIn, mailsTo, stripTags, Visitor } from '../helpers/visitor.ts';

let counter = 0;
const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@test.example`;
const goodSignUp = (email: string) => ({ email, password: 'Ein langer Satz zum Merken', displayName: 'Amal', locale: 'de' });

describe('sign-up', () => {
  it('shows a message next to each wrong field, keeps what was typed (not the password) and saves nothing', async () => {
    const visitor = new Visitor();
    const email = uniqueEmail('bad');
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{ email: '', password: '', displayName: '', locale: 'de' }, { email: 'Bitte füllen Sie dieses Feld aus.', password: 'Bitte füllen Sie dieses Feld aus.', displayName: 'Bitte füllen Sie dieses Feld aus.' }],
      [{ email: 'not-an-address', password: 'Zebrastreifen im Regen', displayName: 'Amal', locale: 'de' }, { email: 'Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.' }],
      [{ email, password: 'kurz', displayName: 'Amal', locale: 'de' }, { password: 'Das Passwort muss mindestens 8 Zeichen haben.' }],
      [{ email, password: 'password1', displayName: 'Amal', locale: 'de' }, { password: 'Dieses Passwort ist zu bekannt und leicht zu erraten. Bitte wählen Sie ein anderes.' }],
      [{ email, password: 'x'.repeat(257), displayName: 'Amal', locale: 'de' }, { password: 'Das Passwort darf höchstens 256 Zeichen haben.' }],
      [{ email, password: 'Zebrastreifen im Regen', displayName: 'A'.repeat(81), locale: 'de' }, { displayName: 'Der Name darf höchstens 80 Zeichen haben.' }],
      [{ email, password: 'Zebrastreifen im Regen', displayName: 'Amal', locale: 'xx' }, { locale: 'Bitte wählen Sie eine Sprache aus der Liste.' }],
    ];
    for (const [fields, expected] of cases) {
      const { status, html, posted } = await visitor.submit('/sign-up', 'accounts.signUp', fields);
      expect(posted.status).toBe(303);
      expect(status).toBe(400);
      expect(html).toContain('<title>Fehler: ');
      expect(html).toContain('Bitte prüfen Sie Ihre Angaben');
      for (const [field, message] of Object.entries(expected)) expect(fieldError(html, field), field).toBe(message);
      if (fields.email) expect(html).toContain(`value="${fields.email}"`);
      expect(html).not.toContain(fields.password || '\u0000');
    }
    // Nothing was saved: the address is still free and no mail went out.
    expect(await mailsTo(email, { timeoutMs: 500 })).toHaveLength(0);
    const ok = await visitor.submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    expect(ok.status).toBe(200);
    expect(fieldError(ok.html, 'email')).toBeNull();
  });

  it('answers in the language of the page', async () => {
    const { html } = await new Visitor().submit('/ar/sign-up', 'accounts.signUp', { email: '', password: '', displayName: '', locale: 'ar' });
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(fieldError(html, 'email')).not.toBe('Bitte füllen Sie dieses Feld aus.');
    expect(fieldError(html, 'email')).toBeTruthy();
  });

  it('refuses a second account for the same address, whatever its case', async () => {
    const email = uniqueEmail('dup');
    await new Visitor().submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    const { status, html } = await new Visitor().submit('/sign-up', 'accounts.signUp', goodSignUp(email.toUpperCase()));
    expect(status).toBe(400);
    expect(fieldError(html, 'email')).toContain('Zu dieser E-Mail-Adresse gibt es schon ein Konto');
    expect(await mailsTo(email, { timeoutMs: 1000 })).toHaveLength(1);
  });
});

describe('sign-up limit', () => {
  it('stops the eleventh sign-up from one address within the hour, saying how long to wait', async () => {
    const visitor = new Visitor();
    for (let i = 0; i < 10; i++) {
      const { status } = await visitor.submit('/sign-up', 'accounts.signUp', goodSignUp(uniqueEmail('bulk')));
      expect(status).toBe(200);
    }
    const email = uniqueEmail('bulk');
    const limited = await visitor.submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    expect(limited.status).toBe(429);
    expect(stripTags(limited.html)).toMatch(/Zu viele Versuche\. Bitte warten Sie \d+ Minuten/);
    expect(await mailsTo(email, { timeoutMs: 500 })).toHaveLength(0);
    // Another address is not affected.
    expect((await new Visitor().submit('/sign-up', 'accounts.signUp', goodSignUp(email))).status).toBe(200);
  });
});

describe('the whole journey', () => {
  it('signs up, confirms through the mail, signs in, changes language and password, signs out', async () => {
    const email = uniqueEmail('journey');
    const visitor = new Visitor();
    const signedUp = await visitor.submit('/sign-up', 'accounts.signUp', { ...goodSignUp(email), locale: 'ar' });
    expect(signedUp.url).toBe('/sign-in');
    expect(stripTags(signedUp.html)).toContain(`Wir haben eine E-Mail an ${email} geschickt`);

    const [mail] = await mailsTo(email);
    expect(mail!.subject).not.toBe('Bitte bestätigen Sie Ihre E-Mail-Adresse'); // Arabic, the chosen language
    const link = linkIn(mail!);
    expect(link.pathname).toBe('/ar/confirm-email');

    const page = await visitor.get(link.pathname + link.search);
    expect(page.status).toBe(200);
    // The token in the address is never sent to another site.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const token = link.searchParams.get('token')!;
    const confirmed = await visitor.submit(link.pathname + link.search, 'accounts.confirmEmail', { token });
    expect(confirmed.url).toBe('/ar/sign-in');
    // The link works once.
    const again = await visitor.submit(link.pathname + link.search, 'accounts.confirmEmail', { token });
    expect(again.status).toBe(400);

    await visitor.signIn(email, goodSignUp(email).password);
    const account = await visitor.get('/account');
    expect(account.status).toBe(200);
    expect(account.headers.get('cache-control')).toBe('no-store');
    const accountHtml = await account.text();
    expect(accountHtml).toContain(email);
    expect(accountHtml).not.toContain('Bitte bestätigen Sie noch Ihre E-Mail-Adresse');

    const changed = await visitor.submit('/account', 'accounts.changePassword', { currentPassword: goodSignUp(email).password, newPassword: 'Ein neuer langer Satz' });
    expect(changed.status).toBe(200);
    expect(stripTags(changed.html)).toContain('Ihr Passwort ist geändert');

    const sessionBefore = visitor.cookies.get('session');
    const out = await visitor.submit('/account', 'accounts.signOut', {});
    expect(out.url).toBe('/');
    expect(visitor.cookies.has('session')).toBe(false);
    // The old session token is dead on the server, not only forgotten by the browser.
    const replay = new Visitor();
    replay.cookies.set('session', sessionBefore!);
    expect((await replay.get('/account')).status).toBe(303);

    await new Visitor().signIn(email, 'Ein neuer langer Satz');
  });

  it('resets a forgotten password by mail, once, and ends every session', async () => {
    const { email, password } = { email: uniqueEmail('reset'), password: 'Ein langer Satz zum Merken' };
    const owner = new Visitor();
    await owner.submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    await owner.signIn(email, password);

    const stranger = new Visitor();
    const unknown = await stranger.submit('/forgot-password', 'accounts.forgotPassword', { email: uniqueEmail('nobody') });
    const known = await stranger.submit('/forgot-password', 'accounts.forgotPassword', { email });
    // The answer does not reveal whether the address has an account.
    expect(stripTags(unknown.html).replace(/\S+@test\.example/, '')).toBe(stripTags(known.html).replace(/\S+@test\.example/, ''));

    const mails = await mailsTo(email, { atLeast: 2 });
    const link = linkIn(mails.at(-1)!);
    expect(link.pathname).toBe('/reset-password');
    const token = link.searchParams.get('token')!;
    const done = await stranger.submit(link.pathname + link.search, 'accounts.resetPassword', { token, password: 'Ganz neues Passwort hier' });
    expect(done.url).toBe('/sign-in');
    expect((await owner.get('/account')).status).toBe(303);
    const reused = await stranger.submit(link.pathname + link.search, 'accounts.resetPassword', { token, password: 'Noch ein anderes Passwort' });
    expect(stripTags(reused.html)).toContain('Dieser Link ist ungültig oder abgelaufen');
    await new Visitor().signIn(email, 'Ganz neues Passwort hier');
  });
});

describe('sign-in', () => {
  it('says the e-mail or password is wrong without telling which', async () => {
    const visitor = new Visitor();
    const wrongPassword = await visitor.submit('/sign-in', 'accounts.signIn', { email: TEST_ACCOUNTS.resident.email, password: 'falsch falsch' });
    const unknownEmail = await visitor.submit('/sign-in', 'accounts.signIn', { email: uniqueEmail('ghost'), password: 'falsch falsch' });
    expect(wrongPassword.status).toBe(400);
    expect(fieldError(wrongPassword.html, 'password')).toBe('E-Mail-Adresse oder Passwort stimmen nicht.');
    expect(fieldError(unknownEmail.html, 'password')).toBe('E-Mail-Adresse oder Passwort stimmen nicht.');
    expect(visitor.cookies.has('session')).toBe(false);
  });

  it('slows down guessing with a clear message, without locking the owner out elsewhere', async () => {
    const attacker = new Visitor();
    const email = TEST_ACCOUNTS.resident.email;
    for (let i = 0; i < 5; i++) await attacker.submit('/sign-in', 'accounts.signIn', { email, password: `guess number ${i}` });
    const limited = await attacker.submit('/sign-in', 'accounts.signIn', { email, password: TEST_ACCOUNTS.resident.password });
    expect(limited.status).toBe(429);
    expect(stripTags(limited.html)).toMatch(/Zu viele Versuche\. Bitte warten Sie \d+ Minuten?/);
    expect(attacker.cookies.has('session')).toBe(false);
    await new Visitor().signIn(email, TEST_ACCOUNTS.resident.password);
  });

  it('returns to the page that asked for it', async () => {
    const visitor = new Visitor();
    const gate = await visitor.get('/account');
    expect(gate.status).toBe(303);
    expect(gate.headers.get('location')).toBe('/sign-in?next=%2Faccount');
    const result = await visitor.submit('/sign-in?next=%2Faccount', 'accounts.signIn', { email: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password, next: '/account' });
    expect(result.url).toBe('/account');
    const evil = new Visitor();
    const away = await evil.submit('/sign-in', 'accounts.signIn', { email: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password, next: '//evil.example/' });
    expect(away.url).toBe('/');
  });

  it('signs out on every device at once', async () => {
    const phone = new Visitor();
    const laptop = new Visitor();
    await phone.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    await laptop.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    await phone.submit('/account', 'accounts.signOutEverywhere', {});
    expect((await laptop.get('/account')).status).toBe(303);
    expect((await phone.get('/account')).status).toBe(303);
  });
});
