// What the server settles before Astro sees a request: the security headers every answer
// carries (static files and Astro's own refusals included), methods it does not take (405),
// bodies above the limit (413, before reading them), requests Node cannot parse (400, 408,
// 431), and a status line that says what the status is.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { splitLocalePath } from '../i18n/locales.ts';
import { errorPageHtml, securityHeaders } from '../lib/http-answers.ts';

/** Pages and feeds (GET, HEAD), forms and actions (POST): nothing else is answered. */
export const ALLOWED_METHODS = 'GET, HEAD, POST';
const ALLOWED = new Set(['GET', 'HEAD', 'POST']);

/**
 * The largest request body read. The largest legitimate form is an activity with a title and a
 * description in the organiser's language and in each of the six interface languages: 7 ×
 * (120 + 8,000) characters. Sent form-encoded, a character takes at most 9 bytes (a 3-byte
 * UTF-8 character, each byte written as %XX), so that form is at most about 512 KB; 1 MiB
 * leaves room for the other fields and never turns away what a person typed.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Answers that say their status truthfully: Astro hands over the status text of whatever
 * response an error page was merged into ("500 OK"); the status line is always the standard
 * reason phrase of the status sent.
 */
export class HonestStatusResponse<Request extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<Request> {
  override writeHead(statusCode: number, ...rest: unknown[]): this {
    this.statusMessage = http.STATUS_CODES[statusCode] ?? 'Unknown';
    const args = typeof rest[0] === 'string' ? rest.slice(1) : rest;
    return (http.ServerResponse.prototype.writeHead as (this: this, code: number, ...a: unknown[]) => this).call(this, statusCode, ...args);
  }
}

export function isSecureRequest(req: http.IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  // believeForwardedHeaders has left only what our proxy set.
  return trustProxy && req.headers['x-forwarded-proto'] === 'https';
}

/** Puts the security headers on the answer before anyone writes it; a page's own (its CSP with
 * hashes, a stricter Referrer-Policy) take precedence when it is written. */
export function setSecurityHeaders(res: http.ServerResponse, secure: boolean): void {
  for (const [name, value] of Object.entries(securityHeaders(secure))) res.setHeader(name, value);
}

/** A plain error page in the language of the address asked for. */
export function answerWithErrorPage(req: http.IncomingMessage, res: http.ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const { locale } = splitLocalePath((req.url ?? '/').split('?')[0] ?? '/');
  const body = errorPageHtml(locale, status);
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Refuses what the portal never answers, before Astro reads anything: other methods (405 with
 * Allow; OPTIONS is told what is allowed) and bodies declared above MAX_BODY_BYTES (413; the
 * connection is closed rather than the body read). Returns whether the request was answered.
 */
export function refuseUnanswerable(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.writeHead(204, { Allow: ALLOWED_METHODS, 'Content-Length': '0' }).end();
    return true;
  }
  if (!ALLOWED.has(method)) {
    answerWithErrorPage(req, res, 405, { Allow: ALLOWED_METHODS });
    return true;
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    answerWithErrorPage(req, res, 413, { Connection: 'close' });
    return true;
  }
  return false;
}

/** Whether the body arrives without a declared length (chunked): its bytes must be counted. */
export function hasUncountedBody(req: http.IncomingMessage): boolean {
  return req.method === 'POST' && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads a body of unknown length while it stays within MAX_BODY_BYTES and hands it to Astro as
 * bytes (Astro's Node adapter takes `req.body` when it is set). Past the limit it stops reading,
 * answers 413 and closes the connection; resolves to whether the request may go on.
 */
export function readCountedBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      done();
      req.pause();
      answerWithErrorPage(req, res, 413, { Connection: 'close' });
      resolve(false);
    };
    const onEnd = () => {
      done();
      (req as http.IncomingMessage & { body?: Buffer }).body = Buffer.concat(chunks);
      resolve(true);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Requests Node cannot parse (an unknown method such as TRACK, a malformed header line, headers
 * too large, too slow to arrive) are answered here, like any other answer: a plain page, the
 * right status, the security headers.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = errorPageHtml('de', status);
  const headers = {
    ...securityHeaders(false),
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Connection: 'close',
  };
  const head = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`);
}
