// One-tap answer links: "I'm coming" / "I can't come" in a reminder, answered without signing
// in. A link carries a random token of 160 bits that answers exactly one RSVP, one shift
// sign-up or one consultation booking; only its SHA-256 is stored (answer_token), and the link itself travels only as a
// secret field of the mail (outbox `secrets`, emptied once the mail is sent). Both answers of a
// mail share one token: the answer is the last segment of the address.
//
// A link works until its activity (or shift) starts, by the activity's start as it is when the
// link is opened, so that an activity moved to a later day keeps its links working; after the
// start it says "too late". Retention deletes a token a week after that start
// (src/features/privacy/retention.ts), so that an old link says "too late" rather than
// "not found" for a while; erasing a person deletes theirs at once.
//
// Kept apart from answers.service.ts because the RSVP and volunteering services make links when
// they write their mails, and answers.service.ts calls those services.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import { localePath } from '../../i18n/locales.ts';
import { hashToken, randomToken } from '../../lib/tokens.ts';
import { hitRateLimit, RATE_RULES } from '../rate-limit/rate-limit.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What a person answers to a reminder. */
export const ANSWERS = ['coming', 'not_coming'] as const;
export type Answer = (typeof ANSWERS)[number];

/** The last segment of a link's address for each answer. */
export const ANSWER_SLUGS: Record<Answer, string> = { coming: 'coming', not_coming: 'not-coming' };

export function answerOfSlug(slug: string | undefined): Answer | null {
  return (Object.keys(ANSWER_SLUGS) as Answer[]).find((answer) => ANSWER_SLUGS[answer] === slug) ?? null;
}

/** A token is kept this long after its activity started: an old link then says "too late". */
export const ANSWER_TOKEN_KEPT_MS = 7 * 24 * 60 * 60_000;

/** randomToken(20): 32 characters of lower-case base32 (160 bits). */
export function hasAnswerTokenShape(token: string): boolean {
  return /^[a-z2-7]{32}$/.test(token);
}

/** What one link answers. */
export type AnswerTarget = { rsvpId: number } | { signupId: number } | { bookingId: number };

/** The two addresses a mail carries; secret fields of its template. */
export interface AnswerLinks {
  comingUrl: string;
  notComingUrl: string;
}

/** The address of the page that answers `answer` with this token, in the person's language. */
export function answerPath(locale: Locale, token: string, answer: Answer): string {
  return localePath(locale, `/answer/${token}/${ANSWER_SLUGS[answer]}`);
}

/**
 * Makes a new link for one RSVP or sign-up (in the caller's transaction, together with the mail
 * that carries it), valid until `startsAt`; answers both addresses, in the person's language.
 */
export async function createAnswerLinks(trx: Db, baseUrl: string, target: AnswerTarget, startsAt: Date, locale: Locale, now = new Date()): Promise<AnswerLinks> {
  const token = randomToken(20);
  await trx
    .insertInto('answer_token')
    .values({
      token_hash: hashToken(token),
      rsvp_id: 'rsvpId' in target ? target.rsvpId : null,
      volunteer_signup_id: 'signupId' in target ? target.signupId : null,
      consultation_booking_id: 'bookingId' in target ? target.bookingId : null,
      expires_at: startsAt,
      created_at: now,
    })
    .execute();
  return { comingUrl: `${baseUrl}${answerPath(locale, token, 'coming')}`, notComingUrl: `${baseUrl}${answerPath(locale, token, 'not_coming')}` };
}

/** What a link's token opens: the RSVP or sign-up, and whose it is. */
export type AnswerTokenTarget = { kind: 'rsvp'; rsvpId: number; personId: number } | { kind: 'shift'; signupId: number; personId: number } | { kind: 'booking'; bookingId: number; personId: number };

export type AnswerTokenLookup = { kind: 'found'; target: AnswerTokenTarget } | { kind: 'unknown' } | { kind: 'rate-limited'; retryAfterMs: number };

