// The time a printed programme covers: a week or a month of calendar days in the town's zone,
// from a first day. A week is seven days from the first (a sheet printed on a Thursday covers
// Thursday to Wednesday); a month runs to the day before the same date a month later, or to
// the end of the next month when it has no such date (from 31 January to 28 February).
import { zonedParts, zonedTimeToInstant } from '../../i18n/format.ts';
import type { Locale } from '../../i18n/locales.ts';

export const PROGRAMME_SPANS = ['week', 'month'] as const;
export type ProgrammeSpan = (typeof PROGRAMME_SPANS)[number];

export interface ProgrammePeriod {
  /** The first and the last calendar day, as "2026-12-14". */
  first: string;
  last: string;
  /** Midnight of the first day and of the day after the last, in the town's zone. */
  from: Date;
  to: Date;
}

type Day = { y: number; m: number; d: number };

function parseDay(value: string): Day {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

/** A day as "2026-12-14", counting on past the month's end (32 January is 1 February). */
function dayString(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The period of `span` beginning on `first` (a valid "YYYY-MM-DD"). */
export function programmePeriod(first: string, span: ProgrammeSpan, timeZone: string): ProgrammePeriod {
  const start = parseDay(first);
  let last: string;
  if (span === 'week') {
    last = dayString(start.y, start.m, start.d + 6);
  } else {
    const nextMonth = start.m === 12 ? { y: start.y + 1, m: 1 } : { y: start.y, m: start.m + 1 };
    last = start.d > daysInMonth(nextMonth.y, nextMonth.m) ? dayString(nextMonth.y, nextMonth.m, daysInMonth(nextMonth.y, nextMonth.m)) : dayString(nextMonth.y, nextMonth.m, start.d - 1);
  }
  const end = parseDay(last);
  return { first, last, from: zonedTimeToInstant(timeZone, start.y, start.m, start.d), to: zonedTimeToInstant(timeZone, end.y, end.m, end.d + 1) };
}

/** The calendar day of an instant in the town's zone, as "2026-12-14". */
export function zonedDay(timeZone: string, instant: Date): string {
  const p = zonedParts(timeZone, instant);
  return dayString(p.y, p.m, p.d);
}

const rangeFormats = new Map<string, Intl.DateTimeFormat>();

function rangeFormat(locale: Locale, timeZone: string, calendar?: 'gregory'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${calendar ?? ''}`;
  let format = rangeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone, ...(calendar ? { calendar } : {}) });
    rangeFormats.set(key, format);
  }
  return format;
}

/**
 * The period as a heading says it: "14.–20. Dezember 2026", "14 December 2026 – 13 January
 * 2027". Persian in its own calendar with the Gregorian dates in brackets, as for any date that
 * stands alone (src/i18n/format.ts), since the notices around it use those.
 */
export function formatPeriod(locale: Locale, timeZone: string, period: ProgrammePeriod): string {
  // Noon of each day: the same calendar day whatever the clocks do that night.
  const at = (value: string) => {
    const { y, m, d } = parseDay(value);
    return zonedTimeToInstant(timeZone, y, m, d, 12);
  };
  const first = at(period.first);
  const last = at(period.last);
  const range = rangeFormat(locale, timeZone).formatRange(first, last);
  return locale === 'fa' ? `${range} (${rangeFormat('fa', timeZone, 'gregory').formatRange(first, last)})` : range;
}
