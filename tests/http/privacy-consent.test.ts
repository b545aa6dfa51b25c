// Consents over HTTP, without JavaScript: the box on the request form (refused next to it when
// unticked, nothing saved), the consent on the account page and its withdrawal there (which
// withdraws the request), a consent signed on paper recorded by a coordinator — when they
// register someone and on the person's consents page — with the date checked, the printable
// form in the person's language and German, and 404 for everyone who may not.
import { describe, expect, it } from 'vitest';
import { zonedDateInput } from '../../src/i18n/format.ts';
import { as, fieldError, form, page, stripTags } from '../helpers/visitor.ts';

function idIn(html: string, pattern: RegExp): string {
  const match = pattern.exec(html);
  if (!match?.[1]) throw new Error(`no match for ${pattern}`);
  return match[1];
}

/** Days as the town's calendar counts them (the portal runs in Europe/Berlin). */
const berlinDay = (plusDays = 0) => zonedDateInput('Europe/Berlin', new Date(Date.now() + plusDays * 86_400_000));

const REQUEST = { topics: ['paperwork'], languages: ['ar'], note: 'Briefe vom Amt', contactPreference: 'phone', contactDetail: '0151 4711' };
const STATEMENT = 'Ich bin einverstanden, dass meine Anliegen, meine Sprachen und meine Kontaktangaben an die Koordination und an meinen Kümmerer gehen';

const state = { personId: '', consentId: '', paperPersonId: '' };

describe('the box on the request form', () => {
  it('starts unticked, with the sentence, what it means and a link to the privacy notice, in the reader’s language', async () => {
    const farah = await as('consenter');
    const mine = await page(farah, '/my-kuemmerer');
    expect(mine.html).toMatch(/<input type="checkbox" id="field-consent" name="consent"(?![^>]*checked)[^>]*>/);
    expect(mine.text).toContain(STATEMENT);
    expect(mine.html).toContain('href="/privacy"');
    const arabic = await page(farah, '/ar/my-kuemmerer');
    expect(arabic.text).toContain('أوافق على أن تُعطى احتياجاتي');
    expect(arabic.html).toContain('href="/ar/privacy"');
  });

  it('unticked: a message next to the box, nothing saved', async () => {
    const farah = await as('consenter');
    const refused = await farah.submit('/my-kuemmerer', 'mentoring.request', form(REQUEST));
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'consent')).toBe('Bitte kreuzen Sie an, dass Sie einverstanden sind. Ohne Ihre Einwilligung können wir keinen Kümmerer vermitteln.');
    // The error summary names the box and leads to it.
    expect(refused.html).toMatch(/<a href="#field-consent">Einwilligung: Bitte kreuzen Sie an/);
    // What was typed stays; the box stays unticked.
    expect(refused.html).toContain('0151 4711');
    expect(refused.html).not.toMatch(/id="field-consent"[^>]*checked/);
    const mine = await page(farah, '/my-kuemmerer');
    expect(mine.text).toContain('Einen Kümmerer anfragen');
    expect(mine.html).not.toContain('name="requestId"');
    expect((await page(farah, '/account/data')).text).toContain('Sie haben bisher in nichts eingewilligt.');
    expect((await page(await as('coordinator'), '/coordinate/requests')).text).not.toContain('Farah Einwilligung');
  });

  it('ticked: the request and the consent, which the account page lists and the coordinators see', async () => {
    const farah = await as('consenter');
    const asked = await farah.submit('/my-kuemmerer', 'mentoring.request', form({ ...REQUEST, consent: 'on' }));
    expect(stripTags(asked.html)).toContain('Ihre Anfrage ist angekommen.');
    const account = await page(farah, '/account/data');
    expect(account.html).toContain('<h2 id="consents">Ihre Einwilligungen</h2>');
    expect(account.text).toMatch(/Begleitung durch einen Kümmerer\s*Gilt/);
    expect(account.text).toContain(STATEMENT);
    expect(account.text).toMatch(/Online gegeben am \w+, \d+\. \w+ \d{4}/);
    // Withdrawing takes a second step that says, in plain words, what it ends.
    expect(account.html).toMatch(
      /<details class="confirm-step">\s*<summary[^>]*>Einwilligung zurücknehmen<\/summary>\s*<p>Wenn Sie die Einwilligung zurücknehmen, endet Ihre Kümmerer-Anfrage oder Ihre Begleitung sofort[\s\S]*?Ja, Einwilligung zurücknehmen/,
    );
    state.consentId = idIn(account.html, /name="consentId" value="(\d+)"/);

    const coordinator = await as('coordinator');
    const requests = await page(coordinator, '/coordinate/requests');
    const card = stripTags(requests.html.slice(requests.html.lastIndexOf('<li class="card request"', requests.html.indexOf('Farah Einwilligung'))));
    expect(card).toMatch(/Einwilligung online gegeben am/);
    state.personId = idIn(requests.html.slice(requests.html.indexOf('Farah Einwilligung')), /href="\/coordinate\/consents\/(\d+)"/);
    const consents = await page(coordinator, `/coordinate/consents/${state.personId}`);
    expect(consents.status).toBe(200);
    expect(consents.text).toContain('Einwilligungen von Farah Einwilligung');
    expect(consents.text).toMatch(/Online gegeben am/);
    expect(consents.text).toContain('Zurücknahme eintragen');
  });
});

