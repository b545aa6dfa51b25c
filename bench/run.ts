// `npm run bench`: how close the portal comes to what this machine can do. Builds the portal,
// starts a PostgreSQL server of its own, loads a large town, starts the built portal and a
// bare ceiling server against it, measures each endpoint with autocannon at 50 connections,
// checks that the RSVPs written under load add up, and writes one table to
// bench/results/<date>.md (JSON beside it). A tool, not a test: it asserts nothing about time.
//
//   BENCH_DURATION=10   seconds per endpoint (default 10; 2–3 while developing)
//   BENCH_WARMUP=2      seconds of unrecorded load before each measurement
//   BENCH_CONNECTIONS=50
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
// autocannon: the HTTP load generator of the Node world (keep-alive connections, HdrHistogram
// percentiles, per-request setup for sessions and form posts); a devDependency, used only here.
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { LARGEST_KEPT_FEED_BYTES } from '../src/features/feeds/feed-response.ts';
import { applyRetention, describeCounts } from '../src/features/privacy/retention.ts';
import { ensureBuilt } from '../src/server/build.ts';
import { startOwnPostgres, type OwnPostgres } from '../scripts/own-postgres.ts';
import { startPortal, type Portal } from '../tests/helpers/portal.ts';
import { loadLargeTown, TOWN_SIZE, type LoadedTown } from './town.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BIG_FEED_CONNECTIONS = 2;
/** The public feed's body cache keeps no body over a quarter of its 32 M-character budget (feed-response.ts). */

interface Row {
  endpoint: string;
  what: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  bytesPerResponse: number;
  /** Status codes seen, with counts; errors and timeouts too. */
  answers: string;
  peakRssMiB: number;
  requests: number;
  seconds: number;
  /** 'ceiling' rows are what the others are compared with. */
  ceiling?: boolean;
}

const started = Date.now();
const loadAtStart = os.loadavg()[0] ?? 0;
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((e: unknown) => console.warn(`[bench] cleanup: ${e instanceof Error ? e.message : e}`));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n[bench] ${signal}: stopping everything`);
    void cleanUp().then(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Memory of the portal process: VmRSS sampled every 100 ms (peak per measurement), VmHWM at the end.

class MemorySampler {
  peakKiB = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly status: () => Promise<string | null>;
  constructor(status: () => Promise<string | null>) {
    this.status = status;
    this.timer = setInterval(() => void this.sample(), 100);
    this.timer.unref();
  }
  async sample(): Promise<void> {
    const text = await this.status();
    const kib = Number(/VmRSS:\s+(\d+)/.exec(text ?? '')?.[1] ?? 0);
    if (kib > this.peakKiB) this.peakKiB = kib;
  }
  takePeak(): number {
    const peak = this.peakKiB;
    this.peakKiB = 0;
    return peak;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

async function procStatus(pid: number | undefined): Promise<string | null> {
  if (!pid) return null;
  return readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Request = autocannon.Request;

interface Measure {
  endpoint: string;
  what: string;
  url: string;
  path?: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
  /** Per request: path, headers and body. */
  setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
  /** `context` is the connection's own (one request in flight at a time): what setupRequest put there. */
  onResponse?: (status: number, headers: Record<string, string | string[]>, context: Record<string, unknown>) => void;
  connections?: number;
  /** A fixed number of requests instead of a duration (no warm-up then). */
  amount?: number;
  /** Seconds, when the default is too short to see more than a handful of answers. */
  duration?: number;
  timeoutSeconds?: number;
  ceiling?: boolean;
  warmup?: boolean;
}

let memory: MemorySampler | null = null;

function answers(result: autocannon.Result): string {
  const parts: string[] = [];
  const stats = (result as autocannon.Result & { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  for (const [code, { count }] of Object.entries(stats)) parts.push(`${code}×${count}`);
  if (result.errors) parts.push(`errors×${result.errors}`);
  if (result.timeouts) parts.push(`timeouts×${result.timeouts}`);
  return parts.join(' ');
}

async function measure(m: Measure): Promise<Row> {
  const requests: Request[] | undefined =
    m.setupRequest || m.onResponse
      ? [
          {
            method: m.method ?? 'GET',
            ...(m.setupRequest ? { setupRequest: (r: Request, context: object) => m.setupRequest!(r, context as Record<string, unknown>) } : {}),
            ...(m.onResponse
              ? {
                  onResponse: (status: number, _body: string, context: object, headers: Request['headers']) =>
                    m.onResponse!(status, (headers ?? {}) as Record<string, string | string[]>, context as Record<string, unknown>),
                }
              : {}),
          },
        ]
      : undefined;
  const options: autocannon.Options = {
    url: m.url + (m.path ?? ''),
    connections: m.connections ?? CONNECTIONS,
    method: m.method ?? 'GET',
    timeout: m.timeoutSeconds ?? 30,
    ...(m.headers ? { headers: m.headers } : {}),
    ...(m.body ? { body: m.body } : {}),
    ...(requests ? { requests } : {}),
    ...(m.amount ? { amount: m.amount } : { duration: m.duration ?? DURATION }),
  };
  if (!m.amount && m.warmup !== false && WARMUP > 0) {
    await autocannon({ ...options, duration: WARMUP, amount: undefined, ...(requests && m.onResponse ? { requests: requests.map(({ onResponse: _, ...r }) => r) } : {}) });
  }
  await settle(probeFor(m));
  memory?.takePeak();
  const result = await autocannon(options);
  await memory?.sample();
  // Requests still in flight when autocannon stops go on being answered; the next
  // measurement must not pay for them.
  await settle(probeFor(m));
  const total = result.requests.total;
  const seconds = result.duration;
  const row: Row = {
    endpoint: m.endpoint,
    what: m.what,
    requestsPerSecond: m.amount ? total / seconds : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytesPerResponse: total ? Math.round(result.throughput.total / total) : 0,
    answers: answers(result),
    peakRssMiB: Math.round((memory?.takePeak() ?? 0) / 1024),
    requests: total,
    seconds,
    ...(m.ceiling ? { ceiling: true } : {}),
  };
  console.log(`  ${row.endpoint.padEnd(44)} ${row.requestsPerSecond.toFixed(1).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ${row.answers}`);
  return row;
}

/** Waits until the server answers a cheap request quickly twice in a row (at most 5 minutes). */
async function settle(probe: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  let quick = 0;
  while (quick < 2 && Date.now() < deadline) {
    const t0 = performance.now();
    await fetch(probe).then((r) => r.arrayBuffer()).catch(() => undefined);
    quick = performance.now() - t0 < 50 ? quick + 1 : 0;
    if (quick < 2) await new Promise((r) => setTimeout(r, 100));
  }
}
/** The portal's address: its /healthz is the cheap request; the ceiling has only its page. */
let portalBase = '';
const probeFor = (m: Measure) => (m.url === portalBase ? `${portalBase}/healthz` : m.url + (m.path ?? ''));

// ---------------------------------------------------------------------------------------------
// Processes

async function startCeiling(databaseUrl: string, pageBytes: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bench/ceiling.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', CEILING_PAGE_BYTES: String(pageBytes) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (log += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ceiling did not start:\n${log}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /\[ceiling\] listening on (http:\/\/\S+)/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ceiling exited with ${code}:\n${log}`));
    });
  });
  return { url, child };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------------------------
