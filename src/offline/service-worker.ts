// The service worker, built into /sw.js with Serwist by src/offline/build-service-worker.ts and
// registered only from signed-in pages (src/components/ServiceWorkerRegistration.astro).
//
// What it does:
// * Precaches the stylesheet, the icons and the two offline pages in every language, so that
//   whatever it shows offline looks like the portal.
// * Keeps a signed-in person's own lists ("My activities", "My shifts", "My Kümmerer") and the
//   activity pages those lists name, each time they are opened online, for reading offline:
//   network first; the kept copy only when the network fails or keeps the person waiting, with
//   its hidden "saved on …" notice made visible.
// * Answers a navigation it cannot reach the server for with the offline page, and a form sent
//   offline with the not-sent page (status 503): nothing is queued or sent later behind the
//   person's back.
//
// Whose pages these are. Signed-in pages are `Cache-Control: no-store`: no shared or HTTP cache
// keeps them. The kept copies live in this device's Cache Storage and belong to one person,
// named by every signed-in answer's X-Offline-Owner header (src/offline/kept-pages.ts):
// * An answer for another person (someone else signed in on a shared family phone) deletes the
//   kept pages before anything of the new person is kept.
// * An answer for nobody (signed out, the session expired or ended on another device, the
//   account deleted) deletes them too: after signing out, the next page does.
// * Sending the sign-out form deletes them at once, even when the form cannot reach the server.
// * Offline, kept pages are shown only until the session that kept them would have ended
//   (10 days unused, 30 days at most): a phone left in a drawer does not show them for ever.
// Nothing personal is precached: the offline pages are the same for everyone.
import { NetworkOnly, Serwist, Strategy, type PrecacheEntry, type StrategyHandler } from 'serwist';
import { localePath, splitLocalePath } from '../i18n/locales.ts';
import {
  KEEP_HEADER,
  keptPageKindOfPath,
  NOT_SENT_PAGE,
  OFFLINE_PAGE,
  OWNER_HEADER,
  parseKeepHeader,
  parseOwnerHeader,
  pointBackLink,
  revealSavedNotice,
  SIGN_OUT_ACTIONS,
  type Owner,
} from './kept-pages.ts';

// The worker's global scope, as far as this file uses it: the WebWorker library's types cannot
// be loaded beside the DOM library that the rest of src/ is checked with (they declare the same
// globals differently), so this file names what it needs. Serwist's types take the events.
interface WorkerEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
declare const self: {
  /** The precache manifest, put in by the build (src/offline/build-service-worker.ts). */
  __SW_MANIFEST: Array<PrecacheEntry | string>;
  addEventListener(type: 'install' | 'activate' | 'fetch', listener: (event: WorkerEvent) => void): void;
  clients: { matchAll(options: { type: 'window' }): Promise<Array<{ url: string }>> };
};

/** The kept pages and, under STATE_KEY, whose they are and which activity pages go with them. */
const KEPT_PAGES = 'ankommen-kept-pages';
/** Stylesheets kept pages link to: a new build replaces the precached one, and a page kept
 * before the update must still find its own. */
const KEPT_STYLES = 'ankommen-kept-styles';
const STATE_KEY = '/__offline/kept-state';
/** How long a kept page waits for the network before showing its kept copy (the network's
 * answer still updates the copy when it comes): on a bus a request can hang for a minute. */
const NETWORK_PATIENCE_MS = 6000;
/** A listed activity page kept less than this long ago is not fetched again when its list is
 * opened, so that opening "My activities" twice does not fetch every activity twice. */
const FRESH_FOR_MS = 5 * 60_000;
const MAX_KEPT_STYLESHEETS = 4;

interface KeptState extends Owner {
  /** The activity pages each list named when last opened, by the list's path. */
  lists: Record<string, string[]>;
}

const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  precacheOptions: { cleanupOutdatedCaches: true, concurrency: 4 },
  // A new build's worker takes over at once: pages are rendered on the server, so there is no
  // old app shell to keep consistent, and the next navigation gets the new offline pages.
  skipWaiting: true,
  clientsClaim: true,
  // Navigations start on the network while the worker starts up.
  navigationPreload: true,
  disableDevLogs: true,
});

// Everything that changes kept pages runs one after another, so that a sign-out clearing them
// cannot interleave with a page being put back.
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

async function readState(): Promise<KeptState | null> {
  const stored = await caches.match(STATE_KEY, { cacheName: KEPT_PAGES });
  if (!stored) return null;
  try {
    return (await stored.json()) as KeptState;
  } catch {
    return null;
  }
}

async function writeState(state: KeptState): Promise<void> {
  const cache = await caches.open(KEPT_PAGES);
  await cache.put(STATE_KEY, new Response(JSON.stringify(state), { headers: { 'Content-Type': 'application/json' } }));
}

