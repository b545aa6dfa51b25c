// Shared pieces of the thin action layer: turning service outcomes into ActionErrors that
// src/middleware.ts shows next to the fields, and who is asking.
import { ActionError, type ActionAPIContext } from 'astro:actions';
import { NotFoundError } from '../features/access/access.ts';
import { recordAudit } from '../features/audit/audit.ts';
import { RateLimitedError } from '../features/rate-limit/rate-limit.ts';
import type { SessionUser } from '../features/accounts/sessions.ts';
import { refusalMessage, type FormMessage, type Refusal } from '../lib/form-state.ts';
import { clearCookie, cookieOptions, isHttps, sessionCookieName } from '../lib/cookies.ts';
import { requestOrigin } from '../lib/request-origin.ts';

// Actions import them from here with the other helpers.
export { isHttps, requestOrigin };

export function refuseFields(fields: Record<string, string | undefined>): never {
  throw new ActionError({ code: 'BAD_REQUEST', message: refusalMessage({ fields }) });
}

/** Refuses with messages for fields and one for the whole form together. */
export function refuseWith(refusal: Refusal): never {
  throw new ActionError({ code: 'BAD_REQUEST', message: refusalMessage(refusal) });
}

/** Refuses the whole form with one message (e.g. "only 2 places are left"). */
export function refuseForm(form: FormMessage): never {
  throw new ActionError({ code: 'BAD_REQUEST', message: refusalMessage({ form }) });
}

/** Refuses like a missing page would, and writes the refusal to the audit log. */
async function refuse(context: ActionAPIContext, what: string): Promise<never> {
  await recordAudit(context.locals.db, {
    actorUserId: context.locals.user?.id ?? null,
    action: 'access.refused',
    objectType: 'action',
    objectId: what,
    ip: requestOrigin(context).ip,
  });
  throw new ActionError({ code: 'NOT_FOUND' });
}

/** Runs a service call and maps the errors every action shares. */
export async function run<T>(context: ActionAPIContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RateLimitedError) throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: String(error.retryAfterMinutes) });
    if (error instanceof NotFoundError) return refuse(context, error.message);
    throw error;
  }
}

/** The signed-in person; a signed-out visitor gets the answer of a page that does not exist. */
export async function requireUser(context: ActionAPIContext): Promise<SessionUser> {
  return context.locals.user ?? refuse(context, 'signed-in only');
}

export function setSessionCookie(context: ActionAPIContext, token: string, expiresAt: Date): void {
  const secure = isHttps(context);
  context.cookies.set(sessionCookieName(secure), token, { ...cookieOptions(secure), expires: expiresAt });
}

export function clearSessionCookie(context: ActionAPIContext): void {
  const secure = isHttps(context);
  clearCookie(context.cookies, sessionCookieName(secure), secure);
}
