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
      [{ email, password: 'password1', displayName: 'Amal', locale: 'de' }, { password: 'Dieses Passwort ist leicht zu erraten (etwa ein bekanntes Wort mit Zahlen, der Name der Stadt oder Ihr eigener Name). Nehmen Sie besser drei, vier Wörter, die nur Sie so zusammenstellen.' }],
      [{ email, password: 'passwort123', displayName: 'Amal', locale: 'de' }, { password: 'Dieses Passwort ist leicht zu erraten (etwa ein bekanntes Wort mit Zahlen, der Name der Stadt oder Ihr eigener Name). Nehmen Sie besser drei, vier Wörter, die nur Sie so zusammenstellen.' }],
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

  it('answers a sign-up for a known address (in any case) exactly as for a new one, and mails the owner', async () => {
    const email = uniqueEmail('dup');
    const first = await new Visitor().submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    const second = await new Visitor().submit('/sign-up', 'accounts.signUp', { ...goodSignUp(email.toUpperCase()), password: 'Ein ganz anderes Passwort' });
    // Same status, same page, same words (but for the address as typed): nothing tells them apart.
    expect(second.status).toBe(first.status);
    expect(second.url).toBe(first.url);
    expect(stripTags(second.html).replace(email.toUpperCase(), email)).toBe(stripTags(first.html));
    const mails = await mailsTo(email, { atLeast: 2 });
    expect(mails.map((m) => m.subject)).toEqual(['Bitte bestätigen Sie Ihre E-Mail-Adresse', 'Ihre E-Mail-Adresse bei Ankommen']);
    expect(mails[1]!.text).toContain('Die Adresse gehört schon zu Ihrem Konto');
    // The second password opens nothing: no second account was made.
    const intruder = await new Visitor().submit('/sign-in', 'accounts.signIn', { login: email, password: 'Ein ganz anderes Passwort' });
    expect(intruder.status).toBe(400);
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
    // The link works once; opened again, it says the address is confirmed already (not "invalid").
    const again = await visitor.submit(link.pathname + link.search, 'accounts.confirmEmail', { token });
    expect(again.status).toBe(200);
    expect(again.html).toContain('بريدك الإلكتروني مؤكَّد بالفعل');
    const reopened = await visitor.get(link.pathname + link.search);
    expect(reopened.status).toBe(200);
    const reopenedHtml = await reopened.text();
    expect(reopenedHtml).toContain('بريدك الإلكتروني مؤكَّد بالفعل');
    expect(reopenedHtml).not.toContain('notice--error');

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
    const unknown = await stranger.submit('/forgot-password', 'accounts.forgotPassword', { login: uniqueEmail('nobody') });
    const known = await stranger.submit('/forgot-password', 'accounts.forgotPassword', { login: email });
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

describe('the sign-in name', () => {
  it('changes only with the current password, which the form asks for beside it', async () => {
    const email = uniqueEmail('name');
    const visitor = new Visitor();
    await visitor.submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    await visitor.signIn(email, goodSignUp(email).password);
    const name = `amal${counter}${Date.now().toString(36).slice(-4)}`;
    const wrong = await visitor.submit('/account', 'accounts.changeSignInName', { signInName: name, password: 'nicht mein Passwort' });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.html, 'name-password')).toBe('Das Passwort stimmt nicht.');
    expect(wrong.html).toContain('href="#field-name-password"');
    expect(wrong.html).not.toContain(`data-sign-in-name>${name}<`);
    const saved = await visitor.submit('/account', 'accounts.changeSignInName', { signInName: name, password: goodSignUp(email).password });
    expect(saved.status).toBe(200);
    expect(saved.html).toContain(`data-sign-in-name>${name}<`);
  });
});

