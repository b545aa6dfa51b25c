import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { keepBody, keptBodyBytes, keptBodyResponse, keptBytesStream } from '../../src/lib/kept-bytes.ts';

describe('answers from kept bodies', () => {
  const plain = new TextEncoder().encode('BEGIN:VEVENT\r\nSUMMARY:Sprachcafé – مقهى اللغة\r\nEND:VEVENT\r\n'.repeat(3000));

  function request(acceptEncoding?: string): Request {
    return new Request('http://portal.test/feeds/activities.ics', { headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} });
  }

  it('stream in pieces that are views onto the kept bytes, not copies', async () => {
    const pieces: Uint8Array[] = [];
    for await (const piece of keptBytesStream(plain)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.buffer).toBe(plain.buffer);
    expect(Buffer.concat(pieces).equals(Buffer.from(plain))).toBe(true);
  });

  it('go out compressed to a client that takes gzip and whole to one that does not, again and again', async () => {
    const kept = await keepBody(plain);
    expect(keptBodyBytes(kept)).toBe(plain.byteLength + kept.gzipped.byteLength);
    for (let round = 0; round < 2; round++) {
      const zipped = keptBodyResponse(request('gzip, br'), kept, { status: 200, headers: new Headers() });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
      const zippedBytes = Buffer.from(await zipped.arrayBuffer());
      expect(zipped.headers.get('content-length')).toBe(String(zippedBytes.byteLength));
      expect(gunzipSync(zippedBytes).equals(Buffer.from(plain))).toBe(true);

      const whole = keptBodyResponse(request(), kept, { status: 200, headers: new Headers() });
      expect(whole.headers.get('content-encoding')).toBeNull();
      expect(whole.headers.get('content-length')).toBe(String(plain.byteLength));
      expect(new Uint8Array(await whole.arrayBuffer())).toEqual(plain);
    }
    // Nothing was moved out of the kept bytes.
    expect(kept.plain.byteLength).toBe(plain.byteLength);
  });
});
