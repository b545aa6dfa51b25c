// A database that cannot be reached makes requests answer 503 with Retry-After, not 500.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.ts';
import { translator } from '../../src/i18n/index.ts';
import { actionOutageAsUnavailable, isDatabaseUnavailable, markIfUnavailable, unavailableResponse } from '../../src/lib/unavailable.ts';

describe('database unavailable', () => {
  it('recognises the error of a server that refuses connections', async () => {
    // Port 1 on loopback: nothing listens there, so the pool fails to connect at once.
    const handle = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    const error = await sql`select 1`.execute(handle.db).then(
      () => null,
      (e: unknown) => e,
    );
    await handle.close();
    expect(error).not.toBeNull();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('keeps an outage recognisable when only the message survives (as in an Astro ActionError)', async () => {
    const handle = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    const error = await sql`select 1`.execute(handle.db).then(
      () => null,
      (e: unknown) => e,
    );
    await handle.close();
    // What Astro makes of an error thrown in an action: the message, nothing else.
    expect(isDatabaseUnavailable(new Error((error as Error).message))).toBe(true);
    // A terminated session (PostgreSQL's fast shutdown) is marked too; a bug is left alone.
    const terminated = markIfUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    expect(isDatabaseUnavailable(new Error(terminated.message))).toBe(true);
    expect(markIfUnavailable(new Error('syntax error')).message).toBe('syntax error');
  });

  it('does not mistake other errors for an outage', () => {
    expect(isDatabaseUnavailable(new Error('duplicate key value violates unique constraint'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('answers 503 in the person’s language, asking to retry', async () => {
    const response = unavailableResponse(translator('ar'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const html = await response.text();
    expect(html).toContain('lang="ar" dir="rtl"');
    expect(html).toContain(translator('ar')('error.unavailable'));
  });

  it('carries the security headers: it can be answered before the middleware that adds them', () => {
    for (const response of [unavailableResponse(translator('de')), unavailableResponse(translator('de'), new URL('http://portal.test/_actions/rsvps.create'))]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    }
    expect(unavailableResponse(translator('de'), new URL('https://portal.test/')).headers.get('strict-transport-security')).toContain('max-age=');
  });

  describe('for actions called from JavaScript', () => {
    const url = new URL('http://portal.test/_actions/attendance.door');
    const astroError = (message: string) =>
      new Response(JSON.stringify({ type: 'AstroActionError', code: 'INTERNAL_SERVER_ERROR', status: 500, message }), {
        status: 500,
        headers: { 'Content-Type': 'application/json' },
      });

    it('answers 503 as the JSON error Astro’s client reads, in the person’s language', async () => {
      const response = unavailableResponse(translator('uk'), url);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toEqual({ type: 'AstroActionError', code: 'SERVICE_UNAVAILABLE', status: 503, message: translator('uk')('error.unavailable') });
    });

    it('turns the 500 of an action that met an outage into that 503', async () => {
      const marked = markIfUnavailable(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }));
      const response = await actionOutageAsUnavailable(astroError(marked.message), translator('de'), url);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
    });

    it('leaves a bug a 500 and any other answer as it was', async () => {
      const bug = await actionOutageAsUnavailable(astroError('Cannot read properties of undefined'), translator('de'), url);
      expect(bug.status).toBe(500);
      expect(((await bug.json()) as { message: string }).message).toBe('Cannot read properties of undefined');
      const fine = new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
      expect(await actionOutageAsUnavailable(fine, translator('de'), url)).toBe(fine);
    });
  });
});
