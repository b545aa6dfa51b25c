// What happens when a help request opens (posted, handed back, or made for a consultation
// slot that needs an interpreter): the helpers whose profile fits are told, each once. And a
// coordinator's view of who fits a request, and asking one of them directly.
// help_request_ask holds one row per helper and request: its primary key is what makes
// "nobody is told twice" true even when two transactions race.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';
import { firstName } from '../accounts/first-name.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { isCoordinator, NotFoundError } from '../access/access.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { localePath } from '../../i18n/locales.ts';
import type { HelpKind } from './help-requests.schema.ts';
import type { MatchingMailKind } from './matching.mails.ts';
import { rankHelpers, weekdayOf, type HelperCandidate, type HelperFit, type HelpMatchRequest } from './matching.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** How many fitting helpers are told of one request: enough that someone answers, few enough
 * that a volunteer is not mailed for every request in town. The rest can still find it on the
 * list, and a coordinator can ask anyone who fits. */
export const TOLD_AT_MOST = 8;

/** The town's zone for the weekday of a request (services get no Astro env; the server and
 * the seed read the same variable, see src/server/config.ts). */
export function townTimeZone(): string {
  return process.env.TOWN_TIMEZONE || 'Europe/Berlin';
}

/** What matching and its mails need of a request: never the address, the note or the asker's name. */
interface RequestFacts {
  id: number;
  kind: string;
  status: string;
  starts_at: Date | null;
  week_of: string | null;
  district: string;
  languages: string[];
  wants_woman: boolean;
  needs_car: boolean;
  needs_child_seat: boolean;
  asker_user_id: number;
  posted_by_user_id: number | null;
}

