// The mentoring forms. Topics and contact ways are fixed lists (translated on the pages);
// languages are the spoken-language codes activities use. Fields a form does not offer
// (status, user ids, roles) are not part of any schema, so they are ignored.
import { z } from 'astro/zod';
import { LOCALES } from '../../db/schema.ts';
import { zonedSpan } from '../../i18n/format.ts';
import { checkboxField, idField, optionalLine, optionalText, passwordField, requiredLine, requiredText } from '../../lib/form-schema.ts';
import { SPOKEN_LANGUAGES } from '../activities/activities.schema.ts';
import { signedOnField, tickedBox } from '../privacy/consent.schema.ts';

/** What a Kümmerer can help with (the Altena scheme's areas). */
export const MENTORING_TOPICS = ['german', 'qualifications', 'jobs', 'paperwork', 'school', 'housing', 'health', 'everyday'] as const;
export type MentoringTopic = (typeof MENTORING_TOPICS)[number];

export const CONTACT_PREFERENCES = ['email', 'phone', 'messenger', 'coordinator', 'in_person'] as const;
export type ContactPreferenceChoice = (typeof CONTACT_PREFERENCES)[number];

/** The ways a person can be reached: "by e-mail" only when they have an address. */
export function contactPreferencesFor(hasEmail: boolean): readonly ContactPreferenceChoice[] {
  return hasEmail ? CONTACT_PREFERENCES : CONTACT_PREFERENCES.filter((c) => c !== 'email');
}

export const MENTORING_LANGUAGES = SPOKEN_LANGUAGES;

/** Altena's Kümmerer look after a few people each; five keeps it personal. */
export const MAX_MENTEES_LIMIT = 5;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const blankToUndefined = (v: unknown) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v);
const checkbox = checkboxField();
const id = idField;

/**
 * Several checkboxes with one name; at least one must be ticked, unknown values are refused.
 * Astro gathers all values of a name only when the field's schema starts as a plain array (it
 * looks through pipes to their input), so the array comes first and the rules follow in a pipe.
 * A browser sends each value once: a list longer than the choices is refused.
 */
const ticked = <T extends string>(allowed: readonly T[], missing: string, atLeastOne = true) =>
  z
    .array(z.string())
    .max(allowed.length, { error: 'error.choices.invalid' })
    .pipe(z.array(z.enum(allowed as unknown as [T, ...T[]], { error: missing })).min(atLeastOne ? 1 : 0, { error: missing }))
    .transform((values) => [...new Set(values)]);

export const topicsField = () => ticked(MENTORING_TOPICS, 'mentoring.error.topics');
export const languagesField = () => ticked(MENTORING_LANGUAGES, 'mentoring.error.languages');

export const applyInput = z.object({
  topics: topicsField(),
  languages: languagesField(),
  maxMentees: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'mentoring.error.maxMentees' }).int({ error: 'mentoring.error.maxMentees' }).min(1, { error: 'mentoring.error.maxMentees' }).max(MAX_MENTEES_LIMIT, { error: 'mentoring.error.maxMentees' }),
  ),
  note: optionalText(500, 'error.note.tooLong'),
  contactDetails: requiredText(500, 'error.note.tooLong'),
  codeOfConduct: checkbox.refine((v) => v, { error: 'mentoring.error.codeOfConduct' }),
});
export type ApplyInput = z.output<typeof applyInput>;

export const decideApplicationInput = z
  .object({
    kuemmererId: id(),
    decision: z.enum(['approve', 'decline', 'pause', 'resume']),
    message: optionalText(500, 'error.note.tooLong'),
  })
  .superRefine((input, ctx) => {
    if (input.decision === 'decline' && !input.message) ctx.addIssue({ code: 'custom', path: ['message'], message: 'mentoring.error.declineMessage' });
  });

const requestFields = {
  topics: topicsField(),
  languages: languagesField(),
  note: optionalText(500, 'error.note.tooLong'),
  contactPreference: z.preprocess((v) => v ?? '', z.enum(CONTACT_PREFERENCES, { error: 'mentoring.error.contactPreference' })),
  contactDetail: optionalLine(500, 'error.note.tooLong'),
};

