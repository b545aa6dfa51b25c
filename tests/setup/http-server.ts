// Builds the portal if needed and starts it once for the HTTP tests, on a fresh database of
// the engine under test, with two known accounts (a site admin and a plain resident).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { hashPassword } from '../../src/features/accounts/password.ts';
import { ensureBuilt } from '../../src/server/build.ts';
import { createServerDatabase } from '../helpers/database.ts';
import { startPortal } from '../helpers/portal.ts';
import { TEST_ACCOUNTS, TEST_ACTIVITIES } from '../helpers/accounts.ts';

export default async function setup(project: TestProject) {
  await ensureBuilt({ quiet: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ankommen-http-'));
  const mailFile = path.join(dir, 'mails.jsonl');
  await writeFile(mailFile, '');

  const serverDb = process.env.TEST_DATABASE_URL ? await createServerDatabase(process.env.TEST_DATABASE_URL) : null;
  const env: Record<string, string> = serverDb
    ? { DATABASE_URL: serverDb.url, DEMO_TOWN: 'off', TRUST_PROXY: 'true' }
    : { DATA_DIR: path.join(dir, 'pglite'), DEMO_TOWN: 'off', TRUST_PROXY: 'true' };

  // Accounts are written before the portal starts: the embedded database serves one process.
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await migrateToLatest(handle.db);
  for (const account of Object.values(TEST_ACCOUNTS)) {
    await handle.db
      .insertInto('app_user')
      .values({
        email: account.email,
        password_hash: await hashPassword(account.password),
        display_name: account.displayName,
        locale: 'de',
        is_admin: account.isAdmin,
        email_verified_at: new Date(),
      })
      .execute();
  }
  const organisation = await handle.db
    .insertInto('organisation')
    .values({ slug: 'test-verein', name: 'Test-Verein' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const organiser = await handle.db.selectFrom('app_user').select('id').where('email', '=', TEST_ACCOUNTS.organiser.email).executeTakeFirstOrThrow();
  const coordinator = await handle.db.selectFrom('app_user').select('id').where('email', '=', TEST_ACCOUNTS.coordinator.email).executeTakeFirstOrThrow();
  await handle.db
    .insertInto('membership')
    .values([
      { organisation_id: organisation.id, user_id: organiser.id, role: 'organiser' },
      { organisation_id: organisation.id, user_id: coordinator.id, role: 'coordinator' },
    ])
    .execute();
  // Hours for "My hours" (tests/http/hours-mine.test.ts): nothing the HTTP tests can reach
  // makes hours yet, so they are written here, an hour or two ago (this year but on New Year's night).
  const hoursPeople = await handle.db.selectFrom('app_user').select(['id', 'email']).where('email', 'in', [TEST_ACCOUNTS.hoursVolunteer.email, TEST_ACCOUNTS.hoursOther.email]).execute();
  const hoursOf = (email: string) => hoursPeople.find((p) => p.email === email)!.id;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
  const byHand = { organisation_id: organisation.id, source: 'manual' as const, place: 'Stellwerk', created_by: organiser.id };
  await handle.db
    .insertInto('volunteer_hours')
    .values([
      { ...byHand, user_id: hoursOf(TEST_ACCOUNTS.hoursVolunteer.email), starts_at: hoursAgo(1), minutes: 90, description: 'Kleiderkammer sortieren' },
      { ...byHand, user_id: hoursOf(TEST_ACCOUNTS.hoursVolunteer.email), starts_at: hoursAgo(2), minutes: 120, description: 'Schulung Erste Hilfe', status: 'confirmed', confirmed_at: new Date(), confirmed_by: organiser.id },
      { ...byHand, user_id: hoursOf(TEST_ACCOUNTS.hoursOther.email), starts_at: hoursAgo(1), minutes: 60, description: 'Fremder Einsatz' },
    ])
    .execute();
  const activities: Record<string, number> = { organisation: organisation.id };
  for (const [key, spec] of Object.entries(TEST_ACTIVITIES)) {
    const startsAt = new Date('2030-06-01T16:00:00Z');
    const row = await handle.db
      .insertInto('activity')
      .values({
        organisation_id: organisation.id,
        status: spec.status,
        title: spec.title,
        description: 'Erster Absatz mit https://example.org/info.\n\nZweiter Absatz <b>ohne HTML</b>.',
        source_locale: 'de',
        category: 'language',
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 2 * 3600_000),
        place_name: 'Stellwerk',
        address: 'Lennestraße 12, 58762 Altena',
        capacity: spec.capacity,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    activities[key] = row.id;
  }
  await handle.close();

  const portal = await startPortal(env, { mailFile });
  project.provide('baseUrl', portal.url);
  project.provide('mailFile', mailFile);
  project.provide('activities', activities);

  return async () => {
    const code = await portal.stop('SIGTERM');
    if (code !== 0) console.error(`portal exited with ${code}:\n${portal.output().slice(-3000)}`);
    await serverDb?.drop();
    await rm(dir, { recursive: true, force: true });
  };
}
