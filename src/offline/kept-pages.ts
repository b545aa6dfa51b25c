// What a signed-in person's device keeps for reading offline, and how the server and the
// service worker (src/offline/service-worker.ts, bundled into /sw.js) speak about it. Plain
// TypeScript without astro:* imports: the same rules run in the middleware, in pages and in
// the service worker.
//
// The server marks every answer to a signed-in person with OWNER_HEADER (whose pages these
// are, and until when the session that made them lasts); "My activities" and "My shifts" add
// KEEP_HEADER, the activity pages that go with them. The service worker keeps the pages below
// in the device's Cache Storage, forgets them all as soon as an answer shows that nobody or
// someone else is signed in, and never shows them after the session would have ended.
import { splitLocalePath } from '../i18n/locales.ts';

/** "<person id>; until=<ISO time>": who is signed in, and when that session ends. */
export const OWNER_HEADER = 'X-Offline-Owner';
/** Space-separated paths of the activity pages kept along with a list page. */
export const KEEP_HEADER = 'X-Offline-Keep';

/** The person's own lists, kept whenever they are opened online (paths without the language). */
export const KEPT_LISTS = ['/my-activities', '/my-shifts', '/my-kuemmerer'] as const;

/** An activity's own page, kept when one of the lists names it (the person is going, waiting
 * or volunteering). */
const ACTIVITY_PAGE = /^\/activities\/\d+$/;

/** The most activity pages one list asks to keep: the soonest come first, and thirty covers a
 * busy month without making each visit of the list fetch a whole season. */
export const MAX_KEPT_ACTIVITIES = 30;

/** Where the service worker finds what it shows offline (with the language prefix). */
export const OFFLINE_PAGE = '/offline';
export const NOT_SENT_PAGE = '/offline/not-sent';

/** The actions that end a session: the service worker forgets the kept pages as soon as one
 * is sent, even when it cannot reach the server. */
export const SIGN_OUT_ACTIONS = ['accounts.signOut', 'accounts.signOutEverywhere'] as const;

export type KeptPageKind = 'list' | 'activity';

/** Whether a page (its path without the language prefix) is one a device keeps. */
export function keptPageKind(pathWithoutLocale: string): KeptPageKind | null {
  if ((KEPT_LISTS as readonly string[]).includes(pathWithoutLocale)) return 'list';
  if (ACTIVITY_PAGE.test(pathWithoutLocale)) return 'activity';
  return null;
}

/** The same for a full path with its language prefix ('/ar/my-activities'). */
export function keptPageKindOfPath(pathname: string): KeptPageKind | null {
  return keptPageKind(splitLocalePath(pathname).rest);
}

export function ownerHeaderValue(personId: number, sessionEnds: Date): string {
  return `${personId}; until=${sessionEnds.toISOString()}`;
}

export interface Owner {
  person: string;
  /** Milliseconds since the epoch. */
  until: number;
}

export function parseOwnerHeader(value: string | null | undefined): Owner | null {
  const match = /^\s*(\d+)\s*;\s*until=(\S+)\s*$/.exec(value ?? '');
  if (!match) return null;
  const until = Date.parse(match[2]!);
  return Number.isFinite(until) ? { person: match[1]!, until } : null;
}

/** The header of a list page: the activity pages to keep with it, soonest first. */
export function keepHeaderValue(paths: readonly string[]): string {
  return paths.slice(0, MAX_KEPT_ACTIVITIES).join(' ');
}

/** The activity pages a list asks to keep: only activity pages of the list's own language
 * (a header is read as data, never as a way to make the worker fetch anything else). */
export function parseKeepHeader(value: string | null | undefined, listPath: string): string[] {
  const { locale } = splitLocalePath(listPath);
  const paths = (value ?? '').split(/\s+/).filter((path) => {
    if (!path.startsWith('/')) return false;
    const split = splitLocalePath(path);
    return split.locale === locale && keptPageKind(split.rest) === 'activity';
  });
  return [...new Set(paths)].slice(0, MAX_KEPT_ACTIVITIES);
}

/** The attribute that marks the "saved on …" notice a kept page carries, hidden; the service
 * worker shows it when it answers with the kept copy (src/components/OfflineCopyNotice.astro). */
export const SAVED_NOTICE_ATTRIBUTE = 'data-offline-copy';

/** A kept page as it is shown offline: its "saved on …" notice visible. */
export function revealSavedNotice(html: string): string {
  const tag = new RegExp(`<[a-z]+\\b[^>]*\\s${SAVED_NOTICE_ATTRIBUTE}(?=[\\s=>])[^>]*>`);
  return html.replace(tag, (opening) => opening.replace(/\shidden(?:="[^"]*")?(?=[\s>])/, ''));
}

/** The attribute of the not-sent page's link back to the page the form was on. */
export const BACK_LINK_ATTRIBUTE = 'data-offline-back';

/**
 * The not-sent page with its link back to the page the form was on (the form's Referer, same
 * origin only, without the form's `_action`); left as it is (the home page of the language)
 * when there is none.
 */
export function pointBackLink(html: string, referrer: string, origin: string): string {
  let back: URL;
  try {
    back = new URL(referrer);
  } catch {
    return html;
  }
  if (back.origin !== origin) return html;
  back.searchParams.delete('_action');
  const target = escapeAttribute(back.pathname + back.search);
  return html.replace(new RegExp(`href="[^"]*"(\\s+${BACK_LINK_ATTRIBUTE})`), `href="${target}"$1`);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
