// Opens the database: the embedded PGlite in a data folder when no DATABASE_URL is given,
// otherwise a PostgreSQL server through a pg Pool. Both speak the same SQL and migrations.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import type { ClientBase, ClientConfig } from 'pg';
import { createContentVersion, watchContentChanges, type ContentVersion } from './content-changes.ts';
import type { Database } from './schema.ts';
import { markIfUnavailable } from '../lib/unavailable.ts';

export type DatabaseKind = 'embedded' | 'server';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives, for messages: a folder or the server URL without password. */
  location: string;
  /** Rises with every committed change a visitor could see (for the page cache). */
  contentVersion: ContentVersion;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres://… — when set, the PostgreSQL server is used. */
  url?: string | undefined;
  /** Folder for the embedded database; 'memory://' for a throwaway one. */
  dataDir?: string | undefined;
  /** A PGlite data-dir dump to start from (tests load a migrated template this way). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) return openServer(options.url, options.poolSize ?? 10);
  return openEmbedded(options.dataDir ?? './data/pglite', options.loadDataDir);
}

/** Gives up on a server that does not accept a connection within this long (→ 503). */
const CONNECT_TIMEOUT_MS = 5_000;
/** How long a request waits for a free pooled connection before it answers 503. */
const QUEUE_TIMEOUT_MS = 20_000;

async function openServer(url: string, poolSize: number): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg');
  // pg-pool uses one connectionTimeoutMillis both for opening a connection and for waiting in
  // its queue for a free one. Those are different things: a server that does not answer a
  // connection attempt within 5 s is away (→ 503 at once), but a burst of requests waiting
  // their turn for one of `poolSize` busy connections is only busy. At 5 s, 500 RSVPs at once
  // for one activity (serialised by its row lock) got about half 503s on a 2-core machine; so
  // the queue waits up to 20 s, and each connection attempt still gives up after 5 s.
  class Client extends pg.Client {
    constructor(config: ClientConfig) {
      super({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // pg-pool constructs it with the pool's options; @types/pg declares it without arguments.
    Client: Client as unknown as new () => ClientBase,
    connectionTimeoutMillis: QUEUE_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    query_timeout: 30_000,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener
  // that would crash the process. The pool drops the client and makes a new one later.
  pool.on('error', (err) => {
    console.warn(`[db] idle connection lost: ${err.message}`);
  });
  // The pool listens only to idle clients. A client checked out for a request (say, inside a
  // transaction) that loses its server — a fast shutdown sends it FATAL 57P01 — emits 'error'
  // on itself too, and with no listener that killed the whole process. The request's own
  // query still fails (→ 503), the client is no longer queryable, and the pool drops it when
  // it is released; here it only needs to be heard.
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      console.warn(`[db] connection lost during a request: ${err.message}`);
    });
    // Every failed query of an outage says so in its message (see markIfUnavailable).
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const result = query(...args);
      return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(markIfUnavailable(error))) : result;
    }) as typeof client.query;
  });
  // Kysely takes its connections with pool.connect(): a refused or timed-out connection, too.
  const connect = pool.connect.bind(pool);
  pool.connect = ((...args: Parameters<typeof pool.connect>) =>
    args.length ? connect(...args) : connect().catch((error: unknown) => Promise.reject(markIfUnavailable(error)))) as typeof pool.connect;
  // Not reliable until the server listens for other writers (src/db/content-notify.ts).
  const contentVersion = createContentVersion(false);
  const db = new Kysely<Database>({ dialect: watchContentChanges(new PostgresDialect({ pool }), contentVersion) });
  const parsed = new URL(url);
  parsed.password = '';
  return { db, kind: 'server', location: parsed.toString(), contentVersion, close: () => db.destroy() };
}

async function openEmbedded(dataDir: string, loadDataDir: Blob | undefined): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) {
    // PGlite does not create missing parent folders of its data directory.
    await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  }
  const pglite = await PGlite.create({ ...(inMemory ? {} : { dataDir }), ...(loadDataDir ? { loadDataDir } : {}) });
  // One process owns the embedded database, so it sees every change itself.
  const contentVersion = createContentVersion(true);
  const db = new Kysely<Database>({ dialect: watchContentChanges(new PGliteDialect({ pglite }), contentVersion) });
  return { db, kind: 'embedded', location: inMemory ? 'memory' : path.resolve(dataDir), contentVersion, close: () => db.destroy() };
}
