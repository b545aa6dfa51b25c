// `npm run privacy:records [-- --json]`: prints the records of processing activities (Art. 30(1)
// GDPR) from the declaration of personal data, the retention periods and the town's details in
// force, as Markdown for the town's register or as JSON. Only the records go to standard
// output, so that `> records.md` or a JSON reader gets nothing else.
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadPrivacyNotice } from '../features/privacy/privacy-notice.ts';
import { processingRecords, recordsAsMarkdown } from '../features/privacy/records.ts';
import { readConfig } from '../server/config.ts';
import { fail } from './open-database.ts';

const args = process.argv.slice(2);
if (args.some((a) => a !== '--json')) fail('Usage: npm run privacy:records [-- --json]');
const asJson = args.includes('--json');

const config = readConfig();
const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
try {
  // A fresh installation has no tables yet; the server would migrate them the same way.
  await migrateToLatest(handle.db);
  const records = processingRecords(await loadPrivacyNotice(handle.db), new Date());
  process.stdout.write(asJson ? `${JSON.stringify(records, null, 2)}\n` : recordsAsMarkdown(records, `Ankommen ${config.townName}`));
} finally {
  await handle.close();
}
