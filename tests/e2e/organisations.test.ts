// Organisations in a real browser, once with JavaScript and once without: a site admin invites
// a new address to the library, the invitee follows the mailed link (in Arabic, right to left,
// in one run), chooses a name and password and lands among the library's organisers, edits the
// library's public contact, which visitors then see on its activities; the admin removes them
// again through the confirmation page, trying Cancel first.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { translator } from '../../src/i18n/index.ts';
import { linkIn, mailsTo } from '../helpers/visitor.ts';
import { launchBrowser, newContext } from './browser.ts';

const LIBRARY = '/admin/organisations/stadtbibliothek';
const LIBRARY_NAME = 'Stadtbibliothek am Lenneufer';
const PASSWORD = 'Lesen macht Freude im Winter';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});


/** Text as people read it: without the invisible isolates around names. */
/** Text as read, without the invisible isolates (U+2066–U+2069) that keep names whole in Arabic. */
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');
const read = async (page: Page, selector: string) => plain((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe.each([
  { mode: 'with JavaScript', javaScriptEnabled: true, language: 'de' as const },
  { mode: 'without JavaScript, invited in Arabic', javaScriptEnabled: false, language: 'ar' as const },
])('the invitation journey $mode', ({ javaScriptEnabled, language }) => {
  const baseUrl = inject('baseUrl');
  const email = `eingeladen-${language}-${Date.now().toString(36)}@test.example`;
  // The words as the portal writes them (in Arabic, names inside isolates).
  const t: (...args: Parameters<ReturnType<typeof translator>>) => string = (...args) => plain(translator(language)(...args));
  const prefix = language === 'ar' ? '/ar' : '';
  const name = language === 'ar' ? 'Yara Saleh' : 'Yara Haddad';
  let adminContext: BrowserContext, inviteeContext: BrowserContext;
  let admin: Page, invitee: Page;

  beforeAll(async () => {
    adminContext = await newContext(browser, baseUrl, { javaScriptEnabled });
    inviteeContext = await newContext(browser, baseUrl, { javaScriptEnabled });
    admin = await adminContext.newPage();
    invitee = await inviteeContext.newPage();
    await admin.goto('/sign-in');
    await admin.locator('#field-login').fill('admin@example.org');
    await admin.locator('#field-password').fill('ankommen-demo');
    await admin.locator('main form button[type="submit"]').click();
    await admin.waitForURL((url) => url.pathname === '/');
  });
  afterAll(async () => {
    await adminContext?.close();
    await inviteeContext?.close();
  });

  it('the admin invites an address that has no account', async () => {
    await admin.goto('/admin');
    await admin.getByRole('link', { name: LIBRARY_NAME }).click();
    await admin.waitForURL((url) => url.pathname === LIBRARY);
    await admin.locator('#field-email').fill(email);
    await admin.locator('#field-displayName').fill('Yara');
    await admin.locator('input[name="role"][value="organiser"]').check();
    await admin.locator('#field-locale').selectOption(language);
    await admin.getByRole('button', { name: translator('de')('invitation.submit'), exact: true }).click();
    await admin.waitForLoadState();
    expect(await read(admin, 'main [role="status"]')).toBe(translator('de')('invitation.sent', { email }));
    expect(await read(admin, '#invitations-title ~ ul')).toContain(email);
  });

  it('the invitee follows the mailed link, chooses a name and password, and is an organiser of the library', async () => {
    const [mail] = await mailsTo(email);
    expect(mail, 'invitation mail').toBeDefined();
    expect(plain(mail!.subject)).toBe(t('invitation.mail.subject', { organisation: LIBRARY_NAME }));
    const link = linkIn(mail!);
    expect(link.pathname).toBe(`${prefix}/invitation`);

    await invitee.goto(link.pathname + link.search);
    expect(await invitee.evaluate(() => document.documentElement.dir)).toBe(language === 'ar' ? 'rtl' : 'ltr');
    expect(await read(invitee, 'h1')).toBe(t('invitation.title'));
    expect(await read(invitee, '.invitation-offers li')).toBe(t('invitation.intro', { inviter: 'Admin Demo', role: t('role.organiser'), organisation: LIBRARY_NAME }));
    expect(await invitee.locator('#field-displayName').inputValue()).toBe('Yara');
    await invitee.locator('#field-displayName').fill(name);
    await invitee.locator('#field-password').fill(PASSWORD);
    await invitee.getByRole('button', { name: t('invitation.accept'), exact: true }).click();
    await invitee.waitForURL((url) => url.pathname === `${prefix}/organise`);
    const joined = t('invitation.joinedItem', { role: t('role.organiser'), organisation: LIBRARY_NAME });
    expect(await read(invitee, 'main [role="status"]')).toBe(t('invitation.welcome', { joined }));
    expect(await read(invitee, 'main')).toContain(LIBRARY_NAME);

    // The link is used up.
    await invitee.goto(link.pathname + link.search);
    expect(await read(invitee, 'main .notice--error')).toBe(t('invitation.error.invalid'));
  });

  it("the new organiser gives the library's public phone number, which visitors see on its activities", async () => {
    await invitee.goto(`${prefix}/organise`);
    await invitee.getByRole('link', { name: new RegExp(t('orgEdit.link')) }).first().click();
    await invitee.waitForURL((url) => url.pathname === `${prefix}/organise/organisation/stadtbibliothek`);
    const phone = language === 'ar' ? '+49 30 23125 044' : '+49 30 23125 041';
    await invitee.locator('#field-contactPhone').fill(phone);
    await invitee.getByRole('button', { name: t('form.save'), exact: true }).click();
    await invitee.waitForLoadState();
    expect(await read(invitee, 'main [role="status"]')).toBe(t('form.saved'));

    const visitor = await (await newContext(browser, baseUrl, { javaScriptEnabled })).newPage();
    await visitor.goto(`${prefix}/activities?organisation=stadtbibliothek`);
    await visitor.locator('main .activity-card__title a').first().click();
    await visitor.waitForLoadState();
    const call = visitor.locator(`a[href="tel:${phone.replace(/ /g, '')}"]`);
    expect(await call.textContent()).toBe(phone);
    expect(await call.getAttribute('dir')).toBe('ltr');
    await visitor.context().close();
  });

  it('the admin sees a member, not an invitation, and removes them after confirming (Cancel first)', async () => {
    await admin.goto(LIBRARY);
    expect(await read(admin, '#members-title ~ ul')).toContain(name);
    expect(await admin.locator(`[data-invitation] >> text=${email}`).count()).toBe(0);
    const remove = admin.getByRole('link', { name: new RegExp(`${translator('de')('admin.removeMember')}\\s*: ${name}`) });
    await remove.click();
    await admin.waitForURL((url) => url.pathname === `${LIBRARY}/remove`);
    expect(await read(admin, 'h1')).toBe(translator('de')('removal.title', { name: name, organisation: LIBRARY_NAME, role: translator('de')('role.organiser') }));
    await admin.getByRole('link', { name: translator('de')('removal.cancel'), exact: true }).click();
    await admin.waitForURL((url) => url.pathname === LIBRARY);
    expect(await read(admin, '#members-title ~ ul')).toContain(name);

    await admin.getByRole('link', { name: new RegExp(`${translator('de')('admin.removeMember')}\\s*: ${name}`) }).click();
    await admin.waitForURL((url) => url.pathname === `${LIBRARY}/remove`);
    await admin.getByRole('button', { name: translator('de')('removal.confirm'), exact: true }).click();
    await admin.waitForURL((url) => url.pathname === LIBRARY);
    expect(await read(admin, 'main [role="status"]')).toBe(translator('de')('admin.memberRemoved', { name: name, role: translator('de')('role.organiser') }));
    expect(await read(admin, 'main')).not.toContain(`${name} ·`);
  });
});
