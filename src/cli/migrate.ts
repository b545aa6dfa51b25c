// `npm run db:migrate`: applies pending migrations (the server also does this at start).
import { migrateToLatest } from '../db/migrate.ts';
import { openConfiguredDatabase } from './open-database.ts';

const handle = await openConfiguredDatabase();
try {
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
} finally {
  await handle.close();
}
