// Automatic accessibility checks with axe-core (WCAG 2.2 AA rules and best practices; moderate
// findings fail too, see axe.ts), keyboard entry through the
// skip link, and reflow at 320 CSS pixels (WCAG 1.4.10) in all six languages.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCALE_NAMES, LOCALES, localePath } from '../../src/i18n/locales.ts';
import { errorPageHtml } from '../../src/lib/http-answers.ts';
import { writeToBot } from '../helpers/bot-api.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';
import { answerLinksIn, ORGANISER, startAnswerTown, type AnswerTown } from '../helpers/answers.ts';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('axe-core finds no moderate, serious or critical problems', () => {
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

  // The pages below are read, never changed, so several are checked at once, each in a tab of
  // its own: a check mostly waits (for the page, for axe), and one at a time took minutes.

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
    ['help wanted', '/help-wanted'],
    ['help wanted, help requests filtered (form open)', '/help-wanted?rkind=interpreting&rday=week'],
    ['consultation hours', '/consultations'],
    ['Persian consultation hours, Dari chosen', '/fa/consultations?language=fa'],
    ['Kümmerer page', '/kuemmerer'],
    ['forgot password', '/forgot-password'],
    ['claim a code', '/claim'],
    ['Persian browse page', '/fa/activities'],
    // The legal pages, filled in with the demo town's (invented) details.
    ['privacy notice', '/privacy'],
    ['Arabic privacy notice', '/ar/privacy'],
    ['legal notice', '/legal-notice'],
    ['Persian legal notice', '/fa/legal-notice'],
    ['accessibility statement', '/accessibility'],
    ['Arabic accessibility statement', '/ar/accessibility'],
    ['account deleted', '/account/deleted'],
    ['Arabic account deleted', '/ar/account/deleted'],
    // The printable programme: the form, the hint and the sheet as it prints.
    ['printable programme', '/programme'],
    ['printable programme for a month, filters chosen (open)', '/programme?span=month&childcare=1&category=language'],
    ['Arabic printable programme beside German', '/ar/programme?bilingual=1'],
    ['Persian printable programme', '/fa/programme'],
    // What the service worker shows offline (tests/e2e/offline.test.ts checks them as served).
    ['offline page', '/offline'],
    ['Arabic offline page', '/ar/offline'],
    ['form not sent', '/offline/not-sent'],
    ['Persian form not sent', '/fa/offline/not-sent'],
  ];
  it.concurrent.for(pages)('%s (%s)', async ([name, url], { expect }) => {
    const tab = await context.newPage();
    try {
      const response = await tab.goto(url);
      expect(response?.status()).toBe(200);
      const found = await axeViolations(tab);
      expect(found, describeViolations(`${name} ${url}`, found)).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('sign-up page showing errors (/sign-up after an empty post)', async () => {
    await page.goto('/sign-up');
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === '/sign-up');
    await page.locator('.error-summary').waitFor();
    expect(await page.title()).toMatch(/^Fehler: /);
    const found = await axeViolations(page);
    expect(found, describeViolations('sign-up page with errors', found)).toEqual([]);
  });

  it('printable programme with a first day in the past (400, the message next to the field), in German and Arabic', async () => {
    for (const url of ['/programme?start=2020-01-06', '/ar/programme?start=2020-02-30']) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(400);
      await page.locator('#field-start-error').waitFor();
      const found = await axeViolations(page);
      expect(found, describeViolations(url, found)).toEqual([]);
    }
  });

  it('plain error pages the server answers with (400, 405, 413, 500, 503), in German and Arabic', async () => {
    for (const locale of ['de', 'ar'] as const) {
      for (const status of [400, 405, 413, 500, 503]) {
        await page.setContent(errorPageHtml(locale, status));
        const found = await axeViolations(page);
        expect(found, describeViolations(`${status} page (${locale})`, found)).toEqual([]);
      }
    }
  });
});

