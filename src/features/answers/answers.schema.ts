// The button on an answer page: the link's token and the answer. A token of the wrong shape or
// an answer we do not know names nothing and gets NOT_FOUND, which the form middleware answers
// with 404, as for a token nobody holds.
import { z } from 'astro/zod';
import { NOT_FOUND } from '../../lib/form-schema.ts';
import { ANSWERS } from './answer-links.ts';

export const answerInput = z.object({
  token: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string({ error: NOT_FOUND }).min(1, { error: NOT_FOUND }).max(64, { error: NOT_FOUND })),
  answer: z.enum(ANSWERS, { error: NOT_FOUND }),
});
