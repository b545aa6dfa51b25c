// The portal's HTTP server: opens the database, migrates it, loads the demo town into an
// empty embedded database, then serves static files and the Astro app (middleware mode).
// It owns what Astro's standalone server cannot do: keep-alive above a load balancer's idle
// timeout, draining requests and the outbox on SIGTERM, and the outbox worker itself.
import http from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { listenForContentChanges } from '../db/content-notify.ts';
import { hasDemoTown, loadDemoTown } from '../features/demo/demo-town.ts';
import { readDemoSignIns } from '../features/demo/demo-sign-ins.ts';
import { createMailTransport, startOutboxWorker, type MailTransport } from '../features/outbox/worker.ts';
import { startRetentionSchedule } from '../features/privacy/retention.ts';
import { createTelegramRuntime } from '../features/telegram/telegram-runtime.ts';
import { answerBookingAsPerson, answerRsvpAsPerson, answerShiftAsPerson } from '../features/answers/answers.service.ts';
import { startWeeklyProgrammeSchedule } from '../features/notifications/weekly-programme.ts';
import { writeDueReminders } from '../features/rsvps/reminders.ts';
import { writeDueShiftReminders } from '../features/volunteering/reminders.ts';
import { writeDueConsultationReminders } from '../features/consultations/reminders.ts';
import { runHelpRequestJobs } from '../features/help-requests/help-requests.jobs.ts';
import { recordEndedMeetings } from '../features/hours/sources.ts';
import { readConfig, type ServerConfig } from './config.ts';
import { SERVICE_WORKER_PATH, setServiceWorkerHeaders } from './service-worker-headers.ts';
import { believeForwardedHeaders } from './forwarded.ts';
import { answerClientError, answerWithErrorPage, hasUncountedBody, HonestStatusResponse, isSecureRequest, readCountedBody, refuseUnanswerable, setSecurityHeaders } from './request-guards.ts';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

type AppHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void, locals: object) => Promise<void>;
const REMINDERS_MS = 60_000;

export interface RunningServer {
  server: http.Server;
  url: string;
  database: DatabaseHandle;
  stop(): Promise<void>;
}

async function prepareDatabase(config: ServerConfig): Promise<DatabaseHandle> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  const applied = await migrateToLatest(database.db);
  if (applied.length) console.log(`[db] applied migrations: ${applied.join(', ')}`);
  // Demo data only ever goes into a fresh embedded database on its own; a PostgreSQL server
  // gets it only when someone runs `npm run db:seed`.
  if (database.kind === 'embedded' && config.demoTown === 'auto' && !(await hasDemoTown(database.db))) {
    const users = await database.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(users.n) === 0) {
      const summary = await loadDemoTown(database.db, { now: new Date(), timeZone: config.timeZone });
      console.log(`[demo] loaded the demo town: ${summary.organisations} organisations, ${summary.activities} activities`);
    }
  }
  return database;
}

function printDemoSignIns(signIns: Awaited<ReturnType<typeof readDemoSignIns>>): void {
  if (!signIns) return;
  console.log('\n  Demo town — sign in as any of these (invented people, password for all below):');
  for (const s of signIns) console.log(`    ${s.role.padEnd(44)} ${s.email}`);
  console.log(`    password: ${signIns[0]?.password}\n`);
}

