// Password hashing with Argon2id at OWASP's minimum (m=19456 KiB, t=2, p=1), and the rules a
// new password must meet: 8 to 256 characters of any script, and not one of the most common.
import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.ts';

// algorithm 2 is Argon2id (the package's Algorithm enum is a const enum that type stripping cannot read).
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

/** False for a person who has no password yet (registered by a coordinator, not yet claimed). */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) return false;
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** A hash of nothing anybody can type, verified when the e-mail is unknown so that a wrong
 * address takes as long as a wrong password and does not reveal which accounts exist. */
let decoyHash: Promise<string> | undefined;
export function verifyDecoy(password: string): Promise<boolean> {
  decoyHash ??= hashPassword('\u0000decoy\u0000');
  return decoyHash.then((h) => verifyPassword(h, password));
}

export type PasswordProblem = 'error.password.tooShort' | 'error.password.tooLong' | 'error.password.common';

/** Counts characters as people see them (an emoji or an Arabic letter with marks is one). */
function visibleLength(text: string): number {
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;
}

export function checkNewPassword(password: string): PasswordProblem | null {
  if (visibleLength(password) < PASSWORD_MIN_LENGTH) return 'error.password.tooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'error.password.tooLong';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'error.password.common';
  return null;
}
