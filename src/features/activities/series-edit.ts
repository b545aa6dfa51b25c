// Which dates of a series a change reaches, and what each of them becomes: the rules calendar
// programs follow when one edits "this date / this and all following / the whole series".
//   * The date being edited takes the form as it is.
//   * Every other date in the scope takes only the fields the organiser changed, so a date
//     with its own place keeps it when only the cost changes.
//   * A new time of day, length or day applies to each date on its own day (where the rule put
//     it); a date that was moved on its own keeps its time, and the rule's slot moves with the
//     rule so that calendar feeds still find it (RECURRENCE-ID).
//   * Cancelled dates stay cancelled but take the change, so that reinstating one brings it
//     back as the rest of the series is. Dates that have begun are history and stay as they were.
// Pure functions: the service locks the dates, checks seats and writes.
import type { Activity, Locale } from '../../db/schema.ts';
import { clockMinutes, zonedParts, zonedSpan, zonedTimeToInstant } from '../../i18n/format.ts';
import type { ActivityInput, EditScope } from './activities.schema.ts';
import { addDays, daysBetween, type CalendarDate } from './series.ts';

/** The columns the activity form writes. */
export function formColumns(input: ActivityInput) {
  return {
    title: input.title,
    description: input.description,
    source_locale: input.sourceLocale,
    translations: JSON.stringify(input.translations),
    category: input.category,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    place_name: input.placeName,
    address: input.address,
    online_url: input.onlineUrl,
    capacity: input.capacity,
    rsvp_deadline: input.rsvpDeadline,
    languages: input.languages,
    german_level: input.germanLevel,
    audience: input.audience,
    childcare: input.childcare,
    wheelchair_accessible: input.wheelchairAccessible,
    cost: input.cost,
    contact_name: input.contactName,
    contact_phone: input.contactPhone,
    contact_email: input.contactEmail,
  };
}

export type DateChanges = Partial<ReturnType<typeof formColumns>> & { series_slot?: Date };

export interface PlannedDate {
  before: Activity;
  set: DateChanges;
  /** Time or place changed: the revision rises and the people who RSVPed are told. */
  timeOrPlace: boolean;
}

export type EditPlan = { ok: true; dates: PlannedDate[] } | { ok: false; message: 'error.deadline.afterStartOn'; date: Date };

/** Fields that travel to the other dates only when the organiser changed them. */
const PROPAGATED = [
  'title',
  'description',
  'source_locale',
  'category',
  'place_name',
  'address',
  'online_url',
  'capacity',
  'languages',
  'german_level',
  'audience',
  'childcare',
  'wheelchair_accessible',
  'cost',
  'contact_name',
  'contact_phone',
  'contact_email',
] as const;

/** Where the series' rule puts the date (a date moved alone keeps its slot), in ms. */
export const slotOf = (a: Pick<Activity, 'series_slot' | 'starts_at'>) => (a.series_slot ?? a.starts_at).getTime();

/**
 * The dates a change of `chosen` reaches, in the order of the series: the chosen one, and for
 * "following" or "all" the others that have not begun (for "following", those the rule puts
 * at or after the chosen one). `includeStarted` is for deleting drafts, which have no history.
 */
