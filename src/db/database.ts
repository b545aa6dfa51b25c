// Opens the database: the embedded PGlite in a data folder when no DATABASE_URL is given,
// otherwise a PostgreSQL server through a pg Pool. Both speak the same SQL and migrations.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { createContentVersion, watchContentChanges, type ContentVersion } from './content-changes.ts';
import type { Database } from './schema.ts';

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

async function openServer(url: string, poolSize: number): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Fail fast when the server is away, so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 30_000,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener
  // that would crash the process. The pool drops the client and makes a new one later.
  pool.on('error', (err) => {
    console.warn(`[db] idle connection lost: ${err.message}`);
  });
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
