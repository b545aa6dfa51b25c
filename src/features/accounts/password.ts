// Password hashing with Argon2id at OWASP's minimum (m=19456 KiB, t=2, p=1), and the rules a
// new password must meet: 8 to 256 characters of any script, and not easy to guess. "Easy to
// guess" is zxcvbn's estimate (the usual tool for it): fewer than a million guesses when an
// attacker knows the breached-password list, German words and names, keyboard rows, years and
// the context of this portal (its name, the town, the person's own name and address). That
// refuses "passwort123", "Passwort1", "hallo1234", "qwertz123" and "altena2024", and accepts
// a few words of any language, which is what the hint under every password field suggests.
import { hash, verify } from '@node-rs/argon2';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { townName } from '../../server/config.ts';

// algorithm 2 is Argon2id (the package's Algorithm enum is a const enum that type stripping cannot read).
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
/** zxcvbn's score 2: at least 10^6 guesses. With Argon2id and the sign-in limits (5 tries per
 * quarter hour per account and address) that is years of online guessing. */
const MIN_GUESSES_LOG10 = 6;

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
export async function verifyDecoy(password: string): Promise<boolean> {
  decoyHash ??= hashPassword('\u0000decoy\u0000');
  return verifyPassword(await decoyHash, password);
}

export type PasswordProblem = 'error.password.tooShort' | 'error.password.tooLong' | 'error.password.common';

/** Counts characters as people see them (an emoji or an Arabic letter with marks is one). */
function visibleLength(text: string): number {
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;
}

/**
 * The estimator, loaded on the first check: its dictionaries take about 15 MB, which a server
 * that nobody signs up on need not hold. German Wikipedia's 65,000 words are left out (another
 * 10 MB for words people rarely choose); the breached-password list, German common words,
 * first and last names stay.
 */
let estimator: Promise<ZxcvbnFactory> | undefined;
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, german] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-de'),
    ]);
    const { wikipedia: _wikipedia, ...germanWords } = german.dictionary;
    return new ZxcvbnFactory({
      dictionary: { 'passwords-common': common.dictionary['passwords-common'], ...germanWords },
      graphs: common.adjacencyGraphs,
    });
  })();
  return estimator;
}

/** Words an attacker of this portal would try first: its name, the town's, and the person's own. */
export function contextWords(person: { displayName?: string | null; email?: string | null; signInName?: string | null } = {}): string[] {
  const words = new Set<string>(['ankommen', ...townName().split(/[\s-]+/u).filter(Boolean)]);
  for (const text of [person.displayName, person.signInName, person.email?.split('@')[0]]) {
    const parts = (text ?? '').split(/[\s._@-]+/u).filter((word) => word.length >= 3);
    for (const word of parts) words.add(word);
    // "leylademir1" is the name run together, which zxcvbn would count as two guesses' worth.
    if (parts.length > 1) words.add(parts.join(''));
  }
  return [...words].map((w) => w.toLowerCase());
}

export async function checkNewPassword(password: string, context: string[] = contextWords()): Promise<PasswordProblem | null> {
  if (visibleLength(password) < PASSWORD_MIN_LENGTH) return 'error.password.tooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'error.password.tooLong';
  const result = (await loadEstimator()).check(password.normalize('NFKC'), context);
  if (result.guessesLog10 < MIN_GUESSES_LOG10) return 'error.password.common';
  return null;
}
