import { foldLines as libraryFoldLines } from 'ical-generator';
import { describe, expect, it } from 'vitest';
import { foldLines } from '../../src/features/feeds/fold-lines.ts';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

// ASCII, two-octet (ü, Arabic), three-octet (€, CJK), four-octet (emoji as surrogate pairs),
// a lone surrogate, and the line break.
const PIECES = ['a', 'Z', ' ', ';', '\\n', 'ü', 'ß', 'ع', 'ی', 'і', '€', '中', '😀', '👨‍👩‍👧', '\ud800', '\r\n'];

describe('folding content lines', () => {
  it('gives exactly what ical-generator gives, for a thousand lines of every kind of character', () => {
    const next = random(2026);
    for (let n = 0; n < 1000; n++) {
      const length = Math.floor(next() * 400);
      let text = 'DESCRIPTION:';
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      expect(foldLines(text)).toBe(libraryFoldLines(text));
    }
  });

  it('keeps every folded line within 75 octets and loses nothing when unfolded', () => {
    const text = `DESCRIPTION:${'Deutsch üben – تعلم الألمانية – 😀 '.repeat(20)}`;
    const folded = foldLines(text);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(text);
  });

  it('leaves short lines and exact-length lines alone', () => {
    const exact = `X:${'a'.repeat(72)}`;
    expect(foldLines(exact)).toBe(exact);
    expect(foldLines(`${exact}b`)).toBe(`${exact}\r\n b`);
    expect(foldLines('BEGIN:VEVENT\r\nEND:VEVENT')).toBe('BEGIN:VEVENT\r\nEND:VEVENT');
  });
});
