// Renders an outbox message as an e-mail in the recipient's language. Plain text only: no
// user-supplied HTML can reach a mail, and plain text reads well on any phone.
import { translator } from '../../i18n/index.ts';
import { MENTORING_TEMPLATES, type MentoringMailKind } from '../mentoring/mentoring.mails.ts';
import { VOLUNTEERING_TEMPLATES, type VolunteeringMailKind } from '../volunteering/volunteering.mails.ts';
import { activityLines, activityTitle, type MailSettings, type MailTemplate } from './mail-parts.ts';
import type { OutboxMessage } from './outbox.ts';

export type { MailSettings } from './mail-parts.ts';

export interface RenderedMail {
  subject: string;
  text: string;
}

const CORE_TEMPLATES: Record<Exclude<OutboxMessage['kind'], VolunteeringMailKind | MentoringMailKind>, MailTemplate> = {
  // Their links carry a token that works for an hour: secret.
  confirm_email: { subject: 'email.confirm.subject', lines: (t) => [t('email.confirm.body')], secret: ['url'] },
  reset_password: { subject: 'email.reset.subject', lines: (t) => [t('email.reset.body')], secret: ['url'] },
  rsvp_going: {
    subject: 'email.rsvpGoing.subject',
    lines: (t, p, s) => [t('email.rsvpGoing.body'), '', ...activityLines(t, p, s), '', t.plural('rsvp.partyOf', Number(p.partySize ?? 1))],
  },
  rsvp_waitlisted: {
    subject: 'email.rsvpWaitlisted.subject',
    lines: (t, p, s) => [t.plural('email.rsvpWaitlisted.body', Number(p.position ?? 1)), '', ...activityLines(t, p, s)],
  },
  rsvp_reminder: {
    subject: 'email.reminder.subject',
    lines: (t, p, s) => [t('email.reminder.body'), '', ...activityLines(t, p, s), '', t.plural('rsvp.partyOf', Number(p.partySize ?? 1)), t('email.reminder.cancelHint')],
  },
  activity_changed: {
    subject: 'email.activityChanged.subject',
    lines: (t, p, s) => [t('email.activityChanged.body'), '', ...activityLines(t, p, s)],
  },
  activity_cancelled: {
    subject: 'email.activityCancelled.subject',
    lines: (t, p, s) => [t('email.activityCancelled.body'), '', ...activityLines(t, p, s), '', t('activity.cancelReason', { reason: String(p.reason ?? '') })],
  },
  rsvp_promoted: {
    subject: 'email.rsvpPromoted.subject',
    lines: (t, p, s) => [t('email.rsvpPromoted.body'), '', ...activityLines(t, p, s), '', t.plural('rsvp.partyOf', Number(p.partySize ?? 1))],
  },
};

const TEMPLATES: Record<OutboxMessage['kind'], MailTemplate> = { ...CORE_TEMPLATES, ...VOLUNTEERING_TEMPLATES, ...MENTORING_TEMPLATES };

/** The payload fields of this kind of mail that must not rest in the database once it is sent. */
export function secretFieldsOf(kind: OutboxMessage['kind']): readonly string[] {
  return TEMPLATES[kind]?.secret ?? [];
}

export function renderMail(message: OutboxMessage, settings: MailSettings): RenderedMail {
  const t = translator(message.locale);
  const template = TEMPLATES[message.kind];
  const url = String(message.payload.url ?? '');
  const text = [
    t('email.greeting', { name: String(message.payload.name ?? '') }),
    '',
    ...template.lines(t, message.payload, settings),
    '',
    url,
    '',
    ...(message.kind === 'confirm_email' || message.kind === 'reset_password' ? [t('email.ignore'), ''] : []),
    t('email.signature', { town: settings.townName }),
    '',
  ].join('\n');
  return { subject: t(template.subject, { title: activityTitle(message.payload, message.locale) }), text };
}
