// When the database is away (restarting, unreachable), requests answer 503 with Retry-After
// at once instead of hanging or crashing; the pg pool reconnects by itself when it is back.
import type { Translator } from '../i18n/index.ts';
import { textDirection } from '../i18n/locales.ts';

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

export function unavailableResponse(t: Translator | undefined): Response {
  const message = t ? t('error.unavailable') : 'Service unavailable';
  const lang = t?.locale ?? 'de';
  const html = `<!doctype html><html lang="${lang}" dir="${textDirection(lang)}"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>503</title><p>${message}</p></html>`;
  return new Response(html, {
    status: 503,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '5', 'Cache-Control': 'no-store' },
  });
}