function contactDetailNeeded(input: { contactPreference: string; contactDetail: string }, ctx: z.RefinementCtx): void {
  // Phone and messenger need a number or name; e-mail uses the account's address.
  if ((input.contactPreference === 'phone' || input.contactPreference === 'messenger') && !input.contactDetail) {
    ctx.addIssue({ code: 'custom', path: ['contactDetail'], message: 'mentoring.error.contactDetail' });
  }
}

/** The newcomer's own request carries their explicit consent to share it (consent.records.ts). */
export const requestInput = z.object({ ...requestFields, consent: tickedBox('consent.error.required') }).superRefine(contactDetailNeeded);
export type RequestInput = z.output<typeof requestInput>;

/** A coordinator registers a person who has no account (and no e-mail address). */
export const requestForPersonInput = z
  .object({
    ...requestFields,
    name: requiredLine(80, 'error.displayName.tooLong'),
    locale: z.preprocess((v) => v ?? '', z.enum(LOCALES, { error: 'error.locale.invalid' })),
    // The coordinator confirms that the person signed the consent form, and when.
    paperConsent: tickedBox('consent.error.confirmPaper'),
    consentSignedOn: signedOnField(),
  })
  .superRefine((input, ctx) => {
    contactDetailNeeded(input, ctx);
    // The person has no address (that is why the coordinator registers them): nobody can write to it.
    if (!contactPreferencesFor(false).includes(input.contactPreference)) ctx.addIssue({ code: 'custom', path: ['contactPreference'], message: 'mentoring.error.noEmailPerson' });
  });
export type RequestForPersonInput = z.output<typeof requestForPersonInput>;

export const requestIdInput = z.object({ requestId: id() });
export const personIdInput = z.object({ personId: id() });

export const assignInput = z.object({ requestId: id(), kuemmererId: id() });
export const reassignInput = z.object({ mentorshipId: id(), kuemmererId: id() });

export const endMentorshipInput = z.object({
  mentorshipId: id(),
  reason: optionalText(500, 'error.note.tooLong'),
});

/** The first step at /claim: the code from the sheet. */
export const claimCodeInput = z.object({ code: requiredLine(40, 'mentoring.error.claimCode') });

/** The second step: sign-in name, password, e-mail (the code comes from the first step's cookie). */
export const claimInput = z.object({
  signInName: optionalLine(64, 'signInName.error.length'),
  email: optionalLine(254, 'error.email.invalid').pipe(
    z.union([z.literal(''), z.email({ error: 'error.email.invalid' }).transform((v) => v.toLowerCase())]),
  ),
  password: passwordField(),
});

/** A meeting's date and times are typed in the town's zone and become instants here. */
export function meetingInput(timeZone: string) {
  return z
    .object({
      mentorshipId: id(),
      meetingId: z.preprocess(blankToUndefined, id().optional()),
      date: z.preprocess((v) => v ?? '', z.string().regex(DATE, { error: 'error.date.invalid' })),
      startTime: z.preprocess((v) => v ?? '', z.string().regex(TIME, { error: 'error.time.invalid' })),
      endTime: z.preprocess((v) => v ?? '', z.string().regex(TIME, { error: 'error.time.invalid' })),
      place: optionalLine(200),
      topics: ticked(MENTORING_TOPICS, 'mentoring.error.topics', false),
      privateNote: optionalText(2000, 'mentoring.error.privateNoteTooLong'),
    })
    .superRefine((input, ctx) => {
      if (DATE.test(input.date) && TIME.test(input.startTime) && TIME.test(input.endTime) && input.endTime <= input.startTime) {
        ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'error.time.endBeforeStart' });
      }
    })
    .transform((input) => {
      const [y, m, d] = input.date.split('-').map(Number) as [number, number, number];
      const { startsAt, endsAt } = zonedSpan(timeZone, { y, m, d }, input.startTime, input.endTime);
      return {
        mentorshipId: input.mentorshipId,
        meetingId: input.meetingId,
        startsAt,
        endsAt,
        place: input.place,
        topics: input.topics,
        privateNote: input.privateNote,
      };
    });
}
export type MeetingInput = z.output<ReturnType<typeof meetingInput>>;

export const meetingIdInput = z.object({ meetingId: id() });
