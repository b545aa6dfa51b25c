// What goes on a certificate of volunteering (Engagementnachweis): for the signed-in volunteer,
// one organisation (or the town's own schemes) and a span of the town's calendar months, the
// CONFIRMED hours only — pending hours are the volunteer's word, not the organisation's —
// grouped by what they were, with how often, how long, first and last date, and the total;
// the volunteer's name, the issuer's name and contact, place and date of issue.
// Only issuers the person has confirmed hours with are offered; any other (a slug of an
// organisation they never served, a made-up one) is NotFoundError, as for any object that is
// not theirs. The printable page and the PDF (certificate-pdf.ts) both read from here.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HoursSource } from '../../db/schema-hours.ts';
import type { Translator } from '../../i18n/index.ts';
import type { Locale } from '../../i18n/locales.ts';
import { zonedTimeToInstant } from '../../i18n/format.ts';
import { NotFoundError } from '../access/access.ts';
import { loadTownDetails } from '../privacy/town-details.ts';
import { describeHours } from './describe.ts';
import { TOWN_SCOPE } from './hours.access.ts';
import { isMonthKey, monthOf, monthSpan, shiftMonth, type MonthKey } from './ledger.ts';

/** The `organisation` parameter for the town's own schemes (Kümmerer, neighbourly help): the
 * same word as on the keepers' pages, which no organisation's slug can be. */
export const TOWN_ISSUER = TOWN_SCOPE;

/** The default span: the last twelve months, the current one included. */
export const DEFAULT_MONTHS = 12;

/** A certificate over more than ten years was typed wrong. */
export const MAX_MONTHS = 120;

/** One issuer the person can ask for a certificate from. */
export interface CertificateIssuerChoice {
  /** The organisation's slug, or TOWN_ISSUER. */
  value: string;
  /** The organisation's name; null for the town's schemes (named in the reader's language). */
  name: string | null;
}

