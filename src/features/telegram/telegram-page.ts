// What /account/telegram shows (the page only lays it out): linked since when, or the link code
// the person just made (its deep link, and a QR code of it for someone reading on a computer),
// or how to start. Nothing here changes anything: codes are made and chats unlinked by posts.
import QRCode from 'qrcode';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { linkedSince } from './telegram.queries.ts';
import { pendingLinkCode } from './telegram.service.ts';

export type TelegramPageView =
  /** No bot, and no chat linked from earlier: the page does not exist. */
  | { state: 'not_offered' }
  /** `justLinked`: the code made on this browser has just been used. `offered`: false when the
   * bot was switched off since — the chat stays linked (and can be unlinked) but gets nothing. */
  | { state: 'linked'; linkedAt: Date; justLinked: boolean; offered: boolean }
  | { state: 'code'; deepLink: string; qrSvg: string; expiresAt: Date }
  /** `codeExpired`: this browser had a code that no longer works. */
  | { state: 'start'; codeExpired: boolean };

export interface TelegramPage {
  view: TelegramPageView;
  /** The code's cookie has served its purpose (used, replaced or expired). */
  dropCookie: boolean;
}

/** The deep link that opens the bot with the code: Telegram sends "/start <code>" when the
 * person taps "Start". */
export function deepLink(botUsername: string, code: string): string {
  return `https://t.me/${encodeURIComponent(botUsername)}?start=${code}`;
}

/** A QR code of the address as SVG, made here (no image service sees the code). Hidden from
 * screen readers: the page names it and gives the same address as a link beside it. */
export async function qrCodeSvg(address: string): Promise<string> {
  const svg = await QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return svg.replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
}

export async function loadTelegramPage(
  db: Kysely<Database>,
  userId: number,
  options: { botUsername: string | null; cookieCode: string | null; now?: Date },
): Promise<TelegramPage> {
  const now = options.now ?? new Date();
  const linkedAt = await linkedSince(db, userId);
  if (linkedAt) {
    return { view: { state: 'linked', linkedAt, justLinked: options.cookieCode !== null, offered: options.botUsername !== null }, dropCookie: options.cookieCode !== null };
  }
  if (!options.botUsername) return { view: { state: 'not_offered' }, dropCookie: options.cookieCode !== null };
  if (options.cookieCode) {
    const expiresAt = await pendingLinkCode(db, userId, options.cookieCode, now);
    if (expiresAt) {
      const link = deepLink(options.botUsername, options.cookieCode);
      return { view: { state: 'code', deepLink: link, qrSvg: await qrCodeSvg(link), expiresAt }, dropCookie: false };
    }
    return { view: { state: 'start', codeExpired: true }, dropCookie: true };
  }
  return { view: { state: 'start', codeExpired: false }, dropCookie: false };
}
