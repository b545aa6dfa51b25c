// Results that depend only on what visitors can see (and on the clock) are remembered while no
// such change has committed (src/db/content-changes.ts) and within the minute they were read
// in. The content version is read before the query runs, so a change committing meanwhile
// retires the result at once. Without a reliable version (a server whose listener is down)
// nothing is remembered.
import type { ContentVersion } from './content-changes.ts';

const MINUTE_MS = 60_000;
const MAX_ENTRIES = 10_000;

const remembered = new Map<string, { version: number; minute: number; value: unknown }>();

export async function rememberWhileUnchanged<T>(key: string, contentVersion: ContentVersion | undefined, read: () => Promise<T>): Promise<T> {
  if (!contentVersion?.reliable) return read();
  let version = contentVersion.current;
  const minute = Math.floor(Date.now() / MINUTE_MS);
  const known = remembered.get(key);
  if (known && known.version === version && known.minute === minute) {
    // Used only once every change committed before this request is known to be counted.
    if ((await contentVersion.confirm()) && contentVersion.current === version) return known.value as T;
    version = contentVersion.current;
  }
  const value = await read();
  if (!contentVersion.reliable) return value;
  // A crude bound: feeds are asked for with many filter combinations.
  if (remembered.size >= MAX_ENTRIES) remembered.clear();
  remembered.set(key, { version, minute, value });
  return value;
}
