// What each kind of feed's version is made of: its ETag (which feed, how it was asked for, the
// fingerprint of its rows) and its Last-Modified, which never goes back — so it counts more
// than the feed's own rows: changes that took rows out of it, when its time window moved, when
// a personal address was made.
import type { Kysely } from 'kysely';
import type { ContentVersion } from '../../db/content-changes.ts';
import { rememberWhileUnchanged } from '../../db/content-memo.ts';
import type { Database } from '../../db/schema.ts';
import { startOfZonedDay } from '../../i18n/format.ts';
import { browseFilterParams } from '../activities/browse-filters.ts';
import type { FeedActivity } from './calendar.ts';
import { bodyVersion, feedVersion, rememberedFingerprint, withLastModified, type FeedVersion } from './feed-response.ts';
import { latestPublicChange, personalFeedFingerprint, publicFeedFingerprint, type PublicFeedQuery } from './feeds.queries.ts';

/** How a feed is asked for, beyond its rows: language, address, zone, name. */
export type FeedAsked = [locale: string, baseUrl: string, timeZone: string, name: string];

/** A public feed (all activities, a filtered list, an organisation's). */
export async function publicFeedVersion(db: Kysely<Database>, query: PublicFeedQuery, asked: FeedAsked, contentVersion: ContentVersion | undefined, now = new Date()): Promise<FeedVersion> {
  const selection = browseFilterParams(query.filters).toString();
  const window = query.to?.toISOString() ?? '';
  const [fingerprint, latestChange] = await Promise.all([
    rememberedFingerprint(`public\u001f${selection}\u001f${window}`, contentVersion, () => publicFeedFingerprint(db, query)),
    rememberWhileUnchanged('feed-latest-public-change', contentVersion, () => latestPublicChange(db)),
  ]);
  // An activity edited out of this feed counts (latestChange), and a time window takes in new
  // dates at each midnight in the town.
  const timeZone = asked[2];
  return withLastModified(feedVersion(['public', selection, ...asked, window], fingerprint), latestChange, query.filters.when ? startOfZonedDay(timeZone, now) : null);
}

/** A person's own feed; an address that has held nothing yet was last modified when it was made. */
export async function personalFeedVersion(
  db: Kysely<Database>,
  owner: { userId: number; createdAt: Date },
  from: Date,
  asked: FeedAsked,
  contentVersion: ContentVersion | undefined,
): Promise<FeedVersion> {
  const fingerprint = await rememberedFingerprint(`personal\u001f${owner.userId}`, contentVersion, () => personalFeedFingerprint(db, owner.userId, from));
  return withLastModified(feedVersion(['personal', owner.userId, ...asked], fingerprint), owner.createdAt);
}

/** One activity's download, already built: its rows' latest change. */
export function downloadVersion(body: string, rows: readonly FeedActivity[]): FeedVersion {
  const lastModified = rows.reduce<Date | null>((latest, r) => (latest && latest >= r.updated_at ? latest : r.updated_at), null);
  return bodyVersion(body, lastModified);
}
