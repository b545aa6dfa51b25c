// Knows when what visitors see may have changed: the database driver is wrapped so that every
// committed write counts, except to tables no public page shows (sessions, rate limits, the
// outbox, the audit log, tokens). A write inside a transaction counts when the transaction
// commits, never when it rolls back; a write outside one counts once it has run. The page
// cache (src/lib/page-cache.ts) keeps a page only for the count it was rendered under, so a
// page never outlives the change that made it stale — in this process. Other processes on the
// same PostgreSQL hear of changes through NOTIFY (src/db/content-notify.ts).
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';

/** Tables whose rows never show on a page a visitor can see. */
export const PRIVATE_TABLES = new Set(['session', 'rate_limit', 'outbox', 'audit_event', 'email_token', 'calendar_token', 'claim_code', 'invitation', 'consent', 'privacy_run', 'answer_token', 'notification_setting', 'programme_subscription', 'telegram_chat', 'telegram_link_code', 'consultation_walk_in', 'help_request_ask', 'volunteer_hours', 'volunteer_hours_removed', 'kysely_migration', 'kysely_migration_lock']);

const WRITE_NODES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);
const WRITING_SQL = /^\s*(insert|update|delete|merge|truncate|copy|alter|drop|create|with)\b/i;

/** Whether a query may change what a visitor sees: a write to any table but the private ones
 * (raw SQL that writes counts whatever it touches). */
export function changesContent(query: CompiledQuery): boolean {
  const node = query.query as { kind: string; with?: unknown };
  if (node.kind === 'RawNode') return WRITING_SQL.test(query.sql);
  // Most queries are reads; only a WITH could hide a write inside one.
  if (node.kind === 'SelectQueryNode' && !node.with) return false;
  const tables = new Set<string>();
  let writes = false;
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const current = value as { kind?: string; table?: { identifier?: { name?: string } } };
    if (current.kind && WRITE_NODES.has(current.kind)) writes = true;
    if (current.kind === 'TableNode' && current.table?.identifier?.name) tables.add(current.table.identifier.name);
    for (const child of Object.values(current)) visit(child);
  };
  visit(node);
  if (!writes) return false;
  return tables.size === 0 || [...tables].some((t) => !PRIVATE_TABLES.has(t));
}

export interface ContentVersion {
  /** Rises with every committed change visitors could see. */
  readonly current: number;
  /** Whether every change reaches `current`: always for the embedded database (one process),
   * for a server only while this process listens for other writers' notifications. */
  reliable: boolean;
  bump(): void;
  /**
   * Resolves once `current` counts every change committed before the call — true — or to false
   * when that cannot be vouched for. In one process that is at once; a server hearing of other
   * writers through NOTIFY confirms it with a round trip on its listening connection
   * (src/db/content-notify.ts). Whatever was remembered for a version may be used only after.
   */
  confirm(): Promise<boolean>;
}

export function createContentVersion(reliable: boolean): ContentVersion {
  const version: ContentVersion = {
    current: 0,
    reliable,
    bump() {
      (version as { current: number }).current += 1;
    },
    confirm: () => Promise.resolve(version.reliable),
  };
  return version;
}

class WatchedConnection implements DatabaseConnection {
  inTransaction = false;
  changed = false;
  readonly inner: DatabaseConnection;
  readonly version: ContentVersion;
  constructor(inner: DatabaseConnection, version: ContentVersion) {
    this.inner = inner;
    this.version = version;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.inner.executeQuery<R>(query);
    if (changesContent(query)) {
      if (this.inTransaction) this.changed = true;
      else this.version.bump();
    }
    return result;
  }
  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class WatchedDriver implements Driver {
  readonly inner: Driver;
  readonly version: ContentVersion;
  constructor(inner: Driver, version: ContentVersion) {
    this.inner = inner;
    this.version = version;
  }
  init() {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new WatchedConnection(await this.inner.acquireConnection(), this.version);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const watched = connection as WatchedConnection;
    await this.inner.beginTransaction(watched.inner, settings);
    watched.inTransaction = true;
    watched.changed = false;
  }
  async commitTransaction(connection: DatabaseConnection) {
    const watched = connection as WatchedConnection;
    await this.inner.commitTransaction(watched.inner);
    watched.inTransaction = false;
    if (watched.changed) this.version.bump();
    watched.changed = false;
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    const watched = connection as WatchedConnection;
    watched.inTransaction = false;
    watched.changed = false;
    await this.inner.rollbackTransaction(watched.inner);
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as WatchedConnection).inner);
  }
  destroy() {
    return this.inner.destroy();
  }
}

/** The dialect as it was, with its driver watched for committed changes. */
export function watchContentChanges(dialect: Dialect, version: ContentVersion): Dialect {
  return {
    createDriver: () => new WatchedDriver(dialect.createDriver(), version),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
