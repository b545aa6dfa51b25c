// The mails help requests send, in the recipient's language. They name the other side by first
// name only and never carry the address or the note: those wait on the request's page, behind
// the sign-in, so a forwarded or mislaid mail gives nothing away.
import { formatDate, formatDateTime, languageName } from '../../i18n/format.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import type { MailSettings, MailTemplate, Payload } from '../outbox/mail-parts.ts';

export type HelpRequestMailKind =
  | 'help_request_taken_asker'
  | 'help_request_taken_helper'
  | 'help_request_handed_back'
  | 'help_request_thanks'
  | 'help_requests_unanswered'
  | 'help_request_expired';

const text = (value: unknown) => String(value ?? '');

/** "Interpreting, Thursday 10 December 2026, 09:00" — what the request is and when. */
function whatAndWhen(t: Translator, p: Payload, s: MailSettings): string {
  const kind = t(`helpRequests.kind.${text(p.kind)}` as TextKey);
  const when = p.startsAt
    ? formatDateTime(t.locale, s.timeZone, new Date(text(p.startsAt)))
    : t('helpRequests.anyTimeWeekOf', { date: formatDate(t.locale, 'UTC', new Date(`${text(p.weekOf)}T00:00:00Z`)) });
  return `${kind}: ${when}`;
}

/** "You can reach Vera: 0170 …" when the other side shared something; nothing otherwise. */
function contactLines(t: Translator, p: Payload): string[] {
  const contact = text(p.otherContact);
  return contact ? ['', t('helpCoordination.mail.contact', { name: text(p.otherName), contact })] : [];
}

/** One line per request for the coordinators: what, when, languages, its page. */
function requestLines(t: Translator, r: Payload, s: MailSettings): string[] {
  const languages = Array.isArray(r.languages) ? (r.languages as string[]).map((l) => languageName(t.locale, l)).join(', ') : '';
  return [`  – ${whatAndWhen(t, r, s)} · ${languages}`, `    ${text(r.url)}`];
}

export const HELP_REQUEST_TEMPLATES: Record<HelpRequestMailKind, MailTemplate> = {
  help_request_taken_asker: {
    subject: 'helpRequests.mail.takenAsker.subject',
    lines: (t, p, s) => [
      p.forName ? t('helpCoordination.mail.takenPoster', { helper: text(p.otherName), name: text(p.forName) }) : t('helpRequests.mail.takenAsker.body', { helper: text(p.otherName) }),
      '',
      whatAndWhen(t, p, s),
      ...contactLines(t, p),
    ],
  },
  help_request_taken_helper: {
    subject: 'helpRequests.mail.takenHelper.subject',
    lines: (t, p, s) => [t('helpRequests.mail.takenHelper.body', { asker: text(p.otherName) }), '', whatAndWhen(t, p, s), ...contactLines(t, p)],
  },
  help_request_thanks: {
    subject: 'helpCoordination.mail.thanks.subject',
    lines: (t, p, s) => [t('helpCoordination.mail.thanks.body', { asker: text(p.otherName) }), '', whatAndWhen(t, p, s), ...(p.message ? ['', text(p.message)] : [])],
  },
  help_requests_unanswered: {
    subject: 'helpCoordination.mail.unanswered.subject',
    lines: (t, p, s) => [t('helpCoordination.mail.unanswered.body'), '', ...(Array.isArray(p.requests) ? (p.requests as Payload[]).flatMap((r) => requestLines(t, r, s)) : [])],
  },
  help_request_expired: {
    subject: 'helpCoordination.mail.expired.subject',
    lines: (t, p, s) => [t('helpCoordination.mail.expired.body'), '', whatAndWhen(t, p, s)],
  },
  help_request_handed_back: {
    subject: 'helpRequests.mail.handedBack.subject',
    lines: (t, p, s) => [t(p.toAsker ? 'helpRequests.mail.handedBack.bodyAsker' : 'helpRequests.mail.handedBack.bodyHelper', { other: text(p.otherName) }), '', whatAndWhen(t, p, s)],
  },
};
