// "My hours" over HTTP, without JavaScript: a volunteer sees their own pending and confirmed
// hours and the card's progress (nobody else's hours); corrects a pending entry by a form post,
// with bad input answered next to the field and nothing saved; a confirmed entry says it cannot
// be changed; another person's entry is 404 for the page and the post; the volunteer card's
// threshold is 404 for anyone but a site admin. The hours are seeded by tests/setup/http-server.ts.
import { describe, expect, it } from 'vitest';
import { as, fieldError, page, stripTags, Visitor } from '../helpers/visitor.ts';

/** The id of the entry on a page whose article holds the text. */
function entryId(html: string, text: string): number {
  const article = html.split('<article').find((chunk) => chunk.includes(text));
  const match = article && /id="entry-(\d+)"/.exec(article);
  if (!match) throw new Error(`no entry with ${text}`);
  return Number(match[1]);
}

/** The value of a form input on a page. */
function inputValue(html: string, name: string): string {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
  return /value="([^"]*)"/.exec(tag)?.[1] ?? '';
}

describe('My hours', () => {
  it('sends a signed-out visitor to sign in', async () => {
    const response = await new Visitor().get('/my-hours');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?next=%2Fmy-hours');
  });

  it('shows the volunteer’s own pending and confirmed hours, the card’s progress, and nobody else’s', async () => {
    const volunteer = await as('hoursVolunteer');
    const response = await volunteer.get('/my-hours');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const text = stripTags(await response.text());
    expect(text).toContain('Kleiderkammer sortieren');
    expect(text).toContain('Schulung Erste Hilfe');
    expect(text).toContain('Noch nicht bestätigt');
    expect(text).toContain('Bestätigt: 2 Std.');
    expect(text).toContain('Noch nicht bestätigt: 1 Std., 30 Min.');
    expect(text).toContain('Test-Verein');
    // 2 confirmed hours of NRW's 250; the pending 90 minutes apart.
    expect(text).toContain('2 von 250 Stunden, noch 248');
    expect(text).toContain('Dazu kommen 1 Std., 30 Min., die noch nicht bestätigt sind.');
    expect(text).not.toContain('Fremder Einsatz');
    // "My hours" is among the person's pages.
    expect(text).toContain('Meine Stunden');
  });

  it('answers a year that no link names with 404', async () => {
    const volunteer = await as('hoursVolunteer');
    expect((await volunteer.get('/my-hours?year=abc')).status).toBe(404);
    expect((await volunteer.get('/my-hours?year=1999')).status).toBe(404);
    expect((await volunteer.get(`/my-hours?year=${new Date().getUTCFullYear() - 1}`)).status).toBe(200);
  });
});

