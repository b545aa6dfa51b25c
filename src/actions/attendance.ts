import { defineAction } from 'astro:actions';
import { checkInInput, noShowInput, promoteInput, walkInInput } from '../features/attendance/attendance.schema.ts';
import { addWalkIn, promoteManually, setCheckedIn, setNoShow } from '../features/attendance/attendance.service.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseForm, requestOrigin, run } from './helpers.ts';

export const attendance = {
  // Also called by the check-in island (fetch), which then updates the row in place.
  checkIn: defineAction({
    accept: 'form',
    input: checkInInput,
    handler: async ({ rsvpId, checkedIn }, context): Promise<ActionOutcome> => {
      await run(context, () => setCheckedIn(context.locals.db, context.locals.user, rsvpId, checkedIn));
      return {};
    },
  }),

  noShow: defineAction({
    accept: 'form',
    input: noShowInput,
    handler: async ({ rsvpId, noShow }, context): Promise<ActionOutcome> => {
      await run(context, () => setNoShow(context.locals.db, context.locals.user, rsvpId, noShow));
      return {};
    },
  }),

  addWalkIn: defineAction({
    accept: 'form',
    input: walkInInput,
    handler: async ({ activityId, name, partySize }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => addWalkIn(context.locals.db, context.locals.user, activityId, { name, partySize }));
      if (!result.ok) refuseForm(result.refusal);
      return { flash: { key: 'attendees.walkInAdded' } };
    },
  }),

  promote: defineAction({
    accept: 'form',
    input: promoteInput,
    handler: async ({ rsvpId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => promoteManually(context.locals.db, context.locals.user, rsvpId, requestOrigin(context)));
      if (!result.ok) refuseForm(result.refusal);
      return { flash: { key: 'attendees.promoted' } };
    },
  }),
};
