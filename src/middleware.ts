// Every request passes here: language from the path, session from the cookie, form actions
// answered with post/redirect/get, and the security headers on the way out.
import { getActionContext, isActionError, isInputError } from 'astro:actions';
import { defineMiddleware, sequence } from 'astro:middleware';
import type { APIContext } from 'astro';
import { validateSessionToken } from './features/accounts/sessions.ts';
import { DEFAULT_LOCALE, splitLocalePath, translator } from './i18n/index.ts';
import { clearCookie, cookieOptions, FLASH_COOKIE, FORM_COOKIE, LANGUAGE_COOKIE, sessionCookieName } from './lib/cookies.ts';
import { keptValues, parseRefusalMessage, safeRedirectPath, type ActionOutcome, type FormMessage, type FormState } from './lib/form-state.ts';
import { actionOutageAsUnavailable, isDatabaseUnavailable, unavailableResponse } from './lib/unavailable.ts';
import { isLocale, languageToOffer } from './i18n/index.ts';
import { isCacheablePath, keepPage, keptPage, minuteOf, type KeptPage } from './lib/page-cache.ts';
import { compressOnTheWay } from './lib/compression.ts';
import { keepBody, keptBodyResponse } from './lib/kept-bytes.ts';
import { completePolicy, errorPageResponse, securityHeaders as baseHeaders } from './lib/http-answers.ts';
import { NOT_FOUND } from './lib/form-schema.ts';
import { OWNER_HEADER, ownerHeaderValue } from './offline/kept-pages.ts';

function isSecure(context: APIContext): boolean {
  return context.url.protocol === 'https:';
}

const locale = defineMiddleware(async (context, next) => {
  // A rewrite to /404 runs the middleware again with the same locals: keep the language
  // of the address the person asked for.
  if (context.locals.locale) return next();
  const { locale, rest } = splitLocalePath(context.url.pathname);
  context.locals.locale = locale;
  context.locals.t = translator(locale);
  context.locals.pathWithoutLocale = rest;
  const chosen = context.cookies.get(LANGUAGE_COOKIE)?.value;
  context.locals.chosenLocale = isLocale(chosen) ? chosen : null;
  context.locals.form = null;
  context.locals.flash = null;
  // '/de/…' (German has no prefix), '/xx/…' and '/en/ar/…' are not addresses of ours.
  const prefix = context.params.locale;
  if (prefix !== undefined && (prefix !== locale || locale === DEFAULT_LOCALE)) return context.rewrite('/404');
  if (!context.locals.db) {
    // `astro dev` runs without src/server/main.ts; open the database the same way it does.
    const { devLocals } = await import('./server/dev-locals.ts');
    Object.assign(context.locals, await devLocals());
  }
  return next();
});

const session = defineMiddleware(async (context, next) => {
  const secure = isSecure(context);
  const name = sessionCookieName(secure);
  const token = context.cookies.get(name)?.value;
  context.locals.user = null;
  context.locals.session = null;
  context.locals.memberships = [];
  if (token) {
    const result = await validateSessionToken(context.locals.db, token);
    if (result) {
      context.locals.user = result.user;
      context.locals.session = result.session;
      context.locals.memberships = result.memberships;
      // Renew the cookie so that it lives as long as the session does.
      context.cookies.set(name, token, { ...cookieOptions(secure), expires: result.session.expiresAt });
    } else {
      clearCookie(context.cookies, name, secure);
    }
  }
  return next();
});

/**
 * Public pages for visitors without a session come from the page cache when nothing has
 * changed since they were rendered (see src/lib/page-cache.ts). Anything personal — a session
 * cookie, a form's outcome, a flash message — goes past it.
 */
const pageCache = defineMiddleware(async (context, next) => {
  const version = context.locals.contentVersion;
  if (!version?.reliable || context.request.method !== 'GET' || context.locals.user || !isCacheablePath(context.locals.pathWithoutLocale)) return next();
  const cookies = context.request.headers.get('cookie') ?? '';
  if (cookies.includes(FORM_COOKIE) || cookies.includes(FLASH_COOKIE) || cookies.includes(sessionCookieName(isSecure(context)))) return next();
  // Kept apart per origin asked for (a proxy may serve the portal under several) and per
  // language offered (from the language chosen, else from Accept-Language).
  const offered = languageToOffer(context.locals.locale, { chosen: context.locals.chosenLocale, acceptLanguage: context.request.headers.get('accept-language') });
  const key = [context.url.origin, context.url.pathname, context.url.search, offered ?? '-'].join('\u001f');
  let seenVersion = version.current;
  const minute = minuteOf(Date.now());
  const kept = keptPage(key, seenVersion, minute);
  if (kept) {
    // Served only once every change committed before this request is known to be counted
    // (another server's may still be on its way: src/db/content-notify.ts).
    if ((await version.confirm()) && version.current === seenVersion) return keptPageResponse(context.request, kept, 'hit');
    seenVersion = version.current;
  }
  const response = await next();
  if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/html') || response.headers.has('set-cookie')) return response;
  const headers = [...response.headers.entries()].filter(([name]) => name !== 'content-length');
  const body = await keepBody(new Uint8Array(await response.arrayBuffer()));
  const page: KeptPage = { version: seenVersion, minute, status: response.status, headers, body };
  keepPage(key, page);
  return keptPageResponse(context.request, page, 'miss');
});

