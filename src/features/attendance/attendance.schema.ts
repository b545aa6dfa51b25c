import { z } from 'astro/zod';
import { idField, requiredLine } from '../../lib/form-schema.ts';
import { partySizeField } from '../rsvps/rsvps.schema.ts';

const id = idField();

/** One tap at the door: the state the party should be in, and for a check-in how many came
 * (left out: the whole party). */
export const doorInput = z.object({
  rsvpId: id,
  to: z.enum(['expected', 'checkedIn', 'noShow']),
  arrived: z.preprocess((v) => (v === null || v === '' ? undefined : v), partySizeField().optional()),
});
export const promoteInput = z.object({ rsvpId: id });
export const walkInInput = z.object({
  activityId: id,
  name: requiredLine(80, 'error.displayName.tooLong'),
  partySize: partySizeField(),
});
