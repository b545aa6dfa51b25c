// Writes iCalendar (RFC 5545) text from activity rows with ical-generator. What calendar apps
// get wrong elsewhere is decided here: times carry the town's TZID with a VTIMEZONE from a
// maintained zone library (Outlook shifts floating or UTC-only events by an hour), every event
// has a SEQUENCE that grows with each change and a STATUS that follows it (a cancelled event
// stays, CANCELLED, rather than silently vanishing), and a series is one VEVENT with RRULE,
// EXDATE for cancelled dates and a RECURRENCE-ID VEVENT for each date that differs.
//
// The output depends on the rows alone (DTSTAMP is the row's last change, as RFC 5545 asks of
// a calendar without METHOD), so the same data always gives the same bytes: the feeds' ETag is
// computed from the data without building the feed.
import { hash } from 'node:crypto';
import ical, { escape, ICalEventRepeatingFreq, ICalEventStatus, type ICalCalendar, type ICalDayJsStub, type ICalEventData } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { ActivityCategory, Locale, SeriesFrequency } from '../../db/schema.ts';
import type { Translator } from '../../i18n/index.ts';
import { languageName, zonedParts } from '../../i18n/format.ts';
import { foldLines } from './fold-lines.ts';
import { localePath } from '../../i18n/locales.ts';
import { inReaderLanguage } from '../activities/activities.queries.ts';
import type { BrowseFilters } from '../activities/browse-filters.ts';
import { effectiveContact } from '../organisations/contact.ts';
import { occurrenceDates, type CalendarDate } from '../activities/series.ts';
import { SizedCache } from '../../lib/sized-cache.ts';
import type { CalendarMeeting } from '../mentoring/mentoring.queries.ts';
import type { CalendarShift } from '../volunteering/volunteering.queries.ts';

/** One activity as a feed needs it (see feeds.queries.ts). */
export interface FeedActivity {
  id: number;
  series_id: number | null;
  series_slot: Date | null;
  frequency: SeriesFrequency | null;
  status: 'published' | 'cancelled';
  title: string;
  description: string;
  source_locale: Locale;
  translations: Partial<Record<Locale, { title: string; description: string }>>;
  category: ActivityCategory;
  starts_at: Date;
  ends_at: Date;
  place_name: string | null;
  address: string | null;
  online_url: string | null;
  languages: string[];
  german_level: string | null;
  audience: string[];
  cost: string | null;
  cancel_reason: string | null;
  revision: number;
  updated_at: Date;
  organisation_name: string;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  organisation_contact_phone: string | null;
  organisation_contact_email: string | null;
}

/** The activity's own contact, or its organisation's (one rule for pages and feeds). */
function contactOf(activity: FeedActivity) {
  return effectiveContact(activity, { contact_phone: activity.organisation_contact_phone, contact_email: activity.organisation_contact_email });
}

/** In a person's own feed: their place at the activity. */
export interface PersonalActivity extends FeedActivity {
  rsvp_status: 'going' | 'waitlisted';
  party_size: number;
  rsvp_updated_at: Date;
}

/** Everything a person's own calendar holds. */
export interface PersonalFeed {
  activities: PersonalActivity[];
  shifts: CalendarShift[];
  meetings: CalendarMeeting[];
}

export interface CalendarContext {
  /** The portal's public address without trailing slash, e.g. https://ankommen.altena.de */
  baseUrl: string;
  timeZone: string;
  t: Translator;
  /** Shown as the calendar's name in the app. */
  name: string;
  /** ORGANIZER needs an address; the portal's sender stands in for the organisations. */
  organizerEmail: string;
  /** How often apps should fetch again. */
  refreshSeconds: number;
}

/** Raise when the output changes for the same data, so that no client keeps an old copy. */
export const CALENDAR_FORMAT_VERSION = 2;

const PRODUCT = { company: 'Ankommen', product: 'Ankommen' };

export function calendarHost(baseUrl: string): string {
  return new URL(baseUrl).host;
}

export function activityUid(id: number, baseUrl: string): string {
  return `activity-${id}@${calendarHost(baseUrl)}`;
}

