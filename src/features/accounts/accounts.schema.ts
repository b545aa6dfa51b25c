import { z } from 'astro/zod';
import { emailField, localeField, passwordField, requiredLine } from '../../lib/form-schema.ts';

export const signUpInput = z.object({
  email: emailField(),
  password: passwordField(),
  displayName: requiredLine(80, 'error.displayName.tooLong'),
  locale: localeField(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

/** The sign-in field takes an e-mail address or a sign-in name (people without an address). */
const loginField = () => requiredLine(254, 'error.login.tooLong');

export const signInInput = z.object({ login: loginField(), password: passwordField() });
export type SignInInput = z.infer<typeof signInInput>;

export const tokenInput = z.object({ token: z.string().min(1).max(200) });

export const forgotPasswordInput = z.object({ login: loginField() });

export const resetPasswordInput = z.object({ token: z.string().min(1).max(200), password: passwordField() });

export const changePasswordInput = z.object({ currentPassword: passwordField(), newPassword: passwordField() });

export const updateProfileInput = z.object({
  displayName: requiredLine(80, 'error.displayName.tooLong'),
  locale: localeField(),
});

export const changeEmailInput = z.object({ newEmail: emailField(), password: passwordField() });

export const signInNameInput = z.object({ signInName: requiredLine(64, 'signInName.error.length'), password: passwordField() });
