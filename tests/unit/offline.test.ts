// The rules the server and the service worker share (src/offline/kept-pages.ts): which pages a
// device keeps, how the owner and keep headers read (and what they refuse), and the two
// changes the worker makes to a page: showing the "saved on …" notice and pointing the
// not-sent page back at the form. And the manifest's shape in every language.
import { describe, expect, it } from 'vitest';
import { LOCALES, localePath } from '../../src/i18n/locales.ts';
import {
  keepHeaderValue,
  keptPageKind,
  keptPageKindOfPath,
  MAX_KEPT_ACTIVITIES,
  ownerHeaderValue,
  parseKeepHeader,
  parseOwnerHeader,
  pointBackLink,
  revealSavedNotice,
} from '../../src/offline/kept-pages.ts';
import { webAppManifest } from '../../src/offline/web-app-manifest.ts';

describe('the pages a device keeps', () => {
  it('are the person’s own lists and activity pages, in every language, and nothing else', () => {
    expect(keptPageKind('/my-activities')).toBe('list');
    expect(keptPageKind('/my-shifts')).toBe('list');
    expect(keptPageKind('/my-kuemmerer')).toBe('list');
    expect(keptPageKind('/activities/12')).toBe('activity');
    expect(keptPageKindOfPath('/ar/my-activities')).toBe('list');
    expect(keptPageKindOfPath('/fa/activities/7')).toBe('activity');
    for (const other of ['/', '/activities', '/account', '/account/data', '/activities/12/cancel', '/activities/12/calendar.ics', '/my-shifts/4/withdraw', '/mentees/3', '/coordinate/people', '/my-activities/x']) {
      expect(keptPageKind(other), other).toBeNull();
    }
    // German has no prefix: '/de/…' is no address of ours.
    expect(keptPageKindOfPath('/de/my-activities')).toBeNull();
  });
});

describe('the owner header', () => {
  it('reads back what the server writes', () => {
    const until = new Date('2026-12-17T18:00:00.000Z');
    expect(parseOwnerHeader(ownerHeaderValue(42, until))).toEqual({ person: '42', until: until.getTime() });
  });

  it('names nobody when it is missing or malformed', () => {
    for (const value of [null, undefined, '', '42', 'abc; until=2026-12-17T18:00:00Z', '42; until=never', '42;until=']) {
      expect(parseOwnerHeader(value), String(value)).toBeNull();
    }
  });
});

describe('the keep header', () => {
  it('takes only activity pages of the list’s own language, each once', () => {
    const header = keepHeaderValue(['/activities/3', '/activities/4', '/activities/3']);
    expect(parseKeepHeader(header, '/my-activities')).toEqual(['/activities/3', '/activities/4']);
    expect(parseKeepHeader('/ar/activities/3 /activities/4 /en/activities/5', '/ar/my-activities')).toEqual(['/ar/activities/3']);
  });

  it('never makes the worker fetch anything but an activity page of the portal', () => {
    const hostile = ['https://evil.example/activities/1', '//evil.example/activities/1', '/account/delete', '/activities/1/cancel', '/activities/1?_action=rsvps.cancel', 'activities/1', '/sign-out'];
    expect(parseKeepHeader(hostile.join(' '), '/my-activities')).toEqual([]);
    expect(parseKeepHeader(null, '/my-activities')).toEqual([]);
  });

  it(`keeps at most ${MAX_KEPT_ACTIVITIES} activity pages per list, the soonest first`, () => {
    const many = Array.from({ length: 50 }, (_, i) => `/activities/${i + 1}`);
    const kept = parseKeepHeader(keepHeaderValue(many), '/my-activities');
    expect(kept).toHaveLength(MAX_KEPT_ACTIVITIES);
    expect(kept[0]).toBe('/activities/1');
  });
});

describe('the kept copy shown offline', () => {
  const page = '<main><div class="notice notice--warning offline-copy" data-offline-copy hidden><p>Offline – gespeichert am …</p></div><p hidden>other</p></main>';

  it('shows the "saved on …" notice, and nothing else that is hidden', () => {
    const shown = revealSavedNotice(page);
    expect(shown).toContain('<div class="notice notice--warning offline-copy" data-offline-copy>');
    expect(shown).toContain('<p hidden>other</p>');
  });

  it('leaves a page without the notice as it is', () => {
    expect(revealSavedNotice('<p hidden>x</p>')).toBe('<p hidden>x</p>');
  });
});

describe('the not-sent page’s way back', () => {
  const page = '<p><a class="button" href="/ar" data-offline-back>back</a></p>';
  const origin = 'https://portal.example';

  it('leads to the page the form was on, without the form’s action', () => {
    expect(pointBackLink(page, 'https://portal.example/ar/activities/3?_action=rsvps.create', origin)).toContain('href="/ar/activities/3" data-offline-back');
    expect(pointBackLink(page, 'https://portal.example/activities?category=sports&_action=x', origin)).toContain('href="/activities?category=sports" data-offline-back');
  });

  it('never leads to another site, and escapes what it writes', () => {
    expect(pointBackLink(page, 'https://evil.example/phish', origin)).toBe(page);
    expect(pointBackLink(page, '', origin)).toBe(page);
    expect(pointBackLink(page, 'https://portal.example/a"onmouseover="x', origin)).not.toContain('"onmouseover');
  });
});

describe('the web app manifest', () => {
  it.each(LOCALES)('in %s starts and stays in its language, with its direction', (locale) => {
    const manifest = webAppManifest(locale, 'Altena');
    expect(manifest.lang).toBe(locale);
    expect(manifest.dir).toBe(locale === 'ar' || locale === 'fa' ? 'rtl' : 'ltr');
    expect(manifest.start_url).toBe(localePath(locale, '/'));
    expect(manifest.start_url.startsWith(manifest.scope)).toBe(true);
    // The name stands alone: no bidi isolates in it.
    expect(manifest.name).toBe('Ankommen Altena');
  });
});
