// Reads our iCalendar output the way calendar apps do, with three parsers the portal does not
// use to write it: ical.js (Mozilla's, which resolves TZID through the VTIMEZONE we send),
// node-ical (which resolves TZID by the zone's name and expands rules with its own code) and
// ical-expander (ical.js 1 with Mozilla's own zone data, matching overrides to the rule's dates
// by their instant, as web calendars built on it do). Each gives every occurrence, with EXDATE
// applied and RECURRENCE-ID overrides in place, so a test can compare what a person's calendar
// will show with the database.
import IcalExpander from 'ical-expander';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';

export interface ParsedOccurrence {
  uid: string;
  start: string;
  end: string;
  status: string | null;
  sequence: number;
  summary: string;
  description: string;
  location: string;
  /** Set on a date the rule made (the master's or an override's RECURRENCE-ID). */
  recurrenceId: string | null;
}

export interface ParsedCalendar {
  occurrences: ParsedOccurrence[];
  /** Per UID: the RRULE as text (null for a single event). */
  rules: Map<string, string | null>;
}

const UNTIL = new Date('2100-01-01T00:00:00Z');

function byStart(a: ParsedOccurrence, b: ParsedOccurrence): number {
  return a.start.localeCompare(b.start) || a.uid.localeCompare(b.uid);
}

type Instant = { toJSDate(): Date };

/** An event of ical.js (ical-expander's, too) at one of its dates, as the tests compare it. */
function describeEvent(
  event: { uid: string; component: { getFirstPropertyValue(name: string): unknown }; sequence?: number | null; summary?: string | null; description?: string | null; location?: string | null },
  start: Instant,
  end: Instant,
  recurrenceId: Instant | null | undefined,
): ParsedOccurrence {
  return {
    uid: event.uid,
    start: start.toJSDate().toISOString(),
    end: end.toJSDate().toISOString(),
    status: (event.component.getFirstPropertyValue('status') as string | null) ?? null,
    sequence: event.sequence ?? 0,
    summary: event.summary ?? '',
    description: event.description ?? '',
    location: event.location ?? '',
    recurrenceId: recurrenceId ? recurrenceId.toJSDate().toISOString() : null,
  };
}

export function parseWithIcalJs(text: string): ParsedCalendar {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const masters = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Event[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    if (event.isRecurrenceException()) exceptions.push(event);
    else masters.set(event.uid, event);
  }
  for (const exception of exceptions) {
    const master = masters.get(exception.uid);
    if (!master) throw new Error(`RECURRENCE-ID without its series: ${exception.uid}`);
    master.relateException(exception);
  }
  const occurrences: ParsedOccurrence[] = [];
  const rules = new Map<string, string | null>();
  for (const event of masters.values()) {
    const rule = event.component.getFirstPropertyValue('rrule');
    rules.set(event.uid, rule ? rule.toString() : null);
    if (!event.isRecurring()) {
      occurrences.push(describeEvent(event, event.startDate, event.endDate, null));
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.toJSDate() > UNTIL || occurrences.length > 5000) break;
      const details = event.getOccurrenceDetails(next);
      occurrences.push(describeEvent(details.item, details.startDate, details.endDate, details.recurrenceId));
    }
  }
  return { occurrences: occurrences.sort(byStart), rules };
}

type Text = string | { val: string } | undefined;
const text = (value: Text): string => (typeof value === 'string' ? value : (value?.val ?? ''));

export function parseWithNodeIcal(body: string): ParsedCalendar {
  const parsed = nodeIcal.sync.parseICS(body);
  const occurrences: ParsedOccurrence[] = [];
  const rules = new Map<string, string | null>();
  for (const component of Object.values(parsed)) {
    if (!component || component.type !== 'VEVENT') continue;
    const event = component as nodeIcal.VEvent;
    rules.set(event.uid, event.rrule ? event.rrule.toString().split('\n').find((l: string) => l.startsWith('RRULE:'))?.slice(6) ?? event.rrule.toString() : null);
    const instances = event.rrule
      ? nodeIcal.expandRecurringEvent(event, { from: new Date('1970-01-01T00:00:00Z'), to: UNTIL })
      : [{ start: event.start, end: event.end!, event, isOverride: false, isRecurring: false }];
    for (const instance of instances) {
      const source = instance.event as nodeIcal.VEvent & { recurrenceid?: Date };
      occurrences.push({
        uid: event.uid,
        start: new Date(instance.start).toISOString(),
        end: new Date(instance.end).toISOString(),
        status: (source.status as string | undefined) ?? null,
        sequence: Number(source.sequence ?? 0),
        summary: text(source.summary as Text),
        description: text(source.description as Text),
        location: text(source.location as Text),
        recurrenceId: event.rrule ? (source.recurrenceid ? new Date(source.recurrenceid).toISOString() : new Date(instance.start).toISOString()) : null,
      });
    }
  }
  return { occurrences: occurrences.sort(byStart), rules };
}

/** ical-expander's occurrences: the dates a rule makes (an override in place of its date), and
 * single events; an override whose series is not in the file is dropped, as it does. */
export function parseWithIcalExpander(body: string): ParsedOccurrence[] {
  const expanded = new IcalExpander({ ics: body, maxIterations: 5000 }).between(new Date('1970-01-01T00:00:00Z'), UNTIL);
  const occurrences = [
    ...expanded.events.map((event) => describeEvent(event, event.startDate, event.endDate, event.recurrenceId)),
    ...expanded.occurrences.map((o) => describeEvent(o.item, o.startDate, o.endDate, o.recurrenceId)),
  ];
  return occurrences.sort(byStart);
}

/** Both parsers' reading, which must agree with each other before it is compared with anything. */
export function parseBoth(body: string): { icalJs: ParsedCalendar; nodeIcal: ParsedCalendar } {
  return { icalJs: parseWithIcalJs(body), nodeIcal: parseWithNodeIcal(body) };
}

/**
 * A calendar that holds both files, as calendar apps keep one: each occurrence is known by its
 * UID and RECURRENCE-ID (a single event by its UID alone), and the same pair from two files is
 * one entry. Returns the entries with their occurrences, for asserting that an occurrence comes
 * once.
 */
export function oneCalendar(...bodies: string[]): Map<string, ParsedOccurrence[]> {
  const entries = new Map<string, ParsedOccurrence[]>();
  for (const body of bodies) {
    for (const occurrence of parseWithIcalJs(body).occurrences) {
      const key = `${occurrence.uid} ${occurrence.recurrenceId ?? ''}`;
      entries.set(key, [...(entries.get(key) ?? []), occurrence]);
    }
  }
  return entries;
}

/** The raw text's shape per RFC 5545 §3.1: CRLF endings, no line longer than 75 octets. */
export function contentLineProblems(body: string): string[] {
  const problems: string[] = [];
  if (!body.endsWith('END:VCALENDAR\r\n')) problems.push('does not end with END:VCALENDAR and CRLF');
  if (/[^\r]\n/.test(body)) problems.push('bare LF line ending');
  for (const line of body.slice(0, -2).split('\r\n')) {
    const octets = new TextEncoder().encode(line).length;
    if (octets > 75) problems.push(`line of ${octets} octets: ${line.slice(0, 30)}…`);
  }
  return problems;
}
