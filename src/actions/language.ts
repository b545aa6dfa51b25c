// Choosing the interface language: from the menu, or by turning down the offer of another
// language. A form post (no JavaScript needed, and no state changed by a GET); the choice is
// remembered in a cookie and, for a signed-in person, as their preferred language. Answers
// with the same page in the chosen language.
import { defineAction } from 'astro:actions';
import { chooseLanguageInput } from '../features/language/language.schema.ts';
import { rememberLanguage } from '../features/language/language.service.ts';
import { localePath } from '../i18n/locales.ts';
import { cookieOptions, LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE } from '../lib/cookies.ts';
import type { ActionOutcome } from '../lib/form-state.ts';

export const language = {
  choose: defineAction({
    accept: 'form',
    input: chooseLanguageInput,
    handler: async ({ locale, path }, context): Promise<ActionOutcome> => {
      const secure = context.url.protocol === 'https:';
      context.cookies.set(LANGUAGE_COOKIE, locale, cookieOptions(secure, LANGUAGE_COOKIE_MAX_AGE));
      await rememberLanguage(context.locals.db, context.locals.user, locale);
      // The schema let only a path of this site through.
      return { redirect: localePath(locale, path) };
    },
  }),
};
