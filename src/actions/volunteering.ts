// Form actions for volunteering: validate (zod), then the service decides who may and does it.
import { ActionError, defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { deleteRoleInput, messageInput, profileInput, roleIdInput, roleInput, signupIdInput } from '../features/volunteering/volunteering.schema.ts';
import { createRole, deleteRole, messageVolunteers, saveProfile, signUp, updateRole, withdraw, type FieldRefusal, type VolunteerRefusal } from '../features/volunteering/volunteering.service.ts';
import { formatDate } from '../i18n/format.ts';
import { localePath, type Locale } from '../i18n/locales.ts';
import { refusalMessage, type ActionOutcome } from '../lib/form-state.ts';
import { refuseFields, refuseForm, refuseWith, requestOrigin, requireUser, run } from './helpers.ts';

function refuse(refusal: VolunteerRefusal): never {
  refuseForm({ key: refusal.key });
}

/** A refused role form: the message next to the field, and how many signed up when that is the reason. */
function refuseRole(result: FieldRefusal, locale: Locale): never {
  if (result.date) {
    // About another date of the series: the message names it.
    const date = formatDate(locale, TOWN_TIMEZONE, result.date);
    refuseWith({ fields: result.fields, form: result.count === undefined ? { key: 'roles.windowOutsideOn', params: { date } } : { key: 'roles.signedUpOn', count: result.count, params: { date } } });
  }
  if (result.count === undefined) refuseFields(result.fields);
  throw new ActionError({
    code: 'BAD_REQUEST',
    message: refusalMessage({ fields: result.fields, form: { key: 'volunteer.error.signedUpAlready', count: result.count } }),
  });
}

export const volunteering = {
  createRole: defineAction({
    accept: 'form',
    input: roleInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => createRole(context.locals.db, context.locals.user, { ...input, roleId: undefined }, TOWN_TIMEZONE));
      if (!result.ok) refuseRole(result, context.locals.locale);
      return { redirect: localePath(context.locals.locale, `/organise/${input.activityId}/roles`), flash: { key: 'roles.created', count: result.roleIds.length } };
    },
  }),

  updateRole: defineAction({
    accept: 'form',
    input: roleInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => updateRole(context.locals.db, context.locals.user, input, TOWN_TIMEZONE, requestOrigin(context)));
      if (!result.ok) refuseRole(result, context.locals.locale);
      return { flash: result.changed > 1 ? { key: 'series.saved', count: result.changed } : { key: 'form.saved' } };
    },
  }),

  deleteRole: defineAction({
    accept: 'form',
    input: deleteRoleInput,
    handler: async ({ roleId, scope }, context): Promise<ActionOutcome> => {
      const result = await run(context, () => deleteRole(context.locals.db, context.locals.user, roleId, requestOrigin(context), new Date(), scope));
      return { flash: result.deleted > 1 ? { key: 'roles.deletedDates', count: result.deleted } : { key: 'roles.deleted' } };
    },
  }),

  signUp: defineAction({
    accept: 'form',
    input: roleIdInput,
    handler: async ({ roleId }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => signUp(context.locals.db, user, roleId, requestOrigin(context)));
      if (!result.ok) refuse(result.refusal);
      return { flash: { key: 'volunteer.signedUp' } };
    },
  }),

  withdraw: defineAction({
    accept: 'form',
    input: signupIdInput,
    handler: async ({ signupId }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => withdraw(context.locals.db, user, signupId, requestOrigin(context)));
      if (!result.ok) refuse(result.refusal);
      return { flash: { key: 'volunteer.withdrawn' } };
    },
  }),

  message: defineAction({
    accept: 'form',
    input: messageInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => messageVolunteers(context.locals.db, context.locals.user, input, requestOrigin(context)));
      if (!result.ok) refuseForm({ key: 'volunteer.error.noVolunteers' });
      return { flash: { key: 'roles.messageSent', count: result.sent } };
    },
  }),

  saveProfile: defineAction({
    accept: 'form',
    input: profileInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await run(context, () => saveProfile(context.locals.db, user, input));
      return { flash: { key: 'form.saved' } };
    },
  }),
};
