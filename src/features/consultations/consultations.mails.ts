// The mails consultation hours send, each in the recipient's language: the booking's
// confirmation (it says when an interpreter is looked for, and who booked on the person's
// behalf), the reminder the day before with the one-tap answers, an hour changed or cancelled
// by the office, and — to a helper who had taken the interpreting — that the booking was
// cancelled and they are no longer needed.
import { formatDateTime, formatWhen, languageName, whenSeparator } from '../../i18n/format.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import type { MailSettings, MailTemplate, Payload } from '../outbox/mail-parts.ts';
import { ANSWER_LINK_FIELDS, answerLinkLines } from '../answers/answers.mails.ts';

export type ConsultationsMailKind = 'consultation_booked' | 'consultation_reminder' | 'consultation_hour_changed' | 'consultation_hour_cancelled' | 'help_request_withdrawn_helper';

const text = (value: unknown) => String(value ?? '');

/** The slot's time, place, topic and language, indented as in the other mails. */
function slotLines(t: Translator, p: Payload, s: MailSettings): string[] {
  const when = formatWhen(t.locale, s.timeZone, new Date(text(p.startsAt)), new Date(text(p.endsAt)), { standalone: true });
  return [
    `  ${when.date}${when.time ? `${whenSeparator(t.locale)}${when.time}` : ''}`,
    `  ${p.remote ? t('consultations.remote') : text(p.place)}`,
    `  ${t('consultations.topic')}: ${t(`consultations.topic.${text(p.topic)}` as TextKey)}`,
    `  ${t('consultations.language')}: ${languageName(t.locale, text(p.language))}`,
  ];
}

export const CONSULTATIONS_TEMPLATES: Record<ConsultationsMailKind, MailTemplate> = {
  consultation_booked: {
    subject: 'consultations.mail.booked.subject',
    subjectParams: (p) => ({ organisation: text(p.organisationName) }),
    lines: (t, p, s) => [
      t('consultations.mail.booked.body', { organisation: text(p.organisationName) }),
      ...(p.bookedByName ? ['', t('consultations.mail.bookedBy', { name: text(p.bookedByName) })] : []),
      '',
      ...slotLines(t, p, s),
      ...(p.interpreterNeeded ? ['', t('consultations.interpreterNeededLong'), t('consultations.interpreter.looking')] : []),
      '',
      t('consultations.mail.booked.cancelHint'),
    ],
  },
  consultation_reminder: {
    subject: 'consultations.mail.reminder.subject',
    subjectParams: (p) => ({ organisation: text(p.organisationName) }),
    lines: (t, p, s) => [t('consultations.mail.reminder.body', { organisation: text(p.organisationName) }), '', ...slotLines(t, p, s), '', ...answerLinkLines(t, p, 'booking')],
    secret: ANSWER_LINK_FIELDS,
  },
  consultation_hour_changed: {
    subject: 'consultations.mail.changed.subject',
    subjectParams: (p) => ({ organisation: text(p.organisationName) }),
    lines: (t, p, s) => [
      t('consultations.mail.changed.body', { organisation: text(p.organisationName) }),
      '',
      ...(p.placeChanged ? [t('consultations.mail.changed.place')] : []),
      ...(p.languageGone ? [t('consultations.mail.changed.language')] : []),
      '',
      ...slotLines(t, p, s),
      ...(p.interpreterNeeded ? ['', t('consultations.interpreter.looking')] : []),
    ],
  },
  consultation_hour_cancelled: {
    subject: 'consultations.mail.hourCancelled.subject',
    subjectParams: (p) => ({ organisation: text(p.organisationName) }),
    lines: (t, p, s) => [t('consultations.mail.hourCancelled.body', { organisation: text(p.organisationName) }), '', ...slotLines(t, p, s), '', t('consultations.mail.hourCancelled.rebook')],
  },
  help_request_withdrawn_helper: {
    subject: 'consultations.mail.withdrawnHelper.subject',
    lines: (t, p, s) => [
      t('consultations.mail.withdrawnHelper.body', { asker: text(p.otherName) }),
      '',
      `${t(`helpRequests.kind.${text(p.kind)}` as TextKey)}: ${p.startsAt ? formatDateTime(t.locale, s.timeZone, new Date(text(p.startsAt))) : ''}`,
      '',
      t('consultations.mail.withdrawnHelper.thanks'),
    ],
  },
};
