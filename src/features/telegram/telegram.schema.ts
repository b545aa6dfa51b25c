// What reaches the portal from Telegram: the code after /start (the deep link's parameter) and
// the data of an inline button. Both come from outside and are checked before anything is
// looked up; anyone can send a bot any text and craft any callback data.
import { z } from 'astro/zod';

// The schemas stay inside this module: they check what Telegram hands over, not a form of the
// portal's (tests/unit/form-schema.test.ts checks every exported one as a form).

/** randomToken(20): 32 characters of lower-case base32 — within Telegram's 64 characters of
 * A–Z, a–z, 0–9, _ and - for a deep link's start parameter. */
const linkCodeInput = z.string().regex(/^[a-z2-7]{32}$/);

/** Whether the text after /start (or in a cookie) can be a link code at all. */
export function isLinkCode(text: string): boolean {
  return linkCodeInput.safeParse(text).success;
}

/** The answer a button gives. */
export type ButtonAnswer = 'coming' | 'not_coming';

/** What a button answers: an RSVP ("r"), a volunteer shift sign-up ("s") or a consultation
 * booking ("b"). */
export type ButtonTarget = 'rsvp' | 'shift' | 'booking';

const TARGET_LETTER: Record<ButtonTarget, string> = { rsvp: 'r', shift: 's', booking: 'b' };
const TARGET_OF_LETTER: Record<string, ButtonTarget> = { r: 'rsvp', s: 'shift', b: 'booking' };

export interface ButtonPress {
  target: ButtonTarget;
  id: number;
  answer: ButtonAnswer;
}

/** Callback data as the portal writes it (buttonData): "a:r:<rsvp id>:y", "a:s:<sign-up id>:n",
 * "a:b:<booking id>:y".
 * Telegram allows 64 bytes; this takes at most 17. */
const buttonDataInput = z
  .string()
  .max(64)
  .regex(/^a:[rsb]:[1-9]\d{0,9}:[yn]$/)
  .transform((data): ButtonPress => {
    const [, target, id, answer] = data.split(':');
    return { target: TARGET_OF_LETTER[target!]!, id: Number(id), answer: answer === 'y' ? 'coming' : 'not_coming' };
  })
  // PostgreSQL's integer ends here; a larger id names nothing.
  .refine((press) => press.id <= 2_147_483_647);

export function buttonData(press: ButtonPress): string {
  return `a:${TARGET_LETTER[press.target]}:${press.id}:${press.answer === 'coming' ? 'y' : 'n'}`;
}

/** The button's meaning, or null for data the portal never wrote. */
export function parseButtonData(data: string | undefined): ButtonPress | null {
  const parsed = buttonDataInput.safeParse(data);
  return parsed.success ? parsed.data : null;
}
