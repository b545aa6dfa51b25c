// What the server believes of the X-Forwarded-* headers. Without a trusted proxy it believes
// none of them: anyone can send them. Behind one, only what our own proxies wrote counts.
// A proxy such as nginx *appends* the address it saw to X-Forwarded-For
// ($proxy_add_x_forwarded_for), so the entries on the left are whatever the client chose to
// send; the client is the entry the outermost of our proxies added: with `hops` proxies of
// ours in a row, the hops-th entry from the right.
import type http from 'node:http';

const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'];

function entries(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * The client's address from X-Forwarded-For as written by `hops` trusted proxies: the hops-th
 * entry from the right. With fewer entries than hops (a request that came past some of our
 * proxies) the left-most, which one of ours still wrote; null without the header.
 */
export function forwardedClient(header: string | string[] | undefined, hops: number): string | null {
  const list = entries(header);
  if (list.length === 0) return null;
  return list[Math.max(0, list.length - Math.max(1, hops))] ?? null;
}

/** The value our nearest proxy set for a header it should overwrite (-Proto, -Host, -Port):
 * the right-most, should a client's own value have been kept in front of it. */
function nearest(header: string | string[] | undefined): string | undefined {
  return entries(header).at(-1);
}

/**
 * Rewrites the request's forwarded headers to what may be believed, before Astro reads them
 * (Astro takes the first entry of each): without a trusted proxy they are dropped; behind one,
 * X-Forwarded-For becomes the one client address and the others the nearest proxy's value.
 */
export function believeForwardedHeaders(req: http.IncomingMessage, trust: { trustProxy: boolean; hops: number }): void {
  if (!trust.trustProxy) {
    for (const name of FORWARDED_HEADERS) delete req.headers[name];
    return;
  }
  const client = forwardedClient(req.headers['x-forwarded-for'], trust.hops);
  if (client) req.headers['x-forwarded-for'] = client;
  else delete req.headers['x-forwarded-for'];
  for (const name of ['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'] as const) {
    const value = nearest(req.headers[name]);
    if (value) req.headers[name] = value;
    else delete req.headers[name];
  }
  // RFC 7239's header is not read by anything of ours; drop it rather than half-believe it.
  delete req.headers.forwarded;
}
