// The portal offline, in Chromium with its service worker (src/offline/service-worker.ts): a
// signed-in person's "My activities" and the activity pages it names are kept after one visit
// and read offline with "saved on …"; a form sent offline says plainly that nothing was sent,
// and nothing is sent later; pages never kept show the offline page in the page's language;
// signing out, someone else's session on the same phone and the end of the session each take
// the kept pages away. And the script that registers the worker: only on signed-in pages, and
// small.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

/** What the registration script may weigh, compressed (the budget). */
const REGISTRATION_BUDGET_GZIP = 2048;
const KEPT = 'ankommen-kept-pages';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Waits until the worker is active and answers for this page. */
async function workerInCharge(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** The paths the worker keeps (without opening, and so creating, its cache). */
function keptPaths(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    if (!(await caches.has(name))) return [];
    return (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname);
  }, KEPT);
}

/** Signs up for the first activity that still takes RSVPs and returns its path. */
async function rsvpToAnActivity(page: Page): Promise<string> {
  await page.goto('/activities');
  const links = await page.locator('.activity-card__title a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  for (const href of links) {
    await page.goto(href);
    const form = page.locator('form[action$="rsvps.create"]');
    if ((await form.count()) === 0) continue;
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === href);
    return href;
  }
  throw new Error('no activity takes RSVPs');
}

describe('after one visit, a signed-in person reads their pages offline', () => {
  let context: BrowserContext;
  let page: Page;
  let activity: string;
  let activityTitle: string;

  beforeAll(async () => {
    context = await newContext(browser, baseUrl);
    page = await context.newPage();
    await signIn(page, 'kuemmerer@example.org');
    await workerInCharge(page);
    activity = await rsvpToAnActivity(page);
    activityTitle = (await page.locator('main h1').first().textContent())!.trim();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('keeps "My activities" and the activity it names when the list is opened once', async () => {
    const response = await page.goto('/my-activities');
    expect(response?.status()).toBe(200);
    // Online, the notice is there but hidden.
    expect(await page.locator('[data-offline-copy]').count()).toBe(1);
    expect(await page.locator('[data-offline-copy]').isVisible()).toBe(false);
    await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toEqual(expect.arrayContaining(['/my-activities', activity]));
  });

  it('reloads "My activities" with the network off, saying when it was saved', async () => {
    await context.setOffline(true);
    try {
      const response = await page.reload();
      expect(response?.status()).toBe(200);
      await expect.poll(() => page.locator('main h1').first().textContent()).toBe('Meine Angebote');
      expect(await page.locator('main').textContent()).toContain(activityTitle);
      const notice = page.locator('[data-offline-copy]');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toMatch(/Offline – gespeichert am .*\d{1,2}:\d{2}/);
    } finally {
      await context.setOffline(false);
    }
  });

  it('opens the activity page the person signed up for, offline', async () => {
    await context.setOffline(true);
    try {
      await page.locator(`main a[href="${activity}"]`).first().click();
      await page.waitForURL((url) => url.pathname === activity);
      expect((await page.locator('main h1').first().textContent())?.trim()).toBe(activityTitle);
      expect(await page.locator('[data-offline-copy]').isVisible()).toBe(true);
    } finally {
      await context.setOffline(false);
    }
  });

  it('says plainly that a form sent offline was not sent, and sends nothing later', async () => {
    await page.goto('/my-activities');
    const form = page.locator('form[action*="rsvps.changePartySize"]').first();
    const before = await form.locator('select').inputValue();
    const other = before === '3' ? '2' : '3';
    await context.setOffline(true);
    try {
      await page.reload();
      await form.locator('select').selectOption(other);
      const [response] = await Promise.all([page.waitForEvent('response', (r) => r.request().method() === 'POST'), form.locator('button[type="submit"]').click()]);
      expect(response.status()).toBe(503);
      await page.waitForLoadState();
      expect((await page.locator('h1').textContent())?.trim()).toBe('Nicht gesendet – Sie sind offline');
      expect(await page.locator('main').textContent()).toContain('Ihre Angaben wurden nicht gespeichert. Versuchen Sie es noch einmal, wenn Sie wieder online sind.');
      // Back to the page the form was on.
      expect(await page.locator('a[data-offline-back]').getAttribute('href')).toBe('/my-activities');
    } finally {
      await context.setOffline(false);
    }
    // Online again: the party size is what it was; nothing was queued and sent behind the
    // person's back.
    await page.goto('/my-activities');
    expect(await page.locator('form[action*="rsvps.changePartySize"] select').first().inputValue()).toBe(before);
  });

  it('shows the offline page, in the page’s language, for a page never kept', async () => {
    await context.setOffline(true);
    try {
      const german = await page.goto('/help-wanted');
      expect(german?.status()).toBe(503);
      expect((await page.locator('h1').textContent())?.trim()).toBe('Sie sind offline');
      // The pages it does keep are offered.
      expect(await page.locator('main a[href="/my-activities"]').count()).toBe(1);
      const arabic = await page.goto('/ar/help-wanted');
      expect(arabic?.status()).toBe(503);
      expect(await page.locator('html').getAttribute('lang')).toBe('ar');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect((await page.locator('h1').textContent())?.trim()).toBe('أنت غير متصل بالإنترنت');
      // Styled like the portal: the precached stylesheet loaded.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header__bar')!).backgroundColor)).toBe('rgb(31, 95, 91)');
    } finally {
      await context.setOffline(false);
    }
  });

  it('forgets the kept pages when the session that kept them has ended, even offline', async () => {
    await page.goto('/my-activities');
    await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toContain('/my-activities');
    // As if ten days had passed unused: the session behind the copies is over.
    await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      const state = (await (await cache.match('/__offline/kept-state'))!.json()) as { until: number };
      await cache.put('/__offline/kept-state', new Response(JSON.stringify({ ...state, until: Date.now() - 1000 }), { headers: { 'Content-Type': 'application/json' } }));
    }, KEPT);
    await context.setOffline(true);
    try {
      const response = await page.reload();
      expect(response?.status()).toBe(503);
      expect((await page.locator('h1').textContent())?.trim()).toBe('Sie sind offline');
      expect(await page.locator('body').textContent()).not.toContain(activityTitle);
    } finally {
      await context.setOffline(false);
    }
    expect(await keptPaths(page)).toEqual([]);
  });

  it('deletes the kept pages when the person signs out', async () => {
    await page.goto('/my-activities');
    await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toEqual(expect.arrayContaining(['/my-activities', activity]));
    await page.locator('form[action$="accounts.signOut"] button').click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await keptPaths(page)).toEqual([]);
    await context.setOffline(true);
    try {
      for (const path of ['/my-activities', activity]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(503);
        expect((await page.locator('h1').textContent())?.trim(), path).toBe('Sie sind offline');
        expect(await page.locator('body').textContent(), path).not.toContain(activityTitle);
      }
    } finally {
      await context.setOffline(false);
    }
  });
});

