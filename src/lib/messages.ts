import type { Translator } from '../i18n/index.ts';
import type { FormMessage } from './form-state.ts';

/** Turns a message carried through a form round-trip into text; unknown keys read as a
 * generic failure rather than showing a raw key (or anything a client made up). */
export function messageText(t: Translator, message: FormMessage): string {
  if (t.isPlural(message.key)) return t.plural(message.key, message.count ?? 1, message.params);
  return t.has(message.key) ? t(message.key, message.params) : t('error.generic');
}
