// HTTP for calendar feeds: a strong ETag and Last-Modified from the data a feed holds,
// conditional GETs answered with 304 before anything is built, and built public feeds kept in
// memory under their ETag (a write changes the fingerprint, so nothing stale is ever served).
import { encodeHexLowerCase } from '@oslojs/encoding';
import { sha256Bytes } from '../../lib/tokens.ts';
import { CALENDAR_FORMAT_VERSION } from './calendar.ts';
import type { FeedFingerprint } from './feeds.queries.ts';

export interface FeedVersion {
  etag: string;
  lastModified: Date | null;
}

/**
 * The version of a feed: everything its bytes depend on — which feed and how it is asked for
 * (`parts`: kind, filters, language, address, zone, name) and the fingerprint of its rows.
 */
export function feedVersion(parts: Array<string | number>, fingerprint: FeedFingerprint): FeedVersion {
  const key = [CALENDAR_FORMAT_VERSION, ...parts, fingerprint.count, fingerprint.lastModified?.toISOString() ?? '-', fingerprint.idSum].join('\u001f');
  return { etag: `"${encodeHexLowerCase(sha256Bytes(key)).slice(0, 32)}"`, lastModified: fingerprint.lastModified };
}

/** A version for a body already built (the single-activity download). */
export function bodyVersion(body: string, lastModified: Date | null): FeedVersion {
  return { etag: `"${encodeHexLowerCase(sha256Bytes(body)).slice(0, 32)}"`, lastModified };
}

/** HTTP dates have whole seconds; compare at that precision. */
function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** RFC 9110: If-None-Match wins over If-Modified-Since, and compares weakly. */
export function isNotModified(request: Request, version: FeedVersion): boolean {
  const ifNoneMatch = request.headers.get('If-None-Match');
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === '*') return true;
    return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === version.etag);
  }
  const ifModifiedSince = request.headers.get('If-Modified-Since');
  if (ifModifiedSince !== null && version.lastModified) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && seconds(version.lastModified) <= Math.floor(since / 1000);
  }
  return false;
}

/** Built public feeds by ETag, oldest dropped first, within a memory budget. */
const CACHE_BUDGET_CHARS = 32 * 1024 * 1024;
const cache = new Map<string, string>();
let cachedChars = 0;

function remember(etag: string, body: string): void {
  if (body.length > CACHE_BUDGET_CHARS / 4) return;
  cache.set(etag, body);
  cachedChars += body.length;
  for (const [key, value] of cache) {
    if (cachedChars <= CACHE_BUDGET_CHARS) break;
    cache.delete(key);
    cachedChars -= value.length;
  }
}

function recall(etag: string): string | undefined {
  const body = cache.get(etag);
  if (body !== undefined) {
    // Most recently used goes to the end of the line.
    cache.delete(etag);
    cache.set(etag, body);
  }
  return body;
}

export interface CalendarResponseOptions {
  /** Public feeds may sit in shared caches briefly; personal ones never. */
  cacheControl: string;
  /** Keep the built body in memory under its ETag (public feeds only). */
  keepBuilt?: boolean;
  /** Offered as a download with this file name. */
  filename?: string;
  /** For addresses that are themselves a secret. */
  referrerPolicy?: string;
}

function contentDisposition(filename: string): string {
  const ascii = filename.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '') || 'calendar.ics';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function calendarResponse(
  request: Request,
  version: FeedVersion,
  build: () => Promise<string> | string,
  options: CalendarResponseOptions,
): Promise<Response> {
  const headers = new Headers({ ETag: version.etag, 'Cache-Control': options.cacheControl });
  if (version.lastModified) headers.set('Last-Modified', version.lastModified.toUTCString());
  if (options.referrerPolicy) headers.set('Referrer-Policy', options.referrerPolicy);
  if (isNotModified(request, version)) return new Response(null, { status: 304, headers });
  let body = options.keepBuilt ? recall(version.etag) : undefined;
  if (body === undefined) {
    body = await build();
    if (options.keepBuilt) remember(version.etag, body);
  }
  headers.set('Content-Type', 'text/calendar; charset=utf-8');
  if (options.filename) headers.set('Content-Disposition', contentDisposition(options.filename));
  return new Response(body, { status: 200, headers });
}
