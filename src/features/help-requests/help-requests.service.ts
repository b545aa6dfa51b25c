// Help requests: a newcomer (or their Kümmerer, or a coordinator, on their behalf) posts one, a
// helper takes it (one click, exclusively, sharing a contact if they like), either side hands
// it back, the helper says how it went, the asker's side says thanks. Every rule of who may is in
// help-requests.access.ts; every change that tells someone writes the outbox row in the same
// transaction.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import type { HelpRequestTable } from '../../db/schema-help-requests.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';
import { firstName } from '../accounts/first-name.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { followHelpRequest } from '../hours/sources.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { zonedParts } from '../../i18n/format.ts';
import { localePath } from '../../i18n/locales.ts';
import { actsForAsker, assertSignedIn, helpRequestRole, mayFinish, mayHandBack, mayTakeGivenWishes, mayThank, mayWithdraw, speaksFor } from './help-requests.access.ts';
import type { HelpRequestMailKind } from './help-requests.mails.ts';
import type { RequestInput } from './help-requests.schema.ts';
import { afterRequestOpened } from './matching.service.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Actor = Pick<SessionUser, 'id'> | null | undefined;

/** A refusal shown on the form: messages per field and/or one for the whole form. */
export type HelpRequestRefusal = { ok: false; fields?: Record<string, string>; form?: { key: string } };
const refuseForm = (key: string): HelpRequestRefusal => ({ ok: false, form: { key } });

interface Recipient {
  id: number;
  email: string | null;
  display_name: string;
  locale: Locale;
}

async function person(trx: Db, userId: number): Promise<Recipient> {
  return trx.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('id', '=', userId).executeTakeFirstOrThrow();
}

/** The Monday of the week that holds the instant, in the town's calendar: "2026-12-07". */
export function mondayOf(timeZone: string, date: Date): string {
  const p = zonedParts(timeZone, date);
  const day = new Date(Date.UTC(p.y, p.m - 1, p.d));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

interface MailRequest {
  id: number;
  kind: string;
  starts_at: Date | null;
  week_of: string | null;
}

/** One help-request mail naming the other side by first name; it links to the request's page. */
async function tell(trx: Db, kind: HelpRequestMailKind, to: Recipient, other: Recipient, request: MailRequest, origin: RequestOrigin, extra: Record<string, unknown> = {}): Promise<void> {
  await enqueueMessage(trx, {
    kind,
    recipientUserId: to.id,
    recipientEmail: to.email,
    locale: to.locale,
    payload: {
      name: firstName(to.display_name),
      otherName: firstName(other.display_name),
      kind: request.kind,
      startsAt: request.starts_at?.toISOString() ?? null,
      weekOf: request.week_of,
      url: `${origin.baseUrl}${localePath(to.locale, `/help-requests/${request.id}`)}`,
      ...extra,
    },
    aboutUserId: other.id,
  });
}

/** The request locked for the rest of the transaction, with what the mails need. */
async function lockRequest(trx: Transaction<Database>, requestId: number) {
  const row = await trx
    .selectFrom('help_request')
    .select((eb) => ['id', 'kind', 'status', 'asker_user_id', 'helper_user_id', 'posted_by_user_id', 'asker_contact', 'thanked_at', 'starts_at', eb.fn<string | null>('to_char', ['week_of', eb.val('YYYY-MM-DD')]).as('week_of')])
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('help request');
  return row;
}

/** The one way a request comes into being (posted by a person, or made for a consultation
 * slot that needs an interpreter): the row, then the fitting helpers are told. */
export async function createHelpRequest(trx: Transaction<Database>, values: Insertable<HelpRequestTable>, origin: RequestOrigin, now: Date): Promise<number> {
  const row = await trx.insertInto('help_request').values(values).returning('id').executeTakeFirstOrThrow();
  await afterRequestOpened(trx, row.id, origin, now);
  return row.id;
}

/**
 * Posts a request: the signed-in person's own, or — when `forPerson` names someone else — on
 * behalf of a newcomer the poster speaks for (their Kümmerer in a running mentorship, or a
 * coordinator). The request belongs to the newcomer (their page, their mails, their language);
 * the poster is remembered so that they can follow it. A set time must lie ahead; a doctor's
 * visit needs the explicit consent (Art. 9 GDPR), given by the person or, on their behalf,
 * confirmed by the poster.
 */
export async function postRequest(db: Kysely<Database>, actor: Actor, input: RequestInput, timeZone: string, origin: RequestOrigin, now = new Date()): Promise<{ ok: true; requestId: number } | HelpRequestRefusal> {
  const user = assertSignedIn(actor);
  const fields: Record<string, string> = {};
  if (input.startsAt && input.startsAt.getTime() <= now.getTime()) fields.date = 'helpRequests.error.past';
  if (input.kind === 'doctor' && !input.healthConsent) fields.healthConsent = 'helpCoordination.error.healthConsent';
  const onBehalf = input.forPerson !== null && input.forPerson !== user.id;
  // The same answer for a person who does not exist and one the poster does not speak for.
  if (onBehalf && !(await speaksFor(db, user.id, input.forPerson!))) fields.forPerson = 'helpCoordination.error.forPerson';
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const values: Insertable<HelpRequestTable> = {
    asker_user_id: onBehalf ? input.forPerson! : user.id,
    posted_by_user_id: onBehalf ? user.id : null,
    asker_contact: input.askerContact,
    health_consent_at: input.kind === 'doctor' ? now : null,
    kind: input.kind,
    starts_at: input.startsAt,
    week_of: input.startsAt ? null : mondayOf(timeZone, now),
    district: input.district,
    address: input.address,
    languages: input.languages,
    wants_woman: input.wantsWoman,
    needs_car: input.needsCar,
    needs_child_seat: input.needsChildSeat,
    note: input.note,
    status: 'open',
    created_at: now,
    updated_at: now,
  };
  const requestId = await db.transaction().execute((trx) => createHelpRequest(trx, values, origin, now));
  return { ok: true, requestId };
}

/** The asker withdraws an open request; a taken one must be handed back first. */
export async function withdrawRequest(db: Kysely<Database>, actor: Actor, requestId: number, now = new Date()): Promise<{ ok: true } | HelpRequestRefusal> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, requestId);
    const role = await helpRequestRole(trx, actor, requestId);
    if (!actsForAsker(role)) throw new NotFoundError('help request');
    if (!mayWithdraw(role, request.status)) return refuseForm('helpRequests.error.notOpen');
    await trx.updateTable('help_request').set({ status: 'withdrawn', updated_at: now }).where('id', '=', requestId).execute();
    return { ok: true } as const;
  });
}

