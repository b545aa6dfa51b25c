// The certificate of volunteering on the engine under test: only confirmed hours of the one
// issuer asked for, in the town's months (the tests run in Pacific/Auckland), grouped by what
// they were with their totals; who may ask for which issuer; the form's refusals; and the PDF
// read back with pdftotext — German first, an Arabic and a Ukrainian name as they were typed,
// the fonts embedded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import {
  certificateFilename,
  certificateIssuers,
  certificateLines,
  issuerName,
  loadCertificate,
  loadCertificateView,
  parseCertificateRequest,
  TOWN_ISSUER,
  type CertificateData,
} from '../../src/features/hours/certificate.ts';
import { breakLines, paragraphRuns, renderCertificatePdf, visualOrder } from '../../src/features/hours/certificate-pdf.ts';
import { recordByHand, type MonthKey } from '../../src/features/hours/ledger.ts';
import { storeTownDetails } from '../../src/features/privacy/town-details.ts';
import { translator } from '../../src/i18n/index.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeOrganisation, makePerson } from '../helpers/fixtures.ts';

const ZONE = 'Europe/Berlin';
const NOW = new Date('2026-12-08T10:00:00Z');
const CONTEXT = { now: NOW, timeZone: ZONE, townName: 'Altena' };
const ARABIC_NAME = 'محمد الأحمد';
const UKRAINIAN_NAME = 'Олена Коваленко';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let volunteer: SessionUser;
let other: SessionUser;
let organisationId: number;
let slug: string;
let otherOrganisationSlug: string;

async function addHours(userId: number, organisation: number | null, startsAt: string, minutes: number, description: string, options: { confirmed?: boolean; source?: 'meeting' } = {}) {
  const id = await db.transaction().execute((trx) => recordByHand(trx, { userId, organisationId: organisation, startsAt: new Date(startsAt), minutes, description }, userId, NOW));
  // A meeting's entry keeps only a key; the ledger writes those from the meeting itself.
  if (options.source) await db.updateTable('volunteer_hours').set({ source: options.source }).where('id', '=', id).execute();
  if (options.confirmed !== false) await db.updateTable('volunteer_hours').set({ status: 'confirmed', confirmed_at: NOW }).where('id', '=', id).execute();
  return id;
}

const slugOf = async (id: number) => (await db.selectFrom('organisation').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
const request = (issuer: string, from: MonthKey, to: MonthKey) => ({ issuer, from, to });

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  volunteer = await makePerson(db, { name: ARABIC_NAME, locale: 'ar' });
  other = await makePerson(db, { name: UKRAINIAN_NAME, locale: 'uk' });
  organisationId = await makeOrganisation(db);
  await db.updateTable('organisation').set({ name: 'Stellwerk e. V.', contact_phone: '02352 12345', contact_email: 'info@stellwerk.example' }).where('id', '=', organisationId).execute();
  slug = await slugOf(organisationId);
  const otherOrganisation = await makeOrganisation(db);
  otherOrganisationSlug = await slugOf(otherOrganisation);

  // The volunteer at Stellwerk: two evenings at the café, a training, one pending shift.
  await addHours(volunteer.id, organisationId, '2026-03-04T17:00:00Z', 120, 'Sprachcafé – Ausschank');
  await addHours(volunteer.id, organisationId, '2026-05-06T16:00:00Z', 90, 'Sprachcafé – Ausschank');
  await addHours(volunteer.id, organisationId, '2026-07-04T07:00:00Z', 480, 'Schulung Erste Hilfe');
  await addHours(volunteer.id, organisationId, '2026-06-01T07:00:00Z', 300, 'Noch nicht bestätigt', { confirmed: false });
  // 1 March 2026, 00:30 in Altena (still 28 February in UTC; 1 March 12:30 in Auckland).
  await addHours(volunteer.id, organisationId, '2026-02-28T23:30:00Z', 60, 'Nachtcafé');
  // 1 April 2026, 00:30 in Altena (summer time since 29 March): not March.
  await addHours(volunteer.id, organisationId, '2026-03-31T22:30:00Z', 45, 'Nachtcafé');
  // Elsewhere: another organisation (pending only) and the town's Kümmerer scheme.
  await addHours(volunteer.id, otherOrganisation, '2026-04-01T10:00:00Z', 60, 'Anderswo', { confirmed: false });
  await addHours(volunteer.id, null, '2026-04-02T10:00:00Z', 75, 'meeting', { source: 'meeting' });
  await addHours(volunteer.id, null, '2026-04-09T10:00:00Z', 45, 'meeting', { source: 'meeting' });
  // Another person's confirmed hours at the same organisation.
  await addHours(other.id, organisationId, '2026-04-01T10:00:00Z', 600, 'Fremde Stunden');
});
afterAll(() => handle?.close());