export async function startServer(config: ServerConfig = readConfig(), overrides: { transport?: MailTransport } = {}): Promise<RunningServer> {
  const entry = `${DIST}server/entry.mjs`;
  if (!existsSync(entry)) throw new Error('The portal is not built yet: run `npm run build` (npm start does it for you).');
  const database = await prepareDatabase(config);
  const demo = await readDemoSignIns(database.db);
  // Other app servers (and tools) write to the same server: hear of their changes, so that
  // kept pages never outlive them.
  const contentListener = database.kind === 'server' && config.databaseUrl ? await listenForContentChanges(config.databaseUrl, database.contentVersion) : null;
  // The app is loaded once we listen and know our own address (PUBLIC_URL defaults to it).
  let handler: AppHandler | null = null;

  const assets = sirv(`${DIST}client`, {
    etag: true,
    // The build writes .br and .gz beside each text asset (astro.config.mjs).
    gzip: true,
    brotli: true,
    // Files under /_astro/ carry a content hash in their name and never change.
    // (The security headers are already on every answer: see setSecurityHeaders below.)
    setHeaders(res, pathname) {
      if (pathname.startsWith('/_astro/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      else if (pathname === SERVICE_WORKER_PATH) setServiceWorkerHeaders(res);
      else res.setHeader('Cache-Control', 'public, max-age=3600');
    },
  });

  // Responses in progress, so that a shutdown can close their keep-alive connections right
  // after them: otherwise a browser's idle connection keeps server.close() waiting for the
  // keep-alive timeout (65 s), past SHUTDOWN_TIMEOUT_MS.
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  // The Telegram bot, when TELEGRAM_BOT_TOKEN is set (src/features/telegram/telegram-runtime.ts):
  // its transport delivers the outbox's Telegram rows; it starts taking updates once we listen.
  const telegram = config.telegram ? createTelegramRuntime(config.telegram, { db: database.db, answers: { answerRsvpAsPerson, answerShiftAsPerson, answerBookingAsPerson }, townName: config.townName }) : null;
  const telegramBot = () => {
    const username = telegram?.username();
    return username ? { username } : null;
  };

  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Telegram's posts carry their secret instead of a session or an Origin: answered here,
    // before Astro's form origin check, which is for browsers.
    if (telegram?.isWebhookRequest(req)) {
      telegram.handleWebhook(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) answerWithErrorPage(req, res, 500);
      });
      return;
    }
    assets(req, res, () => {
      if (!handler) {
        answerWithErrorPage(req, res, 503, { 'Retry-After': '1' });
        return;
      }
      const fail = (err: unknown) => {
        console.error(err);
        if (!res.headersSent) answerWithErrorPage(req, res, 500);
        else res.destroy();
      };
      // Locals are a fresh object per request: the middleware fills in the person and language.
      handler(req, res, (err) => {
        if (err) fail(err);
        else if (!res.headersSent) answerWithErrorPage(req, res, 404);
      }, { db: database.db, databaseKind: database.kind, contentVersion: database.contentVersion, demo, telegramBot: telegramBot() }).catch(fail);
    });
  };
  const server = http.createServer({ ServerResponse: HonestStatusResponse }, (req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    if (draining) res.setHeader('Connection', 'close');
    // Anyone can send these; only a proxy of ours may tell us the client and the scheme.
    believeForwardedHeaders(req, { trustProxy: config.trustProxy, hops: config.trustedProxyHops });
    setSecurityHeaders(res, isSecureRequest(req, config.trustProxy));
    if (refuseUnanswerable(req, res)) return;
    if (!hasUncountedBody(req)) {
      serve(req, res);
      return;
    }
    readCountedBody(req, res).then(
      (goOn) => goOn && serve(req, res),
      () => res.destroy(),
    );
  });
  server.on('clientError', answerClientError);
  // Longer than the 60 s idle timeout of common load balancers, so that they, not we, close
  // idle connections (otherwise a request can meet a connection we just closed).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  const transport = overrides.transport ?? (await createMailTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom }));
  const host = config.publicUrl ? new URL(config.publicUrl).host : 'localhost';
  const worker = startOutboxWorker(database.db, { transport, telegram: telegram?.transport, townName: config.townName, timeZone: config.timeZone, host, intervalMs: config.outboxIntervalMs });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Links in mails must never take their host from a request (anyone can send any Host):
  // without a configured PUBLIC_URL they point at the address we listen on.
  if (!config.publicUrl) {
    const wildcard = config.host === '0.0.0.0' || config.host === '::';
    process.env.PUBLIC_URL = wildcard ? `http://localhost:${port}` : url;
  }
  ({ handler } = (await import(entry)) as { handler: AppHandler });
  const reminderContext = { baseUrl: (process.env.PUBLIC_URL ?? url).replace(/\/+$/, '') };
  const reminders = setInterval(() => {
    writeDueReminders(database.db, reminderContext).catch((e: unknown) => console.warn(`[reminders] ${e instanceof Error ? e.message : e}`));
    writeDueShiftReminders(database.db, reminderContext).catch((e: unknown) => console.warn(`[shift reminders] ${e instanceof Error ? e.message : e}`));
    writeDueConsultationReminders(database.db, reminderContext).catch((e: unknown) => console.warn(`[consultation reminders] ${e instanceof Error ? e.message : e}`));
    runHelpRequestJobs(database.db, { ...reminderContext, timeZone: config.timeZone }).catch((e: unknown) => console.warn(`[help requests] ${e instanceof Error ? e.message : e}`));
    // Kümmerer meetings logged ahead of time count for their hours once they have ended.
    recordEndedMeetings(database.db, new Date()).catch((e: unknown) => console.warn(`[hours] ${e instanceof Error ? e.message : e}`));
  }, REMINDERS_MS);
  reminders.unref();
  // Expired sessions, links and counters, and the personal data past its period: once a day
  // across all servers (src/features/privacy/retention.ts).
  const retention = startRetentionSchedule(database.db, { baseUrl: reminderContext.baseUrl, timeZone: config.timeZone });
  // The weekly programme, Sundays 17:00 in the town's zone, each week once across all servers
  // (src/features/notifications/weekly-programme.ts). Telegram is among its channels once the
  // bot's start calls setTelegramAvailable(true) (src/features/notifications/channels-available.ts).
  const programme = startWeeklyProgrammeSchedule(database.db, { baseUrl: reminderContext.baseUrl, townName: config.townName, timeZone: config.timeZone });
  await telegram?.start(reminderContext.baseUrl);
  console.log(`[server] Ankommen on ${url} (database: ${database.kind}, ${database.location})`);
  printDemoSignIns(demo);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(reminders);
      // Stop accepting; idle keep-alive connections close now, busy ones after their response.
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      const forced = await Promise.race([closed.then(() => false), deadline.then(() => true)]);
      if (forced) console.warn(`[server] shutdown timeout (${config.shutdownTimeoutMs} ms): closing the connections still open`);
      server.closeAllConnections();
      await Promise.all([worker.stop(), retention.stop(), programme.stop(), telegram?.stop()]);
      transport.close?.();
      await contentListener?.stop();
      await database.close();
    })());
  return { server, url, database, stop };
}

/** Starts the server and stops it cleanly on SIGTERM or Ctrl-C (exit code 0). */
export async function runFromCommandLine(): Promise<void> {
  const running = await startServer().catch((error: unknown) => {
    console.error(`[server] could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      console.log(`[server] ${signal}: finishing requests in flight, then stopping`);
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runFromCommandLine();
