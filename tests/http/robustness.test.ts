// Requests nobody's browser sends: every malformed or oversized one gets a clean 4xx with the
// security headers, the right status line and a plain page — never a 500, never a body read in
// full before it is refused.
import http from 'node:http';
import net from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { stripTags, Visitor } from '../helpers/visitor.ts';

const base = () => new URL(inject('baseUrl'));

interface RawAnswer {
  statusLine: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends exactly these bytes on a connection of its own and reads the answer as it comes. */
function rawExchange(request: string | Buffer, options: { keepWriting?: (socket: net.Socket) => void } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base().port), base().hostname);
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 10 s; got so far: ${JSON.stringify(data.slice(0, 200))}`));
    }, 10_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(data.slice(0, end))?.[1];
      const chunked = /\r\ntransfer-encoding: *chunked/i.test(data.slice(0, end));
      const complete = length !== undefined ? data.length >= end + 4 + Number(length) : chunked ? data.endsWith('0\r\n\r\n') : false;
      if (complete) finish();
    });
    socket.on('end', () => finish());
    socket.on('error', (error) => (data.includes('\r\n\r\n') ? finish() : reject(error)));
    let finished = false;
    function finish() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const end = data.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = data.slice(0, end).split('\r\n');
      const headers: http.IncomingHttpHeaders = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        // Several Set-Cookie lines are kept, one per cookie.
        if (name === 'set-cookie') headers['set-cookie'] = [...(headers['set-cookie'] ?? []), value];
        else headers[name] = value;
      }
      resolve({ statusLine, status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(data.slice(end + 4), 'latin1').toString('utf8') });
    }
    socket.write(request);
    options.keepWriting?.(socket);
  });
}

function expectSecurityHeaders(headers: Headers | http.IncomingHttpHeaders, what: string): void {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] as string | undefined)) ?? null;
  expect(get('x-content-type-options'), what).toBe('nosniff');
  expect(get('referrer-policy'), what).toBeTruthy();
  const csp = get('content-security-policy') ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  // Each directive once.
  expect(csp.match(/frame-ancestors/g), what).toHaveLength(1);
}

const host = () => `Host: ${base().host}\r\n`;

describe('request bodies', () => {
  it('refuses a body declared above 1 MiB with 413 before reading it', async () => {
    // 100 MB announced, a few bytes sent: the answer must come without waiting for the rest.
    const answer = await rawExchange(
      `POST /sign-in?_action=accounts.signIn HTTP/1.1\r\n${host()}Origin: ${base().origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${100 * 1000 * 1000}\r\n\r\nemail=a%40b.c&password=`,
    );
    expect(answer.status).toBe(413);
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer.headers.connection).toBe('close');
    expect(stripTags(answer.body)).toContain('Das Formular ist zu groß');
    expectSecurityHeaders(answer.headers, '413');
  });

  it('counts the bytes of a body sent without a length and refuses it once it passes 1 MiB', async () => {
    const piece = `x=${'a'.repeat(64 * 1024)}`;
    const answer = await rawExchange(
      `POST /en/sign-in?_action=accounts.signIn HTTP/1.1\r\n${host()}Origin: ${base().origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`,
      {
        keepWriting(socket) {
          // 2 MiB in 64 KiB chunks, then nothing more: the answer must not wait for the end.
          for (let i = 0; i < 32; i++) socket.write(`${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`);
        },
      },
    );
    expect(answer.status).toBe(413);
    expect(stripTags(answer.body)).toContain('The form is too large');
  });

  it('takes a chunked body within the limit like any other', async () => {
    // A right password signs in: the answer proves the whole body arrived and was read.
    const body = new URLSearchParams({ login: TEST_ACCOUNTS.resident.email, password: TEST_ACCOUNTS.resident.password }).toString();
    const answer = await rawExchange(
      `POST /sign-in?_action=accounts.signIn HTTP/1.1\r\n${host()}Origin: ${base().origin}\r\nX-Forwarded-For: 10.250.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    expect(answer.headers['set-cookie']?.some((cookie) => /^session=[^;]+/.test(cookie))).toBe(true);
  });

  it('takes the largest legitimate form: an activity with every translation at its longest', async () => {
    const organiser = new Visitor();
    await organiser.signIn(TEST_ACCOUNTS.organiser.email, TEST_ACCOUNTS.organiser.password);
    // '€' takes 3 bytes in UTF-8 and 9 once form-encoded: the most a character can cost.
    const long = (n: number) => '€'.repeat(n);
    const fields = new URLSearchParams({
      organisationId: String(inject('activities').organisation),
      title: `Größtes Formular ${Date.now()}`,
      sourceLocale: 'de',
      description: long(8000),
      category: 'culture',
      date: '2031-09-06',
      startTime: '15:00',
      endTime: '17:00',
      placeName: 'Stellwerk',
    });
    for (const l of ['en', 'ar', 'uk', 'tr', 'fa', 'de']) {
      fields.set(`title_${l}`, long(120));
      fields.set(`description_${l}`, long(8000));
    }
    expect(Buffer.byteLength(fields.toString())).toBeGreaterThan(500_000);
    const created = await organiser.submit(`/organise/new?organisation=${inject('activities').organisation}`, 'organise.createActivity', fields);
    expect(created.posted.status).toBe(303);
    expect(created.url).toMatch(/^\/organise\/\d+$/);
  });
});

