// The bot's side of the conversation (grammY): "/start <code>" links the chat, "/stop" unlinks
// it, "/help" (and anything else written to it) says what the bot is for, a reminder's buttons
// answer for the person linked to the chat, and blocking the bot unlinks the chat at once.
// Every answer is in the linked person's language; a chat linked to nobody gets the language of
// the person's Telegram app when the portal speaks it, else the portal's own (German).
//
// Only private chats are served: a group the bot was added to is ignored, since its members are
// not the person whose messages these are.
import { Bot, GrammyError, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Kysely } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import { LOCALES, localePath, translator, type TextKey, type Translator } from '../../i18n/index.ts';
import type { RsvpContext } from '../rsvps/rsvps.service.ts';
import type { AnswerOutcome, AnswerResult, AnswerService } from './telegram-answers.ts';
import { answerKeyboard } from './telegram-message.ts';
import { personOfChat } from './telegram.queries.ts';
import { parseButtonData, type ButtonPress } from './telegram.schema.ts';
import { linkChatWithCode, unlinkChat } from './telegram.service.ts';

export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  /** Known already (tests), so that the bot need not ask getMe. */
  botInfo?: UserFromGetMe;
}

export interface TelegramBotDeps {
  db: Kysely<Database>;
  /** The one-tap answers the buttons give; null: buttons are answered with "use the link". */
  answers: AnswerService | null;
  /** Where links point (the portal's public address, without a trailing slash). */
  context: RsvpContext;
  townName: string;
  /** Told what went wrong in a handler (the update is not handed out again). */
  onError?: (error: unknown) => void;
}

/** Updates the bot asks Telegram for: messages, button presses, and being blocked or unblocked. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** The portal's own language, for chats linked to nobody whose app speaks none of ours. */
const FALLBACK_LOCALE: Locale = 'de';

