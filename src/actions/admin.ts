import { defineAction } from 'astro:actions';
import { createOrganisation, removeMember } from '../features/organisations/organisations.service.ts';
import { inviteMember, resendInvitation, withdrawInvitation } from '../features/organisations/invitations.service.ts';
import { createOrganisationInput, invitationIdInput, inviteMemberInput, removeMemberInput } from '../features/organisations/organisations.schema.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseFields, requestOrigin, run } from './helpers.ts';

export const admin = {
  createOrganisation: defineAction({
    accept: 'form',
    input: createOrganisationInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => createOrganisation(context.locals.db, context.locals.user, input));
      if (!result.ok) refuseFields(result.fields);
      return {
        redirect: localePath(context.locals.locale, `/admin/organisations/${result.organisation.slug}`),
        flash: { key: 'admin.orgCreated' },
      };
    },
  }),

  inviteMember: defineAction({
    accept: 'form',
    input: inviteMemberInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => inviteMember(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) refuseFields(result.fields);
      if (result.outcome === 'invited') return { flash: { key: 'invitation.sent', params: { email: result.email } } };
      return { flash: { key: 'invitation.added', params: { name: result.displayName, role: context.locals.t(`role.${input.role}`) } } };
    },
  }),

  resendInvitation: defineAction({
    accept: 'form',
    input: invitationIdInput,
    handler: async ({ invitationId }, context): Promise<ActionOutcome> => {
      const { email } = await run(context, () => resendInvitation(context.locals.db, context.locals.user, invitationId, requestOrigin(context)));
      return { flash: { key: 'invitation.resent', params: { email } } };
    },
  }),

  withdrawInvitation: defineAction({
    accept: 'form',
    input: invitationIdInput,
    handler: async ({ invitationId }, context): Promise<ActionOutcome> => {
      const { email } = await run(context, () => withdrawInvitation(context.locals.db, context.locals.user, invitationId, requestOrigin(context)));
      return { flash: { key: 'invitation.withdrawn', params: { email } } };
    },
  }),

  /** Posted from the confirmation page (/admin/organisations/<slug>/remove); back to the organisation. */
  removeMember: defineAction({
    accept: 'form',
    input: removeMemberInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const { displayName, slug } = await run(context, () => removeMember(context.locals.db, context.locals.user, input));
      const t = context.locals.t;
      return {
        redirect: localePath(context.locals.locale, `/admin/organisations/${slug}`),
        flash: { key: 'admin.memberRemoved', params: { name: displayName, role: t(`role.${input.role}`) } },
      };
    },
  }),
};
