import { z } from 'astro/zod';
import { idField, requiredLine } from '../../lib/form-schema.ts';
import { MAX_PARTY_SIZE } from '../rsvps/rsvps.schema.ts';

const id = idField();
const partySize = z.coerce.number({ error: 'error.partySize' }).int({ error: 'error.partySize' }).min(1, { error: 'error.partySize' }).max(MAX_PARTY_SIZE, { error: 'error.partySize' });

/** One tap at the door: the state the party should be in, and for a check-in how many came
 * (left out: the whole party). */
export const doorInput = z.object({
  rsvpId: id,
  to: z.enum(['expected', 'checkedIn', 'noShow']),
  arrived: z.preprocess((v) => (v === null || v === '' ? undefined : v), partySize.optional()),
});
export const promoteInput = z.object({ rsvpId: id });
export const walkInInput = z.object({
  activityId: id,
  name: requiredLine(80, 'error.displayName.tooLong'),
  partySize,
});
