// What the printable programme (/programme) shows: the coming activities of a week or a month
// that match the browse filters, day by day, each in the sheet's language (and in German beside
// it when asked), with the marks a newcomer looks for and a QR code to its page. It reads with
// the browse page's own query (listPublishedActivities), once per language of the sheet.
import type { Kysely } from 'kysely';
import type { ActivityCategory, Database, Locale } from '../../db/schema.ts';
import { languageName, zonedTimeToInstant } from '../../i18n/format.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import { localePath } from '../../i18n/locales.ts';
import { qrCodeSvg } from '../../lib/qr.ts';
import { countPublishedActivities, listPublishedActivities, needsNoGerman, type ActivityListItem } from '../activities/activities.queries.ts';
import { browseFilterParams, parseBrowseFilters, type BrowseFilters } from '../activities/browse-filters.ts';
import { programmePeriod, zonedDay, type ProgrammePeriod } from './period.ts';
import { parseProgrammeChoice, type ProgrammeChoice } from './programme.schema.ts';

/**
 * At most this many activities on one programme. A week of a busy town fits; a month of a large
 * one (the benchmark's town has 10,000 activities) would be a hundred pages nobody pins up, so
 * the sheet says how many there are and asks for a shorter period or a filter.
 */
export const MAX_PROGRAMME_ENTRIES = 150;

/** What a newcomer looks for at a glance, each printed as a pictogram with its word. */
export const PROGRAMME_MARKS = ['noGermanNeeded', 'childcare', 'wheelchair', 'free'] as const;
export type ProgrammeMark = (typeof PROGRAMME_MARKS)[number];

export interface ProgrammeEntry {
  id: number;
  category: ActivityCategory;
  startsAt: Date;
  endsAt: Date;
  /** The title in each language of the sheet (a translation, or the original with its language). */
  titles: Partial<Record<Locale, { text: string; lang: Locale }>>;
  placeName: string | null;
  address: string | null;
  online: boolean;
  organisationName: string;
  /** Languages spoken there (ISO 639-1). */
  languages: string[];
  /** What it costs as the organiser wrote it; null when free. */
  cost: string | null;
  marks: ProgrammeMark[];
  /** The activity's page, absolute, in the sheet's language. */
  url: string;
  /** Its QR code (an <svg>, see src/lib/qr.ts). */
  qr: string;
}

export interface ProgrammeDay {
  /** "2026-12-14" in the town's zone. */
  day: string;
  /** Noon of that day, for formatting it. */
  noon: Date;
  entries: ProgrammeEntry[];
}

export interface Programme {
  period: ProgrammePeriod;
  /** The sheet's languages: the chosen one, then German when it stands beside it. */
  languages: Locale[];
  days: ProgrammeDay[];
  /** How many activities match in the period (more than are shown when `truncated`). */
  total: number;
  truncated: boolean;
  /** The same selection online (the browse page with these dates and filters), and its QR code. */
  listUrl: string;
  listQr: string;
}

export interface ProgrammeView {
  /** The form's values (the first day as typed when it is wrong) and the message key of a
   * wrong field. */
  form: { values: ProgrammeChoice; errors: Record<string, string> };
  /** The browse filters (without the browse page's own dates: the period replaces them). */
  filters: BrowseFilters;
  /** The name of the organisation the filters ask for, when there is one by that address. */
  organisationName: string | null;
  /** What was chosen; null while the form has an error. */
  choice: ProgrammeChoice | null;
  programme: Programme | null;
}

export interface ProgrammeRequest {
  params: URLSearchParams;
  /** The page's language: the sheet's unless another is chosen. */
  pageLocale: Locale;
  now: Date;
  timeZone: string;
  /** The portal's public address (PUBLIC_URL), for the QR codes. */
  baseUrl: string;
}

/** The browse filters the programme takes: all but the browse page's own time window. */
export function programmeFilters(params: URLSearchParams): BrowseFilters {
  const { when: _when, from: _from, to: _to, ...filters } = parseBrowseFilters(params);
  return filters;
}

/**
 * The filters in words, for the sheet's "Selection:" line, so that whoever reads a notice
 * knows it is not everything: the topic, the language spoken, the level, the audience, the
 * organiser, the marks asked for and a search word.
 */
export function selectionWords(t: Translator, filters: BrowseFilters, organisationName: string | null): string[] {
  const words: string[] = [];
  if (filters.category) words.push(t(`category.${filters.category}`));
  if (filters.language) words.push(`${t('activity.languagesSpoken')}: ${languageName(t.locale, filters.language)}`);
  if (filters.germanLevel) words.push(`${t('browse.germanLevel')}: ${filters.germanLevel}`);
  if (filters.audience) words.push(t(`activity.audience.${filters.audience}` as TextKey));
  if (filters.organisation) words.push(organisationName ?? filters.organisation);
  if (filters.noGermanNeeded) words.push(t('activity.noGermanNeeded'));
  if (filters.childcare) words.push(t('activity.childcare'));
  if (filters.wheelchair) words.push(t('activity.wheelchair'));
  if (filters.free) words.push(t('activity.free'));
  if (filters.text) words.push(t('paper.programme.search', { text: filters.text }));
  return words;
}

