// Text people wrote before the forms dropped what no keyboard types: control characters
// (other than tab, line feed, carriage return) and bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), which can turn the words around a name. They are removed
// from every column a person writes and another reads, so that pages, mails, feeds and CSV
// files never carry one. The same rule as cleanText in src/lib/form-schema.ts, frozen here as
// it was when this migration was written. Frozen once landed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

const UNWANTED = '[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069]';

/** Every column a person writes and another reads. */
const WRITTEN: Record<string, string[]> = {
  app_user: ['display_name'],
  organisation: ['name', 'description'],
  activity: ['title', 'description', 'place_name', 'address', 'contact_name', 'cost', 'cancel_reason'],
  rsvp: ['note', 'walk_in_name'],
  volunteer_role: ['name', 'what_to_bring'],
  volunteer_profile: ['availability'],
  kuemmerer: ['note', 'contact_details', 'decision_message'],
  mentoring_request: ['note', 'contact_detail'],
  mentorship: ['end_reason'],
  mentoring_meeting: ['place', 'private_note'],
};

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, columns] of Object.entries(WRITTEN)) {
    for (const column of columns) {
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = regexp_replace(${sql.ref(column)}, ${UNWANTED}, '', 'g') where ${sql.ref(column)} ~ ${UNWANTED}`.execute(db);
    }
  }
  // Translations are JSON, whose text shows these characters as they are (only those below
  // U+0020 are escaped there, and are left alone rather than risk breaking an escape).
  const bidiAndC1 = '[\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069]';
  await sql`update activity set translations = regexp_replace(translations::text, ${bidiAndC1}, '', 'g')::jsonb where translations::text ~ ${bidiAndC1}`.execute(db);
}

export async function down(): Promise<void> {
  // What was removed is not kept anywhere: nothing to restore.
}
