import { z } from 'astro/zod';
import { emailField, idField, localeField, optionalLine, optionalText, requiredLine } from '../../lib/form-schema.ts';
import { parsePhone, PHONE_MAX_LENGTH } from './contact.ts';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])$/;

const blank = (v: unknown) => (v === null || v === undefined ? '' : v);

/** An optional phone number (see parsePhone): tidied as shown, null when left empty. */
export const contactPhoneField = () =>
  z.preprocess(
    blank,
    z
      .string()
      .trim()
      .max(PHONE_MAX_LENGTH, { error: 'error.phone.invalid' })
      .refine((v) => v === '' || parsePhone(v) !== null, { error: 'error.phone.invalid' })
      .transform((v) => (v === '' ? null : parsePhone(v)!.display)),
  );

/** An optional e-mail address, lower-cased, null when left empty. */
export const contactEmailField = () =>
  z.preprocess(
    blank,
    z
      .string()
      .trim()
      .max(254, { error: 'error.email.invalid' })
      .refine((v) => v === '' || z.email().safeParse(v).success, { error: 'error.email.invalid' })
      .transform((v) => (v === '' ? null : v.toLowerCase())),
  );

/** The public contact of an organisation; the activity form uses the same fields. */
export const contactInput = z.object({ contactPhone: contactPhoneField(), contactEmail: contactEmailField() });

export const createOrganisationInput = z.object({
  name: requiredLine(120),
  slug: requiredLine(60, 'error.slug.invalid').pipe(z.string().toLowerCase().regex(SLUG_PATTERN, { error: 'error.slug.invalid' })),
  description: optionalText(2000),
});

/** Editing an organisation: its slug stays (feed addresses and links use it). The name is
 * read only for site admins; the service ignores it for organisers. */
export const updateOrganisationInput = z.object({
  organisationId: idField(),
  name: optionalLine(120),
  description: optionalText(2000),
  ...contactInput.shape,
});

export const inviteMemberInput = z.object({
  organisationId: idField(),
  email: emailField(),
  role: z.preprocess((v) => v ?? '', z.enum(['organiser', 'coordinator'], { error: 'error.role.invalid' })),
  displayName: optionalLine(80, 'error.displayName.tooLong'),
  locale: localeField(),
});

export const invitationIdInput = z.object({ invitationId: idField() });

export const acceptInvitationInput = z.object({
  token: z.string().min(1).max(200),
  // Only asked of a person who has no password yet; the service decides.
  displayName: optionalLine(80, 'error.displayName.tooLong'),
  password: z.preprocess(blank, z.string().max(256, { error: 'error.password.tooLong' })),
});

export const removeMemberInput = z.object({
  organisationId: idField(),
  userId: idField(),
  role: z.enum(['organiser', 'coordinator']),
});
