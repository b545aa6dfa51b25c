// Form actions for consents: validate (zod), then the service decides who may and does it.
import { defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { recordPaperConsentInput, withdrawConsentInput } from '../features/privacy/consent.schema.ts';
import { recordPaperConsent, withdrawConsent } from '../features/privacy/consent.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseWith, requestOrigin, requireUser, run } from './helpers.ts';

export const consent = {
  /** On the person's own page, or a coordinator's for them. */
  withdraw: defineAction({
    accept: 'form',
    input: withdrawConsentInput,
    handler: async ({ consentId }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => withdrawConsent(context.locals.db, user, consentId, requestOrigin(context)));
      if (!result.ok) refuseWith(result);
      return { flash: { key: result.role === 'coordinator' ? 'consent.coordinate.withdrawn' : 'consent.withdrawn' } };
    },
  }),

  recordPaper: defineAction({
    accept: 'form',
    input: recordPaperConsentInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () =>
        recordPaperConsent(context.locals.db, context.locals.user, { personId: input.personId, purpose: input.purpose, signedOn: input.consentSignedOn }, requestOrigin(context), TOWN_TIMEZONE),
      );
      if (!result.ok) refuseWith(result);
      return { flash: { key: 'consent.coordinate.recorded' } };
    },
  }),
};
