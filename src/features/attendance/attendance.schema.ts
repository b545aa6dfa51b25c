import { z } from 'astro/zod';
import { idField, requiredLine } from '../../lib/form-schema.ts';
import { MAX_PARTY_SIZE } from '../rsvps/rsvps.schema.ts';

const id = idField();
const flag = z.preprocess((v) => v === 'true' || v === 'on' || v === '1', z.boolean());

export const checkInInput = z.object({ rsvpId: id, checkedIn: flag });
export const noShowInput = z.object({ rsvpId: id, noShow: flag });
export const promoteInput = z.object({ rsvpId: id });
export const walkInInput = z.object({
  activityId: id,
  name: requiredLine(80, 'error.displayName.tooLong'),
  partySize: z.coerce.number({ error: 'error.partySize' }).int({ error: 'error.partySize' }).min(1, { error: 'error.partySize' }).max(MAX_PARTY_SIZE, { error: 'error.partySize' }),
});