describe('what goes on the certificate', () => {
  it('offers only the issuers the person has confirmed hours with', async () => {
    const issuers = await certificateIssuers(db, volunteer.id);
    expect(issuers).toEqual([
      { value: slug, name: 'Stellwerk e. V.' },
      { value: TOWN_ISSUER, name: null },
    ]);
    expect(await certificateIssuers(db, (await makePerson(db)).id)).toEqual([]);
  });

  it('takes confirmed hours only, of that issuer and person, in the town’s months, grouped by what they were', async () => {
    const data = (await loadCertificate(db, volunteer, request(slug, '2026-01', '2026-12'), CONTEXT))!;
    expect(data.volunteerName).toBe(ARABIC_NAME);
    expect(data.issuer).toEqual({ value: slug, name: 'Stellwerk e. V.', phone: '02352 12345', email: 'info@stellwerk.example' });
    expect(data.entries.map((e) => e.description)).toEqual(['Nachtcafé', 'Sprachcafé – Ausschank', 'Nachtcafé', 'Sprachcafé – Ausschank', 'Schulung Erste Hilfe']);
    const lines = certificateLines(translator('de'), data.entries);
    expect(lines.map((l) => [l.what, l.times, l.minutes])).toEqual([
      ['Nachtcafé', 2, 105],
      ['Sprachcafé – Ausschank', 2, 210],
      ['Schulung Erste Hilfe', 1, 480],
    ]);
    expect(lines[1]!.first.toISOString()).toBe('2026-03-04T17:00:00.000Z');
    expect(lines[1]!.last.toISOString()).toBe('2026-05-06T16:00:00.000Z');
    expect(data.entries.reduce((sum, e) => sum + e.minutes, 0)).toBe(795);
  });

  it('counts a month in the town’s zone, whatever zone the server runs in', async () => {
    const march = (await loadCertificate(db, volunteer, request(slug, '2026-03', '2026-03'), CONTEXT))!;
    expect(march.entries.map((e) => [e.description, e.startsAt.toISOString()])).toEqual([
      ['Nachtcafé', '2026-02-28T23:30:00.000Z'],
      ['Sprachcafé – Ausschank', '2026-03-04T17:00:00.000Z'],
    ]);
    const february = await loadCertificate(db, volunteer, request(slug, '2026-02', '2026-02'), CONTEXT);
    expect(february).toBeNull();
    const april = (await loadCertificate(db, volunteer, request(slug, '2026-04', '2026-04'), CONTEXT))!;
    expect(april.entries.map((e) => e.minutes)).toEqual([45]);
  });

  it('gives the town’s schemes in each reader’s words, issued by the town’s controller or, unnamed, the town', async () => {
    const data = (await loadCertificate(db, volunteer, request(TOWN_ISSUER, '2026-04', '2026-04'), CONTEXT))!;
    expect(certificateLines(translator('de'), data.entries).map((l) => [l.what, l.times, l.minutes])).toEqual([['Begleitung als Kümmerer', 2, 120]]);
    expect(certificateLines(translator('ar'), data.entries)[0]!.what).toBe('المرافقة بصفة كومرر');
    expect(data.issuer.name).toBeNull();
    expect(issuerName(translator('de'), data.issuer, 'Altena')).toBe('Stadt Altena');
    await storeTownDetails(db, {
      controller: { controllerName: 'Stadt Altena – Der Bürgermeister', controllerAddress: 'Lüdenscheider Str. 22', controllerEmail: 'info@altena.example', controllerPhone: '02352 2090', dpoName: 'DSB', dpoEmail: 'dsb@altena.example', dpoAddress: '', supervisoryAuthority: '', supervisoryUrl: '', processors: '' } as never,
      legalNotice: null,
      accessibility: null,
    });
    const named = (await loadCertificate(db, volunteer, request(TOWN_ISSUER, '2026-04', '2026-04'), CONTEXT))!;
    expect(named.issuer).toEqual({ value: TOWN_ISSUER, name: 'Stadt Altena – Der Bürgermeister', phone: '02352 2090', email: 'info@altena.example' });
  });

  it('refuses an issuer the person has no confirmed hours with, as if it did not exist', async () => {
    // Pending hours only.
    await expect(loadCertificate(db, volunteer, request(otherOrganisationSlug, '2026-01', '2026-12'), CONTEXT)).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadCertificate(db, volunteer, request('gibt-es-nicht', '2026-01', '2026-12'), CONTEXT)).rejects.toBeInstanceOf(NotFoundError);
    // Someone with no hours of the town's schemes, and nothing at Stellwerk.
    const stranger = await makePerson(db);
    await expect(loadCertificate(db, stranger, request(TOWN_ISSUER, '2026-01', '2026-12'), CONTEXT)).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadCertificateView(db, stranger, new URLSearchParams({ organisation: slug }), CONTEXT)).rejects.toBeInstanceOf(NotFoundError);
    // The other volunteer at Stellwerk gets their own hours, never the first one's.
    const theirs = (await loadCertificate(db, other, request(slug, '2026-01', '2026-12'), CONTEXT))!;
    expect(theirs.volunteerName).toBe(UKRAINIAN_NAME);
    expect(theirs.entries.map((e) => e.minutes)).toEqual([600]);
  });
});

