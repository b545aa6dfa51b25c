// The legal pages over HTTP without JavaScript, in German and Arabic: the privacy notice, the
// legal notice and the accessibility statement say plainly that the town has not entered its
// details yet, until a site admin does on /admin/town; then they show them. Everyone else gets
// 404 there, for the page and its actions alike; a bad address is refused next to its field and
// nothing is saved. Every page's footer links to all three.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { DEFAULT_RETENTION } from '../../src/features/privacy/retention-periods.ts';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { fieldError, Visitor } from '../helpers/visitor.ts';

/** The page's text as read: each tag a space (the pages' HTML is compressed, so a heading and
 * the paragraph after it touch), without the invisible isolates around names. */
const stripTags = (html: string) =>
  html.replace(/<[^>]+>/g, ' ').replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').replace(/ ([.,:])/g, '$1').trim();

const controller = {
  controllerName: 'Stadt Lennetal, Der Bürgermeister',
  controllerAddress: 'Rathausplatz 1\n58762 Lennetal',
  controllerEmail: 'rathaus@lennetal.example',
  controllerPhone: '02352 1234',
  dpoName: 'Dora Datenschutz',
  dpoEmail: 'datenschutz@lennetal.example',
  dpoAddress: '',
  supervisoryAuthority: 'Landesbeauftragte für Datenschutz NRW',
  supervisoryUrl: 'https://ldi.example',
  processors: '',
};
const legalNotice = {
  noticeProvider: 'Stadt Lennetal',
  noticeRepresentative: 'Bürgermeisterin Berta Beispiel',
  noticeAddress: 'Rathausplatz 1\n58762 Lennetal',
  noticeEmail: 'rathaus@lennetal.example',
  noticePhone: '',
  noticeRegister: '',
  noticeVatId: '',
  contentResponsible: 'Erika Inhalt, Rathausplatz 1, 58762 Lennetal',
};
const accessibility = {
  accessibilityStatus: 'partial',
  knownIssues: 'Die Abholzettel (PDF) sind nicht barrierefrei.',
  feedbackEmail: 'barrierefrei@lennetal.example',
  feedbackPhone: '',
  enforcementName: 'Schlichtungsstelle Lennetal',
  enforcementAddress: 'Musterweg 1\n40000 Beispielstadt',
  enforcementUrl: 'https://schlichtung.example',
};

let admin: Visitor;
let resident: Visitor;

/** A page with its text as this file's stripTags (above) reads it. */
async function page(visitor: Visitor, path: string): Promise<{ status: number; html: string; text: string }> {
  const response = await visitor.get(path);
  const html = await response.text();
  return { status: response.status, html, text: stripTags(html) };
}

beforeAll(async () => {
  admin = new Visitor();
  await admin.signIn(TEST_ACCOUNTS.admin.email, TEST_ACCOUNTS.admin.password);
  resident = new Visitor();
  await resident.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
});

describe('before the town has entered its details', () => {
  it('says so plainly on each page and names no controller; the admin page warns', async () => {
    const privacy = await page(new Visitor(), '/privacy');
    expect(privacy.status).toBe(200);
    expect(privacy.text).toContain('Die Stadt hat noch nicht eingetragen, wer für Ihre Daten verantwortlich ist');
    expect(privacy.html).not.toContain('<address');
    const notice = await page(new Visitor(), '/legal-notice');
    expect(notice.text).toContain('Die Stadt hat die Angaben für das Impressum noch nicht eingetragen.');
    const statement = await page(new Visitor(), '/ar/accessibility');
    expect(statement.text).toContain(translator('ar')('accessibility.missing'));

    const overview = await page(admin, '/admin');
    expect(overview.text).toContain('Rechtliche Seiten unvollständig');
    expect(overview.text).toContain('Verantwortliche Stelle und Datenschutz, Impressum und Erklärung zur Barrierefreiheit');
    expect(overview.html).toContain('href="/admin/town"');
  });

  it('still tells what is kept, for how long and why, from the declaration and the periods in force', async () => {
    const privacy = await page(new Visitor(), '/privacy');
    const de = translator('de');
    expect(privacy.text).toContain('Anmeldungen zu Angeboten');
    expect(privacy.text).toContain(de.plural('notice.period.unconfirmedSignUpDays', DEFAULT_RETENTION.unconfirmedSignUpDays));
    expect(privacy.text).toContain('Eine Registrierung, deren E-Mail-Adresse nie bestätigt wurde, löschen wir nach 7 Tagen.');
    expect(privacy.text).toContain('Einträge im Sicherheitsprotokoll löschen wir nach 12 Monaten.');
    expect(privacy.text).toContain(de('notice.basis.explicit_consent'));
    expect(privacy.text).toContain(de('notice.special'));
    expect(privacy.html).toContain('href="/account/data"');
    expect(privacy.html).toContain('href="/account/delete"');
  });
});

