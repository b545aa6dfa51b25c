// Inviting people into an organisation by e-mail (site admins only).
//
// An address whose account has a password: the membership is made at once and the person is
// told by mail. Any other address: an account without a password is made (unless one is
// waiting already), and an invitation mail carries a single-use link, valid for seven days,
// to choose a name and password; accepting makes every membership waiting for that address.
// The link's secret is made with the invitation and only its hash is kept; the outbox holds
// the link as a secret of the mail (see outbox.ts) until the mail is sent or set aside, as it
// does a confirmation link. Resending kills the old link at once and drops its unsent mail;
// withdrawing removes the invitation, its unsent mail and an account nothing else holds.
// Every step goes to the audit log.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database, Locale, MembershipRole, Organisation } from '../../db/schema.ts';
import { localePath } from '../../i18n/locales.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';
import { checkNewPassword, contextWords, hashPassword } from '../accounts/password.ts';
import { createSession, type SessionUser } from '../accounts/sessions.ts';
import { assertAdmin, NotFoundError, type Admin } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { hitRateLimits, RateLimitedError, type RateRule } from '../rate-limit/rate-limit.ts';
import { INVITATION_TTL_MS } from './organisations.mails.ts';

type Trx = Transaction<Database>;

export interface InviteInput {
  organisationId: number;
  email: string;
  role: MembershipRole;
  /** For a new account; an existing account keeps its name. */
  displayName: string;
  /** The language of a new account, and so of its mails; an existing account keeps its own. */
  locale: Locale;
}

export type InviteResult =
  | { ok: true; outcome: 'added'; displayName: string }
  | { ok: true; outcome: 'invited'; email: string }
  | { ok: false; fields: { email: string } };

/** Where a member starts: organisers at their activities, coordinators at their overview. */
function homeOf(role: MembershipRole): string {
  return role === 'organiser' ? '/organise' : '/coordinate';
}

/** A new link for an invitation: 160 random bits, of which the invitation keeps the hash. */
function newLink(now: Date) {
  const token = randomToken(20);
  return { token, token_hash: hashToken(token), expires_at: new Date(now.getTime() + INVITATION_TTL_MS) };
}

/** The mail of an invitation, carrying its link (a secret of the mail, see organisations.mails.ts). */
async function queueInvitationMail(
  trx: Trx,
  invitation: { id: number; role: MembershipRole; token: string },
  user: { id: number; email: string; display_name: string; locale: Locale },
  organisation: { name: string },
  inviter: { id: number; display_name: string },
  origin: RequestOrigin,
): Promise<void> {
  await enqueueMessage(trx, {
    kind: 'organisation_invitation',
    recipientUserId: user.id,
    // It names who invited: erasing the inviter takes the mail with them.
    aboutUserId: inviter.id,
    recipientEmail: user.email,
    locale: user.locale,
    payload: {
      invitationId: invitation.id,
      name: user.display_name,
      organisation: organisation.name,
      role: invitation.role,
      inviter: inviter.display_name,
      url: `${origin.baseUrl}${localePath(user.locale, '/invitation')}?token=${encodeURIComponent(invitation.token)}`,
    },
  });
}

/** An expired invitation stays this long, so that a site admin sees it expired and can send
 * it again; then retention deletes it (src/features/privacy/retention.ts). */
export const EXPIRED_INVITATION_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * An account that only an invitation made and that nothing holds (no password, no membership,
 * no invitation) once the invitations matching `gone` are gone: only an invitation makes such
 * an account, so it goes with its last invitation and leaves no name an admin typed behind.
 */
