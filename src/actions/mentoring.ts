// Form actions for mentoring: validate (zod), then the service decides who may and does it.
import { defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import {
  applyInput,
  assignInput,
  claimCodeInput,
  claimInput,
  decideApplicationInput,
  endMentorshipInput,
  meetingIdInput,
  meetingInput,
  personIdInput,
  reassignInput,
  requestForPersonInput,
  requestIdInput,
  requestInput,
} from '../features/mentoring/mentoring.schema.ts';
import {
  applyAsKuemmerer,
  assignKuemmerer,
  createRequestForPerson,
  decideApplication,
  deleteMeeting,
  endMentorship,
  reassignMentorship,
  lookUpClaimCode,
  redeemClaimCode,
  regenerateClaimCode,
  requestKuemmerer,
  saveMeeting,
  withdrawRequest,
  type MentoringRefusal,
} from '../features/mentoring/mentoring.service.ts';
import { CLAIM_CODE_COOKIE, CLAIM_COOKIE_SECONDS, CLAIM_SHEET_COOKIE, normaliseClaimCode } from '../features/mentoring/claim-code.ts';
import { localePath } from '../i18n/locales.ts';
import { clearCookie, cookieOptions } from '../lib/cookies.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import type { ActionAPIContext } from 'astro:actions';
import { isHttps, refuseFields, refuseForm, requestOrigin, requireUser, run, setSessionCookie } from './helpers.ts';

function refuse(result: MentoringRefusal): never {
  if (result.fields) refuseFields(result.fields);
  refuseForm(result.form ?? { key: 'error.generic' });
}

/** The claim cookies stay on this site's own pages (strict) and live a quarter of an hour. */
function setClaimCookie(context: ActionAPIContext, name: string, value: string): void {
  context.cookies.set(name, value, { ...cookieOptions(isHttps(context), CLAIM_COOKIE_SECONDS), sameSite: 'strict' });
}

function showClaimSheet(context: ActionAPIContext, personId: number, code: string): ActionOutcome {
  setClaimCookie(context, CLAIM_SHEET_COOKIE, `${personId}.${code}`);
  return { redirect: localePath(context.locals.locale, `/coordinate/claim-sheet/${personId}`) };
}

export const mentoring = {
  apply: defineAction({
    accept: 'form',
    input: applyInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => applyAsKuemmerer(context.locals.db, user, input, requestOrigin(context)));
      return { flash: { key: result.status === 'pending' ? 'kuemmerer.applied' : 'kuemmerer.updated' } };
    },
  }),

  decide: defineAction({
    accept: 'form',
    input: decideApplicationInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => decideApplication(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) refuse(result);
      return { flash: { key: 'coordinate.decided' } };
    },
  }),

  request: defineAction({
    accept: 'form',
    input: requestInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => requestKuemmerer(context.locals.db, user, input, requestOrigin(context)));
      if (!result.ok) refuse(result);
      return { flash: { key: 'myk.requested' } };
    },
  }),

  withdraw: defineAction({
    accept: 'form',
    input: requestIdInput,
    handler: async ({ requestId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => withdrawRequest(context.locals.db, context.locals.user, requestId));
      if (!result.ok) refuse(result);
      return { flash: { key: 'myk.withdrawn' } };
    },
  }),

  requestForPerson: defineAction({
    accept: 'form',
    input: requestForPersonInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => createRequestForPerson(context.locals.db, context.locals.user, input, requestOrigin(context), TOWN_TIMEZONE));
      if (!result.ok) refuse(result);
      return showClaimSheet(context, result.personId, result.code);
    },
  }),

  regenerateClaimCode: defineAction({
    accept: 'form',
    input: personIdInput,
    handler: async ({ personId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => regenerateClaimCode(context.locals.db, context.locals.user, personId, requestOrigin(context)));
      return showClaimSheet(context, personId, result.code);
    },
  }),

  /** /claim, first step: a code that works takes the person to the second step. */
  checkClaimCode: defineAction({
    accept: 'form',
    input: claimCodeInput,
    handler: async ({ code }, context): Promise<ActionOutcome> => {
      const person = await run(context, () => lookUpClaimCode(context.locals.db, code, requestOrigin(context)));
      if (!person) refuseFields({ code: 'mentoring.error.claimCode' });
      // Kept in the browser for the second step only; the database keeps only its hash. A code
      // that was found is one that normalises.
      setClaimCookie(context, CLAIM_CODE_COOKIE, normaliseClaimCode(code)!);
      return { redirect: localePath(context.locals.locale, '/claim') };
    },
  }),

  /** /claim, second step: sign-in name, password, e-mail address. */
  claim: defineAction({
    accept: 'form',
    input: claimInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const code = context.cookies.get(CLAIM_CODE_COOKIE)?.value;
      if (!code) refuseForm({ key: 'claim.startAgain' });
      const result = await run(context, () => redeemClaimCode(context.locals.db, { ...input, code }, requestOrigin(context)));
      if (!result.ok) {
        // A code that stopped working (used meanwhile, expired) sends the person back to step one.
        if (result.fields.code) clearCookie(context.cookies, CLAIM_CODE_COOKIE, isHttps(context));
        refuseFields(result.fields);
      }
      clearCookie(context.cookies, CLAIM_CODE_COOKIE, isHttps(context));
      setSessionCookie(context, result.token, result.expiresAt);
      const params = { name: result.signInName };
      const redirect = localePath(context.locals.locale, result.settingNewPassword ? '/account' : '/my-kuemmerer');
      if (result.emailLinkSentTo) return { redirect, flash: { key: 'claim.doneEmailSent', params: { ...params, email: result.emailLinkSentTo } } };
      return { redirect, flash: { key: result.settingNewPassword ? 'claim.newPasswordDone' : 'claim.done', params } };
    },
  }),

  /** "Enter another code": back to the first step. */
  forgetClaimCode: defineAction({
    accept: 'form',
    handler: async (_input, context): Promise<ActionOutcome> => {
      clearCookie(context.cookies, CLAIM_CODE_COOKIE, isHttps(context));
      return { redirect: localePath(context.locals.locale, '/claim') };
    },
  }),

  assign: defineAction({
    accept: 'form',
    input: assignInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => assignKuemmerer(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) refuse(result);
      return { flash: { key: 'coordinate.assigned' } };
    },
  }),

  reassign: defineAction({
    accept: 'form',
    input: reassignInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => reassignMentorship(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) refuse(result);
      return { flash: { key: 'coordinate.reassigned' } };
    },
  }),

  end: defineAction({
    accept: 'form',
    input: endMentorshipInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => endMentorship(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) refuse(result);
      // The Kümmerer's page of this mentee is gone now; everyone else stays where they were.
      const onMenteePage = /\/mentees\/\d+$/.test(context.url.pathname);
      return onMenteePage ? { redirect: localePath(context.locals.locale, '/mentees'), flash: { key: 'myk.ended' } } : { flash: { key: 'myk.ended' } };
    },
  }),

  saveMeeting: defineAction({
    accept: 'form',
    input: meetingInput(TOWN_TIMEZONE),
    handler: async (input, context): Promise<ActionOutcome> => {
      await run(context, () => saveMeeting(context.locals.db, context.locals.user, input));
      return { redirect: localePath(context.locals.locale, `/mentees/${input.mentorshipId}`), flash: { key: 'mentees.saved' } };
    },
  }),

  deleteMeeting: defineAction({
    accept: 'form',
    input: meetingIdInput,
    handler: async ({ meetingId }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => deleteMeeting(context.locals.db, context.locals.user, meetingId));
      return { redirect: localePath(context.locals.locale, `/mentees/${result.mentorshipId}`), flash: { key: 'mentees.deleted' } };
    },
  }),
};
