// Hears other writers' changes on a PostgreSQL server: one connection LISTENs on
// 'ankommen_content' (db/migrations/20261126_1700_content_notify.ts sends it at every commit
// that touches what visitors see) and raises the content version. While that connection is
// down, changes could be missed, so the version is marked unreliable (the page cache then
// keeps nothing) until it is back; coming back raises the version once more for what was
// missed meanwhile.
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
