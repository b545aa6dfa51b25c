// Typed message catalogue. German (de.ts) defines the keys; every other language must supply
// each key with the same shape, which the type checker and tests/i18n enforce.
import { de } from './messages/de.ts';
import { en } from './messages/en.ts';
import { ar } from './messages/ar.ts';
import { uk } from './messages/uk.ts';
import { tr } from './messages/tr.ts';
import { fa } from './messages/fa.ts';
import { isolate, isolateLatinRuns } from './bidi.ts';
import { textDirection, type Locale } from './locales.ts';

export * from './locales.ts';

type Source = typeof de;
export type MessageKey = keyof Source;
/** A plural message: one form per Intl.PluralRules category; 'other' is always there. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
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

export type Params = Record<string, string | number>;

export interface Translator {
  locale: Locale;
  (key: TextKey, params?: Params): string;
  plural(key: PluralKey, count: number, params?: Params): string;
  /** For keys computed at run time (e.g. 'category.' + name, or a validation message key). */
  has(key: string): key is TextKey;
  isPlural(key: string): key is PluralKey;
}

/** How a value goes into a message: numbers in the language's digits; in a right-to-left
 * language every text isolated, as Fluent does, so that a Latin name, title or address keeps
 * its order and leaves the sentence's punctuation where it belongs. */
type Put = (value: string | number) => string;

function fill(template: string, params: Params | undefined, put: Put): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? put(params[name]!) : whole,
  );
}

const translators = new Map<Locale, Translator>();

export function translator(locale: Locale): Translator {
  const cached = translators.get(locale);
  if (cached) return cached;
  const catalogue = catalogues[locale];
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const rtl = textDirection(locale) === 'rtl';
  const put: Put = (value) => (typeof value === 'number' ? numbers.format(value) : rtl ? isolate(value) : value);
  const t = ((key: TextKey, params?: Params) => fill(catalogue[key] as string, params, put)) as Translator;
  t.locale = locale;
  t.plural = (key, count, params) => {
    const forms = catalogue[key] as PluralForms;
    const form = forms[rules.select(count)] ?? forms.other;
    return fill(form, { ...params, count }, put);
  };
  t.has = (key: string): key is TextKey => typeof (catalogue as Record<string, unknown>)[key] === 'string';
  t.isPlural = (key: string): key is PluralKey => {
    const value = (catalogue as Record<string, unknown>)[key];
    return typeof value === 'object' && value !== null;
  };
  translators.set(locale, t);
  return t;
}
