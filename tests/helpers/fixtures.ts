// Rows for tests that need people, an organisation and activities, written straight to the
// database (the password hash is a placeholder: these people never sign in).
import type { Insertable, Kysely } from 'kysely';
import type { ActivityTable, Database, Locale } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import type { CreateResult } from '../../src/features/activities/activities.service.ts';

let people = 0;

export async function makePerson(db: Kysely<Database>, options: { locale?: Locale; name?: string } = {}): Promise<SessionUser> {
  people += 1;
  const row = await db
    .insertInto('app_user')
    .values({
      email: `person-${process.pid}-${people}-${Math.random().toString(36).slice(2, 7)}@test.example`,
      password_hash: 'not-a-real-hash',
      display_name: options.name ?? `Person ${people}`,
      locale: options.locale ?? 'de',
      email_verified_at: new Date(),
    })
    .returning(['id', 'email', 'display_name', 'locale', 'is_admin', 'email_verified_at'])
    .executeTakeFirstOrThrow();
  return row;
}

export async function makeOrganisation(db: Kysely<Database>): Promise<number> {
  const row = await db
    .insertInto('organisation')
    .values({ slug: `org-${Math.random().toString(36).slice(2, 10)}`, name: 'Test-Verein' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function makeActivity(
  db: Kysely<Database>,
  organisationId: number,
  options: { capacity?: number | null; startsAt?: Date; status?: 'draft' | 'published' | 'cancelled'; rsvpDeadline?: Date | null; title?: string; translations?: Record<string, { title: string; description: string }>; extra?: Partial<Insertable<ActivityTable>> } = {},
): Promise<number> {
  const startsAt = options.startsAt ?? new Date('2030-06-01T16:00:00Z');
  const row = await db
    .insertInto('activity')
    .values({
      organisation_id: organisationId,
      status: options.status ?? 'published',
      title: options.title ?? 'Sprachcafé',
      description: 'Deutsch sprechen bei Kaffee und Kuchen.',
      source_locale: 'de',
      translations: JSON.stringify(options.translations ?? {}),
      category: 'language',
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 2 * 3600_000),
      place_name: 'Stellwerk',
      address: 'Lennestraße 12, 58762 Altena',
      capacity: options.capacity === undefined ? 10 : options.capacity,
      rsvp_deadline: options.rsvpDeadline ?? null,
      ...options.extra,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The id of the (first) activity the organiser's form made; a refusal fails the test. */
export function createdId(result: CreateResult): number {
  if (!result.ok) throw new Error(`creating was refused: dates in the past ${result.pastDates.map((d) => d.toISOString()).join(', ')}`);
  return result.id;
}