describe('withdrawing on the account page', () => {
  it('another resident cannot withdraw someone else’s consent: 404, and it stays in force', async () => {
    const goran = await as('consenter2');
    const response = await goran.post('/account?_action=consent.withdraw', { consentId: state.consentId });
    expect(response.status).toBe(404);
    expect((await goran.post('/account?_action=consent.withdraw', { consentId: '999999' })).status).toBe(404);
    expect((await page(await as('consenter'), '/account/data')).text).toMatch(/Begleitung durch einen Kümmerer\s*Gilt/);
    // Nor can they see the coordinators' pages about her.
    for (const path of [`/coordinate/consents/${state.personId}`, `/coordinate/claim-sheet/${state.personId}/consent-form`, '/coordinate/consent-form']) {
      const seen = await page(goran, path);
      expect(seen.status, path).toBe(404);
      expect(seen.text).not.toContain('Farah');
    }
    const recorded = await goran.post(`/coordinate/consents/${state.personId}?_action=consent.recordPaper`, { personId: state.personId, purpose: 'mentoring_needs', consentSignedOn: berlinDay() });
    expect(recorded.status).toBe(404);
  });

  it('the person withdraws; the request is withdrawn with it, and the record stays', async () => {
    const farah = await as('consenter');
    const done = await farah.submit('/account/data', 'consent.withdraw', { consentId: state.consentId });
    expect(done.status).toBe(200);
    expect(done.url).toBe('/account/data');
    expect(stripTags(done.html)).toContain('Ihre Einwilligung ist zurückgenommen. Eine Kümmerer-Anfrage oder Begleitung ist damit beendet.');
    expect(stripTags(done.html)).toMatch(/Begleitung durch einen Kümmerer\s*Zurückgenommen/);
    expect(stripTags(done.html)).toMatch(/Zurückgenommen am/);
    expect(done.html).not.toContain('name="consentId"');
    const mine = await page(farah, '/my-kuemmerer');
    expect(mine.text).toContain('Einen Kümmerer anfragen');
    expect((await page(await as('coordinator'), '/coordinate/requests')).text).not.toContain('Farah Einwilligung');
    // A second time (an old tab) is answered on the form, not with an error page.
    const again = await farah.submit('/account/data', 'consent.withdraw', { consentId: state.consentId });
    expect(again.status).toBe(400);
    expect(stripTags(again.html)).toContain('Diese Einwilligung ist schon zurückgenommen.');
  });
});