async function requestFacts(db: Db, requestId: number, lock = false): Promise<RequestFacts | undefined> {
  let query = db
    .selectFrom('help_request')
    .select([
      'id',
      'kind',
      'status',
      'starts_at',
      sql<string | null>`to_char(week_of, 'YYYY-MM-DD')`.as('week_of'),
      'district',
      'languages',
      'wants_woman',
      'needs_car',
      'needs_child_seat',
      'asker_user_id',
      'posted_by_user_id',
    ])
    .where('id', '=', requestId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

function matchRequest(r: RequestFacts, timeZone: string): HelpMatchRequest {
  return {
    kind: r.kind as HelpKind,
    languages: r.languages,
    weekday: r.starts_at ? weekdayOf(timeZone, r.starts_at) : null,
    wantsWoman: r.wants_woman,
    needsCar: r.needs_car,
    needsChildSeat: r.needs_child_seat,
    askerUserId: r.asker_user_id,
    postedByUserId: r.posted_by_user_id,
  };
}

interface Reachable extends HelperCandidate {
  email: string | null;
  locale: Locale;
}

/** Everyone who offers the request's kind (a profile with no kinds is never read here: that is
 * the opt-out), with how many requests each holds now; rankHelpers applies the other rules. */
async function candidatesFor(db: Db, kind: string, onlyUserId?: number): Promise<Reachable[]> {
  let query = db
    .selectFrom('volunteer_profile')
    .innerJoin('app_user', 'app_user.id', 'volunteer_profile.user_id')
    .select((eb) => [
      'app_user.id',
      'app_user.display_name',
      'app_user.email',
      'app_user.locale',
      'volunteer_profile.languages',
      'volunteer_profile.help_kinds',
      'volunteer_profile.help_days',
      'volunteer_profile.has_car',
      'volunteer_profile.has_child_seat',
      'volunteer_profile.helps_as_woman',
      eb
        .selectFrom('help_request')
        .select((e) => e.fn.countAll<string | number>().as('n'))
        .whereRef('help_request.helper_user_id', '=', 'app_user.id')
        .where('help_request.status', '=', 'taken')
        .as('active'),
    ])
    .where(sql<boolean>`${kind} = any(volunteer_profile.help_kinds)`);
  if (onlyUserId !== undefined) query = query.where('app_user.id', '=', onlyUserId);
  const rows = await query.execute();
  return rows.map((r) => ({
    userId: r.id,
    displayName: r.display_name,
    email: r.email,
    locale: r.locale,
    languages: r.languages,
    helpKinds: r.help_kinds,
    helpDays: r.help_days,
    hasCar: r.has_car,
    hasChildSeat: r.has_child_seat,
    helpsAsWoman: r.helps_as_woman,
    activeRequests: Number(r.active ?? 0),
  }));
}

/** The mail's payload: the public minimum and the link to the request on "Help wanted". */
function mailPayload(r: RequestFacts, to: Reachable, origin: RequestOrigin): Record<string, unknown> {
  return {
    name: firstName(to.displayName),
    requestId: r.id,
    kind: r.kind,
    startsAt: r.starts_at?.toISOString() ?? null,
    weekOf: r.week_of,
    district: r.district,
    languages: r.languages,
    wantsWoman: r.wants_woman,
    needsCar: r.needs_car,
    needsChildSeat: r.needs_child_seat,
    url: `${origin.baseUrl}${localePath(to.locale, '/help-wanted')}#help-request-${r.id}`,
  };
}

async function tellHelper(trx: Db, kind: MatchingMailKind, r: RequestFacts, to: Reachable, origin: RequestOrigin, extra: Record<string, unknown> = {}): Promise<void> {
  await enqueueMessage(trx, { kind, recipientUserId: to.userId, recipientEmail: to.email, locale: to.locale, payload: { ...mailPayload(r, to, origin), ...extra } });
}

/** Tells the fitting helpers of an open request, in their language; returns how many were told.
 * `knowsAlready`: people who need no telling (the helper who just handed it back). */
export async function afterRequestOpened(trx: Transaction<Database>, requestId: number, origin: RequestOrigin, now: Date, timeZone = townTimeZone(), knowsAlready: readonly number[] = []): Promise<number> {
  const request = await requestFacts(trx, requestId);
  if (!request || request.status !== 'open') return 0;
  const candidates = await candidatesFor(trx, request.kind);
  if (candidates.length === 0) return 0;
  const known = await trx.selectFrom('help_request_ask').select('helper_user_id').where('request_id', '=', requestId).execute();
  const already = new Set([...known.map((k) => k.helper_user_id), ...knowsAlready]);
  const chosen = rankHelpers(matchRequest(request, timeZone), candidates)
    .filter((fit) => !already.has(fit.candidate.userId))
    .slice(0, TOLD_AT_MOST)
    .map((fit) => fit.candidate as Reachable);
  if (chosen.length === 0) return 0;
  // Only the rows this transaction wrote are told: a concurrent one that got there first told them.
  const written = await trx
    .insertInto('help_request_ask')
    .values(chosen.map((c) => ({ request_id: requestId, helper_user_id: c.userId, direct: false, created_at: now })))
    .onConflict((oc) => oc.columns(['request_id', 'helper_user_id']).doNothing())
    .returning('helper_user_id')
    .execute();
  const fresh = new Set(written.map((w) => w.helper_user_id));
  for (const helper of chosen.filter((c) => fresh.has(c.userId))) await tellHelper(trx, 'help_request_fits_you', request, helper, origin);
  return fresh.size;
}

export interface SuggestedHelper extends HelperFit {
  /** When matching told them or a coordinator asked them; null if neither yet. */
  askedAt: Date | null;
  direct: boolean;
}

/** The fitting helpers of a request, best first, with who was already told or asked — for
 * coordinators only (anyone else: NotFoundError). */
export async function suggestedHelpers(db: Kysely<Database>, user: Pick<SessionUser, 'id'> | null | undefined, requestId: number, timeZone = townTimeZone()): Promise<{ open: boolean; helpers: SuggestedHelper[] }> {
  if (!user || !(await isCoordinator(db, user.id))) throw new NotFoundError('help request');
  const request = await requestFacts(db, requestId);
  if (!request) throw new NotFoundError('help request');
  const asks = await db.selectFrom('help_request_ask').select(['helper_user_id', 'created_at', 'direct']).where('request_id', '=', requestId).execute();
  const byHelper = new Map(asks.map((a) => [a.helper_user_id, a]));
  const fits = rankHelpers(matchRequest(request, timeZone), await candidatesFor(db, request.kind));
  return {
    open: request.status === 'open',
    helpers: fits.map((fit) => {
      const ask = byHelper.get(fit.candidate.userId);
      return { ...fit, askedAt: ask ? new Date(ask.created_at) : null, direct: ask?.direct ?? false };
    }),
  };
}

export type AskRefusal = { ok: false; form: { key: string } };

/**
 * A coordinator asks one fitting helper directly: the helper gets a mail in their language
 * naming the coordinator by first name, and the ask is recorded as direct (also when matching
 * had told them before). Only coordinators (anyone else: NotFoundError), only open requests,
 * only a helper who fits, each helper asked directly once.
 */
export async function askHelper(
  db: Kysely<Database>,
  coordinator: Pick<SessionUser, 'id'> | null | undefined,
  requestId: number,
  helperId: number,
  origin: RequestOrigin,
  now = new Date(),
  timeZone = townTimeZone(),
): Promise<{ ok: true } | AskRefusal> {
  if (!coordinator || !(await isCoordinator(db, coordinator.id))) throw new NotFoundError('help request');
  return db.transaction().execute(async (trx) => {
    const request = await requestFacts(trx, requestId, true);
    if (!request) throw new NotFoundError('help request');
    if (request.status !== 'open') return { ok: false, form: { key: 'helpRequests.error.notOpen' } } as const;
    const fit = rankHelpers(matchRequest(request, timeZone), await candidatesFor(trx, request.kind, helperId))[0];
    if (!fit) return { ok: false, form: { key: 'helpMatching.error.notFitting' } } as const;
    const earlier = await trx.selectFrom('help_request_ask').select('direct').where('request_id', '=', requestId).where('helper_user_id', '=', helperId).executeTakeFirst();
    if (earlier?.direct) return { ok: false, form: { key: 'helpMatching.error.alreadyAsked' } } as const;
    // Told by matching before: the row becomes the direct ask, with its own time (the row lock
    // on the request keeps two coordinators from both doing this).
    if (earlier) await trx.deleteFrom('help_request_ask').where('request_id', '=', requestId).where('helper_user_id', '=', helperId).execute();
    await trx.insertInto('help_request_ask').values({ request_id: requestId, helper_user_id: helperId, direct: true, asked_by_user_id: coordinator.id, created_at: now }).execute();
    const asker = await trx.selectFrom('app_user').select('display_name').where('id', '=', coordinator.id).executeTakeFirstOrThrow();
    await tellHelper(trx, 'help_request_asked_directly', request, fit.candidate as Reachable, origin, { coordinatorName: firstName(asker.display_name) });
    return { ok: true } as const;
  });
}
