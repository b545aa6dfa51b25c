// Organisations and memberships: only site admins manage them; slugs and memberships stay unique; roles are separate.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Organisation } from '../../src/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { listMemberships, NotFoundError } from '../../src/features/access/access.ts';
import { createOrganisationInput } from '../../src/features/organisations/organisations.schema.ts';
import {
  addMember, createOrganisation, getOrganisation, grantAdmin, listMembers, listOrganisations, removeMember,
} from '../../src/features/organisations/organisations.service.ts';

let handle: DatabaseHandle, db: Kysely<Database>;
let admin: SessionUser, outsider: SessionUser, member: SessionUser;
let library: Organisation;

async function person(email: string, displayName: string, isAdmin = false): Promise<SessionUser> {
  return db
    .insertInto('app_user')
    .values({ email, password_hash: 'not-used', display_name: displayName, locale: 'de', is_admin: isAdmin })
    .returning(['id', 'email', 'display_name', 'locale', 'is_admin', 'email_verified_at'])
    .executeTakeFirstOrThrow();
}

async function created(slug: string, name: string): Promise<Organisation> {
  const result = await createOrganisation(db, admin, { name, slug, description: '' });
  if (!result.ok) throw new Error(`refused: ${result.fields.slug}`);
  return result.organisation;
}

const count = async (table: 'organisation' | 'membership') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  admin = await person('admin@example.org', 'Petra Admin', true);
  outsider = await person('outsider@example.org', 'Olaf');
  member = await person('member@example.org', 'Mira');
  library = await created('stadtbibliothek', 'Stadtbibliothek');
  expect(await addMember(db, admin, { organisationId: library.id, email: member.email!, role: 'organiser' })).toMatchObject({ ok: true });
});
afterAll(() => handle?.close());

