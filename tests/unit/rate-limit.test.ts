// Rate limits: exact counting under concurrent hits, fixed windows that restart, independent subjects, stale-row clean-up.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { applyRetention } from '../../src/features/privacy/retention.ts';
import {
  hitRateLimit, hitRateLimits, RateLimitedError, type RateRule,
} from '../../src/features/rate-limit/rate-limit.ts';

const NOW = new Date('2026-11-02T09:00:00Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

let handle: DatabaseHandle, db: Kysely<Database>;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());

const stored = (rule: RateRule, subject: string) =>
  db.selectFrom('rate_limit').select(['hits', 'window_ends_at']).where('key', '=', `${rule.name}:${subject}`).executeTakeFirst();

describe('hitRateLimit', () => {
  it('allows exactly `max` of 30 hits arriving at once', async () => {
    const rule = { name: 'test:burst', max: 7, windowMs: 10 * MINUTE };
    const verdicts = await Promise.all(Array.from({ length: 30 }, () => hitRateLimit(db, rule, '203.0.113.7', NOW)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(7);
    for (const v of verdicts.filter((v) => !v.allowed)) expect(v.retryAfterMs).toBe(10 * MINUTE);
    expect((await stored(rule, '203.0.113.7'))?.hits).toBe(30);
  });

  it('starts counting from 1 again once the window has ended', async () => {
    const rule = { name: 'test:window', max: 2, windowMs: 15 * MINUTE };
    expect((await hitRateLimit(db, rule, 'amal', NOW)).allowed).toBe(true);
    expect((await hitRateLimit(db, rule, 'amal', at(MINUTE))).allowed).toBe(true);
    // The window is fixed: it runs from the first hit, not from the latest.
    expect(await hitRateLimit(db, rule, 'amal', at(2 * MINUTE))).toEqual({ allowed: false, retryAfterMs: 13 * MINUTE });
    expect(await hitRateLimit(db, rule, 'amal', at(15 * MINUTE - 1))).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(await hitRateLimit(db, rule, 'amal', at(15 * MINUTE))).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await stored(rule, 'amal')).toEqual({ hits: 1, window_ends_at: at(30 * MINUTE) });
  });

  it('counts each subject and each rule on its own', async () => {
    const rule = { name: 'test:subjects', max: 1, windowMs: 15 * MINUTE };
    const other = { name: 'test:other-rule', max: 1, windowMs: 15 * MINUTE };
    expect((await hitRateLimit(db, rule, 'a', NOW)).allowed).toBe(true);
    expect((await hitRateLimit(db, rule, 'a', NOW)).allowed).toBe(false);
    expect((await hitRateLimit(db, rule, 'b', NOW)).allowed).toBe(true);
    expect((await hitRateLimit(db, other, 'a', NOW)).allowed).toBe(true);
    expect((await stored(rule, 'b'))?.hits).toBe(1);
  });
});

describe('hitRateLimits', () => {
  const short = { name: 'test:short', max: 1, windowMs: MINUTE };
  const long = { name: 'test:long', max: 1, windowMs: 60 * MINUTE };

  it.each([
    ['short rule first', [short, long], 'x'],
    ['long rule first', [long, short], 'y'],
  ] as const)('reports the longest wait when several rules refuse (%s)', async (_, rules, subject) => {
    const hits = rules.map((rule) => [rule, subject] as [RateRule, string]);
    expect(await hitRateLimits(db, hits, NOW)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await hitRateLimits(db, hits, at(10_000))).toEqual({ allowed: false, retryAfterMs: 60 * MINUTE - 10_000 });
    // Every rule counted the refused hit too.
    expect((await stored(short, subject))?.hits).toBe(2);
    expect((await stored(long, subject))?.hits).toBe(2);
  });

  it('refuses when only one of the rules is exhausted', async () => {
    const loose = { name: 'test:loose', max: 50, windowMs: 15 * MINUTE };
    const strict = { name: 'test:strict', max: 1, windowMs: 15 * MINUTE };
    const hits: Array<[RateRule, string]> = [[loose, 'z'], [strict, 'z']];
    await hitRateLimits(db, hits, NOW);
    expect(await hitRateLimits(db, hits, NOW)).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });
  });
});

describe('retention of rate-limit counters', () => {
  it('removes windows that have ended and keeps running ones counting', async () => {
    const rule = { name: 'test:stale', max: 5, windowMs: 60 * MINUTE };
    await hitRateLimit(db, rule, 'ended', at(-120 * MINUTE));
    await hitRateLimit(db, rule, 'running', at(-30 * MINUTE));
    await hitRateLimit(db, rule, 'running', at(-20 * MINUTE));
    expect((await applyRetention(db, { now: NOW, baseUrl: 'https://ankommen.example', only: ['rate_limits'] })).rate_limits).toBe(1);
    expect(await stored(rule, 'ended')).toBeUndefined();
    expect(await stored(rule, 'running')).toEqual({ hits: 2, window_ends_at: at(30 * MINUTE) });
    await hitRateLimit(db, rule, 'running', NOW);
    expect((await stored(rule, 'running'))?.hits).toBe(3);
  });
});

describe('RateLimitedError', () => {
  it('tells whole minutes to wait, at least one', () => {
    expect(new RateLimitedError(61_000).retryAfterMinutes).toBe(2);
    expect(new RateLimitedError(60_000).retryAfterMinutes).toBe(1);
    expect(new RateLimitedError(500).retryAfterMinutes).toBe(1);
  });
});
