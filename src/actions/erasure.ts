import { defineAction } from 'astro:actions';
import { deleteOnBehalfInput, deleteOwnAccountInput } from '../features/privacy/erasure.schema.ts';
import { deleteOnBehalf, deleteOwnAccount } from '../features/privacy/erasure.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { clearSessionCookie, refuseWith, requestOrigin, requireUser, run } from './helpers.ts';

export const erasure = {
  deleteOwnAccount: defineAction({
    accept: 'form',
    input: deleteOwnAccountInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => deleteOwnAccount(context.locals.db, user, input, requestOrigin(context)));
      if (!result.ok) refuseWith(result);
      // The session went with the account: the cookie goes too, and the person is signed out.
      clearSessionCookie(context);
      return { redirect: localePath(context.locals.locale, '/account/deleted') };
    },
  }),

  deleteOnBehalf: defineAction({
    accept: 'form',
    input: deleteOnBehalfInput,
    handler: async ({ personId }, context): Promise<ActionOutcome> => {
      await run(context, () => deleteOnBehalf(context.locals.db, context.locals.user, personId, requestOrigin(context)));
      return { redirect: localePath(context.locals.locale, '/coordinate/people'), flash: { key: 'erasure.onBehalf.done' } };
    },
  }),
};
