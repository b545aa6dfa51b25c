// An organisation's details (its organisers and site admins) and accepting an invitation.
import { defineAction } from 'astro:actions';
import { acceptInvitation, startPageAfterJoining } from '../features/organisations/invitations.service.ts';
import { updateOrganisation } from '../features/organisations/organisations.service.ts';
import { acceptInvitationInput, updateOrganisationInput } from '../features/organisations/organisations.schema.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseFields, requestOrigin, run, setSessionCookie } from './helpers.ts';

export const organisations = {
  update: defineAction({
    accept: 'form',
    input: updateOrganisationInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => updateOrganisation(context.locals.db, context.locals.user, input));
      if (!result.ok) refuseFields(result.fields);
      return { flash: { key: 'form.saved' } };
    },
  }),

  acceptInvitation: defineAction({
    accept: 'form',
    input: acceptInvitationInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => acceptInvitation(context.locals.db, input, requestOrigin(context)));
      if (!result.ok) refuseFields(result.fields);
      const { t, locale } = context.locals;
      const joined = new Intl.ListFormat(locale, { type: 'conjunction' }).format(
        result.joined.map((j) => t('invitation.joinedItem', { role: t(`role.${j.role}`), organisation: j.organisationName })),
      );
      const start = localePath(locale, startPageAfterJoining(result.joined));
      if (result.session) {
        setSessionCookie(context, result.session.token, result.session.expiresAt);
        return { redirect: start, flash: { key: 'invitation.welcome', params: { joined } } };
      }
      // They chose their password elsewhere meanwhile: signed in by themselves, as anyone.
      const signedInAsThem = context.locals.user?.id === result.userId;
      return {
        redirect: signedInAsThem ? start : `${localePath(locale, '/sign-in')}?next=${encodeURIComponent(start)}`,
        flash: { key: signedInAsThem ? 'invitation.welcome' : 'invitation.joinedSignIn', params: { joined } },
      };
    },
  }),
};
