// The organiser's activity form. Dates and times are typed as wall-clock time in the town's
// zone and become instants here, so a 18:00 café stays at 18:00 across the clock change.
import { z } from 'astro/zod';
import { ACTIVITY_CATEGORIES, AUDIENCES, GERMAN_LEVELS, LOCALES, type Locale } from '../../db/schema.ts';
import { zonedSpan, zonedTimeToInstant } from '../../i18n/format.ts';
import { checkboxField, choiceList, idField, optionalLine, optionalText, optionalWebAddress, requiredLine, requiredText } from '../../lib/form-schema.ts';
import { contactEmailField, contactPhoneField } from '../organisations/organisations.schema.ts';
import { addDays, daysBetween, MAX_OCCURRENCES, occurrenceDates, parseDate } from './series.ts';

/** Languages an organiser can tick as spoken at the activity: ours plus those newcomers in
 * German towns often speak. */
export const SPOKEN_LANGUAGES = ['de', 'en', 'ar', 'uk', 'tr', 'fa', 'ru', 'ku', 'ps', 'ti', 'so', 'fr', 'es'] as const;

/** Which dates of a series a change is for, as calendar programs ask: this one, this one and
 * every later one, or all of them (dates already past stay as they were). */
export const EDIT_SCOPES = ['this', 'following', 'all'] as const;
export type EditScope = (typeof EDIT_SCOPES)[number];

/** The "which dates?" choice of a form; a date alone unless the organiser chose otherwise. */
export const scopeField = () => z.preprocess((v) => v ?? 'this', z.enum(EDIT_SCOPES));

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const blankToUndefined = (v: unknown) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v);

function instant(timeZone: string, date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  return zonedTimeToInstant(timeZone, y, m, d, h, min);
}

