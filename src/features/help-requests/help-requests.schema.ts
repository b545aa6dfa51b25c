// The help-request forms. Kinds and wishes are fixed lists (translated on the pages); languages
// are the spoken-language codes activities use. A time is typed in the town's zone and becomes
// an instant here; "any time this week" needs no date. Status and the helper are never form
// fields; the one person id a form carries (`forPerson`, whom a Kümmerer or coordinator asks
// for) is only a wish: the service checks that the poster speaks for that person.
import { z } from 'astro/zod';
import { zonedTimeToInstant } from '../../i18n/format.ts';
import { checkboxField, idField, optionalLine, optionalText, requiredLine } from '../../lib/form-schema.ts';
import { SPOKEN_LANGUAGES } from '../activities/activities.schema.ts';

export const HELP_KINDS = ['authority', 'doctor', 'school', 'interpreting', 'lift', 'carrying', 'other'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];

export const HELP_LANGUAGES = SPOKEN_LANGUAGES;

/** A phone number, a messenger name, "ring twice": short. */
export const MAX_CONTACT = 200;
export const MAX_THANKS = 500;

/** A day of accompaniment is long; more than that was typed wrong. */
export const MAX_MINUTES = 1440;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const orEmpty = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Several checkboxes with one name; at least one, none unknown (see mentoring.schema.ts on
 * why the array comes first). */
const languages = () =>
  z
    .array(z.string())
    .max(HELP_LANGUAGES.length, { error: 'error.choices.invalid' })
    .pipe(z.array(z.enum(HELP_LANGUAGES, { error: 'helpRequests.error.languages' })).min(1, { error: 'helpRequests.error.languages' }))
    .transform((values) => [...new Set(values)]);

export function requestInput(timeZone: string) {
  return z
    .object({
      kind: z.preprocess(orEmpty, z.enum(HELP_KINDS, { error: 'helpRequests.error.kind' })),
      when: z.preprocess(orEmpty, z.enum(['time', 'week'], { error: 'helpRequests.error.when' })),
      date: z.preprocess(orEmpty, z.string()),
      time: z.preprocess(orEmpty, z.string()),
      district: requiredLine(100),
      address: requiredLine(300, 'error.note.tooLong'),
      languages: languages(),
      wantsWoman: checkboxField(),
      needsCar: checkboxField(),
      needsChildSeat: checkboxField(),
      note: optionalText(1000, 'error.note.tooLong'),
      /** Whom the request is for; empty for oneself. */
      forPerson: z.preprocess((v) => (v === null || v === undefined || v === '' ? undefined : v), idField().optional()).transform((v) => v ?? null),
      askerContact: optionalLine(MAX_CONTACT, 'helpCoordination.error.contactTooLong'),
      healthConsent: checkboxField(),
    })
    .superRefine((input, ctx) => {
      // A doctor's visit reveals health (Art. 9 GDPR): only with the person's explicit consent.
      if (input.kind === 'doctor' && !input.healthConsent) ctx.addIssue({ code: 'custom', path: ['healthConsent'], message: 'helpCoordination.error.healthConsent' });
      if (input.when !== 'time') return;
      if (!DATE.test(input.date)) ctx.addIssue({ code: 'custom', path: ['date'], message: 'error.date.invalid' });
      if (!TIME.test(input.time)) ctx.addIssue({ code: 'custom', path: ['time'], message: 'error.time.invalid' });
    })
    .transform(({ when, date, time, ...rest }) => {
      if (when === 'week') return { ...rest, startsAt: null };
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const [h, min] = time.split(':').map(Number) as [number, number];
      return { ...rest, startsAt: zonedTimeToInstant(timeZone, y, m, d, h, min) };
    });
}
export type RequestInput = z.infer<ReturnType<typeof requestInput>>;

export const requestIdInput = z.object({ requestId: idField() });

/** Taking a request, with what the helper shares with the asker (optional). */
export const takeInput = z.object({ requestId: idField(), helperContact: optionalLine(MAX_CONTACT, 'helpCoordination.error.contactTooLong') });

/** The asker's thanks, with an optional message. */
export const thankInput = z.object({ requestId: idField(), message: optionalText(MAX_THANKS, 'helpCoordination.error.thanksTooLong') });

/** The helper's report: done with the minutes spent, or it did not happen. */
export const finishInput = z
  .object({
    requestId: idField(),
    outcome: z.preprocess(orEmpty, z.enum(['done', 'did_not_happen'], { error: 'helpRequests.error.outcome' })),
    minutes: z.preprocess(orEmpty, z.string()),
  })
  .superRefine((input, ctx) => {
    if (input.outcome !== 'done') return;
    const minutes = Number(input.minutes);
    if (!/^\d{1,4}$/.test(input.minutes) || minutes < 1 || minutes > MAX_MINUTES) ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'helpRequests.error.minutes' });
  })
  .transform((input) => ({ requestId: input.requestId, outcome: input.outcome, minutes: input.outcome === 'done' ? Number(input.minutes) : null }));