describe('the certificate form', () => {
  const parse = (query: Record<string, string>, now = NOW) => parseCertificateRequest(new URLSearchParams(query), { now, timeZone: ZONE });

  it('asks nothing without parameters, and offers the last twelve months of the town', () => {
    const empty = parse({});
    expect(empty.asked).toBe(false);
    expect(empty.form.values).toEqual({ organisation: '', from: '2026-01', to: '2026-12' });
    // New Year's night in Altena is already 1 January: the twelve months end with January.
    expect(parse({}, new Date('2026-12-31T23:30:00Z')).form.values).toMatchObject({ from: '2026-02', to: '2027-01' });
  });

  it('says what is wrong next to each field', () => {
    expect(parse({ organisation: slug, from: '2026-13', to: 'bald' }).form.errors).toEqual({ from: 'hoursCertificate.error.month', to: 'hoursCertificate.error.month' });
    expect(parse({ organisation: slug, from: '2026-05', to: '2026-04' }).form.errors).toEqual({ to: 'hoursCertificate.error.order' });
    expect(parse({ organisation: slug, from: '2000-01', to: '2026-04' }).form.errors).toEqual({ from: 'hoursCertificate.error.tooLong' });
    expect(parse({ organisation: '', from: '2026-01' }).form.errors).toEqual({ organisation: 'hoursCertificate.error.organisation' });
    expect(parse({ organisation: slug, from: '', to: '' })).toMatchObject({ ok: true, request: { issuer: slug, from: '2026-01', to: '2026-12' } });
    for (const key of ['hoursCertificate.error.month', 'hoursCertificate.error.order', 'hoursCertificate.error.tooLong', 'hoursCertificate.error.organisation', 'hoursCertificate.error.empty']) {
      for (const locale of ['de', 'en', 'ar', 'uk', 'tr', 'fa'] as const) expect(translator(locale).has(key), `${locale} ${key}`).toBe(true);
    }
  });

  it('says so next to the months when they hold no confirmed hours', async () => {
    const view = await loadCertificateView(db, volunteer, new URLSearchParams({ organisation: slug, from: '2025-01', to: '2025-12' }), CONTEXT);
    expect(view.certificate).toBeNull();
    expect(view.form.errors).toEqual({ from: 'hoursCertificate.error.empty' });
  });
});

describe('lines of mixed direction', () => {
  const measure = (text: string) => text.length;
  const drawn = (text: string, direction: 'ltr' | 'rtl') => visualOrder(breakLines(paragraphRuns(text, direction, measure), 1000)[0]!).map((run) => run.text);

  it('keeps an Arabic name in its order inside German, and numbers left to right inside Arabic', () => {
    // Drawn from the left: inside the name (and in Arabic) the last word first; a number keeps
    // its digits in order.
    expect(drawn(`dass ${ARABIC_NAME} sich`, 'ltr')).toEqual(['dass', ' ', 'الأحمد', ' ', 'محمد', ' ', 'sich']);
    expect(drawn('المجموع 12.5 ساعة', 'rtl')).toEqual(['ساعة', ' ', '12.5', ' ', 'المجموع']);
    expect(drawn('المجموع ١٢٫٥ ساعة', 'rtl')).toEqual(['ساعة', ' ', '١٢٫٥', ' ', 'المجموع']);
    // Isolates steer the order and are never drawn.
    expect(drawn('عن \u2068Stellwerk e. V.\u2069', 'rtl')).toEqual(['Stellwerk', ' ', 'e.', ' ', 'V.', ' ', 'عن']);
  });

  it('breaks long lines at spaces', () => {
    const lines = breakLines(paragraphRuns('eins zwei drei vier', 'ltr', measure), 9);
    expect(lines.map((line) => line.map((run) => run.text).join(''))).toEqual(['eins zwei', 'drei vier']);
  });
});

