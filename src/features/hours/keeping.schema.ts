// The keepers' forms: confirming entries of a month, taking a confirmation back, removing an
// entry, and adding hours by hand for one person or several. Messages are message keys.
// Every form names its scope ("town", or the organisation's slug) and the month it was shown
// for: the service touches only entries of that scope and month.
import { z } from 'astro/zod';
import { idField, optionalLine, requiredLine } from '../../lib/form-schema.ts';
import { MAX_ID } from '../../lib/ids.ts';
import { isMonthKey, MAX_MINUTES, type MonthKey } from './ledger.ts';

export { TOWN_SCOPE } from './hours.access.ts';

const scopeField = () => requiredLine(100);
const monthField = () => z.string({ error: 'error.notFound' }).refine(isMonthKey, { error: 'error.notFound' }).transform((v) => v as MonthKey);

/** Ticked entries (checkboxes named entryIds); a browser sends each once. */
const idList = (tooMany: number) =>
  z
    .array(z.preprocess((v) => (typeof v === 'string' && /^\d{1,10}$/.test(v) && Number(v) <= MAX_ID ? Number(v) : Number.NaN), z.number({ error: 'error.notFound' }).int().positive({ error: 'error.notFound' })))
    .max(tooMany, { error: 'error.choices.invalid' })
    .default([]);

/** The most entries one post confirms or people one post adds hours for. */
export const MAX_AT_ONCE = 500;

/**
 * Confirming: one entry (the entry's own button, `only`), the ticked ones (`entryIds`), or
 * all pending ones of the month (`all`, with the number the button named: if more came in
 * meanwhile, the person is asked to look again rather than confirm what they did not see).
 */
export const confirmInput = z
  .object({
    scope: scopeField(),
    month: monthField(),
    only: z.preprocess((v) => (v === '' || v === null || v === undefined ? undefined : v), idField().optional()),
    entryIds: idList(MAX_AT_ONCE),
    allPending: z.preprocess((v) => (v === '' || v === null || v === undefined ? undefined : v), z.coerce.number().int().min(1).max(100_000).optional()),
  })
  .superRefine((input, ctx) => {
    if (input.only === undefined && input.allPending === undefined && input.entryIds.length === 0) ctx.addIssue({ code: 'custom', path: ['entryIds'], message: 'hoursOrganise.error.noneSelected' });
  });
export type ConfirmInput = z.output<typeof confirmInput>;

export const entryInput = z.object({ scope: scopeField(), month: monthField(), entryId: idField() });
export type EntryInput = z.output<typeof entryInput>;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const wholeNumber = (max: number) =>
  z.preprocess((v) => (v === '' || v === null || v === undefined ? 0 : v), z.coerce.number({ error: 'hoursOrganise.error.duration' }).int({ error: 'hoursOrganise.error.duration' }).min(0, { error: 'hoursOrganise.error.duration' }).max(max, { error: 'hoursOrganise.error.duration' }));

export const byHandInput = z
  .object({
    scope: scopeField(),
    month: monthField(),
    userIds: idList(MAX_AT_ONCE),
    date: z.string({ error: 'error.required' }).regex(DATE, { error: 'hoursOrganise.error.date' }),
    startTime: z.string({ error: 'error.required' }).regex(TIME, { error: 'error.time.invalid' }),
    hours: wholeNumber(24),
    minutes: wholeNumber(59),
    description: requiredLine(200, 'hoursOrganise.error.tooLong'),
    place: optionalLine(200, 'hoursOrganise.error.tooLong'),
    activityId: z.preprocess((v) => (v === '' || v === null || v === undefined ? undefined : v), idField().optional()),
  })
  .superRefine((input, ctx) => {
    if (input.userIds.length === 0) ctx.addIssue({ code: 'custom', path: ['userIds'], message: 'hoursOrganise.error.people' });
    const total = input.hours * 60 + input.minutes;
    if (total < 1 || total > MAX_MINUTES) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'hoursOrganise.error.duration' });
  });
export type ByHandInput = z.output<typeof byHandInput>;
