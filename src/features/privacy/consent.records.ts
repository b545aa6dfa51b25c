// Consent records (Art. 7 GDPR: the portal must be able to show that a person consented): what
// they agreed to, to which version of the text, when, and how — online by ticking a box, or
// on paper, signed and then recorded by a coordinator — and when they took it back. This
// module holds the purposes and the rows and knows nothing of mentoring, so that mentoring can
// record a consent in the same transaction as the request it belongs to; what withdrawing a
// consent ends is decided in consent.ts, which builds on this.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ConsentGivenHow } from '../../db/schema-privacy.ts';
import type { PluralKey, TextKey } from '../../i18n/index.ts';
import { zonedDateInput, zonedTimeToInstant } from '../../i18n/format.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.ts';
import type { RetentionKey } from './retention-periods.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ConsentPurposeDeclaration {
  /**
   * The version of the German text the person agreed to, stored with each consent. Change it
   * with every change of the German texts below: tests/unit/privacy-consent.test.ts pins each
   * version to its text and fails until it is changed.
   */
  version: string;
  /** The texts shown and printed, in every language: a short name; the sentence the person
   * agrees to; what happens with the data; how to take it back; what taking it back ends. */
  text: { title: TextKey; statement: TextKey; details: TextKey; withdrawal: TextKey; warning: TextKey };
  /** How long the data is kept after its use ends, in words, with the period a site admin set. */
  kept: { text: PluralKey; period: RetentionKey };
}

export const CONSENT_PURPOSES = {
  /**
   * A newcomer's needs (topics, a note), languages and contact, shared with the coordinators
   * and their Kümmerer. Needs can reveal health, religion or residence status, so this is the
   * explicit consent of Art. 9(2)(a) GDPR; asking for a Kümmerer needs it.
   */
  mentoring_needs: {
    version: '2026-12-07',
    text: {
      title: 'consent.mentoring_needs.title',
      statement: 'consent.mentoring_needs.statement',
      details: 'consent.mentoring_needs.details',
      withdrawal: 'consent.mentoring_needs.withdrawal',
      warning: 'consent.mentoring_needs.warning',
    },
    kept: { text: 'consent.mentoring_needs.kept', period: 'requestDetailsMonths' },
  },
} as const satisfies Record<string, ConsentPurposeDeclaration>;

export type ConsentPurpose = keyof typeof CONSENT_PURPOSES;

export const ALL_CONSENT_PURPOSES = Object.keys(CONSENT_PURPOSES) as [ConsentPurpose, ...ConsentPurpose[]];

export function isConsentPurpose(value: string): value is ConsentPurpose {
  return Object.hasOwn(CONSENT_PURPOSES, value);
}

/** The refusals of this module's rules, shaped like the mentoring service's. */
export type ConsentRefusal = { ok: false; fields?: Record<string, string>; form?: { key: string } };

export interface ConsentRecord {
  id: number;
  purpose: ConsentPurpose;
  textVersion: string;
  givenAt: Date;
  givenHow: ConsentGivenHow;
  withdrawnAt: Date | null;
}

/**
 * A person's consents, the one in force first, then newest first; withdrawn ones stay as the
 * record of what was agreed and when it ended. A purpose the portal no longer knows has no
 * text to show and is left out (its rows stay in the person's export).
 */
export async function listConsents(db: Db, userId: number): Promise<ConsentRecord[]> {
  const rows = await db
    .selectFrom('consent')
    .select(['id', 'purpose', 'text_version', 'given_at', 'given_how', 'withdrawn_at'])
    .where('user_id', '=', userId)
    .orderBy((eb) => eb('withdrawn_at', 'is', null), 'desc')
    .orderBy('given_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.flatMap((r) =>
    isConsentPurpose(r.purpose)
      ? [{ id: r.id, purpose: r.purpose, textVersion: r.text_version, givenAt: r.given_at, givenHow: r.given_how, withdrawnAt: r.withdrawn_at }]
      : [],
  );
}

