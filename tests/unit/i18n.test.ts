// Languages and dates: complete catalogues, right plural forms, language-prefixed paths, Berlin time on any server; safe form helpers.
import { describe, it, expect } from 'vitest';
import { catalogues, LOCALES, translator, type PluralForms } from '../../src/i18n/index.ts';
import { acceptedLocale, localePath, splitLocalePath, textDirection } from '../../src/i18n/locales.ts';
import { formatWhen, languageName, startOfZonedDay, zonedParts, zonedTimeToInstant } from '../../src/i18n/format.ts';
import { keptValues, safeRedirectPath } from '../../src/lib/form-state.ts';

const german = catalogues.de as Record<string, string | PluralForms>;
const germanKeys = Object.keys(german).sort();
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
const others = LOCALES.filter((l) => l !== 'de');

/** Plural categories that stand for one whole number only (Arabic 'one' is 1, 'two' is 2): such a form may spell the number out. */
function singleNumberCategories(locale: string): Set<string> {
  const rules = new Intl.PluralRules(locale);
  const seen = new Map<string, number>();
  for (let n = 0; n <= 1000; n++) seen.set(rules.select(n), (seen.get(rules.select(n)) ?? 0) + 1);
  return new Set([...seen].filter(([, times]) => times === 1).map(([category]) => category));
}

describe('message catalogues', () => {
  it.each(others)('%s has exactly the keys of German', (locale) => {
    expect(Object.keys(catalogues[locale]).sort()).toEqual(germanKeys);
  });

  it.each(LOCALES)('%s: every text is non-empty with the placeholders of German', (locale) => {
    const catalogue = catalogues[locale] as Record<string, string | PluralForms>;
    for (const [key, source] of Object.entries(german)) {
      if (typeof source !== 'string') continue;
      const text = catalogue[key];
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
      expect(placeholders(text as string), key).toEqual(placeholders(source));
    }
  });

  it.each(LOCALES)("%s: plural messages have exactly the language's plural categories", (locale) => {
    const catalogue = catalogues[locale] as Record<string, string | PluralForms>;
    const categories = [...new Intl.PluralRules(locale).resolvedOptions().pluralCategories].sort();
    const spelledOut = singleNumberCategories(locale);
    for (const [key, source] of Object.entries(german)) {
      if (typeof source === 'string') continue;
      const forms = catalogue[key];
      expect(typeof forms, key).toBe('object');
      expect(Object.keys(forms as PluralForms).sort(), key).toEqual(categories);
      const germanUsesCount = Object.values(source).some((form) => form.includes('{count}'));
      const otherParams = placeholders(source.other).filter((p) => p !== 'count');
      for (const [category, form] of Object.entries(forms as PluralForms)) {
        expect(form.trim(), `${key}.${category}`).not.toBe('');
        expect(placeholders(form).filter((p) => p !== 'count'), `${key}.${category}`).toEqual(otherParams);
        if (germanUsesCount && !spelledOut.has(category)) expect(form, `${key}.${category}`).toContain('{count}');
      }
    }
  });
});

describe('translator', () => {
  it('gives the German text for de and fills placeholders, leaving unknown ones alone', () => {
    const t = translator('de');
    expect(t('nav.signIn')).toBe('Anmelden');
    expect(t('home.title', { town: 'Altena' })).toBe('Willkommen in Altena');
    expect(t('home.title')).toBe('Willkommen in {town}');
    expect(t.plural('activity.seatsLeft', 1)).toBe('Noch 1 Platz frei');
    expect(t.plural('activity.seatsLeft', 3)).toBe('Noch 3 Plätze frei');
  });

  it('picks the Arabic plural form for 0, 1, 2, 3, 11 and 100', () => {
    const t = translator('ar');
    const forms = catalogues.ar['activity.seatsLeft'] as PluralForms;
    const number = new Intl.NumberFormat('ar');
    const expected = (category: keyof PluralForms, n: number) => forms[category]!.replace('{count}', number.format(n));
    const cases = [[0, 'zero'], [1, 'one'], [2, 'two'], [3, 'few'], [11, 'many'], [100, 'other']] as const;
    const texts = cases.map(([n]) => t.plural('activity.seatsLeft', n));
    expect(texts).toEqual(cases.map(([n, category]) => expected(category, n)));
    expect(new Set(texts).size).toBe(cases.length);
    expect(texts[1]).toBe('مكان واحد شاغر');
    expect(texts[2]).toBe('مكانان شاغران');
  });

  it('knows which keys are texts', () => {
    const t = translator('en');
    expect(t.has('category.sports')).toBe(true);
    expect(t.has('category.swimming')).toBe(false);
    expect(t.has('activity.seatsLeft')).toBe(false); // a plural message, not a text
  });
});

