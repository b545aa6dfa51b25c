// The mails mentoring sends: each kind's subject and body, in the recipient's language. No
// mail ever carries a meeting's private note; only coordinators get the reason for an ending.
import type { MailTemplate } from '../outbox/mail-parts.ts';

export type MentoringMailKind =
  | 'mentoring_application_received'
  | 'mentoring_application_approved'
  | 'mentoring_application_declined'
  | 'mentoring_application_paused'
  | 'mentoring_started_newcomer'
  | 'mentoring_started_kuemmerer'
  | 'mentoring_ended'
  | 'mentoring_ended_coordinator';

const text = (value: unknown) => String(value ?? '');

export const MENTORING_TEMPLATES: Record<MentoringMailKind, MailTemplate> = {
  mentoring_application_received: {
    subject: 'mentoring.mail.received.subject',
    lines: (t) => [t('mentoring.mail.received.body')],
  },
  mentoring_application_approved: {
    subject: 'mentoring.mail.approved.subject',
    lines: (t) => [t('mentoring.mail.approved.body')],
  },
  mentoring_application_declined: {
    subject: 'mentoring.mail.declined.subject',
    lines: (t, p) => [t('mentoring.mail.declined.body'), '', text(p.message)],
  },
  mentoring_application_paused: {
    subject: 'mentoring.mail.paused.subject',
    lines: (t, p) => [t('mentoring.mail.paused.body'), ...(p.message ? ['', text(p.message)] : [])],
  },
  mentoring_started_newcomer: {
    subject: 'mentoring.mail.startedNewcomer.subject',
    lines: (t, p) => [t('mentoring.mail.startedNewcomer.body', { kuemmerer: text(p.otherName) })],
  },
  mentoring_started_kuemmerer: {
    subject: 'mentoring.mail.startedKuemmerer.subject',
    lines: (t, p) => [t('mentoring.mail.startedKuemmerer.body', { mentee: text(p.otherName) })],
  },
  mentoring_ended: {
    subject: 'mentoring.mail.ended.subject',
    lines: (t, p) => [t('mentoring.mail.ended.body', { other: text(p.otherName) })],
  },
  mentoring_ended_coordinator: {
    subject: 'mentoring.mail.endedCoordinator.subject',
    lines: (t, p) => [
      t('mentoring.mail.endedCoordinator.body', { kuemmerer: text(p.kuemmererName), mentee: text(p.newcomerName) }),
      t(p.endedBy === 'kuemmerer' ? 'mentoring.endedBy.kuemmerer' : p.endedBy === 'newcomer' ? 'mentoring.endedBy.newcomer' : 'mentoring.endedBy.coordinator'),
      ...(p.reason ? ['', t('mentoring.mail.reason', { reason: text(p.reason) })] : []),
    ],
  },
};
