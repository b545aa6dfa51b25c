// Linking Telegram from the account: make a one-time link code, or unlink the chat. The code
// rides to the page in an HttpOnly cookie for as long as it works (15 minutes), so that the page
// can show its deep link and QR code again on a reload; only its hash is in the database.
import { defineAction } from 'astro:actions';
import { NotFoundError } from '../features/access/access.ts';
import { createLinkCode, LINK_CODE_LIFETIME_MS, unlinkPerson } from '../features/telegram/telegram.service.ts';
import { localePath } from '../i18n/locales.ts';
import { clearCookie, cookieOptions, isHttps, TELEGRAM_LINK_CODE_COOKIE } from '../lib/cookies.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { requestOrigin, requireUser, run } from './helpers.ts';

export const telegram = {
  createLinkCode: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const { code } = await run(context, async () => {
        // Without a bot there is nothing to link (the page answers 404 too).
        if (!context.locals.telegramBot) throw new NotFoundError('telegram not offered');
        return createLinkCode(context.locals.db, user.id);
      });
      context.cookies.set(TELEGRAM_LINK_CODE_COOKIE, code, cookieOptions(isHttps(context), LINK_CODE_LIFETIME_MS / 1000));
      return { redirect: localePath(context.locals.locale, '/account/telegram') };
    },
  }),

  unlink: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await unlinkPerson(context.locals.db, user.id, requestOrigin(context).ip);
      clearCookie(context.cookies, TELEGRAM_LINK_CODE_COOKIE, isHttps(context));
      return { redirect: localePath(context.locals.locale, '/account/telegram'), flash: { key: 'telegram.unlinked' } };
    },
  }),
};
