// Random identifiers and secrets, and their hashes, for sessions and e-mailed links.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** An unguessable string of `bytes` random bytes (20 bytes = 160 bits), safe in URLs and cookies. */
export function randomToken(bytes = 20): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

export function sha256Bytes(text: string): Uint8Array {
  return sha256(new TextEncoder().encode(text));
}

/** The stored form of a link token: we keep only its hash, so a database leak opens nothing. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256Bytes(token));
}
