// Kümmerer mentoring over HTTP, without JavaScript: applying and the coordinator's decision,
// a newcomer's request, matching with the reason in words, both sides seeing each other,
// meetings with private notes, the claim-code journey, ending — and the privacy matrix: every
// page and every action about a request, mentorship or meeting answers 404 to residents,
// organisers, other Kümmerer and other newcomers, also for guessed ids.
import { describe, expect, inject, it } from 'vitest';
import { zonedDateInput } from '../../src/i18n/format.ts';
import { LOCALES, localePath, translator, type TextKey } from '../../src/i18n/index.ts';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { as, fieldError, form, mailsTo, page, stripTags, type TestAccount, Visitor } from '../helpers/visitor.ts';

/** The registration form's confirmation that the person signed the consent form today. */
const signedToday = () => ({ paperConsent: 'on', consentSignedOn: zonedDateInput('Europe/Berlin', new Date()) });

/** The id in the first match of `pattern` (one capture group). */
function idIn(html: string, pattern: RegExp): string {
  const match = pattern.exec(html);
  if (!match?.[1]) throw new Error(`no match for ${pattern}`);
  return match[1];
}

/** What the tests share as they go: ids found on the pages. */
const state = { mentorId: '', mentor2Id: '', requestId: '', mentorshipId: '', meetingId: '', menteeId: '', yusufPhone: null as Visitor | null };

