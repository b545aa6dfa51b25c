// Kümmerer mentoring: applications and decisions, requests (also for people without an
// account, with a one-time claim code), assignment under a lock so that no Kümmerer gets more
// mentees than they offered, ending and reassigning, and the meetings a Kümmerer logs. Every
// change writes its mails to the outbox in the same transaction. Who may do what is asked of
// mentoring.access.ts. Passwords are hashed before a transaction opens (the embedded
// database has one connection).
import { sql, type Kysely, type Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Database, Locale } from '../../db/schema.ts';
import type { KuemmererStatus } from '../../db/schema-mentoring.ts';
import { localePath } from '../../i18n/locales.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { createSession } from '../accounts/sessions.ts';
import { endEverythingSignedIn, startEmailChange, type RequestOrigin } from '../accounts/accounts.service.ts';
import { firstName } from '../accounts/first-name.ts';
import { checkNewPassword, contextWords, hashPassword } from '../accounts/password.ts';
import { ensureSignInName, signInNameProblem } from '../accounts/sign-in-name.ts';
import { NotFoundError } from '../access/access.ts';
import { followMeeting, withdrawMeeting } from '../hours/sources.ts';
import { recordAudit } from '../audit/audit.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { giveConsent, hasConsent, paperDateProblem, recordPaperConsentIn } from '../privacy/consent.records.ts';
import { hitRateLimits, peekRateLimit, RATE_RULES, RateLimitedError } from '../rate-limit/rate-limit.ts';
import { CLAIM_CODE_TTL_MS, generateClaimCode, hashClaimCode, normaliseClaimCode } from './claim-code.ts';
import { assertCoordinator, assertMeetingWriter, assertSignedIn, meetingForWriter, mentorshipRole, requestRole } from './mentoring.access.ts';
import type { MentoringMailKind } from './mentoring.mails.ts';
import { mayGetNewCode, registeredPeople } from './mentoring.queries.ts';
import { contactPreferencesFor, type ApplyInput, type MeetingInput, type RequestForPersonInput, type RequestInput } from './mentoring.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Actor = Pick<SessionUser, 'id'> | null | undefined;

/** A refusal shown on the form: messages per field and/or one for the whole form. */
export type MentoringRefusal = { ok: false; fields?: Record<string, string>; form?: { key: string } };
const refuseForm = (key: string): MentoringRefusal => ({ ok: false, form: { key } });


interface Recipient {
  id: number;
  email: string | null;
  display_name: string;
  locale: Locale;
}

async function person(trx: Db, userId: number): Promise<Recipient> {
  return trx.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('id', '=', userId).executeTakeFirstOrThrow();
}

/** Coordinators, who hear about endings (with the reason) and see the history. */
async function coordinators(trx: Db): Promise<Recipient[]> {
  return trx
    .selectFrom('app_user')
    .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale'])
    .where('app_user.id', 'in', (eb) => eb.selectFrom('membership').select('user_id').where('role', '=', 'coordinator'))
    .orderBy('app_user.id')
    .execute();
}

/** Writes one mentoring mail; people without an address get none (enqueueMessage decides).
 * `about` is the other person the mail names, if any (erasing them deletes the mail). */
async function tell(
  trx: Db,
  kind: MentoringMailKind,
  to: Recipient,
  origin: RequestOrigin,
  path: string,
  extra: Record<string, unknown> = {},
  about: number | null = null,
): Promise<void> {
  await enqueueMessage(trx, {
    kind,
    recipientUserId: to.id,
    recipientEmail: to.email,
    locale: to.locale,
    payload: { name: firstName(to.display_name), url: `${origin.baseUrl}${localePath(to.locale, path)}`, ...extra },
    aboutUserId: about,
  });
}

// ——— Applications ———

/**
 * Applies to be a Kümmerer, or updates one's details. A first application (or one after a
 * decline) waits for a coordinator; an approved or paused Kümmerer keeps their status.
 */
export async function applyAsKuemmerer(db: Kysely<Database>, actor: Actor, input: ApplyInput, origin: RequestOrigin, now = new Date()): Promise<{ ok: true; status: KuemmererStatus }> {
  const user = assertSignedIn(actor);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('kuemmerer').select('status').where('user_id', '=', user.id).forUpdate().executeTakeFirst();
    const details = {
      topics: input.topics,
      languages: input.languages,
      max_mentees: input.maxMentees,
      note: input.note,
      contact_details: input.contactDetails,
      code_of_conduct_accepted_at: now,
      updated_at: now,
    };
    if (existing && existing.status !== 'declined') {
      await trx.updateTable('kuemmerer').set(details).where('user_id', '=', user.id).execute();
      return { ok: true, status: existing.status } as const;
    }
    if (existing) {
      await trx
        .updateTable('kuemmerer')
        .set({ ...details, status: 'pending', decided_by: null, decided_at: null, decision_message: null })
        .where('user_id', '=', user.id)
        .execute();
    } else {
      await trx.insertInto('kuemmerer').values({ ...details, user_id: user.id, status: 'pending', created_at: now }).execute();
    }
    await tell(trx, 'mentoring_application_received', await person(trx, user.id), origin, '/kuemmerer');
    return { ok: true, status: 'pending' } as const;
  });
}

