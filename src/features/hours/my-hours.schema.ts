// The forms of "My hours": correcting one's own entry (a date and start time typed in the
// town's zone, a duration as hours and minutes) and the site admin's volunteer-card threshold.
// Every message is a key, shown next to its field; the entry's owner and status are never form
// fields (the service reads them).
import { z } from 'astro/zod';
import { zonedParts, zonedTimeToInstant } from '../../i18n/format.ts';
import { checkboxField, idField, requiredLine } from '../../lib/form-schema.ts';
import { MAX_MINUTES } from './ledger.ts';
import { RECOGNITION_BOUNDS, STATE_CODES } from './recognition.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const orEmpty = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** A day that exists ("2026-02-30" does not), from 2000 on: hours before the portal are typos. */
function calendarDay(value: string): { y: number; m: number; d: number } | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (y < 2000 || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

/** Hours 0–24 and minutes 0–59 as typed; empty is 0 (someone types only "45" minutes). */
const wholeNumber = (v: unknown) => (orEmpty(v) === '' ? '0' : orEmpty(v));

export function correctionInput(timeZone: string) {
  return z
    .object({
      entryId: idField(),
      date: z.preprocess(orEmpty, z.string().refine((v) => calendarDay(v) !== null, { error: 'error.date.invalid' })),
      time: z.preprocess(orEmpty, z.string().regex(TIME, { error: 'error.time.invalid' })),
      hours: z.preprocess(wholeNumber, z.string().regex(/^\d{1,2}$/, { error: 'hoursMine.error.hours' }).transform(Number).refine((n) => n <= 24, { error: 'hoursMine.error.hours' })),
      minutes: z.preprocess(wholeNumber, z.string().regex(/^\d{1,2}$/, { error: 'hoursMine.error.minutes' }).transform(Number).refine((n) => n <= 59, { error: 'hoursMine.error.minutes' })),
    })
    .superRefine((input, ctx) => {
      // A wrong number has its own message; the bounds of the whole are said only of right ones.
      const valid = (n: number, max: number) => Number.isInteger(n) && n >= 0 && n <= max;
      if (!valid(input.hours, 24) || !valid(input.minutes, 59)) return;
      const total = input.hours * 60 + input.minutes;
      if (total < 1 || total > MAX_MINUTES) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'hoursMine.error.duration' });
    })
    .transform((input) => {
      const day = calendarDay(input.date)!;
      const [h, min] = input.time.split(':').map(Number) as [number, number];
      return { entryId: input.entryId, startsAt: zonedTimeToInstant(timeZone, day.y, day.m, day.d, h, min), minutes: input.hours * 60 + input.minutes };
    });
}
export type CorrectionInput = z.infer<ReturnType<typeof correctionInput>>;

/** The form's values for an entry as it stands: date and time in the town, hours and minutes. */
export function correctionValues(timeZone: string, entry: { startsAt: Date; minutes: number }): Record<'date' | 'time' | 'hours' | 'minutes', string> {
  const p = zonedParts(timeZone, entry.startsAt);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.y}-${two(p.m)}-${two(p.d)}`, time: `${two(p.h)}:${two(p.min)}`, hours: String(Math.floor(entry.minutes / 60)), minutes: String(entry.minutes % 60) };
}

/** A whole number of hours within bounds, or empty (that path of the rule is not used). */
const optionalHours = (bounds: { min: number; max: number }, error: string) =>
  z.preprocess(
    orEmpty,
    z
      .string()
      .regex(/^\d{0,4}$/, { error })
      .transform((v) => (v === '' ? null : Number(v)))
      .refine((n) => n === null || (n >= bounds.min && n <= bounds.max), { error }),
  );

export const recognitionInput = z
  .object({
    enabled: checkboxField(),
    state: z.preprocess(orEmpty, z.enum(STATE_CODES as [string, ...string[]], { error: 'hoursMine.recognition.error.state' })),
    cardName: requiredLine(RECOGNITION_BOUNDS.cardName.max, 'hoursMine.recognition.error.cardName'),
    hoursPerYear: optionalHours(RECOGNITION_BOUNDS.hoursPerYear, 'hoursMine.recognition.error.hoursPerYear'),
    hoursPerWeek: optionalHours(RECOGNITION_BOUNDS.hoursPerWeek, 'hoursMine.recognition.error.hoursPerWeek'),
  })
  .superRefine((input, ctx) => {
    // A card needs a threshold; a town that has none switches the card off instead.
    if (input.hoursPerYear === null && input.hoursPerWeek === null) ctx.addIssue({ code: 'custom', path: ['hoursPerYear'], message: 'hoursMine.recognition.error.noThreshold' });
  })
  .transform((input) => ({ ...input, state: input.state as (typeof STATE_CODES)[number] }));