/** The marks of an activity, in the order the sheet prints them. */
export function programmeMarks(activity: Pick<ActivityListItem, 'germanLevel' | 'languages' | 'childcare' | 'wheelchairAccessible' | 'cost'>): ProgrammeMark[] {
  const marks: ProgrammeMark[] = [];
  if (needsNoGerman(activity)) marks.push('noGermanNeeded');
  if (activity.childcare) marks.push('childcare');
  if (activity.wheelchairAccessible) marks.push('wheelchair');
  if (activity.cost === null) marks.push('free');
  return marks;
}

export async function loadProgramme(db: Kysely<Database>, request: ProgrammeRequest): Promise<ProgrammeView> {
  const { params, pageLocale, now, timeZone, baseUrl } = request;
  const filters = programmeFilters(params);
  const organisationName = filters.organisation
    ? ((await db.selectFrom('organisation').select('name').where('slug', '=', filters.organisation).executeTakeFirst())?.name ?? null)
    : null;
  const context = { today: zonedDay(timeZone, now), pageLocale };
  const parsed = parseProgrammeChoice(params, context);
  if (!parsed.ok) {
    // Only the first day can be wrong: the other choices are shown as they were understood.
    const others = new URLSearchParams(params);
    others.delete('start');
    const understood = parseProgrammeChoice(others, context);
    const values = { ...(understood.ok ? understood.choice : { span: 'week' as const, language: pageLocale, bilingual: false }), start: params.get('start') ?? '' };
    return { form: { values, errors: parsed.errors }, filters, organisationName, choice: null, programme: null };
  }
  const choice = parsed.choice;
  const period = programmePeriod(choice.start, choice.span, timeZone);
  const languages: Locale[] = choice.bilingual && choice.language !== 'de' ? [choice.language, 'de'] : [choice.language];
  // What has begun and not yet ended still counts, as on the browse page.
  const window = { from: new Date(Math.max(now.getTime(), period.from.getTime())), to: period.to, filters };
  const lists = await Promise.all(languages.map((locale) => listPublishedActivities(db, { locale, ...window, limit: MAX_PROGRAMME_ENTRIES + 1 })));
  const [rows = [], ...others] = lists;
  const truncated = rows.length > MAX_PROGRAMME_ENTRIES;
  const shown = rows.slice(0, MAX_PROGRAMME_ENTRIES);
  const total = truncated ? await countPublishedActivities(db, window) : shown.length;
  // The other language's list was read separately: an activity published in between is
  // simply shown in the first language only.
  const otherTitles = others.map((list) => new Map(list.map((row) => [row.id, row])));
  const sheetLocale = languages[0]!;
  const pageUrl = (path: string) => `${baseUrl}${localePath(sheetLocale, path)}`;

  const entries = await Promise.all(
    shown.map(async (row): Promise<ProgrammeEntry> => {
      const titles: ProgrammeEntry['titles'] = { [sheetLocale]: { text: row.title, lang: row.titleLocale } };
      languages.slice(1).forEach((locale, i) => {
        const other = otherTitles[i]!.get(row.id) ?? row;
        titles[locale] = { text: other.title, lang: other.titleLocale };
      });
      const url = pageUrl(`/activities/${row.id}`);
      return {
        id: row.id,
        category: row.category,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        titles,
        placeName: row.placeName,
        address: row.address,
        online: row.online,
        organisationName: row.organisationName,
        languages: row.languages,
        cost: row.cost,
        marks: programmeMarks(row),
        url,
        qr: await qrCodeSvg(url),
      };
    }),
  );

  // Day by day; something that began before the period (a course over several days) opens it.
  const days: ProgrammeDay[] = [];
  for (const entry of entries) {
    const day = entry.startsAt < period.from ? period.first : zonedDay(timeZone, entry.startsAt);
    let current = days.at(-1);
    if (current?.day !== day) {
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      current = { day, noon: zonedTimeToInstant(timeZone, y, m, d, 12), entries: [] };
      days.push(current);
    }
    current.entries.push(entry);
  }

  const listParams = browseFilterParams({ ...filters, when: 'dates', from: period.first, to: period.last });
  const listUrl = `${pageUrl('/activities')}?${listParams}`;
  return {
    form: { values: choice, errors: {} },
    filters,
    organisationName,
    choice,
    programme: { period, languages, days, total, truncated, listUrl, listQr: await qrCodeSvg(listUrl) },
  };
}
