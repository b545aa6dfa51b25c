// An outbox message as Telegram shows it: the mail's subject in bold as the first line, then the
// mail's text, both exactly as the mail templates write them in the recipient's language
// (src/features/outbox/templates.ts). Formatting goes as a message entity (offset and length),
// never as parse_mode markup, so no text of anyone's — a title, a name — is ever read as markup
// and nothing needs escaping. Reminders carry the buttons "coming / not coming".
import type { InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity } from 'grammy/types';
import { translator } from '../../i18n/index.ts';
import type { OutboxMessage } from '../outbox/outbox.ts';
import { renderMail, type MailSettings } from '../outbox/templates.ts';
import { buttonData, type ButtonTarget } from './telegram.schema.ts';

/** Telegram's limit for one message's text, in UTF-16 code units (JavaScript's string length). */
export const TELEGRAM_TEXT_LIMIT = 4096;

export interface TelegramPart {
  text: string;
  entities: MessageEntity[];
  keyboard: InlineKeyboardMarkup | null;
}

/** The reminders that can be answered with a tap, and the payload field naming what they answer
 * (the one-tap answers put it there: src/features/answers). */
const ANSWERABLE: Partial<Record<OutboxMessage['kind'], { target: ButtonTarget; field: 'rsvpId' | 'signupId' | 'bookingId' }>> = {
  rsvp_reminder: { target: 'rsvp', field: 'rsvpId' },
  rsvp_promoted: { target: 'rsvp', field: 'rsvpId' },
  volunteer_reminder: { target: 'shift', field: 'signupId' },
  consultation_reminder: { target: 'booking', field: 'bookingId' },
};

/** What the buttons of a message answer, or null when it has none. */
export function answerTarget(message: Pick<OutboxMessage, 'kind' | 'payload'>): { target: ButtonTarget; id: number } | null {
  const answerable = ANSWERABLE[message.kind];
  if (!answerable) return null;
  const id = Number(message.payload[answerable.field]);
  return Number.isSafeInteger(id) && id > 0 ? { target: answerable.target, id } : null;
}

/** The two buttons, or one of them (after "coming", "not coming" stays offered). */
export function answerKeyboard(locale: OutboxMessage['locale'], target: ButtonTarget, id: number, only?: 'not_coming'): InlineKeyboardMarkup {
  const t = translator(locale);
  // An appointment is come to like an activity; a shift is joined.
  const coming: InlineKeyboardButton = { text: t(target === 'shift' ? 'telegram.button.shiftComing' : 'telegram.button.coming'), callback_data: buttonData({ target, id, answer: 'coming' }) };
  const notComing: InlineKeyboardButton = {
    text: t(target === 'shift' ? 'telegram.button.shiftNotComing' : 'telegram.button.notComing'),
    callback_data: buttonData({ target, id, answer: 'not_coming' }),
  };
  return { inline_keyboard: [only ? [notComing] : [coming, notComing]] };
}

/**
 * The message in one or more parts: Telegram takes at most 4,096 characters at a time, so a long
 * text (a week's programme) is cut at line ends (or, for a line longer than that, inside it).
 * The buttons go under the last part.
 */
export function renderTelegramMessage(message: OutboxMessage, settings: MailSettings): TelegramPart[] {
  const mail = renderMail(message, settings);
  const subject = mail.subject.trim();
  const text = `${subject}\n\n${mail.text.trim()}`;
  const pieces = splitText(text, TELEGRAM_TEXT_LIMIT);
  const target = answerTarget(message);
  return pieces.map((piece, index) => ({
    text: piece,
    // The subject is short: it always fits in the first part.
    entities: index === 0 && subject ? [{ type: 'bold', offset: 0, length: Math.min(subject.length, piece.length) }] : [],
    keyboard: index === pieces.length - 1 && target ? answerKeyboard(message.locale, target.target, target.id) : null,
  }));
}

/** Cuts text into pieces of at most `limit` UTF-16 units, at the last line end that fits. */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut <= 0) {
      cut = limit;
      // Never between the two halves of a character outside the BMP (an emoji).
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  if (rest.trim() || pieces.length === 0) pieces.push(rest);
  return pieces;
}