export function heldByNoInvitation(
  eb: ExpressionBuilder<Database, 'app_user'>,
  gone: (eb: ExpressionBuilder<Database, 'invitation'>) => Expression<SqlBool> = (ie) => ie.lit(false),
): Expression<SqlBool> {
  return eb.and([
    eb('app_user.email', 'is not', null),
    eb('app_user.password_hash', 'is', null),
    eb.not(eb.exists(eb.selectFrom('membership').select('user_id').whereRef('membership.user_id', '=', 'app_user.id'))),
    eb.not(
      eb.exists(
        eb
          .selectFrom('invitation')
          .select('id')
          .whereRef('invitation.user_id', '=', 'app_user.id')
          .where((ie) => ie.not(gone(ie))),
      ),
    ),
  ]);
}

/** Deletes those of these accounts that nothing holds any more (see heldByNoInvitation). */
export async function deleteAccountsNothingHolds(trx: Trx, userIds: number[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const removed = await trx
    .deleteFrom('app_user')
    .where('id', 'in', userIds)
    .where((eb) => heldByNoInvitation(eb))
    .executeTakeFirst();
  return Number(removed.numDeletedRows);
}

/** Mails of these invitations that have not gone out yet (a resend or a withdrawal replaces them). */
async function dropUnsentMails(trx: Trx, invitationIds: number[]): Promise<void> {
  if (invitationIds.length === 0) return;
  await trx
    .deleteFrom('outbox')
    .where('kind', '=', 'organisation_invitation')
    .where('status', '=', 'pending')
    .where(sql<string>`payload->>'invitationId'`, 'in', invitationIds.map(String))
    .execute();
}

async function existingOrganisation(trx: Trx, organisationId: number): Promise<Organisation> {
  const organisation = await trx.selectFrom('organisation').selectAll().where('id', '=', organisationId).executeTakeFirst();
  if (!organisation) throw new NotFoundError('organisation');
  return organisation;
}

export async function inviteMember(db: Kysely<Database>, actor: SessionUser | null, input: InviteInput, origin: RequestOrigin, now = new Date()): Promise<InviteResult> {
  const admin = assertAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const organisation = await existingOrganisation(trx, input.organisationId);
    const email = input.email.trim().toLowerCase();
    const account = () => trx.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale', 'password_hash']).where('email', '=', email).executeTakeFirst();
    let user = await account();
    let createdAccount = false;
    if (!user) {
      user = await trx
        .insertInto('app_user')
        .values({ email, password_hash: null, display_name: input.displayName, locale: input.locale })
        .onConflict((oc) => oc.column('email').doNothing())
        .returning(['id', 'email', 'display_name', 'locale', 'password_hash'])
        .executeTakeFirst();
      createdAccount = user !== undefined;
      // Someone signed up with the address at this very moment: theirs is the account.
      user ??= await account();
      if (!user) throw new Error('the account for an invitation vanished while it was made');
    }

    if (user.password_hash !== null) return addExisting(trx, admin, organisation, { ...user, email }, input.role, origin);

    const member = await trx
      .selectFrom('membership')
      .select('user_id')
      .where('organisation_id', '=', organisation.id)
      .where('user_id', '=', user.id)
      .where('role', '=', input.role)
      .executeTakeFirst();
    if (member) return { ok: false, fields: { email: 'error.member.exists' } } as const;
    const { token, ...link } = newLink(now);
    const invitation = await trx
      .insertInto('invitation')
      .values({
        organisation_id: organisation.id,
        user_id: user.id,
        role: input.role,
        ...link,
        invited_by: admin.id,
        sent_at: now,
      })
      .onConflict((oc) => oc.columns(['organisation_id', 'user_id', 'role']).doNothing())
      .returning(['id', 'role'])
      .executeTakeFirst();
    if (!invitation) return { ok: false, fields: { email: 'invitation.error.pending' } } as const;
    await queueInvitationMail(trx, { ...invitation, token }, { ...user, email }, organisation, admin, origin);
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'invitation.created',
      objectType: 'organisation',
      objectId: organisation.id,
      ip: origin.ip,
      details: { invitationId: invitation.id, userId: user.id, role: input.role, accountCreated: createdAccount },
    });
    return { ok: true, outcome: 'invited', email } as const;
  });
}

