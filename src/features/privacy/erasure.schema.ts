// The forms of deleting an account: the person's own (with their password), and a
// coordinator's on someone's behalf (with the box that says the person asked for it).
import { z } from 'astro/zod';
import { checkboxField, idField, passwordField } from '../../lib/form-schema.ts';

export const deleteOwnAccountInput = z.object({ password: passwordField() });

export const deleteOnBehalfInput = z.object({
  personId: idField(),
  confirm: checkboxField().refine((ticked) => ticked, { error: 'erasure.error.confirm' }),
});