describe('a consent signed on paper', () => {
  it('a coordinator records one for a person without one, with the date checked', async () => {
    const coordinator = await as('coordinator');
    const path = `/coordinate/consents/${state.personId}`;
    const before = await page(coordinator, path);
    expect(before.text).toContain('Für diese Person ist keine Einwilligung eingetragen.');
    expect(before.html).toContain(`value="${berlinDay()}"`);
    expect(before.html).toContain(`href="/coordinate/claim-sheet/${state.personId}/consent-form"`);
    const fields = { personId: state.personId, purpose: 'mentoring_needs' };
    const future = await coordinator.submit(path, 'consent.recordPaper', { ...fields, consentSignedOn: berlinDay(2) });
    expect(future.status).toBe(400);
    expect(fieldError(future.html, 'consentSignedOn')).toBe('Dieses Datum liegt in der Zukunft. Bitte geben Sie den Tag der Unterschrift ein.');
    const early = await coordinator.submit(path, 'consent.recordPaper', { ...fields, consentSignedOn: '2020-01-01' });
    expect(fieldError(early.html, 'consentSignedOn')).toBe('Dieses Datum liegt vor der Registrierung der Person im Portal. Bitte geben Sie den Tag der Unterschrift ein.');
    const empty = await coordinator.submit(path, 'consent.recordPaper', { ...fields, consentSignedOn: '' });
    expect(fieldError(empty.html, 'consentSignedOn')).toBe('Bitte geben Sie ein Datum ein, zum Beispiel 24.12.2026.');
    const done = await coordinator.submit(path, 'consent.recordPaper', { ...fields, consentSignedOn: berlinDay() });
    expect(done.status).toBe(200);
    expect(stripTags(done.html)).toContain('Die Einwilligung ist eingetragen.');
    expect(stripTags(done.html)).toMatch(/Auf Papier unterschrieben am [^,]+, \d+\. \w+ \d{4}, eingetragen von der Koordination/);
    expect(done.html).not.toContain('_action=consent.recordPaper');
    // The person sees it on their account page, and may withdraw it there.
    const account = await page(await as('consenter'), '/account/data');
    expect(account.text).toMatch(/Auf Papier unterschrieben am/);
    expect(account.html).toContain('name="consentId"');
  });

  it('registering a person without an account needs the signed form; without it nothing is saved', async () => {
    const coordinator = await as('coordinator');
    const person = { name: 'Nour Papier', locale: 'ar', topics: ['german'], languages: ['ar'], note: '', contactPreference: 'coordinator', contactDetail: '' };
    const newRequest = await page(coordinator, '/coordinate/new-request');
    expect(newRequest.html).toMatch(/<input type="checkbox" id="field-paperConsent" name="paperConsent"(?![^>]*checked)[^>]*>/);
    expect(newRequest.html).toContain(`value="${berlinDay()}"`);
    expect(newRequest.html).toContain('href="/coordinate/consent-form"');
    const unconfirmed = await coordinator.submit('/coordinate/new-request', 'mentoring.requestForPerson', form({ ...person, consentSignedOn: berlinDay() }));
    expect(unconfirmed.status).toBe(400);
    expect(fieldError(unconfirmed.html, 'paperConsent')).toBe('Bitte bestätigen Sie, dass die Person das Formular unterschrieben hat.');
    const future = await coordinator.submit('/coordinate/new-request', 'mentoring.requestForPerson', form({ ...person, paperConsent: 'on', consentSignedOn: berlinDay(3) }));
    expect(future.status).toBe(400);
    expect(fieldError(future.html, 'consentSignedOn')).toBe('Dieses Datum liegt in der Zukunft. Bitte geben Sie den Tag der Unterschrift ein.');
    expect((await page(coordinator, '/coordinate/people?q=Nour')).text).not.toContain('Nour Papier');

    const created = await coordinator.submit('/coordinate/new-request', 'mentoring.requestForPerson', form({ ...person, paperConsent: 'on', consentSignedOn: berlinDay() }));
    expect(created.url).toMatch(/^\/coordinate\/claim-sheet\/\d+$/);
    state.paperPersonId = idIn(created.url, /(\d+)$/);
    // The consent form sits next to the claim sheet.
    expect(created.html).toContain(`href="/coordinate/claim-sheet/${state.paperPersonId}/consent-form"`);
    const consents = await page(coordinator, `/coordinate/consents/${state.paperPersonId}`);
    expect(consents.text).toMatch(/Auf Papier unterschrieben am/);
    const requests = await page(coordinator, '/coordinate/requests');
    expect(stripTags(requests.html.slice(requests.html.indexOf('Nour Papier')))).toMatch(/^Nour Papier[\s\S]*?Einwilligung auf Papier unterschrieben am/);
  });

  it('the printable form is in the person’s language and in German, with name, purpose, what happens, how to withdraw and signature lines', async () => {
    const coordinator = await as('coordinator');
    const sheet = await page(coordinator, `/coordinate/claim-sheet/${state.paperPersonId}/consent-form`);
    expect(sheet.status).toBe(200);
    expect(sheet.html).toMatch(/<article class="consent-sheet__part" lang="ar" dir="rtl"/);
    expect(sheet.html).toMatch(/<article class="consent-sheet__part" lang="de" dir="ltr"/);
    expect(sheet.html.indexOf('consent-sheet__part" lang="ar"')).toBeLessThan(sheet.html.indexOf('consent-sheet__part" lang="de"'));
    expect(sheet.html).toContain('data-consent-name>Nour Papier</bdi>');
    // In Arabic the purpose stands isolated (U+2068 … U+2069) in the heading, as every value does.
    for (const text of ['الموافقة: \u2068المرافقة من قِبل مرافق', 'ماذا يحدث ببياناتك', 'الموافقة طوعية', 'Einwilligung: Begleitung durch einen Kümmerer', 'Was mit Ihren Angaben geschieht', 'nach 12 Monaten', 'Die Einwilligung ist freiwillig', 'Ort, Datum', 'Unterschrift', 'المكان، التاريخ', 'التوقيع', 'Fassung 2026-12-07']) {
      expect(sheet.text, text).toContain(text);
    }
    expect(sheet.html).toContain('/ar/privacy</span>');
    // A blank form in a chosen language, to have signed before registering someone.
    const blank = await page(coordinator, '/coordinate/consent-form?language=uk');
    expect(blank.status).toBe(200);
    expect(blank.html).toMatch(/lang="uk" dir="ltr"/);
    expect(blank.text).toContain('Згода: Супровід наставника');
    expect(blank.html).not.toContain('data-consent-name');
    // German alone for a German speaker.
    const german = await page(coordinator, '/coordinate/consent-form?language=de');
    expect(german.html.match(/class="consent-sheet__part"/g)).toHaveLength(1);
  });

  it('guessed ids and ids that are no ids answer 404 to coordinators too', async () => {
    const coordinator = await as('coordinator');
    for (const path of ['/coordinate/consents/999999', '/coordinate/consents/abc', `/coordinate/consents/${state.personId}-farah`, '/coordinate/claim-sheet/999999/consent-form']) {
      expect((await page(coordinator, path)).status, path).toBe(404);
    }
    expect((await coordinator.post('/coordinate/consents/1?_action=consent.withdraw', { consentId: '999999' })).status).toBe(404);
  });
});