export function seriesUid(id: number, baseUrl: string): string {
  return `series-${id}@${calendarHost(baseUrl)}`;
}

/** A person has at most one live sign-up per role, so in their feed the role names the shift:
 * withdrawing and signing up again gives back the same event. */
export function shiftUid(roleId: number, baseUrl: string): string {
  return `shift-${roleId}@${calendarHost(baseUrl)}`;
}

/** What a public calendar is called in the app: the organisation's, a topic's, or a selection. */
export function publicCalendarName(t: Translator, town: string, filters: BrowseFilters, organisationName?: string): string {
  if (organisationName) return t('feeds.organisationName', { organisation: organisationName, town });
  const name = filters.category ? t('feeds.categoryName', { category: t(`category.${filters.category}`), town }) : t('feeds.publicName', { town });
  const narrowed = Object.keys(filters).some((k) => k !== 'category');
  return narrowed ? t('feeds.selectionName', { name }) : name;
}

function newCalendar(context: CalendarContext): ICalCalendar {
  const calendar = ical({
    prodId: { ...PRODUCT, language: context.t.locale.toUpperCase() },
    // ical-generator writes NAME and X-WR-CALNAME as given; they are TEXT and need escaping.
    name: escape(context.name, false),
    // The zone goes on each event, not the calendar: a calendar-level zone would also write
    // DTSTAMP and LAST-MODIFIED in local time, which RFC 5545 requires in UTC.
    timezone: { name: null, generator: (zone: string) => tzlib_get_ical_block(zone)[0] ?? null },
    ttl: context.refreshSeconds,
  });
  calendar.x('X-WR-TIMEZONE', context.timeZone);
  return calendar;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * An instant in the town's zone, handed to ical-generator in the day.js shape it accepts
 * (`tz()`, `format()`), so that it writes the zone's wall-clock time after TZID. The wall
 * clock comes from the zone offsets kept in i18n/format.ts; a TZDate asked Intl for the
 * offset on every getter, which was a quarter of the time a feed took to build.
 */
class ZonedInstant implements ICalDayJsStub {
  private readonly instant: Date;
  private readonly timeZone: string;

  constructor(instant: Date, timeZone: string) {
    this.instant = instant;
    this.timeZone = timeZone;
  }

  tz(zone?: string): ICalDayJsStub {
    return zone === undefined || zone === this.timeZone ? this : new ZonedInstant(this.instant, zone);
  }

  format(pattern?: string): string {
    const p = zonedParts(this.timeZone, this.instant);
    if (pattern === 'YYYYMMDD') return `${String(p.y).padStart(4, '0')}${two(p.m)}${two(p.d)}`;
    if (pattern === 'HHmmss') return `${two(p.h)}${two(p.min)}${two(p.s)}`;
    // The only two patterns ical-generator asks for; anything else would be written wrong.
    throw new Error(`ZonedInstant cannot format ${pattern ?? 'without a pattern'}`);
  }

  isValid(): boolean {
    return !Number.isNaN(this.instant.getTime());
  }

  toDate(): Date {
    return new Date(this.instant);
  }

  toJSON(): string {
    return this.instant.toISOString();
  }
}

function zoned(instant: Date, timeZone: string): ZonedInstant {
  return new ZonedInstant(instant, timeZone);
}

function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** The text parts of an event, in the feed's language; equal parts mean "same as the series". */
interface EventText {
  summary: string;
  description: string;
  location: string;
  categories: string[];
}

/**
 * iCalendar TEXT can carry any character but the controls: line breaks become its one line
 * break (CR alone or CRLF from a browser's textarea included); other control characters, which
 * no one means to type, are dropped rather than let a parser choke on them.
 */
function calendarText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

function eventText(activity: FeedActivity, context: CalendarContext, url: string, personal?: PersonalActivity): EventText {
  const { t } = context;
  const shown = inReaderLanguage(activity, t.locale);
  let summary = shown.title;
  if (activity.status === 'cancelled') summary = t('feeds.cancelledTitle', { title: summary });
  else if (personal?.rsvp_status === 'waitlisted') summary = t('feeds.waitlistedTitle', { title: summary });

  const lines: string[] = [];
  if (activity.status === 'cancelled') {
    lines.push(t('activity.cancelledNotice'));
    if (activity.cancel_reason) lines.push(t('activity.cancelReason', { reason: activity.cancel_reason }));
    lines.push('');
  }
  if (personal) {
    lines.push(personal.rsvp_status === 'going' ? t.plural('feeds.going', personal.party_size) : t('feeds.waitlisted'));
    lines.push('');
  }
  if (shown.description.trim()) lines.push(shown.description.trim(), '');
  lines.push(t('activity.by', { organisation: activity.organisation_name }));
  if (activity.languages.length > 0) {
    lines.push(`${t('activity.languagesSpoken')}: ${activity.languages.map((l) => languageName(t.locale, l)).join(', ')}`);
  }
  if (activity.german_level) lines.push(t('activity.germanLevel', { level: activity.german_level }));
  lines.push(`${t('activity.cost')}: ${activity.cost ?? t('activity.free')}`);
  const contact = contactOf(activity);
  if (contact) lines.push(`${t('activity.contact')}: ${[contact.name, contact.phone, contact.email].filter(Boolean).join(', ')}`);
  lines.push('', url);

  const location = activity.online_url ?? [activity.place_name, activity.address].filter(Boolean).join(', ');
  const categories = [
    t(`category.${activity.category}`),
    ...activity.languages.map((l) => languageName(t.locale, l)),
    ...(activity.german_level ? [t('activity.germanLevel', { level: activity.german_level })] : []),
    ...activity.audience.map((a) => (t.has(`activity.audience.${a}`) ? t(`activity.audience.${a}` as Parameters<Translator>[0]) : a)),
  ];
  return {
    summary: calendarText(summary),
    description: calendarText(lines.join('\n')),
    location: calendarText(location),
    categories: categories.map(calendarText),
  };
}

function activityUrl(activity: FeedActivity, context: CalendarContext): string {
  return `${context.baseUrl}${localePath(context.t.locale, `/activities/${activity.id}`)}`;
}

/** The properties one activity gives its VEVENT, whether alone or as a date of a series. */
function eventData(activity: FeedActivity, context: CalendarContext, personal?: PersonalActivity): ICalEventData {
  const url = activityUrl(activity, context);
  const text = eventText(activity, context, url, personal);
  const modified = personal ? later(activity.updated_at, personal.rsvp_updated_at) : activity.updated_at;
  let status = ICalEventStatus.CONFIRMED;
  if (activity.status === 'cancelled') status = ICalEventStatus.CANCELLED;
  else if (personal?.rsvp_status === 'waitlisted') status = ICalEventStatus.TENTATIVE;
  return {
    id: activityUid(activity.id, context.baseUrl),
    sequence: activity.revision,
    stamp: modified,
    lastModified: modified,
    start: zoned(activity.starts_at, context.timeZone),
    end: zoned(activity.ends_at, context.timeZone),
    timezone: context.timeZone,
    status,
    summary: text.summary,
    description: text.description,
    ...(text.location ? { location: text.location } : {}),
    url,
    categories: text.categories.map((name) => ({ name })),
    // Calendar apps offer to write to the ORGANIZER: the contact's address when there is one.
    organizer: { name: activity.organisation_name, email: contactOf(activity)?.email ?? context.organizerEmail },
  };
}

const FREQUENCY: Record<SeriesFrequency, { freq: ICalEventRepeatingFreq; interval?: number }> = {
  weekly: { freq: ICalEventRepeatingFreq.WEEKLY },
  fortnightly: { freq: ICalEventRepeatingFreq.WEEKLY, interval: 2 },
  monthly: { freq: ICalEventRepeatingFreq.MONTHLY },
};

function wallClock(instant: Date, timeZone: string): { date: CalendarDate; time: string } {
  const local = zonedParts(timeZone, instant);
  return { date: { y: local.y, m: local.m, d: local.d }, time: `${local.h}:${local.min}` };
}

/**
 * Whether the rule reproduces the dates exactly: the same calendar dates the series was made
 * with, at the same wall-clock time. Only then may the dates travel as one RRULE; anything
 * else (a series from older data, a time in a clock-change gap) goes out date by date.
 */
function ruleMatches(slots: Date[], frequency: SeriesFrequency, timeZone: string): boolean {
  const first = wallClock(slots[0]!, timeZone);
  const expected = occurrenceDates(first.date, frequency, { count: slots.length });
  if (expected.length !== slots.length) return false;
  return slots.every((slot, i) => {
    const actual = wallClock(slot, timeZone);
    const want = expected[i]!;
    return actual.time === first.time && actual.date.y === want.y && actual.date.m === want.m && actual.date.d === want.d;
  });
}

function sameText(a: EventText, b: EventText): boolean {
  return a.summary === b.summary && a.description === b.description && a.location === b.location && a.categories.join('\u0000') === b.categories.join('\u0000');
}

/**
 * A series as one VEVENT with RRULE. The rule's first date and the wording come from a typical
 * date (the first one neither cancelled nor moved); cancelled dates become EXDATE, and every
 * date that differs from the typical one gets its own VEVENT with RECURRENCE-ID = where the
 * rule put it. All its parts carry one SEQUENCE, the sum of the dates' revisions, so that any
 * change to any date raises it.
 */
function addSeries(calendar: ICalCalendar, seriesId: number, dates: FeedActivity[], context: CalendarContext): void {
  const sorted = [...dates].sort((a, b) => a.series_slot!.getTime() - b.series_slot!.getTime());
  const frequency = sorted[0]!.frequency!;
  const live = sorted.filter((a) => a.status !== 'cancelled');
  const typical = live.find((a) => a.starts_at.getTime() === a.series_slot!.getTime()) ?? live[0] ?? sorted[0]!;
  const duration = typical.ends_at.getTime() - typical.starts_at.getTime();
  const sequence = sorted.reduce((sum, a) => sum + a.revision, 0);
  const modified = sorted.reduce((latest, a) => later(latest, a.updated_at), sorted[0]!.updated_at);
  const uid = seriesUid(seriesId, context.baseUrl);
  const firstSlot = sorted[0]!.series_slot!;
  const typicalData = eventData(typical, context);
  // Every date is compared with the typical one's wording, link included, so only real
  // differences make an override.
  const typicalUrl = activityUrl(typical, context);
  const typicalText = eventText(typical, context, typicalUrl);
  const allCancelled = live.length === 0;
  const excluded = sorted.filter((a) => a.status === 'cancelled').map((a) => zoned(a.series_slot!, context.timeZone));

  calendar.createEvent({
    ...typicalData,
    id: uid,
    sequence,
    stamp: modified,
    lastModified: modified,
    start: zoned(firstSlot, context.timeZone),
    end: zoned(new Date(firstSlot.getTime() + duration), context.timeZone),
    status: allCancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    repeating: {
      ...FREQUENCY[frequency],
      // Spelled out: an implicit day of month is where apps differ (some move "the 31st" to
      // the 30th in short months); with BYMONTHDAY they all skip those months, as the series does.
      ...(frequency === 'monthly' ? { byMonthDay: [zonedParts(context.timeZone, firstSlot).d] } : {}),
      count: sorted.length,
      // When every date is off, the series stays as one CANCELLED event rather than an empty rule.
      ...(excluded.length > 0 && !allCancelled ? { exclude: excluded } : {}),
    },
  });
  if (allCancelled) return;
  for (const date of live) {
    const moved = date.starts_at.getTime() !== date.series_slot!.getTime() || date.ends_at.getTime() - date.starts_at.getTime() !== duration;
    if (!moved && sameText(eventText(date, context, typicalUrl), typicalText)) continue;
    calendar.createEvent({
      ...eventData(date, context),
      id: uid,
      sequence,
      recurrenceId: zoned(date.series_slot!, context.timeZone),
    });
  }
}

/**
 * Rendered events, kept by what went into them: the rows of one activity (or of one series)
 * and the parts of the context that events depend on. A feed rebuilt after one change then
 * renders one event and reuses the others' text, which is most of a build's cost (ical-generator
 * formats dates and folds lines per event). Oldest entries go first beyond the budget.
 */
const renderedEvents = new SizedCache<string>(32 * 1024 * 1024, (text) => text.length);

/** For tests: forget every rendered event, as a fresh process would. */
export function forgetRenderedEvents(): void {
  renderedEvents.clear();
}

/** Everything an event's text depends on besides its rows (the calendar's name and refresh
 * interval only touch the calendar's own lines). */
function eventContextKey(context: CalendarContext): string {
  return [CALENDAR_FORMAT_VERSION, context.baseUrl, context.timeZone, context.t.locale, context.organizerEmail].join('\u001f');
}

/**
 * Everything in the rows, field by field in column order. Built by hand rather than with
 * JSON.stringify, which spent 8 µs a row on its dates: most of a rebuild after one change.
 */
function rowsKey(contextKey: string, group: FeedActivity[]): string {
  let key = contextKey;
  for (const row of group) {
    for (const value of Object.values(row) as unknown[]) {
      key += '\u001f';
      if (value === null) key += '\u0000';
      else if (value instanceof Date) key += value.getTime();
      else if (typeof value === 'object') key += JSON.stringify(value);
      else key += String(value);
    }
    key += '\u001e';
  }
  return key;
}

/**
 * The folded VEVENT text of one activity or one series. ical-generator folds the calendar line
 * by line, so folding each event's lines on its own gives the very same bytes.
 */
function eventGroupText(calendar: ICalCalendar, group: FeedActivity[], contextKey: string, render: () => void): string {
  const key = hash('sha256', rowsKey(contextKey, group), 'base64');
  const cached = renderedEvents.get(key);
  if (cached !== undefined) return cached;
  const before = calendar.events().length;
  render();
  const text = calendar
    .events()
    .slice(before)
    .map((event) => foldLines(event.toString()))
    .join('');
  renderedEvents.set(key, text);
  return text;
}

/**
 * The calendar around the events' text: its own lines, the VTIMEZONE of the town's zone, the
 * events, and its closing lines — the same bytes ical-generator writes for the whole calendar.
 */
function assemble(context: CalendarContext, eventTexts: string[]): string {
  const calendar = newCalendar(context);
  if (eventTexts.length === 0) return finish(calendar);
  // One stand-in event makes ical-generator write the zone's VTIMEZONE; its text is then
  // replaced by the real events'.
  const standIn = calendar.createEvent({ id: 'stand-in', start: zoned(new Date(0), context.timeZone), timezone: context.timeZone, stamp: new Date(0) });
  const whole = calendar.toString();
  const standInText = foldLines(standIn.toString());
  const at = whole.indexOf(standInText);
  return `${whole.slice(0, at)}${eventTexts.join('')}${whole.slice(at + standInText.length)}\r\n`;
}

/**
 * A public calendar: single activities as they are, each series (when its dates fit the rule)
 * as one repeating event. Expects every date of each series it is given.
 */
export function publicCalendar(activities: FeedActivity[], context: CalendarContext): string {
  // Events are rendered into a scratch calendar (ical-generator needs one for each event) and
  // kept as text; the feed is put together from the texts.
  const scratch = newCalendar(context);
  const contextKey = eventContextKey(context);
  const texts: string[] = [];
  const series = new Map<number, FeedActivity[]>();
  for (const activity of activities) {
    if (activity.series_id !== null && activity.series_slot !== null && activity.frequency !== null) {
      const dates = series.get(activity.series_id) ?? [];
      dates.push(activity);
      series.set(activity.series_id, dates);
    } else {
      texts.push(eventGroupText(scratch, [activity], contextKey, () => scratch.createEvent(eventData(activity, context))));
    }
  }
  for (const [seriesId, dates] of series) {
    // Kept as one text either way, so that a build that finds it does not look at the rule.
    texts.push(
      eventGroupText(scratch, dates, contextKey, () => {
        const slots = dates.map((d) => d.series_slot!).sort((a, b) => a.getTime() - b.getTime());
        if (ruleMatches(slots, dates[0]!.frequency!, context.timeZone)) addSeries(scratch, seriesId, dates, context);
        else for (const date of dates) scratch.createEvent(eventData(date, context));
      }),
    );
  }
  return assemble(context, texts);
}

/** RFC 5545 ends every content line, the last one too, with CRLF. */
function finish(calendar: ICalCalendar): string {
  return `${calendar.toString()}\r\n`;
}

export function meetingUid(id: number, baseUrl: string): string {
  return `meeting-${id}@${calendarHost(baseUrl)}`;
}

/** A Kümmerer meeting, the same event in both people's feeds; the private note never leaves. */
function meetingEvent(meeting: CalendarMeeting, context: CalendarContext): ICalEventData {
  const { t } = context;
  const path = meeting.isKuemmerer ? '/mentees' : '/my-kuemmerer';
  const url = `${context.baseUrl}${localePath(t.locale, path)}`;
  const topics = meeting.topics.map((topic) => (t.has(`mentoring.topic.${topic}`) ? t(`mentoring.topic.${topic}` as Parameters<Translator>[0]) : topic));
  const lines = [...(topics.length ? [t('feeds.meetingTopics', { topics: topics.join(', ') })] : []), '', url];
  return {
    id: meetingUid(meeting.id, context.baseUrl),
    sequence: meeting.revision,
    stamp: meeting.updatedAt,
    lastModified: meeting.updatedAt,
    start: zoned(meeting.startsAt, context.timeZone),
    end: zoned(meeting.endsAt, context.timeZone),
    timezone: context.timeZone,
    status: ICalEventStatus.CONFIRMED,
    summary: calendarText(t('feeds.meetingTitle', { name: meeting.otherFirstName })),
    description: calendarText(lines.join('\n').trim()),
    ...(meeting.place.trim() ? { location: calendarText(meeting.place.trim()) } : {}),
    url,
  };
}

/** A volunteer shift: the role and the activity, at the shift's own time. */
function shiftEvent(shift: CalendarShift, context: CalendarContext): ICalEventData {
  const { t } = context;
  const title = inReaderLanguage({ title: shift.activityTitle, source_locale: shift.sourceLocale, translations: shift.activityTranslations }, t.locale).title;
  const cancelled = shift.activityStatus === 'cancelled';
  const summary = t('feeds.shiftTitle', { role: shift.roleName, title });
  const url = `${context.baseUrl}${localePath(t.locale, `/activities/${shift.activityId}`)}`;
  const lines = [t('feeds.shiftSignedUp', { role: shift.roleName })];
  if (shift.whatToBring.trim()) lines.push(t('feeds.shiftBring', { what: shift.whatToBring.trim() }));
  if (cancelled) lines.unshift(t('activity.cancelledNotice'), '');
  lines.push('', url);
  const location = shift.onlineUrl ?? [shift.placeName, shift.address].filter(Boolean).join(', ');
  return {
    id: shiftUid(shift.roleId, context.baseUrl),
    // Both can move the shift: the organiser edits the role, or the whole activity.
    sequence: shift.roleRevision + shift.activityRevision,
    stamp: shift.updatedAt,
    lastModified: shift.updatedAt,
    start: zoned(shift.startsAt, context.timeZone),
    end: zoned(shift.endsAt, context.timeZone),
    timezone: context.timeZone,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: calendarText(cancelled ? t('feeds.cancelledTitle', { title: summary }) : summary),
    description: calendarText(lines.join('\n')),
    ...(location ? { location: calendarText(location) } : {}),
    url,
  };
}

/**
 * A person's own calendar: each date they hold a place at (or wait for) on its own, CONFIRMED
 * or TENTATIVE, with the same UID as that date has on its own everywhere else; the shifts
 * they volunteer for; and their Kümmerer meetings.
 */
export function personalCalendar(feed: PersonalFeed, context: CalendarContext): string {
  const calendar = newCalendar(context);
  for (const activity of feed.activities) calendar.createEvent(eventData(activity, context, activity));
  for (const shift of feed.shifts) calendar.createEvent(shiftEvent(shift, context));
  for (const meeting of feed.meetings) calendar.createEvent(meetingEvent(meeting, context));
  return finish(calendar);
}
