// What counts as a change visitors could see, when it counts (after COMMIT, never for a
// rollback), and how other processes hear of it (NOTIFY at commit, on a server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { changesContent, createContentVersion, PRIVATE_TABLES } from '../../src/db/content-changes.ts';
import { listenForContentChanges } from '../../src/db/content-notify.ts';
import { NOTIFYING_TABLES as FIRST_NOTIFYING_TABLES } from '../../db/migrations/20261126_1700_content_notify.ts';
import { CONSULTATION_NOTIFYING_TABLES } from '../../db/migrations/20261208_1100_consultations.ts';
import { NOTIFYING_TABLES as HELP_REQUEST_TABLES } from '../../db/migrations/20261208_1200_help_requests.ts';

// Later migrations add the triggers of their own tables.
const NOTIFYING_TABLES = [...FIRST_NOTIFYING_TABLES, ...CONSULTATION_NOTIFYING_TABLES, ...HELP_REQUEST_TABLES];
import { createTestDatabase, serverUrl } from '../helpers/database.ts';
import { makeActivity, makeOrganisation } from '../helpers/fixtures.ts';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
});
afterAll(() => handle?.close());

const version = () => handle.contentVersion.current;

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition(), what).toBe(true);
}

describe('what counts as a change', () => {
  it('writes to tables visitors can see, not reads and not private bookkeeping', () => {
    expect(changesContent(db.selectFrom('activity').selectAll().compile())).toBe(false);
    expect(changesContent(db.updateTable('activity').set({ title: 'x' }).where('id', '=', 1).compile())).toBe(true);
    expect(changesContent(db.insertInto('rsvp').values({ activity_id: 1, user_id: 1, party_size: 1, status: 'going' }).compile())).toBe(true);
    expect(changesContent(db.deleteFrom('volunteer_signup').where('id', '=', 1).compile())).toBe(true);
    expect(changesContent(db.deleteFrom('session').where('id', '=', 'x').compile())).toBe(false);
    expect(changesContent(db.updateTable('rate_limit').set({ hits: 2 }).compile())).toBe(false);
    expect(changesContent(db.insertInto('outbox').values({ kind: 'confirm_email', recipient_email: 'a@b.c', recipient_user_id: null, locale: 'de', payload: '{}' }).compile())).toBe(false);
    // A write hidden in a WITH counts.
    const hidden = db
      .with('moved', (qb) => qb.updateTable('activity').set({ title: 'y' }).returning('id'))
      .selectFrom('moved')
      .selectAll()
      .compile();
    expect(changesContent(hidden)).toBe(true);
    expect(changesContent(CompiledQuery.raw('update activity set title = title'))).toBe(true);
    expect(changesContent(CompiledQuery.raw('select 1'))).toBe(false);
  });

  it('covers every table: each one either notifies other servers or is private', async () => {
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
    const unlisted = tables.rows.map((r) => r.table_name).filter((t) => !NOTIFYING_TABLES.includes(t) && !PRIVATE_TABLES.has(t));
    expect(unlisted).toEqual([]);
    const triggers = await sql<{ event_object_table: string }>`select distinct event_object_table from information_schema.triggers where trigger_name like '%_content_changed'`.execute(db);
    expect(triggers.rows.map((r) => r.event_object_table).sort()).toEqual([...NOTIFYING_TABLES].sort());
  });
});

describe('when it counts', () => {
  it('after a transaction commits, once; never for a rollback or a read; at once outside a transaction', async () => {
    const start = version();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('activity').values({ organisation_id: organisationId, status: 'draft', title: 'A', description: '', source_locale: 'de', category: 'culture', starts_at: new Date('2030-01-01T10:00:00Z'), ends_at: new Date('2030-01-01T11:00:00Z') }).execute();
      await trx.updateTable('activity').set({ title: 'B' }).where('title', '=', 'A').execute();
      // Not yet: a visitor could still see the old rows.
      expect(version()).toBe(start);
    });
    expect(version()).toBe(start + 1);

    await expect(
      db.transaction().execute(async (trx) => {
        await trx.updateTable('activity').set({ title: 'C' }).where('title', '=', 'B').execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(version()).toBe(start + 1);

    await db.selectFrom('activity').selectAll().execute();
    await db.insertInto('rate_limit').values({ key: 'content-test', hits: 1, window_ends_at: new Date() }).execute();
    expect(version()).toBe(start + 1);

    await makeActivity(db, organisationId);
    expect(version()).toBeGreaterThan(start + 1);
  });
});

describe.skipIf(!serverUrl)('other processes, on a PostgreSQL server', () => {
  it('hear of a change when it commits, not before, and not of a rollback', async () => {
    const heard = createContentVersion(false);
    const listener = await listenForContentChanges(handle.location, heard);
    try {
      expect(heard.reliable).toBe(true);
      const before = heard.current;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('activity').set({ title: 'D' }).where('organisation_id', '=', organisationId).execute();
        await new Promise((r) => setTimeout(r, 200));
        expect(heard.current).toBe(before);
      });
      await waitFor(() => heard.current > before, 'the commit is heard');
      const afterCommit = heard.current;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('activity').set({ title: 'E' }).where('organisation_id', '=', organisationId).execute();
        await trx.selectFrom('activity').selectAll().execute();
      }).catch(() => {});
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.updateTable('activity').set({ title: 'F' }).where('organisation_id', '=', organisationId).execute();
          throw new Error('rolled back');
        }),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 300));
      // One commit since, one notification; the rollback sent none.
      expect(heard.current).toBe(afterCommit + 1);
    } finally {
      await listener.stop();
    }
    expect(heard.reliable).toBe(false);
  });

  it('once confirm() returns, has counted every change committed before it was asked', async () => {
    const heard = createContentVersion(false);
    const listener = await listenForContentChanges(handle.location, heard);
    try {
      let missedWithoutConfirm = 0;
      for (let i = 0; i < 30; i++) {
        const before = heard.current;
        await db.updateTable('activity').set({ title: `G${i}` }).where('organisation_id', '=', organisationId).execute();
        // The writer has its answer; the notification may still be on its way.
        if (heard.current === before) missedWithoutConfirm++;
        expect(await heard.confirm()).toBe(true);
        expect(heard.current, `change ${i}`).toBeGreaterThan(before);
      }
      // Many at once share the round trips and are all answered.
      expect(await Promise.all(Array.from({ length: 50 }, () => heard.confirm()))).toEqual(Array.from({ length: 50 }, () => true));
      console.log(`[content-notify] right after COMMIT the notification had not yet arrived ${missedWithoutConfirm} of 30 times`);
    } finally {
      await listener.stop();
    }
    expect(await heard.confirm()).toBe(false);
  });

  it('when its connection is cut, stops vouching for kept pages, comes back by itself, and counts what it may have missed', async () => {
    const heard = createContentVersion(false);
    const listener = await listenForContentChanges(handle.location, heard);
    try {
      await waitFor(() => heard.reliable, 'listening');
      const before = heard.current;
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`.execute(db);
      await waitFor(() => !heard.reliable, 'the cut is noticed');
      await waitFor(() => heard.reliable, 'listening again');
      expect(heard.current).toBeGreaterThan(before);
      const back = heard.current;
      await makeActivity(db, organisationId);
      await waitFor(() => heard.current > back, 'a change after the cut is heard');
    } finally {
      await listener.stop();
    }
  });
});
