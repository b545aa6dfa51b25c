// What every answer carries, and the plain error pages. Shared by the server entry, which
// answers some requests before Astro sees them (a method it does not take, a body too large, a
// request it cannot parse, its own faults), the middleware and the 500 page, so that each
// answer — a page, a kept page, a static file, a refusal, an outage — has the same protections.
// Plain TypeScript: no astro:* import, so src/server/main.ts can use it.
import { translator, type TextKey } from '../i18n/index.ts';
import { textDirection, type Locale } from '../i18n/locales.ts';

/** Directives Astro's own policy leaves out (a <meta> policy cannot carry them). */
export const EXTRA_CSP = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The policy of an answer that is no page of ours with hashed scripts: nothing may load. */
export const STRICT_CSP = `default-src 'none'; ${EXTRA_CSP}`;

/** Adds EXTRA_CSP to a policy once (an answer can pass the middleware twice: a rewrite to the
 * 404 page runs it again). */
export function completePolicy(policy: string | null): string {
  if (!policy) return STRICT_CSP;
  if (policy.includes('frame-ancestors')) return policy;
  return `${policy.trim().replace(/;$/, '')}; ${EXTRA_CSP}`;
}

/** The headers every answer carries; pages may tighten them (a CSP with their hashes, a
 * Referrer-Policy of no-referrer where the address holds a secret). */
export function securityHeaders(secure: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    // same-origin, not no-referrer, even on pages whose address holds a secret (confirmation
    // and reset links): the secret still never reaches another site, while no-referrer would
    // make browsers send "Origin: null" with the page's form, which the origin check refuses.
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Content-Security-Policy': STRICT_CSP,
    ...(secure ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

const PAGES: Record<number, { title: TextKey; body: TextKey }> = {
  400: { title: 'httpError.badRequest.title', body: 'httpError.badRequest.body' },
  405: { title: 'httpError.methodNotAllowed.title', body: 'httpError.methodNotAllowed.body' },
  413: { title: 'httpError.tooLarge.title', body: 'httpError.tooLarge.body' },
  500: { title: 'httpError.serverError.title', body: 'httpError.serverError.body' },
  503: { title: 'httpError.unavailable.title', body: 'error.unavailable' },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A plain error page in the reader's language: what happened and a way home, nothing that
 * could fail in turn (no layout, no database, no script or style). Statuses without a text of
 * their own (408, 431, …) read as a request that could not be read.
 */
export function errorPageHtml(locale: Locale, status: number): string {
  const t = translator(locale);
  const texts = PAGES[status] ?? PAGES[400]!;
  const home = locale === 'de' ? '/' : `/${locale}`;
  const title = escapeHtml(t(texts.title));
  return (
    `<!doctype html><html lang="${locale}" dir="${textDirection(locale)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – ${escapeHtml(t('site.name'))}</title></head>` +
    `<body><main><h1>${title}</h1><p>${escapeHtml(t(texts.body))}</p><p><a href="${home}">${escapeHtml(t('notFound.home'))}</a></p></main></body></html>`
  );
}

/** The plain error page as an answer, with the security headers and no caching. */
export function errorPageResponse(locale: Locale, status: number, secure: boolean, headers: Record<string, string> = {}): Response {
  return new Response(errorPageHtml(locale, status), {
    status,
    headers: { ...securityHeaders(secure), 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}
