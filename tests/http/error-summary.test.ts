// The error summary at the top of a refused form (GOV.UK's pattern): each entry names its field
// ("Ihr Name: Bitte füllen Sie dieses Feld aus.") and links to the field's real id, in every
// language — for text fields, selects with their own ids and groups of checkboxes.
import { describe, expect, inject, it } from 'vitest';
import { catalogues, type Locale } from '../../src/i18n/index.ts';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { stripTags, Visitor } from '../helpers/visitor.ts';

/** The summary's entries: link target and text. */
function summaryEntries(html: string): Array<{ href: string | null; text: string }> {
  const summary = /<div class="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0];
  if (!summary) throw new Error('no error summary on the page');
  return [...summary.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => ({
    href: /href="([^"]+)"/.exec(m[1] ?? '')?.[1] ?? null,
    // Without the invisible isolates that keep words whole in Arabic and Persian sentences.
    text: stripTags(m[1] ?? '').replace(/[\u2066-\u2069]/g, ''),
  }));
}

describe('the error summary names each field and links to it', () => {
  it.each(['de', 'en', 'ar', 'uk', 'tr', 'fa'] as Locale[])('an empty sign-up form, in %s', async (locale) => {
    const prefix = locale === 'de' ? '' : `/${locale}`;
    const visitor = new Visitor();
    const result = await visitor.submit(`${prefix}/sign-up`, 'accounts.signUp', { email: '', password: '', displayName: '', locale });
    expect(result.status).toBe(400);
    const words = catalogues[locale];
    const entries = summaryEntries(result.html);
    for (const [field, label] of [
      ['email', words['form.email']],
      ['password', words['form.password']],
      ['displayName', words['form.displayName']],
    ] as const) {
      const entry = entries.find((e) => e.href === `#field-${field}`);
      expect(entry?.text, `${locale} ${field}`).toMatch(new RegExp(`^${label}\\s*[:：]?\\s*${words['error.required'].replace(/[.?]/g, '\\$&')}$`));
    }
    if (locale === 'de') expect(entries.find((e) => e.href === '#field-displayName')?.text).toBe('Ihr Name: Bitte füllen Sie dieses Feld aus.');
    // The same message is never repeated without a name.
    expect(entries.filter((e) => e.text === words['error.required'])).toEqual([]);
  });

  it('links to a field with its own id (the second form on a page) and names it', async () => {
    const coordinator = new Visitor();
    await coordinator.signIn(TEST_ACCOUNTS.coordinator.email, TEST_ACCOUNTS.coordinator.password);
    const id = inject('activities').roomy;
    const result = await coordinator.submit(`/activities/${id}`, 'rsvps.createOnBehalf', { activityId: String(id), partySize: '0', note: '', email: '' });
    expect(result.status).toBe(400);
    const entries = summaryEntries(result.html);
    // "Wie viele Personen kommen, die Person eingeschlossen? Bitte wählen Sie …": a question needs no colon.
    expect(entries).toContainEqual({ href: '#field-behalf-partySize', text: `${catalogues.de['coordinate.onBehalf.partySize']} ${catalogues.de['error.partySize']}` });
    expect(entries).toContainEqual({ href: '#field-email', text: `${catalogues.de['rsvp.onBehalfEmail']}: ${catalogues.de['error.required']}` });
    // The link's target exists on the page.
    expect(result.html).toContain('id="field-behalf-partySize"');
  });

  it('names the confirmation of dates in the past, when saving and when publishing', async () => {
    const organiser = new Visitor();
    await organiser.signIn(TEST_ACCOUNTS.organiser.email, TEST_ACCOUNTS.organiser.password);
    const organisationId = String(inject('activities').organisation);
    const form = { organisationId, title: 'Rückblick Flohmarkt', sourceLocale: 'de', category: 'leisure', date: '2021-05-06', startTime: '10:00', endTime: '12:00', placeName: 'Markt' };
    const words = catalogues.de;
    const expected = { href: '#field-confirmPast', text: `${words['past.title']}: ${words['past.confirmRequired']}` };
    const newPage = `/organise/new?organisation=${organisationId}`;
    const saving = await organiser.submit(newPage, 'organise.createActivity', form);
    expect(saving.status).toBe(400);
    expect(summaryEntries(saving.html)).toContainEqual(expected);
    const created = await organiser.submit(newPage, 'organise.createActivity', { ...form, confirmPast: 'on' });
    const id = /\/organise\/(\d+)$/.exec(created.url)?.[1];
    expect(id, created.url).toBeTruthy();
    const publishing = await organiser.submit(`/organise/${id}`, 'organise.publishActivity', { activityId: id! });
    expect(publishing.status).toBe(400);
    expect(summaryEntries(publishing.html)).toContainEqual(expected);
    expect(publishing.html).toContain('id="field-confirmPast"');
    await organiser.submit(`/organise/${id}`, 'organise.deleteDraft', { activityId: id! });
  });

  it('names a group of checkboxes by its question', async () => {
    const newcomer = new Visitor();
    await newcomer.signIn(TEST_ACCOUNTS.neighbour.email, TEST_ACCOUNTS.neighbour.password);
    const result = await newcomer.submit('/my-kuemmerer', 'mentoring.request', { note: '', contactPreference: 'email', contactDetail: '' });
    expect(result.status).toBe(400);
    const entries = summaryEntries(result.html);
    const words = catalogues.de;
    // A question reads as a question, then the message: "Wobei brauchen Sie Hilfe? Bitte …"
    expect(entries).toContainEqual({ href: '#field-topics', text: `${words['myk.topics']} ${words['mentoring.error.topics']}` });
  });
});
