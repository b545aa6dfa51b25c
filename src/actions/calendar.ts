// The personal calendar address: make a new one (replacing the old) or delete it. The new
// token rides to the next page view in a one-minute HttpOnly cookie, the only time it is shown.
import { defineAction } from 'astro:actions';
import { createCalendarToken, revokeCalendarToken } from '../features/feeds/personal-feed.ts';
import { localePath } from '../i18n/locales.ts';
import { cookieOptions, NEW_CALENDAR_TOKEN_COOKIE } from '../lib/cookies.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { requestOrigin, requireUser } from './helpers.ts';

export const calendar = {
  createAddress: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const token = await createCalendarToken(context.locals.db, user.id, requestOrigin(context).ip);
      context.cookies.set(NEW_CALENDAR_TOKEN_COOKIE, token, cookieOptions(context.url.protocol === 'https:', 60));
      return { redirect: localePath(context.locals.locale, '/account/calendar') };
    },
  }),

  revokeAddress: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await revokeCalendarToken(context.locals.db, user.id, requestOrigin(context).ip);
      return { redirect: localePath(context.locals.locale, '/account/calendar'), flash: { key: 'calendarFeed.revoked' } };
    },
  }),
};