/** Someone with an account (and a password) is added at once, and told. */
async function addExisting(
  trx: Trx,
  admin: Admin,
  organisation: Organisation,
  user: { id: number; email: string; display_name: string; locale: Locale },
  role: MembershipRole,
  origin: RequestOrigin,
): Promise<InviteResult> {
  const added = await trx
    .insertInto('membership')
    .values({ organisation_id: organisation.id, user_id: user.id, role })
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id', 'role']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (!added) return { ok: false, fields: { email: 'error.member.exists' } };
  await enqueueMessage(trx, {
    kind: 'membership_added',
    recipientUserId: user.id,
    aboutUserId: admin.id,
    recipientEmail: user.email,
    locale: user.locale,
    payload: { name: user.display_name, organisation: organisation.name, role, inviter: admin.display_name, url: `${origin.baseUrl}${localePath(user.locale, homeOf(role))}` },
  });
  await recordAudit(trx, {
    actorUserId: admin.id,
    action: 'membership.added',
    objectType: 'organisation',
    objectId: organisation.id,
    ip: origin.ip,
    details: { userId: user.id, role },
  });
  return { ok: true, outcome: 'added', displayName: user.display_name };
}

export interface PendingInvitation {
  id: number;
  email: string;
  displayName: string;
  role: MembershipRole;
  sentAt: Date;
  expiresAt: Date;
  expired: boolean;
}

export async function listInvitations(db: Kysely<Database>, actor: SessionUser | null, organisationId: number, now = new Date()): Promise<PendingInvitation[]> {
  assertAdmin(actor);
  const rows = await db
    .selectFrom('invitation')
    .innerJoin('app_user', 'app_user.id', 'invitation.user_id')
    .select(['invitation.id', 'app_user.email', 'app_user.display_name', 'invitation.role', 'invitation.sent_at', 'invitation.expires_at'])
    .where('invitation.organisation_id', '=', organisationId)
    .orderBy('invitation.sent_at', 'desc')
    .orderBy('invitation.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email ?? '',
    displayName: r.display_name,
    role: r.role,
    sentAt: r.sent_at,
    expiresAt: r.expires_at,
    expired: r.expires_at.getTime() <= now.getTime(),
  }));
}

async function invitationForAdmin(trx: Trx, invitationId: number) {
  const row = await trx
    .selectFrom('invitation')
    .innerJoin('app_user', 'app_user.id', 'invitation.user_id')
    .innerJoin('organisation', 'organisation.id', 'invitation.organisation_id')
    .select([
      'invitation.id',
      'invitation.role',
      'invitation.organisation_id',
      'app_user.id as user_id',
      'app_user.email',
      'app_user.display_name',
      'app_user.locale',
      'organisation.name as organisation_name',
    ])
    .where('invitation.id', '=', invitationId)
    .forUpdate(['invitation'])
    .executeTakeFirst();
  if (!row || row.email === null) throw new NotFoundError('invitation');
  return { ...row, email: row.email };
}

/** A new mail with a new link; the old link stops working at once. */
export async function resendInvitation(db: Kysely<Database>, actor: SessionUser | null, invitationId: number, origin: RequestOrigin, now = new Date()): Promise<{ email: string }> {
  const admin = assertAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const invitation = await invitationForAdmin(trx, invitationId);
    const { token, ...link } = newLink(now);
    await trx
      .updateTable('invitation')
      .set({ ...link, sent_at: now, invited_by: admin.id })
      .where('id', '=', invitation.id)
      .execute();
    await dropUnsentMails(trx, [invitation.id]);
    await queueInvitationMail(
      trx,
      { ...invitation, token },
      { id: invitation.user_id, email: invitation.email, display_name: invitation.display_name, locale: invitation.locale },
      { name: invitation.organisation_name },
      admin,
      origin,
    );
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'invitation.resent',
      objectType: 'organisation',
      objectId: invitation.organisation_id,
      ip: origin.ip,
      details: { invitationId: invitation.id, userId: invitation.user_id },
    });
    return { email: invitation.email };
  });
}

