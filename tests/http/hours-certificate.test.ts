// The certificate of volunteering over HTTP: signed-in only; an issuer the person has no
// confirmed hours with is 404 on the page and for the PDF, whoever asks (the hours behind a
// real certificate are made in tests/unit/hours-certificate.test.ts and, in the browser, in
// tests/e2e/hours-certificate.test.ts); months that are not months are 400 with the message by
// the field. Nobody here has confirmed hours: the portal's test database starts without any.
import { describe, expect, it } from 'vitest';
import { as, fieldError, page, stripTags, Visitor } from '../helpers/visitor.ts';

const PAGE = '/my-hours/certificate';
const PDF = '/my-hours/certificate.pdf';

describe('the certificate of volunteering', () => {
  it('sends a signed-out visitor to sign in, for the page and the PDF', async () => {
    for (const path of [PAGE, `${PDF}?organisation=test-verein`]) {
      const response = await new Visitor().get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  it('tells someone without confirmed hours that there are none yet', async () => {
    const { status, html } = await page(await as('volunteer'), PAGE);
    expect(status).toBe(200);
    expect(stripTags(html)).toContain('Es gibt noch keine bestätigten Stunden von Ihnen.');
    expect(html).not.toContain('class="certificate-sheet');
  });

  it('answers 404 for an issuer the person has no confirmed hours with: a member’s own organisation, the town, a made-up one', async () => {
    for (const account of ['volunteer', 'organiser', 'coordinator', 'admin'] as const) {
      const visitor = await as(account);
      for (const organisation of ['test-verein', '@town', 'town', 'gibt-es-nicht']) {
        const query = `?organisation=${organisation}&from=2026-01&to=2026-12`;
        expect((await visitor.get(`${PAGE}${query}`)).status, `${account} ${organisation} page`).toBe(404);
        const pdf = await visitor.get(`${PDF}${query}`);
        expect(pdf.status, `${account} ${organisation} pdf`).toBe(404);
        expect(pdf.headers.get('content-type') ?? '', `${account} ${organisation} pdf`).not.toContain('application/pdf');
      }
    }
    // In another language too.
    expect((await (await as('volunteer')).get(`/ar${PAGE}?organisation=test-verein`)).status).toBe(404);
  });

  it('answers 400 for months that are not months, with the message next to the field', async () => {
    const visitor = await as('volunteer');
    const { status, html } = await page(visitor, `${PAGE}?organisation=&from=2026-13&to=bald`);
    expect(status).toBe(400);
    expect(html).toMatch(/<title>Fehler: /);
    expect(fieldError(html, 'organisation')).toBe('Wählen Sie eine Organisation.');
    expect(fieldError(html, 'from')).toBe('Geben Sie Jahr und Monat an, zum Beispiel 2026-01.');
    expect(fieldError(html, 'to')).toBe('Geben Sie Jahr und Monat an, zum Beispiel 2026-01.');
    // What was typed stays in the fields.
    expect(html).toContain('value="2026-13"');

    const arabic = await page(visitor, `/ar${PAGE}?organisation=&from=2026-05&to=2026-04`);
    expect(arabic.status).toBe(400);
    expect(fieldError(arabic.html, 'to')).toBe('الشهر الأخير يقع قبل الشهر الأول.');

    const pdf = await visitor.get(`${PDF}?organisation=&from=2026-13`);
    expect(pdf.status).toBe(400);
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    expect(await pdf.text()).toContain('Geben Sie Jahr und Monat an');
  });
});