/** The issuers the person has confirmed hours with, organisations by name, the town's last. */
export async function certificateIssuers(db: Kysely<Database>, userId: number): Promise<CertificateIssuerChoice[]> {
  const rows = await db
    .selectFrom('volunteer_hours')
    .leftJoin('organisation', 'organisation.id', 'volunteer_hours.organisation_id')
    .select(['organisation.slug', 'organisation.name'])
    .where('volunteer_hours.user_id', '=', userId)
    .where('volunteer_hours.status', '=', 'confirmed')
    .groupBy(['organisation.slug', 'organisation.name'])
    .execute();
  const organisations = rows
    .filter((row): row is { slug: string; name: string } => row.slug !== null && row.name !== null)
    .map((row) => ({ value: row.slug, name: row.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'de'));
  const town = rows.some((row) => row.slug === null) ? [{ value: TOWN_ISSUER, name: null }] : [];
  return [...organisations, ...town];
}

export interface CertificateRequest {
  /** An organisation's slug or TOWN_ISSUER. */
  issuer: string;
  from: MonthKey;
  to: MonthKey;
}

/** The form's fields as typed (to show them again) and the message key of each wrong one. */
export interface CertificateForm {
  values: { organisation: string; from: string; to: string };
  errors: Record<string, string>;
}

/** The default months: the last twelve up to the current one, in the town's calendar. */
export function defaultCertificateMonths(now: Date, timeZone: string): { from: MonthKey; to: MonthKey } {
  const to = monthOf(timeZone, now);
  return { from: shiftMonth(to, -(DEFAULT_MONTHS - 1)), to };
}

/** How many months from `from` to `to`, both counted. */
function monthsBetween(from: MonthKey, to: MonthKey): number {
  const index = (m: MonthKey) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return index(to) - index(from) + 1;
}

/**
 * The request in the query string (?organisation=<slug|town>&from=YYYY-MM&to=YYYY-MM). No
 * parameters at all: nothing asked yet (the page shows the form). Empty months mean the
 * default span; anything else that is not a month is an error next to its field.
 */
export function parseCertificateRequest(
  params: URLSearchParams,
  context: { now: Date; timeZone: string },
): { asked: false; form: CertificateForm } | { asked: true; ok: true; request: CertificateRequest; form: CertificateForm } | { asked: true; ok: false; form: CertificateForm } {
  const defaults = defaultCertificateMonths(context.now, context.timeZone);
  const typed = (name: string) => (params.get(name) ?? '').trim().slice(0, 40);
  const values = { organisation: typed('organisation'), from: typed('from') || defaults.from, to: typed('to') || defaults.to };
  const form: CertificateForm = { values, errors: {} };
  if (!params.has('organisation') && !params.has('from') && !params.has('to')) return { asked: false, form };
  if (!/^[a-z0-9-]{1,80}$/.test(values.organisation)) form.errors.organisation = 'hoursCertificate.error.organisation';
  if (!isMonthKey(values.from)) form.errors.from = 'hoursCertificate.error.month';
  if (!isMonthKey(values.to)) form.errors.to = 'hoursCertificate.error.month';
  if (isMonthKey(values.from) && isMonthKey(values.to)) {
    const months = monthsBetween(values.from, values.to);
    if (months < 1) form.errors.to = 'hoursCertificate.error.order';
    else if (months > MAX_MONTHS) form.errors.from = 'hoursCertificate.error.tooLong';
  }
  if (Object.keys(form.errors).length > 0) return { asked: true, ok: false, form };
  return { asked: true, ok: true, form, request: { issuer: values.organisation, from: values.from as MonthKey, to: values.to as MonthKey } };
}

/** One confirmed entry as the certificate needs it. */
export interface CertificateEntry {
  source: HoursSource;
  description: string;
  startsAt: Date;
  minutes: number;
}

/** Who issues the certificate. */
export interface CertificateIssuer {
  /** The organisation's slug, or TOWN_ISSUER. */
  value: string;
  /** The organisation's name, or the town's controller as entered under /admin/town; null for
   * the town when nobody entered it (then the reader's words for the town stand in). */
  name: string | null;
  phone: string | null;
  email: string | null;
}

/** Everything a certificate says, before it is put into words in one language. */
export interface CertificateData {
  volunteerName: string;
  issuer: CertificateIssuer;
  from: MonthKey;
  to: MonthKey;
  /** Oldest first. */
  entries: CertificateEntry[];
  /** Place of issue (the town) and date of issue. */
  place: string;
  issuedAt: Date;
}

/**
 * The certificate the volunteer asked for: NotFoundError for an issuer they have no confirmed
 * hours with (whatever the period); null when they have some, but none in these months.
 */
export async function loadCertificate(
  db: Kysely<Database>,
  volunteer: { id: number },
  request: CertificateRequest,
  context: { now: Date; timeZone: string; townName: string },
): Promise<CertificateData | null> {
  const issuer = await loadIssuer(db, volunteer.id, request.issuer);
  const span = { from: monthSpan(context.timeZone, request.from).from, to: monthSpan(context.timeZone, request.to).to };
  let query = db
    .selectFrom('volunteer_hours')
    .select(['source', 'description', 'starts_at', 'minutes'])
    .where('user_id', '=', volunteer.id)
    .where('status', '=', 'confirmed')
    .where('starts_at', '>=', span.from)
    .where('starts_at', '<', span.to);
  query = issuer.organisationId === null ? query.where('organisation_id', 'is', null) : query.where('organisation_id', '=', issuer.organisationId);
  const [rows, person] = await Promise.all([
    query.orderBy('starts_at').orderBy('id').execute(),
    db.selectFrom('app_user').select('display_name').where('id', '=', volunteer.id).executeTakeFirstOrThrow(),
  ]);
  if (rows.length === 0) return null;
  return {
    volunteerName: person.display_name,
    issuer: issuer.issuer,
    from: request.from,
    to: request.to,
    entries: rows.map((row) => ({ source: row.source, description: row.description, startsAt: new Date(row.starts_at), minutes: row.minutes })),
    place: context.townName,
    issuedAt: context.now,
  };
}

async function loadIssuer(db: Kysely<Database>, userId: number, value: string): Promise<{ organisationId: number | null; issuer: CertificateIssuer }> {
  if (value === TOWN_ISSUER) {
    const served = await db.selectFrom('volunteer_hours').select('id').where('user_id', '=', userId).where('status', '=', 'confirmed').where('organisation_id', 'is', null).executeTakeFirst();
    if (!served) throw new NotFoundError('no confirmed hours with the town');
    const { controller } = await loadTownDetails(db);
    return {
      organisationId: null,
      issuer: { value, name: controller?.controllerName ?? null, phone: controller?.controllerPhone || null, email: controller?.controllerEmail || null },
    };
  }
  const organisation = await db
    .selectFrom('organisation')
    .select(['id', 'slug', 'name', 'contact_phone', 'contact_email'])
    .where('slug', '=', value)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('volunteer_hours')
          .select('volunteer_hours.id')
          .whereRef('volunteer_hours.organisation_id', '=', 'organisation.id')
          .where('volunteer_hours.user_id', '=', userId)
          .where('volunteer_hours.status', '=', 'confirmed'),
      ),
    )
    .executeTakeFirst();
  if (!organisation) throw new NotFoundError('no confirmed hours with this organisation');
  return {
    organisationId: organisation.id,
    issuer: { value: organisation.slug, name: organisation.name, phone: organisation.contact_phone || null, email: organisation.contact_email || null },
  };
}

/** One line of the certificate: one kind of engagement. */
export interface CertificateLine {
  what: string;
  times: number;
  minutes: number;
  first: Date;
  last: Date;
}

