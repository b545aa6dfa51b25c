// The mails organisations send: an invitation to someone without an account, and the notice to
// someone with an account that they were added. Each in the recipient's language.
import type { MembershipRole } from '../../db/schema.ts';
import type { MailTemplate, Payload } from '../outbox/mail-parts.ts';

/** How long an invitation link works: seven days, long enough for a volunteer who reads mail
 * at the weekend, short enough to retire a link forgotten in a mailbox. It sits with the mail
 * that promises it (the outbox reads these templates, so the service cannot hold it without an
 * import cycle); the service makes links that last as long. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type OrganisationMailKind = 'organisation_invitation' | 'membership_added';

const text = (value: unknown) => String(value ?? '');
const role = (payload: Payload): `role.${MembershipRole}` => (payload.role === 'coordinator' ? 'role.coordinator' : 'role.organiser');
const organisation = (payload: Payload) => ({ organisation: text(payload.organisation) });
const VALID_DAYS = INVITATION_TTL_MS / 86_400_000;

export const ORGANISATION_TEMPLATES: Record<OrganisationMailKind, MailTemplate> = {
  // Its link lets someone choose the account's password for seven days: secret (see outbox.ts).
  organisation_invitation: {
    subject: 'invitation.mail.subject',
    subjectParams: organisation,
    lines: (t, p, s) => [
      t('invitation.mail.body', { inviter: text(p.inviter), organisation: text(p.organisation), role: t(role(p)), town: s.townName }),
      '',
      t('invitation.mail.ignore'),
      t.plural('invitation.mail.action', VALID_DAYS),
    ],
    secret: ['url'],
  },
  membership_added: {
    subject: 'membership.mail.subject',
    subjectParams: organisation,
    lines: (t, p) => [t('membership.mail.body', { inviter: text(p.inviter), organisation: text(p.organisation), role: t(role(p)) }), '', t('membership.mail.where')],
  },
};