describe('applying to be a Kümmerer', () => {
  it('explains the role and the rules to everyone, and asks visitors to sign in', async () => {
    const { status, text } = await page(new Visitor(), '/kuemmerer');
    expect(status).toBe(200);
    expect(text).toContain('Was macht ein Kümmerer?');
    expect(text).toContain('Kein Geld');
    expect(text).toContain('Um sich zu bewerben, melden Sie sich bitte an.');
    const arabic = await page(new Visitor(), '/ar/kuemmerer');
    expect(arabic.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(arabic.text).toContain('قواعد المرافقين');
  });

  it('refuses an application without topics, languages, contact or consent, and keeps what was typed', async () => {
    const mentor = await as('mentor');
    const result = await mentor.submit('/kuemmerer', 'mentoring.apply', form({ maxMentees: '9', note: 'Ich war Lehrerin.', contactDetails: '' }));
    expect(result.status).toBe(400);
    expect(fieldError(result.html, 'maxMentees')).toBe('Bitte wählen Sie 1 bis 5 Personen.');
    expect(stripTags(result.html)).toContain('Bitte wählen Sie mindestens ein Thema.');
    expect(stripTags(result.html)).toContain('Bitte bestätigen Sie die Regeln für Kümmerer.');
    expect(result.html).toContain('Ich war Lehrerin.');
  });

  it('takes the application; the applicant sees it waiting and gets a mail', async () => {
    const mentor = await as('mentor');
    const done = await mentor.submit(
      '/kuemmerer',
      'mentoring.apply',
      form({ topics: ['german', 'paperwork'], languages: ['de', 'ar'], maxMentees: '2', note: 'Ich war Lehrerin.', contactDetails: 'Telefon 0170 111222', codeOfConduct: 'on', status: 'approved' }),
    );
    expect(done.status).toBe(200);
    expect(stripTags(done.html)).toContain('Danke! Ihre Bewerbung ist angekommen.');
    // A field the form does not offer (status) changes nothing.
    expect(stripTags(done.html)).toContain('Ihr Stand: Bewerbung wird geprüft');
    expect(await mailsTo(TEST_ACCOUNTS.mentor.email, { about: 'Bewerbung als Kümmerer ist angekommen' })).toHaveLength(1);
    const other = await as('mentor2');
    await other.submit('/kuemmerer', 'mentoring.apply', form({ topics: ['housing'], languages: ['uk'], maxMentees: '1', note: '', contactDetails: 'mehmet@example.org', codeOfConduct: 'on' }));
  });

  it('coordinators decide; a decline needs a message; the applicant is told and sees it', async () => {
    const coordinator = await as('coordinator');
    const list = await page(coordinator, '/coordinate/applications');
    expect(list.status).toBe(200);
    state.mentorId = idIn(list.html, /id="kuemmerer-(\d+)"(?:(?!id="kuemmerer-)[\s\S])*?Maria Mentor/);
    state.mentor2Id = idIn(list.html, /id="kuemmerer-(\d+)"(?:(?!id="kuemmerer-)[\s\S])*?Mehmet Second/);
    // Each card's form brings the page back at that card, with what happened shown in it.
    const card = (html: string) => html.slice(html.indexOf(`id="kuemmerer-${state.mentorId}"`)).split('<li class="card application"')[0]!;
    const anchor = `kuemmerer-${state.mentorId}`;
    const noMessage = await coordinator.submit('/coordinate/applications', 'mentoring.decide', { kuemmererId: state.mentorId, decision: 'decline', message: '', _anchor: anchor });
    expect(noMessage.posted.headers.get('location')).toBe(`/coordinate/applications#${anchor}`);
    expect(noMessage.status).toBe(400);
    expect(stripTags(card(noMessage.html))).toContain('Bitte schreiben Sie der Person, warum Sie ablehnen.');
    const approved = await coordinator.submit('/coordinate/applications', 'mentoring.decide', { kuemmererId: state.mentorId, decision: 'approve', message: '', _anchor: anchor });
    expect(approved.posted.headers.get('location')).toBe(`/coordinate/applications#${anchor}`);
    expect(stripTags(card(approved.html))).toContain('Entschieden. Die Person bekommt Bescheid.');
    expect(approved.html.indexOf('Entschieden. Die Person bekommt Bescheid.')).toBe(approved.html.lastIndexOf('Entschieden. Die Person bekommt Bescheid.'));
    await coordinator.submit('/coordinate/applications', 'mentoring.decide', { kuemmererId: state.mentor2Id, decision: 'approve', message: '' });
    expect(await mailsTo(TEST_ACCOUNTS.mentor.email, { about: 'Sie sind jetzt Kümmerer' })).toHaveLength(1);
    expect((await page(await as('mentor'), '/kuemmerer')).text).toContain('Ihr Stand: Freigegeben');
  });
});

describe('asking for a Kümmerer and matching', () => {
  it('a newcomer asks; bad input is answered next to the fields', async () => {
    const mentee = await as('mentee');
    const empty = await mentee.submit('/my-kuemmerer', 'mentoring.request', form({ note: '', contactPreference: 'phone', contactDetail: '' }));
    expect(empty.status).toBe(400);
    expect(stripTags(empty.html)).toContain('Bitte wählen Sie mindestens ein Thema.');
    expect(fieldError(empty.html, 'contactDetail')).toBe('Bitte geben Sie eine Nummer oder Adresse an, unter der man Sie erreicht.');
    const asked = await mentee.submit('/my-kuemmerer', 'mentoring.request', form({ topics: ['german'], languages: ['ar'], note: 'Wir sind neu hier.', contactPreference: 'phone', contactDetail: '0151 999', consent: 'on' }));
    expect(stripTags(asked.html)).toContain('Ihre Anfrage ist angekommen.');
    state.requestId = idIn(asked.html, /name="requestId" value="(\d+)"/);
    // Withdrawing the request takes a second step that says what it costs.
    expect(asked.html).toMatch(/<details[^>]*>\s*<summary[^>]*>Anfrage zurückziehen<\/summary>[\s\S]*?Ihre Anfrage wartet seit [\s\S]*?Ja, Anfrage zurückziehen[\s\S]*?<\/details>/);
    const twice = await mentee.submit('/my-kuemmerer', 'mentoring.request', form({ topics: ['german'], languages: ['ar'], note: '', contactPreference: 'email', contactDetail: '', consent: 'on' }));
    expect(stripTags(twice.html)).not.toContain('Einen Kümmerer anfragen');
  });

  it('the matching page ranks Kümmerer with the reason in words; the coordinator assigns the top one', async () => {
    const coordinator = await as('coordinator');
    const matching = await page(coordinator, '/coordinate/requests');
    expect(matching.status).toBe(200);
    const card = matching.html.slice(matching.html.indexOf(`id="request-${state.requestId}"`));
    const text = stripTags(card);
    expect(text).toContain('Amal Mentee');
    expect(text).toMatch(/Maria Mentor\s*Bester Vorschlag\s*spricht Arabisch · deckt 1 von 1 Themen ab · 0 von 2 Plätzen belegt/);
    expect(text).toMatch(/Mehmet Second\s*keine gemeinsame Sprache · deckt 0 von 1 Themen ab · 0 von 1 Plätzen belegt/);
    expect(text.indexOf('Maria Mentor')).toBeLessThan(text.indexOf('Mehmet Second'));
    const top = idIn(card, /\/assign\?kuemmerer=(\d+)"/);
    expect(top).toBe(state.mentorId);
    // Assigning asks first; asking changes nothing.
    const question = await page(coordinator, `/coordinate/requests/${state.requestId}/assign?kuemmerer=${top}`);
    expect(question.status).toBe(200);
    expect(question.text).toContain('Maria Mentor als Kümmerer für Amal Mentee zuordnen?');
    expect(question.text).toContain('spricht Arabisch · deckt 1 von 1 Themen ab');
    expect(question.html).toContain('action="/coordinate/requests?_action=mentoring.assign"');
    expect(question.html).toContain(`name="kuemmererId" value="${top}"`);
    // In a right-to-left language the page's title isolates both names, as every message does.
    const arabicTitle = /<title>([^<]*)<\/title>/.exec((await page(coordinator, `/ar/coordinate/requests/${state.requestId}/assign?kuemmerer=${top}`)).html)?.[1];
    expect(arabicTitle).toContain('\u2068Maria Mentor\u2069');
    expect(arabicTitle).toContain('\u2068Amal Mentee\u2069');
    expect((await page(coordinator, '/coordinate/requests')).html).toContain(`id="request-${state.requestId}"`);
    // A Kümmerer the matching page does not offer for this request, or no such request: not found.
    expect((await page(coordinator, `/coordinate/requests/${state.requestId}/assign?kuemmerer=${state.menteeId || 999999}`)).status).toBe(404);
    expect((await page(coordinator, `/coordinate/requests/999999/assign?kuemmerer=${top}`)).status).toBe(404);
    // Ids are plain numbers (only activities have readable addresses).
    expect((await page(coordinator, `/coordinate/requests/${state.requestId}-amal/assign?kuemmerer=${top}`)).status).toBe(404);
    expect((await page(coordinator, `/coordinate/requests/${state.requestId}/assign?kuemmerer=${top}-maria`)).status).toBe(404);
    const assigned = await coordinator.submit('/coordinate/requests', 'mentoring.assign', { requestId: state.requestId, kuemmererId: top });
    expect(stripTags(assigned.html)).toContain('Zugeordnet. Beide bekommen Bescheid.');
    const again = await coordinator.submit('/coordinate/requests', 'mentoring.assign', { requestId: state.requestId, kuemmererId: state.mentor2Id });
    expect(stripTags(again.html)).toContain('Diese Anfrage ist nicht mehr offen.');
    expect(await mailsTo(TEST_ACCOUNTS.mentee.email, { about: 'Sie haben jetzt einen Kümmerer' })).toHaveLength(1);
    const [started] = await mailsTo(TEST_ACCOUNTS.mentor.email, { about: 'Eine neue Person für Sie' });
    expect(started!.text).toContain('Sie begleiten ab jetzt Amal.');
  });

  it('both sides see each other: the newcomer the first name and shared contact, the Kümmerer the request', async () => {
    const mine = await page(await as('mentee'), '/my-kuemmerer');
    expect(mine.text).toContain('Ihr Kümmerer: Maria');
    expect(mine.text).not.toContain('Maria Mentor');
    expect(mine.text).toContain('Telefon 0170 111222');
    expect(mine.text).toContain('Arabisch');
    const mentees = await page(await as('mentor'), '/mentees');
    expect(mentees.text).toContain('Amal Mentee');
    state.mentorshipId = idIn(mentees.html, /href="\/mentees\/(\d+)"/);
    const one = await page(await as('mentor'), `/mentees/${state.mentorshipId}`);
    expect(one.text).toContain('Wir sind neu hier.');
    expect(one.text).toContain('0151 999');
    // The id is a plain number (only activities have readable addresses).
    expect((await page(await as('mentor'), `/mentees/${state.mentorshipId}-amal`)).status).toBe(404);
  });

  it('the Kümmerer logs a meeting (Berlin time); the newcomer sees it but never the private note', async () => {
    const mentor = await as('mentor');
    const path = `/mentees/${state.mentorshipId}`;
    const bad = await mentor.submit(path, 'mentoring.saveMeeting', form({ mentorshipId: state.mentorshipId, date: '2030-07-01', startTime: '16:00', endTime: '15:00', place: '', privateNote: '' }));
    expect(fieldError(bad.html, 'endTime')).toBe('Das Ende muss nach dem Beginn liegen.');
    const saved = await mentor.submit(path, 'mentoring.saveMeeting', form({ mentorshipId: state.mentorshipId, date: '2030-07-01', startTime: '15:00', endTime: '16:30', place: 'Stadtbibliothek', topics: ['german'], privateNote: 'Streit mit dem Vermieter' }));
    expect(stripTags(saved.html)).toContain('Das Treffen ist gespeichert.');
    expect(stripTags(saved.html)).toContain('Streit mit dem Vermieter');
    expect(saved.html).toContain('datetime="2030-07-01T13:00:00.000Z"');
    state.meetingId = idIn(saved.html, /id="meeting-(\d+)"/);
    const mine = await page(await as('mentee'), '/my-kuemmerer');
    expect(mine.text).toContain('Stadtbibliothek');
    expect(mine.text).toContain('Deutsch lernen');
    expect(mine.text).not.toContain('Vermieter');
    const edit = await page(mentor, `${path}?edit=${state.meetingId}`);
    expect(edit.html).toContain('value="15:00"');
    expect(edit.text).toContain('Treffen ändern');
  });

  it('deleting a meeting (and its private note) asks first, without JavaScript, and Cancel keeps it', async () => {
    const mentor = await as('mentor');
    const path = `/mentees/${state.mentorshipId}`;
    const saved = await mentor.submit(path, 'mentoring.saveMeeting', form({ mentorshipId: state.mentorshipId, date: '2030-07-08', startTime: '15:00', endTime: '16:00', place: 'Café am Markt', privateNote: 'Nur ein Test' }));
    // Newest first: the meeting just logged is the first in the list.
    const meetingId = idIn(saved.html, /\?delete=(\d+)/);
    // The list offers a way to the question, never a button that deletes.
    expect(saved.html).not.toContain('_action=mentoring.deleteMeeting');
    const question = await page(mentor, `${path}?delete=${meetingId}`);
    expect(question.status).toBe(200);
    expect(question.text).toContain('Dieses Treffen wirklich löschen? Die private Notiz geht mit verloren; das lässt sich nicht rückgängig machen.');
    expect(question.html).toContain('_action=mentoring.deleteMeeting');
    expect(question.html).toMatch(new RegExp(`<a [^>]*href="${path}#meeting-${meetingId}"[^>]*>Abbrechen</a>`));
    expect((await page(mentor, path)).text).toContain('Café am Markt');
    // Only the meeting's id itself asks (not a number written some other way).
    for (const written of [`${meetingId}.0`, `0x${Number(meetingId).toString(16)}`, ` ${meetingId}`]) {
      expect((await page(mentor, `${path}?delete=${encodeURIComponent(written)}`)).html, written).not.toContain('_action=mentoring.deleteMeeting');
    }
    const deleted = await mentor.submit(`${path}?delete=${meetingId}`, 'mentoring.deleteMeeting', { meetingId });
    expect(stripTags(deleted.html)).toContain('Das Treffen ist gelöscht.');
    expect(stripTags(deleted.html)).not.toContain('Café am Markt');
  });
});

describe('privacy matrix', () => {
  const outsiders: TestAccount[] = ['resident', 'neighbour', 'organiser', 'mentor2', 'mentee2'];

  it.each(outsiders)('%s gets 404 for every page about this mentorship and for coordination pages', async (account) => {
    const visitor = await as(account);
    const paths = [
      `/mentees/${state.mentorshipId}`,
      `/mentees/${state.mentorshipId}?edit=${state.meetingId}`,
      `/ar/mentees/${state.mentorshipId}`,
      '/mentees/999999',
      '/coordinate',
      '/coordinate/applications',
      '/coordinate/requests',
      '/coordinate/new-request',
      '/coordinate/mentorships',
      `/coordinate/claim-sheet/${state.menteeId || 1}`,
      '/coordinate/people',
      `/coordinate/requests/${state.requestId}/assign?kuemmerer=${state.mentor2Id}`,
    ];
    for (const path of paths) {
      const result = await page(visitor, path);
      expect(result.status, `${account} ${path}`).toBe(404);
      expect(result.text).not.toContain('Amal');
    }
    // Their own page shows nothing of the mentee's.
    const own = await page(visitor, '/my-kuemmerer');
    expect(own.text).not.toContain('Stadtbibliothek');
    expect(own.text).not.toContain('Maria');
  });

  it.each(outsiders)('%s gets 404 for every action, with real and guessed ids, and nothing changes', async (account) => {
    const visitor = await as(account);
    const actions: Array<[string, Record<string, string | string[]>]> = [
      ['mentoring.end', { mentorshipId: state.mentorshipId, reason: 'x' }],
      ['mentoring.end', { mentorshipId: '999999', reason: '' }],
      ['mentoring.saveMeeting', { mentorshipId: state.mentorshipId, date: '2030-07-02', startTime: '10:00', endTime: '11:00', place: '', privateNote: '' }],
      ['mentoring.saveMeeting', { mentorshipId: state.mentorshipId, meetingId: state.meetingId, date: '2030-07-02', startTime: '10:00', endTime: '11:00', place: 'Hijacked', privateNote: '' }],
      ['mentoring.deleteMeeting', { meetingId: state.meetingId }],
      ['mentoring.deleteMeeting', { meetingId: '999999' }],
      ['mentoring.withdraw', { requestId: state.requestId }],
      ['mentoring.assign', { requestId: state.requestId, kuemmererId: state.mentor2Id }],
      ['mentoring.reassign', { mentorshipId: state.mentorshipId, kuemmererId: state.mentor2Id }],
      ['mentoring.decide', { kuemmererId: state.mentorId, decision: 'pause', message: '' }],
      ['mentoring.regenerateClaimCode', { personId: state.menteeId || '1' }],
      ['mentoring.requestForPerson', { name: 'X', locale: 'de', topics: 'german', languages: 'de', note: '', contactPreference: 'coordinator', contactDetail: '', ...signedToday() }],
    ];
    for (const [action, fields] of actions) {
      const response = await visitor.post(`/my-kuemmerer?_action=${action}`, form(fields));
      expect(response.status, `${account} ${action}`).toBe(404);
    }
    const mentor = await page(await as('mentor'), `/mentees/${state.mentorshipId}`);
    expect(mentor.status).toBe(200);
    expect(mentor.text).toContain('Stadtbibliothek');
    expect(mentor.text).not.toContain('Hijacked');
  });

  it('the newcomer cannot open the Kümmerer page of their mentorship, nor log or change meetings', async () => {
    const mentee = await as('mentee');
    expect((await mentee.get(`/mentees/${state.mentorshipId}`)).status).toBe(404);
    expect((await mentee.get('/mentees')).status).toBe(404);
    expect((await mentee.post('/my-kuemmerer?_action=mentoring.deleteMeeting', { meetingId: state.meetingId })).status).toBe(404);
    expect((await mentee.post('/my-kuemmerer?_action=mentoring.saveMeeting', form({ mentorshipId: state.mentorshipId, date: '2030-07-02', startTime: '10:00', endTime: '11:00', place: '', privateNote: '' }))).status).toBe(404);
  });

  it('coordinators see the mentorship with the private note', async () => {
    const seen = await page(await as('coordinator'), `/mentees/${state.mentorshipId}`);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('Streit mit dem Vermieter');
    const overview = await page(await as('coordinator'), '/coordinate');
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('Laufende Begleitungen nach Sprache');
    expect(overview.text).toMatch(/Laufende Begleitungen: 1/);
    expect(overview.text).toMatch(/Deutsch lernen\s*1/);
    expect(overview.text).toMatch(/Arabisch\s*1/);
    expect(overview.text).toContain('Alle freigegebenen Kümmerer haben noch Platz.');
    // Matched, the request has left the open ones (other test files may have open requests of their own).
    expect(overview.html).toContain('<h2 id="open-title">Offene Anfragen</h2>');
    expect(overview.html).not.toContain(`#request-${state.requestId}"`);
    expect(seen.text).toContain('Kümmerer: Maria Mentor');
  });

  it('signed-out visitors are sent to sign in', async () => {
    for (const path of ['/my-kuemmerer', '/mentees', `/mentees/${state.mentorshipId}`, '/coordinate', '/coordinate/requests']) {
      const response = await new Visitor().get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toContain('/sign-in?next=');
    }
    expect((await new Visitor().post('/?_action=mentoring.end', { mentorshipId: state.mentorshipId })).status).toBe(404);
  });
});

describe('a person without an account, in Arabic', () => {
  let code = '';
  let sheetPath = '';

  it('a coordinator registers them; the sheet is in Arabic, right to left, with the code shown once', async () => {
    const coordinator = await as('coordinator');
    const created = await coordinator.submit(
      '/coordinate/new-request',
      'mentoring.requestForPerson',
      form({ name: 'Yusuf Haddad', locale: 'ar', topics: ['paperwork'], languages: ['ar'], note: 'Kein Handy', contactPreference: 'coordinator', contactDetail: '', ...signedToday() }),
    );
    expect(created.status).toBe(200);
    expect(created.url).toMatch(/^\/coordinate\/claim-sheet\/\d+$/);
    sheetPath = created.url;
    state.menteeId = idIn(created.url, /(\d+)$/);
    expect(created.html).toMatch(/<article class="claim-sheet" lang="ar" dir="rtl"/);
    code = idIn(created.html, /data-claim-code[^>]*>([A-Z2-9-]{14})</);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // The Latin name stands isolated (U+2068 … U+2069) in the Arabic sentence.
    expect(stripTags(created.html)).toContain('أهلًا وسهلًا يا \u2068Yusuf Haddad\u2069!');
    expect(created.html).toContain('/ar/claim</span>');
    // Shown once: a second look offers a new code instead.
    const again = await page(coordinator, sheetPath);
    expect(again.html).not.toContain(code);
    expect(again.text).toContain('Neuen Code erzeugen');
    // Nobody but coordinators sees the sheet or can make a new code.
    for (const account of ['resident', 'organiser', 'mentor', 'mentee'] as const) {
      const outsider = await as(account);
      expect((await outsider.get(sheetPath)).status, account).toBe(404);
      expect((await outsider.post(`${sheetPath}?_action=mentoring.regenerateClaimCode`, { personId: state.menteeId })).status, account).toBe(404);
    }
    // Someone registered like this appears on the matching page, marked as without account.
    expect((await page(coordinator, '/coordinate/requests')).text).toMatch(/Yusuf Haddad\s*ohne Konto/);
  });

  it('a new code kills the old one', async () => {
    const coordinator = await as('coordinator');
    const fresh = await coordinator.submit(sheetPath, 'mentoring.regenerateClaimCode', { personId: state.menteeId });
    const newCode = idIn(fresh.html, /data-claim-code[^>]*>([A-Z2-9-]{14})</);
    expect(newCode).not.toBe(code);
    const visitor = new Visitor();
    const old = await visitor.submit('/ar/claim', 'mentoring.checkClaimCode', { code });
    expect(old.status).toBe(400);
    expect(fieldError(old.html, 'code')).toContain('هذا الرمز لا يعمل');
    code = newCode;
  });

  it('the sheet carries the sign-in name made from their first name', async () => {
    const coordinator = await as('coordinator');
    const fresh = await coordinator.submit(sheetPath, 'mentoring.regenerateClaimCode', { personId: state.menteeId });
    code = idIn(fresh.html, /data-claim-code[^>]*>([A-Z2-9-]{14})</);
    expect(idIn(fresh.html, /data-sign-in-name[^>]*>([^<]+)</)).toBe('yusuf');
  });

  it('they redeem it at /ar/claim in two steps, are signed in and see their request; the code never works again', async () => {
    const visitor = new Visitor();
    const first = await visitor.submit('/ar/claim', 'mentoring.checkClaimCode', { code: code.toLowerCase().replaceAll('-', ' ') });
    expect(first.url).toBe('/ar/claim');
    expect(first.status).toBe(200);
    expect(stripTags(first.html)).toContain('Yusuf Haddad');
    expect(first.html).toMatch(/id="field-signInName"[^>]*value="yusuf"/);
    const weak = await visitor.submit('/ar/claim', 'mentoring.claim', { signInName: 'yusuf', email: '', password: 'kurz' });
    expect(weak.status).toBe(400);
    expect(fieldError(weak.html, 'password')).not.toBeNull();
    // Still on the second step: the code is remembered, not asked again.
    expect(weak.html).toMatch(/id="field-signInName"/);
    const done = await visitor.submit('/ar/claim', 'mentoring.claim', { signInName: 'yusuf', email: '', password: 'شجرة الزيتون في الحديقة' });
    expect(done.url).toBe('/ar/my-kuemmerer');
    expect(done.status).toBe(200);
    expect(visitor.cookies.has('session')).toBe(true);
    expect(visitor.cookies.has('claim-code')).toBe(false);
    expect(stripTags(done.html)).toContain('أهلًا بك! تم إنشاء دخولك.');
    expect(stripTags(done.html)).toContain('yusuf');
    expect(stripTags(done.html)).toContain('طلبك');
    expect(stripTags(done.html)).toContain('الأوراق والدوائر الرسمية');
    const account = await page(visitor, '/ar/account');
    expect(account.text).toContain('لا يوجد بريد إلكتروني بعد');
    expect(idIn(account.html, /data-sign-in-name[^>]*>([^<]+)</)).toBe('yusuf');
    const second = await new Visitor().submit('/ar/claim', 'mentoring.checkClaimCode', { code });
    expect(second.status).toBe(400);
    const sheet = await page(await as('coordinator'), sheetPath);
    expect(sheet.text).toContain('Die Person hat ihren Zugang eingerichtet. Anmeldename: yusuf');
    // Signed out, they come back with the sign-in name.
    const later = new Visitor();
    await later.submit('/ar/sign-in', 'accounts.signIn', { login: 'Yusuf', password: 'شجرة الزيتون في الحديقة' });
    expect(later.cookies.has('session')).toBe(true);
    state.yusufPhone = visitor;
  });

  it('having forgotten the password, they get a new code from a coordinator, who finds them by name', async () => {
    const coordinator = await as('coordinator');
    const people = await page(coordinator, '/coordinate/people?q=yus');
    expect(people.status).toBe(200);
    expect(people.text).toContain('Yusuf Haddad');
    expect(people.text).toContain('Meldet sich mit dem Anmeldenamen an.');
    // From the person: book a consultation slot or ask for help on their behalf.
    expect(people.html).toContain(`href="/consultations?for=${state.menteeId}"`);
    expect(people.html).toContain(`href="/help-requests/new?for=${state.menteeId}"`);
    const fresh = await coordinator.submit(sheetPath, 'mentoring.regenerateClaimCode', { personId: state.menteeId });
    const recovery = idIn(fresh.html, /data-claim-code[^>]*>([A-Z2-9-]{14})</);
    expect(idIn(fresh.html, /data-sign-in-name[^>]*>([^<]+)</)).toBe('yusuf');
    const visitor = new Visitor();
    await visitor.submit('/ar/claim', 'mentoring.checkClaimCode', { code: recovery });
    const done = await visitor.submit('/ar/claim', 'mentoring.claim', { signInName: 'yusuf', password: 'Zwei Störche auf dem Dach' });
    expect(done.url).toBe('/ar/account');
    expect(visitor.cookies.has('session')).toBe(true);
    // Every other device is signed out, and the old password is gone.
    expect((await state.yusufPhone!.get('/ar/account')).status).toBe(303);
    const old = await new Visitor().submit('/ar/sign-in', 'accounts.signIn', { login: 'yusuf', password: 'شجرة الزيتون في الحديقة' });
    expect(old.status).toBe(400);
    // Nobody but coordinators sees the list of people.
    for (const account of ['resident', 'organiser', 'mentor'] as const) expect((await (await as(account)).get('/coordinate/people')).status, account).toBe(404);
  });
});

describe("the claim page's two steps", () => {
  const de = translator('de');

  async function freshCode(name: string): Promise<string> {
    const created = await (await as('coordinator')).submit(
      '/coordinate/new-request',
      'mentoring.requestForPerson',
      form({ name, locale: 'de', topics: ['german'], languages: ['de'], note: '', contactPreference: 'coordinator', contactDetail: '', ...signedToday() }),
    );
    return idIn(created.html, /data-claim-code[^>]*>([A-Z2-9-]{14})</);
  }

  it('sends the second step back to the first when its cookie is gone, saying why', async () => {
    const visitor = new Visitor();
    const result = await visitor.submit('/claim', 'mentoring.claim', { signInName: 'jemand', email: '', password: 'Ein Garten am Fluss' });
    expect(result.status).toBe(400);
    expect(result.url).toBe('/claim');
    expect(stripTags(result.html)).toContain(de('claim.startAgain'));
    expect(result.html).toContain('id="field-code"');
    expect(result.html).not.toContain('id="field-signInName"');
  });

  it('"enter another code" forgets the code found and shows the first step again', async () => {
    const visitor = new Visitor();
    const second = await visitor.submit('/claim', 'mentoring.checkClaimCode', { code: await freshCode('Leila Zweischritt') });
    expect(second.html).toContain('id="field-signInName"');
    expect(visitor.cookies.has('claim-code')).toBe(true);
    const first = await visitor.submit('/claim', 'mentoring.forgetClaimCode', {});
    expect(first.url).toBe('/claim');
    expect(first.status).toBe(200);
    expect(visitor.cookies.has('claim-code')).toBe(false);
    expect(first.html).toContain('id="field-code"');
    expect(first.html).not.toContain('id="field-signInName"');
  });

  it('counts a made-up code in the cookie against the limit, like a mistyped one', async () => {
    const visitor = new Visitor();
    for (let i = 0; i < 10; i++) {
      visitor.cookies.set('claim-code', 'AAAAAAAAAAAA');
      const page = await visitor.get('/claim');
      expect(page.status, `try ${i + 1}`).toBe(200);
      // Dropped once found wrong.
      expect(visitor.cookies.has('claim-code')).toBe(false);
    }
    visitor.cookies.set('claim-code', 'AAAAAAAAAAAA');
    const limited = await visitor.get('/claim');
    expect(limited.status).toBe(429);
    expect(stripTags(await limited.text())).toMatch(/Zu viele Versuche/);
    // The same limit stops the first step's form, even for a code that works.
    const typed = await visitor.submit('/claim', 'mentoring.checkClaimCode', { code: await freshCode('Leila Begrenzt') });
    expect(typed.status).toBe(429);
  });
});

describe('capacity and reassigning', () => {
  it('a full Kümmerer is not suggested; a reassignment moves the mentee and tells the old Kümmerer', async () => {
    const coordinator = await as('coordinator');
    const yusufCard = async () => {
      const html = (await page(coordinator, '/coordinate/requests')).html;
      return html.slice(html.indexOf('Yusuf Haddad'));
    };
    const yusufRequest = idIn(await yusufCard(), /\/coordinate\/requests\/(\d+)\/assign/);
    const assigned = await coordinator.submit('/coordinate/requests', 'mentoring.assign', { requestId: yusufRequest, kuemmererId: state.mentor2Id });
    expect(stripTags(assigned.html)).toContain('Zugeordnet.');

    // Mehmet (1 of 1) is full now: not suggested for the next person, Maria (1 of 2) is.
    const other = await as('mentee2');
    await other.submit('/my-kuemmerer', 'mentoring.request', form({ topics: ['housing'], languages: ['uk'], note: '', contactPreference: 'email', contactDetail: '', consent: 'on' }));
    const matching = stripTags((await page(coordinator, '/coordinate/requests')).html);
    const olena = matching.slice(matching.indexOf('Olena Other'));
    expect(olena).toContain('Maria Mentor');
    expect(olena).not.toContain('Mehmet Second');

    const mentorships = await page(coordinator, '/coordinate/mentorships');
    const card = mentorships.html.slice(mentorships.html.indexOf('Yusuf Haddad'));
    const mentorshipId = idIn(card, /name="mentorshipId" value="(\d+)"/);
    const moved = await coordinator.submit('/coordinate/mentorships', 'mentoring.reassign', { mentorshipId, kuemmererId: state.mentorId });
    expect(stripTags(moved.html)).toContain('Übergeben. Alle Beteiligten bekommen Bescheid.');
    const [told] = await mailsTo(TEST_ACCOUNTS.mentor2.email, { about: 'Eine Begleitung ist beendet' });
    expect(told!.text).toContain('Yusuf');
    // Maria (2 of 2) is full now, Mehmet free again; the overview says who is full.
    const after = stripTags((await page(coordinator, '/coordinate/requests')).html);
    const olenaAfter = after.slice(after.indexOf('Olena Other'));
    expect(olenaAfter).toContain('Mehmet Second');
    expect(olenaAfter).not.toContain('Maria Mentor');
    expect((await page(coordinator, '/coordinate')).text).toMatch(/Kümmerer ohne freien Platz\s*Maria Mentor/);
    // Assigning to a full Kümmerer by hand is refused, too.
    const olenaRequest = idIn((await page(coordinator, '/coordinate/requests')).html.split('Olena Other')[1] ?? '', /\/coordinate\/requests\/(\d+)\/assign/);
    const refused = await coordinator.submit('/coordinate/requests', 'mentoring.assign', { requestId: olenaRequest, kuemmererId: state.mentorId });
    expect(refused.status).toBe(400);
    expect(stripTags(refused.html)).toContain('Dieser Kümmerer hat keinen freien Platz (mehr).');
    expect((await (await as('mentor')).get('/mentees')).status).toBe(200);
    expect(stripTags(await (await (await as('mentor')).get('/mentees')).text())).toContain('Yusuf Haddad');
  });
});

describe('ending', () => {
  it('the newcomer ends it with a reason: the Kümmerer is told without it, coordinators with it, the history stays', async () => {
    const mentee = await as('mentee');
    const ended = await mentee.submit('/my-kuemmerer', 'mentoring.end', { mentorshipId: state.mentorshipId, reason: 'Wir ziehen nach Hagen.' });
    expect(stripTags(ended.html)).toContain('Die Begleitung ist beendet.');
    expect(stripTags(ended.html)).toContain('Einen Kümmerer anfragen');
    const [toMentor] = await mailsTo(TEST_ACCOUNTS.mentor.email, { about: 'Eine Begleitung ist beendet' });
    expect(toMentor!.text).toContain('Amal');
    expect(toMentor!.text).not.toContain('Hagen');
    const [toCoordinator] = await mailsTo(TEST_ACCOUNTS.coordinator.email, { about: 'Eine Begleitung wurde beendet' });
    expect(toCoordinator!.text).toContain('Grund: Wir ziehen nach Hagen.');
    expect(toCoordinator!.text).not.toContain('Vermieter');
    expect((await (await as('mentor')).get(`/mentees/${state.mentorshipId}`)).status).toBe(404);
    const history = await page(await as('coordinator'), '/coordinate/mentorships');
    expect(history.text).toMatch(/Beendet von der begleiteten Person.\s*Wir ziehen nach Hagen./);
  });

  it('a coordinator ends one; both sides are told, the history says who ended it', async () => {
    const coordinator = await as('coordinator');
    const mentorships = await page(coordinator, '/coordinate/mentorships');
    const mentorshipId = idIn(mentorships.html.slice(mentorships.html.indexOf('Yusuf Haddad')), /name="mentorshipId" value="(\d+)"/);
    expect(mentorships.html).toContain(`id="end-reason-${mentorshipId}"`);
    const ended = await coordinator.submit('/coordinate/mentorships', 'mentoring.end', { mentorshipId, reason: 'Familie ist nach Iserlohn gezogen.' });
    expect(stripTags(ended.html)).toContain('Die Begleitung ist beendet.');
    expect(stripTags(ended.html)).toContain('Keine laufenden Begleitungen.');
    expect(stripTags(ended.html)).toMatch(/Maria Mentor\s*Yusuf Haddad[\s\S]*Beendet von der Koordination\.\s*Familie ist nach Iserlohn gezogen\./);
    const toMentor = await mailsTo(TEST_ACCOUNTS.mentor.email, { about: 'Eine Begleitung ist beendet', atLeast: 2 });
    expect(toMentor).toHaveLength(2);
    // The reason stays with the coordinators.
    for (const mail of toMentor) expect(mail.text).not.toContain('Iserlohn');
    expect(stripTags(await (await (await as('mentor')).get('/mentees')).text())).toContain('Sie begleiten gerade niemanden.');
  });
});

/** The text of a page as a reader sees it: tags gone, entities read. */
function readable(html: string): string {
  return stripTags(html).replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The options of a <select>, by value. */
function optionValues(html: string, id: string): string[] {
  const select = new RegExp(`<select id="${id}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]!);
}

describe('what coordinators read and write for someone else', () => {
  it.each(LOCALES)('%s: entering a request for a person speaks of the person, offers no e-mail and says who sees the note', async (locale) => {
    const t = translator(locale);
    const { status, html } = await page(await as('coordinator'), localePath(locale, '/coordinate/new-request'));
    expect(status).toBe(200);
    const text = readable(html);
    const thirdPerson: TextKey[] = ['coordinate.person.topics', 'coordinate.person.languages', 'coordinate.person.note', 'coordinate.person.noteHint', 'coordinate.person.contactPreference', 'coordinate.person.contactDetail', 'coordinate.person.contactDetailHint'];
    for (const key of thirdPerson) expect(text, `${locale} ${key}`).toContain(t(key));
    // The newcomer's own questions ("Wobei brauchen Sie Hilfe?") are not asked of the coordinator.
    const secondPerson: TextKey[] = ['myk.topics', 'myk.languages', 'myk.note', 'myk.noteHint', 'myk.contactPreference', 'myk.contactDetailHint'];
    for (const key of secondPerson) expect(text, `${locale} ${key}`).not.toContain(t(key));
    // "Telefonnummer oder Messenger-Name" is the start of the person's label: compare the label itself.
    const label = readable(/<label for="field-contactDetail">([\s\S]*?)<\/label>/.exec(html)?.[1] ?? '');
    expect(label.startsWith(t('coordinate.person.contactDetail')), label).toBe(true);
    expect(optionValues(html, 'field-contactPreference')).toEqual(['phone', 'messenger', 'coordinator', 'in_person']);
  });

  it('refuses "by e-mail" for a person without an address, next to the field, and registers nobody', async () => {
    const coordinator = await as('coordinator');
    const refused = await coordinator.submit(
      '/coordinate/new-request',
      'mentoring.requestForPerson',
      form({ name: 'Farid Ohnepost', locale: 'fa', topics: ['housing'], languages: ['fa'], note: '', contactPreference: 'email', contactDetail: 'farid@example.org', ...signedToday() }),
    );
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'contactPreference')).toBe('Die Person hat keine E-Mail-Adresse. Bitte wählen Sie einen anderen Weg.');
    expect(refused.html).toContain('Farid Ohnepost');
    expect((await page(coordinator, '/coordinate/requests')).text).not.toContain('Farid Ohnepost');
  });

  it('the applications page shows the applicant’s own words as theirs, not as "about you"', async () => {
    const { html } = await page(await as('coordinator'), '/coordinate/applications');
    const text = readable(html);
    expect(text).toContain('Was die Person über sich schreibt');
    expect(text).toContain('Kontakt für die begleiteten Personen');
    expect(text).not.toContain('Ein paar Worte über Sie');
    expect(text).not.toContain('So erreicht man Sie');
    expect(text).toContain('Die Person liest die Nachricht auf ihrer Kümmerer-Seite und bekommt sie per E-Mail.');
  });

  it('the message typed with an approval, a pause or a resumption reaches the applicant’s mail as plain text', async () => {
    const coordinator = await as('coordinator');
    const steps = [
      ['pause', 'Pause bis nach den Ferien. <b>Danke</b> & bis bald!', 'Ihre Kümmerer-Tätigkeit ist pausiert'],
      ['resume', 'Schön, dass Sie wieder da sind.\nIm Juli gibt es ein Treffen.', 'Sie sind jetzt Kümmerer'],
    ] as const;
    for (const [decision, message, about] of steps) {
      const before = (await mailsTo(TEST_ACCOUNTS.mentor2.email, { about, timeoutMs: 0 })).length;
      const done = await coordinator.submit('/coordinate/applications', 'mentoring.decide', { kuemmererId: state.mentor2Id, decision, message });
      expect(readable(done.html)).toContain('Entschieden. Die Person bekommt Bescheid.');
      const mails = await mailsTo(TEST_ACCOUNTS.mentor2.email, { about, atLeast: before + 1 });
      expect(mails.at(-1)!.text, decision).toContain(`Nachricht der Koordination:\n${message}`);
    }
  });

  it('signing up someone else for an activity asks how many come with the person, not with the coordinator', async () => {
    const ids = inject('activities');
    const { html } = await page(await as('coordinator'), `/activities/${ids.roomy}`);
    const behalf = html.slice(html.indexOf('id="on-behalf-title"'));
    expect(behalf.length).toBeGreaterThan(100);
    const text = readable(behalf);
    expect(text).toContain('Wie viele Personen kommen, die Person eingeschlossen?');
    expect(text).toContain('Nur die Person');
    expect(text).not.toContain('Sie eingeschlossen');
    expect(text).not.toContain('Nur ich');
  });
});

describe('a person without an e-mail address asking for themself', () => {
  it('is not offered "by e-mail", and the server refuses it', async () => {
    const coordinator = await as('coordinator');
    const created = await coordinator.submit(
      '/coordinate/new-request',
      'mentoring.requestForPerson',
      form({ name: 'Hamid Ohneadresse', locale: 'de', topics: ['german'], languages: ['fa'], note: '', contactPreference: 'in_person', contactDetail: '', ...signedToday() }),
    );
    const code = idIn(created.html, /data-claim-code[^>]*>([A-Z2-9-]{14})</);
    const person = new Visitor();
    await person.submit('/claim', 'mentoring.checkClaimCode', { code });
    // An address typed when claiming is theirs only once its link is opened.
    const claimed = await person.submit('/claim', 'mentoring.claim', { signInName: '', email: 'hamid@test.example', password: 'Der Fluss fließt ruhig' });
    expect(stripTags(claimed.html)).toContain('Wir haben einen Link an hamid@test.example geschickt');
    expect((await mailsTo('hamid@test.example')).map((m) => m.subject)).toEqual(['Bitte bestätigen Sie Ihre neue E-Mail-Adresse']);
    const requestId = idIn((await page(person, '/my-kuemmerer')).html, /name="requestId" value="(\d+)"/);
    await person.submit('/my-kuemmerer', 'mentoring.withdraw', { requestId });
    const ask = await page(person, '/my-kuemmerer');
    expect(ask.text).toContain('Einen Kümmerer anfragen');
    expect(optionValues(ask.html, 'field-contactPreference')).not.toContain('email');
    const refused = await person.submit('/my-kuemmerer', 'mentoring.request', form({ topics: ['german'], languages: ['fa'], note: '', contactPreference: 'email', contactDetail: '', consent: 'on' }));
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'contactPreference')).toBe('Sie haben keine E-Mail-Adresse angegeben. Bitte wählen Sie einen anderen Weg.');
    // Someone with an address is still offered it.
    expect(optionValues((await page(await as('neighbour'), '/my-kuemmerer')).html, 'field-contactPreference')).toContain('email');
  });
});
