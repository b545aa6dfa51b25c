// Which forwarded headers the server believes: none without a trusted proxy; behind one, the
// address our outermost proxy added to X-Forwarded-For (counted from the right), never the
// entries a client wrote in front of it.
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/server/config.ts';
import { believeForwardedHeaders, forwardedClient } from '../../src/server/forwarded.ts';

const request = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;

describe('forwardedClient', () => {
  it('takes the entry our one proxy appended, whatever the client put in front', () => {
    expect(forwardedClient('203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('1.2.3.4, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('1.2.3.4,5.6.7.8 ,  203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('2001:db8::1, 2001:db8::7', 1)).toBe('2001:db8::7');
  });

  it('counts hops from the right behind a chain of our proxies (a load balancer, then nginx)', () => {
    expect(forwardedClient('1.2.3.4, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(forwardedClient('203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    // Fewer entries than proxies: the left-most, which a proxy of ours still wrote.
    expect(forwardedClient('10.0.0.2', 2)).toBe('10.0.0.2');
  });

  it('reads a header sent on several lines as one list, and nothing from an empty one', () => {
    expect(forwardedClient(['1.2.3.4', '203.0.113.7'], 1)).toBe('203.0.113.7');
    expect(forwardedClient(undefined, 1)).toBeNull();
    expect(forwardedClient(' , ', 1)).toBeNull();
  });
});

describe('believeForwardedHeaders', () => {
  it('drops every forwarded header without a trusted proxy', () => {
    const req = request({ 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', forwarded: 'for=1.2.3.4', host: 'portal' });
    believeForwardedHeaders(req, { trustProxy: false, hops: 1 });
    expect(req.headers).toEqual({ host: 'portal' });
  });

  it('leaves Astro one client address and the nearest proxy’s scheme and host', () => {
    const req = request({ 'x-forwarded-for': '1.2.3.4, 203.0.113.7', 'x-forwarded-proto': 'http, https', 'x-forwarded-host': 'ankommen.example', forwarded: 'for=1.2.3.4' });
    believeForwardedHeaders(req, { trustProxy: true, hops: 1 });
    expect(req.headers).toEqual({ 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ankommen.example' });
  });
});

describe('TRUSTED_PROXY_HOPS', () => {
  it('is 1 unless set, and must name at least one proxy', () => {
    expect(readConfig({ TRUST_PROXY: 'true' }).trustedProxyHops).toBe(1);
    expect(readConfig({ TRUST_PROXY: 'true', TRUSTED_PROXY_HOPS: '2' }).trustedProxyHops).toBe(2);
    expect(() => readConfig({ TRUSTED_PROXY_HOPS: '0' })).toThrow(/TRUSTED_PROXY_HOPS/);
    expect(() => readConfig({ TRUSTED_PROXY_HOPS: 'two' })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
