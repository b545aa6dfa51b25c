// One-time claim codes, typed from paper by a person who may read Latin letters slowly: 12
// characters from an alphabet without look-alikes (no O or 0, no I or 1),
// in three groups of four. 32 symbols × 12 = 60 bits: with a rate limit on redemption and a
// 90-day life, guessing one is hopeless. Only the SHA-256 of the normalised code is stored.
import { hashToken } from '../../lib/tokens.ts';

/** 24 letters (no I, no O) and 8 digits (no 0, no 1): 32 symbols, 5 bits each. */
export const CLAIM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ALPHABET = CLAIM_ALPHABET;
export const CLAIM_CODE_LENGTH = 12;
export const CLAIM_CODE_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** A fresh code, e.g. "KD7Q-M3XA-P9RT". */
export function generateClaimCode(): string {
  const bytes = new Uint8Array(CLAIM_CODE_LENGTH);
  crypto.getRandomValues(bytes);
  // 256 is a multiple of 32, so "byte mod 32" picks every symbol equally often.
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]!).join('');
  return formatClaimCode(chars);
}

export function formatClaimCode(chars: string): string {
  return chars.match(/.{1,4}/g)!.join('-');
}

/** What a person typed, as the code it stands for: case, spaces and dashes do not matter. */
export function normaliseClaimCode(typed: string): string | null {
  const chars = typed.toUpperCase().replace(/[\s\-–—_.]/g, '');
  if (chars.length !== CLAIM_CODE_LENGTH || [...chars].some((c) => !ALPHABET.includes(c))) return null;
  return chars;
}

export function hashClaimCode(normalised: string): string {
  return hashToken(`claim:${normalised}`);
}

/** A just-made claim code, on its way to the one view of the printable page that shows it
 * (HttpOnly, strict same-site, CLAIM_COOKIE_SECONDS, deleted once shown): the database keeps
 * only its hash. */
export const CLAIM_SHEET_COOKIE = 'claim-sheet';

/** A code that worked on the first step at /claim, kept for the second (HttpOnly, strict
 * same-site, CLAIM_COOKIE_SECONDS, deleted when used). */
export const CLAIM_CODE_COOKIE = 'claim-code';

/** How long both claim cookies live: 15 minutes, as the claim page's "start again" says. */
export const CLAIM_COOKIE_SECONDS = 15 * 60;
