// The mail consultation hours send: the booking's confirmation, in the person's language. It
// says when an interpreter is needed, so that the person knows it is being looked into.
import { formatWhen, languageName, whenSeparator } from '../../i18n/format.ts';
import type { TextKey } from '../../i18n/index.ts';
import type { MailTemplate } from '../outbox/mail-parts.ts';

export type ConsultationsMailKind = 'consultation_booked';

const text = (value: unknown) => String(value ?? '');

export const CONSULTATIONS_TEMPLATES: Record<ConsultationsMailKind, MailTemplate> = {
  consultation_booked: {
    subject: 'consultations.mail.booked.subject',
    subjectParams: (p) => ({ organisation: text(p.organisationName) }),
    lines: (t, p, s) => {
      const when = formatWhen(t.locale, s.timeZone, new Date(text(p.startsAt)), new Date(text(p.endsAt)), { standalone: true });
      return [
        t('consultations.mail.booked.body', { organisation: text(p.organisationName) }),
        '',
        `  ${when.date}${when.time ? `${whenSeparator(t.locale)}${when.time}` : ''}`,
        `  ${p.remote ? t('consultations.remote') : text(p.place)}`,
        `  ${t('consultations.topic')}: ${t(`consultations.topic.${text(p.topic)}` as TextKey)}`,
        `  ${t('consultations.language')}: ${languageName(t.locale, text(p.language))}`,
        ...(p.interpreterNeeded ? ['', t('consultations.interpreterNeededLong')] : []),
        '',
        t('consultations.mail.booked.cancelHint'),
      ];
    },
  },
};
