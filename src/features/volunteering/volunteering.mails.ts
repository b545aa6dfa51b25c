// The mails volunteering sends: each kind's subject and body, in the recipient's language.
// Every one names the role and shows the activity at the shift's time (see shiftMail).
import type { Translator } from '../../i18n/index.ts';
import { ANSWER_LINK_FIELDS, answerLinkLines, hasAnswerLinks, VOLUNTEER_WITHDREW_TEMPLATE } from '../answers/answers.mails.ts';
import { activityLines, dateCount, type MailTemplate, type Payload } from '../outbox/mail-parts.ts';

export type VolunteeringMailKind =
  | 'volunteer_signed_up'
  | 'volunteer_role_changed'
  | 'volunteer_role_removed'
  | 'volunteer_activity_changed'
  | 'volunteer_activity_cancelled'
  | 'volunteer_activity_reinstated'
  | 'volunteer_reminder'
  | 'volunteer_message'
  // To the organisers: a volunteer left the portal, so their place in a shift is free again.
  | 'volunteer_left_organiser'
  // To the organisers: a volunteer answered a reminder with "I can't make it" and was withdrawn.
  | 'volunteer_withdrew_organiser';

const role = (p: Payload) => ({ role: String(p.roleName ?? '') });
const bring = (t: Translator, p: Payload) => (p.whatToBring ? ['', `${t('volunteer.whatToBring')}: ${String(p.whatToBring)}`] : []);

export const VOLUNTEERING_TEMPLATES: Record<VolunteeringMailKind, MailTemplate> = {
  volunteer_signed_up: {
    subject: 'volunteer.email.signedUp.subject',
    lines: (t, p, s) => [t('volunteer.email.signedUp.body', role(p)), '', ...activityLines(t, p, s), ...bring(t, p), '', t('volunteer.email.withdrawHint')],
  },
  volunteer_role_changed: {
    subject: 'volunteer.email.roleChanged.subject',
    lines: (t, p, s) => [t('volunteer.email.roleChanged.body', role(p)), '', ...activityLines(t, p, s), '', t('volunteer.email.withdrawHint')],
  },
  volunteer_role_removed: {
    subject: 'volunteer.email.roleRemoved.subject',
    lines: (t, p, s) => [t('volunteer.email.roleRemoved.body', role(p)), '', ...activityLines(t, p, s)],
  },
  // A change to several dates of a series comes as one mail listing them (see ActivityMails).
  volunteer_activity_changed: {
    subject: 'volunteer.email.activityChanged.subject',
    lines: (t, p, s) => [
      dateCount(p) > 1 ? t.plural('volunteer.email.datesChanged.body', dateCount(p), role(p)) : t('volunteer.email.activityChanged.body', role(p)),
      '',
      ...activityLines(t, p, s),
      '',
      t('volunteer.email.withdrawHint'),
    ],
  },
  volunteer_activity_cancelled: {
    subject: 'volunteer.email.activityCancelled.subject',
    lines: (t, p, s) => [
      dateCount(p) > 1 ? t.plural('volunteer.email.datesCancelled.body', dateCount(p), role(p)) : t('volunteer.email.activityCancelled.body', role(p)),
      '',
      ...activityLines(t, p, s),
      '',
      t('activity.cancelReason', { reason: String(p.reason ?? '') }),
    ],
  },
  volunteer_activity_reinstated: {
    subject: 'volunteer.email.activityReinstated.subject',
    lines: (t, p, s) => [t('volunteer.email.activityReinstated.body', role(p)), '', ...activityLines(t, p, s), '', t('volunteer.email.withdrawHint')],
  },
  // With the one-tap answers (secret: their token answers the shift without signing in).
  volunteer_reminder: {
    subject: 'volunteer.email.reminder.subject',
    lines: (t, p, s) => [
      t('volunteer.email.reminder.body', role(p)),
      '',
      ...activityLines(t, p, s),
      ...bring(t, p),
      '',
      ...(hasAnswerLinks(p) ? answerLinkLines(t, p, 'shift') : [t('volunteer.email.withdrawHint')]),
    ],
    secret: ANSWER_LINK_FIELDS,
  },
  volunteer_message: {
    subject: 'volunteer.email.message.subject',
    // The organiser's text is plain text as typed; mails are plain text, so nothing in it runs.
    lines: (t, p, s) => [
      t('volunteer.email.message.intro', { from: String(p.from ?? ''), ...role(p) }),
      '',
      String(p.subject ?? ''),
      '',
      ...String(p.body ?? '').split(/\r?\n/),
      '',
      ...activityLines(t, p, s),
    ],
  },
  // Names no volunteer: the one who left has deleted their account.
  volunteer_left_organiser: {
    subject: 'erasure.mail.volunteerLeft.subject',
    lines: (t, p, s) => [
      dateCount(p) > 1 ? t.plural('erasure.mail.volunteerLeft.dates', dateCount(p), role(p)) : t('erasure.mail.volunteerLeft.body', role(p)),
      '',
      ...activityLines(t, p, s),
      '',
      t('erasure.mail.volunteerLeft.hint'),
    ],
  },
  volunteer_withdrew_organiser: VOLUNTEER_WITHDREW_TEMPLATE,
};
