// Dates and times are stored as instants (timestamptz) and always shown in the town's time
// zone, never the server's: the tests run with TZ far from Berlin to prove it.
import type { Locale } from './locales.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    // Arabic and Persian read best with their own digits; Intl picks them from the locale.
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, f);
  }
  return f;
}

/** How a date is shown. */
export interface DateOptions {
  /** With the year (a claim code valid for months, a deadline). */
  year?: boolean;
  /**
   * The date stands alone (a deadline, an activity's own page, a claim sheet, a mail) rather
   * than in a list: in Persian the Gregorian date follows in brackets, since letters, posters
   * and appointments here use it. Lists and cards stay short.
   */
  standalone?: boolean;
}

/** "Donnerstag, 10. Dezember" (with the year when asked); Persian see persianDate. */
export function formatDate(locale: Locale, timeZone: string, date: Date, options: DateOptions = {}): string {
  if (locale === 'fa') return persianDate(timeZone, date, options);
  return formatter(locale, timeZone, { weekday: 'long', day: 'numeric', month: 'long', ...(options.year ? { year: 'numeric' } : {}) }).format(date);
}

/** A moment with date and time ("Donnerstag, 10. Dezember 2026 um 18:00"). */
export function formatDateTime(locale: Locale, timeZone: string, date: Date, options: Pick<DateOptions, 'standalone'> = {}): string {
  if (locale === 'fa') {
    const time = formatter('fa', timeZone, { hour: '2-digit', minute: '2-digit' }).format(date);
    return `${persianDate(timeZone, date, { year: true, standalone: options.standalone })}${PERSIAN_COMMA}ساعت ${time}`;
  }
  return formatter(locale, timeZone, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}

/** A moment in short, for a mark beside a name ("7. Dez., 14:03"): when someone confirmed. */
export function formatShortDateTime(locale: Locale, timeZone: string, date: Date | string): string {
  return formatter(locale, timeZone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(date));
}

const PERSIAN_COMMA = '، ';

/**
 * A Persian date as Persian writes it: weekday, day, month, year in the Solar Hijri calendar
 * with Persian digits ("پنجشنبه ۱۹ آذر ۱۴۰۵"). Intl's own pattern with a weekday and a year
 * reads year-month-day-weekday with a Latin comma ("۱۴۰۵ آذر ۱۹, پنجشنبه"), so the pieces are
 * asked one by one. Standing alone, the Gregorian date follows ("(۱۰ دسامبر ۲۰۲۶)").
 */
function persianDate(timeZone: string, date: Date, options: DateOptions): string {
  const weekday = formatter('fa', timeZone, { weekday: 'long' }).format(date);
  const day = formatter('fa', timeZone, { day: 'numeric', month: 'long', ...(options.year ? { year: 'numeric' } : {}) }).format(date);
  return `${weekday} ${day}${options.standalone ? ` (${gregorianDate(timeZone, date, options.year)})` : ''}`;
}

/** The Gregorian date in Persian words and digits ("۱۰ دسامبر ۲۰۲۶"). */
function gregorianDate(timeZone: string, date: Date, year = false, end?: Date): string {
  const f = formatter('fa', timeZone, { calendar: 'gregory', day: 'numeric', month: 'long', ...(year ? { year: 'numeric' } : {}) });
  return end ? f.formatRange(date, end) : f.format(date);
}

/** A number in the language's digits ("۱۲" in Persian). */
export function formatNumber(locale: Locale, value: number): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(value);
}
const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** "Dienstag, 1. Dezember, 18:00–20:00" — the range in one piece, as Intl writes it. */
export function formatTimeRange(locale: Locale, timeZone: string, start: Date, end: Date): string {
  return formatter(locale, timeZone, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).formatRange(start, end);
}

/**
 * When an activity happens, as a date line and a time line: "Donnerstag, 26. November" and
 * "18:00–20:00 Uhr". The time line is kept in one piece by the page (it must not break between
 * "6:00–8:00" and "م"). An activity that runs over several days gets the whole range as date.
 * Standing alone (the activity's page, a mail), a Persian date has the Gregorian one beside it.
 */
