// PostgreSQL restarts (fast shutdown) while people RSVP: meanwhile every request gets a clean
// 503 with Retry-After or a real answer — never a 500, never a hang, never a crash — the
// portal comes back by itself, and afterwards every acknowledged RSVP is there exactly once,
// no activity is over capacity, and every confirmation mail is sent exactly once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOwnPostgres, type OwnPostgres } from '../../scripts/own-postgres.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { startPortal, type Portal } from '../helpers/portal.ts';
import {
  allAttempts,
  expectNothingLost,
  expectOneConfirmationEach,
  expectSeatsConsistent,
  healthStatus,
  loggedMailCounts,
  makeTown,
  openMigrated,
  outboxRows,
  postRsvp,
  request,
  RsvpStream,
  sleep,
  tail,
  tally,
  waitFor,
  waitForSentMailsLogged,
  waitForOutboxDrained,
  type Town,
} from './harness.ts';

let postgres: OwnPostgres | undefined;
let database: DatabaseHandle | undefined;
let portal: Portal | undefined;
let town: Town;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  database = await openMigrated({ url: postgres.url });
  town = await makeTown(database.db, { activities: 4, people: 200 });
  portal = await startPortal({ DATABASE_URL: postgres.url, DEMO_TOWN: 'off', DATABASE_POOL_SIZE: '5' });
});

afterAll(async () => {
  await portal?.stop('SIGKILL');
  await database?.close();
  await postgres?.remove();
});

it('answers 503 with Retry-After while PostgreSQL restarts, recovers by itself and loses no acknowledged RSVP', async () => {
  const running = portal!;
  const stream = new RsvpStream(() => running.url, allAttempts(town).slice(0, 600), 4).start();
  const failure = () => `answers: ${JSON.stringify(tally(stream.log))}\nportal log:\n${tail(running)}`;

  stream.phase = 'before';
  await waitFor('40 RSVPs acknowledged before the restart', () => stream.count(['going', 'waitlisted'], 'before') >= 40);

  stream.phase = 'database down';
  await postgres!.stop('fast');
  // Keep sending while it is away: at least a few seconds and a good number of answers.
  await sleep(3_000);
  await waitFor('20 answers while the database is down', () => stream.log.filter((l) => l.phase === 'database down').length >= 20);
  expect(stream.count(['unavailable'], 'database down'), failure()).toBeGreaterThan(0);
  // An action called from JavaScript (as the door's check-in list does) gets the same 503, as the
  // JSON error Astro's client reads.
  const caller = town.people[0]!;
  const rpcBody = new URLSearchParams({ activityId: String(town.activityIds[1]), partySize: '1', note: '' }).toString();
  const rpc = await request(new URL('/_actions/rsvps.create', running.url).toString(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(rpcBody)), Origin: running.url, Cookie: `session=${caller.token}` },
    body: rpcBody,
  });
  expect(rpc.status, rpc.body).toBe(503);
  expect(rpc.headers['retry-after']).toBe('5');
  expect((JSON.parse(rpc.body) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');

  await postgres!.start();
  stream.phase = 'after';
  await waitFor('/healthz to answer 200 again', async () => (await healthStatus(running.url)) === 200, 30_000, 200);
  await waitFor('40 RSVPs acknowledged after the restart', () => stream.count(['going', 'waitlisted'], 'after') >= 40);
  await stream.finish();

  // A fresh RSVP from someone who has not tried yet goes through at once.
  const newcomer = town.people.at(-1)!;
  const fresh = await postRsvp(running.url, { person: newcomer, activityId: town.activityIds[0]!, partySize: 1 });
  expect(['going', 'waitlisted'], JSON.stringify(fresh)).toContain(fresh.kind);
  stream.log.push({ attempt: { person: newcomer, activityId: town.activityIds[0]!, partySize: 1 }, answer: fresh, phase: 'after' });

  // Every answer was a success, a clean 503 or (after a lost answer) "already signed up".
  const bad = stream.log.filter((l) => !['going', 'waitlisted', 'unavailable'].includes(l.answer.kind) && !(l.answer.kind === 'refused' && l.answer.key === 'rsvp.error.already'));
  expect(bad.map((l) => l.answer), failure()).toEqual([]);
  expect(running.child.exitCode, failure()).toBeNull();
  expect(running.output()).not.toMatch(/uncaught|unhandled/i);

  const db = database!.db;
  const { acknowledged } = await expectNothingLost(db, stream);
  expect(acknowledged).toBeGreaterThanOrEqual(80);
  await expectSeatsConsistent(db, town);
  await expectOneConfirmationEach(db);

  // Every mail goes out exactly once: the worker may have been mid-batch at the restart.
  await waitForOutboxDrained(db);
  await waitForSentMailsLogged(db, [running]);
  const logged = loggedMailCounts([running]);
  for (const row of await outboxRows(db)) {
    expect(row.status, `outbox row ${row.id}`).toBe('sent');
    expect(logged.get(row.id), `times outbox row ${row.id} was sent`).toEqual([1]);
  }
  console.log(`[faults] database restart: ${JSON.stringify(tally(stream.log))}`);
});
