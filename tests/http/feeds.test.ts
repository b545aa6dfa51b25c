// Calendar feeds over HTTP against the built portal: headers, ETag and 304, the download,
// subscribe links on the pages, and the personal feed's secret address from making it to
// killing it — read with two independent parsers.
import { gunzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
import { contentLineProblems, parseBoth } from '../helpers/calendars.ts';
import { rawGet, stripTags, Visitor } from '../helpers/visitor.ts';

const ids = () => inject('activities');
const host = () => new URL(inject('baseUrl')).host;

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

function uids(body: string): string[] {
  const { icalJs, nodeIcal } = parseBoth(body);
  expect(nodeIcal.occurrences).toEqual(icalJs.occurrences);
  return icalJs.occurrences.map((o) => o.uid);
}

function statusOf(body: string, uid: string): string | null | undefined {
  return parseBoth(body).icalJs.occurrences.find((o) => o.uid === uid)?.status;
}

describe('the public feed', () => {
  it('is a calendar with a strong ETag, Last-Modified and a short public cache life', async () => {
    const response = await new Visitor().get('/feeds/activities.ics', { 'Accept-Encoding': 'identity' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(response.headers.get('last-modified') ?? '')).not.toBeNaN();
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const body = await response.text();
    expect(contentLineProblems(body)).toEqual([]);
    const found = uids(body);
    expect(found).toContain(`activity-${ids().small}@${host()}`);
    expect(found).toContain(`activity-${ids().roomy}@${host()}`);
    expect(found).not.toContain(`activity-${ids().draft}@${host()}`);
  });

  it('answers 304 to its own ETag and the full feed to another', async () => {
    const visitor = new Visitor();
    const first = await visitor.get('/feeds/activities.ics');
    const etag = first.headers.get('etag')!;
    const again = await visitor.get('/feeds/activities.ics', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    expect((await visitor.get('/feeds/activities.ics', { 'If-None-Match': '"0000"' })).status).toBe(200);
    expect((await visitor.get('/feeds/activities.ics', { 'If-Modified-Since': first.headers.get('last-modified')! })).status).toBe(304);
  });

  it('goes gzip-compressed to calendar apps that take it, under an ETag of its own that a 304 honours either way', async () => {
    const visitor = new Visitor();
    const plain = await visitor.get('/feeds/activities.ics', { 'Accept-Encoding': 'identity' });
    const plainTag = plain.headers.get('etag')!;
    const plainBody = await plain.text();
    // Read raw, so that the compressed bytes are seen as sent.
    const raw = await rawGet('/feeds/activities.ics', { 'Accept-Encoding': 'gzip' });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers.vary).toBe('Accept-Encoding');
    expect(raw.headers.etag).toBe(plainTag.replace(/"$/, '-gzip"'));
    expect(gunzipSync(raw.body).toString('utf8')).toBe(plainBody);
    expect(raw.body.byteLength).toBeLessThan(Buffer.byteLength(plainBody) / 2);
    // A client holding either copy is told that nothing changed.
    const sameZipped = await visitor.get('/feeds/activities.ics', { 'Accept-Encoding': 'gzip', 'If-None-Match': raw.headers.etag! });
    expect(sameZipped.status).toBe(304);
    expect(sameZipped.headers.get('etag')).toBe(raw.headers.etag);
    expect((await visitor.get('/feeds/activities.ics', { 'Accept-Encoding': 'gzip', 'If-None-Match': plainTag })).status).toBe(304);
    expect((await visitor.get('/feeds/activities.ics', { 'Accept-Encoding': 'identity', 'If-None-Match': raw.headers.etag! })).status).toBe(304);
  });

  it('takes the browse filters and the language, with a version of its own', async () => {
    const visitor = new Visitor();
    const all = await visitor.get('/feeds/activities.ics');
    const filtered = await visitor.get('/feeds/activities.ics?category=sports&lang=en');
    expect(filtered.headers.get('etag')).not.toBe(all.headers.get('etag'));
    const body = await filtered.text();
    expect(body).toContain('X-WR-CALNAME:Sports – activities in');
    expect(uids(body)).not.toContain(`activity-${ids().small}@${host()}`);
    expect(body).toContain('PRODID:-//Ankommen//Ankommen//EN');
  });

  it('has a Last-Modified when nothing is in it, which a conditional request honours', async () => {
    const visitor = new Visitor();
    const path = '/feeds/activities.ics?q=nothing-is-called-like-this';
    const empty = await visitor.get(path);
    expect(empty.status).toBe(200);
    const body = await empty.text();
    expect(body).not.toContain('BEGIN:VEVENT');
    const lastModified = empty.headers.get('last-modified');
    expect(Date.parse(lastModified ?? '')).not.toBeNaN();
    expect((await visitor.get(path, { 'If-Modified-Since': lastModified! })).status).toBe(304);
  });

  it('exists per organisation, and not for one we do not have', async () => {
    const visitor = new Visitor();
    const response = await visitor.get('/feeds/organisations/test-verein.ics');
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('X-WR-CALNAME:Test-Verein – Angebote in');
    expect(uids(body)).toContain(`activity-${ids().roomy}@${host()}`);
    expect((await visitor.get('/feeds/organisations/nobody-here.ics')).status).toBe(404);
    expect((await visitor.get('/feeds/organisations/..%2F..%2Fetc.ics')).status).toBe(404);
  });
});

describe('one activity as a download', () => {
  it('comes as a file with the same UID as in the feeds, in the page language', async () => {
    const visitor = new Visitor();
    const response = await visitor.get(`/en/activities/${ids().small}/calendar.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="Kleines-Sprachcafe-2030-06-01\.ics"; filename\*=UTF-8''Kleines-Sprachcaf%C3%A9-2030-06-01\.ics$/);
    const body = await response.text();
    expect(uids(body)).toEqual([`activity-${ids().small}@${host()}`]);
    expect(body).toContain(`/en/activities/${ids().small}`);
    const again = await visitor.get(`/en/activities/${ids().small}/calendar.ics`, { 'If-None-Match': response.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('names the file by the date in the town, not in UTC', async () => {
    // 00:30 in Berlin on 2 June is still 1 June in UTC.
    const organiser = await signedIn('organiser');
    const id = await createPublishedActivity(organiser, ids().organisation, { title: 'Mitternachtslesung', category: 'culture', date: '2030-06-02', startTime: '00:30', endTime: '01:30', placeName: 'Bibliothek' });
    const response = await new Visitor().get(`/activities/${id}/calendar.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('filename="Mitternachtslesung-2030-06-02.ics"');
    // Out of the other files' lists again.
    await organiser.submit(`/organise/${id}`, 'organise.cancelActivity', { activityId: id, reason: 'Nur ein Test.' });
    expect((await new Visitor().get('/activities?category=culture')).status).toBe(200);
    expect(stripTags(await (await new Visitor().get('/activities?category=culture')).text())).not.toContain('Mitternachtslesung');
  });

  it('names a file whose title has no Latin letters after the activity, keeping the title for apps that read UTF-8 names', async () => {
    const organiser = await signedIn('organiser');
    const id = await createPublishedActivity(organiser, ids().organisation, { title: 'مقهى اللغة', sourceLocale: 'ar', category: 'language', date: '2030-07-03', startTime: '17:00', endTime: '18:30', placeName: 'Bibliothek' });
    try {
      const response = await new Visitor().get(`/ar/activities/${id}/calendar.ics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="activity-${id}-2030-07-03.ics"; filename*=UTF-8''${encodeURIComponent('مقهى-اللغة')}-2030-07-03.ics`,
      );
    } finally {
      await organiser.submit(`/organise/${id}`, 'organise.cancelActivity', { activityId: id, reason: 'Nur ein Test.' });
    }
  });

  it('does not exist for drafts or unknown activities', async () => {
    const visitor = new Visitor();
    expect((await visitor.get(`/activities/${ids().draft}/calendar.ics`)).status).toBe(404);
    expect((await visitor.get('/activities/999999/calendar.ics')).status).toBe(404);
    expect((await visitor.get('/activities/x/calendar.ics')).status).toBe(404);
  });

  it('is linked from the activity page, with the organisation’s feed as https and webcal', async () => {
    const html = await (await new Visitor().get(`/activities/${ids().small}`)).text();
    const base = inject('baseUrl');
    const webcal = base.replace(/^http:/, 'webcal:');
    expect(html).toContain(`<link rel="alternate" type="text/calendar" title="Kleines Sprachcafé" href="/activities/${ids().small}/calendar.ics">`);
    expect(html).toContain(`href="/activities/${ids().small}/calendar.ics" type="text/calendar" download`);
    expect(html).toContain(`href="${webcal}/feeds/organisations/test-verein.ics"`);
    expect(html).toContain(`href="${base}/feeds/organisations/test-verein.ics"`);
  });
});

describe('the browse page', () => {
  it('offers to subscribe to exactly the list it shows', async () => {
    const html = await (await new Visitor().get('/ar/activities?category=language&free=1')).text();
    const base = inject('baseUrl');
    const feed = `/feeds/activities.ics?category=language&amp;free=1&amp;lang=ar`;
    expect(html).toContain(`href="${base}${feed}"`);
    expect(html).toContain(`href="${base.replace(/^http:/, 'webcal:')}${feed}"`);
    expect(html).toMatch(/<link rel="alternate" type="text\/calendar" title="[^"]+" href="[^"]+\/feeds\/activities\.ics\?category=language&amp;free=1&amp;lang=ar">/);
  });
});

describe('the personal feed', () => {
  it('is made on the settings page, shown once, follows RSVPs at once and dies when renewed', async () => {
    // The organiser: no other test file counts this account's mails or RSVPs.
    const owner = await signedIn('organiser');
    const before = stripTags(await (await owner.get('/account/calendar')).text());
    expect(before).toContain('Sie haben noch keine Kalender-Adresse.');

    const made = await owner.submit('/account/calendar', 'calendar.createAddress', {});
    expect(made.status).toBe(200);
    const address = /id="calendar-address"[^>]*value="([^"]+)"/.exec(made.html)?.[1] ?? /value="([^"]+)"[^>]*id="calendar-address"/.exec(made.html)?.[1];
    expect(address).toMatch(new RegExp(`^${inject('baseUrl')}/feeds/personal/[a-z2-7]{32}\\.ics$`));
    expect(made.html).toContain(`href="${address!.replace(/^http:/, 'webcal:')}"`);
    // Shown once: the next visit says when it was made, not what it is.
    const later = await (await owner.get('/account/calendar')).text();
    expect(later).not.toContain(address!);
    expect(stripTags(later)).toContain('Ihre Kalender-Adresse wurde am');

    const path = new URL(address!).pathname;
    const app = new Visitor(); // a calendar app: no cookies
    const empty = await app.get(path);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('cache-control')).toBe('private, no-cache');
    expect(empty.headers.get('referrer-policy')).toBe('no-referrer');
    const emptyTag = empty.headers.get('etag')!;
    expect(Date.parse(empty.headers.get('last-modified') ?? '')).not.toBeNaN();
    expect((await app.get(path, { 'If-None-Match': emptyTag })).status).toBe(304);

    const page = `/activities/${ids().roomy}`;
    await owner.submit(page, 'rsvps.create', { activityId: String(ids().roomy), partySize: '2', note: '' });
    const withRsvp = await app.get(path, { 'If-None-Match': emptyTag });
    expect(withRsvp.status).toBe(200);
    expect(withRsvp.headers.get('etag')).not.toBe(emptyTag);
    const body = await withRsvp.text();
    expect(statusOf(body, `activity-${ids().roomy}@${host()}`)).toBe('CONFIRMED');
    // Built for each request, compressed on its way out under a tag of its own, which a 304 honours.
    const zipped = await rawGet(path, { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(body);
    const plainTag = (await app.get(path, { 'Accept-Encoding': 'identity' })).headers.get('etag')!;
    expect(zipped.headers.etag).toBe(plainTag.replace(/"$/, '-gzip"'));
    expect((await app.get(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': zipped.headers.etag! })).status).toBe(304);
    expect(body).toContain('X-WR-CALNAME:Meine Termine – Ankommen');
    // In the person's language unless the address asks for another.
    expect(await (await app.get(`${path}?lang=en`)).text()).toContain('X-WR-CALNAME:My dates – Ankommen');

    // Another person's address never shows this RSVP.
    const other = await signedIn('coordinator');
    const theirs = await other.submit('/account/calendar', 'calendar.createAddress', {});
    const theirAddress = /id="calendar-address"[^>]*value="([^"]+)"/.exec(theirs.html)?.[1];
    expect(theirAddress).toBeTruthy();
    expect(theirAddress).not.toBe(address);
    const theirBody = await (await app.get(new URL(theirAddress!).pathname)).text();
    expect(uids(theirBody)).not.toContain(`activity-${ids().roomy}@${host()}`);

    // A new address kills the old one at once.
    const renewed = await owner.submit('/account/calendar', 'calendar.createAddress', {});
    const newAddress = /id="calendar-address"[^>]*value="([^"]+)"/.exec(renewed.html)?.[1];
    expect(newAddress).toBeTruthy();
    expect(newAddress).not.toBe(address);
    expect((await app.get(path)).status).toBe(404);
    expect((await app.get(new URL(newAddress!).pathname)).status).toBe(200);

    // Deleting it kills it too.
    const deleted = await owner.submit('/account/calendar', 'calendar.revokeAddress', {});
    expect(stripTags(deleted.html)).toContain('Ihre Kalender-Adresse ist gelöscht.');
    expect((await app.get(new URL(newAddress!).pathname)).status).toBe(404);

    // Leave the shared activity as it was for the other test files.
    const mine = await (await owner.get(page)).text();
    const rsvpId = /name="rsvpId" value="(\d+)"/.exec(mine)?.[1];
    expect(rsvpId).toBeTruthy();
    await owner.submit(page, 'rsvps.cancel', { rsvpId: rsvpId! });
  });

  it('sends a signed-out visitor to sign in, and refuses a form from another site', async () => {
    const response = await new Visitor().get('/account/calendar');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?next=%2Faccount%2Fcalendar');
    const admin = await signedIn('admin');
    const forged = await admin.post('/account/calendar?_action=calendar.createAddress', {}, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
  });

  it('answers 404 to addresses that open nothing, and 429 to an address that keeps guessing', async () => {
    const guesser = new Visitor();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await guesser.get(`/feeds/personal/${'b'.repeat(31)}${'a234567'[i % 7]}.ics`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    const limited = await guesser.get(`/feeds/personal/${'c'.repeat(32)}.ics`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