export function formatWhen(locale: Locale, timeZone: string, start: Date, end: Date, options: Pick<DateOptions, 'standalone'> = {}): { date: string; time: string } {
  const standalone = options.standalone === true && locale === 'fa';
  const key = `${locale}|${timeZone}|${start.getTime()}|${end.getTime()}${standalone ? '|alone' : ''}`;
  let when = formattedWhens.get(key);
  if (!when) {
    if (formattedWhens.size >= KEPT_WHENS) formattedWhens.clear();
    when = freshWhen(locale, timeZone, start, end, standalone);
    formattedWhens.set(key, when);
  }
  return { ...when };
}

/** Every list and card shows when; Intl's formatRange is the slowest part of rendering one
 * (about a tenth of a signed-in list page's time), and the same activities are shown again and again. */
const formattedWhens = new Map<string, { date: string; time: string }>();
const KEPT_WHENS = 50_000;

function freshWhen(locale: Locale, timeZone: string, start: Date, end: Date, standalone: boolean): { date: string; time: string } {
  if (startOfZonedDay(timeZone, start).getTime() !== startOfZonedDay(timeZone, end).getTime()) {
    const range = formatTimeRange(locale, timeZone, start, end);
    return { date: standalone ? `${range} (${gregorianDate(timeZone, start, false, end)})` : range, time: '' };
  }
  return {
    date: formatDate(locale, timeZone, start, { standalone }),
    time: formatter(locale, timeZone, { hour: '2-digit', minute: '2-digit' }).formatRange(start, end),
  };
}

/** Language names by reader language and code ("Arabisch" for ar, read in German). */
const languageNames = new Map<string, { names: Intl.DisplayNames; known: Map<string, string> }>();

/**
 * A language's name in the reader's language, or the code when Intl has no name for it. Cards,
 * filters and feeds ask dozens of times a page, and Intl.DisplayNames costs microseconds to make
 * and to ask, so each answer is kept.
 */
export function languageName(readerLocale: string, code: string): string {
  let reader = languageNames.get(readerLocale);
  if (!reader) languageNames.set(readerLocale, (reader = { names: new Intl.DisplayNames([readerLocale], { type: 'language' }), known: new Map() }));
  let name = reader.known.get(code);
  if (name === undefined) {
    name = reader.names.of(code) ?? code;
    reader.known.set(code, name);
  }
  return name;
}

/** The comma between the date and the time lines, as the language writes it. */
export function whenSeparator(locale: Locale): string {
  return locale === 'ar' || locale === 'fa' ? '، ' : ', ';
}

/** What Intl says the zone's offset is at that instant, in milliseconds ahead of UTC. */
function askedOffset(timeZone: string, instant: number): number {
  const parts = formatter('en', timeZone, {
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Offsets by zone and UTC hour, for hours with one offset throughout. Asking Intl costs
 * microseconds, and a calendar feed of 10,000 events asks for tens of thousands of instants;
 * they fall into a few thousand hours. */
const hourOffsets = new Map<string, Map<number, number>>();
const KEPT_HOURS_PER_ZONE = 100_000;

/** How far the zone is ahead of UTC at that instant, in milliseconds. */
function zoneOffset(timeZone: string, date: Date): number {
  const instant = date.getTime();
  const hour = Math.floor(instant / HOUR_MS);
  let hours = hourOffsets.get(timeZone);
  if (!hours) hourOffsets.set(timeZone, (hours = new Map()));
  const known = hours.get(hour);
  if (known !== undefined) return known;
  // An hour whose first and last second have the same offset has it throughout (no zone
  // changes its offset twice within an hour); the hour of a clock change is asked each time.
  const atStart = askedOffset(timeZone, hour * HOUR_MS);
  if (atStart !== askedOffset(timeZone, hour * HOUR_MS + HOUR_MS - 1000)) return askedOffset(timeZone, instant);
  if (hours.size >= KEPT_HOURS_PER_ZONE) hours.clear();
  hours.set(hour, atStart);
  return atStart;
}

/** The zone's wall-clock date and time at that instant. */
export function zonedParts(timeZone: string, date: Date): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + zoneOffset(timeZone, date));
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate(), h: local.getUTCHours(), min: local.getUTCMinutes(), s: local.getUTCSeconds() };
}