/** Whether the person's consent to the purpose is in force (given, not withdrawn). */
export async function hasConsent(db: Db, userId: number, purpose: ConsentPurpose): Promise<boolean> {
  const row = await db.selectFrom('consent').select('id').where('user_id', '=', userId).where('purpose', '=', purpose).where('withdrawn_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}

/** When and how a consent in force was given. */
export interface ConsentInForce {
  givenAt: Date;
  givenHow: ConsentGivenHow;
}

/** How the consents in force of several people were given (for the coordinators' lists);
 * someone missing from the map has none. */
export async function consentsInForce(db: Db, userIds: readonly number[], purpose: ConsentPurpose): Promise<Map<number, ConsentInForce>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('consent')
    .select(['user_id', 'given_at', 'given_how'])
    .where('user_id', 'in', [...new Set(userIds)])
    .where('purpose', '=', purpose)
    .where('withdrawn_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.user_id, { givenAt: r.given_at, givenHow: r.given_how }]));
}

/** Locks the person's row: giving, recording and withdrawing a person's consents take turns
 * on it (one consent in force per purpose), and it says when they were registered. */
async function lockPerson(trx: Transaction<Database>, userId: number): Promise<{ createdAt: Date }> {
  const row = await trx.selectFrom('app_user').select('created_at').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
  return { createdAt: row.created_at };
}

async function consentInForce(trx: Transaction<Database>, userId: number, purpose: ConsentPurpose): Promise<number | null> {
  const row = await trx.selectFrom('consent').select('id').where('user_id', '=', userId).where('purpose', '=', purpose).where('withdrawn_at', 'is', null).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The person ticks the box (online): the consent is recorded with the text's current version,
 * inside the caller's transaction (the request it is given for). A consent already in force
 * stays as it is: it is one and the same agreement.
 */
export async function giveConsent(
  trx: Transaction<Database>,
  input: { userId: number; purpose: ConsentPurpose; origin: Pick<RequestOrigin, 'ip'>; now: Date },
): Promise<{ consentId: number; isNew: boolean }> {
  await lockPerson(trx, input.userId);
  const existing = await consentInForce(trx, input.userId, input.purpose);
  if (existing !== null) return { consentId: existing, isNew: false };
  const row = await trx
    .insertInto('consent')
    .values({
      user_id: input.userId,
      purpose: input.purpose,
      text_version: CONSENT_PURPOSES[input.purpose].version,
      given_at: input.now,
      given_how: 'online',
      recorded_by: null,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    actorUserId: input.userId,
    action: 'consent.given',
    objectType: 'consent',
    objectId: row.id,
    ip: input.origin.ip,
    details: { purpose: input.purpose, textVersion: CONSENT_PURPOSES[input.purpose].version },
  });
  return { consentId: row.id, isNew: true };
}

/**
 * Why the date typed for a paper form cannot be when it was signed: after today, or before the
 * person was registered (both as calendar days in the town's zone) — or null when it can.
 * `signedOn` is "YYYY-MM-DD" (the form's schema checked the shape).
 */
export function paperDateProblem(signedOn: string, registeredAt: Date, now: Date, timeZone: string): string | null {
  const [y, m, d] = signedOn.split('-').map(Number) as [number, number, number];
  // "2026-02-30" has the right shape but is no day: the calendar would read it as 2 March.
  if (zonedDateInput('UTC', new Date(Date.UTC(y, m - 1, d))) !== signedOn) return 'error.date.invalid';
  if (signedOn > zonedDateInput(timeZone, now)) return 'consent.error.signedInFuture';
  if (signedOn < zonedDateInput(timeZone, registeredAt)) return 'consent.error.signedBeforeRegistration';
  return null;
}

/**
 * A coordinator records a consent the person signed on paper, on the date written on it,
 * inside the caller's transaction. The form carries a date, not a time: the consent counts
 * from the start of that day in the town's zone, or from the person's registration when that
 * was later on the same day, so that no consent is older than the account it belongs to.
 */
export async function recordPaperConsentIn(
  trx: Transaction<Database>,
  input: { userId: number; purpose: ConsentPurpose; signedOn: string; recordedBy: number; origin: Pick<RequestOrigin, 'ip'>; timeZone: string; now: Date },
): Promise<{ ok: true; consentId: number } | ConsentRefusal> {
  const { createdAt } = await lockPerson(trx, input.userId);
  const problem = paperDateProblem(input.signedOn, createdAt, input.now, input.timeZone);
  if (problem) return { ok: false, fields: { consentSignedOn: problem } };
  if ((await consentInForce(trx, input.userId, input.purpose)) !== null) return { ok: false, form: { key: 'consent.error.alreadyInForce' } };
  const [y, m, d] = input.signedOn.split('-').map(Number) as [number, number, number];
  const startOfDay = zonedTimeToInstant(input.timeZone, y, m, d);
  const givenAt = startOfDay < createdAt ? createdAt : startOfDay;
  const row = await trx
    .insertInto('consent')
    .values({
      user_id: input.userId,
      purpose: input.purpose,
      text_version: CONSENT_PURPOSES[input.purpose].version,
      given_at: givenAt,
      given_how: 'paper',
      recorded_by: input.recordedBy,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    actorUserId: input.recordedBy,
    action: 'consent.recorded_on_paper',
    objectType: 'consent',
    objectId: row.id,
    ip: input.origin.ip,
    details: { purpose: input.purpose, textVersion: CONSENT_PURPOSES[input.purpose].version, signedOn: input.signedOn, userId: input.userId },
  });
  return { ok: true, consentId: row.id };
}
