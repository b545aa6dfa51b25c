// Sign-in names: what a person without an e-mail address signs in with (anyone may have one).
// A coordinator's registration gives the person one made from their first name, printed on the
// code sheet; the person can change it when claiming the account and later on the account page.
// Any script is allowed (a newcomer types on their own phone's keyboard), compared as people
// would: NFKC, lower case. A name never contains "@", so the sign-in field tells the two apart.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

export const SIGN_IN_NAME_MIN = 3;
export const SIGN_IN_NAME_MAX = 32;

type SignInNameProblem = 'signInName.error.length' | 'signInName.error.characters';

/** Letters and digits of any script with their marks, and ". _ -" between them. */
const SHAPE = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._-]*$/u;

export function normaliseSignInName(typed: string): string {
  return typed.normalize('NFKC').trim().toLowerCase();
}

/** Whether a sign-in field holds a sign-in name rather than an e-mail address. */
export function looksLikeSignInName(login: string): boolean {
  return !login.includes('@');
}

export function checkSignInName(normalised: string): SignInNameProblem | null {
  const length = [...normalised].length;
  if (length < SIGN_IN_NAME_MIN || length > SIGN_IN_NAME_MAX) return 'signInName.error.length';
  if (!SHAPE.test(normalised)) return 'signInName.error.characters';
  return null;
}

const GERMAN_LETTERS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/**
 * The first word of a name as a sign-in name: "Amal Haddad" → "amal", "Jürgen" → "juergen",
 * "Олена" → "олена". Accents are dropped from Latin letters only: taking the marks off a
 * Cyrillic "й" would make it another letter.
 */
export function signInNameBase(displayName: string): string {
  const first = displayName.normalize('NFC').trim().split(/\s+/u)[0] ?? '';
  let base = '';
  for (const { segment } of new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(first.toLowerCase())) {
    if (GERMAN_LETTERS[segment]) base += GERMAN_LETTERS[segment];
    else if (/\p{Script=Latin}/u.test(segment)) base += segment.normalize('NFKD').replace(/\p{M}/gu, '');
    else base += segment;
  }
  base = normaliseSignInName(base).replace(/[^\p{L}\p{M}\p{N}._-]/gu, '').replace(/^[^\p{L}\p{N}]+/u, '');
  return [...base].slice(0, SIGN_IN_NAME_MAX - 4).join('');
}

function randomDigits(count: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(count));
  // The first digit is never 0, so "amal07" and "amal7" are never both offered.
  return [...bytes].map((b, i) => String(i === 0 ? 1 + (b % 9) : b % 10)).join('');
}

/** Candidates in the order they are tried: the base alone, then with two, three, four digits. */
export function signInNameCandidates(displayName: string): string[] {
  let base = signInNameBase(displayName);
  if ([...base].length === 0) base = 'person';
  const candidates: string[] = [];
  if (checkSignInName(base) === null) candidates.push(base);
  for (const digits of [2, 2, 2, 3, 3, 3, 4, 4, 4, 4]) candidates.push(`${base}${randomDigits(digits)}`);
  return candidates.filter((c) => checkSignInName(c) === null);
}

async function isSignInNameTaken(db: Kysely<Database> | Transaction<Database>, normalised: string, exceptUserId?: number): Promise<boolean> {
  let query = db.selectFrom('app_user').select('id').where('sign_in_name', '=', normalised);
  if (exceptUserId !== undefined) query = query.where('id', '!=', exceptUserId);
  return (await query.executeTakeFirst()) !== undefined;
}

export type SignInNameRefusal = SignInNameProblem | 'signInName.error.taken';

/**
 * A sign-in name as typed, normalised as it is stored, and what is wrong with it for this
 * person: its shape, or that someone else has it. Names are not secrets, so "taken" may be
 * said. A name taken between this check and the write meets the unique index (isUniqueViolation).
 */
export async function signInNameProblem(
  db: Kysely<Database> | Transaction<Database>,
  typed: string,
  exceptUserId: number,
): Promise<{ name: string; problem: SignInNameRefusal | null }> {
  const name = normaliseSignInName(typed);
  const problem = checkSignInName(name) ?? ((await isSignInNameTaken(db, name, exceptUserId)) ? 'signInName.error.taken' : null);
  return { name, problem };
}

/**
 * Gives the person a free sign-in name made from their name, unless they have one; returns
 * it. Two registrations taking the same name at the same instant would meet the unique index
 * and fail as a whole (nothing half-saved); with random digits after the first try that is
 * one in thousands of an already unlikely race.
 */
export async function ensureSignInName(trx: Transaction<Database> | Kysely<Database>, userId: number, displayName: string): Promise<string> {
  const current = await trx.selectFrom('app_user').select('sign_in_name').where('id', '=', userId).executeTakeFirstOrThrow();
  if (current.sign_in_name) return current.sign_in_name;
  for (const candidate of signInNameCandidates(displayName)) {
    if (await isSignInNameTaken(trx, candidate)) continue;
    await trx.updateTable('app_user').set({ sign_in_name: candidate }).where('id', '=', userId).execute();
    return candidate;
  }
  throw new Error('no free sign-in name found');
}