/**
 * The instant at which a wall-clock time in the zone happens, read as RFC 5545 (3.3.5) reads
 * a DATE-TIME with TZID, so that a calendar app subscribed to our feeds puts it at the same
 * instant: a time that happens twice (the night the clocks go back) is its first occurrence;
 * a time the clocks skip (the spring-forward gap) is read with the offset from before the gap,
 * which moves it forward by the gap (02:30 in Berlin on 28 March 2027 is 03:30 summer time).
 * Days, hours and minutes past their range count on (the 32nd of January is 1 February).
 */
export function zonedTimeToInstant(timeZone: string, y: number, m: number, d: number, h = 0, min = 0): Date {
  const local = Date.UTC(y, m - 1, d, h, min);
  // No zone changes its offset twice within two days, so the offsets a day either side are
  // the only ones this wall-clock time can have.
  const before = zoneOffset(timeZone, new Date(local - DAY_MS));
  const after = zoneOffset(timeZone, new Date(local + DAY_MS));
  for (const candidate of [local - before, local - after].sort((a, b) => a - b)) {
    if (candidate + zoneOffset(timeZone, new Date(candidate)) === local) return new Date(candidate);
  }
  return new Date(local - before);
}

/** "18:30" as minutes after midnight. */
export function clockMinutes(time: string): number {
  const [h, min] = time.split(':').map(Number) as [number, number];
  return h * 60 + min;
}

/**
 * A span typed on one calendar day as wall-clock start and end times ("02:30", "03:30"): it
 * starts at the start time, read as zonedTimeToInstant reads it, and lasts as long as the clock
 * says. So 02:30–03:30 on the night the clocks go forward is 03:30–04:30, as RFC 5545 makes a
 * calendar app show it, never 03:30–03:30; and a time that happens twice keeps its hour.
 */
export function zonedSpan(timeZone: string, day: { y: number; m: number; d: number }, startTime: string, endTime: string): { startsAt: Date; endsAt: Date } {
  const start = clockMinutes(startTime);
  const startsAt = zonedTimeToInstant(timeZone, day.y, day.m, day.d, Math.floor(start / 60), start % 60);
  return { startsAt, endsAt: new Date(startsAt.getTime() + (clockMinutes(endTime) - start) * 60_000) };
}

/** Midnight of the zone's calendar day that contains the instant, plus whole days. */
export function startOfZonedDay(timeZone: string, date: Date, plusDays = 0): Date {
  const p = zonedParts(timeZone, date);
  return zonedTimeToInstant(timeZone, p.y, p.m, p.d + plusDays);
}

/** An instant as the value of an <input type="date"> in the zone: "2026-10-24". */
export function zonedDateInput(timeZone: string, date: Date): string {
  const p = zonedParts(timeZone, date);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** An instant as the value of an <input type="time"> in the zone: "18:00". */
export function zonedTimeInput(timeZone: string, date: Date): string {
  const p = zonedParts(timeZone, date);
  return `${String(p.h).padStart(2, '0')}:${String(p.min).padStart(2, '0')}`;
}

/** A length of time as hours and minutes in the reader's language ("2 Std., 30 Min.", "2 hr,
 * 30 min", "۲ ساعت، ۳۰ دقیقه"): volunteer hours are kept in minutes. Intl knows each
 * language's units and digits, so no message per language is needed. */
export function formatDuration(locale: Locale, minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  // Intl leaves zero units out, and with them everything: nothing at all must still say "0 Min.".
  const key = `${locale}|${whole === 0 ? 'zero' : 'units'}`;
  let f = durationFormats.get(key);
  if (!f) durationFormats.set(key, (f = new Intl.DurationFormat(locale, { style: 'short', ...(whole === 0 ? { minutesDisplay: 'always' as const } : {}) })));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return f.format(hours === 0 ? { minutes: rest } : rest === 0 ? { hours } : { hours, minutes: rest });
}
const durationFormats = new Map<string, Intl.DurationFormat>();

/** A town month ("2026-11") by name ("November 2026"). Always the Gregorian month, also in
 * Persian: the months group hours as the town's books do. */
export function formatMonth(locale: Locale, month: string): string {
  return formatter(locale, 'UTC', { month: 'long', year: 'numeric', calendar: 'gregory' }).format(new Date(`${month}-15T12:00:00Z`));
}