describe('correcting an entry', () => {
  it('another person’s entry is 404, for the page and for the post, and stays as it was', async () => {
    const other = await as('hoursOther');
    const theirs = entryId((await page(other, '/my-hours')).html, 'Fremder Einsatz');
    const volunteer = await as('hoursVolunteer');
    expect((await volunteer.get(`/my-hours/${theirs}`)).status).toBe(404);
    const posted = await volunteer.submitFrom(`/my-hours/${theirs}`, 'hoursMine.correct', { entryId: String(theirs), date: '2026-01-05', time: '10:00', hours: '9', minutes: '0' });
    expect(posted.status).toBe(404);
    const after = (await page(other, '/my-hours')).text;
    expect(after).toContain('Noch nicht bestätigt: 1 Std.');
    expect(after).not.toContain('korrigiert');
    // Ids that name nothing are 404 too.
    expect((await volunteer.get('/my-hours/999999')).status).toBe(404);
    expect((await volunteer.get('/my-hours/abc')).status).toBe(404);
  });

  it('saves a correction of the volunteer’s own pending entry', async () => {
    const volunteer = await as('hoursVolunteer');
    const id = entryId((await page(volunteer, '/my-hours')).html, 'Kleiderkammer sortieren');
    const form = await page(volunteer, `/my-hours/${id}`);
    expect(form.status).toBe(200);
    expect(inputValue(form.html, 'hours')).toBe('1');
    expect(inputValue(form.html, 'minutes')).toBe('30');
    const fields = { entryId: String(id), date: inputValue(form.html, 'date'), time: inputValue(form.html, 'time'), hours: '3', minutes: '5' };
    expect(fields.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Without an Origin the post is refused before anything happens.
    expect((await volunteer.post(`/my-hours/${id}?_action=hoursMine.correct`, fields, { origin: null })).status).toBe(403);

    // Bad input: the message next to the field, the typed values kept, nothing saved.
    const bad = await volunteer.submitFrom(`/my-hours/${id}`, 'hoursMine.correct', { ...fields, hours: '99' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'hours')).toBe('Bitte geben Sie die Stunden als ganze Zahl von 0 bis 24 an.');
    expect(inputValue(bad.html, 'hours')).toBe('99');
    expect((await page(volunteer, '/my-hours')).text).toContain('Noch nicht bestätigt: 1 Std., 30 Min.');

    const done = await volunteer.submitFrom(`/my-hours/${id}`, 'hoursMine.correct', fields);
    expect(done.status).toBe(200);
    expect(new URL(done.url, 'http://x').pathname).toBe('/my-hours');
    const text = stripTags(done.html);
    expect(text).toContain('Ihre Korrektur ist gespeichert.');
    expect(text).toContain('Noch nicht bestätigt: 3 Std., 5 Min.');
    expect(text).toContain('von Ihnen korrigiert');
  });

  it('a confirmed entry of one’s own says it cannot be changed, and a post is refused', async () => {
    const volunteer = await as('hoursVolunteer');
    const id = entryId((await page(volunteer, '/my-hours')).html, 'Schulung Erste Hilfe');
    const shown = await page(volunteer, `/my-hours/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Bestätigte Einträge können nicht mehr geändert werden.');
    expect(shown.html).not.toContain('name="hours"');
    const posted = await volunteer.submitFrom(`/my-hours/${id}`, 'hoursMine.correct', { entryId: String(id), date: '2026-01-05', time: '10:00', hours: '9', minutes: '0' });
    expect(posted.status).toBe(400);
    expect(stripTags(posted.html)).toContain('Dieser Eintrag ist inzwischen bestätigt und kann nicht mehr geändert werden.');
    expect((await page(volunteer, '/my-hours')).text).toContain('Bestätigt: 2 Std.');
  });
});

describe('the volunteer card’s threshold', () => {
  const rule = { enabled: 'on', state: 'NW', cardName: 'Ehrenamtskarte NRW', hoursPerYear: '250', hoursPerWeek: '5' };

  it('is 404 for anyone but a site admin, for the page and the post', async () => {
    const volunteer = await as('hoursVolunteer');
    expect((await volunteer.get('/admin/recognition')).status).toBe(404);
    const posted = await volunteer.submitFrom('/admin/recognition', 'hoursMine.saveRecognition', { ...rule, hoursPerYear: '1' });
    expect(posted.status).toBe(404);
    expect((await page(volunteer, '/my-hours')).text).toContain('von 250 Stunden');
    expect((await new Visitor().get('/admin/recognition')).status).toBe(303);
  });

  it('a site admin changes it (bad input next to the field first), and My hours follows', async () => {
    const admin = await as('admin');
    const shown = await page(admin, '/admin/recognition');
    expect(shown.status).toBe(200);
    expect(inputValue(shown.html, 'hoursPerYear')).toBe('250');
    expect((await page(admin, '/admin')).html).toContain('href="/admin/recognition"');

    const bad = await admin.submitFrom('/admin/recognition', 'hoursMine.saveRecognition', { ...rule, hoursPerYear: '', hoursPerWeek: '' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'hoursPerYear')).toBe('Bitte geben Sie Stunden im Jahr, Stunden pro Woche oder beides an. Ohne Schwelle schalten Sie die Anzeige aus.');

    const saved = await admin.submitFrom('/admin/recognition', 'hoursMine.saveRecognition', { ...rule, cardName: 'Ehrenamtskarte Test', hoursPerYear: '100', hoursPerWeek: '' });
    expect(saved.status).toBe(200);
    expect(stripTags(saved.html)).toContain('Die Regel für die Ehrenamtskarte ist gespeichert.');
    const volunteer = await as('hoursVolunteer');
    const text = (await page(volunteer, '/my-hours')).text;
    expect(text).toContain('Auf dem Weg zur Ehrenamtskarte Test');
    expect(text).toContain('2 von 100 Stunden, noch 98');

    // Switched off (the checkbox not sent): no progress at all.
    const { enabled: _, ...off } = rule;
    await admin.submitFrom('/admin/recognition', 'hoursMine.saveRecognition', off);
    expect((await page(volunteer, '/my-hours')).text).not.toContain('Auf dem Weg zur');
    await admin.submitFrom('/admin/recognition', 'hoursMine.saveRecognition', rule);
    expect((await page(volunteer, '/my-hours')).text).toContain('2 von 250 Stunden');
  });
});
