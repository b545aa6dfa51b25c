// Who is asking and where links point. Links always use the configured PUBLIC_URL, never the
// request's Host, which anyone can set: a reset link must not be sent pointing at someone
// else's site. The client address is the proxy's X-Forwarded-For only when TRUST_PROXY lets it
// through (see src/server/main.ts).
import { PUBLIC_URL } from 'astro:env/server';
import type { RequestOrigin } from '../features/accounts/accounts.service.ts';

/** The portal's public address without a trailing slash. */
export function publicBaseUrl(url: URL): string {
  // src/server/main.ts always sets PUBLIC_URL; only `astro dev` runs without it.
  if (PUBLIC_URL) return PUBLIC_URL.replace(/\/+$/, '');
  if (import.meta.env.DEV) return url.origin;
  throw new Error('PUBLIC_URL is not set');
}

export function requestOrigin(context: { url: URL; clientAddress: string }): RequestOrigin {
  let ip = 'unknown';
  try {
    ip = context.clientAddress;
  } catch {
    /* no socket address (clientAddress throws) */
  }
  return { ip, baseUrl: publicBaseUrl(context.url) };
}
