import { ActionError, defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { activityIdInput, activityInput, cancelActivityInput } from '../features/activities/activities.schema.ts';
import { cancelActivity, createActivity, duplicateActivity, publishActivity, updateActivity } from '../features/activities/activities.service.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseForm, requestOrigin, run } from './helpers.ts';

const manage = (locale: Parameters<typeof localePath>[0], id: number) => localePath(locale, `/organise/${id}`);

export const organise = {
  createActivity: defineAction({
    accept: 'form',
    input: activityInput(TOWN_TIMEZONE),
    handler: async (input, context): Promise<ActionOutcome> => {
      const id = await run(context, () => createActivity(context.locals.db, context.locals.user, input));
      return { redirect: manage(context.locals.locale, id), flash: { key: 'organise.created' } };
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
      if (!result.ok) refuseForm({ key: 'error.capacity.belowTaken', count: result.count });
      return { redirect: manage(context.locals.locale, activityId), flash: { key: 'form.saved' } };
    },
  }),

  publishActivity: defineAction({
    accept: 'form',
    input: activityIdInput,
    handler: async ({ activityId }, context): Promise<ActionOutcome> => {
      await run(context, () => publishActivity(context.locals.db, context.locals.user, activityId));
      return { flash: { key: 'organise.published' } };
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
    handler: async ({ activityId, reason }, context): Promise<ActionOutcome> => {
      await run(context, () => cancelActivity(context.locals.db, context.locals.user, activityId, reason, requestOrigin(context)));
      return { flash: { key: 'organise.cancelled' } };
    },
  }),
};
