import { ActionError, defineAction } from 'astro:actions';
import { doorInput, promoteInput, walkInInput } from '../features/attendance/attendance.schema.ts';
import { addWalkIn, promoteManually, recordAtTheDoor, type DoorRow } from '../features/attendance/attendance.service.ts';
import type { DoorCounts } from '../features/attendance/attendance.counting.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseForm, requestOrigin, run } from './helpers.ts';

export const attendance = {
  // Posted by the door page's forms, and called by its island (fetch), which then updates the
  // row and the counters from the answer. A change the party's current state does not allow
  // answers 409 with the message and that state (the island shows both in the row).
  door: defineAction({
    accept: 'form',
    input: doorInput,
    handler: async (input, context): Promise<ActionOutcome & { row: DoorRow | null; counts: DoorCounts }> => {
      const result = await run(context, () => recordAtTheDoor(context.locals.db, context.locals.user, input));
      if (!result.ok) throw new ActionError({ code: 'CONFLICT', message: JSON.stringify({ form: result.refusal, door: { row: result.row, counts: result.counts } }) });
      return { row: result.row, counts: result.counts };
    },
  }),

  addWalkIn: defineAction({
    accept: 'form',
    input: walkInInput,
    handler: async ({ activityId, name, partySize }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => addWalkIn(context.locals.db, context.locals.user, activityId, { name, partySize }));
      if (!result.ok) refuseForm(result.refusal);
      return { flash: { key: 'door.walkInAdded', params: { name }, count: partySize } };
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