async function forgetKeptPages(): Promise<void> {
  await Promise.all([caches.delete(KEPT_PAGES), caches.delete(KEPT_STYLES)]);
}

function isHtml(response: Response): boolean {
  return (response.headers.get('Content-Type') ?? '').startsWith('text/html');
}

/** The key a page is kept under: its address without the query. */
function keyOf(url: URL): string {
  return url.origin + url.pathname;
}

/**
 * Learns from a page answered by the server who is signed in now: nobody or someone else
 * means the kept pages are not theirs, and they go before the page is shown.
 */
async function learnWhoIsSignedIn(response: Response): Promise<void> {
  // A redirect says nothing (its headers are hidden from us); an error page may come from a
  // server in trouble rather than from a session that ended.
  if (response.type === 'opaqueredirect' || !response.ok || !isHtml(response)) return;
  const owner = parseOwnerHeader(response.headers.get(OWNER_HEADER));
  await serially(async () => {
    if (!owner) {
      if (await caches.has(KEPT_PAGES)) await forgetKeptPages();
      return;
    }
    const state = await readState();
    if (state && state.person === owner.person) {
      if (state.until !== owner.until) await writeState({ ...state, until: owner.until });
      return;
    }
    if (state || (await caches.has(KEPT_PAGES))) await forgetKeptPages();
    await writeState({ ...owner, lists: {} });
  });
}

/** Keeps a page the server just answered, if it is one to keep and the person's own. */
async function keepPage(url: URL, response: Response): Promise<void> {
  const kind = keptPageKindOfPath(url.pathname);
  const owner = parseOwnerHeader(response.headers.get(OWNER_HEADER));
  if (!kind || !owner || response.status !== 200 || !isHtml(response)) return;
  const html = await response.clone().text();
  const toFetch = await serially(async () => {
    const state = await readState();
    // Signed out or someone else by now: the page is not kept.
    if (!state || state.person !== owner.person) return [];
    const listed = new Set(Object.values(state.lists).flat());
    if (kind === 'activity' && !listed.has(url.pathname)) return [];
    const cache = await caches.open(KEPT_PAGES);
    await cache.put(keyOf(url), response);
    await keepStylesheets(html, url);
    if (kind === 'activity') return [];
    // A list: remember the activity pages it names, let go of those no list names any more,
    // and fetch those not kept or not kept lately.
    const named = parseKeepHeader(response.headers.get(KEEP_HEADER), url.pathname);
    const lists = { ...state.lists, [url.pathname]: named };
    await writeState({ ...state, lists });
    const stillNamed = new Set(Object.values(lists).flat());
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (keptPageKindOfPath(path) === 'activity' && !stillNamed.has(path)) await cache.delete(request);
    }
    const stale: string[] = [];
    for (const path of named) {
      const kept = await cache.match(url.origin + path, { ignoreVary: true });
      const keptAt = Date.parse(kept?.headers.get('Date') ?? '');
      if (!kept || !(Date.now() - keptAt < FRESH_FOR_MS)) stale.push(path);
    }
    return stale;
  });
  // One at a time: a list of thirty activities must not arrive at the server as thirty
  // requests at once.
  for (const path of toFetch) {
    const pageUrl = new URL(path, url.origin);
    try {
      const page = await fetch(pageUrl, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      await keepPage(pageUrl, page);
    } catch {
      return;
    }
  }
}

/** Keeps the stylesheets a kept page links to, for when a new build's worker has replaced the
 * precached ones. */
async function keepStylesheets(html: string, pageUrl: URL): Promise<void> {
  const cache = await caches.open(KEPT_STYLES);
  for (const [link] of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)) {
    const href = /\bhref="(\/_astro\/[^"]+\.css)"/.exec(link)?.[1];
    if (!href || (await cache.match(href))) continue;
    const response = (await serwist.matchPrecache(href)) ?? (await fetch(new URL(href, pageUrl.origin)).catch(() => undefined));
    if (response?.ok) await cache.put(href, response);
  }
  // Oldest first: a few builds back is plenty for pages kept between two visits.
  const kept = await cache.keys();
  for (const request of kept.slice(0, Math.max(0, kept.length - MAX_KEPT_STYLESHEETS))) await cache.delete(request);
}

/** The kept copy of a page, its "saved on …" notice shown; none once the session that kept it
 * would have ended. */
async function keptCopy(url: URL): Promise<Response | undefined> {
  return serially(async () => {
    const state = await readState();
    if (!state) return undefined;
    if (Date.now() >= state.until) {
      await forgetKeptPages();
      return undefined;
    }
    const kept = await caches.match(keyOf(url), { cacheName: KEPT_PAGES, ignoreVary: true });
    if (!kept) return undefined;
    const html = revealSavedNotice(await kept.text());
    return new Response(html, { status: 200, statusText: 'OK', headers: rebuiltHeaders(kept.headers) });
  });
}

