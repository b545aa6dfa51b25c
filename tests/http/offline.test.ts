// The installable web app over HTTP: the manifest in every language (fields, lang and dir,
// scope, icons that exist at their sizes), the pages linking it, /sw.js served so that a new
// build replaces the old worker and the worker may fetch, the offline pages in every language
// and the same for everyone, and what the server tells the worker: whose page it is, which
// activity pages go with a list, and the hidden "saved on …" notice on kept pages only.
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCALES, localePath } from '../../src/i18n/locales.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
import { as, page, rawGet, stripTags, Visitor } from '../helpers/visitor.ts';

const RTL = new Set(['ar', 'fa']);
const TEST_NAME = 'Test Resident';

interface Manifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  lang: string;
  dir: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: Array<{ src: string; sizes: string; type: string; purpose?: string }>;
  shortcuts: Array<{ name: string; url: string }>;
}

async function manifestOf(locale: (typeof LOCALES)[number]): Promise<{ response: Response; manifest: Manifest }> {
  const response = await new Visitor().get(localePath(locale, '/manifest.webmanifest'));
  return { response, manifest: (await response.clone().json()) as Manifest };
}

/** A colour token from the stylesheet the pages use. */
async function token(name: string): Promise<string> {
  const css = await readFile(new URL('../../src/styles/tokens.css', import.meta.url), 'utf8');
  return new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)![1]!.toLowerCase();
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('the web app manifest', () => {
  it.each(LOCALES)('in %s: named, in its language and direction, opening and staying in that language', async (locale) => {
    const { response, manifest } = await manifestOf(locale);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const home = localePath(locale, '/');
    expect(manifest).toMatchObject({ lang: locale, dir: RTL.has(locale) ? 'rtl' : 'ltr', start_url: home, scope: home, id: home, display: 'standalone', name: 'Ankommen Altena', short_name: 'Ankommen' });
    expect(manifest.start_url.startsWith(manifest.scope)).toBe(true);
    expect(manifest.theme_color).toBe(await token('teal'));
    expect(manifest.background_color).toBe(await token('paper'));
    expect(manifest.description).toContain('Altena');
    if (locale !== 'de') expect(manifest.description).not.toBe((await manifestOf('de')).manifest.description);
    // The shortcuts lead to the person's lists in the same language, inside the scope.
    expect(manifest.shortcuts.map((s) => s.url)).toEqual([localePath(locale, '/my-activities'), localePath(locale, '/my-shifts'), localePath(locale, '/activities')]);
    for (const shortcut of manifest.shortcuts) expect(shortcut.url.startsWith(manifest.scope)).toBe(true);
  });

  it('is not answered under a German prefix or an unknown language', async () => {
    expect((await new Visitor().get('/de/manifest.webmanifest')).status).toBe(404);
    expect((await new Visitor().get('/xx/manifest.webmanifest')).status).toBe(404);
  });

  it('lists icons that exist, at the sizes it claims: 192 and 512, for any shape and maskable, and an SVG', async () => {
    const { manifest } = await manifestOf('de');
    const purposes = manifest.icons.map((icon) => `${icon.purpose ?? 'any'} ${icon.sizes}`);
    expect(purposes).toEqual(expect.arrayContaining(['any 192x192', 'any 512x512', 'maskable 192x192', 'maskable 512x512', 'any any']));
    for (const icon of manifest.icons) {
      const response = await rawGet(icon.src, {});
      expect(response.status, icon.src).toBe(200);
      expect(response.headers['content-type'], icon.src).toContain(icon.type);
      if (icon.type === 'image/png') {
        const png = PNG.sync.read(response.body);
        expect(`${png.width}x${png.height}`, icon.src).toBe(icon.sizes);
        // Maskable icons fill their square: Android cuts them to its own shape.
        if (icon.purpose === 'maskable') expect(png.data[3], `${icon.src}: corner pixel opaque`).toBe(255);
      } else {
        expect(response.body.toString('utf8')).toMatch(/^<svg/);
      }
    }
    const touch = await rawGet('/icons/apple-touch-icon.png', {});
    const png = PNG.sync.read(touch.body);
    expect([png.width, png.height]).toEqual([180, 180]);
  });

  it('is linked from every page in its language, with the touch icon and the theme colour', async () => {
    for (const locale of ['de', 'ar'] as const) {
      const { html } = await page(new Visitor(), localePath(locale, '/activities'));
      expect(html).toContain(`<link rel="manifest" href="${localePath(locale, '/manifest.webmanifest')}">`);
      expect(html).toContain('<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png">');
      expect(html).toContain(`<meta name="theme-color" content="${await token('teal')}">`);
    }
    const resident = await as('resident');
    expect((await page(resident, '/fa/my-activities')).html).toContain('<link rel="manifest" href="/fa/manifest.webmanifest">');
  });
});

