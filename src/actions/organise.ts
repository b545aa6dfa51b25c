import { ActionError, defineAction, type ActionAPIContext } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { activityIdInput, activityInput, cancelActivityInput, deleteDraftInput, publishActivityInput } from '../features/activities/activities.schema.ts';
import {
  cancelActivity,
  createActivity,
  deleteDraft,
  duplicateActivity,
  publishActivity,
  reinstateActivity,
  updateActivity,
} from '../features/activities/activities.service.ts';
import { formatDate, formatDateTime } from '../i18n/format.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseForm, refuseWith, requestOrigin, run } from './helpers.ts';

const manage = (locale: Parameters<typeof localePath>[0], id: number) => localePath(locale, `/organise/${id}`);

/** At most this many past dates are named in the warning; the rest are counted. */
const NAMED_PAST_DATES = 3;

/**
 * Refuses with the warning that dates lie in the past, naming them, and asks for the tick in
 * the confirmPast box (the form shows it next to its button).
 */
function refusePastDates(context: ActionAPIContext, dates: Date[]): never {
  const { locale, t } = context.locals;
  // With the year: "6 May" could be next spring as well as a typo for last year.
  const named = dates.slice(0, NAMED_PAST_DATES).map((d) => formatDateTime(locale, TOWN_TIMEZONE, d));
  const more = dates.length > NAMED_PAST_DATES ? [t.plural('past.more', dates.length - NAMED_PAST_DATES)] : [];
  // "A, B, C and 1 more", with the reader's language's own separators and "and".
  const list = new Intl.ListFormat(locale, { type: 'conjunction' }).format([...named, ...more]);
  return refuseWith({
    fields: { confirmPast: 'past.confirmRequired' },
    form: { key: 'past.warning', count: dates.length, params: { dates: list } },
  });
}

export const organise = {
  createActivity: defineAction({
    accept: 'form',
    input: activityInput(TOWN_TIMEZONE),
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => createActivity(context.locals.db, context.locals.user, input));
      if (!result.ok) refusePastDates(context, result.pastDates);
      return { redirect: manage(context.locals.locale, result.id), flash: result.dates > 1 ? { key: 'series.created', count: result.dates } : { key: 'organise.created' } };
    },
  }),

  updateActivity: defineAction({
    accept: 'form',
    // The id travels with the form; the service checks the person may manage it.
    input: activityInput(TOWN_TIMEZONE),
    handler: async (input, context): Promise<ActionOutcome> => {
      const activityId = input.activityId;
      if (!activityId) throw new ActionError({ code: 'NOT_FOUND' });
      const result = await run(context, () => updateActivity(context.locals.db, context.locals.user, activityId, input, requestOrigin(context)));
      if (!result.ok) {
        if ('pastDates' in result) refusePastDates(context, result.pastDates);
        // A refusal about another date of the series names it.
        const on: Record<string, string> = result.date ? { date: formatDate(context.locals.locale, TOWN_TIMEZONE, result.date) } : {};
        if ('count' in result) refuseForm({ key: result.fields.capacity, count: result.count, params: on });
        refuseForm({ key: result.fields.deadlineDate, params: on });
      }
      return { redirect: manage(context.locals.locale, activityId), flash: result.changed > 1 ? { key: 'series.saved', count: result.changed } : { key: 'form.saved' } };
    },
  }),

  publishActivity: defineAction({
    accept: 'form',
    input: publishActivityInput,
    handler: async ({ activityId, confirmPast }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => publishActivity(context.locals.db, context.locals.user, activityId, new Date(), { confirmPast }));
      if (!result.ok) refusePastDates(context, result.pastDates);
      return { flash: result.published > 1 ? { key: 'series.publishedAll', count: result.published } : { key: 'organise.published' } };
    },
  }),

  duplicateActivity: defineAction({
    accept: 'form',
    input: activityIdInput,
    handler: async ({ activityId }, context): Promise<ActionOutcome> => {
      const id = await run(context, () => duplicateActivity(context.locals.db, context.locals.user, activityId));
      return { redirect: `${manage(context.locals.locale, id)}/edit`, flash: { key: 'organise.duplicated' } };
    },
  }),

  cancelActivity: defineAction({
    accept: 'form',
    input: cancelActivityInput,
    handler: async ({ activityId, reason, scope }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => cancelActivity(context.locals.db, context.locals.user, activityId, reason, requestOrigin(context), new Date(), scope));
      return { flash: result.cancelled > 1 ? { key: 'series.cancelledDates', count: result.cancelled } : { key: 'organise.cancelled' } };
    },
  }),

  reinstateActivity: defineAction({
    accept: 'form',
    input: activityIdInput,
    handler: async ({ activityId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => reinstateActivity(context.locals.db, context.locals.user, activityId, requestOrigin(context)));
      if (!result.ok) refuseForm({ key: result.refusal });
      return { redirect: manage(context.locals.locale, activityId), flash: { key: 'series.reinstated' } };
    },
  }),

  deleteDraft: defineAction({
    accept: 'form',
    input: deleteDraftInput,
    handler: async ({ activityId, scope }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => deleteDraft(context.locals.db, context.locals.user, activityId, scope));
      const { locale } = context.locals;
      return { redirect: result.remainingId === null ? localePath(locale, '/organise') : manage(locale, result.remainingId), flash: { key: 'draft.deleted', count: result.deleted } };
    },
  }),
};
