// Small helpers for pages: the form state of one action, and the sign-in gate.
import type { AstroGlobal } from 'astro';
import { NotFoundError } from '../features/access/access.ts';
import { recordAudit } from '../features/audit/audit.ts';
import { localePath, splitLocalePath, type Locale } from '../i18n/locales.ts';
import { safeRedirectPath, type FormMessage } from './form-state.ts';
import { parseId } from './ids.ts';

export interface PageForm {
  /** Message keys by field name, for this form only. */
  errors: Record<string, string>;
  /** What the person typed last time (never passwords). */
  values: Record<string, string>;
  message: FormMessage | null;
  hasErrors: boolean;
}

/** The outcome of the named action if the last post came from it (e.g. 'accounts.signUp'). */
export function formFor(locals: App.Locals, actionName: string): PageForm {
  const state = locals.form?.action === actionName ? locals.form : null;
  const errors = state?.fields ?? {};
  const message = state?.form ?? null;
  return { errors, values: state?.values ?? {}, message, hasErrors: Object.keys(errors).length > 0 || message !== null };
}

/**
 * The message of a form that came back at one of this page's rows or sections (`_anchor`),
 * when the page shows it there (`shownAt` says where it can): it is then taken away from the
 * top of the page, where nobody who came back further down would see it.
 */
export function takeAnchoredFlash(locals: App.Locals, shownAt: (anchor: string) => boolean): (FormMessage & { anchor: string }) | null {
  const flash = locals.flash;
  if (!flash?.anchor || !shownAt(flash.anchor)) return null;
  locals.flash = null;
  return { ...flash, anchor: flash.anchor };
}

/** The status of a page that shows forms: 429 when a rate limit refused, 400 for other
 * refused input, 200 otherwise. */
export function formStatus(...forms: PageForm[]): number {
  if (forms.some((f) => f.message?.key === 'error.rateLimited')) return 429;
  return forms.some((f) => f.hasErrors) ? 400 : 200;
}

/** The id in an activity address: "12" or, readable, "12-sprachcafe"; null for anything else,
 * also for an id no row can have (beyond PostgreSQL's integer). */
export function activityIdParam(param: string | undefined): number | null {
  return parseId(/^(\d{1,10})(?:-[\p{L}\p{N}-]*)?$/u.exec(param ?? '')?.[1]);
}

/** Sends a signed-out visitor to sign in and back; returns the Response to return, or null.
 * Pages and endpoints (a download) alike. */
export function requireSignIn(Astro: Pick<AstroGlobal, 'locals' | 'url' | 'redirect'>): Response | null {
  if (Astro.locals.user) return null;
  const next = Astro.url.pathname + Astro.url.search;
  return Astro.redirect(`${localePath(Astro.locals.locale, '/sign-in')}?next=${encodeURIComponent(next)}`, 303);
}

/**
 * Runs the page's reads; when a rule refuses (NotFoundError), records the refusal in the audit
 * log and answers with the 404 page, exactly as for an address that does not exist.
 */
export async function loadOrNotFound<T>(Astro: Pick<AstroGlobal, 'locals' | 'url' | 'rewrite'>, load: () => Promise<T>): Promise<T | Response> {
  try {
    return await load();
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await recordAudit(Astro.locals.db, {
      actorUserId: Astro.locals.user?.id ?? null,
      action: 'access.refused',
      objectType: 'page',
      objectId: Astro.url.pathname,
    });
    return Astro.rewrite('/404');
  }
}

/**
 * The opening of every page about one managed activity (/organise/<id>…): signed in, a valid
 * id, and whatever `load` reads for that id — which checks the membership itself. Returns the
 * Response to send instead (sign-in, 404) or the id and what was loaded.
 */
export async function loadForOrganiser<T>(Astro: AstroGlobal, load: (id: number) => Promise<T>): Promise<Response | { id: number; data: T }> {
  const gate = requireSignIn(Astro);
  if (gate) return gate;
  const id = parseId(Astro.params.id);
  if (id === null) return Astro.rewrite('/404');
  const data = await loadOrNotFound(Astro, () => load(id));
  return data instanceof Response ? data : { id, data };
}

/**
 * The page a confirmation step returns to, from its ?back= address: a path of this site, in
 * the page's language, that is one of the pages offering the action (`offeredOn`, paths
 * without the language prefix); anything else gives the fallback. "Yes" posts there (with
 * ?_action=…), so the person lands where they came from, with the outcome.
 */
export function confirmationBack(url: URL, locale: Locale, offeredOn: readonly string[], fallback: string): string {
  const back = safeRedirectPath(url.searchParams.get('back'), '');
  if (!back) return fallback;
  const target = new URL(back, 'http://portal.invalid');
  const { locale: backLocale, rest } = splitLocalePath(target.pathname);
  return backLocale === locale && offeredOn.includes(rest) ? target.pathname + target.search : fallback;
}

/** An address with ?_action=<name> added to its query, for a form that posts there. */
export function withAction(path: string, action: { toString(): string }): string {
  const query = String(action);
  return path.includes('?') && query.startsWith('?') ? `${path}&${query.slice(1)}` : `${path}${query}`;
}
