// What every mail template is made of, and the lines mails about an activity share. Feature
// modules write their own templates from these (templates.ts gathers them).
import type { Locale } from '../../db/schema.ts';
import { formatWhen, whenSeparator } from '../../i18n/format.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';

export interface MailSettings {
  townName: string;
  timeZone: string;
}

export type Payload = Record<string, unknown>;

/** How one kind of mail is written: its subject key (which may use {title}) and its body lines. */
export interface MailTemplate {
  subject: TextKey;
  lines: (t: Translator, payload: Payload, settings: MailSettings) => string[];
  /** Payload fields that are secrets (a link carrying a token that signs someone in, resets a
   * password or confirms an address): the outbox keeps them apart and removes them as soon as
   * the mail is sent or set aside, so none rests in the database (src/features/outbox/outbox.ts). */
  secret?: readonly string[];
}

/** The activity's title in the recipient's language when the organiser gave one. */
export function activityTitle(payload: Payload, locale: Locale): string {
  const translations = (payload.activityTranslations ?? {}) as Partial<Record<Locale, { title?: string }>>;
  return translations[locale]?.title || String(payload.activityTitle ?? '');
}

export function activityLines(t: Translator, payload: Payload, settings: MailSettings): string[] {
  const when = formatWhen(t.locale, settings.timeZone, new Date(String(payload.startsAt)), new Date(String(payload.endsAt)));
  return [
    `  ${activityTitle(payload, t.locale)}`,
    `  ${when.date}${when.time ? `${whenSeparator(t.locale)}${when.time}` : ''}`,
    ...(payload.place ? [`  ${String(payload.place)}`] : []),
  ];
}

