// Rendered public pages for visitors who are not signed in: the home page, the activity list
// (any filters), an activity, help wanted, the Kümmerer page and the printable programme. A
// page is kept for the content version it was rendered under (src/db/content-changes.ts) and
// served only while that version is current, so any committed change — an RSVP that takes a
// seat, an organiser's edit — retires every kept page at once. Pages also depend on the clock
// (what is "upcoming", whether RSVPs are still open), so none is kept past the minute it was
// rendered in.
//
// The version is read before the page's own queries run: a page rendered while a change
// commits is kept under the older version, which is never current again.

import { keptBodyBytes, type KeptBody } from './kept-bytes.ts';
import { SizedCache } from './sized-cache.ts';

const BUDGET_BYTES = 16 * 1024 * 1024;
const MINUTE_MS = 60_000;

/** The pages worth keeping (paths without the language prefix). Anything with a form state,
 * a flash message or a session never reaches the cache. */
const CACHEABLE = /^\/(?:|activities|activities\/[^/]+|help-wanted|kuemmerer|programme)$/;

export function isCacheablePath(pathWithoutLocale: string): boolean {
  return CACHEABLE.test(pathWithoutLocale) && !pathWithoutLocale.endsWith('.ics');
}

export interface KeptPage {
  version: number;
  minute: number;
  status: number;
  headers: [string, string][];
  body: KeptBody;
}

const pages = new SizedCache<KeptPage>(BUDGET_BYTES, (page) => keptBodyBytes(page.body));

export function minuteOf(now: number): number {
  return Math.floor(now / MINUTE_MS);
}

/** The page kept under `key` if it is still good for this version and minute. */
export function keptPage(key: string, version: number, minute: number): KeptPage | undefined {
  const page = pages.get(key);
  if (!page) return undefined;
  if (page.version !== version || page.minute !== minute) {
    pages.delete(key);
    return undefined;
  }
  return page;
}

export function keepPage(key: string, page: KeptPage): void {
  pages.set(key, page);
}
