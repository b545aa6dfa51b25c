// Who may do what, and the protections every response carries.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { expectUntouched, openInvitation } from '../helpers/organisations.ts';
import { fieldError, linkIn, mailsTo, stripTags, Visitor } from '../helpers/visitor.ts';

describe('cross-site requests', () => {
  it('refuses a form post from another site or with no Origin, and changes nothing', async () => {
    const visitor = new Visitor();
    await visitor.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    const foreign = await visitor.post('/account?_action=accounts.updateProfile', { displayName: 'Hacked', locale: 'de' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const none = await visitor.post('/account?_action=accounts.updateProfile', { displayName: 'Hacked', locale: 'de' }, { origin: null });
    expect(none.status).toBe(403);
    expect(await (await visitor.get('/account')).text()).not.toContain('Hacked');
  });
});

describe('roles', () => {
  it('sends a signed-out visitor of the admin pages to sign in', async () => {
    const response = await new Visitor().get('/admin');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?next=%2Fadmin');
  });

  it('shows a resident no admin page and runs no admin action for them (404)', async () => {
    const resident = new Visitor();
    await resident.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    expect((await resident.get('/admin')).status).toBe(404);
    expect((await resident.get('/en/admin')).status).toBe(404);
    expect((await resident.get('/admin/organisations/anything')).status).toBe(404);
    const create = await resident.post('/admin?_action=admin.createOrganisation', { name: 'Sneaky', slug: 'sneaky', description: '' });
    expect(create.status).toBe(404);
    const anonymous = await new Visitor().post('/admin?_action=admin.createOrganisation', { name: 'Sneaky', slug: 'sneaky2', description: '' });
    expect(anonymous.status).toBe(404);
    const admin = new Visitor();
    await admin.signIn(TEST_ACCOUNTS.admin.email, TEST_ACCOUNTS.admin.password);
    const list = await (await admin.get('/admin')).text();
    expect(list).not.toContain('Sneaky');
  });

  it('lets the admin create an organisation and manage its members', async () => {
    const admin = new Visitor();
    await admin.signIn(TEST_ACCOUNTS.admin.email, TEST_ACCOUNTS.admin.password);
    const slug = `verein-${Date.now().toString(36)}`;
    const bad = await admin.submit('/admin', 'admin.createOrganisation', { name: '', slug: 'Kein Slug!', description: '' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'name')).toBe('Bitte füllen Sie dieses Feld aus.');
    expect(fieldError(bad.html, 'slug')).toContain('Nur Kleinbuchstaben');

    const created = await admin.submit('/admin', 'admin.createOrganisation', { name: 'Kulturverein', slug, description: 'Musik & Tanz' });
    expect(created.url).toBe(`/admin/organisations/${slug}`);
    expect(stripTags(created.html)).toContain('Die Organisation ist angelegt.');
    const taken = await admin.submit('/admin', 'admin.createOrganisation', { name: 'Noch einer', slug, description: '' });
    expect(fieldError(taken.html, 'slug')).toBe('Diese Kurzadresse ist schon vergeben.');

    const page = `/admin/organisations/${slug}`;
    const id = /name="organisationId" value="(\d+)"/.exec(created.html)![1]!;
    // An address without an account gets an invitation (tests/http/organisations.test.ts follows it).
    const unknown = await admin.submit(page, 'admin.inviteMember', { organisationId: id, email: `nobody-${slug}@test.example`, role: 'organiser', displayName: '', locale: 'de' });
    expect(stripTags(unknown.html)).toContain(`Die Einladung an nobody-${slug}@test.example ist unterwegs.`);
    const added = await admin.submit(page, 'admin.inviteMember', { organisationId: id, email: TEST_ACCOUNTS.resident.email, role: 'coordinator', displayName: '', locale: 'de' });
    expect(stripTags(added.html)).toContain('Test Resident ist jetzt Koordinator/in und hat eine E-Mail dazu bekommen.');

    // The new coordinator sees the role on their account page, and still no admin pages.
    const member = new Visitor();
    await member.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    expect(stripTags(await (await member.get('/account')).text())).toContain('Koordinator/in · Kulturverein');
    expect((await member.get(page)).status).toBe(404);
    // Fields a form does not offer cannot make anyone an admin.
    await member.submit('/account', 'accounts.updateProfile', { displayName: 'Test Resident', locale: 'de', is_admin: 'true' });
    expect((await member.get('/admin')).status).toBe(404);

    // Removing asks first, on its own page; its "Yes, remove" posts.
    const userId = /data-remove-member="(\d+)"/.exec(added.html)![1]!;
    const confirm = `${page}/remove?member=${userId}&role=coordinator`;
    expect((await admin.get(confirm)).status).toBe(200);
    const removed = await admin.submit(confirm, 'admin.removeMember', { organisationId: id, userId, role: 'coordinator' });
    expect(stripTags(removed.html)).toContain('Test Resident ist nicht mehr Koordinator/in.');
  });
});

describe('every response', () => {
  it('carries the security headers, with a CSP that allows no inline script', async () => {
    const response = await new Visitor().get('/');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).not.toBe('no-store');
  });

  it('answers unknown and doubled language prefixes with 404', async () => {
    const visitor = new Visitor();
    expect((await visitor.get('/de/sign-in')).status).toBe(404);
    expect((await visitor.get('/en/ar/sign-in')).status).toBe(404);
    expect((await visitor.get('/xx/sign-in')).status).toBe(404);
    expect((await visitor.get('/fa/sign-in')).status).toBe(200);
  });

  // A page file under src/pages/[...locale]/ also matches any deeper path that ends in its name
  // ('/foo/bar/help-wanted' gives locale = 'foo/bar'); the middleware must refuse every such
  // prefix, for every page there is, not just the ones someone thought of.
  it('answers every page under a made-up or doubled prefix with 404', async () => {
    const root = fileURLToPath(new URL('../../src/pages/[...locale]/', import.meta.url));
    const pages = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(astro|ts)$/.test(file) && !file.includes('['))
      .map((file) => ('/' + file.replace(/\.(astro|ts)$/, '')).replace(/\/index$/, ''));
    expect(pages).toContain('/help-wanted');
    expect(pages).toContain('/consultations');
    const visitor = new Visitor();
    for (const page of pages) {
      for (const prefix of ['/foo/bar', '/en/ar', '/de']) {
        const response = await visitor.get(`${prefix}${page}`);
        expect({ path: `${prefix}${page}`, status: response.status }).toEqual({ path: `${prefix}${page}`, status: 404 });
      }
    }
  });

  it('sets lang and dir for every language and keeps the page in the switcher', async () => {
    const expectations = { '/sign-in': ['de', 'ltr'], '/en/sign-in': ['en', 'ltr'], '/ar/sign-in': ['ar', 'rtl'], '/uk/sign-in': ['uk', 'ltr'], '/tr/sign-in': ['tr', 'ltr'], '/fa/sign-in': ['fa', 'rtl'] };
    for (const [path, [lang, dir]] of Object.entries(expectations)) {
      const html = await (await new Visitor().get(path)).text();
      expect(html).toContain(`<html lang="${lang}" dir="${dir}">`);
      expect(html).toContain('href="/ar/sign-in"');
      expect(html).toContain('href="/sign-in"');
    }
  });
});

