// Form actions for the keepers of hours (an organisation's members, the coordinators for the
// town's schemes): confirm, take a confirmation back, remove, add by hand. Validate (zod), then
// the service decides who may (hours.access.ts) and does it in one transaction.
import { defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { byHandInput, confirmInput, entryInput } from '../features/hours/keeping.schema.ts';
import { addHoursByHand, confirmEntries, removeEntry, unconfirmEntry } from '../features/hours/keeping.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseFields, refuseForm, requireUser, run } from './helpers.ts';

/** The page the form was on, in the month the entries were added to (after adding by hand). */
function inMonth(url: URL, month: string): string {
  const page = new URL(url);
  page.searchParams.delete('_action');
  page.searchParams.set('month', month);
  return page.pathname + page.search;
}

export const hoursOrganise = {
  confirm: defineAction({
    accept: 'form',
    input: confirmInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => confirmEntries(context.locals.db, user, input, TOWN_TIMEZONE));
      if (!result.ok) refuseForm({ key: 'hoursOrganise.error.changed', count: result.changed });
      return { flash: result.confirmed === 0 ? { key: 'hoursOrganise.alreadyConfirmed' } : { key: 'hoursOrganise.confirmed', count: result.confirmed } };
    },
  }),

  unconfirm: defineAction({
    accept: 'form',
    input: entryInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await run(context, () => unconfirmEntry(context.locals.db, user, input, TOWN_TIMEZONE));
      return { flash: { key: 'hoursOrganise.unconfirmed' } };
    },
  }),

  remove: defineAction({
    accept: 'form',
    input: entryInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await run(context, () => removeEntry(context.locals.db, user, input, TOWN_TIMEZONE));
      return { flash: { key: 'hoursOrganise.removed' } };
    },
  }),

  addByHand: defineAction({
    accept: 'form',
    input: byHandInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => addHoursByHand(context.locals.db, user, input, TOWN_TIMEZONE));
      if (!result.ok) refuseFields(result.fields);
      return { redirect: inMonth(context.url, result.month), flash: { key: 'hoursOrganise.added', count: result.added } };
    },
  }),
};
