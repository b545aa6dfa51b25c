// Form actions of a volunteer's own hours: correcting a pending entry, and the site admin's
// volunteer-card threshold. Validate (zod) → the service decides who may → refusal or outcome.
import { defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { correctEntry, townYear } from '../features/hours/my-hours.ts';
import { correctionInput, recognitionInput } from '../features/hours/my-hours.schema.ts';
import { changeRecognitionRule } from '../features/hours/recognition.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseWith, requestOrigin, requireUser, run } from './helpers.ts';

export const hoursMine = {
  correct: defineAction({
    accept: 'form',
    input: correctionInput(TOWN_TIMEZONE),
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const now = new Date();
      const result = await run(context, () => correctEntry(context.locals.db, user, input, now));
      if (!result.ok) refuseWith(result);
      // Back to the year the entry is in, where the person sees it corrected.
      const year = townYear(TOWN_TIMEZONE, result.entry.startsAt);
      const back = year === townYear(TOWN_TIMEZONE, now) ? '/my-hours' : `/my-hours?year=${year}`;
      return { redirect: localePath(context.locals.locale, back), flash: { key: result.changed ? 'hoursMine.corrected' : 'hoursMine.unchanged' } };
    },
  }),

  saveRecognition: defineAction({
    accept: 'form',
    input: recognitionInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      await run(context, () => changeRecognitionRule(context.locals.db, context.locals.user, input, requestOrigin(context).ip));
      return { flash: { key: 'hoursMine.recognition.saved' } };
    },
  }),
};
