// The mails mentoring sends: each kind's subject and body, in the recipient's language. No
// mail ever carries a meeting's private note; only coordinators get the reason for an ending.
import type { Translator } from '../../i18n/index.ts';
import { formatDate } from '../../i18n/format.ts';
import type { MailTemplate, Payload } from '../outbox/mail-parts.ts';

export type MentoringMailKind =
  | 'mentoring_application_received'
  | 'mentoring_application_approved'
  | 'mentoring_application_declined'
  | 'mentoring_application_paused'
  | 'mentoring_started_newcomer'
  | 'mentoring_started_kuemmerer'
  | 'mentoring_ended'
  | 'mentoring_ended_coordinator'
  // Someone left the portal (deleted their account): their Kümmerer, or their mentee, is told.
  | 'mentoring_mentee_left'
  | 'mentoring_kuemmerer_left';

const text = (value: unknown) => String(value ?? '');
/** A person's text as typed, line by line: mails are plain text, so nothing in it is markup. */
const typed = (value: unknown) => text(value).split(/\r?\n/);
/** What the coordinator wrote with a decision, under its heading (nothing when they wrote nothing). */
const coordinatorMessage = (t: Translator, p: Payload) => (p.message ? ['', t('kuemmerer.decisionMessage'), ...typed(p.message)] : []);

export const MENTORING_TEMPLATES: Record<MentoringMailKind, MailTemplate> = {
  mentoring_application_received: {
    subject: 'mentoring.mail.received.subject',
    lines: (t) => [t('mentoring.mail.received.body')],
  },
  mentoring_application_approved: {
    subject: 'mentoring.mail.approved.subject',
    // Approving and resuming both send this; the coordinator's words come with it.
    lines: (t, p) => [t('mentoring.mail.approved.body'), ...coordinatorMessage(t, p)],
  },
  mentoring_application_declined: {
    subject: 'mentoring.mail.declined.subject',
    lines: (t, p) => [t('mentoring.mail.declined.body'), '', ...typed(p.message)],
  },
  mentoring_application_paused: {
    subject: 'mentoring.mail.paused.subject',
    lines: (t, p) => [t('mentoring.mail.paused.body'), ...coordinatorMessage(t, p)],
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
  // No name: the person's account is gone. The day the mentoring began tells the Kümmerer who.
  mentoring_mentee_left: {
    subject: 'erasure.mail.menteeLeft.subject',
    lines: (t, p, s) => [t('erasure.mail.menteeLeft.body', { date: formatDate(t.locale, s.timeZone, new Date(text(p.startedAt)), { year: true, standalone: true }) }), '', t('erasure.mail.menteeLeft.notes')],
  },
  mentoring_kuemmerer_left: {
    subject: 'erasure.mail.kuemmererLeft.subject',
    lines: (t) => [t('erasure.mail.kuemmererLeft.body')],
  },
};
