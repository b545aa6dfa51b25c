// HTTP for calendar feeds: a strong ETag and Last-Modified from the data a feed holds,
// conditional GETs answered with 304 before anything is built, and built public feeds kept in
// memory under their ETag (a write changes the fingerprint, so nothing stale is ever served).
import { encodeHexLowerCase } from '@oslojs/encoding';
import { SizedCache } from '../../lib/sized-cache.ts';
import { sha256Bytes } from '../../lib/tokens.ts';
import { CALENDAR_FORMAT_VERSION } from './calendar.ts';
import type { ContentVersion } from '../../db/content-changes.ts';
import { rememberWhileUnchanged } from '../../db/content-memo.ts';
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

/**
 * A feed's fingerprint costs an aggregate over its rows (tens of ms for thousands). While no
 * visible change has committed it cannot have moved, so it is remembered: a 304 then costs no
 * database work at all.
 */
export function rememberedFingerprint(key: string, contentVersion: ContentVersion | undefined, read: () => Promise<FeedFingerprint>): Promise<FeedFingerprint> {
  return rememberWhileUnchanged(`feed-fingerprint\u001f${key}`, contentVersion, read);
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

/** Built public feeds by ETag, as the UTF-8 bytes sent (encoded once), oldest dropped first,
 * within a memory budget. One body may take up to half of it: a town's whole feed of 10,000
 * events is about 10 MB. */
const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;
/** The largest body kept. */
export const LARGEST_KEPT_FEED_BYTES = CACHE_BUDGET_BYTES / 2;
const keptFeeds = new SizedCache<Uint8Array<ArrayBuffer>>(CACHE_BUDGET_BYTES, (body) => body.byteLength);
const encoder = new TextEncoder();

function remember(etag: string, body: Uint8Array<ArrayBuffer>): void {
  if (body.byteLength <= LARGEST_KEPT_FEED_BYTES) keptFeeds.set(etag, body);
}

/** Builds under way, by ETag: requests for the same feed at the same time share one build
 * rather than each holding a core for it. */
const building = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

function buildOnce(etag: string, build: () => Promise<string> | string): Promise<Uint8Array<ArrayBuffer>> {
  let pending = building.get(etag);
  if (!pending) {
    pending = Promise.resolve()
      .then(build)
      .then((text) => encoder.encode(text))
      .finally(() => building.delete(etag));
    building.set(etag, pending);
  }
  return pending;
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
  let body: Uint8Array<ArrayBuffer> | string | undefined = options.keepBuilt ? keptFeeds.get(version.etag) : undefined;
  if (body === undefined && options.keepBuilt) {
    body = await buildOnce(version.etag, build);
    remember(version.etag, body);
  }
  body ??= await build();
  headers.set('Content-Type', 'text/calendar; charset=utf-8');
  if (options.filename) headers.set('Content-Disposition', contentDisposition(options.filename));
  return new Response(body, { status: 200, headers });
}
