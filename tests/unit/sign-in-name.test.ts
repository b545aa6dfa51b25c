// Sign-in names as people type them: any script, compared in NFKC and lower case, never an
// address; the names a registration offers are made from the first name.
import { describe, expect, it } from 'vitest';
import { checkSignInName, looksLikeSignInName, normaliseSignInName, signInNameBase, signInNameCandidates } from '../../src/features/accounts/sign-in-name.ts';

describe('sign-in names', () => {
  it.each([
    ['Amal Haddad', 'amal'],
    ['Jürgen Weber', 'juergen'],
    ['José', 'jose'],
    ['Олена Коваленко', 'олена'],
    ['Андрій', 'андрій'], // the breve stays: without it "й" would be another letter
    ['أمل حداد', 'أمل'],
    ['  Ali-Reza  Ahmadi', 'ali-reza'],
    ['(Noor)', 'noor'],
  ])('makes %s into %s', (name, base) => {
    expect(signInNameBase(name)).toBe(base);
  });

  it('offers the base first, then the base with a few digits, all of them valid', () => {
    const candidates = signInNameCandidates('Amal Haddad');
    expect(candidates[0]).toBe('amal');
    expect(candidates.slice(1).every((c) => /^amal[1-9]\d{1,3}$/.test(c))).toBe(true);
    expect(candidates.every((c) => checkSignInName(c) === null)).toBe(true);
    // A name too short to stand alone always gets digits; an empty one a neutral word.
    expect(signInNameCandidates('Li')[0]).toMatch(/^li[1-9]\d$/);
    expect(signInNameCandidates('!!!')[0]).toBe('person');
  });

  it('compares as typed on any keyboard and tells names from addresses', () => {
    expect(normaliseSignInName(' ＯＬＥＮＡ ')).toBe('olena'); // full-width letters, NFKC
    expect(normaliseSignInName('Ümit')).toBe(normaliseSignInName('U\u0308mit'));
    expect(looksLikeSignInName('amal')).toBe(true);
    expect(looksLikeSignInName('amal@example.org')).toBe(false);
  });

  it.each([
    ['ab', 'signInName.error.length'],
    ['a'.repeat(33), 'signInName.error.length'],
    ['amal haddad', 'signInName.error.characters'],
    ['amal@home', 'signInName.error.characters'],
    ['-amal', 'signInName.error.characters'],
    ['amal\u202E', 'signInName.error.characters'],
    ['amal\u0000x', 'signInName.error.characters'],
    ['amal\nx', 'signInName.error.characters'],
  ])('refuses %j', (name, problem) => {
    expect(checkSignInName(normaliseSignInName(name))).toBe(problem);
  });

  it.each(['amal', 'amal.h', 'amal_haddad-2', 'олена', 'أمل٢', 'علی.رضا'])('accepts %s', (name) => {
    expect(checkSignInName(normaliseSignInName(name))).toBeNull();
  });
});
