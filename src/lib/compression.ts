// Text answers travel gzip-compressed to every client that accepts it: on a cheap phone with a
// slow connection an activity page is a fifth of the bytes, and a town's calendar of 10,000
// events (10 MB) about a tenth. Bodies kept in memory (kept pages, built feeds) are compressed
// once, when kept; the rest on their way out, as a stream (src/middleware.ts).
//
// A compressed answer is another representation of the same resource, so its strong ETag
// differs (`"…-gzip"`, as Apache does), and a conditional request matches either form.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** Worth compressing: HTML, calendars, JSON, plain text, CSS, JavaScript, SVG. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml)|image\/svg\+xml)/i;

/** Below this, the gzip header and the work cost more than they save. */
const SMALLEST_WORTH_COMPRESSING = 1024;

const GZIP_SUFFIX = '-gzip';

/** Whether Accept-Encoding allows gzip (RFC 9110 §12.5.3: a q of 0 refuses; `*` stands for it). */
export function acceptsGzip(header: string | null): boolean {
  if (!header) return false;
  let gzipQ: number | null = null;
  let anyQ: number | null = null;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const weight = Number.isFinite(q) ? q : 0;
    if (name === 'gzip' || name === 'x-gzip') gzipQ = weight;
    else if (name === '*') anyQ = weight;
  }
  return (gzipQ ?? anyQ ?? 0) > 0;
}

export function isCompressible(contentType: string | null): boolean {
  return contentType !== null && COMPRESSIBLE.test(contentType);
}

/** zlib's default: for kept bodies, compressed once and sent many times. */
const KEPT_LEVEL = 6;
/**
 * For answers compressed per request: on a signed-in list page (29 KB) level 3 took 0.17 ms
 * and gave 4.2 KB, level 6 took 0.34 ms for 3.9 KB — twice the work for 8% fewer bytes.
 */
const PER_REQUEST_LEVEL = 3;

/** Compresses off the main thread (zlib's thread pool). */
export async function gzipBytes(bytes: Uint8Array, level = KEPT_LEVEL): Promise<Uint8Array<ArrayBuffer>> {
  const compressed = await gzipAsync(bytes, { level });
  return new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength) as Uint8Array<ArrayBuffer>;
}

/** The ETag of the gzip representation: `"abc"` → `"abc-gzip"`, `W/"abc"` → `W/"abc-gzip"`. */
export function gzipEntityTag(etag: string): string {
  return etag.endsWith(`${GZIP_SUFFIX}"`) ? etag : etag.replace(/"$/, `${GZIP_SUFFIX}"`);
}

/** If-None-Match against a resource's ETag, by weak comparison, accepting the tag of either
 * representation (RFC 9110 §13.1.2). */
export function noneMatchHits(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const plain = etag.replace(/^W\//, '');
  const compressed = gzipEntityTag(plain);
  return ifNoneMatch.split(',').some((tag) => {
    const opaque = tag.trim().replace(/^W\//, '');
    return opaque === plain || opaque === compressed;
  });
}

/** Says that the answer depends on Accept-Encoding, for caches between us and the client. */
export function varyOnEncoding(headers: Headers): void {
  const vary = headers.get('Vary');
  if (!vary) headers.set('Vary', 'Accept-Encoding');
  else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) headers.set('Vary', `${vary}, Accept-Encoding`);
}

/**
 * The answer compressed on its way out when the client takes gzip and the answer is worth it;
 * otherwise the same answer (with Vary set when it could have been compressed). The body is
 * read whole and compressed in one piece: Astro writes a page in many small chunks, and a
 * compression stream sent each of them to zlib's thread pool and back, which cost a signed-in
 * page a third of its throughput; pages are a few dozen kilobytes.
 */
export async function compressOnTheWay(request: Request, response: Response): Promise<Response> {
  const headers = response.headers;
  if (!isCompressible(headers.get('Content-Type')) || headers.has('Content-Encoding')) return response;
  try {
    varyOnEncoding(headers);
  } catch {
    return response; // immutable headers (Response.redirect): nothing to compress there either
  }
  if (!response.body || request.method === 'HEAD' || response.status === 204 || response.status === 304) return response;
  if (/\bno-transform\b/i.test(headers.get('Cache-Control') ?? '')) return response;
  const length = Number(headers.get('Content-Length') ?? Number.NaN);
  if (length < SMALLEST_WORTH_COMPRESSING) return response;
  if (!acceptsGzip(request.headers.get('Accept-Encoding'))) return response;
  const body = new Uint8Array(await response.arrayBuffer());
  const init = { status: response.status, statusText: response.statusText, headers: new Headers(headers) };
  if (body.byteLength < SMALLEST_WORTH_COMPRESSING) return new Response(body, init);
  init.headers.set('Content-Encoding', 'gzip');
  const etag = init.headers.get('ETag');
  if (etag) init.headers.set('ETag', gzipEntityTag(etag));
  const compressed = await gzipBytes(body, PER_REQUEST_LEVEL);
  init.headers.set('Content-Length', String(compressed.byteLength));
  return new Response(compressed, init);
}
