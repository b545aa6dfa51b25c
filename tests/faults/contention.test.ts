// 500 people press "RSVP" for the same 20-seat activity at the same moment: exactly 20 go,
// 480 wait in the order their transactions won the activity's lock, each told the place that
// is really theirs, and every single request gets an answer. On the PostgreSQL server (through
// the pg pool) and on the embedded PGlite (one connection, every query in turn).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOwnPostgres, type OwnPostgres } from '../../scripts/own-postgres.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { startPortal, type Portal } from '../helpers/portal.ts';
import {
  CAPACITY,
  expectOneConfirmationEach,
  makeTown,
  openMigrated,
  postRsvp,
  rsvpRows,
  tail,
  type Answer,
  type Town,
} from './harness.ts';

const PEOPLE = 500;

let cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => console.warn(e));
  cleanups = [];
});

/** All 500 at once; someone told "try again" (503) does so, as a person would. */
async function everyoneAtOnce(portal: Portal, town: Town): Promise<{ answers: Map<number, Answer>; unavailable: number }> {
  const activityId = town.activityIds[0]!;
  const answers = new Map<number, Answer>();
  let unavailable = 0;
  await Promise.all(
    town.people.map(async (person) => {
      for (;;) {
        const answer = await postRsvp(portal.url, { person, activityId, partySize: 1 });
        if (answer.kind !== 'unavailable') {
          answers.set(person.id, answer);
          return;
        }
        unavailable++;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }),
  );
  return { answers, unavailable };
}

async function expectExactSeatsAndOrder(handle: DatabaseHandle, town: Town, answers: Map<number, Answer>, portal: Portal): Promise<void> {
  const bad = [...answers.values()].filter((a) => a.kind !== 'going' && a.kind !== 'waitlisted');
  expect(bad, tail(portal)).toEqual([]);
  expect(answers.size).toBe(PEOPLE);

  const rows = (await rsvpRows(handle.db)).filter((r) => r.activity_id === town.activityIds[0]);
  expect(rows).toHaveLength(PEOPLE);
  const going = rows.filter((r) => r.status === 'going');
  const waiting = rows.filter((r) => r.status === 'waitlisted');
  expect(going).toHaveLength(CAPACITY);
  expect(waiting).toHaveLength(PEOPLE - CAPACITY);
  // Parties of one: the first 20 to win the lock go, everyone after them waits.
  expect(Math.max(...going.map((r) => r.id))).toBeLessThan(Math.min(...waiting.map((r) => r.id)));
  // Each was told the truth: going, or the place that is theirs in id order, 1..480 once each.
  for (const row of going) expect(answers.get(row.user_id), `answer to person ${row.user_id}`).toEqual({ kind: 'going', position: null });
  for (const [index, row] of waiting.entries()) {
    expect(answers.get(row.user_id), `answer to person ${row.user_id}`).toEqual({ kind: 'waitlisted', position: index + 1 });
  }
  await expectOneConfirmationEach(handle.db);
}

describe('500 concurrent RSVPs for one 20-seat activity', () => {
  it('on the PostgreSQL server', async () => {
    const postgres: OwnPostgres = await startOwnPostgres();
    cleanups.push(() => postgres.remove());
    const handle = await openMigrated({ url: postgres.url });
    cleanups.push(() => handle.close());
    const town = await makeTown(handle.db, { activities: 1, people: PEOPLE });
    const portal = await startPortal({ DATABASE_URL: postgres.url, DEMO_TOWN: 'off' });
    cleanups.push(() => portal.stop('SIGKILL'));

    const { answers, unavailable } = await everyoneAtOnce(portal, town);
    expect(portal.child.exitCode).toBeNull();
    await expectExactSeatsAndOrder(handle, town, answers, portal);
    console.log(`[faults] 500 at once on PostgreSQL: ${unavailable} answers "try again" (503) on the way`);
  });

  it('on the embedded PGlite', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ankommen-faults-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const dataDir = path.join(dir, 'pglite');
    // The embedded database serves one process: write the town, close, then start the portal.
    const seeding = await openMigrated({ dataDir });
    const town = await makeTown(seeding.db, { activities: 1, people: PEOPLE });
    await seeding.close();
    const portal = await startPortal({ DATA_DIR: dataDir, DEMO_TOWN: 'off' });
    cleanups.push(() => portal.stop('SIGKILL'));

    const { answers, unavailable } = await everyoneAtOnce(portal, town);
    expect(portal.child.exitCode).toBeNull();
    expect(await portal.stop('SIGTERM'), tail(portal)).toBe(0);
    const handle = await openMigrated({ dataDir });
    cleanups.push(() => handle.close());
    await expectExactSeatsAndOrder(handle, town, answers, portal);
    console.log(`[faults] 500 at once on PGlite: ${unavailable} answers "try again" (503) on the way`);
  });
});
