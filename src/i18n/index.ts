// Typed message catalogue. German (de.ts) defines the keys; every other language must supply
// each key with the same shape, which the type checker and tests/i18n enforce.
import { de } from './messages/de.ts';
import { en } from './messages/en.ts';
import { ar } from './messages/ar.ts';
import { uk } from './messages/uk.ts';
import { tr } from './messages/tr.ts';
import { fa } from './messages/fa.ts';
import { isolate, isolateLatinRuns } from './bidi.ts';
import { fillMessage, fillPlural, type Params, type PluralForms, type Put } from './fill.ts';
import { textDirection, type Locale } from './locales.ts';

export * from './locales.ts';

type Source = typeof de;
export type MessageKey = keyof Source;
export type { Params, PluralForms };
export type Catalogue = { [K in MessageKey]: Source[K] extends string ? string : PluralForms };
export type PluralKey = { [K in MessageKey]: Source[K] extends string ? never : K }[MessageKey];
export type TextKey = Exclude<MessageKey, PluralKey>;

/** Arabic and Persian messages with each Latin fragment (".ics", "https://", "Google", a
 * sample code) in its own isolate, made once: pages, titles and mails all read these. */
function rightToLeft(catalogue: Catalogue): Catalogue {
  const entries = Object.entries(catalogue).map(([key, value]) => [
    key,
    typeof value === 'string' ? isolateLatinRuns(value) : Object.fromEntries(Object.entries(value).map(([form, text]) => [form, isolateLatinRuns(text)])),
  ]);
  return Object.fromEntries(entries) as Catalogue;
}

export const catalogues: Record<Locale, Catalogue> = { de, en, ar: rightToLeft(ar), uk, tr, fa: rightToLeft(fa) };

export interface Translator {
  locale: Locale;
  (key: TextKey, params?: Params): string;
  plural(key: PluralKey, count: number, params?: Params): string;
  /** For keys computed at run time (e.g. 'category.' + name, or a validation message key). */
  has(key: string): key is TextKey;
  isPlural(key: string): key is PluralKey;
}

const translators = new Map<Locale, Translator>();

export function translator(locale: Locale): Translator {
  const cached = translators.get(locale);
  if (cached) return cached;
  const catalogue = catalogues[locale];
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  // How a value goes into a message: numbers in the language's digits; in a right-to-left
  // language every text isolated, as Fluent does, so that a Latin name, title or address keeps
  // its order and leaves the sentence's punctuation where it belongs.
  const rtl = textDirection(locale) === 'rtl';
  const put: Put = (value) => (typeof value === 'number' ? numbers.format(value) : rtl ? isolate(value) : value);
  const t = ((key: TextKey, params?: Params) => fillMessage(catalogue[key] as string, params, put)) as Translator;
  t.locale = locale;
  t.plural = (key, count, params) => fillPlural(catalogue[key] as PluralForms, rules, numbers, count, params, put);
  t.has = (key: string): key is TextKey => typeof (catalogue as Record<string, unknown>)[key] === 'string';
  t.isPlural = (key: string): key is PluralKey => {
    const value = (catalogue as Record<string, unknown>)[key];
    return typeof value === 'object' && value !== null;
  };
  translators.set(locale, t);
  return t;
}
