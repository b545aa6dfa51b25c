// Hears other writers' changes on a PostgreSQL server: one connection LISTENs on
// 'ankommen_content' (db/migrations/20261126_1700_content_notify.ts sends it at every commit
// that touches what visitors see) and raises the content version. While that connection is
// down, changes could be missed, so the version is marked unreliable (the page cache then
// keeps nothing) until it is back; coming back raises the version once more for what was
// missed meanwhile.
//
// A notification still travels after the writer's COMMIT has returned: another server may
// acknowledge a change and its visitor ask here before it arrived (measured: 3–54 of 240 kept
// pages served stale, for up to 200 ms on a loaded machine). So before a kept page is served,
// the version is confirmed (confirm()): a round trip on this very connection, begun after the
// request arrived. PostgreSQL signals every listener at commit, before the writer hears
// "committed", and a listening backend sends what it was signalled before it answers a query
// read after that; node-postgres hands each notification over before the query's answer. When
// the round trip returns, every change committed before the request arrived has been counted.
// Requests share round trips: one is under way at a time, and all who arrive meanwhile wait for
// the next, so a busy server adds one small query per round trip, not per request.
import type { ContentVersion } from './content-changes.ts';

const CHANNEL = 'ankommen_content';
const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000];

export interface ContentListener {
  stop(): Promise<void>;
}

export async function listenForContentChanges(url: string, version: ContentVersion): Promise<ContentListener> {
  const { default: pg } = await import('pg');
  let client: InstanceType<typeof pg.Client> | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  /** Lets go of a client for good; a late 'error' from it must not crash the process. */
  const discard = (old: InstanceType<typeof pg.Client> | null) => {
    if (!old) return;
    old.removeAllListeners();
    old.on('error', () => {});
    old.end().catch(() => {});
  };

  const lost = () => {
    version.reliable = false;
    const old = client;
    client = null;
    discard(old);
    if (!stopped && !timer) {
      timer = setTimeout(connect, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
      timer.unref();
    }
  };

  async function connect(): Promise<void> {
    timer = null;
    if (stopped) return;
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    next.on('error', lost);
    next.on('end', () => {
      if (client === next) lost();
    });
    next.on('notification', () => version.bump());
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
    } catch {
      discard(next);
      lost();
      return;
    }
    client = next;
    attempt = 0;
    // Whatever changed while nobody listened is treated as changed.
    version.bump();
    version.reliable = true;
  }

  /** One round trip on the listening connection; false when it is gone or fails. */
  const roundTrip = async (): Promise<boolean> => {
    const current = client;
    if (!current || !version.reliable) return false;
    try {
      await current.query('select 1');
      return client === current && version.reliable;
    } catch {
      return false;
    }
  };
  let underWay: Promise<boolean> | null = null;
  let following: Promise<boolean> | null = null;
  const startRoundTrip = (): Promise<boolean> => {
    const trip = roundTrip();
    underWay = trip;
    void trip.finally(() => {
      if (underWay === trip) underWay = null;
    });
    return trip;
  };
  version.confirm = () => {
    if (!underWay) return startRoundTrip();
    // The round trip under way began before this request arrived: it proves nothing about
    // changes committed since. Wait for the one after it, shared with everyone arriving now.
    // (roundTrip never rejects: a failed query answers false.)
    following ??= underWay.then(() => {
      following = null;
      return startRoundTrip();
    });
    return following;
  };

  await connect();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      version.reliable = false;
      const last = client;
      client = null;
      if (last) {
        last.removeAllListeners();
        last.on('error', () => {});
        await last.end().catch(() => {});
      }
    },
  };
}
