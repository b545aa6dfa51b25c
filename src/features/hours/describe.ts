// What an entry of hours was, in the reader's language. Shifts and entries by hand keep the
// words they were made with (an activity's title and role, an organiser's description); a
// Kümmerer meeting and a help request keep only a key, so that they read in each reader's
// language and a certificate never names the newcomer or what the meeting was about.
import type { HoursSource } from '../../db/schema-hours.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';

export function describeHours(t: Translator, entry: { source: HoursSource; description: string }): string {
  if (entry.source === 'meeting') return t('hours.what.meeting');
  if (entry.source === 'help') {
    const kindKey = `helpRequests.kind.${entry.description}`;
    return t.has(kindKey) ? t('hours.what.help', { kind: t(kindKey as TextKey) }) : t('hours.what.helpAny');
  }
  return entry.description;
}

/** The words for where hours came from (a filter, a column). */
export function hoursSourceName(t: Translator, source: HoursSource): string {
  return t(`hours.source.${source}` as TextKey);
}
