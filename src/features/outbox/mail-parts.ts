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

/** How one kind of mail is written: its subject key (which may use {title}, and whatever
 * subjectParams gives) and its body lines. */
export interface MailTemplate {
  subject: TextKey;
  subjectParams?: (payload: Payload) => Record<string, string>;
  lines: (t: Translator, payload: Payload, settings: MailSettings) => string[];
  /** Ends with "if this wasn't you, ignore this mail": for mails anyone could have caused. */
  ignorable?: boolean;
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

/** A mail about several dates of a series carries them as `dates` (see ActivityMails). */
interface MailDate {
  startsAt: string;
  endsAt: string;
  place: string | null;
}

function mailDates(payload: Payload): MailDate[] | null {
  return Array.isArray(payload.dates) && payload.dates.length > 1 ? (payload.dates as MailDate[]) : null;
}

/** How many dates the mail is about: 1, or the number of dates it lists. */
export function dateCount(payload: Payload): number {
  return mailDates(payload)?.length ?? 1;
}

export function activityLines(t: Translator, payload: Payload, settings: MailSettings): string[] {
  // A mail is read on its own, like a letter: a Persian date has the Gregorian one beside it.
  const whenText = (startsAt: unknown, endsAt: unknown) => {
    const when = formatWhen(t.locale, settings.timeZone, new Date(String(startsAt)), new Date(String(endsAt)), { standalone: true });
    return `${when.date}${when.time ? `${whenSeparator(t.locale)}${when.time}` : ''}`;
  };
  const dates = mailDates(payload);
  if (dates) {
    return [`  ${activityTitle(payload, t.locale)}`, ...dates.map((d) => `  – ${whenText(d.startsAt, d.endsAt)}${d.place ? ` · ${d.place}` : ''}`)];
  }
  return [
    `  ${activityTitle(payload, t.locale)}`,
    `  ${whenText(payload.startsAt, payload.endsAt)}`,
    ...(payload.place ? [`  ${String(payload.place)}`] : []),
  ];
}

