// Renders an outbox message as an e-mail in the recipient's language. Plain text only: no
// user-supplied HTML can reach a mail, and plain text reads well on any phone.
import { translator, type TextKey } from '../../i18n/index.ts';
import type { OutboxMessage } from './outbox.ts';

export interface RenderedMail {
  subject: string;
  text: string;
}

const TEMPLATES: Record<OutboxMessage['kind'], { subject: TextKey; body: TextKey }> = {
  confirm_email: { subject: 'email.confirm.subject', body: 'email.confirm.body' },
  reset_password: { subject: 'email.reset.subject', body: 'email.reset.body' },
};

export function renderMail(message: OutboxMessage, townName: string): RenderedMail {
  const t = translator(message.locale);
  const template = TEMPLATES[message.kind];
  const name = String(message.payload.name ?? '');
  const url = String(message.payload.url ?? '');
  const text = [
    t('email.greeting', { name }),
    '',
    t(template.body),
    '',
    url,
    '',
    t('email.ignore'),
    '',
    t('email.signature', { town: townName }),
    '',
  ].join('\n');
  return { subject: t(template.subject), text };
}
