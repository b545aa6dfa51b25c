// The web app manifest in each language (served at /manifest.webmanifest, /en/manifest.webmanifest,
// …): what a phone needs to install the portal like an app, named, described and laid out in
// the language of the pages it was installed from, and opening in that language.
import { localePath, textDirection, type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/index.ts';

/** From src/styles/tokens.css: the header's teal and the page's warm paper. */
export const THEME_COLOUR = '#1f5f5b';
export const BACKGROUND_COLOUR = '#fbf7ef';

export const MANIFEST_PATH = '/manifest.webmanifest';
export const APPLE_TOUCH_ICON = '/icons/apple-touch-icon.png';

export interface WebAppManifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  lang: Locale;
  dir: 'ltr' | 'rtl';
  start_url: string;
  scope: string;
  display: 'standalone';
  theme_color: string;
  background_color: string;
  icons: Array<{ src: string; sizes: string; type: string; purpose?: 'any' | 'maskable' }>;
  shortcuts: Array<{ name: string; url: string; icons: Array<{ src: string; sizes: string; type: string }> }>;
}

/**
 * The manifest of one language. Its scope is the language's part of the portal (German, without
 * a prefix, has the whole portal), so that the app installed from the Arabic pages opens and
 * stays in Arabic; a page of another language opens in the browser's own frame.
 */
export function webAppManifest(locale: Locale, townName: string): WebAppManifest {
  const t = translator(locale);
  const home = localePath(locale, '/');
  return {
    id: home,
    // A name stands alone under the icon, laid out by `dir`: the isolates that keep a Latin
    // name in place inside an Arabic sentence would only be stray characters there.
    name: withoutIsolates(`${t('site.name')} ${townName}`),
    short_name: withoutIsolates(t('site.name')),
    description: t('offline.app.description', { town: townName }),
    lang: locale,
    dir: textDirection(locale),
    start_url: home,
    scope: home,
    display: 'standalone',
    theme_color: THEME_COLOUR,
    background_color: BACKGROUND_COLOUR,
    icons: [
      { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    // A long press on the icon: the person's own lists, which also open offline.
    shortcuts: [
      { name: t('my.title'), url: localePath(locale, '/my-activities'), icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
      { name: t('myShifts.title'), url: localePath(locale, '/my-shifts'), icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
      { name: t('nav.activities'), url: localePath(locale, '/activities'), icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
    ],
  };
}

function withoutIsolates(text: string): string {
  return text.replace(/[\u2066-\u2069]/g, '');
}
