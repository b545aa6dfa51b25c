// Only for `astro dev`, which runs without src/server/main.ts: opens and migrates the database
// once, the way the server entry does, so that pages get the same locals.
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { readDemoSignIns } from '../features/demo/demo-sign-ins.ts';

let ready: Promise<Pick<App.Locals, 'db' | 'databaseKind' | 'demo' | 'telegramBot'>> | undefined;

export function devLocals() {
  ready ??= (async () => {
    const handle = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? './data/pglite' });
    await migrateToLatest(handle.db);
    return { db: handle.db, databaseKind: handle.kind, demo: await readDemoSignIns(handle.db), telegramBot: null };
  })();
  return ready;
}
