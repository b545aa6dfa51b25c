// The volunteering forms: an organiser's role, signing up and withdrawing, the volunteer
// profile, and the organiser's message to a role's volunteers. Messages are message keys.
import { z } from 'astro/zod';
import { checkboxField, choiceList, idField, optionalText, requiredLine, requiredText } from '../../lib/form-schema.ts';
import { scopeField, SPOKEN_LANGUAGES } from '../activities/activities.schema.ts';
import { HELP_KINDS } from '../help-requests/help-requests.schema.ts';
import { WEEKDAYS } from '../help-requests/matching.ts';

/** What a role can ask for and a volunteer can offer: a fixed list, so that filters match. */
export const VOLUNTEER_SKILLS = ['driving', 'translating', 'childcare', 'cooking', 'setup', 'accompanying', 'tutoring', 'it', 'firstAid', 'crafts'] as const;
export type VolunteerSkill = (typeof VOLUNTEER_SKILLS)[number];

/** A role needs at least one person and at most this many. */
export const MAX_PEOPLE_NEEDED = 100;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const blankToUndefined = (v: unknown) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v);
const id = idField;

export const roleInput = z
  .object({
    activityId: id(),
    /** Only when editing; the service checks it belongs to the activity and the organiser. */
    roleId: z.preprocess(blankToUndefined, id().optional()),
    name: requiredLine(120, 'error.title.tooLong'),
    peopleNeeded: z.preprocess(
      (v) => (v === null || v === undefined || v === '' ? undefined : v),
      z.coerce
        .number({ error: 'volunteer.error.peopleNeeded' })
        .int({ error: 'volunteer.error.peopleNeeded' })
        .min(1, { error: 'volunteer.error.peopleNeeded' })
        .max(MAX_PEOPLE_NEEDED, { error: 'volunteer.error.peopleNeeded' }),
    ),
    /** Wall-clock times on the activity's day in the town's zone; both empty = the activity's time. */
    startTime: z.preprocess(blankToUndefined, z.string().regex(TIME, { error: 'error.time.invalid' }).optional()),
    endTime: z.preprocess(blankToUndefined, z.string().regex(TIME, { error: 'error.time.invalid' }).optional()),
    whatToBring: optionalText(1000, 'volunteer.error.whatToBringTooLong'),
    skills: choiceList(VOLUNTEER_SKILLS),
    languages: choiceList(SPOKEN_LANGUAGES),
    /** Only when creating, for an activity in a series: one role on every upcoming date. */
    allDates: checkboxField(),
    /** Only when editing a role of a series date: also the role of that name on the following
     * dates, or on every date (see rolesInScope). */
    scope: scopeField(),
  })
  .superRefine((input, ctx) => {
    if (Boolean(input.startTime) !== Boolean(input.endTime)) {
      ctx.addIssue({ code: 'custom', path: [input.startTime ? 'endTime' : 'startTime'], message: 'volunteer.error.windowIncomplete' });
    } else if (input.startTime && input.endTime && input.endTime <= input.startTime) {
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'error.time.endBeforeStart' });
    }
  });
export type RoleInput = z.output<typeof roleInput>;

export const roleIdInput = z.object({ roleId: id() });
export const deleteRoleInput = z.object({ roleId: id(), scope: scopeField() });
export const signupIdInput = z.object({ signupId: id() });

export const messageInput = z.object({
  roleId: id(),
  subject: requiredLine(150, 'volunteer.error.subjectTooLong'),
  body: requiredText(5000, 'volunteer.error.bodyTooLong'),
});

/** The profile, with the help offered for help requests (matching reads it; no kinds ticked =
 * never told of requests). A child seat without a car could never be used, so it is refused
 * next to the field rather than silently dropped. */
export const profileInput = z
  .object({
    languages: choiceList(SPOKEN_LANGUAGES),
    skills: choiceList(VOLUNTEER_SKILLS),
    availability: optionalText(500, 'error.note.tooLong'),
    helpKinds: choiceList(HELP_KINDS),
    helpDays: choiceList(WEEKDAYS),
    hasCar: checkboxField(),
    hasChildSeat: checkboxField(),
    helpsAsWoman: checkboxField(),
  })
  .superRefine((input, ctx) => {
    if (input.hasChildSeat && !input.hasCar) ctx.addIssue({ code: 'custom', path: ['hasChildSeat'], message: 'helpMatching.error.childSeatNeedsCar' });
  });
export type ProfileInput = z.output<typeof profileInput>;

/** An organiser marks a volunteer of a shift as there ("yes") or undoes it ("no"). */
export const checkInInput = z.object({
  signupId: idField(),
  present: z.enum(['yes', 'no']).transform((v) => v === 'yes'),
});
