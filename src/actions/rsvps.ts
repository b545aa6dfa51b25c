import { defineAction } from 'astro:actions';
import { cancelRsvpInput, changeRsvpInput, createRsvpInput, createRsvpOnBehalfInput } from '../features/rsvps/rsvps.schema.ts';
import { cancelRsvp, changePartySize, createRsvp, createRsvpOnBehalf, type RsvpRefusal } from '../features/rsvps/rsvps.service.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseFields, refuseForm, requestOrigin, requireUser, run } from './helpers.ts';

function refuse(refusal: RsvpRefusal): never {
  refuseForm('count' in refusal ? { key: refusal.key, count: refusal.count } : { key: refusal.key });
}

export const rsvps = {
  create: defineAction({
    accept: 'form',
    input: createRsvpInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => createRsvp(context.locals.db, user, input, requestOrigin(context)));
      if (!result.ok) refuse(result.refusal);
      return {
        flash:
          result.status === 'going'
            ? { key: 'rsvp.going' }
            : { key: 'rsvp.waitlisted', count: result.waitlistPosition ?? 1 },
      };
    },
  }),

  createOnBehalf: defineAction({
    accept: 'form',
    input: createRsvpOnBehalfInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => createRsvpOnBehalf(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) {
        if ('fields' in result) refuseFields(result.fields);
        refuse(result.refusal);
      }
      return { flash: { key: result.status === 'going' ? 'rsvp.onBehalfGoing' : 'rsvp.onBehalfWaitlisted', params: { email: input.email } } };
    },
  }),

  changePartySize: defineAction({
    accept: 'form',
    input: changeRsvpInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => changePartySize(context.locals.db, user, input, requestOrigin(context)));
      if (!result.ok) refuse(result.refusal);
      return { flash: { key: 'form.saved' } };
    },
  }),

  cancel: defineAction({
    accept: 'form',
    input: cancelRsvpInput,
    handler: async ({ rsvpId }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => cancelRsvp(context.locals.db, user, rsvpId, requestOrigin(context)));
      if (!result.ok) refuse(result.refusal);
      return { flash: { key: 'rsvp.cancelled' } };
    },
  }),
};
