// Without TRUST_PROXY the portal believes no X-Forwarded-* header: a forged client address
// cannot dodge the rate limit, and a forged "https" cannot change how cookies are set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type Portal } from '../helpers/portal.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({ DATA_DIR: 'memory://', DEMO_TOWN: 'off', TRUST_PROXY: '' });
});

afterAll(async () => {
  expect(await portal.stop()).toBe(0);
});

function signIn(forwardedFor: string, extra: Record<string, string> = {}) {
  return fetch(new URL('/sign-in?_action=accounts.signIn', portal.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: new URL(portal.url).origin, 'X-Forwarded-For': forwardedFor, 'Content-Type': 'application/x-www-form-urlencoded', ...extra },
    body: new URLSearchParams({ login: 'someone@test.example', password: 'not the password' }).toString(),
  });
}

describe('an untrusted X-Forwarded-For', () => {
  it('does not let one machine pose as many to get past the sign-in limit', async () => {
    for (let i = 1; i <= 5; i++) await signIn(`203.0.113.${i}`);
    const sixth = await signIn('203.0.113.99');
    const page = await fetch(new URL(sixth.headers.get('location')!, portal.url), {
      headers: { Cookie: sixth.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') },
    });
    expect(page.status).toBe(429);
  });

  it('does not turn a plain-HTTP request into https', async () => {
    const response = await fetch(new URL('/sign-in?_action=accounts.signIn', portal.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: `https://${new URL(portal.url).host}`, 'X-Forwarded-Proto': 'https', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'someone@test.example', password: 'x' }).toString(),
    });
    // The origin check compares with the real scheme (http), so the https Origin is foreign.
    expect(response.status).toBe(403);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});
