// The mails matching sends, in the helper's language: a request fits what they offer, or a
// coordinator asks them directly. Only the minimum the public list shows (kind, day, district,
// languages, wishes) — never the asker's name, the address or the note — and a link to the
// request on "Help wanted", where they can take it.
import { formatDate, formatDateTime, languageName } from '../../i18n/format.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import type { MailSettings, MailTemplate, Payload } from '../outbox/mail-parts.ts';

export type MatchingMailKind = 'help_request_fits_you' | 'help_request_asked_directly';

const text = (value: unknown) => String(value ?? '');

/** The request as the public list shows it, one fact a line. */
function requestLines(t: Translator, p: Payload, s: MailSettings): string[] {
  const when = p.startsAt
    ? formatDateTime(t.locale, s.timeZone, new Date(text(p.startsAt)), { standalone: true })
    : t('helpRequests.anyTimeWeekOf', { date: formatDate(t.locale, 'UTC', new Date(`${text(p.weekOf)}T00:00:00Z`)) });
  const languages = Array.isArray(p.languages) ? p.languages.map((l) => languageName(t.locale, text(l))).join(', ') : '';
  const wishes = [p.wantsWoman && t('helpRequests.wish.woman'), p.needsCar && t('helpRequests.wish.car'), p.needsChildSeat && t('helpRequests.wish.childSeat')].filter(Boolean);
  return [
    `  ${t(`helpRequests.kind.${text(p.kind)}` as TextKey)}`,
    `  ${t('helpRequests.day')}: ${when}`,
    `  ${t('helpRequests.district')}: ${text(p.district)}`,
    `  ${t('helpRequests.speaks')}: ${languages}`,
    ...(wishes.length > 0 ? [`  ${t('helpRequests.needs')}: ${wishes.join(', ')}`] : []),
  ];
}

export const MATCHING_TEMPLATES: Record<MatchingMailKind, MailTemplate> = {
  help_request_fits_you: {
    subject: 'helpMatching.mail.fits.subject',
    lines: (t, p, s) => [t('helpMatching.mail.fits.body'), '', ...requestLines(t, p, s), '', t('helpMatching.mail.why')],
  },
  help_request_asked_directly: {
    subject: 'helpMatching.mail.asked.subject',
    lines: (t, p, s) => [t('helpMatching.mail.asked.body', { coordinator: text(p.coordinatorName) }), '', ...requestLines(t, p, s)],
  },
};
