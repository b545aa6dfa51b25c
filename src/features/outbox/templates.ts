// Renders an outbox message as an e-mail in the recipient's language. Plain text only: no
// user-supplied HTML can reach a mail, and plain text reads well on any phone.
import { translator } from '../../i18n/index.ts';
import { ACCOUNTS_TEMPLATES, type AccountsMailKind } from '../accounts/accounts.mails.ts';
import { MENTORING_TEMPLATES, type MentoringMailKind } from '../mentoring/mentoring.mails.ts';
import { ORGANISATION_TEMPLATES, type OrganisationMailKind } from '../organisations/organisations.mails.ts';
import { VOLUNTEERING_TEMPLATES, type VolunteeringMailKind } from '../volunteering/volunteering.mails.ts';
import { RETENTION_TEMPLATES, type RetentionMailKind } from '../privacy/retention.mails.ts';
import { NOTIFICATIONS_TEMPLATES, type NotificationsMailKind } from '../notifications/notifications.mails.ts';
import { CONSULTATIONS_TEMPLATES, type ConsultationsMailKind } from '../consultations/consultations.mails.ts';
import { HELP_REQUEST_TEMPLATES, type HelpRequestMailKind } from '../help-requests/help-requests.mails.ts';
import { MATCHING_TEMPLATES, type MatchingMailKind } from '../help-requests/matching.mails.ts';
import { ANSWER_LINK_FIELDS, answerLinkLines, hasAnswerLinks } from '../answers/answers.mails.ts';
import { activityLines, activityTitle, dateCount, type MailSettings, type MailTemplate } from './mail-parts.ts';
import type { OutboxMessage } from './outbox.ts';

export type { MailSettings } from './mail-parts.ts';

export interface RenderedMail {
  subject: string;
  text: string;
}

const CORE_TEMPLATES: Record<Exclude<OutboxMessage['kind'], VolunteeringMailKind | MentoringMailKind | AccountsMailKind | OrganisationMailKind | RetentionMailKind | NotificationsMailKind | ConsultationsMailKind | HelpRequestMailKind | MatchingMailKind>, MailTemplate> = {
  // Their links carry a token that works for an hour: secret.
  confirm_email: { subject: 'email.confirm.subject', lines: (t) => [t('email.confirm.body')], ignorable: true, secret: ['url'] },
  reset_password: { subject: 'email.reset.subject', lines: (t) => [t('email.reset.body')], ignorable: true, secret: ['url'] },
  rsvp_going: {
    subject: 'email.rsvpGoing.subject',
    lines: (t, p, s) => [t('email.rsvpGoing.body'), '', ...activityLines(t, p, s), '', t.plural('rsvp.partyOf', Number(p.partySize ?? 1))],
  },
  rsvp_waitlisted: {
    subject: 'email.rsvpWaitlisted.subject',
    lines: (t, p, s) => [t.plural('email.rsvpWaitlisted.body', Number(p.position ?? 1)), '', ...activityLines(t, p, s)],
  },
  // With the one-tap answers (secret: their token answers the RSVP without signing in).
  rsvp_reminder: {
    subject: 'email.reminder.subject',
    lines: (t, p, s) => [
      t('email.reminder.body'),
      '',
      ...activityLines(t, p, s),
      '',
      t.plural('rsvp.partyOf', Number(p.partySize ?? 1)),
      ...(hasAnswerLinks(p) ? ['', ...answerLinkLines(t, p, 'rsvp')] : [t('email.reminder.cancelHint')]),
    ],
    secret: ANSWER_LINK_FIELDS,
  },
  // A change to several dates of a series comes as one mail listing them (see ActivityMails).
  activity_changed: {
    subject: 'email.activityChanged.subject',
    lines: (t, p, s) => [dateCount(p) > 1 ? t.plural('email.datesChanged.body', dateCount(p)) : t('email.activityChanged.body'), '', ...activityLines(t, p, s)],
  },
  activity_cancelled: {
    subject: 'email.activityCancelled.subject',
    lines: (t, p, s) => [
      dateCount(p) > 1 ? t.plural('email.datesCancelled.body', dateCount(p)) : t('email.activityCancelled.body'),
      '',
      ...activityLines(t, p, s),
      '',
      t('activity.cancelReason', { reason: String(p.reason ?? '') }),
    ],
  },
  activity_reinstated: {
    subject: 'email.activityReinstated.subject',
    lines: (t, p, s) => [
      t('email.activityReinstated.body'),
      '',
      ...activityLines(t, p, s),
      '',
      p.waitlisted ? t('email.activityReinstated.waitlisted') : t.plural('rsvp.partyOf', Number(p.partySize ?? 1)),
      t('email.reminder.cancelHint'),
    ],
  },
  rsvp_promoted: {
    subject: 'email.rsvpPromoted.subject',
    lines: (t, p, s) => [
      t('email.rsvpPromoted.body'),
      '',
      ...activityLines(t, p, s),
      '',
      t.plural('rsvp.partyOf', Number(p.partySize ?? 1)),
      ...(hasAnswerLinks(p) ? ['', ...answerLinkLines(t, p, 'rsvp')] : []),
    ],
    secret: ANSWER_LINK_FIELDS,
  },
};

const TEMPLATES: Record<OutboxMessage['kind'], MailTemplate> = { ...CORE_TEMPLATES, ...VOLUNTEERING_TEMPLATES, ...MENTORING_TEMPLATES, ...ACCOUNTS_TEMPLATES, ...ORGANISATION_TEMPLATES, ...RETENTION_TEMPLATES, ...NOTIFICATIONS_TEMPLATES, ...CONSULTATIONS_TEMPLATES, ...HELP_REQUEST_TEMPLATES, ...MATCHING_TEMPLATES };

/** The payload fields of this kind of mail that must not rest in the database once it is sent. */
export function secretFieldsOf(kind: OutboxMessage['kind']): readonly string[] {
  return TEMPLATES[kind]?.secret ?? [];
}

export function renderMail(message: OutboxMessage, settings: MailSettings): RenderedMail {
  const t = translator(message.locale);
  const template = TEMPLATES[message.kind];
  const url = String(message.payload.url ?? '');
  const name = String(message.payload.name ?? '').trim();
  const text = [
    // Someone invited before they gave a name has none yet.
    name ? t('email.greeting', { name }) : t('email.greetingNoName'),
    '',
    ...template.lines(t, message.payload, settings),
    '',
    ...(url ? [url, ''] : []),
    ...(template.ignorable ? [t('email.ignore'), ''] : []),
    t('email.signature', { town: settings.townName }),
    '',
  ].join('\n');
  return { subject: t(template.subject, { title: activityTitle(message.payload, message.locale), ...template.subjectParams?.(message.payload) }), text };
}
