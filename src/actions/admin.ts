import { defineAction } from 'astro:actions';
import { addMember, createOrganisation, removeMember } from '../features/organisations/organisations.service.ts';
import { addMemberInput, createOrganisationInput, removeMemberInput } from '../features/organisations/organisations.schema.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseFields, run } from './helpers.ts';

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

  addMember: defineAction({
    accept: 'form',
    input: addMemberInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => addMember(context.locals.db, context.locals.user, input));
      if (!result.ok) refuseFields(result.fields);
      const t = context.locals.t;
      return { flash: { key: 'admin.memberAdded', params: { name: result.displayName, role: t(`role.${input.role}`) } } };
    },
  }),

  removeMember: defineAction({
    accept: 'form',
    input: removeMemberInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const { displayName } = await run(context, () => removeMember(context.locals.db, context.locals.user, input));
      const t = context.locals.t;
      return { flash: { key: 'admin.memberRemoved', params: { name: displayName, role: t(`role.${input.role}`) } } };
    },
  }),
};
