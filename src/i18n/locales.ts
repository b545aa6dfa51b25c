// The interface languages. German is the default and has unprefixed URLs; the others live
// under /<code>/… . Arabic and Persian are written right to left.
import { LOCALES, type Locale } from '../db/schema.ts';

export { LOCALES, type Locale };
export const DEFAULT_LOCALE: Locale = 'de';

const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar', 'fa']);

/** Each language's own name, so a person finds theirs whatever language the page is in. */
export const LOCALE_NAMES: Record<Locale, string> = {
  de: 'Deutsch',
  en: 'English',
  ar: 'العربية',
  uk: 'Українська',
  tr: 'Türkçe',
  fa: 'فارسی',
};

/** The languages as choices of a <select>, each named in itself. */
export const LOCALE_OPTIONS = LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l], lang: l }));

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function textDirection(locale: Locale): 'ltr' | 'rtl' {
  return RTL.has(locale) ? 'rtl' : 'ltr';
}

/**
 * Splits a path into its locale and the rest: '/ar/sign-in' → ['ar', '/sign-in'].
 * German has no prefix, so '/de/…' is not a valid address (it answers 404).
 */
export function splitLocalePath(pathname: string): { locale: Locale; rest: string } {
  const match = /^\/([a-z]{2})(\/.*)?$/.exec(pathname);
  if (match && isLocale(match[1]) && match[1] !== DEFAULT_LOCALE) {
    return { locale: match[1], rest: match[2] ?? '/' };
  }
  return { locale: DEFAULT_LOCALE, rest: pathname || '/' };
}

/** The address of a page in a language: localePath('ar', '/sign-in') → '/ar/sign-in'. */
export function localePath(locale: Locale, path: string): string {
  const clean = path.startsWith('/') ? path : `/${path}`;
  if (locale === DEFAULT_LOCALE) return clean;
  return clean === '/' ? `/${locale}` : `/${locale}${clean}`;
}

/**
 * The language to offer on a page, or null: the one the person chose last (remembered in a
 * cookie), else the one their account prefers, else the one their browser asks for — when
 * that is not the page's own. Choosing the page's language (the offer's "no, thanks") ends
 * the offer; a shared link keeps its language either way.
 */
export function languageToOffer(pageLocale: Locale, preferred: { chosen?: Locale | null; account?: Locale | null; acceptLanguage?: string | null }): Locale | null {
  const wanted = preferred.chosen ?? preferred.account ?? acceptedLocale(preferred.acceptLanguage);
  return wanted && wanted !== pageLocale ? wanted : null;
}

/** The interface language the browser asks for most, or null when it asks for none of ours. */
export function acceptedLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      // The primary subtag only: "ar-SY" is Arabic, but "fat" (Fante) is not Persian.
      return { code: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.trim().slice(2)) : 1 };
    })
    // q=0 means "not this language".
    .filter((entry) => entry.code && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const best = ranked.find((entry) => isLocale(entry.code));
  return best ? (best.code as Locale) : null;
}