describe('methods', () => {
  it('answers TRACE, PUT, DELETE and PATCH with 405 and what is allowed', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await rawExchange(`${method} /activities HTTP/1.1\r\n${host()}Origin: ${base().origin}\r\nContent-Length: 0\r\n\r\n`);
      expect(answer.statusLine, method).toBe('HTTP/1.1 405 Method Not Allowed');
      expect(answer.headers.allow, method).toBe('GET, HEAD, POST');
      expect(stripTags(answer.body), method).toContain('Das geht an dieser Adresse nicht');
      expectSecurityHeaders(answer.headers, method);
    }
    const options = await rawExchange(`OPTIONS /activities HTTP/1.1\r\n${host()}\r\n`);
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, POST');
  });

  it('answers a request it cannot parse with a plain 400 and the security headers', async () => {
    for (const request of [`TRACK / HTTP/1.1\r\n${host()}\r\n`, `GET / HTTP/1.1\r\n${host()}Bad Header\r\n\r\n`]) {
      const answer = await rawExchange(request);
      expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(stripTags(answer.body)).toContain('Diese Anfrage können wir nicht lesen');
      expectSecurityHeaders(answer.headers, request);
    }
  });
});

describe('the security headers', () => {
  it('are on the cross-site 403, a 404, a redirect, a static file and a feed', async () => {
    const visitor = new Visitor();
    const refused = await visitor.post('/sign-in?_action=accounts.signIn', { login: 'a@b.c', password: 'x' }, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expectSecurityHeaders(refused.headers, '403');
    const missing = await visitor.get('/nothing-here');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers, '404');
    const redirect = await visitor.get('/admin');
    expect(redirect.status).toBe(303);
    expectSecurityHeaders(redirect.headers, '303');
    const icon = await visitor.get('/favicon.svg');
    expect(icon.status).toBe(200);
    expectSecurityHeaders(icon.headers, 'favicon.svg');
    expectSecurityHeaders((await visitor.get('/feeds/activities.ics')).headers, 'feed');
    expectSecurityHeaders((await visitor.get('/')).headers, 'home page');
  });
});

describe('broken JSON', () => {
  it('posted to an action answers 400 (and JSON that is not broken 415: actions take forms)', async () => {
    const visitor = new Visitor();
    await visitor.signIn(TEST_ACCOUNTS.resident.email, TEST_ACCOUNTS.resident.password);
    const cookie = [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const post = (path: string, body: string) =>
      fetch(new URL(path, visitor.baseUrl), {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: new URL(visitor.baseUrl).origin, 'X-Forwarded-For': visitor.ip, 'Content-Type': 'application/json', Cookie: cookie },
        body,
      });
    const id = inject('activities').roomy;
    for (const path of ['/_actions/rsvps.create', `/activities/${id}?_action=rsvps.create`, '/sign-in?_action=accounts.signIn']) {
      const broken = await post(path, '{"activityId": 1,');
      expect(broken.status, path).toBe(400);
      expectSecurityHeaders(broken.headers, path);
      expect((await post(path, JSON.stringify({ activityId: id, partySize: 1 }))).status, path).toBe(415);
    }
    // Nothing was booked.
    expect(stripTags(await (await visitor.get(`/activities/${id}`)).text())).not.toContain('Sie sind angemeldet');
  });
});

