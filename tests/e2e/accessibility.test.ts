// Automatic accessibility checks with axe-core (WCAG 2.2 AA rules), keyboard entry through the
// skip link, and reflow at 320 CSS pixels (WCAG 1.4.10) in all six languages.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCALE_NAMES, LOCALES, localePath } from '../../src/i18n/locales.ts';
import { errorPageHtml } from '../../src/lib/http-answers.ts';
import { ROOT } from '../helpers/portal.ts';
import { launchBrowser, newContext } from './browser.ts';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
  html: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (values) => {
    const w = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } };
    return w.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
  }, TAGS);
  return result.violations as AxeViolation[];
}

function describeViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no serious or critical violations`;
  const lines = violations.map((v) => {
    const nodes = v.nodes.map((n) => `      target ${JSON.stringify(n.target)}\n        ${n.html.slice(0, 200)}\n        ${(n.failureSummary ?? '').replace(/\n/g, ' | ')}`);
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
  });
  return `${where}: ${violations.length} serious/critical axe violation(s)\n${lines.join('\n')}`;
}

describe('axe-core finds no serious or critical problems', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // The portal's Content-Security-Policy rightly blocks the injected axe script.
    context = await newContext(browser, baseUrl, { bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  const pages: Array<[string, string]> = [
    ['home page', '/'],
    ['sign-in page', '/sign-in'],
    ['sign-up page', '/sign-up'],
    ['Arabic home page', '/ar'],
    ['Arabic sign-up page', '/ar/sign-up'],
    ['browse page with filters that match nothing (form open)', '/activities?category=sports&level=C1'],
    ['Arabic browse page', '/ar/activities?childcare=1'],
    // The demo town's first activity (ids start at 1 in a fresh database).
    ['activity page', '/activities/1'],
    ['Arabic activity page', '/ar/activities/1'],
  ];
  it.each(pages)('%s (%s)', async (name, url) => {
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, describeViolations(`${name} ${url}`, serious)).toEqual([]);
  });

  it('sign-up page showing errors (/sign-up after an empty post)', async () => {
    await page.goto('/sign-up');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === '/sign-up');
    await page.locator('.error-summary').waitFor();
    expect(await page.title()).toMatch(/^Fehler: /);
    const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, describeViolations('sign-up page with errors', serious)).toEqual([]);
  });

  it('plain error pages the server answers with (400, 405, 413, 500, 503), in German and Arabic', async () => {
    for (const locale of ['de', 'ar'] as const) {
      for (const status of [400, 405, 413, 500, 503]) {
        await page.setContent(errorPageHtml(locale, status));
        const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious, describeViolations(`${status} page (${locale})`, serious)).toEqual([]);
      }
    }
  });
});

describe('keyboard', () => {
  it('reaches the skip link first, and it shows when focused', async () => {
    const context = await newContext(browser, baseUrl);
    try {
      const page = await context.newPage();
      await page.goto('/');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return null;
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          className: el.className,
          href: el.getAttribute('href'),
          inViewport: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
          shown: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0,
          clipped: style.clipPath !== 'none' && style.clipPath !== '' ? style.clipPath : null,
        };
      });
      expect(focused?.className).toContain('skip-link');
      expect(focused?.href).toBe('#main');
      expect(focused, JSON.stringify(focused)).toMatchObject({ inViewport: true, shown: true, clipped: null });
      expect(await page.locator('.skip-link').isVisible()).toBe(true);
      // Following it moves the focus to the main content.
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
    } finally {
      await context.close();
    }
  });
});

describe('reflow at 320 CSS pixels: no horizontal scrolling', () => {
  // Every language's home, activity list, activity page (the demo town's first activity: ids
  // start at 1 in a fresh database) and sign-in page: the header's language button carries the
  // language's own name, and "Українська" is the longest of them.
  const everyLanguage = LOCALES.flatMap((locale): Array<[string, string]> =>
    (['/', '/activities', '/activities/1', '/sign-in'] as const).map((path) => [`${LOCALE_NAMES[locale]} ${path}`, localePath(locale, path)]),
  );
  const cases: Array<[string, string]> = [
    ...everyLanguage,
    ['German sign-up page', '/sign-up'],
    ['Arabic sign-up page', '/ar/sign-up'],
    ['browse page with filters that match nothing (form open)', '/activities?category=sports&level=C1'],
    ['Arabic browse page', '/ar/activities?childcare=1'],
  ];
  let context: BrowserContext;
  beforeAll(async () => {
    context = await newContext(browser, baseUrl, { viewport: { width: 320, height: 640 } });
  });
  afterAll(async () => {
    await context?.close();
  });

  it.each(cases)('%s (%s)', async (_name, url) => {
    const page = await context.newPage();
    try {
      await page.goto(url);
      const sizes = await page.evaluate(() => {
        const root = document.documentElement;
        // Name what sticks out, so a failure says where to look.
        const wide = [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > root.clientWidth + 0.5 || r.left < -0.5);
          })
          .slice(0, 8)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} [${Math.round(el.getBoundingClientRect().left)}–${Math.round(el.getBoundingClientRect().right)}]`);
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
      });
      expect(sizes.scrollWidth, `${url}: scrollWidth ${sizes.scrollWidth} > 320; elements outside: ${sizes.wide.join(', ')}`).toBeLessThanOrEqual(320);
    } finally {
      await page.close();
    }
  });
});

