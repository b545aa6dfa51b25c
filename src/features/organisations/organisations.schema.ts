import { z } from 'astro/zod';
import { emailField, optionalText, requiredText } from '../../lib/form-schema.ts';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])$/;

export const createOrganisationInput = z.object({
  name: requiredText(120),
  slug: requiredText(60, 'error.slug.invalid').pipe(z.string().toLowerCase().regex(SLUG_PATTERN, { error: 'error.slug.invalid' })),
  description: optionalText(2000),
});

export const addMemberInput = z.object({
  organisationId: z.coerce.number().int().positive(),
  email: emailField(),
  role: z.preprocess((v) => v ?? '', z.enum(['organiser', 'coordinator'], { error: 'error.role.invalid' })),
});

export const removeMemberInput = z.object({
  organisationId: z.coerce.number().int().positive(),
  userId: z.coerce.number().int().positive(),
  role: z.enum(['organiser', 'coordinator']),
});
