// The mails organisations send: an invitation to someone without an account (its link gets its
// secret as it is sent, see src/features/outbox/fresh-links.ts), and the notice to someone with
// an account that they were added. Each in the recipient's language.
import type { MembershipRole } from '../../db/schema.ts';
import type { MailTemplate, Payload } from '../outbox/mail-parts.ts';
import { INVITATION_TTL_MS } from './invitation-links.ts';

export type OrganisationMailKind = 'organisation_invitation' | 'membership_added';

const text = (value: unknown) => String(value ?? '');
const role = (payload: Payload): `role.${MembershipRole}` => (payload.role === 'coordinator' ? 'role.coordinator' : 'role.organiser');
const organisation = (payload: Payload) => ({ organisation: text(payload.organisation) });
const VALID_DAYS = INVITATION_TTL_MS / 86_400_000;

export const ORGANISATION_TEMPLATES: Record<OrganisationMailKind, MailTemplate> = {
  organisation_invitation: {
    subject: 'invitation.mail.subject',
    subjectParams: organisation,
    lines: (t, p, s) => [
      t('invitation.mail.body', { inviter: text(p.inviter), organisation: text(p.organisation), role: t(role(p)), town: s.townName }),
      '',
      t('invitation.mail.ignore'),
      t.plural('invitation.mail.action', VALID_DAYS),
    ],
  },
  membership_added: {
    subject: 'membership.mail.subject',
    subjectParams: organisation,
    lines: (t, p) => [t('membership.mail.body', { inviter: text(p.inviter), organisation: text(p.organisation), role: t(role(p)) }), '', t('membership.mail.where')],
  },
};
