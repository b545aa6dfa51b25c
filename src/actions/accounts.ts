import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import {
  changePassword,
  changeSignInName,
  confirmEmail,
  LINK_STATE_MESSAGES,
  requestPasswordReset,
  resendConfirmation,
  requestEmailChange,
  resetPassword,
  signIn,
  signOut,
  signOutEverywhere,
  signUp,
  updateProfile,
} from '../features/accounts/accounts.service.ts';
import {
  changeEmailInput,
  changePasswordInput,
  forgotPasswordInput,
  resetPasswordInput,
  signInInput,
  signInNameInput,
  signUpInput,
  tokenInput,
  updateProfileInput,
} from '../features/accounts/accounts.schema.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { safeRedirectPath } from '../lib/form-state.ts';
import { clearSessionCookie, refuseFields, requestOrigin, requireUser, run, setSessionCookie } from './helpers.ts';

export const accounts = {
  signUp: defineAction({
    accept: 'form',
    input: signUpInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => signUp(context.locals.db, input, requestOrigin(context)));
      if (!result.ok) refuseFields(result.fields);
      return { redirect: localePath(context.locals.locale, '/sign-in'), flash: { key: 'signUp.checkEmail', params: { email: input.email } } };
    },
  }),

  confirmEmail: defineAction({
    accept: 'form',
    input: tokenInput,
    handler: async ({ token }, context): Promise<ActionOutcome> => {
      const outcome = await confirmEmail(context.locals.db, token, requestOrigin(context));
      const next = context.locals.user ? '/account' : '/sign-in';
      if (outcome.ok) return { redirect: localePath(context.locals.locale, next), flash: { key: outcome.purpose === 'change_email' ? 'confirm.changed' : 'confirm.done' } };
      // A link opened again after it worked: say so, in green, rather than "invalid".
      if (outcome.state === 'used') return { redirect: localePath(context.locals.locale, next), flash: { key: LINK_STATE_MESSAGES.used } };
      refuseFields({ token: LINK_STATE_MESSAGES[outcome.state] });
    },
  }),

  resendConfirmation: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await run(context, () => resendConfirmation(context.locals.db, user.id, requestOrigin(context)));
      return { flash: { key: 'confirm.resent' } };
    },
  }),

  signIn: defineAction({
    accept: 'form',
    input: signInInput.extend({ next: z.string().max(500).nullish() }),
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => signIn(context.locals.db, input, requestOrigin(context)));
      if (!result.ok) refuseFields({ password: 'error.signIn.failed' });
      setSessionCookie(context, result.token, result.expiresAt);
      return {
        redirect: safeRedirectPath(input.next, localePath(context.locals.locale, '/')),
        ...(result.emailUnconfirmed ? { flash: { key: 'signIn.confirmReminder', params: { email: result.emailUnconfirmed } } } : {}),
      };
    },
  }),

  signOut: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      if (context.locals.session) await signOut(context.locals.db, context.locals.session, requestOrigin(context).ip);
      clearSessionCookie(context);
      return { redirect: localePath(context.locals.locale, '/'), flash: { key: 'signOut.done' } };
    },
  }),

  signOutEverywhere: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await signOutEverywhere(context.locals.db, user.id, requestOrigin(context).ip);
      clearSessionCookie(context);
      return { redirect: localePath(context.locals.locale, '/sign-in'), flash: { key: 'signOut.everywhereDone' } };
    },
  }),

  forgotPassword: defineAction({
    accept: 'form',
    input: forgotPasswordInput,
    handler: async ({ login }, context): Promise<ActionOutcome> => {
      await run(context, () => requestPasswordReset(context.locals.db, login, requestOrigin(context)));
      return { flash: { key: 'forgot.sent', params: { login } } };
    },
  }),

  resetPassword: defineAction({
    accept: 'form',
    input: resetPasswordInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await resetPassword(context.locals.db, input, requestOrigin(context));
      if (!result.ok) refuseFields(result.fields);
      clearSessionCookie(context);
      return { redirect: localePath(context.locals.locale, '/sign-in'), flash: { key: 'reset.done' } };
    },
  }),

  changePassword: defineAction({
    accept: 'form',
    input: changePasswordInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await changePassword(context.locals.db, user.id, input, requestOrigin(context));
      if (!result.ok) refuseFields(result.fields);
      setSessionCookie(context, result.token, result.expiresAt);
      return { flash: { key: 'account.passwordChanged' } };
    },
  }),

  changeEmail: defineAction({
    accept: 'form',
    input: changeEmailInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => requestEmailChange(context.locals.db, user.id, input, requestOrigin(context)));
      if (!result.ok) refuseFields(result.fields);
      return { flash: { key: 'email.change.sent', params: { email: input.newEmail } } };
    },
  }),

  changeSignInName: defineAction({
    accept: 'form',
    input: signInNameInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await changeSignInName(context.locals.db, user.id, input);
      if (!result.ok) refuseFields(result.fields);
      return { flash: { key: 'signInName.saved', params: { name: result.signInName } } };
    },
  }),

  updateProfile: defineAction({
    accept: 'form',
    input: updateProfileInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await updateProfile(context.locals.db, user.id, input);
      // Show the account page in the language just chosen.
      return { redirect: localePath(input.locale, '/account'), flash: { key: 'form.saved' } };
    },
  }),
};