function keptPageResponse(request: Request, page: KeptPage, state: 'hit' | 'miss'): Response {
  const headers = new Headers(page.headers);
  headers.set('X-Page-Cache', state);
  return keptBodyResponse(request, page.body, { status: page.status, headers });
}

function describeFailure(error: unknown): Pick<FormState, 'fields' | 'form'> {
  if (isInputError(error)) {
    const fields: Record<string, string> = {};
    for (const [field, messages] of Object.entries(error.fields)) if (messages?.[0]) fields[field] = messages[0];
    return { fields, form: null };
  }
  if (isActionError(error)) {
    if (error.code === 'TOO_MANY_REQUESTS') {
      const minutes = Number(error.message) || 1;
      return { fields: {}, form: { key: 'error.rateLimited', count: minutes } };
    }
    // CONFLICT: what was asked does not fit the object's current state (a no-show for a party
    // that is checked in); said next to the form like any other refusal.
    const refusal = error.code === 'BAD_REQUEST' || error.code === 'CONFLICT' ? parseRefusalMessage(error.message) : null;
    if (refusal) return refusal;
  }
  return { fields: {}, form: { key: 'error.generic' } };
}

/**
 * The address of the page a refused form was on, with its query: a form's action
 * ("?_action=…") replaces the query, so without this a sign-in page forgets its ?next= and a
 * reset page its ?token= after one mistyped field. Browsers send the page as Referer on
 * same-origin posts (our Referrer-Policy is same-origin); only the same path is taken, so a
 * Referer can never send anyone elsewhere.
 */
function pageTheFormWasOn(context: APIContext, back: URL): string | null {
  const referer = context.request.headers.get('referer');
  if (!referer) return null;
  try {
    const page = new URL(referer);
    if (page.origin !== back.origin || page.pathname !== back.pathname) return null;
    page.searchParams.delete('_action');
    return safeRedirectPath(page.pathname + page.search, back.pathname);
  } catch {
    return null;
  }
}

/** "attendee-12" for a form that sent `_anchor=attendee-12`; anything but a plain id is ignored. */
function returnAnchor(formData: FormData): string | null {
  const anchor = formData.get('_anchor');
  return typeof anchor === 'string' && /^[A-Za-z][\w-]{0,63}$/.test(anchor) ? anchor : null;
}

/** Whether an action's input was refused for an id that names nothing (idField): answered
 * like an object that belongs to someone else, 404. */
function namesNothing(error: unknown): boolean {
  return isInputError(error) && Object.values(error.fields).some((messages) => messages?.includes(NOT_FOUND));
}

/**
 * Whether the body claims to be JSON and is not. Our actions take forms; Astro parses a JSON
 * body before it finds that out, and broken JSON then ended in a 500. (JSON that parses gets
 * Astro's own 415.)
 */
async function isBrokenJson(request: Request): Promise<boolean> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') return false;
  const text = await request.clone().text();
  if (text === '') return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/** The JSON error Astro's client reads, for actions called from JavaScript. */