describe('/healthz', () => {
  it('reports the database as up in JSON', async () => {
    const response = await new Visitor().get('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { status: string; database: { ok: boolean; kind: string } };
    expect(body.status).toBe('ok');
    expect(body.database.ok).toBe(true);
    expect(body.database.kind).toBe(process.env.TEST_DATABASE_URL ? 'server' : 'embedded');
  });
});

describe('actions for signed-in people', () => {
  it('refuse a signed-out visitor with 404 for every one of them', async () => {
    const admin = new Visitor();
    await admin.signIn(TEST_ACCOUNTS.admin.email, TEST_ACCOUNTS.admin.password);
    const open = `open-${Date.now().toString(36)}@test.example`;
    const invitationId = await openInvitation(admin, 'test-verein', inject('activities').organisation!, open);
    const visitor = new Visitor();
    const actions: Array<[string, Record<string, string>]> = [
      ['accounts.updateProfile', { displayName: 'X', locale: 'de' }],
      ['accounts.changePassword', { currentPassword: 'irgendein Passwort', newPassword: 'ein neues Passwort' }],
      ['accounts.signOutEverywhere', {}],
      ['accounts.resendConfirmation', {}],
      ['accounts.changeEmail', { newEmail: 'jemand@test.example', password: 'irgendein Passwort' }],
      ['accounts.changeSignInName', { signInName: 'jemand', password: 'irgendein Passwort' }],
      ['admin.inviteMember', { organisationId: '1', email: TEST_ACCOUNTS.resident.email, role: 'organiser', displayName: '', locale: 'de' }],
      ['admin.resendInvitation', { invitationId }],
      ['admin.withdrawInvitation', { invitationId }],
      ['admin.removeMember', { organisationId: '1', userId: '1', role: 'organiser' }],
      ['organisations.update', { organisationId: '1', description: 'x', contactPhone: '', contactEmail: '' }],
    ];
    for (const [action, fields] of actions) {
      const response = await visitor.post(`/account?_action=${action}`, fields);
      expect(response.status, action).toBe(404);
    }
    await expectUntouched(admin, 'test-verein', open, invitationId);
  });
});

describe('language offer', () => {
  it('offers the browser’s language, in that language, without redirecting', async () => {
    const visitor = new Visitor();
    const response = await visitor.get('/sign-in', { 'Accept-Language': 'ar-SY,ar;q=0.9,de;q=0.5' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<div class="language-offer" lang="ar" dir="rtl"><a href="/ar/sign-in" hreflang="ar">عرض هذه الصفحة بالعربية</a>');
    const german = await (await visitor.get('/sign-in', { 'Accept-Language': 'de-DE' })).text();
    expect(german).not.toContain('language-offer');
    const unknown = await (await visitor.get('/ar/sign-in', { 'Accept-Language': 'fr' })).text();
    expect(unknown).not.toContain('language-offer');
  });
});

describe('behind a proxy', () => {
  it('never takes the host of an e-mailed link from the request', async () => {
    const visitor = new Visitor();
    const response = await fetch(new URL('/forgot-password?_action=accounts.forgotPassword', visitor.baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Host: 'evil.example',
        Origin: 'http://evil.example',
        'X-Forwarded-Host': 'evil.example',
        'X-Forwarded-For': visitor.ip,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ login: TEST_ACCOUNTS.admin.email }).toString(),
    });
    expect(response.status).toBe(303);
    const mails = await mailsTo(TEST_ACCOUNTS.admin.email);
    const link = linkIn(mails.at(-1)!);
    expect(link.origin).toBe(new URL(visitor.baseUrl).origin);
  });

  it('makes the session cookie Secure and __Host- when the trusted proxy says https', async () => {
    const visitor = new Visitor();
    const origin = `https://${new URL(visitor.baseUrl).host}`;
    const response = await fetch(new URL('/sign-in?_action=accounts.signIn', visitor.baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: origin, 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': visitor.ip, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password }).toString(),
    });
    expect(response.status).toBe(303);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('__Host-session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('deletes every cookie the way it set it, so the browser really lets go of the __Host- one', async () => {
    const visitor = new Visitor();
    const origin = `https://${new URL(visitor.baseUrl).host}`;
    const viaProxy = (path: string, init: { method?: string; cookie?: string; body?: Record<string, string> } = {}) =>
      fetch(new URL(path, visitor.baseUrl), {
        method: init.method ?? 'GET',
        redirect: 'manual',
        headers: {
          Origin: origin,
          'X-Forwarded-Proto': 'https',
          'X-Forwarded-For': visitor.ip,
          ...(init.body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          ...(init.cookie ? { Cookie: init.cookie } : {}),
        },
        ...(init.body ? { body: new URLSearchParams(init.body).toString() } : {}),
      });
    // A browser refuses a __Host- cookie without Secure, so a deletion without it leaves the old one.
    const expectDeletedSecurely = (response: Response, name: string) => {
      const deletion = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
      expect(deletion, name).toBeDefined();
      expect(deletion, name).toMatch(/; Secure/i);
      expect(deletion, name).toMatch(/; Path=\//i);
      expect(deletion, name).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    };
    const signedIn = await viaProxy('/sign-in?_action=accounts.signIn', { method: 'POST', body: { login: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password } });
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('__Host-session='))!.split(';')[0]!;
    const signedOut = await viaProxy('/?_action=accounts.signOut', { method: 'POST', cookie: session, body: {} });
    expect(signedOut.status).toBe(303);
    expectDeletedSecurely(signedOut, '__Host-session');
    // The flash message of the sign-out, read once, and a session that no longer exists.
    const flash = signedOut.headers.getSetCookie().find((c) => c.startsWith('flash='))!.split(';')[0]!;
    expectDeletedSecurely(await viaProxy('/', { cookie: flash }), 'flash');
    expectDeletedSecurely(await viaProxy('/', { cookie: session }), '__Host-session');
    // A refused form's outcome, read once.
    const refused = await viaProxy('/sign-in?_action=accounts.signIn', { method: 'POST', body: { login: TEST_ACCOUNTS.resident.email, password: 'wrong password' } });
    const form = refused.headers.getSetCookie().find((c) => c.startsWith('form-result='))!.split(';')[0]!;
    expectDeletedSecurely(await viaProxy('/sign-in', { cookie: form }), 'form-result');
  });
});
