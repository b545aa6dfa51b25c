// The weekly programme as a message: "This week in <town>", the week's activities that match
// the person's interests, each with date and time, place, marks and a link, then the whole
// week's list and where to change or stop it. The payload is written by weekly-programme.ts with
// the titles already in the person's language (from the organisers' translations).
import { formatDate, formatWhen, whenSeparator } from '../../i18n/format.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import type { MailSettings, MailTemplate, Payload } from '../outbox/mail-parts.ts';

export type NotificationsMailKind = 'weekly_programme';

/** One activity of the programme, as the payload carries it. */
export interface ProgrammeItem {
  id: number;
  title: string;
  category: string;
  startsAt: string;
  endsAt: string;
  /** The place's name, or null for an activity online. */
  place: string | null;
  online: boolean;
  noGermanNeeded: boolean;
  childcare: boolean;
  url: string;
}

/** The interests the programme was chosen by, as the payload carries them. */
export interface ProgrammeInterestsPayload {
  categories: string[];
  noGermanNeeded: boolean;
  childcare: boolean;
}

function itemsOf(payload: Payload): ProgrammeItem[] {
  return Array.isArray(payload.activities) ? (payload.activities as ProgrammeItem[]) : [];
}

/** "Sprache, Sport · ohne Deutschkenntnisse", or '' when the person chose nothing narrower than everything. */
export function interestsText(t: Translator, interests: ProgrammeInterestsPayload): string {
  const parts = [
    interests.categories.map((c) => (t.has(`category.${c}`) ? t(`category.${c}` as TextKey) : c)).join(', '),
    interests.noGermanNeeded ? t('activity.noGermanNeeded') : '',
    interests.childcare ? t('activity.childcare') : '',
  ].filter(Boolean);
  return parts.join(' · ');
}

/** The lines of one activity: title, when, where, marks, link; indented like activityLines. */
export function programmeItemLines(t: Translator, item: ProgrammeItem, settings: MailSettings): string[] {
  const when = formatWhen(t.locale, settings.timeZone, new Date(item.startsAt), new Date(item.endsAt), { standalone: true });
  const marks = [
    t.has(`category.${item.category}`) ? t(`category.${item.category}` as TextKey) : '',
    item.noGermanNeeded ? t('activity.noGermanNeeded') : '',
    item.childcare ? t('activity.childcare') : '',
  ].filter(Boolean);
  return [
    `  ${item.title}`,
    `  ${when.date}${when.time ? `${whenSeparator(t.locale)}${when.time}` : ''}`,
    `  ${item.online ? t('activity.online') : (item.place ?? '')}`,
    ...(marks.length ? [`  ${marks.join(' · ')}`] : []),
    `  ${item.url}`,
  ].filter((line) => line.trim() !== '');
}

export const NOTIFICATIONS_TEMPLATES: Record<NotificationsMailKind, MailTemplate> = {
  weekly_programme: {
    subject: 'notifications.weekly.subject',
    subjectParams: (p) => ({ town: String(p.town ?? '') }),
    lines: (t, p, s) => {
      const day = (iso: unknown) => formatDate(t.locale, s.timeZone, new Date(String(iso)), { standalone: true });
      const interests = interestsText(t, (p.interests ?? { categories: [], noGermanNeeded: false, childcare: false }) as ProgrammeInterestsPayload);
      const more = Number(p.more ?? 0);
      return [
        t('notifications.weekly.intro', { town: String(p.town ?? s.townName), from: day(p.firstDay), to: day(p.lastDay) }),
        ...(interests ? [t('notifications.weekly.chosenFor', { interests })] : []),
        '',
        ...itemsOf(p).flatMap((item) => [...programmeItemLines(t, item, s), '']),
        ...(more > 0 ? [t.plural('notifications.weekly.more', more), String(p.listUrl ?? ''), ''] : [t('notifications.weekly.all'), String(p.listUrl ?? ''), '']),
        t('notifications.weekly.change'),
      ];
    },
  },
};
