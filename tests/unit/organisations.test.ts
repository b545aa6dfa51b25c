// Organisations and memberships: only site admins manage them; slugs and memberships stay unique; roles are separate.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database, Organisation } from '../../src/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { listMemberships, NotFoundError } from '../../src/features/access/access.ts';
import { createOrganisationInput } from '../../src/features/organisations/organisations.schema.ts';
import { updateOrganisationInput } from '../../src/features/organisations/organisations.schema.ts';
import { inviteMember } from '../../src/features/organisations/invitations.service.ts';
import {
  createOrganisation, getMemberRemoval, getOrganisation, getOrganisationForEditing, grantAdmin, listMembers, listOrganisations, removeMember,
  updateOrganisation,
} from '../../src/features/organisations/organisations.service.ts';
import { makeActivity } from '../helpers/fixtures.ts';

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

/** Adds someone who has an account (invitations of new addresses: invitations.test.ts). */
const addMember = (actor: SessionUser | null, input: { organisationId: number; email: string; role: 'organiser' | 'coordinator' }) =>
  inviteMember(db, actor, { ...input, displayName: '', locale: 'de' }, { ip: '203.0.113.1', baseUrl: 'https://ankommen.example' });

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
  expect(await addMember(admin, { organisationId: library.id, email: member.email!, role: 'organiser' })).toMatchObject({ ok: true });
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
      () => addMember(actor(), { organisationId: library.id, email: outsider.email!, role: 'coordinator' }),
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
  it('refuses an unknown organisation', async () => {
    const before = await count('membership');
    await expect(addMember(admin, { organisationId: 999_999, email: member.email!, role: 'organiser' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await count('membership')).toBe(before);
  });

  it('lets one person hold both roles, but each role only once', async () => {
    const sports = await created('tus-sport', 'TuS Sport');
    const kim = await person('kim@example.org', 'Kim');
    const add = (role: 'organiser' | 'coordinator') => addMember(admin, { organisationId: sports.id, email: kim.email!, role });
    expect(await add('organiser')).toEqual({ ok: true, outcome: 'added', displayName: 'Kim' });
    expect(await add('organiser')).toEqual({ ok: false, fields: { email: 'error.member.exists' } });
    expect(await add('coordinator')).toEqual({ ok: true, outcome: 'added', displayName: 'Kim' });
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
    for (const role of ['organiser', 'coordinator'] as const) await addMember(admin, { organisationId: office.id, email: lea.email!, role });
    expect(await removeMember(db, admin, { organisationId: office.id, userId: lea.id, role: 'organiser' })).toEqual({ displayName: 'Lea', slug: 'integrationsbuero' });
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

describe('editing an organisation', () => {
  let club: Organisation;
  let clubOrganiser: SessionUser, clubCoordinator: SessionUser, libraryOrganiser: SessionUser;

  beforeAll(async () => {
    club = await created('schachclub', 'Schachclub');
    clubOrganiser = await person('ute@example.org', 'Ute');
    clubCoordinator = await person('cem@example.org', 'Cem');
    libraryOrganiser = member;
    await addMember(admin, { organisationId: club.id, email: clubOrganiser.email!, role: 'organiser' });
    await addMember(admin, { organisationId: club.id, email: clubCoordinator.email!, role: 'coordinator' });
  });

  const edit = (fields: Record<string, string | null>) => updateOrganisationInput.parse({ organisationId: String(club.id), name: null, description: null, contactPhone: null, contactEmail: null, ...fields });
  const row = () => db.selectFrom('organisation').selectAll().where('id', '=', club.id).executeTakeFirstOrThrow();

  it('lets a site admin change the name, description and contact, keeps the slug, and records it', async () => {
    const before = await row();
    const result = await updateOrganisation(db, admin, edit({ name: 'Schachclub Altena 1923', description: 'Donnerstags ab 18 Uhr.', contactPhone: '+49 2352 55 55', contactEmail: 'Info@Schach.example' }), new Date('2030-01-02T10:00:00Z'));
    expect(result).toEqual({ ok: true, slug: 'schachclub' });
    expect(await row()).toMatchObject({
      slug: 'schachclub',
      name: 'Schachclub Altena 1923',
      description: 'Donnerstags ab 18 Uhr.',
      contact_phone: '+49 2352 55 55',
      contact_email: 'info@schach.example',
      updated_at: new Date('2030-01-02T10:00:00Z'),
    });
    expect(before.updated_at.getTime()).toBeLessThan(new Date('2030-01-02T10:00:00Z').getTime());
    const audit = await db.selectFrom('audit_event').selectAll().where('action', '=', 'organisation.updated').where('object_id', '=', String(club.id)).execute();
    expect(audit.map((a) => [a.actor_user_id, a.details])).toEqual([[admin.id, { fields: ['name', 'description', 'contactPhone', 'contactEmail'] }]]);
  });

  it("lets the organisation's organiser change the description and contact, never the name", async () => {
    expect(await getOrganisationForEditing(db, clubOrganiser, 'schachclub')).toMatchObject({ organisation: { id: club.id }, mayRename: false });
    expect(await getOrganisationForEditing(db, admin, 'schachclub')).toMatchObject({ mayRename: true });
    await updateOrganisation(db, clubOrganiser, edit({ name: 'Gekapert', description: 'Neu: auch sonntags.', contactPhone: null, contactEmail: 'vorstand@schach.example' }));
    expect(await row()).toMatchObject({ name: 'Schachclub Altena 1923', description: 'Neu: auch sonntags.', contact_phone: null, contact_email: 'vorstand@schach.example' });
  });

  it.each([
    ['nobody signed in', () => null],
    ['a resident', () => outsider],
    ["a coordinator of the organisation (organisers keep its details)", () => clubCoordinator],
    ["an organiser of another organisation", () => libraryOrganiser],
  ])('refuses %s as if the organisation did not exist, and changes nothing', async (_, actor) => {
    const before = await row();
    await expect(getOrganisationForEditing(db, actor(), 'schachclub')).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateOrganisation(db, actor(), edit({ description: 'Übernommen', contactEmail: 'evil@example.org' }))).rejects.toBeInstanceOf(NotFoundError);
    expect(await row()).toEqual(before);
  });

  it('answers NotFoundError for an organisation that does not exist, to admins too', async () => {
    await expect(getOrganisationForEditing(db, admin, 'gibt-es-nicht')).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateOrganisation(db, admin, { ...edit({}), organisationId: 999_999 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('asks an admin for a name, and saves nothing without one', async () => {
    const before = await row();
    expect(await updateOrganisation(db, admin, edit({ name: '  ', description: 'Ohne Namen' }))).toEqual({ ok: false, fields: { name: 'error.required' } });
    expect(await row()).toEqual(before);
  });

  it("tells calendar feeds when what their events show changes (name or contact), not for the description alone", async () => {
    const activityId = await makeActivity(db, club.id);
    const touched = async () => (await db.selectFrom('activity').select('updated_at').where('id', '=', activityId).executeTakeFirstOrThrow()).updated_at.getTime();
    const start = await touched();
    await updateOrganisation(db, clubOrganiser, edit({ description: 'Nur die Beschreibung.', contactEmail: 'vorstand@schach.example' }), new Date('2031-01-01T00:00:00Z'));
    expect(await touched()).toBe(start);
    await updateOrganisation(db, clubOrganiser, edit({ description: 'Nur die Beschreibung.', contactEmail: 'kontakt@schach.example' }), new Date('2031-01-02T00:00:00Z'));
    expect(await touched()).toBe(new Date('2031-01-02T00:00:00Z').getTime());
  });
});

describe('removing a member asks first', () => {
  it('shows who would lose which role where, and warns when they are the last organiser', async () => {
    const garden = await created('gemeinschaftsgarten', 'Gemeinschaftsgarten');
    const [ines, jon] = [await person('ines@example.org', 'Ines'), await person('jon@example.org', 'Jon')];
    await addMember(admin, { organisationId: garden.id, email: ines.email!, role: 'organiser' });
    await addMember(admin, { organisationId: garden.id, email: jon.email!, role: 'coordinator' });
    expect(await getMemberRemoval(db, admin, { slug: 'gemeinschaftsgarten', userId: ines.id, role: 'organiser' })).toEqual({
      organisation: expect.objectContaining({ id: garden.id, name: 'Gemeinschaftsgarten' }),
      member: { userId: ines.id, displayName: 'Ines', email: 'ines@example.org', role: 'organiser' },
      lastOrganiser: true,
    });
    expect((await getMemberRemoval(db, admin, { slug: 'gemeinschaftsgarten', userId: jon.id, role: 'coordinator' })).lastOrganiser).toBe(false);
    await addMember(admin, { organisationId: garden.id, email: jon.email!, role: 'organiser' });
    expect((await getMemberRemoval(db, admin, { slug: 'gemeinschaftsgarten', userId: ines.id, role: 'organiser' })).lastOrganiser).toBe(false);
  });

  it('answers NotFoundError for a role the person does not hold, and for anyone but an admin', async () => {
    const ines = await db.selectFrom('app_user').select('id').where('email', '=', 'ines@example.org').executeTakeFirstOrThrow();
    await expect(getMemberRemoval(db, admin, { slug: 'gemeinschaftsgarten', userId: ines.id, role: 'coordinator' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getMemberRemoval(db, admin, { slug: 'stadtbibliothek', userId: ines.id, role: 'organiser' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getMemberRemoval(db, outsider, { slug: 'gemeinschaftsgarten', userId: ines.id, role: 'organiser' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getMemberRemoval(db, null, { slug: 'gemeinschaftsgarten', userId: ines.id, role: 'organiser' })).rejects.toBeInstanceOf(NotFoundError);
  });
});