/**
 * Takes an open request for the signed-in helper, with the contact details they choose to
 * share with the asker. The row lock makes it exclusive: of helpers pressing at once, the first
 * gets it and each other one is told it is taken. Both sides are told by mail, each with the
 * other's first name and shared contact; whoever posted it on the asker's behalf is told too
 * (while they still speak for the asker). Neither the asker nor the poster takes it.
 */
export async function takeRequest(db: Kysely<Database>, actor: Actor, requestId: number, origin: RequestOrigin, now = new Date(), helperContact = ''): Promise<{ ok: true } | HelpRequestRefusal> {
  const user = assertSignedIn(actor);
  return db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, requestId);
    if (request.status === 'withdrawn' || request.status === 'expired') throw new NotFoundError('help request');
    if (request.asker_user_id === user.id || request.posted_by_user_id === user.id) return refuseForm('helpRequests.error.own');
    if (request.status !== 'open') return refuseForm(request.helper_user_id === user.id ? 'helpRequests.error.alreadyYours' : 'helpRequests.error.taken');
    if (!(await mayTakeGivenWishes(trx, requestId, user.id))) return refuseForm('helpMatching.error.womanWish');
    await trx.updateTable('help_request').set({ status: 'taken', helper_user_id: user.id, helper_contact: helperContact, taken_at: now, updated_at: now }).where('id', '=', requestId).execute();
    const asker = await person(trx, request.asker_user_id);
    const helper = await person(trx, user.id);
    await tell(trx, 'help_request_taken_asker', asker, helper, request, origin, { otherContact: helperContact });
    await tell(trx, 'help_request_taken_helper', helper, asker, request, origin, { otherContact: request.asker_contact });
    if (request.posted_by_user_id !== null && (await speaksFor(trx, request.posted_by_user_id, request.asker_user_id))) {
      const poster = await person(trx, request.posted_by_user_id);
      await tell(trx, 'help_request_taken_asker', poster, helper, request, origin, { otherContact: helperContact, forName: firstName(asker.display_name) });
    }
    return { ok: true } as const;
  });
}

