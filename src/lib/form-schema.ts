// Zod building blocks for HTML forms. Messages are message keys (see src/i18n), translated
// next to the field by the page. Empty form fields arrive as null; we treat them as ''.
import { z } from 'astro/zod';
import { LOCALES } from '../db/schema.ts';

const text = () => z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string());

export const requiredText = (max: number, tooLong: string = 'error.name.tooLong') =>
  text().pipe(z.string().trim().min(1, { error: 'error.required' }).max(max, { error: tooLong }));

export const optionalText = (max: number, tooLong: string = 'error.name.tooLong') =>
  text().pipe(z.string().trim().max(max, { error: tooLong }));

/** E-mail addresses are compared and stored in lower case. */
export const emailField = () =>
  text().pipe(
    z
      .string()
      .trim()
      .min(1, { error: 'error.required' })
      .max(254, { error: 'error.email.invalid' })
      .pipe(z.email({ error: 'error.email.invalid' }))
      .transform((v) => v.toLowerCase()),
  );

/** Passwords are taken as typed (no trimming: a space can be part of one). */
export const passwordField = () => text().pipe(z.string().min(1, { error: 'error.required' }));

export const localeField = () => text().pipe(z.enum(LOCALES, { error: 'error.locale.invalid' }));
