// Rate limits kept in the database, so that they hold across several app servers. Fixed
// windows counted with one atomic upsert: two servers counting the same key never lose a hit.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface RateRule {
  name: string;
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;

/**
 * Sign-in is limited per address *and* e-mail, so an attacker guessing one person's password
 * is slowed while the owner, signing in from elsewhere, is not locked out; a looser limit per
 * address stops one machine from trying many accounts.
 */
export const RATE_RULES = {
  signInPerAccountAndAddress: { name: 'sign-in:account+ip', max: 5, windowMs: 15 * MINUTE },
  signInPerAddress: { name: 'sign-in:ip', max: 50, windowMs: 15 * MINUTE },
  signUpPerAddress: { name: 'sign-up:ip', max: 10, windowMs: 60 * MINUTE },
  resetPerAddress: { name: 'reset:ip', max: 10, windowMs: 60 * MINUTE },
  /** Keeps anybody from filling a person's inbox with reset or confirmation mails. */
  mailPerAccount: { name: 'mail:account', max: 3, windowMs: 60 * MINUTE },
  /** Wrong personal-feed addresses from one place: guessing is hopeless, but it costs nothing to stop. */
  feedTokenMissesPerAddress: { name: 'feed-token:ip', max: 20, windowMs: 15 * MINUTE },
  /** Wrong one-tap answer links from one place, counted like wrong calendar addresses. */
  answerTokenMissesPerAddress: { name: 'answer-token:ip', max: 20, windowMs: 15 * MINUTE },
  /** Claim codes have 60 bits; ten wrong codes per quarter hour is plenty for a person typing from paper. */
  claimPerAddress: { name: 'claim:ip', max: 10, windowMs: 15 * MINUTE },
} as const satisfies Record<string, RateRule>;

export interface RateVerdict {
  allowed: boolean;
  /** How long until the window resets, when not allowed. */
  retryAfterMs: number;
}

/** Counts one hit on the rule for this subject and says whether it is still within the limit. */
export async function hitRateLimit(db: Kysely<Database>, rule: RateRule, subject: string, now = new Date()): Promise<RateVerdict> {
  const key = `${rule.name}:${subject}`;
  const windowEnds = new Date(now.getTime() + rule.windowMs);
  const row = await db
    .insertInto('rate_limit')
    .values({ key, hits: 1, window_ends_at: windowEnds })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when rate_limit.window_ends_at <= ${now} then 1 else rate_limit.hits + 1 end`,
        window_ends_at: sql`case when rate_limit.window_ends_at <= ${now} then excluded.window_ends_at else rate_limit.window_ends_at end`,
      }),
    )
    .returning(['hits', 'window_ends_at'])
    .executeTakeFirstOrThrow();
  const allowed = row.hits <= rule.max;
  return { allowed, retryAfterMs: allowed ? 0 : Math.max(0, row.window_ends_at.getTime() - now.getTime()) };
}

/** Checks several rules at once; the first that refuses decides. Every rule counts the hit. */
export async function hitRateLimits(db: Kysely<Database>, hits: Array<[RateRule, string]>, now = new Date()): Promise<RateVerdict> {
  let verdict: RateVerdict = { allowed: true, retryAfterMs: 0 };
  for (const [rule, subject] of hits) {
    const v = await hitRateLimit(db, rule, subject, now);
    if (!v.allowed && (verdict.allowed || v.retryAfterMs > verdict.retryAfterMs)) verdict = v;
  }
  return verdict;
}

/**
 * Whether the rule already refuses this subject, without counting a hit: for limits that
 * count only failures (a wrong claim code), checked before the attempt so that nothing is
 * tried once the limit is reached.
 */
export async function peekRateLimit(db: Kysely<Database>, rule: RateRule, subject: string, now = new Date()): Promise<RateVerdict> {
  const row = await db.selectFrom('rate_limit').select(['hits', 'window_ends_at']).where('key', '=', `${rule.name}:${subject}`).executeTakeFirst();
  if (!row || row.window_ends_at.getTime() <= now.getTime() || row.hits < rule.max) return { allowed: true, retryAfterMs: 0 };
  return { allowed: false, retryAfterMs: row.window_ends_at.getTime() - now.getTime() };
}

export async function clearRateLimit(db: Kysely<Database>, rule: RateRule, subject: string): Promise<void> {
  await db.deleteFrom('rate_limit').where('key', '=', `${rule.name}:${subject}`).execute();
}

export class RateLimitedError extends Error {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super('rate limited');
    this.retryAfterMs = retryAfterMs;
    this.name = 'RateLimitedError';
  }
  get retryAfterMinutes(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / MINUTE));
  }
}
