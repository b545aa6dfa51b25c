// Two app servers on one PostgreSQL: a change acknowledged by the first is never missing from a
// kept page the second serves right after — the README's promise that each server hears of
// every change before it serves a kept page. 240 times: a visitor's page is kept on the second
// server, someone takes a seat through the first, and the moment the first has answered, the
// visitor asks the second again.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOwnPostgres, type OwnPostgres } from '../../scripts/own-postgres.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { makeActivity } from '../helpers/fixtures.ts';
import { startPortal, type Portal } from '../helpers/portal.ts';
import { makeTown, openMigrated, postRsvp, request, type Town } from './harness.ts';

const TRIES = 240;
const CAPACITY = 1000;

let postgres: OwnPostgres | undefined;
let database: DatabaseHandle | undefined;
let first: Portal | undefined;
let second: Portal | undefined;
let town: Town;
let activityId: number;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  database = await openMigrated({ url: postgres.url });
  town = await makeTown(database.db, { activities: 0, people: TRIES });
  activityId = await makeActivity(database.db, town.organisationId, { capacity: CAPACITY, startsAt: new Date(Date.UTC(2030, 5, 1, 16)), title: 'Großes Sommerfest' });
  const env = { DATABASE_URL: postgres.url, DEMO_TOWN: 'off', DATABASE_POOL_SIZE: '5' };
  [first, second] = await Promise.all([startPortal(env), startPortal(env)]);
});

afterAll(async () => {
  for (const portal of [first, second]) await portal?.stop('SIGKILL');
  await database?.close();
  await postgres?.remove();
});

const visitor = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** The free seats a visitor of the second server reads, and whether the page was a kept one. */
async function seatsOnSecond(): Promise<{ seats: number; kept: string | undefined }> {
  const response = await request(new URL(`/activities/${activityId}`, second!.url).toString(), { agent: visitor, headers: { 'Accept-Language': 'de' } });
  const text = /<p class="rsvp__seats">([\s\S]*?)<\/p>/.exec(response.body)?.[1]?.replace(/<[^>]+>/g, '') ?? '';
  const seats = Number(/([\d.]+)/.exec(text)?.[1]?.replace(/\./g, '') ?? Number.NaN);
  return { seats, kept: response.headers['x-page-cache'] as string | undefined };
}

it(`never serves a kept page that misses a change the other server acknowledged (${TRIES} tries)`, async () => {
  const stale: Array<{ attempt: number; expected: number; got: number; msAfter: number }> = [];
  let kept = 0;
  for (const [i, person] of town.people.entries()) {
    // The visitor's page is kept on the second server.
    for (let tries = 0; (await seatsOnSecond()).kept !== 'hit'; tries++) expect(tries, 'the second server keeps the page').toBeLessThan(20);
    const answer = await postRsvp(first!.url, { person, activityId, partySize: 1 });
    expect(answer.kind, JSON.stringify(answer)).toBe('going');
    const acknowledged = performance.now();
    const after = await seatsOnSecond();
    if (after.kept === 'hit') kept++;
    const expected = CAPACITY - (i + 1);
    if (after.seats !== expected) {
      // How long the second server went on serving the old page.
      let fresh = after;
      while (fresh.seats !== expected && performance.now() - acknowledged < 5_000) fresh = await seatsOnSecond();
      stale.push({ attempt: i + 1, expected, got: after.seats, msAfter: Math.round(performance.now() - acknowledged) });
    }
  }
  console.log(`[two servers] ${TRIES} changes; answered from a kept page right after a change: ${kept}; stale: ${stale.length}${stale.length ? ` (up to ${Math.max(...stale.map((s) => s.msAfter))} ms)` : ''}`);
  expect(stale).toEqual([]);
});