describe('who may manage organisations', () => {
  it.each([
    ['nobody signed in', () => null],
    ['a signed-in person who is not an admin', () => outsider],
  ])('refuses %s everything, as if the page did not exist, and changes nothing', async (_, actor) => {
    const before = { organisations: await count('organisation'), memberships: await count('membership') };
    const attempts: Array<() => Promise<unknown>> = [
      () => listOrganisations(db, actor()),
      () => createOrganisation(db, actor(), { name: 'Sneaky', slug: 'sneaky', description: '' }),
      () => getOrganisation(db, actor(), library.slug),
      () => listMembers(db, actor(), library.id),
      () => addMember(db, actor(), { organisationId: library.id, email: outsider.email!, role: 'coordinator' }),
      () => removeMember(db, actor(), { organisationId: library.id, userId: member.id, role: 'organiser' }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
    expect({ organisations: await count('organisation'), memberships: await count('membership') }).toEqual(before);
  });
});

describe('createOrganisation', () => {
  it('creates the organisation and records who did it', async () => {
    const org = await created('stellwerk', 'Stellwerk Jugendtreff');
    expect(await getOrganisation(db, admin, 'stellwerk')).toEqual(org);
    expect((await listOrganisations(db, admin)).find((o) => o.id === org.id)).toMatchObject({ name: 'Stellwerk Jugendtreff', memberCount: 0 });
    const audit = await db.selectFrom('audit_event').selectAll().where('action', '=', 'organisation.created').where('object_id', '=', String(org.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id, object_type: 'organisation' });
  });

  it('refuses a slug that is taken and keeps the first organisation as it was', async () => {
    const result = await createOrganisation(db, admin, { name: 'Andere Bibliothek', slug: 'stadtbibliothek', description: '' });
    expect(result).toEqual({ ok: false, fields: { slug: 'error.slug.taken' } });
    const rows = await db.selectFrom('organisation').select('name').where('slug', '=', 'stadtbibliothek').execute();
    expect(rows).toEqual([{ name: 'Stadtbibliothek' }]);
  });

  it('answers NotFoundError for an unknown slug', async () => {
    await expect(getOrganisation(db, admin, 'gibt-es-nicht')).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(['Stell Werk', '-x', 'x-', 'a', 'stell_werk', 'ä-verein'])('the form refuses the slug %j', (slug) => {
    const result = createOrganisationInput.safeParse({ name: 'Stellwerk', slug, description: '' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([{ path: ['slug'], message: 'error.slug.invalid' }]);
  });

  it('the form accepts "stellwerk-2", and lower-cases "Stellwerk-2"', () => {
    expect(createOrganisationInput.parse({ name: 'Stellwerk', slug: 'stellwerk-2' })).toEqual({ name: 'Stellwerk', slug: 'stellwerk-2', description: '' });
    expect(createOrganisationInput.parse({ name: 'Stellwerk', slug: 'Stellwerk-2' }).slug).toBe('stellwerk-2');
  });
});

describe('members', () => {
  it('refuses an address without an account, and an unknown organisation', async () => {
    const before = await count('membership');
    const unknownEmail = await addMember(db, admin, { organisationId: library.id, email: 'nobody@example.org', role: 'organiser' });
    expect(unknownEmail).toEqual({ ok: false, fields: { email: 'error.member.unknownEmail' } });
    await expect(addMember(db, admin, { organisationId: 999_999, email: member.email!, role: 'organiser' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await count('membership')).toBe(before);
  });

  it('lets one person hold both roles, but each role only once', async () => {
    const sports = await created('tus-sport', 'TuS Sport');
    const kim = await person('kim@example.org', 'Kim');
    const add = (role: 'organiser' | 'coordinator') => addMember(db, admin, { organisationId: sports.id, email: kim.email!, role });
    expect(await add('organiser')).toEqual({ ok: true, displayName: 'Kim' });
    expect(await add('organiser')).toEqual({ ok: false, fields: { email: 'error.member.exists' } });
    expect(await add('coordinator')).toEqual({ ok: true, displayName: 'Kim' });
    expect((await listMembers(db, admin, sports.id)).map((m) => [m.userId, m.role])).toEqual([[kim.id, 'coordinator'], [kim.id, 'organiser']]);
    // The member count counts people, not roles.
    expect((await listOrganisations(db, admin)).find((o) => o.id === sports.id)?.memberCount).toBe(1);
    expect(await listMemberships(db, kim.id)).toEqual([
      { organisationId: sports.id, organisationSlug: 'tus-sport', organisationName: 'TuS Sport', role: 'coordinator' },
      { organisationId: sports.id, organisationSlug: 'tus-sport', organisationName: 'TuS Sport', role: 'organiser' },
    ]);
  });

  it('removes only the named role, and refuses to remove what does not exist', async () => {
    const office = await created('integrationsbuero', 'Integrationsbüro');
    const lea = await person('lea@example.org', 'Lea');
    for (const role of ['organiser', 'coordinator'] as const) await addMember(db, admin, { organisationId: office.id, email: lea.email!, role });
    expect(await removeMember(db, admin, { organisationId: office.id, userId: lea.id, role: 'organiser' })).toEqual({ displayName: 'Lea' });
    expect((await listMemberships(db, lea.id)).map((m) => m.role)).toEqual(['coordinator']);
    await expect(removeMember(db, admin, { organisationId: office.id, userId: lea.id, role: 'organiser' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeMember(db, admin, { organisationId: office.id, userId: outsider.id, role: 'coordinator' })).rejects.toBeInstanceOf(NotFoundError);
    expect((await listMemberships(db, lea.id)).map((m) => m.role)).toEqual(['coordinator']);
  });

  it('lists nothing for a person without memberships', async () => {
    expect(await listMemberships(db, outsider.id)).toEqual([]);
  });
});

describe('grantAdmin', () => {
  it('makes an existing account an admin, however the address is typed', async () => {
    const sam = await person('sam@example.org', 'Sam');
    expect(await grantAdmin(db, '  Sam@Example.org ')).toEqual({ id: sam.id, displayName: 'Sam' });
    const row = await db.selectFrom('app_user').select('is_admin').where('id', '=', sam.id).executeTakeFirstOrThrow();
    expect(row.is_admin).toBe(true);
    expect(await listOrganisations(db, { ...sam, is_admin: true })).not.toHaveLength(0);
  });

  it('returns null for an unknown address and makes nobody an admin', async () => {
    const adminsBefore = await db.selectFrom('app_user').select('id').where('is_admin', '=', true).execute();
    expect(await grantAdmin(db, 'ghost@example.org')).toBeNull();
    expect(await db.selectFrom('app_user').select('id').where('is_admin', '=', true).execute()).toEqual(adminsBefore);
  });
});
