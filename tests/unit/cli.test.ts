// The command-line tools a town's admin runs: admin:create, db:seed, privacy:records and privacy:purge, on the engine under test.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { createServerDatabase, serverUrl } from '../helpers/database.ts';
import { ROOT } from '../helpers/portal.ts';
import { personalTables } from '../../src/features/privacy/declaration.ts';
import type { ProcessingRecords } from '../../src/features/privacy/records.ts';

let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (serverUrl) {
    const created = await createServerDatabase(serverUrl);
    env = { DATABASE_URL: created.url };
    cleanup = created.drop;
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ankommen-cli-'));
    env = { DATA_DIR: path.join(dir, 'pglite') };
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup?.());

function run(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [`src/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? '' }, encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

async function query<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

describe('npm run admin:create', () => {
  it('creates a confirmed admin with a one-time password, or promotes an existing account', async () => {
    const created = run('admin-create', 'Chefin@Rathaus.example');
    expect(created.code).toBe(0);
    expect(created.out).toContain('chefin@rathaus.example is now a site admin.');
    const password = /change it at once:\s+(\S+)/.exec(created.out)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(20);
    const user = await query((db) => db.selectFrom('app_user').select(['is_admin', 'email_verified_at', 'password_hash']).where('email', '=', 'chefin@rathaus.example').executeTakeFirstOrThrow());
    expect(user.is_admin).toBe(true);
    expect(user.email_verified_at).not.toBeNull();
    expect(user.password_hash).not.toContain(password!);

    const again = run('admin-create', 'chefin@rathaus.example');
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('change it at once');
  }, 60_000);

  it('refuses something that is not an address', () => {
    const bad = run('admin-create', 'not-an-address');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('Usage: npm run admin:create -- <email>');
  });
});

describe('npm run db:seed', () => {
  it('loads the demo town once and refuses a second time', async () => {
    const first = run('seed');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/Loaded the demo town: 4 organisations, \d+ activities/);
    const second = run('seed');
    expect(second.code).toBe(1);
    expect(second.out).toContain('already loaded');
    const organisations = await query((db) => db.selectFrom('organisation').select('slug').orderBy('slug').execute());
    expect(organisations.map((o) => o.slug)).toEqual(['integrationsbuero', 'stadtbibliothek', 'stellwerk', 'tus-sport']);
  }, 60_000);
});

describe('npm run privacy:records', () => {
  // After db:seed above: the demo town has filled in (invented) town details.
  it('prints the records of processing as Markdown, with every declared table and category and the controller', () => {
    const printed = run('privacy-records');
    expect(printed.code, printed.out).toBe(0);
    expect(printed.out).toMatch(/^# Records of processing activities \(Art\. 30\(1\) GDPR\)/);
    expect(printed.out).toContain('- Name: Stadt Altena (Demo – erfundene Angaben), Der Bürgermeister');
    for (const [table] of personalTables()) expect(printed.out, table).toContain(`\`${table}\``);
    expect(printed.out).toContain('Sign-ups never confirmed: deleted after 7 days');
    expect(printed.out).toContain('## Technical and organisational measures (Art. 32 GDPR)');
  }, 60_000);

  it('prints the same as JSON with --json, nothing else on standard output', () => {
    const result = spawnSync(process.execPath, ['src/cli/privacy-records.ts', '--json'], { cwd: ROOT, env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? '' }, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const records = JSON.parse(result.stdout) as ProcessingRecords;
    const declared = personalTables();
    expect(records.activities.map((a) => a.category).sort()).toEqual([...new Set(declared.map(([, d]) => d.category))].sort());
    expect(records.activities.flatMap((a) => a.tables).sort()).toEqual(declared.map(([table]) => table).sort());
    expect(records.dataProtectionOfficer?.email).toBe('datenschutz@altena.example.org');
    const bad = run('privacy-records', '--yaml');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('Usage: npm run privacy:records [-- --json]');
  }, 60_000);
});

describe('npm run privacy:purge', () => {
  it('shows with --dry-run what would go, per kind, changing nothing; without, removes it and records the run', async () => {
    const day = 86_400_000;
    await query(async (db) => {
      const user = await db
        .insertInto('app_user')
        .values({ email: 'purge@rathaus.example', password_hash: 'not-a-real-hash', display_name: 'Purge', locale: 'de', email_verified_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('session').values({ id: 'purge-expired', user_id: user.id, secret_hash: Buffer.from('x'), created_at: new Date(Date.now() - 40 * day), last_verified_at: new Date(Date.now() - 40 * day) }).execute();
      await db.insertInto('rate_limit').values({ key: 'purge:ended', hits: 1, window_ends_at: new Date(Date.now() - 60_000) }).execute();
    });
    const left = () => query(async (db) => ({
      sessions: (await db.selectFrom('session').select('id').where('id', '=', 'purge-expired').execute()).length,
      windows: (await db.selectFrom('rate_limit').select('key').where('key', '=', 'purge:ended').execute()).length,
      runs: await db.selectFrom('privacy_run').select(['started_by', 'finished_at']).execute(),
    }));

    const dry = run('privacy-purge', '--dry-run');
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('Dry run: nothing was changed.');
    expect(dry.out).toMatch(/expired_sessions\s+1\n/);
    expect(dry.out).toMatch(/rate_limits\s+1\n/);
    expect(await left()).toEqual({ sessions: 1, windows: 1, runs: [] });

    const real = run('privacy-purge');
    expect(real.code, real.out).toBe(0);
    expect(real.out).toMatch(/expired_sessions\s+1\n/);
    const after = await left();
    expect(after).toMatchObject({ sessions: 0, windows: 0 });
    expect(after.runs).toEqual([{ started_by: 'command', finished_at: expect.any(Date) }]);
    const audit = await query((db) => db.selectFrom('audit_event').select('details').where('action', '=', 'privacy.retention_run').executeTakeFirstOrThrow());
    expect(audit.details).toMatchObject({ expired_sessions: 1, rate_limits: 1 });
  }, 60_000);

  it('refuses an option it does not know', () => {
    const bad = run('privacy-purge', '--everything');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('Usage: npm run privacy:purge [-- --dry-run]');
  });
});
