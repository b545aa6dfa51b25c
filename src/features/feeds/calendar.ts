// Writes iCalendar (RFC 5545) text from activity rows with ical-generator. What calendar apps
// get wrong elsewhere is decided here: times carry the town's TZID with a VTIMEZONE from a
// maintained zone library (Outlook shifts floating or UTC-only events by an hour), every event
// has a SEQUENCE that grows with each change and a STATUS that follows it (a cancelled event
// stays, CANCELLED, rather than silently vanishing), and a series is one VEVENT with RRULE
// ending with UNTIL at the last date the calendar holds, and a RECURRENCE-ID VEVENT for each
// date that differs (a cancelled one included, so that it shows as cancelled).
//
// The output depends on the rows alone (DTSTAMP is the row's last change, as RFC 5545 asks of
// a calendar without METHOD), so the same data always gives the same bytes: the feeds' ETag is
// computed from the data without building the feed.
import { hash } from 'node:crypto';
import ical, { escape, ICalEventRepeatingFreq, ICalEventStatus, type ICalCalendar, type ICalDayJsStub, type ICalEventData } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { ActivityCategory, Locale, SeriesFrequency } from '../../db/schema.ts';
import type { Translator } from '../../i18n/index.ts';
import { languageName, zonedParts, zonedTimeToInstant } from '../../i18n/format.ts';
import { foldLines } from './fold-lines.ts';
import { localePath } from '../../i18n/locales.ts';
import { inReaderLanguage } from '../activities/activities.queries.ts';
import type { BrowseFilters } from '../activities/browse-filters.ts';
import { effectiveContact } from '../organisations/contact.ts';
import { occurrenceDates, type CalendarDate } from '../activities/series.ts';
import { SizedCache } from '../../lib/sized-cache.ts';
import type { CalendarMeeting } from '../mentoring/mentoring.queries.ts';
import type { CalendarConsultation } from '../consultations/consultations.queries.ts';
import { HELP_EVENT_MS, type CalendarHelpRequest } from '../help-requests/help-requests.queries.ts';
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
  /**
   * Whether the calendar holds this date. A series comes with all its dates, so that its rule,
   * SEQUENCE and wording are the same in every calendar; only the dates held are shown (the
   * list's, in a feed with filters; the person's own, in a personal feed).
   */
  shown: boolean;
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

/** In a person's own feed: their place at the activity (null on a date of a series they do not
 * hold, which comes along for the series' sake). */
export interface PersonalActivity extends FeedActivity {
  rsvp_status: 'going' | 'waitlisted' | null;
  party_size: number | null;
  rsvp_updated_at: Date | null;
  /**
   * What the person's RSVPs to this date add to SEQUENCE: every RSVP they ever made to it counts
   * 1 while waitlisted, 2 once confirmed and 3 when given up, so that each change of their place
   * (waitlisted → confirmed, given up, taken again) raises SEQUENCE and none lowers it.
   */
  rsvp_weight: number;
}

