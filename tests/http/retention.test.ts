// The retention page over HTTP without JavaScript: only site admins see it (others 404, signed
// out: sign in first); a period out of its bounds is refused next to its field with nothing
// saved; saving works, is audited and shows on the page; the server's daily run shows there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, RETENTION_BOUNDS } from '../../src/features/privacy/retention-periods.ts';
import { translator } from '../../src/i18n/index.ts';
import { as, fieldError, stripTags, Visitor } from '../helpers/visitor.ts';

const PAGE = '/admin/retention';
const ACTION = 'retention.savePeriods';
const defaults = Object.fromEntries(Object.entries(DEFAULT_RETENTION).map(([key, value]) => [key, String(value)]));

let admin: Visitor;

/** The value in a period's field. */
function periodValue(html: string, key: string): string | null {
  return new RegExp(`<input[^>]*id="field-${key}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? new RegExp(`<input[^>]*value="([^"]*)"[^>]*id="field-${key}"`).exec(html)?.[1] ?? null;
}

beforeAll(async () => {
  admin = await as('admin');
});
afterAll(async () => {
  // Other test files share this server: leave the periods as they were.
  await admin?.submit(PAGE, ACTION, defaults);
});

describe('/admin/retention', () => {
  it('answers everyone but site admins with 404, for the page and its form alike', async () => {
    const visitor = new Visitor();
    const signedOut = await visitor.get(PAGE);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toMatch(/^\/sign-in\?next=/);
    for (const account of ['resident', 'organiser', 'coordinator'] as const) {
      const person = await as(account);
      expect((await person.get(PAGE)).status, account).toBe(404);
      expect((await person.post(`${PAGE}?_action=${ACTION}`, { ...defaults, auditLogMonths: '1' })).status, account).toBe(404);
    }
    expect(periodValue(await (await admin.get(PAGE)).text(), 'auditLogMonths')).toBe(String(DEFAULT_RETENTION.auditLogMonths));
  });

  it('is linked from the admin page, and shows every period with its unit and bounds', async () => {
    expect(await (await admin.get('/admin')).text()).toContain(`href="${PAGE}"`);
    const response = await admin.get(PAGE);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const [key, value] of Object.entries(DEFAULT_RETENTION)) expect(periodValue(html, key), key).toBe(String(value));
    const text = stripTags(html);
    expect(text).toContain('Nie bestätigte Registrierungen');
    expect(text).toContain(`Erlaubt: ${RETENTION_BOUNDS.unconfirmedSignUpDays.min} bis ${RETENTION_BOUNDS.unconfirmedSignUpDays.max} Tage.`);
  });

  it('refuses a period out of its bounds next to its field, keeping what was typed and saving nothing', async () => {
    const bad = await admin.submit(PAGE, ACTION, { ...defaults, unconfirmedSignUpDays: '0', rsvpNotesDays: 'dreißig', auditLogMonths: '18' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'unconfirmedSignUpDays')).toBe('Bitte eine ganze Zahl von 1 bis 90.');
    expect(fieldError(bad.html, 'rsvpNotesDays')).toBe('Bitte eine ganze Zahl von 1 bis 365.');
    expect(fieldError(bad.html, 'auditLogMonths')).toBeNull();
    expect(stripTags(bad.html)).toContain('Nie bestätigte Registrierungen: Bitte eine ganze Zahl von 1 bis 90.');
    expect(periodValue(bad.html, 'rsvpNotesDays')).toBe('dreißig');
    // Nothing was saved, the valid value neither.
    expect(periodValue(await (await admin.get(PAGE)).text(), 'auditLogMonths')).toBe(String(DEFAULT_RETENTION.auditLogMonths));
  });

  it('saves the periods and says so; the page shows them', async () => {
    const saved = await admin.submit(PAGE, ACTION, { ...defaults, auditLogMonths: '18', rsvpNotesDays: '14' });
    expect(saved.status).toBe(200);
    expect(saved.url).toBe(PAGE);
    expect(stripTags(saved.html)).toContain('Die Fristen sind gespeichert.');
    expect(periodValue(saved.html, 'auditLogMonths')).toBe('18');
    expect(periodValue(saved.html, 'rsvpNotesDays')).toBe('14');
    // The privacy notice tells the periods in force, in every language.
    const notice = stripTags(await (await new Visitor().get('/privacy')).text());
    expect(notice).toContain('Einträge im Sicherheitsprotokoll löschen wir nach 18 Monaten.');
    expect(notice).not.toContain('Einträge im Sicherheitsprotokoll löschen wir nach 12 Monaten.');
    const ar = translator('ar');
    expect(stripTags(await (await new Visitor().get('/ar/privacy')).text())).toContain(stripTags(ar.plural('notice.period.rsvpNotesDays', 14)));
  });

  it('speaks the reader’s language', async () => {
    const bad = await admin.submit('/ar/admin/retention', ACTION, { ...defaults, inactiveAccountMonths: '2' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'inactiveAccountMonths')).toBe('يُرجى إدخال عدد صحيح من 3 إلى 120.');
  });

  it('lists the daily run the server made after it started', async () => {
    let text = '';
    for (let tries = 0; tries < 60 && !text.includes('Täglicher Lauf'); tries++) {
      text = stripTags(await (await admin.get(PAGE)).text());
      if (!text.includes('Täglicher Lauf')) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(text).toContain('Täglicher Lauf');
    expect(text).not.toContain('Noch kein Lauf');
  });
});
