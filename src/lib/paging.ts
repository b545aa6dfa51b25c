// Lists shown page by page (/activities, /help-wanted): which page is asked for, and how many
// results there are over all pages, for the count and the page links.
import { rememberWhileUnchanged } from '../db/content-memo.ts';
import type { ContentVersion } from '../db/content-changes.ts';

/** The page asked for by ?page= (1 to 500; anything else is the first). */
export function pageNumber(url: URL): number {
  return Math.max(1, Math.min(500, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
}

/**
 * How many results the list has over all its pages. The page reads one row more than it shows
 * (`read`): on the first page with nothing beyond it that is the answer; otherwise `count`
 * runs, and its answer is remembered under `key` while nothing visible changes.
 */
export function totalOverPages(
  shown: { page: number; pageSize: number; read: number },
  key: string,
  contentVersion: ContentVersion | undefined,
  count: () => Promise<number>,
): Promise<number> {
  if (shown.page === 1 && shown.read <= shown.pageSize) return Promise.resolve(shown.read);
  return rememberWhileUnchanged(key, contentVersion, count);
}