describe('signed-in pages: axe-core finds no moderate, serious or critical problems', () => {
  // Each account sees its own pages: a newcomer with a Kümmerer, a Kümmerer with a mentee, a
  // volunteer, a coordinator.
  const cases: Array<[string, string, string]> = [
    ['newcomer-uk@example.org', 'my activities', '/my-activities'],
    ['newcomer-uk@example.org', 'Ukrainian my activities', '/uk/my-activities'],
    ['newcomer-uk@example.org', 'my Kümmerer', '/my-kuemmerer'],
    ['resident@example.org', 'my shifts', '/my-shifts'],
    ['resident@example.org', 'volunteer profile with the help offer', '/account/volunteer-profile'],
    ['resident@example.org', 'Persian volunteer profile', '/fa/account/volunteer-profile'],
    ['resident@example.org', 'help wanted, fitting my profile', '/help-wanted?fits=on'],
    ['newcomer-ar@example.org', 'ask for help', '/help-requests/new'],
    ['newcomer-ar@example.org', 'Persian ask for help', '/fa/help-requests/new'],
    ['newcomer-ar@example.org', 'my help requests', '/my-help-requests'],
    ['newcomer-ar@example.org', 'Arabic my help requests', '/ar/my-help-requests'],
    ['mentor@example.org', 'ask for help for a mentee', '/help-requests/new'],
    ['coordinator@example.org', 'help requests overview', '/coordinate/help-requests'],
    ['coordinator@example.org', 'Persian help requests overview', '/fa/coordinate/help-requests'],
    ['resident@example.org', 'account', '/account'],
    ['resident@example.org', 'Arabic account', '/ar/account'],
    ['resident@example.org', 'notification settings', '/account/notifications'],
    ['resident@example.org', 'Arabic notification settings', '/ar/account/notifications'],
    ['resident@example.org', 'delete my account', '/account/delete'],
    ['resident@example.org', 'Persian delete my account', '/fa/account/delete'],
    ['resident@example.org', 'my data', '/account/data'],
    ['resident@example.org', 'Arabic my data', '/ar/account/data'],
    // Her request came with her consent: the account page lists it with the way to withdraw.
    ['newcomer-uk@example.org', 'My data with a consent', '/account/data#consents'],
    ['newcomer-uk@example.org', 'Persian My data with a consent', '/fa/account/data#consents'],
    ['resident@example.org', 'everything to read and print', '/account/data/view'],
    ['resident@example.org', 'Persian everything to read and print', '/fa/account/data/view'],
    ['newcomer-uk@example.org', 'Arabic everything to read and print, with a Kümmerer', '/ar/account/data/view'],
    ['mentor@example.org', 'everything to read and print, with private notes', '/account/data/view'],
    ['mentor@example.org', 'my mentees', '/mentees'],
    ['coordinator@example.org', 'matching requests', '/coordinate/requests'],
    ['coordinator@example.org', 'people without e-mail', '/coordinate/people'],
    ['coordinator@example.org', 'blank consent form in Arabic and German', '/coordinate/consent-form?language=ar'],
    ['coordinator@example.org', 'blank consent form, Persian page', '/fa/coordinate/consent-form?language=fa'],
    ['newcomer-uk@example.org', 'messages by Telegram', '/account/telegram'],
    ['newcomer-uk@example.org', 'Arabic messages by Telegram', '/ar/account/telegram'],
    ['admin@example.org', 'town details', '/admin/town'],
    ['admin@example.org', 'Arabic town details', '/ar/admin/town'],
    // The demo town's first activity is Stellwerk's language café, whose organiser this is.
    ['organiser@example.org', 'door list to print', '/organise/1/door-list'],
    ['organiser@example.org', 'Arabic door list to print', '/ar/organise/1/door-list'],
    ['organiser@example.org', 'consultation hours of Stellwerk, with the form', '/organise/organisation/stellwerk/consultation-hours'],
    ['organiser@example.org', 'Arabic consultation hours of Stellwerk', '/ar/organise/organisation/stellwerk/consultation-hours'],
    ['coordinator@example.org', 'day list of consultations', '/organise/organisation/stellwerk/consultation-hours/day'],
    // The demo town's hours, each linking to its page to change or cancel it (axe on that page: tests/e2e/consultations.test.ts).
    ['coordinator@example.org', 'consultation hours of the Integration Office, with change links', '/organise/organisation/integrationsbuero/consultation-hours'],
    ['mentor@example.org', 'consultation hours with the booking he made for his mentee', '/consultations'],
    ['newcomer-uk@example.org', 'Ukrainian consultation hours with a booking her Kümmerer made', '/uk/consultations'],
  ];
  // One signed-in context per account, made by whichever check needs it first (the checks run
  // several at once, as above, so the others wait for the same sign-in).
  const contexts = new Map<string, Promise<BrowserContext>>();
  afterAll(async () => {
    for (const context of contexts.values()) await (await context).close();
  });
  function signedInContext(account: string): Promise<BrowserContext> {
    let context = contexts.get(account);
    if (!context) {
      context = (async () => {
        const made = await newContext(browser, baseUrl, { bypassCSP: true });
        const signing = await made.newPage();
        await signIn(signing, account);
        await signing.close();
        return made;
      })();
      contexts.set(account, context);
    }
    return context;
  }

  it.concurrent.for(cases)('%s: %s (%s)', async ([account, name, url], { expect }) => {
    const context = await signedInContext(account);
    const page = await context.newPage();
    try {
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      const found = await axeViolations(page);
      expect(found, describeViolations(`${account} ${name} ${url}`, found)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('consents: axe-core finds no moderate, serious or critical problems', () => {
  it('on a person’s printable consent form and consents page, the withdrawal step open, in German and Persian', async () => {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await signIn(page, 'coordinator@example.org');
      // Ahmad, whom the coordinator registered: his form is in Persian and German.
      await page.goto('/coordinate/people');
      const form = await page.locator('a[href$="/consent-form"]').first().getAttribute('href');
      const consents = await page.locator('a[href^="/coordinate/consents/"]').first().getAttribute('href');
      expect(form).toMatch(/^\/coordinate\/claim-sheet\/\d+\/consent-form$/);
      for (const url of [form!, `/fa${form}`, consents!, `/fa${consents}`]) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        if (url.includes('/consents/')) await page.locator('.consent details.confirm-step > summary').first().click();
        const found = await axeViolations(page);
        expect(found, describeViolations(url, found)).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });

  it('on the request form refused for want of the consent box, in Arabic', async () => {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      // The resident has never asked for a Kümmerer (other tests' newcomers may have).
      await signIn(page, 'resident@example.org', { prefix: '/ar' });
      await page.goto('/ar/my-kuemmerer');
      await page.locator('input[name="topics"]').first().check();
      await page.locator('main form button[type="submit"]').last().click();
      await page.locator('#field-consent-error').waitFor();
      const found = await axeViolations(page);
      expect(found, describeViolations('/ar/my-kuemmerer without consent', found)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the confirmation steps: axe-core finds no moderate, serious or critical problems', () => {
  it('before cancelling a place and before withdrawing from a shift, in German and Arabic', async () => {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await signIn(page, 'resident@example.org');
      // A place to cancel: the first activity that still takes RSVPs.
      await page.goto('/activities');
      for (const href of await page.locator('.activity-card__title a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!))) {
        await page.goto(href);
        if ((await page.locator('form[action$="rsvps.create"]').count()) === 0) continue;
        await page.locator('form[action$="rsvps.create"] button[type="submit"]').click();
        await page.waitForLoadState();
        break;
      }
      await page.goto('/my-activities');
      const cancel = await page.locator('#upcoming-title + ul a[href*="/cancel"]').first().getAttribute('href');
      expect(cancel).toBeTruthy();
      // A shift to withdraw from.
      await page.goto('/help-wanted');
      await page.locator('article.volunteer-role form[action*="volunteering.signUp"] button').first().click();
      await page.waitForLoadState();
      await page.goto('/my-shifts');
      const withdraw = await page.locator('a[href*="/withdraw"]').first().getAttribute('href');
      expect(withdraw).toBeTruthy();
      for (const url of [cancel!, `/ar${cancel!.split('?')[0]}`, withdraw!, `/ar${withdraw}`]) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        expect(await page.locator('main h1').count(), url).toBe(1);
        const found = await axeViolations(page);
        expect(found, describeViolations(url, found)).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});

describe('a coordinator’s export for an access request: axe-core finds no moderate, serious or critical problems', () => {
  it('the readable export of a person found on the people page, in German and in their Persian', async () => {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await signIn(page, 'coordinator@example.org');
      await page.goto('/coordinate/people');
      const href = await page.locator('a[href$="/data"]').first().getAttribute('href');
      expect(href).toMatch(/^\/coordinate\/people\/\d+\/data$/);
      for (const url of [href!, `/fa${href!}`]) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        const found = await axeViolations(page);
        expect(found, describeViolations(url, found)).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});

describe('deleting an account: axe-core finds no moderate, serious or critical problems', () => {
  async function signedIn(account: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, account);
    return { context, page };
  }

  it('the person’s own page showing a wrong password (nothing is deleted)', async () => {
    const { context, page } = await signedIn('resident@example.org');
    try {
      await page.goto('/ar/account/delete');
      await page.locator('#field-password').fill('not the password');
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL((u) => u.pathname === '/ar/account/delete');
      await page.locator('.error-summary').waitFor();
      const found = await axeViolations(page);
      expect(found, describeViolations('/ar/account/delete with an error', found)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a coordinator’s page for deleting on someone’s behalf, in German and Arabic, also with the box left empty', async () => {
    const { context, page } = await signedIn('coordinator@example.org');
    try {
      await page.goto('/coordinate/people');
      const href = await page.locator('a[href*="/coordinate/people/"][href$="/delete"]').first().getAttribute('href');
      expect(href).toBeTruthy();
      for (const url of [href!, `/ar${href}`]) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBe(200);
        const found = await axeViolations(page);
        expect(found, describeViolations(url, found)).toEqual([]);
      }
      await page.locator('main form button[type="submit"]').click();
      await page.locator('.error-summary').waitFor();
      const found = await axeViolations(page);
      expect(found, describeViolations(`/ar${href} with an error`, found)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('linking Telegram: axe-core finds no moderate, serious or critical problems', () => {
  it('with the link and its QR code, then linked, in Ukrainian and Persian', async () => {
    const context = await newContext(browser, baseUrl, { bypassCSP: true });
    try {
      const page = await context.newPage();
      await signIn(page, 'mentor-tr@example.org');
      await page.goto('/uk/account/telegram');
      await page.locator('main form button[type="submit"]').click();
      const link = page.locator('[data-testid="telegram-deep-link"]');
      await link.waitFor();
      for (const url of ['/uk/account/telegram', '/fa/account/telegram']) {
        await page.goto(url);
        const found = await axeViolations(page);
        expect(found, describeViolations(`${url} with a link code`, found)).toEqual([]);
      }
      const code = new URL((await link.getAttribute('href'))!).searchParams.get('start')!;
      await writeToBot(inject('botApiUrl'), 7001, `/start ${code}`);
      await expect.poll(async () => (await page.goto('/fa/account/telegram'), await page.locator('#linked-title').count()), { timeout: 10_000 }).toBe(1);
      const found = await axeViolations(page);
      expect(found, describeViolations('/fa/account/telegram linked', found)).toEqual([]);
      await page.locator('main form button[type="submit"]').click();
      await page.waitForLoadState();
      expect(await page.locator('#linked-title').count()).toBe(0);
    } finally {
      await context.close();
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
    ['printable programme', '/programme'],
    ['Ukrainian printable programme beside German', '/uk/programme?bilingual=1&childcare=1'],
    ['Arabic printable programme beside German', '/ar/programme?bilingual=1'],
    ['Ukrainian offline page', '/uk/offline'],
    ['Ukrainian form not sent', '/uk/offline/not-sent'],
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
    const found = await axeViolations(page);
    expect(found, describeViolations(where, found)).toEqual([]);
    return status;
  };

  it.each([
    ['an organisation with members and an open invitation', '/admin/organisations/stadtbibliothek'],
    ['an organisation’s details and contact', '/organise/organisation/stadtbibliothek'],
    ['an organisation’s details and contact, in Arabic', '/ar/organise/organisation/stadtbibliothek'],
    ['retention periods and the latest runs', '/admin/retention'],
    ['retention periods and the latest runs, in Persian', '/fa/admin/retention'],
  ])('%s (%s)', async (name, url) => {
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    await check(`${name} ${url}`);
  });

  it('the retention form showing a period out of its bounds, in Arabic', async () => {
    await page.goto('/ar/admin/retention');
    await page.locator('#field-rsvpNotesDays').fill('0');
    await page.locator('main form button[type="submit"]').click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('#field-rsvpNotesDays-error').count()).toBe(1);
    await check('retention form with errors');
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
        const found = await axeViolations(invitee);
        expect(found, describeViolations(url, found)).toEqual([]);
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
      const found = await axeViolations(mentor);
      expect(found, describeViolations('meeting deletion question', found)).toEqual([]);
    } finally {
      await mentor.context().close();
    }
  });
});

describe('one-tap answers: axe-core finds no moderate, serious or critical problems', () => {
  // The links need a reminder that was sent: a portal of its own with one (tests/helpers/answers.ts).
  let town: AnswerTown;
  beforeAll(async () => {
    town = await startAnswerTown();
  }, 180_000);
  afterAll(async () => {
    await town?.close();
  });

  it('the answer page asking, after the button, and too late — in German, Arabic and Ukrainian, on a phone', async () => {
    const linksOf = async (email: string, subject: string) => answerLinksIn((await town.waitForMails(email, 1, subject))[0]!);
    const guest = await linksOf(town.people.guest.email, 'Erinnerung');
    const arabic = await linksOf(town.people.arabic.email, 'تذكير');
    const late = await linksOf(town.people.late.email, 'Erinnerung');
    const volunteer = await linksOf(town.people.volunteer.email, 'Morgen helfen Sie mit');
    const context = await newContext(browser, town.url, { bypassCSP: true, viewport: { width: 320, height: 700 } });
    try {
      const page = await context.newPage();
      const check = async (name: string) => {
        const found = await axeViolations(page);
        expect(found, describeViolations(`${name} ${page.url()}`, found)).toEqual([]);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${name} scrolls sideways`).toBeLessThanOrEqual(320);
      };
      for (const [name, link] of [
        ['“I’m coming?”', guest.coming],
        ['“I can’t come?”', guest.notComing],
        ['Arabic “I’m coming?”', arabic.coming],
        ['Arabic “I can’t come?”', arabic.notComing],
        ['a shift’s “I can’t make it?”', volunteer.notComing],
        ['too late', late.coming],
      ] as const) {
        expect((await page.goto(link.href))?.status(), name).toBe(200);
        await check(name);
      }
      // After the button: the outcome said where the question was.
      await page.goto(arabic.coming.href);
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL((url) => url.pathname === arabic.coming.pathname);
      await page.locator('main [role="status"]').waitFor();
      await check('Arabic after “I’m coming”');
      // In Ukrainian, the promoted family's page after someone cancelled.
      await page.goto(guest.notComing.href);
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL((url) => url.pathname === guest.notComing.pathname);
      await check('after “I can’t come”');
      const promoted = answerLinksIn((await town.waitForMails(town.people.waiting.email, 1, 'Звільнилося місце'))[0]!);
      await page.goto(promoted.coming.href);
      await check('Ukrainian “I’m coming?” after moving up');
      // The organiser's door and tasks pages with a party and a volunteer marked as confirmed.
      await page.goto(volunteer.coming.href);
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL((url) => url.pathname === volunteer.coming.pathname);
      await signIn(page, ORGANISER.email, { password: ORGANISER.password });
      for (const path of [`/organise/${town.activities.fest}/attendees`, `/organise/${town.activities.fest}/roles`, `/ar/organise/${town.activities.fest}/attendees`]) {
        expect((await page.goto(path))?.status(), path).toBe(200);
        expect(await page.locator('.confirmed-mark').count(), path).toBe(1);
        await check(`confirmed marks on ${path}`);
      }
    } finally {
      await context.close();
    }
  });
});
