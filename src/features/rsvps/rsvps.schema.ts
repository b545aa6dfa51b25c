import { z } from 'astro/zod';
import { emailField, idField, optionalText } from '../../lib/form-schema.ts';

/** The person plus up to 9 others, children counted. */
export const MAX_PARTY_SIZE = 10;

/** How many people come, the person included; also the size of a party at the door. */
export const partySizeField = () =>
  z.preprocess(
    (v) => (v === null || v === undefined || v === '' ? undefined : v),
    z.coerce.number({ error: 'error.partySize' }).int({ error: 'error.partySize' }).min(1, { error: 'error.partySize' }).max(MAX_PARTY_SIZE, { error: 'error.partySize' }),
  );

export const createRsvpInput = z.object({
  activityId: idField(),
  partySize: partySizeField(),
  note: optionalText(500, 'error.note.tooLong'),
});

export const changeRsvpInput = z.object({
  rsvpId: idField(),
  partySize: partySizeField(),
});

export const cancelRsvpInput = z.object({
  rsvpId: idField(),
});

/** A coordinator's RSVP for a newcomer, found by e-mail address. */
export const createRsvpOnBehalfInput = createRsvpInput.extend({ email: emailField() });
