// A fault of the portal's own answers 500 with a plain page in the reader's language and a
// status line that says so — not "500 OK" with the home page as its body. The portal runs in
// this process on an embedded database of its own, whose activity table the test then takes
// away, as a botched migration or a bug would.
import http from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/server/config.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';

let running: RunningServer;

beforeAll(async () => {
  running = await startServer(readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', DEMO_TOWN: 'off', OUTBOX_INTERVAL_MS: '60000' }), {
    transport: { async send() {} },
  });
  await sql`alter table activity rename to activity_gone`.execute(running.database.db);
});

afterAll(async () => {
  await running?.stop();
});

function get(path: string): Promise<{ statusLine: string; status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, running.url), { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ statusLine: `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}`, status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('a fault of the portal', () => {
  it('answers 500 with a plain page that says so, in the reader’s language', async () => {
    for (const [path, lang, text] of [
      ['/activities', 'de', 'Da ist etwas schiefgegangen'],
      ['/ar/activities', 'ar', 'حدث خطأ ما'],
    ] as const) {
      const answer = await get(path);
      expect(answer.statusLine, path).toBe('HTTP/1.1 500 Internal Server Error');
      expect(answer.body, path).toContain(`<html lang="${lang}"`);
      expect(answer.body, path).toContain(text);
      // Not the home page, nor any page of the portal's layout.
      expect(answer.body, path).not.toContain('site-header');
      expect(answer.body, path).not.toContain('<title>Start');
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
      expect(answer.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(answer.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('still serves what does not need the broken part', async () => {
    expect((await get('/sign-in')).status).toBe(200);
  });
});
