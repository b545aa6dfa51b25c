// What one-tap answers add to mails: the two links of a reminder or a promotion notice, and
// the mail that tells organisers a volunteer cannot make it. The links are secret fields of
// their templates (ANSWER_LINK_FIELDS): the outbox keeps them apart and empties them once the
// mail is sent (src/features/outbox/outbox.ts).
import type { Translator } from '../../i18n/index.ts';
import { activityLines, type MailTemplate, type Payload } from '../outbox/mail-parts.ts';

/** The payload fields that carry a link's token. */
export const ANSWER_LINK_FIELDS = ['comingUrl', 'notComingUrl'] as const;

/** Whether the mail carries answer links (a mail written before they existed does not). */
export function hasAnswerLinks(payload: Payload): boolean {
  return typeof payload.comingUrl === 'string' && typeof payload.notComingUrl === 'string';
}

/**
 * "Please let us know – one tap is enough:", then each answer's words on a line of their own
 * and its address alone on the next, so that every mail program finds the link whole (an
 * address inside a right-to-left sentence would be isolated, and the isolates taken into it).
 */
export function answerLinkLines(t: Translator, payload: Payload, about: 'rsvp' | 'shift' | 'booking'): string[] {
  if (!hasAnswerLinks(payload)) return [];
  const [ask, coming, notComing] =
    about === 'rsvp'
      ? (['answers.mail.ask', 'answers.mail.coming', 'answers.mail.notComing'] as const)
      : about === 'booking'
        ? (['answers.mail.ask', 'answers.mail.coming', 'consultations.answer.mailNotComing'] as const)
        : (['answers.mail.askShift', 'answers.mail.shiftComing', 'answers.mail.shiftNotComing'] as const);
  return [t(ask), '', t(coming), String(payload.comingUrl), '', t(notComing), String(payload.notComingUrl)];
}

/** To the organisers: a volunteer answered "I can't make it" and is no longer on the shift. */
export const VOLUNTEER_WITHDREW_TEMPLATE: MailTemplate = {
  subject: 'answers.mail.withdrew.subject',
  subjectParams: (p) => ({ role: String(p.roleName ?? '') }),
  lines: (t, p, s) => [
    t('answers.mail.withdrew.body', { name: String(p.volunteerName ?? ''), role: String(p.roleName ?? '') }),
    '',
    ...activityLines(t, p, s),
    '',
    t('answers.mail.withdrew.hint'),
  ],
};
