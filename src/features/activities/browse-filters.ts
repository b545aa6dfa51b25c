// The browse page's filters, as plain GET parameters so that every filtered list is a link a
// person can share (and, with the feeds, subscribe to). Values that make no sense — a typo in
// a shared link — are dropped rather than failing the page.
import { ACTIVITY_CATEGORIES, AUDIENCES, GERMAN_LEVELS, type ActivityCategory } from '../../db/schema.ts';
import { startOfZonedDay, zonedTimeToInstant } from '../../i18n/format.ts';
import { cleanLine } from '../../lib/form-schema.ts';

export const WHEN_CHOICES = ['today', 'week', 'dates'] as const;
export type WhenChoice = (typeof WHEN_CHOICES)[number];

export interface BrowseFilters {
  category?: ActivityCategory;
  when?: WhenChoice;
  /** Calendar dates in the town's zone, YYYY-MM-DD, for when = 'dates'. */
  from?: string;
  to?: string;
  /** A language spoken at the activity (ISO 639-1). */
  language?: string;
  germanLevel?: (typeof GERMAN_LEVELS)[number];
  /** Somebody there speaks another language than German, and no German level is asked. */
  noGermanNeeded?: boolean;
  audience?: (typeof AUDIENCES)[number];
  childcare?: boolean;
  wheelchair?: boolean;
  free?: boolean;
  organisation?: string;
  text?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
const flag = (value: string | null) => (value === '1' || value === 'on' || value === 'true' ? true : undefined);

function validDate(value: string | null): string | undefined {
  if (!value || !DATE.test(value)) return undefined;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? value : undefined;
}

export function parseBrowseFilters(params: URLSearchParams): BrowseFilters {
  const filters: BrowseFilters = {};
  const set = <K extends keyof BrowseFilters>(key: K, value: BrowseFilters[K] | undefined) => {
    if (value !== undefined) filters[key] = value;
  };
  set('category', pick(params.get('category'), ACTIVITY_CATEGORIES));
  set('when', pick(params.get('when'), WHEN_CHOICES));
  let from = validDate(params.get('from'));
  let to = validDate(params.get('to'));
  if (from && to && from > to) [from, to] = [to, from];
  if (filters.when === 'dates' || (!filters.when && (from || to))) {
    filters.when = 'dates';
    set('from', from);
    set('to', to);
  }
  const language = params.get('language')?.toLowerCase() ?? null;
  set('language', language && /^[a-z]{2,3}$/.test(language) ? language : undefined);
  set('germanLevel', pick(params.get('level'), GERMAN_LEVELS));
  set('noGermanNeeded', flag(params.get('noGerman')));
  set('audience', pick(params.get('audience'), AUDIENCES));
  set('childcare', flag(params.get('childcare')));
  set('wheelchair', flag(params.get('wheelchair')));
  set('free', flag(params.get('free')));
  const organisation = params.get('organisation');
  set('organisation', organisation && /^[a-z0-9-]{1,60}$/.test(organisation) ? organisation : undefined);
  // Searched as typed, without what no keyboard types (a NUL ended in a database error).
  const text = cleanLine(params.get('q') ?? '').trim().slice(0, 100);
  set('text', text || undefined);
  return filters;
}

/** The same filters as GET parameters (for pagination, "remove this filter", feeds). */
export function browseFilterParams(filters: BrowseFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.category) params.set('category', filters.category);
  if (filters.when) params.set('when', filters.when);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.language) params.set('language', filters.language);
  if (filters.germanLevel) params.set('level', filters.germanLevel);
  if (filters.noGermanNeeded) params.set('noGerman', '1');
  if (filters.audience) params.set('audience', filters.audience);
  if (filters.childcare) params.set('childcare', '1');
  if (filters.wheelchair) params.set('wheelchair', '1');
  if (filters.free) params.set('free', '1');
  if (filters.organisation) params.set('organisation', filters.organisation);
  if (filters.text) params.set('q', filters.text);
  return params;
}

export function hasFilters(filters: BrowseFilters): boolean {
  return Object.keys(filters).length > 0;
}

/** The time window the filters ask for, as instants: from "now" (or the start of the first
 * day) to the end of the last day in the town's zone; no end means "any time ahead". */
export function browseWindow(filters: BrowseFilters, now: Date, timeZone: string): { from: Date; to?: Date } {
  if (filters.when === 'today') return { from: now, to: startOfZonedDay(timeZone, now, 1) };
  if (filters.when === 'week') return { from: now, to: startOfZonedDay(timeZone, now, 7) };
  if (filters.when === 'dates') {
    const day = (value: string, plus: number) => {
      const [y, m, d] = value.split('-').map(Number) as [number, number, number];
      return zonedTimeToInstant(timeZone, y, m, d + plus);
    };
    const from = filters.from ? new Date(Math.max(now.getTime(), day(filters.from, 0).getTime())) : now;
    return filters.to ? { from, to: day(filters.to, 1) } : { from };
  }
  return { from: now };
}
