// Organisations and their members. Site admins manage them; an organisation's organisers keep
// its description and public contact (organisations.access.ts). Each function checks who asks
// itself, so no caller can forget. Invitations by e-mail live in invitations.service.ts.
import { sql, type Kysely } from 'kysely';
import type { Database, MembershipRole, Organisation } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { assertAdmin, NotFoundError } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
import { assertMayEditOrganisation } from './organisations.access.ts';
import { SLUG_PATTERN } from './organisations.schema.ts';

export interface OrganisationSummary extends Organisation {
  memberCount: number;
}

export async function listOrganisations(db: Kysely<Database>, actor: SessionUser | null): Promise<OrganisationSummary[]> {
  assertAdmin(actor);
  const rows = await db
    .selectFrom('organisation')
    .leftJoin('membership', 'membership.organisation_id', 'organisation.id')
    .selectAll('organisation')
    .select(sql<number>`count(distinct membership.user_id)::int`.as('memberCount'))
    .groupBy('organisation.id')
    .orderBy('organisation.name')
    .execute();
  return rows;
}

export async function createOrganisation(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { name: string; slug: string; description: string },
): Promise<{ ok: true; organisation: Organisation } | { ok: false; fields: { slug: string } }> {
  const admin = assertAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const organisation = await trx
      .insertInto('organisation')
      .values({ name: input.name, slug: input.slug, description: input.description })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!organisation) return { ok: false, fields: { slug: 'error.slug.taken' } } as const;
    await recordAudit(trx, { actorUserId: admin.id, action: 'organisation.created', objectType: 'organisation', objectId: organisation.id });
    return { ok: true, organisation } as const;
  });
}

export async function getOrganisation(db: Kysely<Database>, actor: SessionUser | null, slug: string): Promise<Organisation> {
  assertAdmin(actor);
  if (!SLUG_PATTERN.test(slug)) throw new NotFoundError('organisation');
  const organisation = await db.selectFrom('organisation').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!organisation) throw new NotFoundError('organisation');
  return organisation;
}

/** An organisation for its edit page, and whether the person may rename it (admins only). */
export async function getOrganisationForEditing(db: Kysely<Database>, actor: SessionUser | null, slug: string): Promise<{ organisation: Organisation; mayRename: boolean }> {
  if (!actor) throw new NotFoundError('signed-in only');
  const organisation = await db.selectFrom('organisation').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!organisation) throw new NotFoundError('organisation');
  const { mayRename } = await assertMayEditOrganisation(db, actor, organisation.id);
  return { organisation, mayRename };
}

/** An organisation's public contact (anyone may see it: it is shown on its activities). */
export async function getOrganisationContact(db: Kysely<Database>, organisationId: number): Promise<{ phone: string | null; email: string | null }> {
  const row = await db.selectFrom('organisation').select(['contact_phone', 'contact_email']).where('id', '=', organisationId).executeTakeFirst();
  return { phone: row?.contact_phone ?? null, email: row?.contact_email ?? null };
}

export interface OrganisationChanges {
  organisationId: number;
  /** Read only when the person may rename; otherwise the name stays. */
  name: string;
  description: string;
  contactPhone: string | null;
  contactEmail: string | null;
}

/** What a calendar event shows of its organisation: the name (ORGANIZER) and the contact. */
const SHOWN_IN_EVENTS = new Set(['name', 'contactPhone', 'contactEmail']);

/**
 * Saves an organisation's details; the slug never changes (feed addresses and links use it).
 * When what calendar events show changes, the organisation's activities count as changed too,
 * so that feeds built from them (their ETag reads the activities' last change) are rebuilt.
 */
