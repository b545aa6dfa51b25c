// When the database is away (restarting, unreachable), requests answer 503 with Retry-After
// at once instead of hanging or crashing; the pg pool reconnects by itself when it is back.
import type { Translator } from '../i18n/index.ts';
import { errorPageHtml, securityHeaders } from './http-answers.ts';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006', // connection_failure
]);

/** Starts the message of every outage error that src/db/database.ts lets through. */
const UNAVAILABLE_PREFIX = 'Database unavailable: ';

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    const message = e instanceof Error ? e.message : '';
    if (message.startsWith(UNAVAILABLE_PREFIX)) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable/i.test(message)) return true;
  }
  return false;
}

/**
 * Marks an outage error in its message, where it survives being wrapped: Astro turns any
 * error thrown in an action into an ActionError that keeps only the message (code and cause
 * are gone), and the middleware must still tell an outage (503) from a bug. Other errors are
 * returned untouched.
 */
export function markIfUnavailable<T>(error: T): T {
  if (error instanceof Error && !error.message.startsWith(UNAVAILABLE_PREFIX) && isDatabaseUnavailable(error)) {
    error.message = `${UNAVAILABLE_PREFIX}${error.message}`;
  }
  return error;
}

const RETRY_AFTER_SECONDS = '5';

/** Actions called from JavaScript (Astro's `/_actions/<name>`) read their answer as JSON. */
function isActionCall(url: URL | undefined): boolean {
  return url?.pathname.startsWith('/_actions/') ?? false;
}

/**
 * 503 with Retry-After, in the person's language: a small page, or for an action called from
 * JavaScript the error as Astro's client reads it (code SERVICE_UNAVAILABLE), so that the
 * island shows its own message rather than parsing a page.
 */
export function unavailableResponse(t: Translator | undefined, url?: URL, secure = url?.protocol === 'https:'): Response {
  // It may be answered before the middleware that adds the security headers ran: it carries them.
  const headers = { ...securityHeaders(secure), 'Retry-After': RETRY_AFTER_SECONDS, 'Cache-Control': 'no-store' };
  if (isActionCall(url)) {
    const message = t ? t('error.unavailable') : 'Service unavailable';
    const body = JSON.stringify({ type: 'AstroActionError', code: 'SERVICE_UNAVAILABLE', status: 503, message });
    return new Response(body, { status: 503, headers: { ...headers, 'Content-Type': 'application/json' } });
  }
  return new Response(errorPageHtml(t?.locale ?? 'de', 503), { status: 503, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
}

/**
 * An action called from JavaScript that met an outage: Astro answers 500 with the error's
 * message as JSON, where the mark of markIfUnavailable survives. Such an answer becomes the
 * 503 every other request gets; any other answer passes unchanged.
 */
export async function actionOutageAsUnavailable(response: Response, t: Translator | undefined, url: URL): Promise<Response> {
  if (response.status !== 500 || !response.headers.get('content-type')?.includes('json')) return response;
  const text = await response.text();
  let message = '';
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    /* not Astro's error shape: leave it */
  }
  if (isDatabaseUnavailable(new Error(message))) return unavailableResponse(t, url);
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}
