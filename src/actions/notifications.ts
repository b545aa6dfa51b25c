// The notification settings form: validate (zod), then the service decides what may be saved.
import { defineAction } from 'astro:actions';
import { notificationSettingsInput } from '../features/notifications/notifications.schema.ts';
import { saveNotificationSettings } from '../features/notifications/notifications.service.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import { refuseWith, requestOrigin, requireUser, run } from './helpers.ts';

export const notifications = {
  save: defineAction({
    accept: 'form',
    input: notificationSettingsInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () =>
        saveNotificationSettings(context.locals.db, user, input, { telegramOffered: context.locals.telegramBot !== null, ip: requestOrigin(context).ip }),
      );
      if (!result.ok) refuseWith({ fields: result.fields });
      return { flash: { key: 'notifications.saved' } };
    },
  }),
};