describe('ids beyond PostgreSQL’s integer range', () => {
  const TOO_LARGE = ['2147483648', '99999999999999999999'];

  it('answer 404 on every page that reads an id from its address, to visitors too', async () => {
    const visitor = new Visitor();
    for (const id of TOO_LARGE) {
      for (const path of [`/activities/${id}`, `/en/activities/${id}`, `/activities/${id}/calendar.ics`, `/organise/${id}/attendees.csv`]) {
        expect((await visitor.get(path)).status, path).toBe(404);
      }
    }
  });

  it('answer 404 to organisers and coordinators on their pages', async () => {
    const organiser = new Visitor();
    await organiser.signIn(TEST_ACCOUNTS.organiser.email, TEST_ACCOUNTS.organiser.password);
    const coordinator = new Visitor();
    await coordinator.signIn(TEST_ACCOUNTS.coordinator.email, TEST_ACCOUNTS.coordinator.password);
    for (const id of TOO_LARGE) {
      for (const path of [`/organise/${id}`, `/organise/${id}/edit`, `/organise/${id}/attendees`, `/organise/${id}/attendees.csv`, `/organise/${id}/roles`, `/ar/organise/${id}`, `/organise/new?organisation=${id}`]) {
        const response = await organiser.get(path);
        expect(response.status, path).toBe(404);
        expectSecurityHeaders(response.headers, path);
      }
      for (const path of [`/mentees/${id}`, `/coordinate/claim-sheet/${id}`]) expect((await coordinator.get(path)).status, path).toBe(404);
    }
  });

  it('answer 404 from every action that takes one, from a form or from JavaScript', async () => {
    const organiser = new Visitor();
    await organiser.signIn(TEST_ACCOUNTS.organiser.email, TEST_ACCOUNTS.organiser.password);
    const admin = new Visitor();
    await admin.signIn(TEST_ACCOUNTS.admin.email, TEST_ACCOUNTS.admin.password);
    for (const id of TOO_LARGE) {
      const posts: Array<[Visitor, string, Record<string, string>]> = [
        [organiser, 'rsvps.create', { activityId: id, partySize: '1', note: '' }],
        [organiser, 'rsvps.cancel', { rsvpId: id }],
        [organiser, 'organise.publishActivity', { activityId: id }],
        [organiser, 'organise.cancelActivity', { activityId: id, reason: 'Regen' }],
        [organiser, 'attendance.checkIn', { rsvpId: id, checkedIn: 'true' }],
        [organiser, 'attendance.addWalkIn', { activityId: id, name: 'Olena', partySize: '1' }],
        [organiser, 'volunteering.signUp', { roleId: id }],
        [organiser, 'volunteering.withdraw', { signupId: id }],
        [organiser, 'mentoring.withdraw', { requestId: id }],
        [organiser, 'mentoring.deleteMeeting', { meetingId: id }],
        [admin, 'admin.addMember', { organisationId: id, email: TEST_ACCOUNTS.resident.email, role: 'organiser' }],
        [admin, 'admin.removeMember', { organisationId: id, userId: id, role: 'organiser' }],
      ];
      for (const [who, action, fields] of posts) {
        expect((await who.post(`/activities?_action=${action}`, fields)).status, `${action} ${id}`).toBe(404);
        expect((await who.post(`/_actions/${action}`, fields)).status, `/_actions/${action} ${id}`).toBe(404);
      }
    }
  });
});

describe('a NUL or another control character', () => {
  it('in an address or a search is answered like any other text, never with a 500', async () => {
    const visitor = new Visitor();
    const admin = new Visitor();
    await admin.signIn(TEST_ACCOUNTS.admin.email, TEST_ACCOUNTS.admin.password);
    const expectations: Array<[Visitor, string, number]> = [
      [visitor, '/activities?q=%00', 200],
      [visitor, '/activities?q=Sprach%00caf%C3%A9%1B', 200],
      [visitor, '/en/activities?q=%00&category=language', 200],
      [visitor, '/feeds/activities.ics?q=%00', 200],
      [visitor, '/help-wanted?q=%00&skill=%00&language=%00', 200],
      [visitor, '/activities/1%00', 404],
      [visitor, '/%E0%A4%A', 404],
      [visitor, '/500', 404],
      [visitor, '/feeds/organisations/test%00verein.ics', 404],
      [visitor, '/feeds/personal/%00.ics', 404],
      // A link that is no link: the page says so (400), as for any unknown token.
      [visitor, '/reset-password?token=%00', 400],
      [visitor, '/sign-in?next=%00', 200],
      [admin, '/admin/organisations/test%00verein', 404],
    ];
    for (const [who, path, status] of expectations) expect((await who.get(path)).status, path).toBe(status);
  });

  it('typed into a form is dropped, and a single-line field keeps no line break', async () => {
    const organiser = new Visitor();
    await organiser.signIn(TEST_ACCOUNTS.organiser.email, TEST_ACCOUNTS.organiser.password);
    const organisation = String(inject('activities').organisation);
    const created = await organiser.submit(`/organise/new?organisation=${organisation}`, 'organise.createActivity', {
      organisationId: organisation,
      title: `Näh\u0000café\r\nam Abend ${Date.now()}`,
      sourceLocale: 'de',
      description: 'Erste Zeile\u0000\r\n\r\nZweiter \u202EAbsatz',
      category: 'culture',
      date: '2031-10-06',
      startTime: '15:00',
      endTime: '17:00',
      placeName: 'Stellwerk\nHinterhaus',
    });
    expect(created.posted.status).toBe(303);
    expect(created.url).toMatch(/^\/organise\/\d+$/);
    const edit = await (await organiser.get(`${created.url}/edit`)).text();
    expect(edit).toMatch(/name="title"[^>]*value="Nähcafé am Abend \d+"/);
    expect(edit).toMatch(/name="placeName"[^>]*value="Stellwerk Hinterhaus"/);
    expect(edit).toContain('Erste Zeile\r\n\r\nZweiter Absatz</textarea>');
  });
});