/**
 * Takes an invitation back: its link stops working and an unsent mail is not sent. The
 * account goes too while nothing else holds it (no password, no membership, no other
 * invitation waiting): only an invitation makes such an account, so withdrawing the last one
 * leaves no name an admin typed behind. Inviting the address again makes a fresh one.
 */
export async function withdrawInvitation(db: Kysely<Database>, actor: SessionUser | null, invitationId: number, origin: RequestOrigin): Promise<{ email: string }> {
  const admin = assertAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const invitation = await invitationForAdmin(trx, invitationId);
    await trx.deleteFrom('invitation').where('id', '=', invitation.id).execute();
    await dropUnsentMails(trx, [invitation.id]);
    const accountRemoved = (await deleteAccountsNothingHolds(trx, [invitation.user_id])) > 0;
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'invitation.withdrawn',
      objectType: 'organisation',
      objectId: invitation.organisation_id,
      ip: origin.ip,
      details: { invitationId: invitation.id, userId: invitation.user_id, accountRemoved },
    });
    return { email: invitation.email };
  });
}

export interface InvitationView {
  email: string;
  displayName: string;
  /** The person has never chosen a password: accepting asks for a name and one. */
  needsPassword: boolean;
  /** Every invitation waiting for this address, by organisation. */
  invitations: Array<{ organisationName: string; role: MembershipRole; inviterName: string | null }>;
}

/** The live invitation of this link's person, without using the link up. */
async function liveInvitation(db: Kysely<Database> | Trx, token: string, now: Date) {
  return db
    .selectFrom('invitation')
    .innerJoin('app_user', 'app_user.id', 'invitation.user_id')
    .select(['invitation.id', 'invitation.user_id', 'app_user.email', 'app_user.display_name', 'app_user.password_hash'])
    .where('invitation.token_hash', '=', hashToken(token))
    .where('invitation.expires_at', '>', now)
    .executeTakeFirst();
}

/** The invitations waiting for a person: every one of them goes with one accepted link. */
async function waitingFor(db: Kysely<Database> | Trx, userId: number, now: Date) {
  return db
    .selectFrom('invitation')
    .innerJoin('organisation', 'organisation.id', 'invitation.organisation_id')
    .leftJoin('app_user as inviter', 'inviter.id', 'invitation.invited_by')
    .select(['invitation.id', 'invitation.organisation_id', 'invitation.role', 'organisation.name as organisation_name', 'inviter.display_name as inviter_name'])
    .where('invitation.user_id', '=', userId)
    .where('invitation.expires_at', '>', now)
    .orderBy('organisation.name')
    .orderBy('invitation.role', 'desc')
    .execute();
}

/** What the invitation page shows for a link, or null when the link is not (or no longer) valid. */
export async function findInvitation(db: Kysely<Database>, token: string, now = new Date()): Promise<InvitationView | null> {
  if (!token) return null;
  const live = await liveInvitation(db, token, now);
  if (!live || live.email === null) return null;
  const invitations = await waitingFor(db, live.user_id, now);
  return {
    email: live.email,
    displayName: live.display_name,
    needsPassword: live.password_hash === null,
    invitations: invitations.map((i) => ({ organisationName: i.organisation_name, role: i.role, inviterName: i.inviter_name })),
  };
}

export type AcceptResult =
  | {
      ok: true;
      userId: number;
      joined: Array<{ organisationName: string; role: MembershipRole }>;
      /** A new sign-in, when the person has just chosen their password. */
      session?: { token: string; expiresAt: Date };
    }
  | { ok: false; fields: Partial<Record<'token' | 'displayName' | 'password', string>> };

const INVALID = { ok: false, fields: { token: 'invitation.error.invalid' } } as const;

/** Guessing a 160-bit link is hopeless, but each wrong one writes to the audit log: twenty per
 * quarter hour from one address is more than any person mistyping needs. */
