// Consent: the purposes a person can agree to (each with its text in every language and a text
// version), giving it online, a coordinator recording one signed on paper, withdrawing it, and
// what withdrawing ends. The rows and the purposes live in consent.records.ts, which mentoring
// uses too (a request records its consent in its own transaction); this module adds who may,
// and the consequences: withdrawing the consent to share one's needs ends the Kümmerer request
// or mentorship at once, in the same transaction, told as every ending is.
//
// Requests made before consents were recorded have none. Nothing is invented for them (a
// consent the person never gave would be worth nothing): the coordinators' pages show "no
// consent recorded" for them, matching a Kümmerer waits until a coordinator has recorded the
// person's signed paper form, and a mentorship already running goes on, marked the same way,
// until the form is recorded.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.ts';
import { endMentoringOf, type MentoringEnded } from '../mentoring/mentoring.service.ts';
import { assertCoordinatorFor, consentRole, type ConsentRole, type LookedAfterPerson } from './consent.access.ts';
import { ALL_CONSENT_PURPOSES, listConsents, recordPaperConsentIn, type ConsentPurpose, type ConsentRecord, type ConsentRefusal } from './consent.records.ts';

export {
  ALL_CONSENT_PURPOSES,
  CONSENT_PURPOSES,
  consentsInForce,
  giveConsent,
  hasConsent,
  listConsents,
  type ConsentPurpose,
  type ConsentRecord,
  type ConsentRefusal,
} from './consent.records.ts';

type Actor = Pick<SessionUser, 'id'> | null | undefined;

/** A coordinator records a consent the person signed on paper, with the date on the form. */
export async function recordPaperConsent(
  db: Kysely<Database>,
  actor: Actor,
  input: { personId: number; purpose: ConsentPurpose; signedOn: string },
  origin: RequestOrigin,
  timeZone: string,
  now = new Date(),
): Promise<{ ok: true; consentId: number } | ConsentRefusal> {
  const { coordinatorId } = await assertCoordinatorFor(db, actor, input.personId);
  return db.transaction().execute((trx) =>
    recordPaperConsentIn(trx, { userId: input.personId, purpose: input.purpose, signedOn: input.signedOn, recordedBy: coordinatorId, origin, timeZone, now }),
  );
}

/**
 * The person withdraws a consent — or a coordinator records that the person told them so.
 * The record stays, with the time it ended. Withdrawing the consent to share one's needs ends
 * the open request (withdrawn) or the running mentorship (the Kümmerer and the coordinators
 * are told, as when the newcomer ends it), in the same transaction.
 */
export async function withdrawConsent(
  db: Kysely<Database>,
  actor: Actor,
  consentId: number,
  origin: RequestOrigin,
  now = new Date(),
): Promise<({ ok: true; role: ConsentRole } & MentoringEnded) | ConsentRefusal> {
  const { role, userId } = await consentRole(db, actor, consentId);
  return db.transaction().execute(async (trx) => {
    // The person first, as giving a consent and asking for a Kümmerer lock them.
    await trx.selectFrom('app_user').select('id').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    const consent = await trx.selectFrom('consent').select(['purpose', 'withdrawn_at']).where('id', '=', consentId).forUpdate().executeTakeFirstOrThrow();
    if (consent.withdrawn_at !== null) return { ok: false, form: { key: 'consent.error.alreadyWithdrawn' } } as const;
    await trx.updateTable('consent').set({ withdrawn_at: now }).where('id', '=', consentId).execute();
    const ended: MentoringEnded =
      consent.purpose === 'mentoring_needs'
        ? await endMentoringOf(trx, userId, { endedBy: role === 'the_person' ? 'newcomer' : 'coordinator', actorId: actor!.id }, origin, now)
        : { withdrawnRequestId: null, endedMentorshipId: null };
    await recordAudit(trx, {
      actorUserId: actor!.id,
      action: 'consent.withdrawn',
      objectType: 'consent',
      objectId: consentId,
      ip: origin.ip,
      details: { purpose: consent.purpose, userId, byCoordinator: role === 'coordinator', withdrawnRequestId: ended.withdrawnRequestId, endedMentorshipId: ended.endedMentorshipId },
    });
    return { ok: true, role, ...ended } as const;
  });
}

/** What a coordinator sees of a person's consents, and what they can do about them. */
export interface PersonConsents {
  person: LookedAfterPerson;
  consents: ConsentRecord[];
  /** The purposes without a consent in force: a signed paper form can be recorded for each. */
  missing: ConsentPurpose[];
}

export async function personConsents(db: Kysely<Database>, actor: Actor, personId: number): Promise<PersonConsents> {
  const { person } = await assertCoordinatorFor(db, actor, personId);
  const consents = await listConsents(db, personId);
  const inForce = new Set(consents.filter((c) => c.withdrawnAt === null).map((c) => c.purpose));
  const missing = ALL_CONSENT_PURPOSES.filter((purpose) => !inForce.has(purpose));
  return { person, consents, missing };
}

/** The person a printed consent form is for (coordinators only). */
export async function consentFormPerson(db: Kysely<Database>, actor: Actor, personId: number): Promise<LookedAfterPerson> {
  return (await assertCoordinatorFor(db, actor, personId)).person;
}
