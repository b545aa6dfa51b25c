// The interface language a person chose. Everyone's choice rides in a cookie (no account
// needed, see src/actions/language.ts); a signed-in person's also becomes their account's
// preferred language, in which their mails are written.
import type { Kysely } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';

export async function rememberLanguage(db: Kysely<Database>, user: { id: number; locale: Locale } | null, locale: Locale, now = new Date()): Promise<void> {
  if (!user || user.locale === locale) return;
  await db.updateTable('app_user').set({ locale, updated_at: now }).where('id', '=', user.id).execute();
}
