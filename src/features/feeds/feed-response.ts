// HTTP for calendar feeds: a strong ETag and Last-Modified from the data a feed holds,
// conditional GETs answered with 304 before anything is built, and built public feeds kept in
// memory under their ETag (a write changes the fingerprint, so nothing stale is ever served).
import { encodeHexLowerCase } from '@oslojs/encoding';
import { acceptsGzip, gzipEntityTag, noneMatchHits, varyOnEncoding } from '../../lib/compression.ts';
import { keepBody, keptBodyBytes, keptBodyResponse, type KeptBody } from '../../lib/kept-bytes.ts';
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

/** RFC 9110: If-None-Match wins over If-Modified-Since, and compares weakly (the ETag of the
 * compressed representation matches too). */
export function isNotModified(request: Request, version: FeedVersion): boolean {
  const ifNoneMatch = request.headers.get('If-None-Match');
  if (ifNoneMatch !== null) return noneMatchHits(ifNoneMatch, version.etag);
  const ifModifiedSince = request.headers.get('If-Modified-Since');
  if (ifModifiedSince !== null && version.lastModified) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && seconds(version.lastModified) <= Math.floor(since / 1000);
  }
  return false;
}

/** Built public feeds by ETag, oldest dropped first, within a memory budget. One feed may take
 * up to half of it: a town's whole feed of 10,000 events is about 10 MB (0.35 MB compressed). */
const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;
/** The largest feed kept (both forms together). */
export const LARGEST_KEPT_FEED_BYTES = CACHE_BUDGET_BYTES / 2;
const keptFeeds = new SizedCache<KeptBody>(CACHE_BUDGET_BYTES, keptBodyBytes);
const encoder = new TextEncoder();

function remember(etag: string, feed: KeptBody): void {
  if (keptBodyBytes(feed) <= LARGEST_KEPT_FEED_BYTES) keptFeeds.set(etag, feed);
}

/** Builds under way, by ETag: requests for the same feed at the same time share one build
 * rather than each holding a core for it. */
const building = new Map<string, Promise<KeptBody>>();

function buildOnce(etag: string, build: () => Promise<string> | string): Promise<KeptBody> {
  let pending = building.get(etag);
  if (!pending) {
    pending = Promise.resolve()
      .then(build)
      .then((text) => keepBody(encoder.encode(text)))
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
  // Answers go gzip-compressed to clients that take it: kept feeds from their compressed copy,
  // the rest on their way out (src/middleware.ts). The ETag names the representation sent,
  // also on a 304.
  const gzip = acceptsGzip(request.headers.get('Accept-Encoding'));
  const headers = new Headers({ ETag: gzip ? gzipEntityTag(version.etag) : version.etag, 'Cache-Control': options.cacheControl });
  varyOnEncoding(headers);
  if (version.lastModified) headers.set('Last-Modified', version.lastModified.toUTCString());
  if (options.referrerPolicy) headers.set('Referrer-Policy', options.referrerPolicy);
  if (isNotModified(request, version)) return new Response(null, { status: 304, headers });
  headers.set('Content-Type', 'text/calendar; charset=utf-8');
  if (options.filename) headers.set('Content-Disposition', contentDisposition(options.filename));
  if (!options.keepBuilt) {
    // The middleware compresses it and names the tag itself.
    headers.set('ETag', version.etag);
    return new Response(await build(), { status: 200, headers });
  }
  let feed = keptFeeds.get(version.etag);
  if (feed === undefined) {
    feed = await buildOnce(version.etag, build);
    remember(version.etag, feed);
  }
  return keptBodyResponse(request, feed, { status: 200, headers });
}
