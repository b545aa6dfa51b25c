// `npm run db:seed`: loads the demo town into the configured database, embedded or server.
import { migrateToLatest } from '../db/migrate.ts';
import { hasDemoTown, loadDemoTown } from '../features/demo/demo-town.ts';
import { fail, openConfiguredDatabase } from './open-database.ts';

const handle = await openConfiguredDatabase();
try {
  await migrateToLatest(handle.db);
  if (await hasDemoTown(handle.db)) fail('The demo town is already loaded into this database.');
  const summary = await loadDemoTown(handle.db, { now: new Date(), timeZone: process.env.TOWN_TIMEZONE || 'Europe/Berlin' });
  console.log(`Loaded the demo town: ${summary.organisations} organisations, ${summary.activities} activities. Sign in as:`);
  for (const s of summary.signIns) console.log(`  ${s.role.padEnd(44)} ${s.email}`);
  console.log(`  password: ${summary.signIns[0]?.password}`);
} catch (error) {
  fail(`Could not load the demo town: ${error instanceof Error ? error.message : error}`);
} finally {
  await handle.close();
}
