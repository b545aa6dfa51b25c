// Bodies kept in memory (kept pages, built feeds): made once as the bytes sent and as their
// gzip copy, and answered without copying either. A Response made from a Uint8Array copies it
// (fetch's "extract a body"), so fifty clients downloading a town's 10 MB feed at once held
// fifty copies (1.6 GB); a stream of views onto the kept bytes holds none, and is handed out a
// piece at a time as the server reads it.
import { acceptsGzip, gzipBytes, varyOnEncoding } from './compression.ts';

const PIECE_BYTES = 64 * 1024;

/** A body as sent, and the same gzip-compressed (src/lib/compression.ts). */
export interface KeptBody {
  plain: Uint8Array;
  gzipped: Uint8Array;
}

/** Makes the compressed copy, once, when a body is kept. */
export async function keepBody(plain: Uint8Array): Promise<KeptBody> {
  return { plain, gzipped: await gzipBytes(plain) };
}

/** The memory a kept body takes, both forms together. */
export function keptBodyBytes(kept: KeptBody): number {
  return kept.plain.byteLength + kept.gzipped.byteLength;
}

export function keptBytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  // A plain stream, not a byte stream: a byte stream's enqueue() would transfer (detach) the
  // kept buffer.
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + PIECE_BYTES, bytes.byteLength);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
    },
  });
}

/**
 * The kept body in the form the client takes: the gzip copy (Content-Encoding: gzip) when its
 * Accept-Encoding allows, else as it is; with its length and Vary: Accept-Encoding.
 */
export function keptBodyResponse(request: Request, kept: KeptBody, init: { status: number; headers: Headers }): Response {
  varyOnEncoding(init.headers);
  const gzip = acceptsGzip(request.headers.get('Accept-Encoding'));
  if (gzip) init.headers.set('Content-Encoding', 'gzip');
  const bytes = gzip ? kept.gzipped : kept.plain;
  init.headers.set('Content-Length', String(bytes.byteLength));
  return new Response(keptBytesStream(bytes), init);
}