/** Everything a person's own calendar holds. */
export interface PersonalFeed {
  activities: PersonalActivity[];
  shifts: CalendarShift[];
  meetings: CalendarMeeting[];
  /** Booked consultation slots. */
  consultations?: CalendarConsultation[];
  /** Help requests the person asked for or helps with, once taken. */
  helpRequests?: CalendarHelpRequest[];
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

/**
 * The calendar's opening: VERSION, PRODID and every calendar property (name, refresh interval,
 * zone), then, when there are events, the VTIMEZONE. RFC 5545 puts calendar properties before
 * the first component (`icalbody = calprops component`); ical-generator writes the refresh
 * interval after the VTIMEZONE and its X- properties at the very end, which strict parsers
 * refuse. Its own lines are taken from an empty calendar, where nothing comes between them.
 */
function calendarHead(context: CalendarContext, withZone: boolean): string {
  const empty = newCalendar(context).toString();
  let head = foldLines(empty.slice(0, empty.lastIndexOf('END:VCALENDAR')));
  if (withZone) {
    const zone = tzlib_get_ical_block(context.timeZone)[0];
    if (zone) head += `${foldLines(zone.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n').trim())}\r\n`;
  }
  return head;
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

/** A person's place at a date, as their own feed shows it. */
interface Place {
  rsvp_status: 'going' | 'waitlisted';
  party_size: number;
  rsvp_updated_at: Date;
}

/** The person's place at this date, in a personal feed; none in a public one. */
function placeAt(activity: FeedActivity): Place | undefined {
  const row = activity as Partial<PersonalActivity>;
  return row.rsvp_status ? (row as Place) : undefined;
}

/** What the person's RSVPs add to SEQUENCE (0 in public feeds). */
function placeWeight(activity: FeedActivity): number {
  return (activity as Partial<PersonalActivity>).rsvp_weight ?? 0;
}

function eventText(activity: FeedActivity, context: CalendarContext, url: string, personal?: Place): EventText {
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

function eventStatus(activity: FeedActivity, personal: Place | undefined): ICalEventStatus {
  if (activity.status === 'cancelled') return ICalEventStatus.CANCELLED;
  return personal?.rsvp_status === 'waitlisted' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED;
}

/** The properties one activity gives its VEVENT, whether alone or as a date of a series; in a
 * personal feed with the person's place. */
function eventData(activity: FeedActivity, context: CalendarContext): ICalEventData {
  const personal = placeAt(activity);
  const url = activityUrl(activity, context);
  const text = eventText(activity, context, url, personal);
  const modified = personal ? later(activity.updated_at, personal.rsvp_updated_at) : activity.updated_at;
  const status = eventStatus(activity, personal);
  return {
    id: activityUid(activity.id, context.baseUrl),
    sequence: activity.revision + placeWeight(activity),
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
 * A series as one VEVENT with RRULE. The rule runs from the first date the calendar holds to
 * the last (UNTIL, which every app reads alike; COUNT with cancelled dates made some show a
 * date after the end); dates of the series in between that the calendar does not hold (outside
 * a feed's filters, or not the person's) are EXDATE. The wording and the rule's time come from
 * a typical date (the first held one neither cancelled nor moved); every held date that differs
 * from it gets its own VEVENT with RECURRENCE-ID = where the rule put it — a cancelled date too,
 * STATUS:CANCELLED, so that it shows as cancelled instead of vanishing. UID and RECURRENCE-ID
 * are the same in every feed and download, so a date is the same occurrence everywhere. All
 * parts carry one SEQUENCE: the sum of all the dates' revisions (and in a personal feed of the
 * person's places), so that any change to any date raises it.
 */
function addSeries(calendar: ICalCalendar, seriesId: number, dates: FeedActivity[], context: CalendarContext): void {
  const sorted = [...dates].sort((a, b) => a.series_slot!.getTime() - b.series_slot!.getTime());
  const held = sorted.filter((a) => a.shown);
  if (held.length === 0) return;
  const frequency = sorted[0]!.frequency!;
  const live = held.filter((a) => a.status !== 'cancelled');
  const atSlot = (a: FeedActivity) => a.starts_at.getTime() === a.series_slot!.getTime();
  // A confirmed place before a waitlisted one: in a personal feed most dates are confirmed, so
  // fewer dates need their own VEVENT (and apps that ignore RECURRENCE-ID show fewer wrong).
  const typical = live.find((a) => atSlot(a) && placeAt(a)?.rsvp_status !== 'waitlisted') ?? live.find(atSlot) ?? live[0] ?? held[0]!;
  const duration = typical.ends_at.getTime() - typical.starts_at.getTime();
  const sequence = sorted.reduce((sum, a) => sum + a.revision + placeWeight(a), 0);
  const modified = sorted.reduce((latest, a) => later(latest, placeAt(a) ? later(a.updated_at, placeAt(a)!.rsvp_updated_at) : a.updated_at), sorted[0]!.updated_at);
  const uid = seriesUid(seriesId, context.baseUrl);
  const firstSlot = held[0]!.series_slot!;
  const lastSlot = held[held.length - 1]!.series_slot!;
  const typicalData = eventData(typical, context);
  // Every date is compared with the typical one's wording, link included, so only real
  // differences make an override.
  const typicalUrl = activityUrl(typical, context);
  const typicalText = eventText(typical, context, typicalUrl, placeAt(typical));
  const excluded = sorted
    .filter((a) => !a.shown && a.series_slot! > firstSlot && a.series_slot! < lastSlot)
    .map((a) => zoned(a.series_slot!, context.timeZone));

  calendar.createEvent({
    ...typicalData,
    id: uid,
    sequence,
    stamp: modified,
    lastModified: modified,
    start: zoned(firstSlot, context.timeZone),
    end: zoned(new Date(firstSlot.getTime() + duration), context.timeZone),
    repeating: {
      ...FREQUENCY[frequency],
      // Spelled out: an implicit day of month is where apps differ (some move "the 31st" to
      // the 30th in short months); with BYMONTHDAY they all skip those months, as the series does.
      ...(frequency === 'monthly' ? { byMonthDay: [zonedParts(context.timeZone, firstSlot).d] } : {}),
      // In UTC, as RFC 5545 requires with a zoned DTSTART: the last held date's own instant.
      until: lastSlot,
      ...(excluded.length > 0 ? { exclude: excluded } : {}),
    },
  });
  for (const date of held) {
    const data = eventData(date, context);
    const moved = date.starts_at.getTime() !== date.series_slot!.getTime() || date.ends_at.getTime() - date.starts_at.getTime() !== duration;
    if (!moved && data.status === typicalData.status && sameText(eventText(date, context, typicalUrl, placeAt(date)), typicalText)) continue;
    calendar.createEvent({ ...data, id: uid, sequence, recurrenceId: zoned(date.series_slot!, context.timeZone) });
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
 * The calendar around the events' text: its opening (properties, then the town's VTIMEZONE when
 * there are events), the events, and its end.
 */
function assemble(context: CalendarContext, eventTexts: string[]): string {
  return `${calendarHead(context, eventTexts.length > 0)}${eventTexts.join('')}END:VCALENDAR\r\n`;
}

/**
 * The events of activities: single ones as they are, each series (when its dates fit the rule)
 * as one repeating event holding the dates marked shown. Expects every date of each series.
 * Events are rendered into a scratch calendar (ical-generator needs one for each event) and
 * kept as text.
 */
function activityTexts(activities: FeedActivity[], context: CalendarContext): string[] {
  const scratch = newCalendar(context);
  const contextKey = eventContextKey(context);
  const texts: string[] = [];
  const series = new Map<number, FeedActivity[]>();
  for (const activity of activities) {
    if (activity.series_id !== null && activity.series_slot !== null && activity.frequency !== null) {
      const dates = series.get(activity.series_id) ?? [];
      dates.push(activity);
      series.set(activity.series_id, dates);
    } else if (activity.shown) {
      texts.push(eventGroupText(scratch, [activity], contextKey, () => scratch.createEvent(eventData(activity, context))));
    }
  }
  for (const [seriesId, dates] of series) {
    if (!dates.some((d) => d.shown)) continue;
    // Kept as one text either way, so that a build that finds it does not look at the rule.
    texts.push(
      eventGroupText(scratch, dates, contextKey, () => {
        const slots = dates.map((d) => d.series_slot!).sort((a, b) => a.getTime() - b.getTime());
        if (ruleMatches(slots, dates[0]!.frequency!, context.timeZone)) addSeries(scratch, seriesId, dates, context);
        else for (const date of dates) if (date.shown) scratch.createEvent(eventData(date, context));
      }),
    );
  }
  return texts;
}

/** A public calendar: the activities shown, each series as one repeating event. */
export function publicCalendar(activities: FeedActivity[], context: CalendarContext): string {
  return assemble(context, activityTexts(activities, context));
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

export function consultationUid(bookingId: number, baseUrl: string): string {
  return `consultation-${bookingId}@${calendarHost(baseUrl)}`;
}

/** A booked consultation slot: the organisation, topic and language; never the note. */
function consultationEvent(booking: CalendarConsultation, context: CalendarContext): ICalEventData {
  const { t } = context;
  const url = `${context.baseUrl}${localePath(t.locale, '/consultations')}`;
  const topic = t.has(`consultations.topic.${booking.topic}`) ? t(`consultations.topic.${booking.topic}` as Parameters<Translator>[0]) : booking.topic;
  const lines = [`${t('consultations.topic')}: ${topic}`, `${t('consultations.language')}: ${languageName(t.locale, booking.language)}`];
  if (booking.interpreterNeeded) lines.push('', t('consultations.interpreterNeededLong'));
  lines.push('', url);
  const location = booking.remote ? t('consultations.remote') : booking.place.trim();
  return {
    id: consultationUid(booking.bookingId, context.baseUrl),
    // A slot's time never changes; a cancelled booking leaves the feed.
    sequence: 0,
    stamp: booking.updatedAt,
    lastModified: booking.updatedAt,
    start: zoned(booking.startsAt, context.timeZone),
    end: zoned(booking.endsAt, context.timeZone),
    timezone: context.timeZone,
    status: ICalEventStatus.CONFIRMED,
    summary: calendarText(t('consultations.feedTitle', { organisation: booking.organisationName })),
    description: calendarText(lines.join('\n')),
    ...(location ? { location: calendarText(location) } : {}),
    url,
  };
}

export function helpRequestUid(requestId: number, baseUrl: string): string {
  return `help-request-${requestId}@${calendarHost(baseUrl)}`;
}

/**
 * A taken help request, in the feed owner's language: the kind and the other side's first name,
 * the district, a link to the request's page. Never the note, the exact address or the contacts:
 * a feed is a secret link, but calendar apps copy it to their servers and people share their
 * calendars; the page behind the sign-in has the rest. A "this week" request is an all-day
 * span Monday to Sunday.
 */
function helpRequestEvent(request: CalendarHelpRequest, context: CalendarContext): ICalEventData {
  const { t } = context;
  const url = `${context.baseUrl}${localePath(t.locale, `/help-requests/${request.id}`)}`;
  const kind = t(`helpRequests.kind.${request.kind}` as Parameters<Translator>[0]);
  const summary = `${kind} ${t('helpCoordination.feed.with', { name: request.otherFirstName })}`;
  const lines = [t('helpCoordination.feed.district', { district: request.district }), '', t('helpCoordination.feed.page'), url];
  const when = request.startsAt
    ? { start: zoned(request.startsAt, context.timeZone), end: zoned(new Date(request.startsAt.getTime() + HELP_EVENT_MS), context.timeZone) }
    : (() => {
        const [y, m, d] = request.weekOf!.split('-').map(Number) as [number, number, number];
        return { start: zoned(zonedTimeToInstant(context.timeZone, y, m, d), context.timeZone), end: zoned(zonedTimeToInstant(context.timeZone, y, m, d + 7), context.timeZone), allDay: true };
      })();
  return {
    id: helpRequestUid(request.id, context.baseUrl),
    // Its time never changes; handed back, it leaves the feed.
    sequence: 0,
    stamp: request.updatedAt,
    lastModified: request.updatedAt,
    ...when,
    timezone: context.timeZone,
    status: request.status === 'did_not_happen' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: calendarText(summary),
    description: calendarText(lines.join('\n')),
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
 * A person's own calendar: each date they hold a place at (or wait for), CONFIRMED or TENTATIVE,
 * with the UID (and, for a date of a series, the RECURRENCE-ID) that date has everywhere else —
 * a date of a series is an occurrence of the series' event, clipped to the person's dates, so
 * that a calendar holding both this feed and the series' download knows it is the same date;
 * the shifts they volunteer for; their Kümmerer meetings; the consultation slots they booked;
 * and the help requests they asked for or help with, once taken.
 */
export function personalCalendar(feed: PersonalFeed, context: CalendarContext): string {
  const texts = activityTexts(feed.activities, context);
  const scratch = newCalendar(context);
  for (const shift of feed.shifts) scratch.createEvent(shiftEvent(shift, context));
  for (const meeting of feed.meetings) scratch.createEvent(meetingEvent(meeting, context));
  for (const booking of feed.consultations ?? []) scratch.createEvent(consultationEvent(booking, context));
  for (const request of feed.helpRequests ?? []) scratch.createEvent(helpRequestEvent(request, context));
  for (const event of scratch.events()) texts.push(foldLines(event.toString()));
  return assemble(context, texts);
}