function actionErrorResponse(code: 'BAD_REQUEST' | 'NOT_FOUND', status: number): Response {
  return new Response(JSON.stringify({ type: 'AstroActionError', code, status, message: '' }), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

/** Whether Astro's answer to an action called from JavaScript refuses its input for an id
 * that names nothing (its input errors as JSON, status 400). */
async function refusedForUnknownId(response: Response): Promise<boolean> {
  if (response.status !== 400 || !response.headers.get('content-type')?.includes('json')) return false;
  try {
    const body = (await response.clone().json()) as { type?: string; fields?: Record<string, string[] | undefined> };
    return body.type === 'AstroActionInputError' && Object.values(body.fields ?? {}).some((messages) => messages?.includes(NOT_FOUND));
  } catch {
    return false;
  }
}

/** Post/redirect/get for HTML forms, so that they work without JavaScript and a refresh
 * never posts twice. The outcome rides along in a short-lived cookie. */
const forms = defineMiddleware(async (context, next) => {
  const { action } = getActionContext(context);
  const secure = isSecure(context);

  if (action && (await isBrokenJson(context.request))) {
    return action.calledFrom === 'rpc' ? actionErrorResponse('BAD_REQUEST', 400) : errorPageResponse(context.locals.locale, 400, secure);
  }

  if (action?.calledFrom === 'form') {
    const formData = await context.request.clone().formData().catch(() => new FormData());
    const result = await action.handler();
    if (result.error && ((isActionError(result.error) && (result.error.code === 'NOT_FOUND' || result.error.code === 'FORBIDDEN')) || namesNothing(result.error))) {
      return context.rewrite('/404');
    }
    // A body that is no form (a browser never sends one to a form's action): no form to show again.
    if (result.error && isActionError(result.error) && (result.error.code === 'UNSUPPORTED_MEDIA_TYPE' || result.error.code === 'CONTENT_TOO_LARGE')) {
      return errorPageResponse(context.locals.locale, result.error.code === 'CONTENT_TOO_LARGE' ? 413 : 415, secure);
    }
    // Astro hands any error thrown in an action back as an ActionError that keeps only the
    // message; an outage is marked there (src/lib/unavailable.ts) and answers 503 + Retry-After,
    // so the person tries again instead of reading "something went wrong" about an RSVP
    // that may or may not have been saved.
    if (result.error && isDatabaseUnavailable(result.error)) return unavailableResponse(context.locals.t, context.url);
    if (result.error && isActionError(result.error) && result.error.code === 'INTERNAL_SERVER_ERROR') {
      console.error(`[action] ${action.name} failed: ${result.error.message}`);
    }
    const back = new URL(context.url);
    back.searchParams.delete('_action');
    // A form in a long list names its row or section (`_anchor`), so that the page comes back
    // there instead of at the top; its message goes along, for the page to show there.
    const anchor = returnAnchor(formData);
    const atAnchor = anchor ? `#${anchor}` : '';
    const backPath = back.pathname + back.search + atAnchor;
    if (!result.error) {
      const outcome = (result.data ?? {}) as ActionOutcome;
      const flash = outcome.flash && anchor && !outcome.redirect ? { ...outcome.flash, anchor } : outcome.flash;
      if (flash) context.cookies.set(FLASH_COOKIE, JSON.stringify(flash), cookieOptions(secure, 60));
      return context.redirect(safeRedirectPath(outcome.redirect, backPath), 303);
    }
    const state: FormState = { action: action.name, ok: false, ...describeFailure(result.error), values: keptValues(formData) };
    context.cookies.set(FORM_COOKIE, JSON.stringify(state), cookieOptions(secure, 60));
    return context.redirect((pageTheFormWasOn(context, back) ?? back.pathname + back.search) + atAnchor, 303);
  }

  if (action?.calledFrom === 'rpc') {
    const response = await actionOutageAsUnavailable(await next(), context.locals.t, context.url);
    return (await refusedForUnknownId(response)) ? actionErrorResponse('NOT_FOUND', 404) : response;
  }

  if (context.request.method === 'GET') {
    const stored = context.cookies.get(FORM_COOKIE)?.value;
    if (stored) {
      clearCookie(context.cookies, FORM_COOKIE, secure);
      try {
        const state = JSON.parse(stored) as FormState;
        context.locals.form = state;
      } catch {
        /* a cookie we cannot read is simply dropped */
      }
    }
    const flash = context.cookies.get(FLASH_COOKIE)?.value;
    if (flash) {
      clearCookie(context.cookies, FLASH_COOKIE, secure);
      try {
        context.locals.flash = JSON.parse(flash) as FormMessage;
      } catch {
        /* ignore */
      }
    }
  }
  return next();
});

const securityHeaders = defineMiddleware(async (context, next) => {
  let response: Response;
  try {
    response = await next();
  } catch (error) {
    if (isDatabaseUnavailable(error)) return unavailableResponse(context.locals.t, context.url);
    throw error;
  }
  const headers = response.headers;
  const set = (name: string, value: string) => {
    try {
      headers.set(name, value);
    } catch {
      /* immutable headers (a redirect made by Response.redirect); the server entry has set them */
    }
  };
  // The same headers as every answer of the server (src/lib/http-answers.ts); a page's own
  // Referrer-Policy (no-referrer where the address holds a secret) stays.
  for (const [name, value] of Object.entries(baseHeaders(isSecure(context)))) {
    if (name === 'Content-Security-Policy' || (name === 'Referrer-Policy' && headers.has(name))) continue;
    set(name, value);
  }
  if (context.locals.user) set('Cache-Control', 'no-store');
  // Whose page this is, for the service worker that keeps a signed-in person's own pages on
  // their device and forgets them when anyone else, or nobody, is signed in (src/offline/).
  if (context.locals.user && context.locals.session) set(OWNER_HEADER, ownerHeaderValue(context.locals.user.id, context.locals.session.expiresAt));
  const contentType = headers.get('Content-Type');
  if (contentType === 'text/html') set('Content-Type', 'text/html; charset=utf-8');
  // Astro hashes its own scripts and styles into the policy; the directives a <meta> policy
  // cannot carry are added once (a rewrite to the 404 page passes here twice).
  set('Content-Security-Policy', completePolicy(headers.get('Content-Security-Policy')));
  return response;
});

/** Outermost: whatever answer comes back, compressed for clients that take gzip (answers
 * already compressed, such as kept pages and built feeds, pass as they are). */
const compression = defineMiddleware(async (context, next) => compressOnTheWay(context.request, await next()));

export const onRequest = sequence(compression, securityHeaders, locale, session, pageCache, forms);
