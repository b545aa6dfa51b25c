// The dates of a repeating activity: weekly, fortnightly or monthly, until a date or for a
// count, at most a year ahead. Counted on calendar dates, so that the wall-clock time stays
// the same across the clock change; a monthly series on the 31st skips shorter months, as
// iCalendar's RRULE does.
import type { SeriesFrequency } from '../../db/schema.ts';

export const MAX_OCCURRENCES = 52;

export interface CalendarDate {
  y: number;
  m: number;
  d: number;
}

export function parseDate(value: string): CalendarDate {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

function toNumber(date: CalendarDate): number {
  return Date.UTC(date.y, date.m - 1, date.d);
}

function fromNumber(ms: number): CalendarDate {
  const date = new Date(ms);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromNumber(toNumber(date) + days * 86_400_000);
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toNumber(to) - toNumber(from)) / 86_400_000);
}

export function occurrenceDates(first: CalendarDate, frequency: SeriesFrequency, end: { count?: number; until?: CalendarDate }): CalendarDate[] {
  const limit = Math.min(end.count ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
  const lastAllowed = Math.min(end.until ? toNumber(end.until) : Number.POSITIVE_INFINITY, toNumber(addDays(first, 366)));
  const dates: CalendarDate[] = [];
  for (let step = 0; dates.length < limit && step < 400; step++) {
    let next: CalendarDate;
    if (frequency === 'monthly') {
      const monthIndex = first.m - 1 + step;
      next = { y: first.y + Math.floor(monthIndex / 12), m: (monthIndex % 12) + 1, d: first.d };
      // No 31 June: that month has no occurrence.
      if (fromNumber(toNumber(next)).d !== first.d) continue;
    } else {
      next = addDays(first, step * (frequency === 'weekly' ? 7 : 14));
    }
    if (toNumber(next) > lastAllowed) break;
    dates.push(next);
  }
  return dates;
}
