// Renders an outbox message as an e-mail in the recipient's language. Plain text only: no
// user-supplied HTML can reach a mail, and plain text reads well on any phone.
import type { Locale } from '../../db/schema.ts';
import { formatWhen, whenSeparator } from '../../i18n/format.ts';
import { translator, type TextKey, type Translator } from '../../i18n/index.ts';
import type { OutboxMessage } from './outbox.ts';

export interface RenderedMail {
  subject: string;
  text: string;
}

export interface MailSettings {
  townName: string;
  timeZone: string;
}

type Payload = Record<string, unknown>;

/** The activity's title in the recipient's language when the organiser gave one. */
function activityTitle(payload: Payload, locale: Locale): string {
  const translations = (payload.activityTranslations ?? {}) as Partial<Record<Locale, { title?: string }>>;
  return translations[locale]?.title || String(payload.activityTitle ?? '');
}

function activityLines(t: Translator, payload: Payload, settings: MailSettings): string[] {
  const when = formatWhen(t.locale, settings.timeZone, new Date(String(payload.startsAt)), new Date(String(payload.endsAt)));
  return [
    `  ${activityTitle(payload, t.locale)}`,
    `  ${when.date}${when.time ? `${whenSeparator(t.locale)}${when.time}` : ''}`,
    ...(payload.place ? [`  ${String(payload.place)}`] : []),
  ];
}

const TEMPLATES: Record<OutboxMessage['kind'], { subject: TextKey; lines: (t: Translator, p: Payload, s: MailSettings) => string[] }> = {
  confirm_email: { subject: 'email.confirm.subject', lines: (t) => [t('email.confirm.body')] },
  reset_password: { subject: 'email.reset.subject', lines: (t) => [t('email.reset.body')] },
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