describe('a shared phone', () => {
  it('shows nobody the pages kept for someone else whose session is in the browser now', async () => {
    const phone = await newContext(browser, baseUrl);
    const other = await newContext(browser, baseUrl);
    try {
      const page = await phone.newPage();
      await signIn(page, 'mentor-tr@example.org');
      await workerInCharge(page);
      await page.goto('/my-activities');
      await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toContain('/my-activities');

      // Someone else's session arrives in the same browser without a sign-out (here: copied
      // from another browser; on a phone, the first person's session simply ended).
      const otherPage = await other.newPage();
      await signIn(otherPage, 'kuemmerer@example.org');
      await phone.clearCookies();
      await phone.addCookies(await other.cookies());
      await page.goto('/my-shifts');
      expect(await keptPaths(page)).not.toContain('/my-activities');
      await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toContain('/my-shifts');

      await phone.setOffline(true);
      try {
        const response = await page.goto('/my-activities');
        expect(response?.status()).toBe(503);
        expect((await page.locator('h1').textContent())?.trim()).toBe('Sie sind offline');
      } finally {
        await phone.setOffline(false);
      }
    } finally {
      await phone.close();
      await other.close();
    }
  });
});

describe('signing out offline', () => {
  it('deletes the kept pages on the device at once, and says the sign-out itself was not sent', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await signIn(page, 'mentor-tr@example.org');
      await workerInCharge(page);
      await page.goto('/my-activities');
      await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toContain('/my-activities');
      await context.setOffline(true);
      try {
        await page.reload();
        expect(await page.locator('[data-offline-copy]').isVisible()).toBe(true);
        await page.locator('form[action$="accounts.signOut"] button').click();
        await page.waitForLoadState();
        expect((await page.locator('h1').textContent())?.trim()).toBe('Nicht gesendet – Sie sind offline');
        expect(await keptPaths(page)).toEqual([]);
        const response = await page.goto('/my-activities');
        expect(response?.status()).toBe(503);
        expect((await page.locator('h1').textContent())?.trim()).toBe('Sie sind offline');
      } finally {
        await context.setOffline(false);
      }
      // The page said so: the server never heard of it, and the session goes on.
      expect((await page.goto('/my-activities'))?.status()).toBe(200);
      expect(await page.locator('form[action$="accounts.signOut"]').count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});

describe('axe-core finds no moderate, serious or critical problems offline', () => {
  it('on a kept page with its "saved on …" notice, and on the not-sent page as the worker answers, in German and Arabic', async () => {
    // The portal's Content-Security-Policy rightly blocks the injected axe script.
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await signIn(page, 'mentor-tr@example.org', { prefix: '/ar' });
      await workerInCharge(page);
      for (const list of ['/ar/my-activities', '/my-shifts']) {
        await page.goto(list);
        await expect.poll(() => keptPaths(page), { timeout: 15_000 }).toContain(list);
      }
      await context.setOffline(true);
      try {
        for (const list of ['/ar/my-activities', '/my-shifts']) {
          await page.goto(list);
          expect(await page.locator('[data-offline-copy]').isVisible(), list).toBe(true);
          const found = await axeViolations(page);
          expect(found, describeViolations(`${list} kept, offline`, found)).toEqual([]);
        }
        // The language menu is a form too: sent offline, it gets the not-sent page.
        await page.goto('/ar/my-activities');
        await page.locator('details[data-menu] summary').click();
        await page.locator('details[data-menu] button[value="de"]').click();
        await page.waitForLoadState();
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
        expect((await page.locator('h1').textContent())?.trim()).toBe('لم يُرسَل – أنت غير متصل بالإنترنت');
        expect(await page.locator('a[data-offline-back]').getAttribute('href')).toBe('/ar/my-activities');
        const found = await axeViolations(page);
        expect(found, describeViolations('not-sent page, offline', found)).toEqual([]);
      } finally {
        await context.setOffline(false);
      }
    } finally {
      await context.close();
    }
  });
});

describe('the registration script', () => {
  it(`is on signed-in pages only, and under ${REGISTRATION_BUDGET_GZIP} bytes gzipped`, async () => {
    const visitor = await newContext(browser, baseUrl);
    const member = await newContext(browser, baseUrl);
    try {
      const publicPage = await visitor.newPage();
      for (const path of ['/', '/activities', '/sign-in']) {
        await publicPage.goto(path);
        const registering = await publicPage.evaluate(() => [...document.scripts].filter((s) => (s.textContent ?? '').includes('serviceWorker') || s.src.includes('sw')).length);
        expect(registering, path).toBe(0);
      }
      expect(await publicPage.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);

      const page = await member.newPage();
      await signIn(page, 'mentor-tr@example.org');
      const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ src: s.src, text: s.textContent ?? '' })));
      const registration = scripts.filter((s) => /serviceWorker\??\.register/.test(s.text));
      expect(registration).toHaveLength(1);
      const size = gzipSync(Buffer.from(registration[0]!.text)).length;
      console.log(`[offline] registration script: ${Buffer.byteLength(registration[0]!.text)} bytes, ${size} bytes gzipped`);
      expect(size).toBeLessThan(REGISTRATION_BUDGET_GZIP);
      await workerInCharge(page);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).toBe(`${baseUrl}/`);
    } finally {
      await visitor.close();
      await member.close();
    }
  });
});

describe('installing from a page', () => {
  it('finds the manifest of the page’s language, right to left for Arabic and Persian, with icons that load', async () => {
    const visitor = await newContext(browser, baseUrl);
    try {
      const page = await visitor.newPage();
      for (const [path, lang, dir, start] of [
        ['/activities', 'de', 'ltr', '/'],
        ['/ar/activities', 'ar', 'rtl', '/ar'],
        ['/fa', 'fa', 'rtl', '/fa'],
      ] as const) {
        await page.goto(path);
        const href = await page.locator('link[rel="manifest"]').getAttribute('href');
        const response = await page.request.get(href!);
        expect(response.headers()['content-type'], path).toContain('application/manifest+json');
        const manifest = (await response.json()) as { lang: string; dir: string; start_url: string; icons: Array<{ src: string; sizes: string }> };
        expect({ lang: manifest.lang, dir: manifest.dir, start_url: manifest.start_url }, path).toEqual({ lang, dir, start_url: start });
        for (const icon of manifest.icons) expect((await page.request.get(icon.src)).status(), icon.src).toBe(200);
        expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
      }
    } finally {
      await visitor.close();
    }
  });
});
