import { z } from 'astro/zod';
import { emailField, idField, optionalText, requiredLine } from '../../lib/form-schema.ts';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])$/;

export const createOrganisationInput = z.object({
  name: requiredLine(120),
  slug: requiredLine(60, 'error.slug.invalid').pipe(z.string().toLowerCase().regex(SLUG_PATTERN, { error: 'error.slug.invalid' })),
  description: optionalText(2000),
});

export const addMemberInput = z.object({
  organisationId: idField(),
  email: emailField(),
  role: z.preprocess((v) => v ?? '', z.enum(['organiser', 'coordinator'], { error: 'error.role.invalid' })),
});

export const removeMemberInput = z.object({
  organisationId: idField(),
  userId: idField(),
  role: z.enum(['organiser', 'coordinator']),
});
