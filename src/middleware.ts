// Every request passes here: language from the path, session from the cookie, form actions
// answered with post/redirect/get, and the security headers on the way out.
import { getActionContext, isActionError, isInputError } from 'astro:actions';
import { defineMiddleware, sequence } from 'astro:middleware';
import type { APIContext } from 'astro';
import { validateSessionToken } from './features/accounts/sessions.ts';
import { DEFAULT_LOCALE, splitLocalePath, translator } from './i18n/index.ts';
import { cookieOptions, FLASH_COOKIE, FORM_COOKIE, LANGUAGE_COOKIE, sessionCookieName } from './lib/cookies.ts';
import { keptValues, parseRefusalMessage, safeRedirectPath, type ActionOutcome, type FormMessage, type FormState } from './lib/form-state.ts';
import { actionOutageAsUnavailable, isDatabaseUnavailable, unavailableResponse } from './lib/unavailable.ts';
import { isLocale, languageToOffer } from './i18n/index.ts';
import { isCacheablePath, keepPage, keptPage, minuteOf, type KeptPage } from './lib/page-cache.ts';
import { compressOnTheWay } from './lib/compression.ts';
import { keepBody, keptBodyResponse } from './lib/kept-bytes.ts';

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
      context.cookies.delete(name, { path: '/' });
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
  const seenVersion = version.current;
  const minute = minuteOf(Date.now());
  const kept = keptPage(key, seenVersion, minute);
  if (kept) return keptPageResponse(context.request, kept, 'hit');
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
    const refusal = error.code === 'BAD_REQUEST' ? parseRefusalMessage(error.message) : null;
    if (refusal) return refusal;
  }
  return { fields: {}, form: { key: 'error.generic' } };
}

/** Post/redirect/get for HTML forms, so that they work without JavaScript and a refresh
 * never posts twice. The outcome rides along in a short-lived cookie. */
const forms = defineMiddleware(async (context, next) => {
  const { action } = getActionContext(context);
  const secure = isSecure(context);

  if (action?.calledFrom === 'form') {
    const formData = await context.request.clone().formData().catch(() => new FormData());
    const result = await action.handler();
    if (result.error && isActionError(result.error) && (result.error.code === 'NOT_FOUND' || result.error.code === 'FORBIDDEN')) {
      return context.rewrite('/404');
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
    const backPath = back.pathname + back.search;
    if (!result.error) {
      const outcome = (result.data ?? {}) as ActionOutcome;
      if (outcome.flash) context.cookies.set(FLASH_COOKIE, JSON.stringify(outcome.flash), cookieOptions(secure, 60));
      return context.redirect(safeRedirectPath(outcome.redirect, backPath), 303);
    }
    const state: FormState = { action: action.name, ok: false, ...describeFailure(result.error), values: keptValues(formData) };
    context.cookies.set(FORM_COOKIE, JSON.stringify(state), cookieOptions(secure, 60));
    return context.redirect(backPath, 303);
  }

  if (action?.calledFrom === 'rpc') return actionOutageAsUnavailable(await next(), context.locals.t, context.url);

  if (context.request.method === 'GET') {
    const stored = context.cookies.get(FORM_COOKIE)?.value;
    if (stored) {
      context.cookies.delete(FORM_COOKIE, { path: '/' });
      try {
        const state = JSON.parse(stored) as FormState;
        context.locals.form = state;
      } catch {
        /* a cookie we cannot read is simply dropped */
      }
    }
    const flash = context.cookies.get(FLASH_COOKIE)?.value;
    if (flash) {
      context.cookies.delete(FLASH_COOKIE, { path: '/' });
      try {
        context.locals.flash = JSON.parse(flash) as FormMessage;
      } catch {
        /* ignore */
      }
    }
  }
  return next();
});

/** Directives Astro's policy leaves out; Astro itself hashes its scripts and styles. */
const EXTRA_CSP = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

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
      /* immutable headers (a redirect made by Response.redirect); nothing to add there */
    }
  };
  set('X-Content-Type-Options', 'nosniff');
  // same-origin, not no-referrer, even on pages whose address holds a secret (confirmation
  // and reset links): the secret still never reaches another site, while no-referrer would
  // make browsers send "Origin: null" with the page's form, which the origin check refuses.
  if (!headers.has('Referrer-Policy')) set('Referrer-Policy', 'same-origin');
  set('X-Frame-Options', 'DENY');
  set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (isSecure(context)) set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  if (context.locals.user) set('Cache-Control', 'no-store');
  const contentType = headers.get('Content-Type');
  if (contentType === 'text/html') set('Content-Type', 'text/html; charset=utf-8');
  const policy = headers.get('Content-Security-Policy');
  set('Content-Security-Policy', policy ? `${policy.trim().replace(/;$/, '')}; ${EXTRA_CSP}` : `default-src 'none'; ${EXTRA_CSP}`);
  return response;
});

/** Outermost: whatever answer comes back, compressed for clients that take gzip (answers
 * already compressed, such as kept pages and built feeds, pass as they are). */
const compression = defineMiddleware(async (context, next) => compressOnTheWay(context.request, await next()));

export const onRequest = sequence(compression, securityHeaders, locale, session, pageCache, forms);
