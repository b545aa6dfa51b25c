// Form actions for consultation hours: validate (zod), then the service decides who may and does it.
import { defineAction } from 'astro:actions';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { attendanceInput, bookInput, bookingIdInput, hourChangeInput, hourIdInput, hourInput, walkInAttendanceInput, walkInInput } from '../features/consultations/consultations.schema.ts';
import { addWalkIn, bookSlot, cancelBooking, cancelHour, changeHour, markAttendance, markWalkIn, publishHours } from '../features/consultations/consultations.service.ts';
import { localePath } from '../i18n/locales.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import type { TextKey } from '../i18n/index.ts';
import { refuseFields, refuseForm, requestOrigin, requireUser, run } from './helpers.ts';

export const consultations = {
  publish: defineAction({
    accept: 'form',
    input: hourInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const result = await run(context, () => publishHours(context.locals.db, context.locals.user, input, TOWN_TIMEZONE));
      if (!result.ok) refuseFields(result.fields);
      return { flash: { key: 'consultations.staff.published', count: result.hours } };
    },
  }),

  book: defineAction({
    accept: 'form',
    input: bookInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => bookSlot(context.locals.db, user, input, requestOrigin(context)));
      if (!result.ok) {
        if ('fields' in result) refuseFields(result.fields);
        refuseForm({ key: result.refusal.key as TextKey });
      }
      const onBehalf = input.forUserId !== undefined && input.forUserId !== user.id;
      return {
        redirect: localePath(context.locals.locale, '/consultations'),
        flash: { key: onBehalf ? 'consultations.bookedOnBehalf' : result.interpreterNeeded ? 'consultations.bookedInterpreter' : 'consultations.booked' },
      };
    },
  }),

  cancel: defineAction({
    accept: 'form',
    input: bookingIdInput,
    handler: async ({ bookingId }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => cancelBooking(context.locals.db, user, bookingId, requestOrigin(context)));
      if (!result.ok) refuseForm({ key: result.refusal.key as TextKey });
      return { flash: { key: 'consultations.cancelled' } };
    },
  }),

  addWalkIn: defineAction({
    accept: 'form',
    input: walkInInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => addWalkIn(context.locals.db, user, input));
      if (!result.ok) refuseForm({ key: result.refusal.key as TextKey });
      return { flash: { key: 'consultations.walkIn.added' } };
    },
  }),

  markWalkIn: defineAction({
    accept: 'form',
    input: walkInAttendanceInput,
    handler: async ({ walkInId, attendance }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      await run(context, () => markWalkIn(context.locals.db, user, walkInId, attendance));
      return { flash: { key: attendance === 'present' ? 'consultations.day.checkedIn' : 'consultations.day.markedNoShow' } };
    },
  }),

  changeHour: defineAction({
    accept: 'form',
    input: hourChangeInput,
    handler: async (input, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => changeHour(context.locals.db, user, input, requestOrigin(context)));
      if (!result.ok) refuseForm({ key: result.refusal.key as TextKey });
      return { flash: { key: 'consultations.staff.changed' } };
    },
  }),

  cancelHour: defineAction({
    accept: 'form',
    input: hourIdInput,
    handler: async ({ hourId }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => cancelHour(context.locals.db, user, hourId, requestOrigin(context)));
      if (!result.ok) refuseForm({ key: result.refusal.key as TextKey });
      return { redirect: localePath(context.locals.locale, `/organise/organisation/${result.organisationSlug}/consultation-hours`), flash: { key: 'consultations.staff.hourCancelled' } };
    },
  }),

  mark: defineAction({
    accept: 'form',
    input: attendanceInput,
    handler: async ({ bookingId, attendance }, context): Promise<ActionOutcome> => {
      const user = await requireUser(context);
      const result = await run(context, () => markAttendance(context.locals.db, user, bookingId, attendance));
      if (!result.ok) refuseForm({ key: result.refusal.key as TextKey });
      return { flash: { key: attendance === 'present' ? 'consultations.day.checkedIn' : 'consultations.day.markedNoShow' } };
    },
  }),
};