export type Decision = 'approve' | 'decline' | 'pause' | 'resume';

const TRANSITIONS: Record<Decision, { from: KuemmererStatus[]; to: KuemmererStatus; mail: MentoringMailKind }> = {
  approve: { from: ['pending', 'declined'], to: 'approved', mail: 'mentoring_application_approved' },
  decline: { from: ['pending'], to: 'declined', mail: 'mentoring_application_declined' },
  pause: { from: ['approved'], to: 'paused', mail: 'mentoring_application_paused' },
  resume: { from: ['paused'], to: 'approved', mail: 'mentoring_application_approved' },
};

/** A coordinator approves, declines (with a message), pauses or resumes; the applicant is told. */
export async function decideApplication(
  db: Kysely<Database>,
  actor: Actor,
  input: { kuemmererId: number; decision: Decision; message: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; status: KuemmererStatus } | MentoringRefusal> {
  const coordinatorId = await assertCoordinator(db, actor);
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('kuemmerer').select('status').where('user_id', '=', input.kuemmererId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError('kuemmerer');
    const step = TRANSITIONS[input.decision];
    if (!step.from.includes(row.status)) return refuseForm('mentoring.error.transition');
    await trx
      .updateTable('kuemmerer')
      .set({ status: step.to, decided_by: coordinatorId, decided_at: now, decision_message: input.message || null, updated_at: now })
      .where('user_id', '=', input.kuemmererId)
      .execute();
    await tell(trx, step.mail, await person(trx, input.kuemmererId), origin, '/kuemmerer', { message: input.message });
    await recordAudit(trx, {
      actorUserId: coordinatorId,
      action: 'mentoring.application_decided',
      objectType: 'kuemmerer',
      objectId: input.kuemmererId,
      ip: origin.ip,
      details: { decision: input.decision },
    });
    return { ok: true, status: step.to } as const;
  });
}

// ——— Requests ———

async function hasLiveRequest(trx: Db, userId: number): Promise<boolean> {
  const row = await trx.selectFrom('mentoring_request').select('id').where('newcomer_user_id', '=', userId).where('status', 'in', ['open', 'matched']).executeTakeFirst();
  return row !== undefined;
}

/**
 * A signed-in newcomer asks for a Kümmerer; one live request per person. Their needs go to the
 * coordinators and later their Kümmerer, so the request needs their explicit consent, recorded
 * in the same transaction: no request without its consent, no consent without its request.
 */