describe('axe on the pages for organisations and their members', () => {
  let context: BrowserContext;
  let page: Page;
  let invitationLink: URL;
  let organiserId: string;

  async function signIn(target: Page, email: string): Promise<void> {
    await target.goto('/sign-in');
    await target.locator('#field-login').fill(email);
    await target.locator('#field-password').fill('ankommen-demo');
    await target.locator('main form button[type="submit"]').click();
    await target.waitForURL((url) => url.pathname === '/');
  }

  beforeAll(async () => {
    context = await newContext(browser, baseUrl, { bypassCSP: true });
    page = await context.newPage();
    await signIn(page, 'admin@example.org');
    // An open invitation (in Arabic) so that the admin page lists one and its link can be opened.
    const email = `axe-${Date.now().toString(36)}@test.example`;
    await page.goto('/admin/organisations/stadtbibliothek');
    await page.locator('#field-email').fill(email);
    await page.locator('#field-locale').selectOption('ar');
    await page.locator('main form button[type="submit"]').last().click();
    await page.waitForLoadState();
    const { linkIn, mailsTo } = await import('../helpers/visitor.ts');
    const [mail] = await mailsTo(email);
    invitationLink = linkIn(mail!);
    organiserId = (await page.locator('a[data-remove-member]').first().getAttribute('data-remove-member')) ?? '';
  });
  afterAll(async () => {
    await context?.close();
  });

  const check = async (where: string, status = 200) => {
    const serious = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, describeViolations(where, serious)).toEqual([]);
    return status;
  };

  it.each([
    ['an organisation with members and an open invitation', '/admin/organisations/stadtbibliothek'],
    ['an organisation’s details and contact', '/organise/organisation/stadtbibliothek'],
    ['an organisation’s details and contact, in Arabic', '/ar/organise/organisation/stadtbibliothek'],
  ])('%s (%s)', async (name, url) => {
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    await check(`${name} ${url}`);
  });

  it('the question before removing the last organiser', async () => {
    const url = `/admin/organisations/stadtbibliothek/remove?member=${organiserId}&role=organiser`;
    expect((await page.goto(url))?.status()).toBe(200);
    expect(await page.locator('.notice--warning').count()).toBe(1);
    await check(url);
  });

  it('the details form showing a wrong phone number', async () => {
    await page.goto('/organise/organisation/stadtbibliothek');
    await page.locator('#field-contactPhone').fill('abends');
    await page.locator('main form button[type="submit"]').click();
    await page.locator('.error-summary').waitFor();
    expect(await page.title()).toMatch(/^Fehler: /);
    await check('details form with errors');
  });

  it('the invitation page, in Arabic, and the activity page with a contact in Arabic at 320 px', async () => {
    const invitee = await (await newContext(browser, baseUrl, { bypassCSP: true, viewport: { width: 320, height: 640 } })).newPage();
    try {
      for (const url of [invitationLink.pathname + invitationLink.search, '/ar/activities/1']) {
        expect((await invitee.goto(url))?.status(), url).toBe(200);
        const serious = (await axe(invitee)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious, describeViolations(url, serious)).toEqual([]);
        const width = await invitee.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${url} scrolls sideways`).toBeLessThanOrEqual(320);
      }
      expect(await invitee.locator('a[href^="tel:"], a[href^="mailto:"]').count()).toBeGreaterThan(0);
    } finally {
      await invitee.context().close();
    }
  });

  it('the question before deleting a Kümmerer’s meeting', async () => {
    const mentor = await (await newContext(browser, baseUrl, { bypassCSP: true })).newPage();
    try {
      await signIn(mentor, 'mentor@example.org');
      await mentor.goto('/mentees');
      await mentor.locator('main a[href^="/mentees/"]').first().click();
      await mentor.waitForURL((url) => /^\/mentees\/\d+$/.test(url.pathname));
      await mentor.locator('a[href*="?delete="]').first().click();
      await mentor.waitForURL((url) => url.searchParams.has('delete'));
      expect(await mentor.locator('.meeting .notice--warning button[type="submit"]').count()).toBe(1);
      const serious = (await axe(mentor)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious, describeViolations('meeting deletion question', serious)).toEqual([]);
    } finally {
      await mentor.context().close();
    }
  });
});
