// The mail retention sends: the warning, a month ahead, that an account nobody signs in to will
// be deleted, with the day and the way to keep it (signing in).
import { formatDate } from '../../i18n/format.ts';
import type { MailTemplate } from '../outbox/mail-parts.ts';

export type RetentionMailKind = 'account_inactive';

export const RETENTION_TEMPLATES: Record<RetentionMailKind, MailTemplate> = {
  account_inactive: {
    subject: 'retention.mail.subject',
    lines: (t, p, s) => [
      t('retention.mail.body', { date: formatDate(t.locale, s.timeZone, new Date(String(p.deleteAfter)), { year: true, standalone: true }) }),
      '',
      t('retention.mail.keep'),
    ],
  },
};
