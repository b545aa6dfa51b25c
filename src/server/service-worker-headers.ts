// How the server entry serves /sw.js (built by src/offline/build-service-worker.ts).
import type http from 'node:http';
import { EXTRA_CSP } from '../lib/http-answers.ts';

export const SERVICE_WORKER_PATH = '/sw.js';

/**
 * The worker's headers. `no-cache`: browsers and proxies ask again every time, so a new build's
 * worker is found at the next visit (its ETag makes the question cheap). Its own policy: a
 * service worker obeys the Content-Security-Policy it was served with, and the one every static
 * file gets (default-src 'none') would stop its fetch() of the portal's own pages; it may
 * connect to the portal and load nothing else. The root path gives it the whole portal as its
 * scope, so no Service-Worker-Allowed header is needed.
 */
export function setServiceWorkerHeaders(res: http.ServerResponse): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Security-Policy', `default-src 'none'; connect-src 'self'; ${EXTRA_CSP}`);
}
