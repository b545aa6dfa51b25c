// The filters of the help requests on /help-wanted, as plain GET parameters of their own (the
// shifts' filters beside them keep theirs): a kind, a language, this week or one day, and
// "fits my profile" for a signed-in volunteer. They narrow the public list, which holds the
// minimum only, so no filter can reveal more than the list already shows. Values that make no
// sense are dropped rather than failing the page.
import { zonedDateInput } from '../../i18n/format.ts';
import type { PublicHelpRequest } from './help-requests.queries.ts';
import { HELP_KINDS, HELP_LANGUAGES, type HelpKind } from './help-requests.schema.ts';
import { mondayOf } from './help-requests.service.ts';
import { fitsRequest, weekdayOf, type HelperCandidate } from './matching.ts';

export interface RequestFilterChoice {
  kind?: HelpKind;
  language?: (typeof HELP_LANGUAGES)[number];
  /** "week": this week (Monday to Sunday, town's calendar); "date": the day in `date`. */
  day?: 'week' | 'date';
  date?: string;
  fits?: true;
}

/** The parameter names, apart from the shifts' ones (kind and language mean something else there). */
export const REQUEST_FILTER_PARAMS = { kind: 'rkind', language: 'rlang', day: 'rday', date: 'rdate', fits: 'fits' } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRequestFilters(params: URLSearchParams): RequestFilterChoice {
  const choice: RequestFilterChoice = {};
  const kind = params.get(REQUEST_FILTER_PARAMS.kind);
  if (kind && (HELP_KINDS as readonly string[]).includes(kind)) choice.kind = kind as HelpKind;
  const language = params.get(REQUEST_FILTER_PARAMS.language);
  if (language && (HELP_LANGUAGES as readonly string[]).includes(language)) choice.language = language as RequestFilterChoice['language'];
  const day = params.get(REQUEST_FILTER_PARAMS.day);
  const date = params.get(REQUEST_FILTER_PARAMS.date) ?? '';
  if (day === 'week') choice.day = 'week';
  else if ((day === 'date' || !day) && DATE.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    choice.day = 'date';
    choice.date = date;
  }
  // A ticked box sends "on"; a shared link may say 1.
  const fits = params.get(REQUEST_FILTER_PARAMS.fits);
  if (fits === 'on' || fits === '1') choice.fits = true;
  return choice;
}

/** The days "2030-05-20" … "2030-05-26" of the week that starts on the Monday. */
function weekDays(monday: string): string[] {
  const start = Date.parse(`${monday}T00:00:00Z`);
  return Array.from({ length: 7 }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** The days a request may happen on, in the town's calendar: its own, or its whole week. */
function daysOf(request: PublicHelpRequest, timeZone: string): string[] {
  if (request.startsAt) return [zonedDateInput(timeZone, request.startsAt)];
  return request.weekOf ? weekDays(request.weekOf) : [];
}

/** The helper the filter "fits my profile" compares with; null when the person offers nothing. */
export type OwnOffer = Omit<HelperCandidate, 'displayName' | 'activeRequests'>;

/** The open requests the choice keeps. "Fits my profile" applies matching's hard rules (the
 * asker is not known to the public list; their own requests are theirs to recognise). */
export function filterRequests(requests: readonly PublicHelpRequest[], choice: RequestFilterChoice, now: Date, timeZone: string, offer: OwnOffer | null): PublicHelpRequest[] {
  const thisWeek = new Set(weekDays(mondayOf(timeZone, now)));
  return requests.filter((r) => {
    if (choice.kind && r.kind !== choice.kind) return false;
    if (choice.language && !r.languages.includes(choice.language)) return false;
    const days = daysOf(r, timeZone);
    if (choice.day === 'week' && !days.some((d) => thisWeek.has(d))) return false;
    if (choice.day === 'date' && choice.date && !days.includes(choice.date)) return false;
    if (choice.fits) {
      if (!offer || offer.helpKinds.length === 0) return false;
      const request = { kind: r.kind, languages: r.languages, weekday: r.startsAt ? weekdayOf(timeZone, r.startsAt) : null, wantsWoman: r.wantsWoman, needsCar: r.needsCar, needsChildSeat: r.needsChildSeat, askerUserId: -1, postedByUserId: null };
      if (!fitsRequest(request, { ...offer, displayName: '', activeRequests: 0 })) return false;
    }
    return true;
  });
}
