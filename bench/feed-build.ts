// How long the public calendar feed takes for 1,000 and 10,000 activities: built from cold
// (rows read + iCalendar written, no event rendered before, as in a fresh process), rebuilt
// after one activity changed (the other events' text is kept between builds), answered from a
// warm ETag (the fingerprint query and the hash, which is all a 304 costs), and, as the
// baseline measured in the same run, reading the same rows alone. A tool, not a test: it
// prints figures and asserts nothing.
//
//   npm run bench:feeds                       embedded PGlite, in memory
//   BENCH_DATABASE_URL=postgres://… npm run bench:feeds   a scratch database on that server
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { forgetRenderedEvents, publicCalendar } from '../src/features/feeds/calendar.ts';
import { feedVersion } from '../src/features/feeds/feed-response.ts';
import { feedHistoryStart, loadPublicFeed, publicFeedFingerprint } from '../src/features/feeds/feeds.queries.ts';
import { zonedTimeToInstant } from '../src/i18n/format.ts';
import { translator } from '../src/i18n/index.ts';

const SIZES = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(",").map(Number) : [1_000, 10_000];
const TIME_ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;

async function scratchDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    return handle;
  }
  const name = `ankommen_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 4 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** `count` published activities over the year ahead, a tenth of them in weekly series of ten. */
async function fill(db: Kysely<Database>, count: number, now: Date): Promise<void> {
  const organisation = await db.insertInto('organisation').values({ slug: `bench-${count}`, name: 'Stellwerk – Ehrenamt in Altena' }).returning('id').executeTakeFirstOrThrow();
  const categories = ['leisure', 'culture', 'sports', 'language', 'integration', 'volunteering'] as const;
  const rows = [];
  let seriesId: number | null = null;
  for (let i = 0; i < count; i++) {
    const inSeries = i % 100 < 10;
    if (inSeries && i % 100 === 0) {
      seriesId = (await db.insertInto('activity_series').values({ organisation_id: organisation.id, frequency: 'weekly' }).returning('id').executeTakeFirstOrThrow()).id;
    }
    // A series keeps its wall-clock time across the clock change, as the portal makes them.
    const day = now.getUTCDate() + (inSeries ? (Math.floor(i / 100) % 300) + (i % 100) * 7 : i % 365);
    const startsAt = zonedTimeToInstant(TIME_ZONE, now.getUTCFullYear(), now.getUTCMonth() + 1, day + 1, inSeries ? 18 : 9 + (i % 10), 0);
    rows.push({
      organisation_id: organisation.id,
      status: 'published' as const,
      title: `Sprachcafé ${inSeries ? `Reihe ${seriesId}` : i} – Deutsch üben bei Tee, Kaffee und Kuchen`,
      description: 'Jede Woche treffen sich Menschen aus Altena und aus aller Welt zum Reden. Anfänger sind herzlich willkommen; Kinder dürfen mit.\n\nBitte vorher anmelden.',
      source_locale: 'de' as const,
      translations: JSON.stringify({ ar: { title: `مقهى اللغة ${inSeries ? seriesId : i}`, description: 'كل أسبوع يلتقي أشخاص من ألتينا ومن جميع أنحاء العالم للحديث.' } }),
      category: categories[(inSeries ? seriesId! : i) % categories.length]!,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 2 * HOUR),
      place_name: 'Stellwerk',
      address: 'Lennestraße 12, 58762 Altena',
      capacity: 20,
      languages: ['de', 'ar', 'uk'],
      series_id: inSeries ? seriesId : null,
      series_slot: inSeries ? startsAt : null,
    });
    if (rows.length === 500) await db.insertInto('activity').values(rows.splice(0)).execute();
  }
  if (rows.length > 0) await db.insertInto('activity').values(rows).execute();
  await sql`analyze activity`.execute(db);
}

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work(); // warm-up: plans cached, code compiled
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const handle = await scratchDatabase();
const now = new Date();
const context = { baseUrl: 'https://ankommen.example', timeZone: TIME_ZONE, t: translator('de'), name: 'Angebote in Altena', organizerEmail: 'no-reply@ankommen.example', refreshSeconds: 3600 };
console.log(`Public feed, ${handle.kind === 'server' ? 'PostgreSQL server' : 'embedded PGlite'}, Node ${process.version}; median of repeated runs.\n`);
console.log('| activities | events in feed | bytes | read rows (baseline) | cold: read + build | ratio | after one change | ratio | warm ETag (304) | ratio |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
let filled = 0;
for (const size of SIZES) {
  await fill(handle.db, size - filled, now);
  filled = size;
  const query = { filters: {}, from: feedHistoryStart(now) };
  const rows = await loadPublicFeed(handle.db, query);
  const body = publicCalendar(rows, context);
  const runs = size > 5_000 ? 5 : 15;
  const read = await median(runs, () => loadPublicFeed(handle.db, query));
  const cold = await median(runs, async () => {
    forgetRenderedEvents();
    return publicCalendar(await loadPublicFeed(handle.db, query), context);
  });
  // Each run edits another activity's title, as an organiser would, then rebuilds.
  const ids = rows.filter((r) => r.series_id === null).map((r) => r.id);
  let edits = 0;
  const afterChange = await median(runs, async () => {
    const id = ids[edits++ % ids.length]!;
    await handle.db.updateTable('activity').set({ title: sql`title || '.'`, updated_at: new Date() }).where('id', '=', id).execute();
    return publicCalendar(await loadPublicFeed(handle.db, query), context);
  });
  const warm = await median(runs * 4, async () => feedVersion(['public', 'de'], await publicFeedFingerprint(handle.db, query)));
  const events = body.match(/BEGIN:VEVENT/g)?.length ?? 0;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`| ${size.toLocaleString('en')} | ${events.toLocaleString('en')} | ${(body.length / 1024).toFixed(0)} KiB | ${ms(read)} | ${ms(cold)} | ${(cold / read).toFixed(1)}× | ${ms(afterChange)} | ${(afterChange / read).toFixed(1)}× | ${ms(warm)} | ${(warm / read).toFixed(2)}× |`);
}
await handle.close();
