// The language a person chose is remembered: a browser that asks for Arabic is offered the
// Arabic page until the person says no (or picks a language from the menu); from then on the
// portal stops offering another language, also from kept pages. Signed-in people's preferred
// language (the one their mails come in) follows the choice.
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { Visitor } from '../helpers/visitor.ts';

const ARABIC_OFFER = 'عرض هذه الصفحة بالعربية';

async function html(visitor: Visitor, path: string, acceptLanguage = 'ar'): Promise<string> {
  const response = await visitor.get(path, { 'Accept-Language': acceptLanguage });
  expect(response.status, path).toBe(200);
  return response.text();
}

describe('the language offer', () => {
  it('offers the browser’s language until the person stays in this one, then never again', async () => {
    const visitor = new Visitor();
    expect(await html(visitor, '/activities')).toContain(ARABIC_OFFER);
    // Twice, so that the second answer comes from the page cache.
    expect(await html(visitor, '/activities')).toContain(ARABIC_OFFER);

    const stayed = await visitor.post('/?_action=language.choose', { locale: 'de', path: '/activities?category=language' });
    expect(stayed.status).toBe(303);
    expect(stayed.headers.get('location')).toBe('/activities?category=language');
    expect(visitor.cookies.get('lang')).toBe('de');

    for (const path of ['/activities', '/activities', '/', '/help-wanted']) expect(await html(visitor, path)).not.toContain(ARABIC_OFFER);
    // A neighbour's browser on the same page still gets the offer: the kept page was not shared.
    expect(await html(new Visitor(), '/activities')).toContain(ARABIC_OFFER);
  });

  it('takes a language chosen from the menu to that page, and offers it back on pages in another language', async () => {
    const visitor = new Visitor();
    const chosen = await visitor.post('/?_action=language.choose', { locale: 'uk', path: '/activities/1?x=1' });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe('/uk/activities/1?x=1');
    expect(visitor.cookies.get('lang')).toBe('uk');
    // A shared German link keeps its language, and offers the chosen one (whatever the browser says).
    const german = await html(visitor, '/help-wanted', 'de');
    expect(german).toContain('lang="uk"');
    expect(german).toContain('href="/uk/help-wanted"');
    expect(await html(visitor, '/uk/help-wanted', 'de')).not.toContain('class="language-offer"');
  });

  it('refuses made-up languages and addresses elsewhere', async () => {
    const visitor = new Visitor();
    const bogus = await visitor.post('/?_action=language.choose', { locale: 'xx', path: '/' });
    expect(visitor.cookies.has('lang')).toBe(false);
    expect(bogus.status).toBe(303);
    for (const [locale, path] of [['en', '//evil.example/x'], ['de', '/.//evil.example/x'], ['de', '/a/..//evil.example']]) {
      const away = await visitor.post('/?_action=language.choose', { locale: locale!, path: path! });
      expect(away.status, path).toBe(303);
      expect(new URL(away.headers.get('location')!, 'http://portal.test').host, path).toBe('portal.test');
    }
    // Without the Origin of the site a choice is refused like every other form.
    expect((await new Visitor().post('/?_action=language.choose', { locale: 'en', path: '/' }, { origin: null })).status).toBe(403);
  });

  it('makes a signed-in person’s choice their preferred language', async () => {
    const visitor = new Visitor();
    await visitor.signIn(TEST_ACCOUNTS.neighbour.email, TEST_ACCOUNTS.neighbour.password);
    await visitor.post('/?_action=language.choose', { locale: 'tr', path: '/account' });
    const account = await html(visitor, '/tr/account', 'de');
    expect(account).toMatch(/<option value="tr"[^>]*selected/);
    // And a German page offers it back.
    expect(await html(visitor, '/account', 'de')).toContain('href="/tr/account"');
    await visitor.post('/tr?_action=language.choose', { locale: 'de', path: '/account' });
    expect(await html(visitor, '/account', 'de')).toMatch(/<option value="de"[^>]*selected/);
  });
});
