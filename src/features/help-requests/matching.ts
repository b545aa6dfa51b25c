// Which helpers fit a help request, best first — a pure function, like the Kümmerer matching
// (mentoring/matching.ts), so the rule can be read and tested on its own.
// Hard rules (a helper who breaks one is not suggested at all): offers the request's kind;
// speaks at least one language the request asks for; has a car if it needs one, a child seat
// if it needs one; helps as a woman if a woman is wished for; is not the asker nor the person
// who posted it; and, when the request has a set time and the helper named days, is usually
// free on that weekday (no days named = any day). Order: more shared languages, then a named
// day that fits before "any day", then fewer requests currently held (spread the load), then
// the lower id (a stable order, so two coordinators see the same list).
import { languageName } from '../../i18n/format.ts';
import type { HelpKind } from './help-requests.schema.ts';

/** The weekdays a volunteer can name, in the order of the week (Monday first, as in Germany). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface HelperCandidate {
  userId: number;
  displayName: string;
  languages: readonly string[];
  helpKinds: readonly string[];
  helpDays: readonly string[];
  hasCar: boolean;
  hasChildSeat: boolean;
  helpsAsWoman: boolean;
  /** Requests the person holds now (taken, not yet finished). */
  activeRequests: number;
}

export interface HelpMatchRequest {
  kind: HelpKind;
  languages: readonly string[];
  /** The weekday of a set time in the town's calendar; null for "any time this week". */
  weekday: Weekday | null;
  wantsWoman: boolean;
  needsCar: boolean;
  needsChildSeat: boolean;
  askerUserId: number;
  postedByUserId: number | null;
}

export type HelperReasonPart =
  | { kind: 'speaks'; languages: string[] }
  | { kind: 'offers'; helpKind: HelpKind }
  | { kind: 'car' }
  | { kind: 'childSeat' }
  | { kind: 'woman' }
  | { kind: 'day'; weekday: Weekday };

export interface HelperFit {
  candidate: HelperCandidate;
  sharedLanguages: string[];
  /** The helper named the request's weekday (rather than naming no days at all). */
  namedDay: boolean;
  /** The reason in parts, rendered in the reader's language by describeHelperFit. */
  reason: HelperReasonPart[];
}

/** The weekday of an instant in the town's calendar. */
export function weekdayOf(timeZone: string, date: Date): Weekday {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(date).toLowerCase().slice(0, 3);
  return (WEEKDAYS as readonly string[]).includes(name) ? (name as Weekday) : 'mon';
}

/** The hard rules: whether the helper may be suggested for the request at all. */
export function fitsRequest(request: HelpMatchRequest, c: HelperCandidate): boolean {
  if (c.userId === request.askerUserId || c.userId === request.postedByUserId) return false;
  if (!c.helpKinds.includes(request.kind)) return false;
  if (!request.languages.some((l) => c.languages.includes(l))) return false;
  if (request.needsCar && !c.hasCar) return false;
  if (request.needsChildSeat && !c.hasChildSeat) return false;
  if (request.wantsWoman && !c.helpsAsWoman) return false;
  if (request.weekday && c.helpDays.length > 0 && !c.helpDays.includes(request.weekday)) return false;
  return true;
}

export function rankHelpers(request: HelpMatchRequest, candidates: readonly HelperCandidate[]): HelperFit[] {
  return candidates
    .filter((c) => fitsRequest(request, c))
    .map((candidate) => {
      const sharedLanguages = request.languages.filter((l) => candidate.languages.includes(l));
      const namedDay = request.weekday !== null && candidate.helpDays.includes(request.weekday);
      const reason: HelperReasonPart[] = [{ kind: 'speaks', languages: sharedLanguages }, { kind: 'offers', helpKind: request.kind }];
      if (request.needsCar) reason.push({ kind: 'car' });
      if (request.needsChildSeat) reason.push({ kind: 'childSeat' });
      if (request.wantsWoman) reason.push({ kind: 'woman' });
      if (namedDay && request.weekday) reason.push({ kind: 'day', weekday: request.weekday });
      return { candidate, sharedLanguages, namedDay, reason };
    })
    .sort(
      (a, b) =>
        b.sharedLanguages.length - a.sharedLanguages.length ||
        Number(b.namedDay) - Number(a.namedDay) ||
        a.candidate.activeRequests - b.candidate.activeRequests ||
        a.candidate.userId - b.candidate.userId,
    );
}

/** Just what a reason needs from a translator (the page's, a mail's or a test's). */
export interface HelperReasonWords {
  (key: 'helpMatching.reason.speaks' | 'helpMatching.reason.offers' | 'helpMatching.reason.car' | 'helpMatching.reason.childSeat' | 'helpMatching.reason.woman' | 'helpMatching.reason.day' | `helpRequests.kind.${HelpKind}`, params?: Record<string, string | number>): string;
  locale: string;
}

/** The weekday's name in the reader's language ("Donnerstag", "الخميس"). 2024-01-01 was a Monday. */
export function weekdayName(locale: string, day: Weekday): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day))));
}

/** "spricht Dari · bietet Dolmetschen an · hat ein Auto · meist frei am Donnerstag", in the reader's language. */
export function describeHelperFit(t: HelperReasonWords, reason: readonly HelperReasonPart[]): string {
  const list = new Intl.ListFormat(t.locale, { type: 'conjunction' });
  return reason
    .map((part) => {
      switch (part.kind) {
        case 'speaks':
          return t('helpMatching.reason.speaks', { languages: list.format(part.languages.map((l) => languageName(t.locale, l))) });
        case 'offers':
          return t('helpMatching.reason.offers', { kind: t(`helpRequests.kind.${part.helpKind}`) });
        case 'car':
          return t('helpMatching.reason.car');
        case 'childSeat':
          return t('helpMatching.reason.childSeat');
        case 'woman':
          return t('helpMatching.reason.woman');
        case 'day':
          return t('helpMatching.reason.day', { day: weekdayName(t.locale, part.weekday) });
      }
    })
    .join(' · ');
}
