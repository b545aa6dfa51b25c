// Kept pages for visitors without a session: served again while nothing changed, never once
// something did, never to someone signed in, never with a form's outcome or another language
// offer mixed in.
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { rawGet, stripTags, Visitor } from '../helpers/visitor.ts';

const ids = () => inject('activities');

function seatsText(html: string): string {
  return stripTags(/<p class="rsvp__seats">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '').trim();
}

describe('the page cache', () => {
  it('serves a public page again until a change commits, then renders it anew with the change', async () => {
    const page = `/activities/${ids().small}`;
    const visitor = new Visitor();
    const first = await visitor.get(page);
    const firstHtml = await first.text();
    const second = await visitor.get(page);
    expect(second.headers.get('x-page-cache')).toBe('hit');
    expect(await second.text()).toBe(firstHtml);
    // A kept page still carries every security header.
    expect(second.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');

    // Someone takes a seat: the next visitor sees one fewer at once.
    const neighbour = new Visitor();
    await neighbour.signIn(TEST_ACCOUNTS.neighbour.email, TEST_ACCOUNTS.neighbour.password);
    const going = await neighbour.submit(page, 'rsvps.create', { activityId: String(ids().small), partySize: '1', note: '' });
    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(going.html)?.[1];
    expect(rsvpId).toBeDefined();
    try {
      const after = await visitor.get(page);
      expect(after.headers.get('x-page-cache')).toBe('miss');
      const afterHtml = await after.text();
      expect(seatsText(afterHtml)).not.toBe(seatsText(firstHtml));
    } finally {
      await neighbour.submit(page, 'rsvps.cancel', { rsvpId: rsvpId! });
    }
    // The cancellation is a change too.
    expect((await visitor.get(page)).headers.get('x-page-cache')).toBe('miss');
    expect(seatsText(await (await visitor.get(page)).text())).toBe(seatsText(firstHtml));
  });

  it('goes gzip-compressed to browsers that take it, rendered or kept, and whole to those that do not', async () => {
    const page = `/activities?category=culture&compressed=${Date.now()}`;
    const first = await rawGet(page, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(first.headers['x-page-cache']).toBe('miss');
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.vary).toBe('Accept-Encoding');
    const html = gunzipSync(first.body).toString('utf8');
    expect(html).toContain('<!DOCTYPE html>');
    expect(first.body.byteLength).toBeLessThan(Buffer.byteLength(html) / 3);
    const kept = await rawGet(page, { 'Accept-Encoding': 'gzip' });
    expect(kept.headers['x-page-cache']).toBe('hit');
    expect(gunzipSync(kept.body).toString('utf8')).toBe(html);
    const whole = await rawGet(page, {});
    expect(whole.headers['x-page-cache']).toBe('hit');
    expect(whole.headers['content-encoding']).toBeUndefined();
    expect(whole.body.toString('utf8')).toBe(html);
  });

  it('compresses pages rendered for someone signed in on their way out', async () => {
    const resident = new Visitor();
    await resident.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    const cookie = [...resident.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await rawGet('/activities', { 'Accept-Encoding': 'gzip', Cookie: cookie });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['x-page-cache']).toBeUndefined();
    expect(stripTags(gunzipSync(response.body).toString('utf8'))).toContain('Abmelden');
  });

  it('serves the stylesheet compressed at build time, Brotli or gzip, cached for a year', async () => {
    const html = await (await new Visitor().get('/')).text();
    const stylesheet = /<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)"/.exec(html)?.[1];
    expect(stylesheet).toBeDefined();
    const whole = await rawGet(stylesheet!, {});
    expect(whole.headers['content-encoding']).toBeUndefined();
    expect(whole.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = whole.body.toString('utf8');
    const brotli = await rawGet(stylesheet!, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.body).toString('utf8')).toBe(css);
    const gzip = await rawGet(stylesheet!, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(css);
    expect(gzip.body.byteLength).toBeLessThan(css.length / 3);
  });

  it('is never used for someone signed in', async () => {
    const resident = new Visitor();
    await resident.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    await new Visitor().get('/activities');
    const response = await resident.get('/activities');
    expect(response.headers.get('x-page-cache')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    // The signed-in header, not a visitor's page.
    expect(stripTags(await response.text())).toContain('Abmelden');
  });

  it('keeps each address, filter and offered language apart, and leaves feeds and private pages alone', async () => {
    const visitor = new Visitor();
    await visitor.get('/activities?category=language');
    const other = await visitor.get('/activities?category=sports');
    expect(other.headers.get('x-page-cache')).toBe('miss');
    expect(await other.text()).not.toContain('Kleines Sprachcafé');
    await visitor.get('/ar/activities', { 'Accept-Language': 'de' });
    const arabicForEnglishReader = await visitor.get('/ar/activities', { 'Accept-Language': 'en' });
    expect(arabicForEnglishReader.headers.get('x-page-cache')).toBe('miss');
    expect(await arabicForEnglishReader.text()).toContain('View this page in English');
    // Behind a proxy, the same path under another scheme is another page.
    await visitor.get('/activities');
    expect((await visitor.get('/activities', { 'X-Forwarded-Proto': 'https' })).headers.get('x-page-cache')).toBe('miss');
    for (const path of ['/sign-in', '/feeds/activities.ics', `/activities/${ids().small}/calendar.ics`]) {
      await visitor.get(path);
      expect((await visitor.get(path)).headers.get('x-page-cache'), path).toBeNull();
    }
  });
});