describe('/sw.js', () => {
  it('is served at the root, asked for again every time, with a policy that lets it fetch the portal and nothing else', async () => {
    const response = await rawGet('/sw.js', {});
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('no-cache');
    const policy = directives(String(response.headers['content-security-policy']));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    // A revalidation costs a 304, so no-cache is cheap.
    const again = await rawGet('/sw.js', { 'If-None-Match': String(response.headers.etag) });
    expect(again.status).toBe(304);
    // Compressed like the other scripts.
    const gzipped = await rawGet('/sw.js', { 'Accept-Encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['cache-control']).toBe('no-cache');
  });

  it('precaches the stylesheet the pages use, the icons and the offline pages of every language', async () => {
    const worker = (await rawGet('/sw.js', {})).body.toString('utf8');
    const { html } = await page(new Visitor(), '/');
    const stylesheet = /<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)">/.exec(html)![1]!;
    // The manifest as the build wrote it into the worker: {url:"/…",revision:…} entries.
    const precached = [...worker.matchAll(/\burl:"(\/[^"]*)"/g)].map((m) => m[1]);
    expect(precached).toContain(stylesheet);
    expect(precached).toEqual(expect.arrayContaining(['/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png', '/favicon.svg']));
    for (const locale of LOCALES) expect(precached).toEqual(expect.arrayContaining([localePath(locale, '/offline'), localePath(locale, '/offline/not-sent')]));
    for (const url of precached) expect((await rawGet(url!, {})).status, url).toBe(200);
  });

  it('may be registered by the pages: their policy allows scripts from the portal, never inline ones without a hash', async () => {
    const resident = await as('resident');
    const response = await resident.get('/my-activities');
    const policy = directives(response.headers.get('content-security-policy')!);
    const workers = policy.get('worker-src') ?? policy.get('child-src') ?? policy.get('script-src')!;
    expect(workers).toContain("'self'");
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
  });
});

describe('the registration script', () => {
  it('is on signed-in pages and on no public page', async () => {
    const resident = await as('resident');
    for (const path of ['/', '/my-activities', '/account', '/ar/my-shifts']) {
      expect((await page(resident, path)).html, path).toMatch(/<script type="module">[^<]*serviceWorker[^<]*register\(`\/sw\.js`\)/);
    }
    for (const path of ['/', '/activities', '/sign-in', '/ar/kuemmerer', '/offline']) {
      expect((await page(new Visitor(), path)).html, path).not.toContain('serviceWorker');
    }
  });
});

describe('the offline pages', () => {
  it.each(LOCALES)('exist in %s, in the language and direction of their address', async (locale) => {
    for (const [path, title] of [
      ['/offline', 'offline.title'],
      ['/offline/not-sent', 'offline.notSent.title'],
    ] as const) {
      const { status, html } = await page(new Visitor(), localePath(locale, path));
      expect(status, path).toBe(200);
      expect(html).toContain(`<html lang="${locale}" dir="${RTL.has(locale) ? 'rtl' : 'ltr'}">`);
      const { translator } = await import('../../src/i18n/index.ts');
      expect(stripTags(/<h1>([\s\S]*?)<\/h1>/.exec(html)![1]!)).toBe(translator(locale)(title));
    }
  });

  it('are the same for everyone, signed in or not: one copy on a device serves whoever uses it', async () => {
    const resident = await as('resident');
    for (const path of ['/offline', '/uk/offline/not-sent']) {
      const visitorCopy = (await page(new Visitor(), path)).html;
      const residentCopy = (await page(resident, path)).html;
      expect(residentCopy, path).toBe(visitorCopy);
      expect(residentCopy).not.toContain(TEST_NAME);
    }
  });

  it('say plainly that a form was not sent, and lead back to the page (home until the worker knows it)', async () => {
    const { html, text } = await page(new Visitor(), '/offline/not-sent');
    expect(text).toContain('Nicht gesendet – Sie sind offline');
    expect(text).toContain('Ihre Angaben wurden nicht gespeichert. Versuchen Sie es noch einmal, wenn Sie wieder online sind.');
    expect(text).toContain('Nichts wird später von selbst abgeschickt');
    expect(html).toMatch(/<a class="button" href="\/" data-offline-back>/);
  });
});

describe('what the server tells the worker', () => {
  let activityId: string;
  beforeAll(async () => {
    const organiser = await as('organiser');
    activityId = await createPublishedActivity(organiser, inject('activities').organisation!, { title: 'Offline lesen', date: '2031-03-04' });
  });

  it('names the signed-in person and when their session ends on every answer, and nobody on a visitor’s', async () => {
    const resident = await as('resident');
    const mine = await resident.get('/activities');
    const owner = /^(\d+); until=(.+)$/.exec(mine.headers.get('x-offline-owner') ?? '');
    expect(owner, mine.headers.get('x-offline-owner') ?? '(none)').not.toBeNull();
    expect(Date.parse(owner![2]!)).toBeGreaterThan(Date.now());
    expect(mine.headers.get('cache-control')).toBe('no-store');
    const newcomer = await as('newcomer');
    const theirs = /^(\d+);/.exec((await newcomer.get('/activities')).headers.get('x-offline-owner') ?? '')?.[1];
    expect(theirs).toBeDefined();
    expect(theirs).not.toBe(owner![1]);
    expect((await new Visitor().get('/activities')).headers.get('x-offline-owner')).toBeNull();
    expect((await new Visitor().get('/activities/' + activityId)).headers.get('x-offline-owner')).toBeNull();

    // Signed out, the next page names nobody: the worker forgets the kept pages.
    const leaving = new Visitor();
    const { TEST_ACCOUNTS } = await import('../helpers/accounts.ts');
    await leaving.signIn(TEST_ACCOUNTS.neighbour.email, TEST_ACCOUNTS.neighbour.password);
    expect((await leaving.get('/')).headers.get('x-offline-owner')).not.toBeNull();
    const out = await leaving.submit('/', 'accounts.signOut', {});
    expect(out.url).toBe('/');
    expect((await leaving.get('/')).headers.get('x-offline-owner')).toBeNull();
  });

  it('lists the pages of the activities a person is going to with "My activities", in its language, and no one else’s', async () => {
    const newcomer = await as('newcomer');
    const before = (await newcomer.get('/my-activities')).headers.get('x-offline-keep') ?? '';
    expect(before.split(' ')).not.toContain(`/activities/${activityId}`);
    const going = await newcomer.submit(`/activities/${activityId}`, 'rsvps.create', { activityId, partySize: '2', note: '' });
    expect(going.status).toBe(200);
    expect((await newcomer.get('/my-activities')).headers.get('x-offline-keep')!.split(' ')).toContain(`/activities/${activityId}`);
    expect((await newcomer.get('/ar/my-activities')).headers.get('x-offline-keep')!.split(' ')).toContain(`/ar/activities/${activityId}`);
    // Another person's list does not name it.
    const resident = await as('resident');
    expect(((await resident.get('/my-activities')).headers.get('x-offline-keep') ?? '').split(' ')).not.toContain(`/activities/${activityId}`);
  });

  it('puts the hidden "saved on …" notice on the pages a device keeps, and on no other', async () => {
    const resident = await as('resident');
    for (const path of ['/my-activities', '/my-shifts', '/my-kuemmerer', `/activities/${activityId}`]) {
      const { html } = await page(resident, path);
      const notice = /<div class="notice notice--warning offline-copy" data-offline-copy hidden>([\s\S]*?)<\/div>/.exec(html);
      expect(notice, path).not.toBeNull();
      expect(stripTags(notice![1]!)).toMatch(/^Offline – gespeichert am .+ \d{2}:\d{2} Sie sehen die Fassung, die auf diesem Gerät gespeichert ist\./);
    }
    expect((await page(resident, '/fa/my-activities')).html).toContain('آفلاین – ذخیره‌شده در');
    for (const path of ['/account', '/activities', '/help-wanted']) expect((await page(resident, path)).html, path).not.toContain('data-offline-copy');
    // A visitor's activity page is never kept.
    expect((await page(new Visitor(), `/activities/${activityId}`)).html).not.toContain('data-offline-copy');
  });
});