describe('language paths', () => {
  it.each(others)('%s pages live under /%s and round-trip', (locale) => {
    expect(localePath(locale, '/')).toBe(`/${locale}`);
    expect(localePath(locale, '/sign-in')).toBe(`/${locale}/sign-in`);
    expect(localePath(locale, 'sign-in')).toBe(`/${locale}/sign-in`);
    for (const rest of ['/', '/sign-in', '/activities/12']) {
      expect(splitLocalePath(localePath(locale, rest))).toEqual({ locale, rest });
    }
  });

  it('leaves German unprefixed, and /de/… is not a German address', () => {
    expect(localePath('de', '/')).toBe('/');
    expect(localePath('de', '/sign-in')).toBe('/sign-in');
    expect(splitLocalePath('/sign-in')).toEqual({ locale: 'de', rest: '/sign-in' });
    expect(splitLocalePath('/')).toEqual({ locale: 'de', rest: '/' });
    expect(splitLocalePath('/de/x')).toEqual({ locale: 'de', rest: '/de/x' });
    expect(splitLocalePath('/arx')).toEqual({ locale: 'de', rest: '/arx' });
  });

  it('writes only Arabic and Persian right to left', () => {
    expect(LOCALES.filter((l) => textDirection(l) === 'rtl')).toEqual(['ar', 'fa']);
  });

  it.each([
    ['ar-SY,ar;q=0.9,en;q=0.8', 'ar'],
    ['fr-FR', null],
    [null, null],
    ['', null],
    ['fr;q=1, uk;q=0.5, en;q=0.7', 'en'],
    ['en;q=0.2,fa', 'fa'],
    ['ar;q=0, fr', null],
    ['fat, tru', null],
    ['de-AT', 'de'],
  ])('reads %j as %s', (header, locale) => {
    expect(acceptedLocale(header)).toBe(locale);
  });
});

describe('language names', () => {
  it('are written in the reader’s language, the same when asked again', () => {
    for (let round = 0; round < 2; round++) {
      expect(languageName('de', 'ar')).toBe('Arabisch');
      expect(languageName('ar', 'de')).toBe('الألمانية');
      expect(languageName('uk', 'fa')).toBe('перська');
    }
  });

  it('fall back to the code for a language Intl cannot name', () => {
    expect(languageName('de', 'qaa')).toBe('qaa');
  });
});

describe('the wall clock of a zone (offsets kept by the hour)', () => {
  const clock = (zone: string, iso: string) => {
    const p = zonedParts(zone, new Date(iso));
    return `${p.y}-${p.m}-${p.d} ${p.h}:${p.min}:${p.s}`;
  };

  it('is right on both sides of each Berlin clock change, asked twice (the second time from the kept hour)', () => {
    for (let round = 0; round < 2; round++) {
      expect(clock('Europe/Berlin', '2026-03-29T00:59:59Z')).toBe('2026-3-29 1:59:59');
      expect(clock('Europe/Berlin', '2026-03-29T01:00:00Z')).toBe('2026-3-29 3:0:0');
      expect(clock('Europe/Berlin', '2026-10-25T00:30:00Z')).toBe('2026-10-25 2:30:0');
      expect(clock('Europe/Berlin', '2026-10-25T01:30:00Z')).toBe('2026-10-25 2:30:0');
      expect(clock('Europe/Berlin', '2026-12-31T23:00:00Z')).toBe('2027-1-1 0:0:0');
    }
  });

  it('is right in the hour of a half-hour change, which starts in the middle of a UTC hour', () => {
    // Lord Howe Island goes from +10:30 to +11:00 at 02:00 local on 4 October 2026, which is
    // 15:30 UTC the day before.
    for (let round = 0; round < 2; round++) {
      expect(clock('Australia/Lord_Howe', '2026-10-03T15:15:00Z')).toBe('2026-10-4 1:45:0');
      expect(clock('Australia/Lord_Howe', '2026-10-03T15:45:00Z')).toBe('2026-10-4 2:45:0');
      expect(clock('Australia/Lord_Howe', '2026-10-03T16:15:00Z')).toBe('2026-10-4 3:15:0');
    }
  });

  it('keeps each zone apart', () => {
    expect(clock('Asia/Kabul', '2026-06-01T12:00:00Z')).toBe('2026-6-1 16:30:0');
    expect(clock('Europe/Berlin', '2026-06-01T12:00:00Z')).toBe('2026-6-1 14:0:0');
  });
});

