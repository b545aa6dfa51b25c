// Behind a proxy that appends to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the
// client is the address the proxy added, not whatever the client wrote in front of it: a
// client choosing the first entry must not get past any per-address limit.
import { describe, expect, it } from 'vitest';
import { Visitor } from '../helpers/visitor.ts';

/** What nginx passes on: the client's own header, then the address it saw. */
function throughNginx(sentByClient: string | null, seenByProxy: string): string {
  return sentByClient ? `${sentByClient}, ${seenByProxy}` : seenByProxy;
}

async function wrongPassword(visitor: Visitor, email: string, forwardedFor: string): Promise<number> {
  const posted = await fetch(new URL('/sign-in?_action=accounts.signIn', visitor.baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: new URL(visitor.baseUrl).origin, 'X-Forwarded-For': forwardedFor, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: email, password: 'not the password' }).toString(),
  });
  const page = await fetch(new URL(posted.headers.get('location')!, visitor.baseUrl), {
    headers: { 'X-Forwarded-For': forwardedFor, Cookie: posted.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') },
  });
  return page.status;
}

describe('the client address behind a trusted proxy', () => {
  it('is the one the proxy added: a client choosing the first entry is still counted as itself', async () => {
    const client = new Visitor();
    const email = `xff-${Date.now()}@test.example`;
    const statuses: number[] = [];
    for (let i = 1; i <= 30; i++) statuses.push(await wrongPassword(client, email, throughNginx(`198.51.100.${i}`, client.ip)));
    // 5 wrong passwords per account and address in 15 minutes, then 429.
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
  });

  it('tells real clients apart, even when they all send the same forged entry', async () => {
    const email = `xff-apart-${Date.now()}@test.example`;
    const forged = '192.0.2.1';
    const first = new Visitor();
    for (let i = 0; i < 5; i++) await wrongPassword(first, email, throughNginx(forged, first.ip));
    expect(await wrongPassword(first, email, throughNginx(forged, first.ip))).toBe(429);
    // Someone else behind the same proxy is not locked out by the first one's attempts.
    const second = new Visitor();
    expect(await wrongPassword(second, email, throughNginx(forged, second.ip))).toBe(400);
  });
});