export async function requestKuemmerer(
  db: Kysely<Database>,
  actor: Actor,
  input: RequestInput,
  origin: Pick<RequestOrigin, 'ip'>,
  now = new Date(),
): Promise<{ ok: true; requestId: number } | MentoringRefusal> {
  const user = assertSignedIn(actor);
  if (!input.consent) return { ok: false, fields: { consent: 'consent.error.required' } };
  return db.transaction().execute(async (trx) => {
    // The person's row is the lock: two presses of the button make one request.
    const me = await trx.selectFrom('app_user').select(['id', 'email']).where('id', '=', user.id).forUpdate().executeTakeFirstOrThrow();
    // Someone who set up their sign-in without an address cannot be written to.
    if (!contactPreferencesFor(me.email !== null).includes(input.contactPreference)) return { ok: false, fields: { contactPreference: 'mentoring.error.noEmailSelf' } };
    if (await hasLiveRequest(trx, user.id)) return refuseForm('mentoring.error.alreadyRequested');
    await giveConsent(trx, { userId: user.id, purpose: 'mentoring_needs', origin, now });
    const row = await trx
      .insertInto('mentoring_request')
      .values({
        newcomer_user_id: user.id,
        topics: input.topics,
        languages: input.languages,
        note: input.note,
        contact_preference: input.contactPreference,
        contact_detail: input.contactDetail,
        status: 'open',
        created_by: user.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ok: true, requestId: row.id } as const;
  });
}

/** The newcomer (or a coordinator) takes back a request nobody has been matched to yet. */
export async function withdrawRequest(db: Kysely<Database>, actor: Actor, requestId: number, now = new Date()): Promise<{ ok: true } | MentoringRefusal> {
  const role = await requestRole(db, actor, requestId);
  if (role === 'kuemmerer') throw new NotFoundError('request');
  return db.transaction().execute(async (trx) => {
    const request = await trx.selectFrom('mentoring_request').select('status').where('id', '=', requestId).forUpdate().executeTakeFirstOrThrow();
    if (request.status !== 'open') return refuseForm('mentoring.error.requestNotOpen');
    await markWithdrawn(trx, requestId, now);
    return { ok: true } as const;
  });
}

/** An open request (locked by the caller) leaves the coordinators' list; nobody is told. */
async function markWithdrawn(trx: Transaction<Database>, requestId: number, now: Date): Promise<void> {
  await trx.updateTable('mentoring_request').set({ status: 'withdrawn', updated_at: now }).where('id', '=', requestId).execute();
}

async function issueClaimCode(trx: Db, userId: number, createdBy: number, now: Date): Promise<string> {
  const code = generateClaimCode();
  const values = { code_hash: hashClaimCode(normaliseClaimCode(code)!), created_by: createdBy, created_at: now, expires_at: new Date(now.getTime() + CLAIM_CODE_TTL_MS), used_at: null };
  // One live code per person: the new one replaces the row, and the old code stops working.
  await trx
    .insertInto('claim_code')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
  return code;
}

/**
 * A coordinator registers a person who has no account and no e-mail address, with their
 * request. The person gets a sign-in name made from their first name and a one-time claim
 * code (returned here, shown once on the printable page; only its hash is stored) to set up
 * their sign-in later. The coordinator confirms that the person signed the consent form on
 * paper, and on which day: no consent is older than its account, and this one is made now, so
 * the day is today. The consent is recorded in the same transaction as the person.
 */
export async function createRequestForPerson(
  db: Kysely<Database>,
  actor: Actor,
  input: RequestForPersonInput,
  origin: RequestOrigin,
  timeZone: string,
  now = new Date(),
): Promise<{ ok: true; personId: number; requestId: number; code: string } | MentoringRefusal> {
  const coordinatorId = await assertCoordinator(db, actor);
  if (!input.paperConsent) return { ok: false, fields: { paperConsent: 'consent.error.confirmPaper' } };
  // The person's account is made now, so that is the registration the date must not precede.
  const dateProblem = paperDateProblem(input.consentSignedOn, now, now, timeZone);
  if (dateProblem) return { ok: false, fields: { consentSignedOn: dateProblem } };
  return db.transaction().execute(async (trx) => {
    const newPerson = await trx
      .insertInto('app_user')
      .values({ email: null, password_hash: null, display_name: input.name, locale: input.locale, registered_by_coordination: true, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ensureSignInName(trx, newPerson.id, input.name);
    const request = await trx
      .insertInto('mentoring_request')
      .values({
        newcomer_user_id: newPerson.id,
        topics: input.topics,
        languages: input.languages,
        note: input.note,
        contact_preference: input.contactPreference,
        contact_detail: input.contactDetail,
        status: 'open',
        created_by: coordinatorId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const consent = await recordPaperConsentIn(trx, {
      userId: newPerson.id,
      purpose: 'mentoring_needs',
      signedOn: input.consentSignedOn,
      recordedBy: coordinatorId,
      origin,
      timeZone,
      now,
    });
    // A new person has no consent yet, and the date was checked against this very moment.
    if (!consent.ok) throw new Error(`paper consent refused for a new person: ${JSON.stringify(consent)}`);
    const code = await issueClaimCode(trx, newPerson.id, coordinatorId, now);
    await recordAudit(trx, { actorUserId: coordinatorId, action: 'mentoring.person_registered', objectType: 'user', objectId: newPerson.id, ip: origin.ip });
    return { ok: true, personId: newPerson.id, requestId: request.id, code } as const;
  });
}

/**
 * A fresh code for a person the coordination registered who has no confirmed e-mail address:
 * to set up their sign-in the first time, or to choose a new password when they forgot theirs
 * (they cannot reset it by mail). The old code dies; the audit log says which it was for.
 */
export async function regenerateClaimCode(db: Kysely<Database>, actor: Actor, personId: number, origin: RequestOrigin, now = new Date()): Promise<{ ok: true; code: string }> {
  const coordinatorId = await assertCoordinator(db, actor);
  return db.transaction().execute(async (trx) => {
    // Never a way into an account whose owner can reset the password by mail.
    const target = await registeredPeople(trx)
      .where(mayGetNewCode)
      .select(['app_user.display_name', 'app_user.password_hash'])
      .where('app_user.id', '=', personId)
      .forUpdate()
      .executeTakeFirst();
    if (!target) throw new NotFoundError('person');
    // People registered before sign-in names existed get theirs now, printed on the new sheet.
    await ensureSignInName(trx, personId, target.display_name);
    const code = await issueClaimCode(trx, personId, coordinatorId, now);
    await recordAudit(trx, {
      actorUserId: coordinatorId,
      action: 'mentoring.claim_code_created',
      objectType: 'user',
      objectId: personId,
      ip: origin.ip,
      details: { forNewPassword: target.password_hash !== null },
    });
    return { ok: true, code } as const;
  });
}

/** Whether the code is the person's live one (for showing it once on the printable page). */
export async function isLiveClaimCode(db: Db, personId: number, code: string, now = new Date()): Promise<boolean> {
  const normalised = normaliseClaimCode(code);
  if (!normalised) return false;
  const row = await db
    .selectFrom('claim_code')
    .select('user_id')
    .where('user_id', '=', personId)
    .where('code_hash', '=', hashClaimCode(normalised))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/** Who a live claim code is for, as the claim page greets them. */
export interface ClaimingPerson {
  userId: number;
  name: string;
  signInName: string | null;
  email: string | null;
  /** True when the person already has a password: the code sets a new one. */
  settingNewPassword: boolean;
}

/**
 * Looks a typed code up: a live code of a person who may still get one (mayGetNewCode), so a
 * sheet printed before the person confirmed an address opens nothing. Only wrong codes count
 * against the per-address limit (ten per quarter hour), and once it is reached nothing is
 * looked up at all: a person who makes one typo and then succeeds is never slowed, and
 * guessing stays hopeless.
 */
export async function lookUpClaimCode(db: Kysely<Database>, typed: string, origin: RequestOrigin, now = new Date()): Promise<ClaimingPerson | null> {
  const limited = await peekRateLimit(db, RATE_RULES.claimPerAddress, origin.ip, now);
  if (!limited.allowed) throw new RateLimitedError(limited.retryAfterMs);
  const normalised = normaliseClaimCode(typed);
  const row = normalised
    ? await registeredPeople(db)
        .where(mayGetNewCode)
        .innerJoin('claim_code', 'claim_code.user_id', 'app_user.id')
        .select(['app_user.id', 'app_user.display_name', 'app_user.sign_in_name', 'app_user.email', 'app_user.password_hash'])
        .where('claim_code.code_hash', '=', hashClaimCode(normalised))
        .where('claim_code.used_at', 'is', null)
        .where('claim_code.expires_at', '>', now)
        .executeTakeFirst()
    : undefined;
  if (!row) {
    await hitRateLimits(db, [[RATE_RULES.claimPerAddress, origin.ip]], now);
    await recordAudit(db, { actorUserId: null, action: 'mentoring.claim_code_refused', ip: origin.ip });
    return null;
  }
  return {
    userId: row.id,
    name: row.display_name,
    signInName: row.sign_in_name,
    email: row.email,
    settingNewPassword: row.password_hash !== null,
  };
}

class ClaimRefused extends Error {
  readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>) {
    super('claim refused');
    this.fields = fields;
  }
}

export type ClaimResult =
  | { ok: true; userId: number; token: string; expiresAt: Date; signInName: string; settingNewPassword: boolean; emailLinkSentTo: string | null }
  | { ok: false; fields: Record<string, string> };

/**
 * Redeems a claim code: the person keeps or chooses their sign-in name, chooses a password
 * and is signed in. An address they typed is handled as on the account page: a link goes to
 * it, and it becomes the account's only when that link is opened (an address with an account
 * gets a mail instead, and the answer is the same). For a person who had a password already
 * (a code for a new one), every other session and the personal calendar address end, as after
 * a reset by mail. A code works once — also when two people press at the same moment: the
 * UPDATE … WHERE used_at IS NULL lets exactly one through — and not after it expired.
 */
export async function redeemClaimCode(
  db: Kysely<Database>,
  input: { code: string; signInName: string; email: string; password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<ClaimResult> {
  const invalid = { ok: false, fields: { code: 'mentoring.error.claimCode' } } as const;
  const person = await lookUpClaimCode(db, input.code, origin, now);
  if (!person) return invalid;
  const { name: signInName, problem: nameProblem } = await signInNameProblem(db, input.signInName || person.signInName || '', person.userId);
  if (nameProblem) return { ok: false, fields: { signInName: nameProblem } };
  const problem = await checkNewPassword(input.password, contextWords({ displayName: person.name, email: input.email || person.email, signInName }));
  if (problem) return { ok: false, fields: { password: problem } };
  const passwordHash = await hashPassword(input.password);
  const codeHash = hashClaimCode(normaliseClaimCode(input.code)!);
  let claimed;
  try {
    claimed = await db.transaction().execute(async (trx) => {
      const used = await trx
        .updateTable('claim_code')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        // Asked again here: the address may have been confirmed since the look-up.
        .where('user_id', 'in', registeredPeople(trx).where(mayGetNewCode).select('app_user.id'))
        .returning('user_id')
        .executeTakeFirst();
      if (!used) throw new ClaimRefused(invalid.fields);
      const user = await trx
        .updateTable('app_user')
        .set({ password_hash: passwordHash, sign_in_name: signInName, updated_at: now })
        .where('id', '=', used.user_id)
        .returning(['id', 'email', 'display_name', 'locale'])
        .executeTakeFirstOrThrow();
      if (person.settingNewPassword) await endEverythingSignedIn(trx, user.id, origin.ip);
      await recordAudit(trx, {
        actorUserId: user.id,
        action: 'mentoring.claim_code_redeemed',
        objectType: 'user',
        objectId: user.id,
        ip: origin.ip,
        details: { forNewPassword: person.settingNewPassword },
      });
      const { token, session } = await createSession(trx, user.id, now);
      return { user, token, expiresAt: session.expiresAt };
    });
  } catch (error) {
    if (error instanceof ClaimRefused) return { ok: false, fields: error.fields };
    // The name was taken between the check and the write: the code stays unused.
    if (isUniqueViolation(error)) return { ok: false, fields: { signInName: 'signInName.error.taken' } };
    throw error;
  }
  const emailLinkSentTo = input.email ? await startClaimAddress(db, claimed.user, input.email, origin, now) : null;
  return { ok: true, userId: claimed.user.id, token: claimed.token, expiresAt: claimed.expiresAt, signInName, settingNewPassword: person.settingNewPassword, emailLinkSentTo };
}

/** The address typed on a claim, after the claim committed: where a link went, or null. */
async function startClaimAddress(db: Kysely<Database>, user: Recipient, typed: string, origin: RequestOrigin, now: Date): Promise<string | null> {
  try {
    // "Same" is an unconfirmed address the person already had: nothing to send.
    return (await startEmailChange(db, user, typed, origin, now)).ok ? typed : null;
  } catch (error) {
    // Over the mail limit the account is set up all the same; the address can be added on the account page.
    if (error instanceof RateLimitedError) return null;
    throw error;
  }
}

// ——— Matching and mentorships ———

/**
 * Locks the Kümmerer's row and checks that they may take one more mentee: approved, not the
 * newcomer themself, fewer active mentees than they offered. Two coordinators giving away the
 * last place at once queue on this lock; the second sees the place taken.
 */
async function lockPlace(trx: Transaction<Database>, kuemmererId: number, newcomerId: number): Promise<boolean> {
  const kuemmerer = await trx.selectFrom('kuemmerer').select(['status', 'max_mentees']).where('user_id', '=', kuemmererId).forUpdate().executeTakeFirst();
  if (!kuemmerer) throw new NotFoundError('kuemmerer');
  if (kuemmerer.status !== 'approved' || kuemmererId === newcomerId) return false;
  const active = await trx
    .selectFrom('mentorship')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('kuemmerer_user_id', '=', kuemmererId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return active.n < kuemmerer.max_mentees;
}

async function startMentorship(trx: Transaction<Database>, requestId: number, kuemmererId: number, newcomerId: number, coordinatorId: number, origin: RequestOrigin, now: Date): Promise<number> {
  const row = await trx
    .insertInto('mentorship')
    .values({ request_id: requestId, kuemmerer_user_id: kuemmererId, newcomer_user_id: newcomerId, status: 'active', started_at: now, assigned_by: coordinatorId, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('mentoring_request').set({ status: 'matched', updated_at: now }).where('id', '=', requestId).execute();
  const kuemmerer = await person(trx, kuemmererId);
  const newcomer = await person(trx, newcomerId);
  await tell(trx, 'mentoring_started_newcomer', newcomer, origin, '/my-kuemmerer', { otherName: firstName(kuemmerer.display_name) }, kuemmerer.id);
  await tell(trx, 'mentoring_started_kuemmerer', kuemmerer, origin, `/mentees/${row.id}`, { otherName: firstName(newcomer.display_name) }, newcomer.id);
  await recordAudit(trx, { actorUserId: coordinatorId, action: 'mentoring.assigned', objectType: 'mentorship', objectId: row.id, ip: origin.ip });
  return row.id;
}

/** A coordinator matches an open request with a Kümmerer who has a free place; both are told. */
export async function assignKuemmerer(
  db: Kysely<Database>,
  actor: Actor,
  input: { requestId: number; kuemmererId: number },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; mentorshipId: number } | MentoringRefusal> {
  const coordinatorId = await assertCoordinator(db, actor);
  return db.transaction().execute(async (trx) => {
    // Always the request first, then the Kümmerer: every assignment locks in this order.
    const request = await trx.selectFrom('mentoring_request').select(['status', 'newcomer_user_id']).where('id', '=', input.requestId).forUpdate().executeTakeFirst();
    if (!request) throw new NotFoundError('request');
    if (request.status !== 'open') return refuseForm('mentoring.error.requestNotOpen');
    if (!(await hasConsent(trx, request.newcomer_user_id, 'mentoring_needs'))) return refuseForm('consent.error.noneForMatching');
    if (!(await lockPlace(trx, input.kuemmererId, request.newcomer_user_id))) return refuseForm('mentoring.error.noPlace');
    const mentorshipId = await startMentorship(trx, input.requestId, input.kuemmererId, request.newcomer_user_id, coordinatorId, origin, now);
    return { ok: true, mentorshipId } as const;
  });
}

type EndedBy = 'newcomer' | 'kuemmerer' | 'coordinator';

/** Ends a running mentorship (the row must be locked) and tells the people concerned. */
async function finishMentorship(
  trx: Transaction<Database>,
  mentorship: { id: number; kuemmerer_user_id: number; newcomer_user_id: number },
  endedBy: EndedBy,
  actorId: number,
  reason: string,
  origin: RequestOrigin,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('mentorship')
    .set({ status: 'ended', ended_at: now, ended_by: actorId, end_reason: reason || null, updated_at: now })
    .where('id', '=', mentorship.id)
    .execute();
  const kuemmerer = await person(trx, mentorship.kuemmerer_user_id);
  const newcomer = await person(trx, mentorship.newcomer_user_id);
  // The other side hears that it ended, never why: the reason is for the coordinators.
  if (endedBy !== 'kuemmerer') await tell(trx, 'mentoring_ended', kuemmerer, origin, '/mentees', { otherName: firstName(newcomer.display_name) }, newcomer.id);
  if (endedBy !== 'newcomer') await tell(trx, 'mentoring_ended', newcomer, origin, '/my-kuemmerer', { otherName: firstName(kuemmerer.display_name) }, kuemmerer.id);
  for (const coordinator of await coordinators(trx)) {
    if (coordinator.id === actorId) continue;
    // It names both: about_user_id holds the newcomer, whose data needs it most.
    await tell(
      trx,
      'mentoring_ended_coordinator',
      coordinator,
      origin,
      '/coordinate/mentorships',
      // The Kümmerer's id goes along so that erasing them finds this mail too (leaveMentoring).
      { kuemmererName: kuemmerer.display_name, kuemmererUserId: kuemmerer.id, newcomerName: newcomer.display_name, endedBy, reason },
      newcomer.id,
    );
  }
  await recordAudit(trx, { actorUserId: actorId, action: 'mentoring.ended', objectType: 'mentorship', objectId: mentorship.id, ip: origin.ip, details: { endedBy } });
}

async function lockActiveMentorship(trx: Transaction<Database>, mentorshipId: number) {
  const found = await trx.selectFrom('mentorship').select('request_id').where('id', '=', mentorshipId).executeTakeFirst();
  if (!found) throw new NotFoundError('mentorship');
  await trx.selectFrom('mentoring_request').select('id').where('id', '=', found.request_id).forUpdate().executeTakeFirstOrThrow();
  return trx.selectFrom('mentorship').selectAll().where('id', '=', mentorshipId).forUpdate().executeTakeFirstOrThrow();
}

/** The newcomer, their Kümmerer or a coordinator ends the mentorship (reason optional). */
export async function endMentorship(
  db: Kysely<Database>,
  actor: Actor,
  input: { mentorshipId: number; reason: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true } | MentoringRefusal> {
  const role = await mentorshipRole(db, actor, input.mentorshipId);
  return db.transaction().execute(async (trx) => {
    const mentorship = await lockActiveMentorship(trx, input.mentorshipId);
    if (mentorship.status !== 'active') return refuseForm('mentoring.error.alreadyEnded');
    await closeMentorship(trx, mentorship, role, actor!.id, input.reason, origin, now);
    return { ok: true } as const;
  });
}

/** Ends a running mentorship (locked, with its request) for good: the request is closed. */
async function closeMentorship(
  trx: Transaction<Database>,
  mentorship: { id: number; request_id: number; kuemmerer_user_id: number; newcomer_user_id: number },
  endedBy: EndedBy,
  actorId: number,
  reason: string,
  origin: RequestOrigin,
  now: Date,
): Promise<void> {
  await finishMentorship(trx, mentorship, endedBy, actorId, reason, origin, now);
  await trx.updateTable('mentoring_request').set({ status: 'closed', updated_at: now }).where('id', '=', mentorship.request_id).execute();
}

/** What endMentoringOf ended. */
export interface MentoringEnded {
  withdrawnRequestId: number | null;
  endedMentorshipId: number | null;
}

/**
 * Ends whatever the newcomer has going, inside the caller's transaction, as if they (or a
 * coordinator) had done it by hand: an open request is withdrawn; a running mentorship ends,
 * and the Kümmerer and the coordinators are told as with every ending. For when the person
 * withdraws their consent to share their needs (src/features/privacy/consent.ts). Locks the
 * request before the mentorship, as every change of a mentorship does.
 */
export async function endMentoringOf(
  trx: Transaction<Database>,
  newcomerId: number,
  ending: { endedBy: Exclude<EndedBy, 'kuemmerer'>; actorId: number },
  origin: RequestOrigin,
  now: Date,
): Promise<MentoringEnded> {
  const ended: MentoringEnded = { withdrawnRequestId: null, endedMentorshipId: null };
  const request = await trx
    .selectFrom('mentoring_request')
    .select(['id', 'status'])
    .where('newcomer_user_id', '=', newcomerId)
    .where('status', 'in', ['open', 'matched'])
    .forUpdate()
    .executeTakeFirst();
  if (!request) return ended;
  if (request.status === 'open') {
    await markWithdrawn(trx, request.id, now);
    return { ...ended, withdrawnRequestId: request.id };
  }
  const mentorship = await trx.selectFrom('mentorship').selectAll().where('request_id', '=', request.id).where('status', '=', 'active').forUpdate().executeTakeFirstOrThrow();
  await closeMentorship(trx, mentorship, ending.endedBy, ending.actorId, '', origin, now);
  return { ...ended, endedMentorshipId: mentorship.id };
}

/** A coordinator hands a running mentorship to another Kümmerer: the old one ends (history kept). */
export async function reassignMentorship(
  db: Kysely<Database>,
  actor: Actor,
  input: { mentorshipId: number; kuemmererId: number },
  origin: RequestOrigin,
  now = new Date(),
): Promise<{ ok: true; mentorshipId: number } | MentoringRefusal> {
  const coordinatorId = await assertCoordinator(db, actor);
  return db.transaction().execute(async (trx) => {
    const mentorship = await lockActiveMentorship(trx, input.mentorshipId);
    if (mentorship.status !== 'active') return refuseForm('mentoring.error.alreadyEnded');
    if (mentorship.kuemmerer_user_id === input.kuemmererId) return refuseForm('mentoring.error.sameKuemmerer');
    // A new Kümmerer learns the needs afresh: that needs the consent too.
    if (!(await hasConsent(trx, mentorship.newcomer_user_id, 'mentoring_needs'))) return refuseForm('consent.error.noneForMatching');
    if (!(await lockPlace(trx, input.kuemmererId, mentorship.newcomer_user_id))) return refuseForm('mentoring.error.noPlace');
    await finishMentorship(trx, mentorship, 'coordinator', coordinatorId, '', origin, now);
    const mentorshipId = await startMentorship(trx, mentorship.request_id, input.kuemmererId, mentorship.newcomer_user_id, coordinatorId, origin, now);
    return { ok: true, mentorshipId } as const;
  });
}

// ——— Leaving the portal ———

/** What a person's leaving did to mentoring. */
export interface MentoringLeft {
  /** Running mentorships that ended, as the newcomer or as the Kümmerer. */
  mentorshipsEnded: number;
  /** Requests of a leaving Kümmerer's mentees, open again for the coordinators. */
  requestsReopened: number;
  /** The person's own requests nobody had been matched to yet. */
  requestsWithdrawn: number;
}

/** The person's running mentorships, as the newcomer or as the Kümmerer: what leaveMentoring
 * ends, and what the page before deleting an account counts. */
export async function runningMentorshipsOf(db: Db, personId: number) {
  return db
    .selectFrom('mentorship')
    .select(['id', 'request_id', 'kuemmerer_user_id', 'newcomer_user_id', 'started_at'])
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('kuemmerer_user_id', '=', personId), eb('newcomer_user_id', '=', personId)]))
    .orderBy('request_id')
    .execute();
}

/**
 * A person leaves the portal (their account is erased, in the caller's transaction). Their
 * running mentorships end. Their Kümmerer hears only that the person they have mentored since
 * that day has left — the name is about to go, and the date is what the Kümmerer knew anyway;
 * the mentees of a leaving Kümmerer hear that their Kümmerer has left, and their requests are
 * open again for the coordinators to match. Requests still open are withdrawn. The meetings and
 * notes go with the mentorships when the erasure deletes them (privacy/declaration.ts).
 */
export async function leaveMentoring(trx: Transaction<Database>, personId: number, origin: RequestOrigin, now: Date): Promise<MentoringLeft> {
  const running = await runningMentorshipsOf(trx, personId);
  // The requests first, as every assignment and ending locks them.
  if (running.length > 0) {
    await trx.selectFrom('mentoring_request').select('id').where('id', 'in', running.map((m) => m.request_id)).orderBy('id').forUpdate().execute();
  }
  const left: MentoringLeft = { mentorshipsEnded: 0, requestsReopened: 0, requestsWithdrawn: 0 };
  for (const mentorship of running) {
    const ended = await trx
      .updateTable('mentorship')
      .set({ status: 'ended', ended_at: now, ended_by: null, end_reason: null, updated_at: now })
      .where('id', '=', mentorship.id)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    if (!ended) continue;
    left.mentorshipsEnded += 1;
    if (mentorship.newcomer_user_id === personId) {
      await trx.updateTable('mentoring_request').set({ status: 'closed', updated_at: now }).where('id', '=', mentorship.request_id).execute();
      const kuemmerer = await person(trx, mentorship.kuemmerer_user_id);
      await tell(trx, 'mentoring_mentee_left', kuemmerer, origin, '/mentees', { startedAt: mentorship.started_at.toISOString() });
    } else {
      await trx.updateTable('mentoring_request').set({ status: 'open', updated_at: now }).where('id', '=', mentorship.request_id).execute();
      left.requestsReopened += 1;
      await tell(trx, 'mentoring_kuemmerer_left', await person(trx, mentorship.newcomer_user_id), origin, '/my-kuemmerer');
    }
  }
  const withdrawn = await trx
    .updateTable('mentoring_request')
    .set({ status: 'withdrawn', updated_at: now })
    .where('newcomer_user_id', '=', personId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  left.requestsWithdrawn = Number(withdrawn.numUpdatedRows);
  // The coordinators' mails about an ending name both people but can point at only one
  // (about_user_id holds the newcomer): those naming a leaving Kümmerer go here.
  await trx.deleteFrom('outbox').where('kind', '=', 'mentoring_ended_coordinator').where(sql<string>`payload->>'kuemmererUserId'`, '=', String(personId)).execute();
  return left;
}

// ——— Meetings ———

/** The Kümmerer logs a meeting, or edits one (which bumps its revision for calendars). */
export async function saveMeeting(db: Kysely<Database>, actor: Actor, input: MeetingInput, now = new Date()): Promise<{ ok: true; meetingId: number }> {
  if (input.meetingId !== undefined) {
    const { mentorshipId } = await meetingForWriter(db, actor, input.meetingId);
    if (mentorshipId !== input.mentorshipId) throw new NotFoundError('meeting');
  } else {
    await assertMeetingWriter(db, actor, input.mentorshipId);
  }
  const values = { starts_at: input.startsAt, ends_at: input.endsAt, place: input.place, topics: input.topics, private_note: input.privateNote, updated_at: now };
  return db.transaction().execute(async (trx) => {
    let meetingId: number;
    if (input.meetingId !== undefined) {
      await trx
        .updateTable('mentoring_meeting')
        .set({ ...values, revision: sql`revision + 1` })
        .where('id', '=', input.meetingId)
        .execute();
      meetingId = input.meetingId;
    } else {
      const row = await trx
        .insertInto('mentoring_meeting')
        .values({ ...values, mentorship_id: input.mentorshipId, created_by: actor!.id, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      meetingId = row.id;
    }
    await trx.updateTable('mentorship').set({ updated_at: now }).where('id', '=', input.mentorshipId).execute();
    // An ended meeting counts for the Kümmerer's hours at once; one ahead, once it has ended
    // (recordEndedMeetings); an edited one follows.
    await followMeeting(trx, meetingId, now);
    return { ok: true, meetingId } as const;
  });
}

/** Deletes a meeting; the mentorship's updated_at moves so that calendar feeds notice. */
export async function deleteMeeting(db: Kysely<Database>, actor: Actor, meetingId: number, now = new Date()): Promise<{ ok: true; mentorshipId: number }> {
  const { mentorshipId } = await meetingForWriter(db, actor, meetingId);
  await db.transaction().execute(async (trx) => {
    await withdrawMeeting(trx, meetingId);
    await trx.deleteFrom('mentoring_meeting').where('id', '=', meetingId).execute();
    await trx.updateTable('mentorship').set({ updated_at: now }).where('id', '=', mentorshipId).execute();
  });
  return { ok: true, mentorshipId };
}