// What each public page ships

interface Shipped {
  page: string;
  htmlBytes: number;
  htmlGzip: number;
  jsFiles: number;
  jsBytes: number;
  jsGzip: number;
  cssFiles: number;
  cssBytes: number;
  cssGzip: number;
}

const gz = (text: string) => gzipSync(Buffer.from(text)).length;

/** Scripts (external, inline and island modules with their static and dynamic imports) and styles. */
async function shippedBy(base: string, page: string): Promise<Shipped> {
  const html = await (await fetch(base + page)).text();
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1]?.replaceAll('&amp;', '&');
  const scripts = new Set<string>();
  const styles = new Set<string>();
  let inlineJs = '';
  let inlineCss = '';
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = attr(match[1] ?? '', 'src');
    if (src) scripts.add(src);
    else if (!/type\s*=\s*"application\/(ld\+)?json"/.test(match[1] ?? '')) inlineJs += match[2] ?? '';
  }
  for (const match of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = match[0];
    const rel = attr(tag, 'rel') ?? '';
    const href = attr(tag, 'href');
    if (!href) continue;
    if (/\bstylesheet\b/.test(rel)) styles.add(href);
    if (/\bmodulepreload\b/.test(rel)) scripts.add(href);
  }
  for (const match of html.matchAll(/<astro-island\b[^>]*>/g)) {
    for (const name of ['component-url', 'renderer-url', 'before-hydration-url']) {
      const url = attr(match[0], name);
      if (url) scripts.add(url);
    }
  }
  for (const match of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) inlineCss += match[1] ?? '';
  // Follow the modules' own imports (Astro splits shared code into chunks).
  const jsBodies = new Map<string, string>();
  const queue = [...scripts].map((s) => new URL(s, base + page).toString());
  while (queue.length) {
    const url = queue.shift()!;
    if (jsBodies.has(url) || !url.startsWith(base)) continue;
    const body = await (await fetch(url)).text();
    jsBodies.set(url, body);
    for (const m of body.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+\.js)["']/g)) queue.push(new URL(m[1]!, url).toString());
  }
  let cssText = '';
  const cssBodies: string[] = [];
  for (const href of styles) {
    const body = await (await fetch(new URL(href, base + page))).text();
    cssBodies.push(body);
    cssText += body;
  }
  const js = [...jsBodies.values()];
  return {
    page,
    htmlBytes: Buffer.byteLength(html),
    htmlGzip: gz(html),
    jsFiles: js.length + (inlineJs ? 1 : 0),
    jsBytes: js.reduce((n, b) => n + Buffer.byteLength(b), 0) + Buffer.byteLength(inlineJs),
    jsGzip: js.reduce((n, b) => n + gz(b), 0) + (inlineJs ? gz(inlineJs) : 0),
    cssFiles: cssBodies.length + (inlineCss ? 1 : 0),
    cssBytes: Buffer.byteLength(cssText) + Buffer.byteLength(inlineCss),
    cssGzip: cssBodies.reduce((n, b) => n + gz(b), 0) + (inlineCss ? gz(inlineCss) : 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Writes under load, and whether they add up

interface RsvpRun {
  /** Requests handed to autocannon. */
  sent: number;
  /** (person, activity) of every success answer. */
  successes: Array<[number, number]>;
  refusals: number;
  other: number;
}

function rsvpRun(): RsvpRun {
  return { sent: 0, successes: [], refusals: 0, other: 0 };
}

/** A request of a run: remembered on its connection, so that its answer can be told apart. */
function rsvpRequest(run: RsvpRun, request: Request, context: Record<string, unknown>, origin: string, token: string, userId: number, activityId: number): Request {
  run.sent++;
  context.rsvp = [userId, activityId];
  return {
    ...request,
    method: 'POST',
    path: `/activities/${activityId}?_action=rsvps.create`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie: `session=${token}` },
    body: `activityId=${activityId}&partySize=1&note=`,
  };
}

/** A success answers 303 with the flash cookie; a refusal 303 with the form-state cookie. */
function countRsvp(run: RsvpRun, status: number, headers: Record<string, string | string[]>, context: Record<string, unknown>): void {
  const cookies = Object.entries(headers)
    .filter(([k]) => k.toLowerCase() === 'set-cookie')
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
  if (status === 303 && cookies.some((c) => c.startsWith('flash='))) run.successes.push(context.rsvp as [number, number]);
  else if (status === 303 && cookies.some((c) => c.startsWith('form-result='))) run.refusals++;
  else run.other++;
}

/** Requests that got no answer (cut off at the end of a timed run, or timed out): each may or may not have been written. */
const unanswered = (run: RsvpRun) => run.sent - run.successes.length - run.refusals - run.other;

interface StateCheck {
  check: string;
  expected: string;
  found: string;
  ok: boolean;
}

async function checkFinalState(database: DatabaseHandle, town: LoadedTown, contention: RsvpRun, spread: RsvpRun): Promise<StateCheck[]> {
  const db = database.db;
  const one = async <T>(query: { execute(db: DatabaseHandle['db']): Promise<{ rows: T[] }> }) => (await query.execute(db)).rows[0]!;
  const written = (run: RsvpRun) => sql<{ n: number }>`
    select count(*)::int as n from rsvp r
    join unnest(${run.successes.map((p) => p[0])}::int[], ${run.successes.map((p) => p[1])}::int[]) as answered(user_id, activity_id)
      on r.user_id = answered.user_id and r.activity_id = answered.activity_id
    where r.status <> 'cancelled'`;
  const contended = await one(sql<{ live: number; going_seats: number; waitlisted: number; capacity: number; in_order: boolean }>`
    select count(*) filter (where r.status <> 'cancelled')::int as live,
           coalesce(sum(r.party_size) filter (where r.status = 'going'), 0)::int as going_seats,
           count(*) filter (where r.status = 'waitlisted')::int as waitlisted,
           max(a.capacity)::int as capacity,
           coalesce(max(r.id) filter (where r.status = 'going') < min(r.id) filter (where r.status = 'waitlisted'), true) as in_order
    from activity a left join rsvp r on r.activity_id = a.id where a.id = ${town.contendedActivityId}`);
  const contendedWritten = await one(written(contention));
  const spreadWritten = await one(written(spread));
  const spreadLive = await one(sql<{ n: number }>`
    select count(*)::int as n from rsvp where status <> 'cancelled' and activity_id in (${sql.join(town.spreadActivityIds)})`);
  const duplicates = await one(sql<{ n: number }>`
    select count(*)::int as n from (select 1 from rsvp where status <> 'cancelled' and user_id is not null group by activity_id, user_id having count(*) > 1) d`);
  const overCapacity = await one(sql<{ n: number }>`
    select count(*)::int as n from activity a
    where a.capacity is not null and a.capacity < (select coalesce(sum(party_size), 0) from rsvp r where r.activity_id = a.id and r.status = 'going')`);
  const benchActivities = [town.contendedActivityId, ...town.spreadActivityIds];
  // A waitlist only where the activity is full.
  const skipped = await one(sql<{ n: number }>`
    select count(*)::int as n from activity a
    where a.id in (${sql.join(benchActivities)})
      and exists (select 1 from rsvp r where r.activity_id = a.id and r.status = 'waitlisted')
      and a.capacity > (select coalesce(sum(party_size), 0) from rsvp r where r.activity_id = a.id and r.status = 'going')`);
  const mails = await one(sql<{ n: number }>`
    select count(*)::int as n from outbox where kind in ('rsvp_going', 'rsvp_waitlisted')
      and substring(payload->>'url' from '/activities/([0-9]+)$')::int in (${sql.join(benchActivities)})`);
  const c = contention.successes.length;
  const cLost = unanswered(contention);
  const sOk = spread.successes.length;
  const sLost = unanswered(spread);
  const row = (check: string, expected: string | number, found: string | number, ok: boolean): StateCheck => ({ check, expected: String(expected), found: String(found), ok });
  return [
    row('contention: every success answer is a live RSVP', c, contendedWritten.n, contendedWritten.n === c),
    row(`contention: live RSVPs = successes (+ up to ${cLost} unanswered)`, cLost ? `${c}–${c + cLost}` : c, contended.live, contended.live >= c && contended.live <= c + cLost),
    row('contention: seats taken = the 20 seats', Math.min(contended.capacity, contended.live), contended.going_seats, contended.going_seats === Math.min(contended.capacity, contended.live)),
    row('contention: the rest waitlisted, in arrival order', contended.live - Math.min(contended.capacity, contended.live), `${contended.waitlisted}${contended.in_order ? ', in order' : ', OUT OF ORDER'}`, contended.waitlisted === contended.live - Math.min(contended.capacity, contended.live) && contended.in_order),
    row('spread: every success answer is a live RSVP', sOk, spreadWritten.n, spreadWritten.n === sOk),
    row(`spread: live RSVPs = successes (+ up to ${sLost} unanswered)`, sLost ? `${sOk}–${sOk + sLost}` : sOk, spreadLive.n, spreadLive.n >= sOk && spreadLive.n <= sOk + sLost),
    row('one live RSVP per person and activity (whole town)', 0, `${duplicates.n} duplicates`, duplicates.n === 0),
    row('no activity over capacity (whole town)', 0, `${overCapacity.n} over`, overCapacity.n === 0),
    row('nobody waitlisted while a seat is free', 0, skipped.n, skipped.n === 0),
    row('one confirmation mail per RSVP written, in the outbox', contended.live + spreadLive.n, mails.n, mails.n === contended.live + spreadLive.n),
  ];
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(rows: Row[]): string {
  const ceiling = rows.find((r) => r.ceiling)?.requestsPerSecond ?? 0;
  const lines = [
    '| endpoint | what was measured | req/s | p50 ms | p99 ms | bytes/response | vs ceiling | answers | peak RSS MiB |',
    '|---|---|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const r of rows) {
    const ratio = ceiling ? `${fmt(r.requestsPerSecond / ceiling, r.requestsPerSecond / ceiling < 0.01 ? 3 : 2)}×` : '–';
    const none = r.requests === 0;
    lines.push(`| ${r.endpoint} | ${r.what} | ${fmt(r.requestsPerSecond, r.requestsPerSecond < 10 ? 1 : 0)} | ${none ? '–' : r.p50} | ${none ? '–' : r.p99} | ${none ? `no answer in ${fmt(r.seconds)} s` : fmt(r.bytesPerResponse)} | ${ratio} | ${r.answers} | ${r.ceiling ? '–' : r.peakRssMiB} |`);
  }
  return lines.join('\n');
}

function shippedTable(pages: Shipped[]): string {
  const kib = (n: number) => fmt(n / 1024, 1);
  const lines = ['| page | HTML KiB (gzip) | JS files | JS KiB (gzip) | CSS files | CSS KiB (gzip) |', '|---|---:|---:|---:|---:|---:|'];
  for (const p of pages) lines.push(`| ${p.page} | ${kib(p.htmlBytes)} (${kib(p.htmlGzip)}) | ${p.jsFiles} | ${kib(p.jsBytes)} (${kib(p.jsGzip)}) | ${p.cssFiles} | ${kib(p.cssBytes)} (${kib(p.cssGzip)}) |`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`[bench] ${os.cpus().length} CPUs, Node ${process.version}; ${CONNECTIONS} connections, ${DURATION} s per endpoint (+${WARMUP} s warm-up)`);
  await ensureBuilt();

  const postgres: OwnPostgres = await startOwnPostgres();
  cleanups.push(() => postgres.remove());
  console.log(`[bench] own PostgreSQL on port ${postgres.port}`);
  const database = await openDatabase({ url: postgres.url, poolSize: 10 });
  cleanups.push(() => database.close());
  const postgresVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)).rows[0]!.v;

  const loadStarted = performance.now();
  await migrateToLatest(database.db);
  const migrated = performance.now();
  const now = new Date();
  const town = await loadLargeTown(database.db, now);
  const loadSeconds = (performance.now() - migrated) / 1000;
  console.log(`[bench] migrated in ${((migrated - loadStarted) / 1000).toFixed(1)} s; loaded the town in ${loadSeconds.toFixed(1)} s: ${Object.entries(town.counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);

  const portal: Portal = await startPortal({ DATABASE_URL: postgres.url, DEMO_TOWN: 'off', OUTBOX_INTERVAL_MS: '2000' });
  // SIGTERM lets it finish what is in flight (a big feed build takes seconds); after 10 s it is killed.
  cleanups.push(async () => {
    const killer = setTimeout(() => portal.child.kill('SIGKILL'), 10_000);
    try {
      await portal.stop();
    } finally {
      clearTimeout(killer);
    }
  });
  const portalPid = portal.child.pid;
  memory = new MemorySampler(() => procStatus(portalPid));
  cleanups.push(async () => memory?.stop());
  const base = portal.url;
  portalBase = base;
  console.log(`[bench] portal on ${base} (pid ${portalPid})`);

  const browsePage = await (await fetch(`${base}/activities`)).text();
  const ceiling = await startCeiling(postgres.url, Buffer.byteLength(browsePage));
  cleanups.push(() => stopChild(ceiling.child));
  console.log(`[bench] ceiling on ${ceiling.url}`);

  const shipped: Shipped[] = [];
  for (const page of ['/', '/activities', `/activities/${town.sampleActivityId}`, '/help-wanted', '/kuemmerer', '/sign-in', '/sign-up', '/forgot-password', '/claim', '/ar/activities', '/privacy', '/legal-notice', '/accessibility', '/programme', '/ar/programme?bilingual=1']) {
    shipped.push(await shippedBy(base, page));
  }

  const rows: Row[] = [];
  const session = (i: number) => town.sessions[i % town.sessions.length]!;
  let next = 0;
  const signedIn = (request: Request): Request => ({ ...request, headers: { ...request.headers, cookie: `session=${session(next++)}` } });

  console.log('[bench] pages');
  rows.push(await measure({ endpoint: 'ceiling: bare http + pg', what: 'browse list query (21 rows) + template string', url: ceiling.url, path: '/activities', ceiling: true }));
  rows.push(await measure({ endpoint: 'ceiling + filter choices', what: 'the page\'s 3 queries + template string', url: ceiling.url, path: '/activities?choices=1' }));
  rows.push(await measure({ endpoint: '/activities', what: 'first page, anonymous', url: base, path: '/activities' }));
  rows.push(await measure({ endpoint: '/activities, gzip', what: 'first page, anonymous, Accept-Encoding: gzip as browsers send it', url: base, path: '/activities', headers: { 'accept-encoding': 'gzip' } }));
  rows.push(await measure({ endpoint: '/activities?category=language&language=ar', what: 'filtered first page, anonymous', url: base, path: '/activities?category=language&language=ar' }));
  rows.push(await measure({ endpoint: `/activities/${town.sampleActivityId}`, what: 'activity page (most RSVPs, volunteer roles), anonymous', url: base, path: `/activities/${town.sampleActivityId}` }));
  rows.push(await measure({ endpoint: '/', what: 'home page, anonymous', url: base, path: '/' }));
  rows.push(await measure({ endpoint: '/ (signed in)', what: `home page, session cookie of ${fmt(town.sessions.length)} people in turn`, url: base, setupRequest: (r) => signedIn({ ...r, path: '/' }) }));
  rows.push(await measure({ endpoint: '/activities (signed in)', what: 'first page, session cookies in turn', url: base, setupRequest: (r) => signedIn({ ...r, path: '/activities' }) }));
  rows.push(await measure({ endpoint: '/activities (signed in), gzip', what: 'first page, session cookies in turn, compressed on the way out', url: base, headers: { 'accept-encoding': 'gzip' }, setupRequest: (r) => signedIn({ ...r, path: '/activities' }) }));
  rows.push(await measure({ endpoint: `/activities/${town.sampleActivityId} (signed in)`, what: 'activity page, session cookies in turn', url: base, setupRequest: (r) => signedIn({ ...r, path: `/activities/${town.sampleActivityId}` }) }));
  rows.push(await measure({ endpoint: '/privacy', what: 'privacy notice, anonymous: built from the declaration, the periods and the town details', url: base, path: '/privacy' }));
  rows.push(await measure({ endpoint: '/programme', what: 'printable programme of the coming week (QR code per activity), anonymous', url: base, path: '/programme' }));
  rows.push(await measure({ endpoint: '/programme?span=month&bilingual=1', what: 'a month, German beside the language, anonymous', url: base, path: '/ar/programme?span=month&bilingual=1' }));
  rows.push(await measure({ endpoint: '/ar/manifest.webmanifest', what: 'the web app manifest of a language (linked from every page), anonymous', url: base, path: '/ar/manifest.webmanifest' }));
  rows.push(await measure({ endpoint: '/consultations?language=fa', what: 'consultation hours with their free slots, filtered by a language, anonymous', url: base, path: '/consultations?language=fa' }));
  rows.push(await measure({ endpoint: `/consultations/slots/${town.sampleSlotId}`, what: 'one free slot\'s booking page (who speaks which language), anonymous', url: base, path: `/consultations/slots/${town.sampleSlotId}` }));
  rows.push(await measure({ endpoint: `/consultations/slots/${town.sampleSlotId} (signed in)`, what: 'the slot\'s booking page with the form and the people one may book for, session cookies in turn', url: base, setupRequest: (r) => signedIn({ ...r, path: `/consultations/slots/${town.sampleSlotId}` }) }));
  // Volunteer hours: the person's own year, a keeper's month of ~200 entries, the certificate
  // (HTML, and the PDF built by pdfkit with its fonts embedded, with fewer connections: a PDF
  // holds a core for tens of milliseconds).
  rows.push(await measure({ endpoint: '/my-hours (signed in)', what: 'My hours: a year of ten entries per person by month and organisation, the card\'s progress, session cookies in turn', url: base, setupRequest: (r) => signedIn({ ...r, path: '/my-hours' }) }));
  const month = now.toISOString().slice(0, 7);
  rows.push(await measure({ endpoint: `/organise/organisation/${town.organisationSlug}/hours (organiser)`, what: 'a keeper\'s month: ~200 entries by person with forms to confirm and add, one organiser\'s session', url: base, path: `/organise/organisation/${town.organisationSlug}/hours?month=${month}`, headers: { cookie: `session=${town.sessions[0]}` } }));
  rows.push(await measure({ endpoint: `/organise/organisation/${town.organisationSlug}/hours/deployments.csv (organiser)`, what: 'the month\'s deployment list as CSV (~200 rows; each download written to the security log), one organiser\'s session', url: base, path: `/organise/organisation/${town.organisationSlug}/hours/deployments.csv?month=${month}`, headers: { cookie: `session=${town.sessions[0]}` } }));
  const issuerOf = (i: number) => `verein-${1 + (town.sessionUserIds[i % town.sessions.length]! % 10)}`;
  let certificate = 0;
  rows.push(await measure({ endpoint: '/my-hours/certificate?organisation=… (signed in)', what: 'the certificate page (German and, for others, their language), session cookies in turn', url: base, setupRequest: (r) => { const i = certificate++; return { ...r, path: `/my-hours/certificate?organisation=${issuerOf(i)}`, headers: { ...r.headers, cookie: `session=${session(i)}` } }; } }));
  let pdf = 0;
  rows.push(await measure({ endpoint: '/my-hours/certificate.pdf?organisation=… (signed in)', what: 'the certificate as a PDF made on the server (pdfkit, embedded fonts), 8 connections, session cookies in turn', url: base, connections: 8, setupRequest: (r) => { const i = pdf++; return { ...r, path: `/my-hours/certificate.pdf?organisation=${issuerOf(i)}`, headers: { ...r.headers, cookie: `session=${session(i)}` } }; } }));
  let answer = 0;
  rows.push(await measure({ endpoint: '/answer/<token>/not-coming', what: `one-tap answer page (asks, changes nothing), ${town.answerPaths.length} tokens in turn`, url: base, setupRequest: (r) => ({ ...r, path: town.answerPaths[answer++ % town.answerPaths.length]! }) }));
  rows.push(await measure({ endpoint: '/account/notifications (signed in)', what: 'notification settings, session cookies in turn', url: base, setupRequest: (r) => signedIn({ ...r, path: '/account/notifications' }) }));
  rows.push(await measure({ endpoint: '/account/data (signed in)', what: 'My data: counts of everything held about the person, session cookies in turn', url: base, setupRequest: (r) => signedIn({ ...r, path: '/account/data' }) }));
  rows.push(await measure({ endpoint: '/account/data.json (signed in)', what: 'the whole export of the person as JSON (each one recorded in the security log), session cookies in turn', url: base, setupRequest: (r) => signedIn({ ...r, path: '/account/data.json' }) }));

  console.log('[bench] feeds');
  const feeds: Array<{ name: string; path: string; events: number; chars: number; firstBuildMs: number[] }> = [];
  // "Cold": every request names another end date two years or more ahead (?to=…). The rows are
  // the same as without it (no activity lies that far out), but the ETag differs, so the body
  // cache never holds the answer: 500 variants go round, more than the cache keeps.
  const farDay = (n: number) => new Date(now.getTime() + (730 + n) * 86_400_000).toISOString().slice(0, 10);
  for (const [label, query] of [
    ['~1,000', `organisation=${town.organisationSlug}`],
    ['~10,000', ''],
  ] as const) {
    const path = `/feeds/activities.ics${query ? `?${query}` : ''}`;
    const join = query ? '&' : '?';
    const first = await fetch(base + path);
    const body = await first.text();
    const etag = first.headers.get('etag') ?? '';
    const events = body.match(/BEGIN:VEVENT/g)?.length ?? 0;
    // One build with nothing else running: three fresh variants, one after the other.
    const firstBuildMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await (await fetch(`${base}${path}${join}to=${farDay(1000 + i)}`)).text();
      firstBuildMs.push(Math.round(performance.now() - t0));
    }
    feeds.push({ name: label, path, events, chars: body.length, firstBuildMs });
    console.log(`  ${path}: ${fmt(events)} events, ${fmt(body.length / 1024)} KiB; one build alone ${firstBuildMs.join(' / ')} ms`);
    const cacheable = Buffer.byteLength(body) <= LARGEST_KEPT_FEED_BYTES;
    // A build of thousands of events holds one core for a second or more; 50 connections would
    // queue minutes of builds, so the big feed's builds are measured with a few connections.
    const buildConnections = events > 5_000 ? BIG_FEED_CONNECTIONS : CONNECTIONS;
    let variant = 0;
    rows.push(
      await measure({
        endpoint: `${path} cold`,
        what:
          `${fmt(events)} events; built every time (?to= varied over 500 dates, body cache cannot hit)` +
          (buildConnections !== CONNECTIONS ? `; **${buildConnections} connections, ${Math.max(3 * DURATION, 30)} s**` : '') +
          (cacheable ? '' : `; the plain URL is built every time too: ${fmt(Buffer.byteLength(body) / 1e6, 1)} MB is over the body cache's ${fmt(LARGEST_KEPT_FEED_BYTES / 1e6, 1)} MB limit`),
        url: base,
        connections: buildConnections,
        // Builds of seconds each: a longer run, so that a few dozen answers make the percentiles.
        ...(buildConnections !== CONNECTIONS ? { duration: Math.max(3 * DURATION, 30) } : {}),
        setupRequest: (r) => ({ ...r, path: `${path}${join}to=${farDay(variant++ % 500)}` }),
        timeoutSeconds: 120,
      }),
    );
    if (cacheable) {
      rows.push(await measure({ endpoint: `${path} same URL`, what: `${fmt(events)} events; no If-None-Match; body from the server's ETag body cache`, url: base, path }));
      rows.push(await measure({ endpoint: `${path} same URL, gzip`, what: `${fmt(events)} events; Accept-Encoding: gzip, as calendar apps send it; the kept compressed copy`, url: base, path, headers: { 'accept-encoding': 'gzip' } }));
    }
    rows.push(await measure({ endpoint: `${path} 304`, what: `${fmt(events)} events; If-None-Match matches → 304`, url: base, path, headers: { 'if-none-match': etag } }));
    rows.push(await measure({ endpoint: `${path} 304, one client`, what: `${fmt(events)} events; If-None-Match matches → 304; **1 connection**: the time one answer takes`, url: base, path, headers: { 'if-none-match': etag }, connections: 1 }));
  }
  const personalPath = `/feeds/personal/${town.calendarToken}.ics`;
  const personal = await fetch(base + personalPath);
  const personalBody = await personal.text();
  const personalEvents = personalBody.match(/BEGIN:VEVENT/g)?.length ?? 0;
  if (personal.status !== 200) throw new Error(`the personal feed answered ${personal.status}`);
  rows.push(await measure({ endpoint: '/feeds/personal/<token>.ics', what: `${personalEvents} events (${town.calendarTokenRsvps} RSVPs); no If-None-Match, built every time`, url: base, path: personalPath }));
  rows.push(await measure({ endpoint: '/feeds/personal/<token>.ics 304', what: 'If-None-Match matches → 304', url: base, path: personalPath, headers: { 'if-none-match': personal.headers.get('etag') ?? '' } }));

  console.log('[bench] RSVPs');
  const origin = new URL(base).origin;
  const contention = rsvpRun();
  rows.push(
    await measure({
      endpoint: 'RSVP, contention',
      what: `${fmt(town.sessions.length)} people, one request each, on one 20-seat activity (successful writes/s)`,
      url: base,
      method: 'POST',
      amount: town.sessions.length,
      setupRequest: (r, context) => {
        const i = contention.sent % town.sessions.length;
        return rsvpRequest(contention, r, context, origin, session(i), town.sessionUserIds[i]!, town.contendedActivityId);
      },
      onResponse: (status, headers, context) => countRsvp(contention, status, headers, context),
    }),
  );
  rows.at(-1)!.requestsPerSecond = contention.successes.length / rows.at(-1)!.seconds;
  const spread = rsvpRun();
  const pool = town.spreadActivityIds;
  const spreadRow = await measure({
    endpoint: 'RSVP, spread',
    what: `people in turn over ${fmt(pool.length)} activities, never the same pair twice (successful writes/s)`,
    url: base,
    method: 'POST',
    warmup: false,
    setupRequest: (r, context) => {
      const k = spread.sent;
      const person = k % town.sessions.length;
      const activity = pool[(person + Math.floor(k / town.sessions.length)) % pool.length]!;
      return rsvpRequest(spread, r, context, origin, session(person), town.sessionUserIds[person]!, activity);
    },
    onResponse: (status, headers, context) => countRsvp(spread, status, headers, context),
  });
  spreadRow.requestsPerSecond = spread.successes.length / spreadRow.seconds;
  rows.push(spreadRow);
  const summary = (run: RsvpRun) => `${run.successes.length} successes, ${run.refusals} refusals, ${run.other} other answers, ${unanswered(run)} unanswered`;
  console.log(`  contention: ${summary(contention)}; spread: ${summary(spread)}`);

  const checks = await checkFinalState(database, town, contention, spread);

  // Retention on the whole town, as the daily job would run it three years from now, when
  // everything it keeps by time is due: the dry run's count, then the run in its batches. The
  // baseline is loading the town in this run (the same rows written once).
  console.log('[bench] retention');
  const threeYearsOn = new Date(now.getTime() + 3 * 365 * 86_400_000);
  const dryStarted = performance.now();
  const due = await applyRetention(database.db, { now: threeYearsOn, dryRun: true, baseUrl: base });
  const retentionDrySeconds = (performance.now() - dryStarted) / 1000;
  const runStarted = performance.now();
  const done = await applyRetention(database.db, { now: threeYearsOn, baseUrl: base });
  const retentionSeconds = (performance.now() - runStarted) / 1000;
  const retentionRows = Object.values(done).reduce((a, b) => a + b, 0);
  console.log(`  dry run ${fmt(retentionDrySeconds, 1)} s, run ${fmt(retentionSeconds, 1)} s: ${describeCounts(done)}`);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec((await procStatus(portalPid)) ?? '')?.[1] ?? 0);
  const totalSeconds = (Date.now() - started) / 1000;

  const date = new Date().toISOString().slice(0, 10);
  const checkLines = ['| check | expected | found | |', '|---|---:|---:|---|', ...checks.map((c) => `| ${c.check} | ${c.expected} | ${c.found} | ${c.ok ? 'ok' : '**WRONG**'} |`)].join('\n');
  const feedLines = feeds.map((f) => `- \`${f.path}\`: ${fmt(f.events)} events, ${fmt(f.chars / 1024)} KiB; one build with nothing else running: ${f.firstBuildMs.join(' / ')} ms`).join('\n');
  const report = `# Benchmark ${date}

\`npm run bench\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, PostgreSQL ${postgresVersion} (own server, default settings), portal pool ${10} connections.
Load average (1 min) at the start ${fmt(loadAtStart, 1)}, at the end ${fmt(os.loadavg()[0] ?? 0, 1)}: anything else running on the machine shows in these numbers.
autocannon on the same machine (and the same cores) as the portal and PostgreSQL: ${CONNECTIONS} connections, ${DURATION} s per endpoint after ${WARMUP} s of warm-up.
Town: ${Object.entries(town.counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; loaded in ${fmt(loadSeconds, 1)} s. Whole run: ${fmt(totalSeconds / 60, 1)} min.

${table(rows)}

- **vs ceiling**: requests/s divided by the first row's, a bare Node \`http\` server running the browse page's own list query (compiled by Kysely from \`listPublishedActivities\`) with \`pg\` and a template string, padded to the portal page's size.
- **cold** feeds: every request names another \`?to=\` date two years or more ahead: the same rows, but another ETag, so the server's body cache never answers (500 variants in turn). **same URL**: the body cache answers when the body is small enough.
- RSVP rows: requests/s are *successful* RSVPs per second (going or waitlisted, 303 with the confirmation); the contention run is ${fmt(town.sessions.length)} requests, one per person, not a fixed time.
- peak RSS: the portal process's largest resident set seen (sampled every 100 ms) during that row's measurement.

Feeds:
${feedLines}

Retention (\`applyRetention\`, batches of 500 rows) on this town three years on, when all it keeps by time is due, after the RSVP runs: the dry run took ${fmt(retentionDrySeconds, 1)} s and counted ${fmt(Object.values(due).reduce((a, b) => a + b, 0))} rows; the run took ${fmt(retentionSeconds, 1)} s for ${fmt(retentionRows)} rows (${fmt(retentionSeconds / loadSeconds, 2)}× the time loading the town took in this run): ${describeCounts(done)}.

Final state after the RSVP runs (contention: ${summary(contention)}; spread: ${summary(spread)}):

${checkLines}

What each public page ships (scripts: \`<script src>\`, inline scripts, island modules and everything they import; styles: \`<link rel=stylesheet>\` and inline \`<style>\`):

${shippedTable(shipped)}

Portal peak memory (VmHWM over the whole run): ${fmt(hwm / 1024)} MiB.
`;
  console.log(`\n${report}`);
  await mkdir(new URL('results/', import.meta.url), { recursive: true });
  const mdFile = new URL(`results/${date}.md`, import.meta.url);
  await writeFile(mdFile, report);
  await writeFile(
    new URL(`results/${date}.json`, import.meta.url),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryBytes: os.totalmem(), node: process.version, postgres: postgresVersion },
        settings: { connections: CONNECTIONS, durationSeconds: DURATION, warmupSeconds: WARMUP },
        town: { sizes: TOWN_SIZE, counts: town.counts, loadSeconds },
        retention: { dryRunSeconds: retentionDrySeconds, runSeconds: retentionSeconds, due, done },
        rows,
        feeds,
        rsvp: { contention: { ...contention, successes: contention.successes.length }, spread: { ...spread, successes: spread.successes.length }, checks },
        shipped,
        portalPeakRssKiB: hwm,
        totalSeconds,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`[bench] wrote ${fileURLToPath(mdFile)} and the JSON beside it; ${fmt(totalSeconds, 0)} s in all`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
