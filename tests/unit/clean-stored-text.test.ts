// Text stored before the forms dropped control characters and bidi overrides loses them once,
// by migration, so that no page, mail, feed or CSV file carries one — and keeps everything a
// person meant: any script, the marks of direction phones insert, tabs and line breaks.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { createServerDatabase, serverUrl } from '../helpers/database.ts';

let handle: DatabaseHandle;
let server: Awaited<ReturnType<typeof createServerDatabase>> | null = null;

beforeAll(async () => {
  server = serverUrl ? await createServerDatabase(serverUrl) : null;
  handle = await openDatabase(server ? { url: server.url } : { dataDir: 'memory://' });
});
afterAll(async () => {
  await handle?.close();
  await server?.drop();
});

it('removes control characters and bidi embeddings from what people wrote, and nothing else', async () => {
  const migrator = new Migrator({ db: handle.db, provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }) });
  expect((await migrator.migrateTo('20261207_1500_outbox_secrets')).error).toBeUndefined();
  const db = handle.db as unknown as Kysely<any>;
  const arabic = 'سمير\u200F الأحمد';
  const user = await db.insertInto('app_user').values({ email: 'a@example.org', password_hash: 'x', display_name: `Amal \u202Egnp.exe`, locale: 'de' }).returning('id').executeTakeFirstOrThrow();
  const other = await db.insertInto('app_user').values({ email: 'b@example.org', password_hash: 'x', display_name: arabic, locale: 'ar' }).returning('id').executeTakeFirstOrThrow();
  const organisation = await db.insertInto('organisation').values({ slug: 'verein', name: 'Verein\u2067 e.V.\u2069' }).returning('id').executeTakeFirstOrThrow();
  const activity = await db
    .insertInto('activity')
    .values({
      organisation_id: organisation.id,
      status: 'published',
      title: 'Sprach\u001Bcafé',
      description: 'Erste Zeile\r\n\r\nZweite\tZeile \u202Dmit Override\u202C',
      translations: JSON.stringify({ ar: { title: 'مقهى\u202E اللغة', description: 'سطر\nسطر' } }),
      source_locale: 'de',
      category: 'language',
      starts_at: new Date('2030-06-01T16:00:00Z'),
      ends_at: new Date('2030-06-01T18:00:00Z'),
      place_name: 'Stellwerk\u0085Hof',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  expect((await migrator.migrateToLatest()).error).toBeUndefined();

  const names = await db.selectFrom('app_user').select(['id', 'display_name']).orderBy('id').execute();
  expect(names).toEqual([
    { id: user.id, display_name: 'Amal gnp.exe' },
    { id: other.id, display_name: arabic },
  ]);
  expect((await db.selectFrom('organisation').select('name').executeTakeFirstOrThrow()).name).toBe('Verein e.V.');
  const row = await db.selectFrom('activity').select(['title', 'description', 'translations', 'place_name']).where('id', '=', activity.id).executeTakeFirstOrThrow();
  expect(row).toEqual({
    title: 'Sprachcafé',
    description: 'Erste Zeile\r\n\r\nZweite\tZeile mit Override',
    translations: { ar: { title: 'مقهى اللغة', description: 'سطر\nسطر' } },
    place_name: 'StellwerkHof',
  });
});
