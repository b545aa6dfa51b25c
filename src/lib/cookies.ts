// Names and options of the portal's cookies. Over HTTPS the session cookie takes the __Host-
// prefix, which browsers only accept with Secure, Path=/ and no Domain.
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-session' : 'session';
}

/** Whether the request came over HTTPS, so that cookies are Secure (and the session's __Host-).
 * Takes a page's `Astro` or an action's context alike. */
export function isHttps(request: { url: URL }): boolean {
  return request.url.protocol === 'https:';
}

export const FORM_COOKIE = 'form-result';
export const FLASH_COOKIE = 'flash';
/** The interface language a person chose (menu or the offer's "no, thanks"), for a year. */
export const LANGUAGE_COOKIE = 'lang';
export const LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600;
/** A just-made personal calendar token, on its way to the one page view that shows it. */
export const NEW_CALENDAR_TOKEN_COOKIE = 'new-calendar-address';
/** A Telegram link code, for the page that shows its deep link while the code works (15 minutes). */
export const TELEGRAM_LINK_CODE_COOKIE = 'telegram-link-code';

/**
 * Deletes a cookie with the attributes it was set with. A browser refuses a __Host- cookie
 * without Secure — also the expired one that is meant to delete it — and keeps the old one.
 */
export function clearCookie(cookies: { delete(name: string, options: ReturnType<typeof cookieOptions>): void }, name: string, secure: boolean): void {
  cookies.delete(name, cookieOptions(secure));
}

export function cookieOptions(secure: boolean, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}