/** The asker's side thanks the helper once, after it was done; the helper is told in their
 * language, with the message. */
export async function thankHelper(db: Kysely<Database>, actor: Actor, input: { requestId: number; message: string }, origin: RequestOrigin, now = new Date()): Promise<{ ok: true } | HelpRequestRefusal> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, input.requestId);
    const role = await helpRequestRole(trx, actor, input.requestId);
    if (!actsForAsker(role)) throw new NotFoundError('help request');
    if (!mayThank(role, request.status, request.thanked_at) || request.helper_user_id === null) return refuseForm(request.thanked_at ? 'helpCoordination.error.alreadyThanked' : 'helpCoordination.error.notDone');
    await trx.updateTable('help_request').set({ thanked_at: now, thanks_message: input.message, updated_at: now }).where('id', '=', input.requestId).execute();
    const asker = await person(trx, request.asker_user_id);
    const helper = await person(trx, request.helper_user_id);
    await tell(trx, 'help_request_thanks', helper, asker, request, origin, { message: input.message });
    return { ok: true } as const;
  });
}

/** Either side hands a taken request back: it is open again, and the other side is told. */
export async function handBackRequest(db: Kysely<Database>, actor: Actor, requestId: number, origin: RequestOrigin, now = new Date()): Promise<{ ok: true } | HelpRequestRefusal> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, requestId);
    const role = await helpRequestRole(trx, actor, requestId);
    if (role === 'coordinator') throw new NotFoundError('help request');
    if (!mayHandBack(role, request.status) || request.helper_user_id === null) return refuseForm('helpRequests.error.notTaken');
    // What the helper shared was for this asker while they helped: it goes with them.
    await trx.updateTable('help_request').set({ status: 'open', helper_user_id: null, helper_contact: '', taken_at: null, updated_at: now }).where('id', '=', requestId).execute();
    await followHelpRequest(trx, requestId, now);
    await afterRequestOpened(trx, requestId, origin, now, undefined, [request.helper_user_id]);
    const asker = await person(trx, request.asker_user_id);
    const helper = await person(trx, request.helper_user_id);
    if (role === 'helper') await tell(trx, 'help_request_handed_back', asker, helper, request, origin, { toAsker: true });
    else await tell(trx, 'help_request_handed_back', helper, asker, request, origin, { toAsker: false });
    return { ok: true } as const;
  });
}

/** The helper says how it went: done, with the minutes spent (for volunteer hours), or it did
 * not happen. */
export async function finishRequest(
  db: Kysely<Database>,
  actor: Actor,
  input: { requestId: number; outcome: 'done' | 'did_not_happen'; minutes: number | null },
  now = new Date(),
): Promise<{ ok: true } | HelpRequestRefusal> {
  return db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, input.requestId);
    const role = await helpRequestRole(trx, actor, input.requestId);
    if (role !== 'helper') throw new NotFoundError('help request');
    if (!mayFinish(role, request.status)) return refuseForm('helpRequests.error.notTaken');
    await trx
      .updateTable('help_request')
      .set({ status: input.outcome, minutes_spent: input.outcome === 'done' ? input.minutes : null, finished_at: now, updated_at: now })
      .where('id', '=', input.requestId)
      .execute();
    // Done with minutes counts for the helper's hours; anything else takes them back.
    await followHelpRequest(trx, input.requestId, now);
    return { ok: true } as const;
  });
}

/** A helper who leaves the portal gives back what they hold: their taken requests open again
 * (called by the erasure, in its transaction), so that no request is held by nobody; the
 * contact details they shared go from every request they helped with. */
export async function reopenRequestsHeldBy(trx: Transaction<Database>, personId: number, now: Date): Promise<number> {
  await trx.updateTable('help_request').set({ helper_contact: '' }).where('helper_user_id', '=', personId).execute();
  const rows = await trx
    .updateTable('help_request')
    .set({ status: 'open', helper_user_id: null, taken_at: null, updated_at: now })
    .where('helper_user_id', '=', personId)
    .where('status', '=', 'taken')
    .returning('id')
    .execute();
  return rows.length;
}
