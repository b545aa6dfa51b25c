// "3 days ago" in the reader's language, with its own plural rules (Intl knows them all).
import type { Locale } from '../../../i18n/locales.ts';

export function waitedFor(locale: Locale, since: Date, now: Date): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const hours = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 3_600_000));
  if (hours < 24) return format.format(-hours, 'hour');
  const days = Math.floor(hours / 24);
  return days < 14 ? format.format(-days, 'day') : format.format(-Math.floor(days / 7), 'week');
}
