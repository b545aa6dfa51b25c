// Answers from bytes kept in memory (kept pages, built feeds) without copying them. A Response
// made from a Uint8Array copies it (fetch's "extract a body"), so fifty clients downloading a
// town's 10 MB feed at once held fifty copies (1.6 GB); a stream of views onto the kept bytes
// holds none, and is handed out a piece at a time as the server reads it.

const PIECE_BYTES = 64 * 1024;

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

/** A response whose body is kept bytes, with their length. */
export function keptBytesResponse(bytes: Uint8Array, init: { status: number; headers: Headers }): Response {
  init.headers.set('Content-Length', String(bytes.byteLength));
  return new Response(keptBytesStream(bytes), init);
}