/** The language of a Telegram app ("uk", "pt-br"), if the portal speaks it. */
export function localeOfTelegramUser(languageCode: string | undefined): Locale {
  const base = (languageCode ?? '').toLowerCase().split('-')[0];
  return (LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : FALLBACK_LOCALE;
}

const RSVP_WORDS: Record<AnswerOutcome, TextKey> = {
  confirmed: 'telegram.answer.rsvpConfirmed',
  already_confirmed: 'telegram.answer.alreadyConfirmed',
  cancelled: 'telegram.answer.rsvpCancelled',
  already_cancelled: 'telegram.answer.alreadyCancelled',
  waitlisted: 'telegram.answer.waitlisted',
  activity_cancelled: 'telegram.answer.activityCancelled',
  too_late: 'telegram.answer.tooLate',
  not_found: 'telegram.answer.notFound',
};
const SHIFT_WORDS: Record<AnswerOutcome, TextKey> = {
  ...RSVP_WORDS,
  confirmed: 'telegram.answer.shiftConfirmed',
  cancelled: 'telegram.answer.shiftCancelled',
};
const BOOKING_WORDS: Record<AnswerOutcome, TextKey> = {
  ...RSVP_WORDS,
  cancelled: 'telegram.answer.bookingCancelled',
  activity_cancelled: 'telegram.answer.hourCancelled',
};
const WORDS: Record<ButtonPress['target'], Record<AnswerOutcome, TextKey>> = { rsvp: RSVP_WORDS, shift: SHIFT_WORDS, booking: BOOKING_WORDS };

/** What a press came to, in words. */
export function outcomeWords(t: Translator, target: ButtonPress['target'], result: AnswerResult): string {
  return t(WORDS[target][result.outcome] ?? 'telegram.answer.notFound');
}

export function createTelegramBot(options: TelegramBotOptions, deps: TelegramBotDeps): Bot {
  // Long polls last 30 s (grammY's default); anything that takes far longer than that is a
  // connection gone bad, not a slow answer (grammY's own default waits 500 s).
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot, timeoutSeconds: 60 }, ...(options.botInfo ? { botInfo: options.botInfo } : {}) });
  const pageUrl = (locale: Locale) => `${deps.context.baseUrl}${localePath(locale, '/account/telegram')}`;
  const chatIdOf = (ctx: Context) => String(ctx.chat!.id);
  /** The language of this chat: its person's, else the app's. */
  const chatLocale = async (ctx: Context): Promise<{ locale: Locale; person: Awaited<ReturnType<typeof personOfChat>> }> => {
    const person = await personOfChat(deps.db, chatIdOf(ctx));
    return { locale: person?.locale ?? localeOfTelegramUser(ctx.from?.language_code), person };
  };
  const plain = { link_preview_options: { is_disabled: true } } as const;

  const chats = bot.chatType('private');

  chats.command('start', async (ctx) => {
    const code = ctx.match.trim();
    if (!code) {
      const { locale, person } = await chatLocale(ctx);
      const t = translator(locale);
      await ctx.reply(person ? t('telegram.bot.help', { name: person.displayName, url: pageUrl(locale) }) : t('telegram.bot.welcome', { town: deps.townName, url: pageUrl(locale) }), plain);
      return;
    }
    const linked = await linkChatWithCode(deps.db, code, chatIdOf(ctx));
    switch (linked.outcome) {
      case 'linked': {
        const t = translator(linked.locale);
        // Linking alone moves no message here: the person picks the kinds in their settings.
        const text = [
          t('telegram.bot.linked', { name: linked.displayName, town: deps.townName }),
          t('telegram.bot.chooseTopics', { url: `${deps.context.baseUrl}${localePath(linked.locale, '/account/notifications')}` }),
          ...(linked.movedFromAnotherAccount ? [t('telegram.bot.moved')] : []),
        ].join('\n\n');
        await ctx.reply(text, plain);
        return;
      }
      case 'already_linked':
        await ctx.reply(translator(linked.locale)('telegram.bot.alreadyLinked', { name: linked.displayName }), plain);
        return;
      case 'expired':
        await ctx.reply(translator(linked.locale)('telegram.bot.codeExpired', { url: pageUrl(linked.locale) }), plain);
        return;
      case 'unknown': {
        const locale = localeOfTelegramUser(ctx.from?.language_code);
        await ctx.reply(translator(locale)('telegram.bot.codeUnknown', { url: pageUrl(locale) }), plain);
        return;
      }
    }
  });

  chats.command('stop', async (ctx) => {
    const gone = await unlinkChat(deps.db, chatIdOf(ctx), 'stop_command');
    const locale = gone?.locale ?? localeOfTelegramUser(ctx.from?.language_code);
    const t = translator(locale);
    await ctx.reply(gone ? t('telegram.bot.stopped', { url: pageUrl(locale) }) : t('telegram.bot.notLinked', { url: pageUrl(locale) }), plain);
  });

  // Blocking the bot is the person's "stop" too: unlinked now rather than at the next message.
  chats.on('my_chat_member', async (ctx) => {
    if (ctx.myChatMember.new_chat_member.status === 'kicked') await unlinkChat(deps.db, chatIdOf(ctx), 'blocked_bot');
  });

  chats.on('callback_query:data', async (ctx) => {
    const press = parseButtonData(ctx.callbackQuery.data);
    const { locale, person } = await chatLocale(ctx);
    const t = translator(locale);
    if (!press) {
      await ctx.answerCallbackQuery();
      return;
    }
    if (!person) {
      await ctx.answerCallbackQuery({ text: t('telegram.answer.notLinked'), show_alert: true });
      return;
    }
    if (!deps.answers) {
      await ctx.answerCallbackQuery({ text: t('telegram.answer.unavailable'), show_alert: true });
      return;
    }
    const answer = { rsvp: deps.answers.answerRsvpAsPerson, shift: deps.answers.answerShiftAsPerson, booking: deps.answers.answerBookingAsPerson }[press.target];
    const result = await answer(deps.db, deps.context, person.userId, press.id, press.answer);
    const words = outcomeWords(t, press.target, result);
    await ctx.answerCallbackQuery({ text: words });
    // Someone else's RSVP (or none): nothing changed, the message stays as it was.
    if (result.outcome === 'not_found') return;
    const message = ctx.callbackQuery.message;
    // A message older than Telegram keeps for bots comes without its text: it cannot be edited.
    if (!message || !('text' in message) || typeof message.text !== 'string') return;
    // The outcome goes under the message; while the place (or the place on the waitlist) is
    // still held, "can't come" stays on offer.
    const stillHeld = result.outcome === 'confirmed' || result.outcome === 'already_confirmed' || result.outcome === 'waitlisted';
    const keyboard = stillHeld ? answerKeyboard(locale, press.target, press.id, 'not_coming') : undefined;
    try {
      await ctx.editMessageText(`${message.text}\n\n${words}`, {
        ...(message.entities ? { entities: message.entities } : {}),
        ...(keyboard ? { reply_markup: keyboard } : {}),
        ...plain,
      });
    } catch (error) {
      // Pressing the same button twice gives the same text: "message is not modified".
      if (!(error instanceof GrammyError && error.error_code === 400 && /not modified/i.test(error.description))) throw error;
    }
  });

  chats.on('message', async (ctx) => {
    const { locale, person } = await chatLocale(ctx);
    const t = translator(locale);
    await ctx.reply(person ? t('telegram.bot.help', { name: person.displayName, url: pageUrl(locale) }) : t('telegram.bot.welcome', { town: deps.townName, url: pageUrl(locale) }), plain);
  });

  bot.catch((error) => {
    (deps.onError ?? ((e) => console.warn(`[telegram] ${e instanceof Error ? e.message : String(e)}`)))(error.error);
  });
  return bot;
}

/** The bot's commands in each language, for Telegram's menu ("/stop", "/help"). */
export async function describeCommands(bot: Bot): Promise<void> {
  for (const locale of LOCALES) {
    const t = translator(locale);
    const commands = [
      { command: 'help', description: t('telegram.command.help') },
      { command: 'stop', description: t('telegram.command.stop') },
    ];
    await bot.api.setMyCommands(commands, { language_code: locale });
    if (locale === FALLBACK_LOCALE) await bot.api.setMyCommands(commands);
  }
}