describe('Berlin times on a server in Auckland', () => {
  const before = zonedTimeToInstant('Europe/Berlin', 2026, 10, 24, 18, 0);
  const after = zonedTimeToInstant('Europe/Berlin', 2026, 10, 26, 18, 0);

  it('runs under a time zone far from Berlin, so these tests prove something', () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('Pacific/Auckland');
  });

  it('turns 18:00 Berlin into the right instant on both sides of the end of summer time', () => {
    expect(before.toISOString()).toBe('2026-10-24T16:00:00.000Z');
    expect(after.toISOString()).toBe('2026-10-26T17:00:00.000Z');
  });

  it('shows both as 18:00', () => {
    const twoHours = 2 * 3600_000;
    expect(formatWhen('de', 'Europe/Berlin', before, new Date(before.getTime() + twoHours)).time).toBe('18:00–20:00 Uhr');
    expect(formatWhen('de', 'Europe/Berlin', after, new Date(after.getTime() + twoHours)).time).toBe('18:00–20:00 Uhr');
  });

  it('finds Berlin midnight, also across the change', () => {
    expect(startOfZonedDay('Europe/Berlin', before).toISOString()).toBe('2026-10-23T22:00:00.000Z');
    expect(startOfZonedDay('Europe/Berlin', after).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(startOfZonedDay('Europe/Berlin', before, 2).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // 00:30 Berlin on the 24th is still the 23rd in UTC.
    expect(startOfZonedDay('Europe/Berlin', new Date('2026-10-23T22:30:00Z')).toISOString()).toBe('2026-10-23T22:00:00.000Z');
  });
});

describe('wall-clock times the clocks skip or repeat, read as RFC 5545 reads them', () => {
  const at = (zone: string, y: number, m: number, d: number, h: number, min: number) => zonedTimeToInstant(zone, y, m, d, h, min).toISOString();

  it('moves a time in the spring-forward gap forward by the gap, in zones east and west of UTC', () => {
    // 02:30 does not exist in Berlin on 28 March 2027: it is 03:30 summer time (01:30 UTC).
    expect(at('Europe/Berlin', 2027, 3, 28, 2, 30)).toBe('2027-03-28T01:30:00.000Z');
    expect(at('Europe/Berlin', 2027, 3, 28, 3, 30)).toBe('2027-03-28T01:30:00.000Z');
    // RFC 5545's own example: 02:30 in New York on 11 March 2007 is 03:30 EDT (07:30 UTC).
    expect(at('America/New_York', 2007, 3, 11, 2, 30)).toBe('2007-03-11T07:30:00.000Z');
    // Lord Howe skips half an hour: 02:15 is 02:45 at +11:00.
    expect(at('Australia/Lord_Howe', 2026, 10, 4, 2, 15)).toBe('2026-10-03T15:45:00.000Z');
  });

  it('takes the first of a time that happens twice', () => {
    // 02:30 happens twice in Berlin on 31 October 2027; the first is still summer time.
    expect(at('Europe/Berlin', 2027, 10, 31, 2, 30)).toBe('2027-10-31T00:30:00.000Z');
    // RFC 5545's example: 01:30 in New York on 4 November 2007 is 01:30 EDT (05:30 UTC).
    expect(at('America/New_York', 2007, 11, 4, 1, 30)).toBe('2007-11-04T05:30:00.000Z');
  });

  it('is unchanged for ordinary times and for days counted past the end of a month', () => {
    expect(at('Europe/Berlin', 2027, 3, 28, 1, 59)).toBe('2027-03-28T00:59:00.000Z');
    expect(at('Europe/Berlin', 2027, 1, 32, 0, 0)).toBe('2027-01-31T23:00:00.000Z');
    expect(at('America/New_York', 2027, 7, 1, 12, 0)).toBe('2027-07-01T16:00:00.000Z');
  });
});

describe('form helpers', () => {
  it.each(['https://evil.example', '//evil.example', '/\\evil', 'evil', '', null, 42])('safeRedirectPath refuses %j', (path) => {
    expect(safeRedirectPath(path, '/ar')).toBe('/ar');
  });

  // Browsers drop tabs and newlines when they parse a Location header, so '/\t/evil.example'
  // would become '//evil.example', i.e. https://evil.example/ (an open redirect via ?next=).
  it.each(['/\t/evil.example', '/\t\\evil.example', '/\n/evil.example'])('safeRedirectPath refuses %j, which a browser reads as another site', (path) => {
    expect(new URL(path, 'https://ankommen.example/sign-in').host).toBe('evil.example');
    expect(safeRedirectPath(path, '/ar')).toBe('/ar');
  });

  // Dot segments are resolved away, and what is left may begin with two slashes.
  it.each(['/.//evil.example', '/a/..//evil.example/x', '/%2e//evil.example', '/./%2e//evil.example?x=1'])('safeRedirectPath refuses %j, which resolves to //evil.example', (path) => {
    expect(new URL(path, 'https://ankommen.example/').pathname.startsWith('//')).toBe(true);
    expect(safeRedirectPath(path, '/ar')).toBe('/ar');
  });

  it('safeRedirectPath keeps a path on this site', () => {
    expect(safeRedirectPath('/ar/account?x=1')).toBe('/ar/account?x=1');
  });

  it('keptValues drops passwords, tokens and internal fields', () => {
    const form = new FormData();
    for (const [name, value] of [
      ['email', 'amal@example.org'], ['displayName', 'Amal'], ['password', 'secret one'], ['currentPassword', 'x'],
      ['newPassword', 'y'], ['token', 'abc'], ['_action', 'signUp'], ['_csrf', 'z'],
    ]) form.append(name!, value!);
    form.append('photo', new Blob(['x']), 'photo.png');
    expect(keptValues(form)).toEqual({ email: 'amal@example.org', displayName: 'Amal' });
  });
});
