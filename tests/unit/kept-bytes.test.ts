import { describe, expect, it } from 'vitest';
import { keptBytesResponse, keptBytesStream } from '../../src/lib/kept-bytes.ts';

describe('answers from kept bytes', () => {
  const kept = new Uint8Array(200_000).map((_, i) => i % 251);

  it('give the whole body, in pieces that are views onto the kept bytes, not copies', async () => {
    const pieces: Uint8Array[] = [];
    for await (const piece of keptBytesStream(kept)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.buffer).toBe(kept.buffer);
    expect(Buffer.concat(pieces).equals(Buffer.from(kept))).toBe(true);
  });

  it('leave the kept bytes whole for the next answer, and say how long the body is', async () => {
    for (let i = 0; i < 2; i++) {
      const response = keptBytesResponse(kept, { status: 200, headers: new Headers({ 'Content-Type': 'text/calendar' }) });
      expect(response.headers.get('content-length')).toBe('200000');
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(kept);
    }
    expect(kept.byteLength).toBe(200_000);
  });
});
