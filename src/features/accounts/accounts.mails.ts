// The mails about a person's own account beyond confirmation and reset: an address that
// already has an account, a new address to confirm, and the old address told of a change.
import type { MailTemplate } from '../outbox/mail-parts.ts';

export type AccountsMailKind = 'address_in_use' | 'change_email' | 'email_changed';

export const ACCOUNTS_TEMPLATES: Record<AccountsMailKind, MailTemplate> = {
  address_in_use: { subject: 'email.addressInUse.subject', lines: (t) => [t('email.addressInUse.body')], ignorable: true },
  // Its link carries a token that changes the account's address: secret (see outbox.ts).
  change_email: { subject: 'email.changeEmail.subject', lines: (t) => [t('email.changeEmail.body')], ignorable: true, secret: ['url'] },
  email_changed: {
    subject: 'email.emailChanged.subject',
    lines: (t, p) => [t('email.emailChanged.body', { email: String(p.newEmail ?? '') }), '', t('email.emailChanged.notYou')],
  },
};