/** Headers for a body we made anew: the stored length and encoding were the network's. */
function rebuiltHeaders(from: Headers): Headers {
  const headers = new Headers(from);
  headers.delete('Content-Length');
  headers.delete('Content-Encoding');
  headers.set('Cache-Control', 'no-store');
  return headers;
}

/** The offline page or the not-sent page in the language of the address asked for, with
 * status 503; the browser's own error page if even that is missing. */
async function offlinePage(request: Request, kind: 'offline' | 'not-sent'): Promise<Response> {
  const url = new URL(request.url);
  const { locale } = splitLocalePath(url.pathname);
  const page = await serwist.matchPrecache(localePath(locale, kind === 'offline' ? OFFLINE_PAGE : NOT_SENT_PAGE));
  if (!page) return Response.error();
  let html = await page.text();
  if (kind === 'not-sent') html = pointBackLink(html, request.referrer, url.origin);
  return new Response(html, { status: 503, statusText: 'Service Unavailable', headers: rebuiltHeaders(page.headers) });
}

/**
 * The pages open while this worker starts: the page that registered it was fetched before any
 * worker was there, and a new build's worker should keep pages with the new stylesheet. So
 * "My activities" opened once is kept, even on the visit that brought the worker.
 */
async function keepOpenPages(): Promise<void> {
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    const url = new URL(client.url);
    if (!keptPageKindOfPath(url.pathname)) continue;
    const response = await fetch(url.origin + url.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    await learnWhoIsSignedIn(response);
    await keepPage(url, response);
  }
}

/**
 * Every page the person opens: from the network (learning who is signed in and keeping what
 * is to be kept), else the kept copy, else the offline page.
 */
class PagesFromTheNetwork extends Strategy {
  protected async _handle(request: Request, handler: StrategyHandler): Promise<Response> {
    const url = new URL(request.url);
    const keepable = keptPageKindOfPath(url.pathname) !== null;
    const network = handler.fetch(request).then(async (response) => {
      await learnWhoIsSignedIn(response);
      if (keepable) void handler.waitUntil(keepPage(url, response.clone()).catch(() => undefined));
      return response;
    });
    if (!keepable) return network.catch(() => offlinePage(request, 'offline'));

    let timer: ReturnType<typeof setTimeout> | undefined;
    const patience = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), NETWORK_PATIENCE_MS);
    });
    try {
      const first = await Promise.race([network, patience]);
      if (first !== 'slow') return first;
      const copy = await keptCopy(url);
      if (!copy) return await network;
      void handler.waitUntil(network.catch(() => undefined));
      return copy;
    } catch {
      return (await keptCopy(url)) ?? offlinePage(request, 'offline');
    } finally {
      clearTimeout(timer);
    }
  }
}

const sameOriginNavigation = ({ request, sameOrigin }: { request: Request; sameOrigin: boolean }) => sameOrigin && request.mode === 'navigate';

serwist.registerCapture(sameOriginNavigation, new PagesFromTheNetwork());

// Forms (a POST navigation) go to the network only; when that fails the person is told plainly
// that nothing was sent. No background sync: an RSVP or a withdrawal sent hours later, when the
// family has made other plans, would be worse than none.
serwist.registerCapture(
  sameOriginNavigation,
  new NetworkOnly({
    plugins: [
      {
        requestWillFetch: async ({ request }) => {
          const action = new URL(request.url).searchParams.get('_action');
          if (action && (SIGN_OUT_ACTIONS as readonly string[]).includes(action)) await serially(forgetKeptPages);
          return request;
        },
        handlerDidError: async ({ request }) => offlinePage(request, 'not-sent'),
      },
    ],
  }),
  'POST',
);

// A stylesheet of an earlier build, for a page kept before the update (the current ones are
// answered from the precache, whose route comes first).
serwist.registerCapture(
  ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/_astro/') && url.pathname.endsWith('.css'),
  async ({ request }) => (await caches.match(request, { cacheName: KEPT_STYLES })) ?? fetch(request),
);

// Not addEventListeners(): its message listener would let any page ask the worker to fetch
// and cache addresses, which nothing here needs.
self.addEventListener('install', (event) => void serwist.handleInstall(event as Parameters<Serwist['handleInstall']>[0]));
self.addEventListener('activate', (event) => {
  void serwist.handleActivate(event as Parameters<Serwist['handleActivate']>[0]);
  event.waitUntil(keepOpenPages().catch(() => undefined));
});
self.addEventListener('fetch', (event) => serwist.handleFetch(event as Parameters<Serwist['handleFetch']>[0]));
