// The audit log of security events: sign-ins, refused access, role changes, exports, deletions.
// It records who did what to which object, never a password, token or private note.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

export type AuditAction =
  | 'account.signed_up'
  | 'account.email_confirmed'
  | 'account.signed_in'
  | 'account.sign_in_failed'
  | 'account.sign_in_rate_limited'
  | 'account.signed_out'
  | 'account.signed_out_everywhere'
  | 'account.password_changed'
  | 'account.password_reset_requested'
  | 'account.password_reset'
  | 'account.profile_updated'
  // Someone tried to sign up with, or change to, an address that has an account: its owner was told.
  | 'account.address_in_use'
  | 'account.email_change_requested'
  | 'account.email_changed'
  | 'account.sign_in_name_changed'
  // Which topics' channels a person changed (src/features/notifications): a message that went
  // missing can be traced to a setting.
  | 'account.notifications_changed'
  | 'access.refused'
  | 'admin.created'
  | 'organisation.created'
  | 'membership.added'
  | 'membership.removed'
  // Organisations (src/features/organisations): details edited, invitations by e-mail.
  | 'organisation.updated'
  | 'invitation.created'
  | 'invitation.resent'
  | 'invitation.withdrawn'
  | 'invitation.accepted'
  | 'invitation.link_refused'
  | 'activity.cancelled'
  | 'activity.reinstated'
  | 'activity.deleted'
  | 'attendees.exported'
  | 'calendar.address_created'
  | 'calendar.address_revoked'
  // Volunteering: an organiser wrote to a role's volunteers.
  | 'volunteers.messaged'
  // Mentoring (src/features/mentoring): decisions, registrations, claim codes, matches.
  | 'mentoring.application_decided'
  | 'mentoring.person_registered'
  | 'mentoring.claim_code_created'
  | 'mentoring.claim_code_redeemed'
  | 'mentoring.claim_code_refused'
  | 'mentoring.assigned'
  | 'mentoring.ended'
  // Retention (src/features/privacy/retention.ts): a run with its counts, periods changed.
  | 'privacy.retention_run'
  | 'privacy.retention_changed'
  // Volunteer hours (src/features/hours/recognition.ts): the volunteer card's threshold changed.
  | 'hours.recognition_changed'
  // Privacy (src/features/privacy): an account erased — by its owner, by a coordinator on the
  // person's behalf, or by retention. The object is the person's pseudonym, never their name.
  | 'account.deleted'
  // Privacy (src/features/privacy): a person's export of their own data, and a coordinator's
  // export of a newcomer's for a formal access request.
  | 'privacy.exported'
  | 'privacy.exported_for_access_request'
  // Privacy (src/features/privacy): the town's legal details (controller, legal notice, accessibility).
  | 'privacy.town_details_changed'
  // Consents (src/features/privacy/consent.ts): given online, recorded from paper, withdrawn.
  | 'consent.given'
  | 'consent.recorded_on_paper'
  | 'consent.withdrawn'
  // Telegram (src/features/telegram): a chat linked to an account, and unlinked — by the person
  // on the portal, by /stop in the chat, by Telegram refusing the chat (blocked), or because
  // another account linked the same chat. Never the chat's number.
  | 'telegram.linked'
  | 'telegram.unlinked'
  // Volunteer hours (src/features/hours/keeping.ts): an entry removed by its keepers, and the
  // deployment list (who served when and where) downloaded.
  | 'hours.removed'
  | 'hours.deployments_exported';

export interface AuditEntry {
  actorUserId: number | null;
  /** Stands for an actor whose account is erased (src/features/privacy/erasure.ts). */
  actorPseudonym?: string | null;
  action: AuditAction;
  objectType?: string;
  objectId?: string | number;
  ip?: string | null;
  details?: Record<string, string | number | boolean | null | string[]>;
}

export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor_user_id: entry.actorUserId,
      actor_pseudonym: entry.actorPseudonym ?? null,
      action: entry.action,
      object_type: entry.objectType ?? null,
      object_id: entry.objectId === undefined ? null : String(entry.objectId),
      ip: entry.ip ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
