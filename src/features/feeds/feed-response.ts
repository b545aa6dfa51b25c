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

/**
 * When the portal started, to the second: the Last-Modified of a feed that has held nothing
 * since then (its bytes depend on the settings and the code it was started with).
 */
const STARTED_AT = new Date(Math.floor(Date.now() / 1000) * 1000);

/**
 * A feed's Last-Modified: the latest of the moments given (its rows' latest change, changes
 * that took rows out of it, when its time window last moved), never none — an empty feed too
 * tells a client when it may have changed, so that If-Modified-Since works for it.
 */
export function withLastModified(version: FeedVersion, ...moments: Array<Date | null | undefined>): FeedVersion {
  const known = [version.lastModified, ...moments].filter((d): d is Date => d instanceof Date);
  return { ...version, lastModified: known.length > 0 ? new Date(Math.max(...known.map((d) => d.getTime()))) : STARTED_AT };
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
  /** Offered as a download under this name. */
  filename?: DownloadName;
  /** For addresses that are themselves a secret. */
  referrerPolicy?: string;
}

/** A file's name to download under: the UTF-8 name for apps that read it (RFC 6266's
 * filename*), and an ASCII one for those that do not. */
export interface DownloadName {
  utf8: string;
  /** Used as given when the UTF-8 name has nothing in Latin letters or digits to keep. */
  ascii: string;
}

/**
 * Content-Disposition with both names. The ASCII one keeps what the UTF-8 name has in Latin
 * letters (accents dropped: "Sprachcafé" → "Sprachcafe"); when that leaves no letter or digit
 * of the title (Arabic, Persian, Ukrainian titles), it is the fallback given, never a name
 * made of the separators alone ("--2030-06-01.ics").
 */
function contentDisposition(name: DownloadName): string {
  const stripped = name.utf8.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '');
  const ascii = /[A-Za-z]/.test(stripped.replace(/\.[A-Za-z0-9]+$/, '')) ? stripped.replace(/^[-\s]+/, '').replace(/-{2,}/g, '-') : name.ascii;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`;
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