/**
 * What a token opens. Unknown tokens (and tokens whose RSVP no longer names anybody) are
 * counted per client address like wrong calendar addresses: after too many, the answer is
 * "slow down", while a person opening their own links is never slowed.
 */
export async function lookUpAnswerToken(db: Kysely<Database>, token: string, ip: string, now = new Date()): Promise<AnswerTokenLookup> {
  const row = hasAnswerTokenShape(token)
    ? await db
        .selectFrom('answer_token')
        .leftJoin('rsvp', 'rsvp.id', 'answer_token.rsvp_id')
        .leftJoin('volunteer_signup', 'volunteer_signup.id', 'answer_token.volunteer_signup_id')
        .leftJoin('consultation_booking', 'consultation_booking.id', 'answer_token.consultation_booking_id')
        .select(['answer_token.rsvp_id', 'answer_token.volunteer_signup_id', 'answer_token.consultation_booking_id', 'rsvp.user_id as rsvp_user_id', 'volunteer_signup.user_id as signup_user_id', 'consultation_booking.user_id as booking_user_id'])
        .where('answer_token.token_hash', '=', hashToken(token))
        .executeTakeFirst()
    : undefined;
  if (row?.rsvp_id != null && row.rsvp_user_id != null) return { kind: 'found', target: { kind: 'rsvp', rsvpId: row.rsvp_id, personId: row.rsvp_user_id } };
  if (row?.volunteer_signup_id != null && row.signup_user_id != null) {
    return { kind: 'found', target: { kind: 'shift', signupId: row.volunteer_signup_id, personId: row.signup_user_id } };
  }
  if (row?.consultation_booking_id != null && row.booking_user_id != null) {
    return { kind: 'found', target: { kind: 'booking', bookingId: row.consultation_booking_id, personId: row.booking_user_id } };
  }
  const verdict = await hitRateLimit(db, RATE_RULES.answerTokenMissesPerAddress, ip, now);
  return verdict.allowed ? { kind: 'unknown' } : { kind: 'rate-limited', retryAfterMs: verdict.retryAfterMs };
}

/**
 * Deletes every answer link of the person's RSVPs and sign-ups (erasure: an RSVP is kept,
 * anonymous, so its links would outlive the person otherwise). Answers how many went.
 */
export async function deleteAnswerTokensOf(trx: Db, personId: number): Promise<number> {
  const result = await trx
    .deleteFrom('answer_token')
    .where((eb) =>
      eb.or([
        eb('rsvp_id', 'in', eb.selectFrom('rsvp').select('rsvp.id').where('rsvp.user_id', '=', personId)),
        eb('volunteer_signup_id', 'in', eb.selectFrom('volunteer_signup').select('volunteer_signup.id').where('volunteer_signup.user_id', '=', personId)),
        eb('consultation_booking_id', 'in', eb.selectFrom('consultation_booking').select('consultation_booking.id').where('consultation_booking.user_id', '=', personId)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Tokens retention deletes: `expires_at` (the start when the link was made) and the start of
 * the activity or shift as it is now both lie more than ANSWER_TOKEN_KEPT_MS in the past.
 */
export function staleAnswerToken(now: Date) {
  const before = new Date(now.getTime() - ANSWER_TOKEN_KEPT_MS);
  return (eb: ExpressionBuilder<Database, 'answer_token'>) =>
    eb.and([
      eb('answer_token.expires_at', '<', before),
      eb(
        sql<Date>`coalesce(
          (select activity.starts_at from rsvp join activity on activity.id = rsvp.activity_id where rsvp.id = answer_token.rsvp_id),
          (select coalesce(volunteer_role.starts_at, activity.starts_at) from volunteer_signup
             join volunteer_role on volunteer_role.id = volunteer_signup.role_id
             join activity on activity.id = volunteer_role.activity_id
            where volunteer_signup.id = answer_token.volunteer_signup_id),
          (select consultation_slot.starts_at from consultation_booking join consultation_slot on consultation_slot.id = consultation_booking.slot_id
            where consultation_booking.id = answer_token.consultation_booking_id))`,
        '<',
        before,
      ),
    ]);
}
