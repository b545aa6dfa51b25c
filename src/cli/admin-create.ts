// `npm run admin:create -- <email>`: makes that account a site admin. When there is no such
// account yet it creates one, confirmed, with a strong one-time password printed here.
import { migrateToLatest } from '../db/migrate.ts';
import { hashPassword } from '../features/accounts/password.ts';
import { grantAdmin } from '../features/organisations/organisations.service.ts';
import { randomToken } from '../lib/tokens.ts';
import { fail, openConfiguredDatabase } from './open-database.ts';

const email = process.argv[2]?.trim().toLowerCase();
if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail('Usage: npm run admin:create -- <email>');

const handle = await openConfiguredDatabase();
try {
  await migrateToLatest(handle.db);
  let password: string | null = null;
  const existing = await handle.db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst();
  if (!existing) {
    password = randomToken(15);
    const passwordHash = await hashPassword(password);
    await handle.db
      .insertInto('app_user')
      .values({ email, password_hash: passwordHash, display_name: email.split('@')[0] ?? 'Admin', locale: 'de', email_verified_at: new Date() })
      .execute();
  }
  const admin = await grantAdmin(handle.db, email);
  if (!admin) fail(`No account with ${email}.`);
  console.log(`${email} is now a site admin.`);
  if (password) console.log(`A new account was created. Sign in with this password and change it at once:\n  ${password}`);
} finally {
  await handle.close();
}