export async function updateOrganisation(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: OrganisationChanges,
  now = new Date(),
): Promise<{ ok: true; slug: string } | { ok: false; fields: { name: string } }> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organisation').selectAll().where('id', '=', input.organisationId).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError('organisation');
    const editor = await assertMayEditOrganisation(trx, actor, before.id);
    const name = editor.mayRename ? input.name.trim() : before.name;
    if (!name) return { ok: false, fields: { name: 'error.required' } } as const;
    const after = { name, description: input.description, contactPhone: input.contactPhone, contactEmail: input.contactEmail };
    const was = { name: before.name, description: before.description, contactPhone: before.contact_phone, contactEmail: before.contact_email };
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter((field) => after[field] !== was[field]);
    if (changed.length === 0) return { ok: true, slug: before.slug } as const;
    await trx
      .updateTable('organisation')
      .set({ name, description: input.description, contact_phone: input.contactPhone, contact_email: input.contactEmail, updated_at: now })
      .where('id', '=', before.id)
      .execute();
    if (changed.some((field) => SHOWN_IN_EVENTS.has(field))) {
      await trx.updateTable('activity').set({ updated_at: now }).where('organisation_id', '=', before.id).execute();
    }
    await recordAudit(trx, { actorUserId: editor.actor.id, action: 'organisation.updated', objectType: 'organisation', objectId: before.id, details: { fields: changed } });
    return { ok: true, slug: before.slug } as const;
  });
}

export interface Member {
  userId: number;
  displayName: string;
  /** Null for a person registered by a coordinator who has not given one yet. */
  email: string | null;
  role: MembershipRole;
}

export async function listMembers(db: Kysely<Database>, actor: SessionUser | null, organisationId: number): Promise<Member[]> {
  assertAdmin(actor);
  const rows = await db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['app_user.id', 'app_user.display_name', 'app_user.email', 'membership.role'])
    .where('membership.organisation_id', '=', organisationId)
    .orderBy('app_user.display_name')
    .orderBy('membership.role')
    .execute();
  return rows.map((r) => ({ userId: r.id, displayName: r.display_name, email: r.email, role: r.role }));
}

export async function removeMember(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { organisationId: number; userId: number; role: MembershipRole },
): Promise<{ displayName: string; slug: string }> {
  const admin = assertAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('membership')
      .where('organisation_id', '=', input.organisationId)
      .where('user_id', '=', input.userId)
      .where('role', '=', input.role)
      .returning('user_id')
      .executeTakeFirst();
    if (!removed) throw new NotFoundError('membership');
    const user = await trx.selectFrom('app_user').select('display_name').where('id', '=', input.userId).executeTakeFirstOrThrow();
    const organisation = await trx.selectFrom('organisation').select('slug').where('id', '=', input.organisationId).executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'membership.removed',
      objectType: 'organisation',
      objectId: input.organisationId,
      details: { userId: input.userId, role: input.role },
    });
    return { displayName: user.display_name, slug: organisation.slug };
  });
}

export interface MemberRemoval {
  organisation: Organisation;
  member: Member & { userId: number };
  /** Removing them leaves nobody to manage the organisation's activities. */
  lastOrganiser: boolean;
}

/** What the confirmation before removing a member shows (admins only). */
export async function getMemberRemoval(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { slug: string; userId: number; role: MembershipRole },
): Promise<MemberRemoval> {
  assertAdmin(actor);
  const organisation = await db.selectFrom('organisation').selectAll().where('slug', '=', input.slug).executeTakeFirst();
  if (!organisation) throw new NotFoundError('organisation');
  const member = await db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['app_user.id', 'app_user.display_name', 'app_user.email', 'membership.role'])
    .where('membership.organisation_id', '=', organisation.id)
    .where('membership.user_id', '=', input.userId)
    .where('membership.role', '=', input.role)
    .executeTakeFirst();
  if (!member) throw new NotFoundError('membership');
  const organisers = await db
    .selectFrom('membership')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('organisation_id', '=', organisation.id)
    .where('role', '=', 'organiser')
    .executeTakeFirstOrThrow();
  return {
    organisation,
    member: { userId: member.id, displayName: member.display_name, email: member.email, role: member.role },
    lastOrganiser: member.role === 'organiser' && organisers.n === 1,
  };
}

/** For `npm run admin:create`: makes an existing account a site admin. */
export async function grantAdmin(db: Kysely<Database>, email: string): Promise<{ id: number; displayName: string } | null> {
  const user = await db
    .updateTable('app_user')
    .set({ is_admin: true })
    .where('email', '=', email.trim().toLowerCase())
    .returning(['id', 'display_name'])
    .executeTakeFirst();
  if (!user) return null;
  await recordAudit(db, { actorUserId: null, action: 'admin.created', objectType: 'user', objectId: user.id });
  return { id: user.id, displayName: user.display_name };
}