/** The certificate in one reader's words. */
export interface CertificateText {
  locale: Locale;
  title: string;
  issuerName: string;
  lines: CertificateLine[];
  totalMinutes: number;
}

/**
 * The entries grouped by what they were, in the reader's words (describeHours: a meeting or a
 * help request reads in each language, never naming the newcomer). Lines in the order they
 * began, so the certificate reads as a history.
 */
export function certificateLines(t: Translator, entries: readonly CertificateEntry[]): CertificateLine[] {
  const lines = new Map<string, CertificateLine>();
  for (const entry of entries) {
    const what = describeHours(t, entry);
    const line = lines.get(what);
    if (!line) {
      lines.set(what, { what, times: 1, minutes: entry.minutes, first: entry.startsAt, last: entry.startsAt });
      continue;
    }
    line.times += 1;
    line.minutes += entry.minutes;
    if (entry.startsAt < line.first) line.first = entry.startsAt;
    if (entry.startsAt > line.last) line.last = entry.startsAt;
  }
  return [...lines.values()].sort((a, b) => a.first.getTime() - b.first.getTime());
}

/** The issuer as the reader names it: the organisation, or the town's controller, or the
 * reader's words for the town's schemes when nobody entered the controller. */
export function issuerName(t: Translator, issuer: CertificateIssuer, townName: string): string {
  return issuer.name ?? t('hoursCertificate.townIssuer', { town: townName });
}

/** The languages the certificate is given in: German first (it is the one that counts), then
 * the reader's own when that is another. */
export function certificateLocales(pageLocale: Locale): Locale[] {
  return pageLocale === 'de' ? ['de'] : ['de', pageLocale];
}

/** Hours from minutes as the language writes them, to a quarter of an hour at most two
 * decimals ("12,5", "12.25", "١٢٫٥"). */
export function formatHours(locale: Locale, minutes: number): string {
  let format = hourFormats.get(locale);
  if (!format) hourFormats.set(locale, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  return format.format(Math.round((minutes / 60) * 100) / 100);
}
const hourFormats = new Map<Locale, Intl.NumberFormat>();

/** A day in short ("12.03.2026"), in the town's zone. */
export function formatCertificateDay(locale: Locale, timeZone: string, date: Date): string {
  const key = `${locale}|${timeZone}`;
  let format = dayFormats.get(key);
  if (!format) dayFormats.set(key, (format = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone })));
  return format.format(date);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The months as words ("März 2026 – Februar 2027", "Mai 2026" for one month). */
export function formatCertificateMonths(locale: Locale, timeZone: string, from: MonthKey, to: MonthKey): string {
  // The middle of each month: the same month whatever the zone does at its edges.
  const middle = (month: MonthKey) => zonedTimeToInstant(timeZone, Number(month.slice(0, 4)), Number(month.slice(5, 7)), 15, 12);
  const key = `${locale}|${timeZone}`;
  let format = monthFormats.get(key);
  if (!format) monthFormats.set(key, (format = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone })));
  return from === to ? format.format(middle(from)) : format.formatRange(middle(from), middle(to));
}
const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** The file name of the PDF: ASCII only, so every browser and mail program keeps it. */
export function certificateFilename(data: Pick<CertificateData, 'issuer' | 'from' | 'to'>): string {
  return `Engagementnachweis-${data.issuer.value}-${data.from}-bis-${data.to}.pdf`;
}

/** What the certificate page (and its PDF) shows. */
export interface CertificateView {
  /** The issuers offered in the form. */
  issuers: CertificateIssuerChoice[];
  form: CertificateForm;
  /** The certificate asked for; null while nothing was asked or the form has an error. */
  certificate: CertificateData | null;
}

/**
 * The page's view from its query string. An issuer the person has no confirmed hours with is
 * NotFoundError (404), before anything else is looked at; wrong months, or months without
 * confirmed hours, are messages next to their fields (400).
 */
export async function loadCertificateView(
  db: Kysely<Database>,
  volunteer: { id: number },
  params: URLSearchParams,
  context: { now: Date; timeZone: string; townName: string },
): Promise<CertificateView> {
  const issuers = await certificateIssuers(db, volunteer.id);
  const parsed = parseCertificateRequest(params, context);
  const { form } = parsed;
  if (parsed.asked && form.values.organisation !== '' && !issuers.some((issuer) => issuer.value === form.values.organisation)) {
    throw new NotFoundError('no confirmed hours with this issuer');
  }
  if (!parsed.asked || !parsed.ok) return { issuers, form, certificate: null };
  const certificate = await loadCertificate(db, volunteer, parsed.request, context);
  if (!certificate) form.errors.from = 'hoursCertificate.error.empty';
  return { issuers, form, certificate };
}
