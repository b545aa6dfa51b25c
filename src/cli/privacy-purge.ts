// `npm run privacy:purge`: runs retention now (src/features/privacy/retention.ts), recorded and
// audited like the daily run. `npm run privacy:purge -- --dry-run` prints what would go, per
// kind, and changes nothing. The daily run in the server needs neither.
import { migrateToLatest } from '../db/migrate.ts';
import { applyRetention, RETENTION_KINDS, runRetentionNow, type RetentionCounts } from '../features/privacy/retention.ts';
import { readConfig } from '../server/config.ts';
import { fail, openConfiguredDatabase } from './open-database.ts';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
if (args.some((a) => a !== '--dry-run')) fail('Usage: npm run privacy:purge [-- --dry-run]');

function print(counts: RetentionCounts): void {
  const width = Math.max(...RETENTION_KINDS.map((kind) => kind.length));
  for (const kind of RETENTION_KINDS) console.log(`  ${kind.padEnd(width)}  ${counts[kind]}`);
}

const config = readConfig();
// Links in the warning mail: the configured address, or where the server listens by default.
const baseUrl = (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
const handle = await openConfiguredDatabase();
try {
  await migrateToLatest(handle.db);
  if (dryRun) {
    const counts = await applyRetention(handle.db, { dryRun: true, baseUrl });
    console.log('Dry run: nothing was changed. Due now, per kind:');
    print(counts);
  } else {
    const run = await runRetentionNow(handle.db, { baseUrl, timeZone: config.timeZone });
    console.log(`Retention ran (run ${run.id}, audited). Removed or made anonymous, per kind:`);
    print(run.counts as RetentionCounts);
  }
} catch (error) {
  fail(`Retention failed: ${error instanceof Error ? error.message : error}`);
} finally {
  await handle.close();
}
