// The retention periods, set by a site admin on /admin/retention.
import { defineAction } from 'astro:actions';
import { changeRetentionPeriods } from '../features/privacy/retention.service.ts';
import { retentionPeriodsInput } from '../features/privacy/retention.schema.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { requestOrigin, run } from './helpers.ts';

export const retention = {
  savePeriods: defineAction({
    accept: 'form',
    input: retentionPeriodsInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      await run(context, () => changeRetentionPeriods(context.locals.db, context.locals.user, input, requestOrigin(context).ip));
      return { flash: { key: 'retention.saved' } };
    },
  }),
};