export function activityInput(timeZone: string) {
  return z
    .object({
      /** Only when editing; the service checks who may edit it. */
      activityId: z.preprocess(blankToUndefined, idField().optional()),
      organisationId: idField(),
      title: requiredLine(120, 'error.title.tooLong'),
      description: optionalText(8000, 'error.description.tooLong'),
      sourceLocale: z.preprocess((v) => v ?? 'de', z.enum(LOCALES, { error: 'error.locale.invalid' })),
      category: z.preprocess((v) => v ?? '', z.enum(ACTIVITY_CATEGORIES, { error: 'error.category.required' })),
      date: z.preprocess((v) => v ?? '', z.string().regex(DATE, { error: 'error.date.invalid' })),
      startTime: z.preprocess((v) => v ?? '', z.string().regex(TIME, { error: 'error.time.invalid' })),
      endTime: z.preprocess((v) => v ?? '', z.string().regex(TIME, { error: 'error.time.invalid' })),
      placeName: optionalLine(200),
      address: optionalLine(300),
      onlineUrl: optionalWebAddress(),
      capacity: z.preprocess(blankToUndefined, z.coerce.number({ error: 'error.capacity.invalid' }).int({ error: 'error.capacity.invalid' }).min(1, { error: 'error.capacity.invalid' }).max(10_000, { error: 'error.capacity.invalid' }).optional()),
      deadlineDate: z.preprocess(blankToUndefined, z.string().regex(DATE, { error: 'error.date.invalid' }).optional()),
      deadlineTime: z.preprocess(blankToUndefined, z.string().regex(TIME, { error: 'error.time.invalid' }).optional()),
      languages: choiceList(SPOKEN_LANGUAGES),
      germanLevel: z.preprocess(blankToUndefined, z.enum(GERMAN_LEVELS).optional()),
      audience: choiceList(AUDIENCES),
      childcare: checkboxField(),
      wheelchairAccessible: checkboxField(),
      cost: optionalLine(100),
      contactName: optionalLine(120),
      // The activity's own way to reach its contact; when both are empty the organisation's shows.
      contactPhone: contactPhoneField(),
      contactEmail: contactEmailField(),
      /** Only when creating: the occurrences are made once; each is edited on its own later. */
      repeat: z.preprocess((v) => v ?? 'none', z.enum(['none', 'weekly', 'fortnightly', 'monthly'])),
      repeatCount: z.preprocess(blankToUndefined, z.coerce.number({ error: 'error.repeat.count' }).int({ error: 'error.repeat.count' }).min(2, { error: 'error.repeat.count' }).max(MAX_OCCURRENCES, { error: 'error.repeat.count' }).optional()),
      repeatUntil: z.preprocess(blankToUndefined, z.string().regex(DATE, { error: 'error.date.invalid' }).optional()),
      wholeSeries: checkboxField(),
      /** Only when editing a date of a series: which of its dates the change is for. */
      scope: scopeField(),
      /** The organiser saw which dates lie in the past and wants them so. */
      confirmPast: checkboxField(),
      ...Object.fromEntries(LOCALES.flatMap((l) => [[`title_${l}`, optionalLine(120, 'error.title.tooLong')], [`description_${l}`, optionalText(8000, 'error.description.tooLong')]])),
    })
    .superRefine((input, ctx) => {
      if (!input.placeName && !input.address && !input.onlineUrl) ctx.addIssue({ code: 'custom', path: ['placeName'], message: 'error.place.required' });
      if (DATE.test(input.date) && TIME.test(input.startTime) && TIME.test(input.endTime) && input.endTime <= input.startTime) {
        ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'error.time.endBeforeStart' });
      }
      if (Boolean(input.deadlineDate) !== Boolean(input.deadlineTime)) {
        ctx.addIssue({ code: 'custom', path: [input.deadlineDate ? 'deadlineTime' : 'deadlineDate'], message: 'error.deadline.incomplete' });
      } else if (input.deadlineDate && input.deadlineTime && `${input.deadlineDate}T${input.deadlineTime}` > `${input.date}T${input.startTime}`) {
        ctx.addIssue({ code: 'custom', path: ['deadlineDate'], message: 'error.deadline.afterStart' });
      }
      if (input.repeat !== 'none' && DATE.test(input.date)) {
        if (input.repeatCount === undefined && input.repeatUntil === undefined) {
          ctx.addIssue({ code: 'custom', path: ['repeatCount'], message: 'error.repeat.endRequired' });
        } else if (input.repeatUntil !== undefined && input.repeatUntil <= input.date) {
          ctx.addIssue({ code: 'custom', path: ['repeatUntil'], message: 'error.repeat.untilBeforeStart' });
        }
      }
    })
    .transform((input) => {
      const translations: Partial<Record<Locale, { title: string; description: string }>> = {};
      const record = input as unknown as Record<string, string>;
      for (const l of LOCALES) {
        const title = record[`title_${l}`] ?? '';
        const description = record[`description_${l}`] ?? '';
        if (l !== input.sourceLocale && (title || description)) translations[l] = { title: title || input.title, description };
      }
      // The occurrences on their calendar dates, all at the same wall-clock times; a deadline
      // keeps its distance in days and its time of day.
      const first = parseDate(input.date);
      const dates =
        input.repeat === 'none'
          ? [first]
          : occurrenceDates(first, input.repeat, {
              ...(input.repeatCount !== undefined ? { count: input.repeatCount } : {}),
              ...(input.repeatUntil !== undefined ? { until: parseDate(input.repeatUntil) } : {}),
            });
      const deadlineDays = input.deadlineDate ? daysBetween(parseDate(input.deadlineDate), first) : 0;
      const at = (d: { y: number; m: number; d: number }, time: string) => instant(timeZone, `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`, time);
      // Each date lasts as long as the clock says, also where its start falls into the
      // spring-forward gap (see zonedSpan).
      const occurrences = dates.map((d) => ({
        ...zonedSpan(timeZone, d, input.startTime, input.endTime),
        rsvpDeadline: input.deadlineTime ? at(addDays(d, -deadlineDays), input.deadlineTime) : null,
      }));
      return {
        timeZone,
        scope: input.scope,
        confirmPast: input.confirmPast,
        /** What was typed, in the town's zone: an edit of several dates applies it to each day. */
        wallClock: { date: first, startTime: input.startTime, endTime: input.endTime, deadline: input.deadlineDate && input.deadlineTime ? { daysBefore: deadlineDays, time: input.deadlineTime } : null },
        series: input.repeat === 'none' ? null : { frequency: input.repeat, wholeSeries: input.wholeSeries },
        occurrences,
        activityId: input.activityId,
        organisationId: input.organisationId,
        title: input.title,
        description: input.description,
        sourceLocale: input.sourceLocale,
        translations,
        category: input.category,
        startsAt: occurrences[0]!.startsAt,
        endsAt: occurrences[0]!.endsAt,
        placeName: input.placeName || null,
        address: input.address || null,
        onlineUrl: input.onlineUrl ?? null,
        capacity: input.capacity ?? null,
        rsvpDeadline: input.deadlineDate && input.deadlineTime ? instant(timeZone, input.deadlineDate, input.deadlineTime) : null,
        languages: input.languages,
        germanLevel: input.germanLevel ?? null,
        audience: input.audience,
        childcare: input.childcare,
        wheelchairAccessible: input.wheelchairAccessible,
        cost: input.cost || null,
        contactName: input.contactName || null,
        contactPhone: input.contactPhone,
        contactEmail: input.contactEmail,
      };
    });
}
export type ActivityInput = z.output<ReturnType<typeof activityInput>>;

export const activityIdInput = z.object({ activityId: idField() });
export const cancelActivityInput = z.object({
  activityId: idField(),
  reason: requiredText(500, 'error.reason.tooLong'),
  scope: scopeField(),
});
export const publishActivityInput = z.object({
  activityId: idField(),
  confirmPast: checkboxField(),
});
export const deleteDraftInput = z.object({
  activityId: idField(),
  scope: scopeField(),
});
