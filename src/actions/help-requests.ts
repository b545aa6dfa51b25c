// Form actions for help requests: validate (zod), then the service decides who may and does it.
import { defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { finishInput, requestIdInput, requestInput, takeInput, thankInput } from '../features/help-requests/help-requests.schema.ts';
import { finishRequest, handBackRequest, postRequest, takeRequest, thankHelper, withdrawRequest, type HelpRequestRefusal } from '../features/help-requests/help-requests.service.ts';
import { askHelper } from '../features/help-requests/matching.service.ts';
import { idField } from '../lib/form-schema.ts';
import { z } from 'astro/zod';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseFields, refuseForm, requestOrigin, requireUser, run } from './helpers.ts';

function refuse(result: HelpRequestRefusal): never {
  if (result.fields) refuseFields(result.fields);
  refuseForm(result.form ?? { key: 'error.generic' });
}

export const helpRequests = {
  post: defineAction({
    accept: 'form',
    input: requestInput(TOWN_TIMEZONE),
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => postRequest(context.locals.db, user, input, TOWN_TIMEZONE, requestOrigin(context)));
      if (!result.ok) refuse(result);
      return { redirect: localePath(context.locals.locale, '/my-help-requests'), flash: { key: 'helpRequests.posted' } };
    },
  }),

  withdraw: defineAction({
    accept: 'form',
    input: requestIdInput,
    handler: async ({ requestId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => withdrawRequest(context.locals.db, context.locals.user, requestId));
      if (!result.ok) refuse(result);
      return { redirect: localePath(context.locals.locale, '/my-help-requests'), flash: { key: 'helpRequests.withdrawn' } };
    },
  }),

  take: defineAction({
    accept: 'form',
    input: takeInput,
    handler: async ({ requestId, helperContact }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => takeRequest(context.locals.db, context.locals.user, requestId, requestOrigin(context), new Date(), helperContact));
      if (!result.ok) refuse(result);
      return { redirect: localePath(context.locals.locale, `/help-requests/${requestId}`), flash: { key: 'helpRequests.taken' } };
    },
  }),

  handBack: defineAction({
    accept: 'form',
    input: requestIdInput,
    handler: async ({ requestId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => handBackRequest(context.locals.db, context.locals.user, requestId, requestOrigin(context)));
      if (!result.ok) refuse(result);
      return { redirect: localePath(context.locals.locale, '/my-help-requests'), flash: { key: 'helpRequests.handedBack' } };
    },
  }),

  finish: defineAction({
    accept: 'form',
    input: finishInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => finishRequest(context.locals.db, context.locals.user, input));
      if (!result.ok) refuse(result);
      return { flash: { key: 'helpRequests.finished' } };
    },
  }),

  thank: defineAction({
    accept: 'form',
    input: thankInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => thankHelper(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) refuse(result);
      return { flash: { key: 'helpCoordination.thanked' } };
    },
  }),

  /** A coordinator asks one fitting helper directly (matching.service.ts decides who may). */
  askHelper: defineAction({
    accept: 'form',
    input: z.object({ requestId: idField(), helperId: idField() }),
    handler: async ({ requestId, helperId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => askHelper(context.locals.db, context.locals.user, requestId, helperId, requestOrigin(context), new Date(), TOWN_TIMEZONE));
      if (!result.ok) refuseForm(result.form);
      return { redirect: `${localePath(context.locals.locale, `/help-requests/${requestId}`)}#suggested-helpers`, flash: { key: 'helpMatching.asked' } };
    },
  }),
};