export function datesInScope(dates: Activity[], chosen: Activity, scope: EditScope, now: Date, options: { includeStarted?: boolean } = {}): Activity[] {
  if (chosen.series_id === null || scope === 'this') return [chosen];
  return dates
    .filter((d) => d.id === chosen.id || ((options.includeStarted || d.starts_at.getTime() > now.getTime()) && (scope === 'all' || slotOf(d) >= slotOf(chosen))))
    .sort((a, b) => slotOf(a) - slotOf(b) || a.id - b.id);
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return (a as Date | null)?.getTime() === (b as Date | null)?.getTime();
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function dayOf(timeZone: string, instant: Date): CalendarDate {
  const p = zonedParts(timeZone, instant);
  return { y: p.y, m: p.m, d: p.d };
}

function minutesOf(timeZone: string, instant: Date): number {
  const p = zonedParts(timeZone, instant);
  return p.h * 60 + p.min;
}

const lengthOf = (a: Pick<Activity, 'starts_at' | 'ends_at'>) => a.ends_at.getTime() - a.starts_at.getTime();

/** A deadline as its distance in days before the date and its time of day, or null. */
function deadlineRule(timeZone: string, a: Pick<Activity, 'starts_at' | 'rsvp_deadline'>): { daysBefore: number; minutes: number } | null {
  if (!a.rsvp_deadline) return null;
  return { daysBefore: daysBetween(dayOf(timeZone, a.rsvp_deadline), dayOf(timeZone, a.starts_at)), minutes: minutesOf(timeZone, a.rsvp_deadline) };
}

function deadlineFor(timeZone: string, startsAt: Date, rule: { daysBefore: number; minutes: number } | null): Date | null {
  if (!rule) return null;
  const day = addDays(dayOf(timeZone, startsAt), -rule.daysBefore);
  return zonedTimeToInstant(timeZone, day.y, day.m, day.d, Math.floor(rule.minutes / 60), rule.minutes % 60);
}

/** The length most dates that sit where the rule put them have: the series' own length. */
function usualLength(dates: Activity[], fallback: number): number {
  const counts = new Map<number, number>();
  for (const d of dates) if (d.starts_at.getTime() === slotOf(d)) counts.set(lengthOf(d), (counts.get(lengthOf(d)) ?? 0) + 1);
  let best = fallback;
  let most = 0;
  for (const [length, count] of counts) if (count > most) [best, most] = [length, count];
  return best;
}

const timeOrPlaceChanged = (before: Activity, set: DateChanges) =>
  (['starts_at', 'ends_at', 'place_name', 'address', 'online_url'] as const).some((k) => set[k] !== undefined && !same(before[k], set[k]));

/**
 * The dates of a series that were moved or made longer or shorter on their own: they keep their
 * own time when the series' time changes.
 */
export function movedAloneTest(dates: Activity[], fallbackLength: number): (date: Activity) => boolean {
  const usual = usualLength(dates, fallbackLength);
  return (d) => d.starts_at.getTime() !== slotOf(d) || lengthOf(d) !== usual;
}

/**
 * What each date in the scope becomes when `edited` is saved with `input`. `dates` are all the
 * dates of its series (or the activity alone).
 */
export function planEdit(dates: Activity[], edited: Activity, input: ActivityInput, now: Date): EditPlan {
  const timeZone = input.timeZone;
  const columns = formColumns(input);
  const inScope = datesInScope(dates, edited, input.scope, now);
  const several = inScope.length > 1 || (edited.series_id !== null && input.scope !== 'this');

  // What the organiser changed on the edited date, read in the town's wall-clock time.
  const changed = PROPAGATED.filter((k) => !same(edited[k], columns[k]));
  const changedLocales = (Object.keys({ ...edited.translations, ...input.translations }) as Locale[]).filter(
    (l) => (edited.translations[l]?.title ?? '') !== (input.translations[l]?.title ?? '') || (edited.translations[l]?.description ?? '') !== (input.translations[l]?.description ?? ''),
  );
  const dayShift = daysBetween(dayOf(timeZone, edited.starts_at), input.wallClock.date);
  const newStart = clockMinutes(input.wallClock.startTime);
  const newLength = (clockMinutes(input.wallClock.endTime) - newStart) * 60_000;
  const timeChanged = dayShift !== 0 || newStart !== minutesOf(timeZone, edited.starts_at) || newLength !== lengthOf(edited);
  const newDeadline = input.wallClock.deadline ? { daysBefore: input.wallClock.deadline.daysBefore, minutes: clockMinutes(input.wallClock.deadline.time) } : null;
  const deadlineChanged = !same(deadlineRule(timeZone, edited), newDeadline);
  const movedAlone = movedAloneTest(dates, lengthOf(edited));
  /** Where the changed rule puts a date: its own slot's day, shifted, at the new time. */
  const ruleSpan = (d: Activity) => zonedSpan(timeZone, addDays(dayOf(timeZone, new Date(slotOf(d))), dayShift), input.wallClock.startTime, input.wallClock.endTime);

  const planned: PlannedDate[] = [];
  for (const date of inScope) {
    let set: DateChanges;
    if (date.id === edited.id) {
      set = { ...columns };
      if (several && timeChanged) set.series_slot = ruleSpan(date).startsAt;
    } else {
      set = {};
      for (const k of changed) (set as Record<string, unknown>)[k] = columns[k];
      if (changedLocales.length > 0) {
        const translations = { ...date.translations };
        for (const l of changedLocales) {
          const given = input.translations[l];
          if (given) translations[l] = given;
          else delete translations[l];
        }
        set.translations = JSON.stringify(translations);
      }
      if (timeChanged) {
        const span = ruleSpan(date);
        set.series_slot = span.startsAt;
        if (!movedAlone(date)) {
          set.starts_at = span.startsAt;
          set.ends_at = span.endsAt;
        }
      }
      // A deadline keeps its distance in days and its time of day: the new one where the
      // organiser changed it, the date's own when only the date moved.
      if (deadlineChanged) set.rsvp_deadline = deadlineFor(timeZone, set.starts_at ?? date.starts_at, newDeadline);
      else if (set.starts_at && date.rsvp_deadline) set.rsvp_deadline = deadlineFor(timeZone, set.starts_at, deadlineRule(timeZone, date));
    }
    const startsAt = set.starts_at ?? date.starts_at;
    const deadline = set.rsvp_deadline !== undefined ? set.rsvp_deadline : date.rsvp_deadline;
    if (deadline && deadline.getTime() > startsAt.getTime()) return { ok: false, message: 'error.deadline.afterStartOn', date: startsAt };
    planned.push({ before: date, set, timeOrPlace: timeOrPlaceChanged(date, set) });
  }
  return { ok: true, dates: planned };
}

/** The dates a change would put into the past (their start moved, and now lies behind us). */
export function newlyPast(planned: PlannedDate[], now: Date): Date[] {
  return planned
    .filter((p) => p.set.starts_at && p.set.starts_at.getTime() !== p.before.starts_at.getTime() && p.set.starts_at.getTime() < now.getTime())
    .map((p) => p.set.starts_at!);
}

/** One choice of "which dates": the scope and how many dates it reaches. */
export interface ScopeChoice {
  scope: EditScope;
  dates: number;
}

/**
 * The choices "which dates?" for a change of `chosen`, each with how many things it reaches
 * (`reached` turns the dates a scope reaches into the ids of what it changes there: the dates
 * themselves, or a volunteer role on each), leaving out those that reach the same as another
 * (for the first date, "this and all following" is "all"; for the last, it is "this date").
 */
export function scopeChoices(
  dates: Activity[],
  chosen: Activity,
  now: Date,
  reached: (dates: Activity[]) => number[],
  options: { includeStarted?: boolean } = {},
): ScopeChoice[] | null {
  if (chosen.series_id === null || dates.length < 2) return null;
  const seen = new Set<string>();
  const result: ScopeChoice[] = [];
  for (const scope of ['this', 'all', 'following'] as const) {
    const ids = reached(datesInScope(dates, chosen, scope, now, options));
    const key = ids.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ scope, dates: ids.length });
  }
  // Shown in the order calendar programs use.
  const order: EditScope[] = ['this', 'following', 'all'];
  result.sort((a, b) => order.indexOf(a.scope) - order.indexOf(b.scope));
  return result.length > 1 ? result : null;
}
