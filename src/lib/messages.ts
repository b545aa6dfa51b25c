import type { PluralKey, Translator } from '../i18n/index.ts';
import type { FormMessage } from './form-state.ts';

const PLURAL_KEYS: ReadonlySet<string> = new Set<PluralKey>(['error.rateLimited', 'activity.seatsLeft', 'admin.memberCount']);

/** Turns a message carried through a form round-trip into text; unknown keys read as a
 * generic failure rather than showing a raw key (or anything a client made up). */
export function messageText(t: Translator, message: FormMessage): string {
  if (PLURAL_KEYS.has(message.key)) return t.plural(message.key as PluralKey, message.count ?? 1, message.params);
  return t.has(message.key) ? t(message.key, message.params) : t('error.generic');
}