const LINK_MISSES: RateRule = { name: 'invitation-miss:ip', max: 20, windowMs: 15 * 60_000 };

class LinkUsedMeanwhile extends Error {}

/**
 * Accepts with the link: a person without a password chooses a name and one and is signed in;
 * a person who has one (set through "forgot password" meanwhile) keeps it. Every invitation
 * waiting for the address becomes a membership; the link (and theirs) stop working.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  input: { token: string; displayName: string; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<AcceptResult> {
  const live = await liveInvitation(db, input.token, now);
  if (!live) {
    const verdict = await hitRateLimits(db, [[LINK_MISSES, origin.ip]], now);
    if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterMs);
    await recordAudit(db, { actorUserId: null, action: 'invitation.link_refused', ip: origin.ip });
    return INVALID;
  }
  const needsPassword = live.password_hash === null;
  let passwordHash: string | null = null;
  if (needsPassword) {
    const fields: Partial<Record<'displayName' | 'password', string>> = {};
    if (!input.displayName.trim()) fields.displayName = 'error.required';
    const problem = input.password ? await checkNewPassword(input.password, contextWords({ displayName: input.displayName, email: live.email })) : 'error.required';
    if (problem) fields.password = problem;
    if (Object.keys(fields).length > 0) return { ok: false, fields };
    // Hashed before the transaction: on the embedded database it holds the only connection.
    passwordHash = await hashPassword(input.password);
  }
  try {
    return await db.transaction().execute(async (trx) => {
      // The link may have been used, resent or withdrawn since it was read.
      const current = await trx
        .selectFrom('invitation')
        .select('id')
        .where('id', '=', live.id)
        .where('token_hash', '=', hashToken(input.token))
        .where('expires_at', '>', now)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new LinkUsedMeanwhile();
      if (passwordHash !== null) {
        const chosen = await trx
          .updateTable('app_user')
          .set((eb) => ({ password_hash: passwordHash, display_name: input.displayName.trim(), updated_at: now, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)) }))
          .where('id', '=', live.user_id)
          .where('password_hash', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!chosen) throw new LinkUsedMeanwhile();
      } else {
        // The link proved the person reads this mailbox.
        await trx
          .updateTable('app_user')
          .set((eb) => ({ email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)) }))
          .where('id', '=', live.user_id)
          .execute();
      }
      const waiting = await waitingFor(trx, live.user_id, now);
      await trx
        .insertInto('membership')
        .values(waiting.map((w) => ({ organisation_id: w.organisation_id, user_id: live.user_id, role: w.role })))
        .onConflict((oc) => oc.columns(['organisation_id', 'user_id', 'role']).doNothing())
        .execute();
      await trx.deleteFrom('invitation').where('id', 'in', waiting.map((w) => w.id)).execute();
      await dropUnsentMails(trx, waiting.map((w) => w.id));
      for (const w of waiting) {
        await recordAudit(trx, {
          actorUserId: live.user_id,
          action: 'invitation.accepted',
          objectType: 'organisation',
          objectId: w.organisation_id,
          ip: origin.ip,
          details: { role: w.role },
        });
      }
      const joined = waiting.map((w) => ({ organisationName: w.organisation_name, role: w.role }));
      if (passwordHash === null) return { ok: true, userId: live.user_id, joined } as const;
      const { token, session } = await createSession(trx, live.user_id, now);
      return { ok: true, userId: live.user_id, joined, session: { token, expiresAt: session.expiresAt } } as const;
    });
  } catch (error) {
    if (error instanceof LinkUsedMeanwhile) return INVALID;
    throw error;
  }
}

/** Where someone who just joined starts: their activities when they organise, else coordinating. */
export function startPageAfterJoining(joined: Array<{ role: MembershipRole }>): string {
  return homeOf(joined.some((j) => j.role === 'organiser') ? 'organiser' : 'coordinator');
}
