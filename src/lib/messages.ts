import type { Translator } from '../i18n/index.ts';
import type { FormMessage } from './form-state.ts';

/** Turns a message carried through a form round-trip into text; unknown keys read as a
 * generic failure rather than showing a raw key (or anything a client made up). */
export function messageText(t: Translator, message: FormMessage): string {
  if (t.isPlural(message.key)) return t.plural(message.key, message.count ?? 1, message.params);
  return t.has(message.key) ? t(message.key, message.params) : t('error.generic');
}

/**
 * An error message with the name of its field, for the error summary: "Ihr Name: Bitte füllen
 * Sie dieses Feld aus." A label that asks a question ("Wobei brauchen Sie Hilfe?") is followed
 * by the message without a colon.
 */
export function namedFieldMessage(t: Translator, label: string, message: string): string {
  const name = label.trim().replace(/\s*[:：]$/, '');
  return /[?？؟]$/.test(name) ? t('form.errorEntryQuestion', { label: name, message }) : t('form.errorEntry', { label: name, message });
}
