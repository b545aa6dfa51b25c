// Names of topics, languages and contact ways in the reader's language, for pages.
import type { TextKey, Translator } from '../../../i18n/index.ts';
import { contactPreferencesFor, MENTORING_LANGUAGES, MENTORING_TOPICS } from '../mentoring.schema.ts';
import { languageName } from '../../../i18n/format.ts';

export function mentoringLabels(t: Translator) {
  const topic = (key: string) => (t.has(`mentoring.topic.${key}`) ? t(`mentoring.topic.${key}` as TextKey) : key);
  const language = (code: string) => languageName(t.locale, code);
  const contact = (key: string) => (t.has(`mentoring.contact.${key}`) ? t(`mentoring.contact.${key}` as TextKey) : key);
  return {
    topic,
    language,
    contact,
    topics: (keys: readonly string[]) => keys.map(topic).join(' · '),
    languages: (codes: readonly string[]) => codes.map(language).join(' · '),
    topicOptions: MENTORING_TOPICS.map((k) => ({ value: k, label: topic(k) })),
    languageOptions: MENTORING_LANGUAGES.map((code) => ({ value: code, label: language(code) })),
    /** The ways offered to reach a person: by e-mail only when they have an address. */
    contactOptions: (hasEmail: boolean) => contactPreferencesFor(hasEmail).map((k) => ({ value: k, label: contact(k) })),
  };
}
