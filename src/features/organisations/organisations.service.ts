// Organisations and their members. Only site admins manage them; each function checks that
// itself (assertAdmin), so no caller can forget.
import { sql, type Kysely } from 'kysely';
import type { Database, MembershipRole, Organisation } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { assertAdmin, NotFoundError } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
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

export async function addMember(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { organisationId: number; email: string; role: MembershipRole },
): Promise<{ ok: true; displayName: string } | { ok: false; fields: { email: string } }> {
  const admin = assertAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const organisation = await trx.selectFrom('organisation').select('id').where('id', '=', input.organisationId).executeTakeFirst();
    if (!organisation) throw new NotFoundError('organisation');
    const user = await trx.selectFrom('app_user').select(['id', 'display_name']).where('email', '=', input.email).executeTakeFirst();
    if (!user) return { ok: false, fields: { email: 'error.member.unknownEmail' } } as const;
    const added = await trx
      .insertInto('membership')
      .values({ organisation_id: organisation.id, user_id: user.id, role: input.role })
      .onConflict((oc) => oc.columns(['organisation_id', 'user_id', 'role']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (!added) return { ok: false, fields: { email: 'error.member.exists' } } as const;
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'membership.added',
      objectType: 'organisation',
      objectId: organisation.id,
      details: { userId: user.id, role: input.role },
    });
    return { ok: true, displayName: user.display_name } as const;
  });
}

export async function removeMember(
  db: Kysely<Database>,
  actor: SessionUser | null,
  input: { organisationId: number; userId: number; role: MembershipRole },
): Promise<{ displayName: string }> {
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
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'membership.removed',
      objectType: 'organisation',
      objectId: input.organisationId,
      details: { userId: input.userId, role: input.role },
    });
    return { displayName: user.display_name };
  });
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
