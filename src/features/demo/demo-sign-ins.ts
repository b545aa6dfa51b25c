// The demo town's sign-ins, shown on the home page and printed at start, so that anyone can
// try every role. They are stored with the demo marker, so a real town never shows any.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoSignIn } from './demo-town.ts';

export async function readDemoSignIns(db: Kysely<Database>): Promise<DemoSignIn[] | null> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', 'demo_town').executeTakeFirst();
  if (!row) return null;
  const value = row.value as { signIns?: DemoSignIn[] };
  return Array.isArray(value.signIns) ? value.signIns : [];
}