describe('who may edit the town details', () => {
  it('answers 404 to everyone but site admins, for the page and each form, and saves nothing', async () => {
    expect((await resident.get('/admin/town')).status).toBe(404);
    const signedOut = await new Visitor().get('/admin/town');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/sign-in?next=%2Fadmin%2Ftown');
    for (const [action, fields] of [
      ['town.saveController', controller],
      ['town.saveLegalNotice', legalNotice],
      ['town.saveAccessibility', accessibility],
    ] as const) {
      const posted = await resident.post(`/admin/town?_action=${action}`, fields);
      expect(posted.status, action).toBe(404);
    }
    expect((await page(new Visitor(), '/privacy')).text).toContain('Die Stadt hat noch nicht eingetragen');
    expect((await page(new Visitor(), '/accessibility')).text).toContain('Die Stadt hat die Angaben für diese Erklärung noch nicht eingetragen.');
  });

  it('refuses a bad e-mail address next to its field, keeps what was typed, and saves nothing', async () => {
    const refused = await admin.submit('/admin/town', 'town.saveController', { ...controller, controllerEmail: 'rathaus-lennetal' });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'controllerEmail')).toBe('Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.');
    expect(refused.html).toMatch(/<title>Fehler: /);
    expect(refused.html).toContain('value="Stadt Lennetal, Der Bürgermeister"');
    const noDpo = await admin.submit('/admin/town', 'town.saveController', { ...controller, dpoEmail: '', dpoAddress: '' });
    expect(fieldError(noDpo.html, 'dpoEmail')).toBe('Bitte geben Sie eine E-Mail-Adresse oder eine Postanschrift an.');
    expect((await page(new Visitor(), '/privacy')).text).not.toContain('Stadt Lennetal');
  });
});

describe('after a site admin has entered them', () => {
  beforeAll(async () => {
    for (const [action, fields] of [
      ['town.saveController', controller],
      ['town.saveLegalNotice', legalNotice],
      ['town.saveAccessibility', accessibility],
    ] as const) {
      const saved = await admin.submit('/admin/town', action, fields);
      expect(saved.status, `${action}: ${stripTags(saved.html).slice(0, 300)}`).toBe(200);
      expect(stripTags(saved.html)).toContain('Gespeichert. Die Seite zeigt jetzt die neuen Angaben.');
    }
  });

  it('shows the controller and data-protection officer in the privacy notice, in German and Arabic (right to left)', async () => {
    const de = await page(new Visitor(), '/privacy');
    expect(de.text).toContain('Verantwortlich für Ihre Daten ist: Stadt Lennetal, Der Bürgermeister Rathausplatz 1 58762 Lennetal');
    expect(de.text).toContain('Dora Datenschutz');
    expect(de.html).toContain('href="mailto:datenschutz@lennetal.example"');
    expect(de.html).toContain('href="https://ldi.example"');
    expect(de.text).not.toContain('noch nicht eingetragen');

    const ar = await page(new Visitor(), '/ar/privacy');
    expect(ar.status).toBe(200);
    expect(ar.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(ar.text).toContain('Stadt Lennetal, Der Bürgermeister');
    const arabic = translator('ar');
    expect(ar.text).toContain(stripTags(arabic.plural('notice.period.rsvpNotesDays', DEFAULT_RETENTION.rsvpNotesDays)));
    expect(ar.text).toContain(arabic('notice.category.meeting_notes'));
    expect(ar.html).toContain('href="/ar/account/data"');
  });

  it('shows the legal notice and the accessibility statement, in German and Arabic', async () => {
    const notice = await page(new Visitor(), '/legal-notice');
    expect(notice.text).toContain('Stadt Lennetal Rathausplatz 1 58762 Lennetal');
    expect(notice.text).toContain('Vertreten durch Bürgermeisterin Berta Beispiel');
    expect(notice.text).toContain('Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV Erika Inhalt');
    expect(notice.text).not.toContain('Registereintrag');
    const noticeAr = await page(new Visitor(), '/ar/legal-notice');
    expect(noticeAr.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(noticeAr.text).toContain('Erika Inhalt');

    const statement = await page(new Visitor(), '/accessibility');
    expect(statement.text).toContain('Dieses Portal erfüllt die Anforderungen an die Barrierefreiheit teilweise.');
    expect(statement.text).toContain('Die Abholzettel (PDF) sind nicht barrierefrei.');
    expect(statement.text).toContain('Schlichtungsstelle Lennetal Musterweg 1 40000 Beispielstadt');
    expect(statement.text).toMatch(/Stand dieser Erklärung: \p{L}+, \d{1,2}\. \p{L}+ \d{4}\./u);
    expect(statement.html).toContain('href="mailto:barrierefrei@lennetal.example"');
    const statementAr = await page(new Visitor(), '/ar/accessibility');
    expect(statementAr.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(statementAr.text).toContain(translator('ar')('accessibility.status.partial'));
    // The known issues are German text and say so.
    expect(statementAr.html).toContain('lang="de" dir="ltr">Die Abholzettel (PDF) sind nicht barrierefrei.');
    expect(statementAr.text).toContain(translator('ar')('accessibility.inGerman'));

    expect((await page(admin, '/admin')).text).not.toContain('Rechtliche Seiten unvollständig');
  });
});

describe('links to the legal pages', () => {
  it('are in the footer of every page, and beside the forms that collect data', async () => {
    for (const path of ['/', '/activities', '/ar/sign-in', '/privacy']) {
      const { html } = await page(new Visitor(), path);
      const prefix = path.startsWith('/ar') ? '/ar' : '';
      for (const target of ['/privacy', '/legal-notice', '/accessibility']) expect(html, `${path} → ${target}`).toContain(`href="${prefix}${target}"`);
    }
    for (const [visitor, path] of [
      [new Visitor(), '/sign-up'],
      [resident, `/activities/${inject('activities').roomy}`],
      [resident, '/kuemmerer'],
      [resident, '/account/volunteer-profile'],
      [resident, '/help-wanted'],
    ] as const) {
      const { text } = await page(visitor, path);
      expect(text, path).toContain('Wie wir Ihre Daten nutzen: Datenschutzhinweise');
    }
  });
});
