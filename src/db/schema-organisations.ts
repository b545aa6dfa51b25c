// Table types for invitations to an organisation (db/migrations/20261207_1201_invitations.ts,
// 20261207_1600_invitation_account_flag.ts, 20261207_1601_invitation_links_at_once.ts).
import type { Generated } from 'kysely';
import type { CreatedAt, MembershipRole, Timestamp } from './schema.ts';

export interface InvitationTable {
  id: Generated<number>;
  organisation_id: number;
  user_id: number;
  role: MembershipRole;
  /** SHA-256 of the link's secret, made with the invitation and again when it is resent; null
   * only for an invitation made before that whose mail had been set aside (resending mends it). */
  token_hash: string | null;
  expires_at: Timestamp;
  invited_by: number | null;
  sent_at: Timestamp;
  created_at: CreatedAt;
}

export interface OrganisationTables {
  invitation: InvitationTable;
}