describe('the PDF', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'certificate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The text pdftotext reads, without the direction marks it puts around right-to-left
   * lines, in NFKC (so that presentation forms would count as the letters they are). */
  function readPdf(pdf: Buffer, name: string, pages?: { first: number; last: number }): string {
    const file = path.join(dir, name);
    writeFileSync(file, pdf);
    const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
    return execFileSync('pdftotext', [...range, file, '-'], { encoding: 'utf8' })
      .replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '')
      .normalize('NFKC');
  }

  async function certificate(name: string): Promise<CertificateData> {
    const data = (await loadCertificate(db, volunteer, request(slug, '2026-01', '2026-12'), CONTEXT))!;
    return { ...data, volunteerName: name };
  }

  it('prints the German certificate with the organisation, the name and the hours, then the Arabic one, with its fonts embedded', async () => {
    const data = await certificate(ARABIC_NAME);
    const pdf = await renderCertificatePdf(data, { pageLocale: 'ar', timeZone: ZONE });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(dir, 'ar.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Pages:\s+2$/m);
    expect(info).toMatch(/^Title:\s+Nachweis über ehrenamtliches Engagement – محمد الأحمد$/m);
    expect(info).toMatch(/^Author:\s+Stellwerk e\. V\.$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);

    const german = readPdf(pdf, 'ar.pdf', { first: 1, last: 1 });
    expect(german).toContain('Nachweis über ehrenamtliches Engagement');
    expect(german).toContain('Stellwerk e. V.');
    expect(german).toContain(ARABIC_NAME.normalize('NFKC'));
    expect(german).toContain('Januar–Dezember 2026');
    expect(german).toContain('Sprachcafé – Ausschank');
    expect(german).toContain('Insgesamt 13,25 Stunden ehrenamtliches Engagement.');
    expect(german).toContain('Altena, 08.12.2026');
    expect(german).toContain('Für Stellwerk e. V.');
    expect(german).not.toContain('Noch nicht bestätigt');
    expect(german).not.toContain('Fremde Stunden');
    expect(german).not.toContain('شهادة');

    const arabic = readPdf(pdf, 'ar.pdf', { first: 2, last: 2 });
    expect(arabic).toContain('شهادة عمل تطوعي');
    expect(arabic).toContain(ARABIC_NAME);
    expect(arabic).toContain('ترجمة للشهادة الألمانية');
    expect(arabic).toContain('13.25');

    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThanOrEqual(3);
    for (const font of fonts) expect(font, font).toMatch(/\+(NotoSans|Vazirmatn)-\S+\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts.some((font) => font.includes('Vazirmatn'))).toBe(true);
  });

  it('prints a Ukrainian name, German alone for a German reader', async () => {
    const pdf = await renderCertificatePdf(await certificate(UKRAINIAN_NAME), { pageLocale: 'de', timeZone: ZONE });
    const text = readPdf(pdf, 'de.pdf');
    expect(text).toContain(`dass ${UKRAINIAN_NAME} sich`);
    expect(execFileSync('pdfinfo', [path.join(dir, 'de.pdf')], { encoding: 'utf8' })).toMatch(/^Pages:\s+1$/m);
  });

  it('prints Persian and Ukrainian translations on the second page', async () => {
    const persian = readPdf(await renderCertificatePdf(await certificate('فاطمه رضایی'), { pageLocale: 'fa', timeZone: ZONE }), 'fa.pdf', { first: 2, last: 2 });
    expect(persian).toContain('گواهی فعالیت داوطلبانه');
    expect(persian).toContain('فاطمه رضایی');
    const ukrainian = readPdf(await renderCertificatePdf(await certificate(UKRAINIAN_NAME), { pageLocale: 'uk', timeZone: ZONE }), 'uk.pdf', { first: 2, last: 2 });
    expect(ukrainian).toContain('Довідка про волонтерську діяльність');
    expect(ukrainian).toContain(UKRAINIAN_NAME);
  });

  it('names the file in ASCII after the issuer and the months', async () => {
    expect(certificateFilename(await certificate(ARABIC_NAME))).toBe(`Engagementnachweis-${slug}-2026-01-bis-2026-12.pdf`);
  });
});
