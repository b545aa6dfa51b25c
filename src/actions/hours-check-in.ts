// Form actions for checking volunteers in (the roles page and the door): validate → service →
// refusal. Who may is the service's (setVolunteerCheckIn): anyone but the activity's
// organisers gets "not found".
import { defineAction } from 'astro:actions';
import { setVolunteerCheckIn } from '../features/volunteering/check-in.ts';
import { checkInInput } from '../features/volunteering/volunteering.schema.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseForm, run } from './helpers.ts';

export const hoursCheckIn = {
  checkIn: defineAction({
    accept: 'form',
    input: checkInInput,
    handler: async ({ signupId, present }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => setVolunteerCheckIn(context.locals.db, context.locals.user, { signupId, present }));
      if (!result.ok) refuseForm(result.refusal);
      return { flash: { key: present ? 'hoursCheckIn.checkedIn' : 'hoursCheckIn.undone', params: { name: result.displayName } } };
    },
  }),
};