describe('sign-in', () => {
  it('says the address, name or password is wrong without telling which', async () => {
    const visitor = new Visitor();
    const wrongPassword = await visitor.submit('/sign-in', 'accounts.signIn', { login: TEST_ACCOUNTS.resident.email, password: 'falsch falsch' });
    const unknownEmail = await visitor.submit('/sign-in', 'accounts.signIn', { login: uniqueEmail('ghost'), password: 'falsch falsch' });
    expect(wrongPassword.status).toBe(400);
    expect(fieldError(wrongPassword.html, 'password')).toBe('E-Mail-Adresse, Anmeldename oder Passwort stimmen nicht.');
    expect(fieldError(unknownEmail.html, 'password')).toBe('E-Mail-Adresse, Anmeldename oder Passwort stimmen nicht.');
    expect(visitor.cookies.has('session')).toBe(false);
  });

  it('slows down guessing with a clear message, without locking the owner out elsewhere', async () => {
    const attacker = new Visitor();
    const email = TEST_ACCOUNTS.resident.email;
    for (let i = 0; i < 5; i++) await attacker.submit('/sign-in', 'accounts.signIn', { login: email, password: `guess number ${i}` });
    const limited = await attacker.submit('/sign-in', 'accounts.signIn', { login: email, password: TEST_ACCOUNTS.resident.password });
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
    const result = await visitor.submit('/sign-in?next=%2Faccount', 'accounts.signIn', { login: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password, next: '/account' });
    expect(result.url).toBe('/account');
    for (const next of ['//evil.example/', '/.//evil.example/']) {
      const evil = new Visitor();
      const away = await evil.submit('/sign-in', 'accounts.signIn', { login: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password, next });
      expect(away.url, next).toBe('/');
    }
  });

  it('keeps where the person was going after a mistyped password, with or without a Referer', async () => {
    for (const referer of [true, false]) {
      const visitor = new Visitor();
      const fields = { login: TEST_ACCOUNTS.resident.email, password: 'vertippt vertippt', next: '/activities?category=sports' };
      const wrong = await visitor.submitFrom('/sign-in?next=%2Factivities%3Fcategory%3Dsports', 'accounts.signIn', fields, { referer });
      expect(wrong.status).toBe(400);
      if (referer) expect(wrong.url).toBe('/sign-in?next=%2Factivities%3Fcategory%3Dsports');
      expect(wrong.html).toContain('name="next" value="/activities?category=sports"');
      const right = await visitor.submitFrom(wrong.url, 'accounts.signIn', { ...fields, password: TEST_ACCOUNTS.resident.password }, { referer });
      expect(right.url, `referer: ${referer}`).toBe('/activities?category=sports');
    }
  });

  it('never follows a Referer to another page or site', async () => {
    const visitor = new Visitor();
    const fields = { login: TEST_ACCOUNTS.resident.email, password: 'vertippt vertippt' };
    for (const referer of ['https://evil.example/sign-in?next=x', '/account?x=1']) {
      const posted = await visitor.post('/sign-in?_action=accounts.signIn', fields, { referer });
      expect(posted.headers.get('location'), referer).toBe('/sign-in');
    }
  });

  it('keeps the link when a reset password is refused, instead of calling it invalid', async () => {
    const email = uniqueEmail('reset-typo');
    await new Visitor().submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    const visitor = new Visitor();
    await visitor.submit('/forgot-password', 'accounts.forgotPassword', { login: email });
    const link = linkIn((await mailsTo(email, { atLeast: 2 })).at(-1)!);
    const page = link.pathname + link.search;
    const short = await visitor.submitFrom(page, 'accounts.resetPassword', { token: link.searchParams.get('token')!, password: 'kurz' });
    expect(short.status).toBe(400);
    expect(fieldError(short.html, 'password')).toBe('Das Passwort muss mindestens 8 Zeichen haben.');
    expect(short.html).not.toContain('Dieser Link ist ungültig');
    const done = await visitor.submitFrom(short.url, 'accounts.resetPassword', { token: link.searchParams.get('token')!, password: 'Ganz neues Passwort hier' });
    expect(done.url).toBe('/sign-in');
  });

  it('reminds a person who has not confirmed the address yet, right after signing in', async () => {
    const email = uniqueEmail('unconfirmed');
    await new Visitor().submit('/sign-up', 'accounts.signUp', goodSignUp(email));
    const visitor = new Visitor();
    const result = await visitor.submit('/sign-in', 'accounts.signIn', { login: email, password: goodSignUp(email).password });
    expect(result.url).toBe('/');
    expect(stripTags(result.html)).toContain(`Bitte bestätigen Sie noch Ihre E-Mail-Adresse ${email}`);
    const confirmedOne = new Visitor();
    const plain = await confirmedOne.submit('/sign-in', 'accounts.signIn', { login: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password });
    expect(stripTags(plain.html)).not.toContain('Bitte bestätigen Sie noch');
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
