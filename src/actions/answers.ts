// The one-tap answer page's button: zod → the token's person answers through the service →
// what the page says next. No session needed: the link's token is the permission, for its one
// RSVP or shift only.
import { defineAction } from 'astro:actions';
import { answerInput } from '../features/answers/answers.schema.ts';
import { answerByToken, type TokenAnswerResult } from '../features/answers/answers.service.ts';
import { NotFoundError } from '../features/access/access.ts';
import { RateLimitedError } from '../features/rate-limit/rate-limit.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { requestOrigin, run } from './helpers.ts';

/** What the page says after the button: only what changed now. An answer that changed nothing
 * (given before, too late) has no message: the page itself then says what had happened. */
function doneMessage(result: Extract<TokenAnswerResult, { kind: 'rsvp' | 'shift' | 'booking' }>): ActionOutcome['flash'] {
  if (result.outcome === 'confirmed') return { key: 'answers.done.confirmed' };
  if (result.outcome !== 'cancelled') return undefined;
  if (result.kind === 'shift') return { key: 'answers.done.shiftWithdrawn' };
  if (result.kind === 'booking') return { key: 'answers.done.cancelled' };
  return { key: result.promoted > 0 ? 'answers.done.cancelledPromoted' : 'answers.done.cancelled' };
}

export const answers = {
  answer: defineAction({
    accept: 'form',
    input: answerInput,
    handler: async ({ token, answer }, context): Promise<ActionOutcome> => {
      const origin = requestOrigin(context);
      return run(context, async () => {
        const result = await answerByToken(context.locals.db, { baseUrl: origin.baseUrl }, token, answer, origin.ip);
        if (result.kind === 'unknown') throw new NotFoundError('answer link');
        if (result.kind === 'rate-limited') throw new RateLimitedError(result.retryAfterMs);
        const flash = doneMessage(result);
        return flash ? { flash } : {};
      });
    },
  }),
};
