// Opens the configured database for a command-line tool. The embedded database serves one
// process at a time, so a tool must not run while the server holds the same data folder.
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { readConfig } from '../server/config.ts';

export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const config = readConfig();
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  console.log(`[db] ${handle.kind === 'embedded' ? 'embedded database in' : 'PostgreSQL at'} ${handle.location}`);
  return handle;
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
