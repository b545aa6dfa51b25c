// SIGTERM with RSVPs in flight: the portal stops accepting connections, finishes every request
// it has (each gets its complete answer), lets the outbox worker finish its batch, closes the
// pool and exits 0 — before SHUTDOWN_TIMEOUT_MS forces anything. The requests are held in
// flight for certain, not by timing: the test itself holds the activity's row lock, so their
// transactions wait in PostgreSQL until it lets go.
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOwnPostgres, type OwnPostgres } from '../../scripts/own-postgres.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { startPortal, type Portal } from '../helpers/portal.ts';
import {
  expectOneConfirmationEach,
  expectSeatsConsistent,
  loggedMailCounts,
  makeTown,
  openMigrated,
  outboxRows,
  postRsvp,
  request,
  rsvpRows,
  tail,
  waitFor,
  waitForSentMailsLogged,
  type Answer,
  type Town,
} from './harness.ts';

let postgres: OwnPostgres | undefined;
let database: DatabaseHandle | undefined;
let portal: Portal | undefined;
let locker: pg.Client | undefined;
let town: Town;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  database = await openMigrated({ url: postgres.url });
  town = await makeTown(database.db, { activities: 2, people: 20 });
  // Far more than the requests need once let go, and less than the 65 s keep-alive timeout: a
  // keep-alive connection the portal left open after its answer would show as a forced stop.
  portal = await startPortal({ DATABASE_URL: postgres.url, DEMO_TOWN: 'off', DATABASE_POOL_SIZE: '10', SHUTDOWN_TIMEOUT_MS: '50000' });
});

afterAll(async () => {
  await locker?.end().catch(() => undefined);
  await portal?.stop('SIGKILL');
  await database?.close();
  await postgres?.remove();
});

async function waitingOnLocks(): Promise<number> {
  const result = await database!.db
    .selectFrom(['pg_stat_activity' as never])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('wait_event_type' as never, '=', 'Lock' as never)
    .executeTakeFirstOrThrow();
  return Number(result.n);
}

it('finishes the requests in flight, drains the outbox and exits 0 on SIGTERM', async () => {
  const running = portal!;
  const [held, other] = town.activityIds as [number, number];

  // Some RSVPs before: their mails are what the worker may be delivering at the signal.
  const before: Answer[] = [];
  for (const person of town.people.slice(0, 5)) before.push(await postRsvp(running.url, { person, activityId: other, partySize: 1 }));
  expect(before.map((a) => a.kind)).toEqual(['going', 'going', 'going', 'going', 'going']);

  locker = new pg.Client({ connectionString: postgres!.url });
  await locker.connect();
  await locker.query('begin');
  await locker.query('select id from activity where id = $1 for update', [held]);

  // Seven RSVPs that will wait for the lock; one of them on a keep-alive connection, as a
  // browser would hold it.
  const keepAlive = new http.Agent({ keepAlive: true });
  const inFlight = town.people.slice(5, 12).map((person, i) =>
    postRsvp(running.url, { person, activityId: held, partySize: 1 }, i === 0 ? { agent: keepAlive } : {}),
  );
  await waitFor('the 7 RSVPs to wait for the row lock', async () => (await waitingOnLocks()) >= 7);

  const exited = running.stop('SIGTERM');
  await waitFor('the portal to take the signal', () => running.output().includes('[server] SIGTERM'));
  // It no longer accepts connections…
  await waitFor('new connections to be refused', async () => {
    try {
      await request(new URL('/healthz', running.url).toString());
      return false;
    } catch (error) {
      return (error as { code?: string }).code === 'ECONNREFUSED';
    }
  });
  // …but waits for those it has.
  expect(running.child.exitCode).toBeNull();
  expect(running.child.signalCode).toBeNull();

  await locker.query('commit');
  const answers = await Promise.all(inFlight);
  expect(answers.map((a) => a.kind), tail(running)).toEqual(['going', 'going', 'going', 'going', 'going', 'going', 'going']);
  expect(await exited, tail(running)).toBe(0);
  keepAlive.destroy();
  // The deadline never had to cut anything off.
  expect(running.output()).not.toContain('shutdown timeout');

  const db = database!.db;
  const rows = (await rsvpRows(db)).filter((r) => r.status === 'going');
  expect(rows).toHaveLength(12);
  await expectSeatsConsistent(db, town);
  await expectOneConfirmationEach(db);
  // The worker finished the batch in its hands: nothing is left claimed, and every row marked
  // sent was sent exactly once. (Rows still pending are the next process's to send.)
  const outbox = await outboxRows(db);
  expect(outbox.filter((r) => r.status === 'sending')).toEqual([]);
  await waitForSentMailsLogged(db, [running]);
  const logged = loggedMailCounts([running]);
  for (const row of outbox) expect(logged.get(row.id) ?? [0], `times outbox row ${row.id} was sent`).toEqual([row.status === 'sent' ? 1 : 0]);
});
