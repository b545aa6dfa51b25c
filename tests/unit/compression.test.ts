import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, compressOnTheWay, gzipBytes, gzipEntityTag, noneMatchHits } from '../../src/lib/compression.ts';

const page = `<!doctype html><html lang="ar" dir="rtl"><body>${'<p>مرحبا بكم في ألتينا – Willkommen</p>'.repeat(200)}</body></html>`;

function request(acceptEncoding?: string, method = 'GET'): Request {
  return new Request('http://portal.test/activities', { method, headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding } });
}

function htmlResponse(body: string | null = page, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers } });
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('Accept-Encoding', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['*', true],
    ['gzip;q=0', false],
    ['*;q=0.5, gzip;q=0', false],
    ['br, *;q=0', false],
    ['identity', false],
    ['deflate, br', false],
    ['', false],
  ])('reads %j as %s for gzip', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('reads a missing header as identity only', () => {
    expect(acceptsGzip(null)).toBe(false);
  });
});

describe('entity tags of the compressed representation', () => {
  it('differ from the plain one, strong or weak', () => {
    expect(gzipEntityTag('"abc"')).toBe('"abc-gzip"');
    expect(gzipEntityTag('W/"abc"')).toBe('W/"abc-gzip"');
    expect(gzipEntityTag('"abc-gzip"')).toBe('"abc-gzip"');
  });

  it('match in If-None-Match for either representation, and nothing else', () => {
    expect(noneMatchHits('"abc"', '"abc"')).toBe(true);
    expect(noneMatchHits('"abc-gzip"', '"abc"')).toBe(true);
    expect(noneMatchHits('"x", W/"abc-gzip"', '"abc"')).toBe(true);
    expect(noneMatchHits('*', '"abc"')).toBe(true);
    expect(noneMatchHits('"abd"', '"abc"')).toBe(false);
    expect(noneMatchHits('"abc-br"', '"abc"')).toBe(false);
    expect(noneMatchHits('"ab"', '"abc"')).toBe(false);
  });
});

describe('compressing on the way out', () => {
  it('compresses a page for a client that takes gzip, to the same bytes when unpacked', async () => {
    const response = await compressOnTheWay(request('gzip, deflate'), htmlResponse(page, { ETag: '"v1"' }));
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(response.headers.get('ETag')).toBe('"v1-gzip"');
    const compressed = await bytesOf(response);
    expect(response.headers.get('Content-Length')).toBe(String(compressed.byteLength));
    expect(gunzipSync(compressed).toString('utf8')).toBe(page);
    expect(compressed.byteLength).toBeLessThan(Buffer.byteLength(page) / 5);
  });

  it('sends the page as it is to a client that does not take gzip, still saying that it varies', async () => {
    const response = await compressOnTheWay(request(), htmlResponse(page, { ETag: '"v1"' }));
    expect(response.headers.get('Content-Encoding')).toBeNull();
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(response.headers.get('ETag')).toBe('"v1"');
    expect(await response.text()).toBe(page);
  });

  it('adds to an existing Vary rather than replacing it', async () => {
    const response = await compressOnTheWay(request('gzip'), htmlResponse(page, { Vary: 'Cookie' }));
    expect(response.headers.get('Vary')).toBe('Cookie, Accept-Encoding');
  });

  it('leaves alone what is not worth it or not its to change', async () => {
    const small = await compressOnTheWay(request('gzip'), htmlResponse('<p>hi</p>', { 'Content-Length': '9' }));
    expect(small.headers.get('Content-Encoding')).toBeNull();
    // Found small only once read (no Content-Length given): sent whole, still intact.
    const smallUnsized = await compressOnTheWay(request('gzip'), htmlResponse('<p>hi</p>'));
    expect(smallUnsized.headers.get('Content-Encoding')).toBeNull();
    expect(await smallUnsized.text()).toBe('<p>hi</p>');
    const image = await compressOnTheWay(request('gzip'), new Response(new Uint8Array(4096), { headers: { 'Content-Type': 'image/png' } }));
    expect(image.headers.get('Content-Encoding')).toBeNull();
    expect(image.headers.get('Vary')).toBeNull();
    const already = await compressOnTheWay(request('gzip'), htmlResponse(page, { 'Content-Encoding': 'br' }));
    expect(already.headers.get('Content-Encoding')).toBe('br');
    const noTransform = await compressOnTheWay(request('gzip'), htmlResponse(page, { 'Cache-Control': 'no-transform' }));
    expect(noTransform.headers.get('Content-Encoding')).toBeNull();
    const head = await compressOnTheWay(request('gzip', 'HEAD'), htmlResponse(null));
    expect(head.headers.get('Content-Encoding')).toBeNull();
    const redirect = await compressOnTheWay(request('gzip'), Response.redirect('http://portal.test/', 303));
    expect(redirect.status).toBe(303);
  });

  it('compresses kept bodies to bytes that unpack to the same', async () => {
    const body = new TextEncoder().encode(page);
    expect(gunzipSync(await gzipBytes(body)).toString('utf8')).toBe(page);
  });
});
