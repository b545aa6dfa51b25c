// The consultation-hour forms: an organisation publishing hours, a newcomer booking a slot,
// cancelling it, and the office marking who came. Messages are message keys.
import { z } from 'astro/zod';
import { checkboxField, choiceList, idField, optionalLine, optionalText, requiredLine } from '../../lib/form-schema.ts';
import { SPOKEN_LANGUAGES } from '../activities/activities.schema.ts';

/** What a consultation can be about: a fixed list, so that hours and bookings match. */
export const CONSULTATION_TOPICS = ['housing', 'residence', 'qualifications', 'work', 'school', 'health', 'other'] as const;
export type ConsultationTopic = (typeof CONSULTATION_TOPICS)[number];

/** Slot lengths an office can choose, in minutes. */
export const SLOT_MINUTES = ['10', '15', '20', '30', '45', '60'] as const;
/** A weekly hour is published for at most this many weeks at once. */
export const MAX_WEEKS = 12;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const hourInput = z
  .object({
    organisationId: idField(),
    date: z.string({ error: 'error.required' }).regex(DATE, { error: 'consultations.error.date' }),
    startTime: z.string({ error: 'error.required' }).regex(TIME, { error: 'error.time.invalid' }),
    endTime: z.string({ error: 'error.required' }).regex(TIME, { error: 'error.time.invalid' }),
    slotMinutes: z.enum(SLOT_MINUTES, { error: 'error.choices.invalid' }).transform(Number),
    /** 1: once; more: the same time each week for that many weeks. */
    weeks: z.coerce.number({ error: 'consultations.error.weeks' }).int({ error: 'consultations.error.weeks' }).min(1, { error: 'consultations.error.weeks' }).max(MAX_WEEKS, { error: 'consultations.error.weeks' }),
    remote: checkboxField(),
    place: optionalLine(200, 'consultations.error.placeTooLong'),
    topics: choiceList(CONSULTATION_TOPICS),
    languages: choiceList(SPOKEN_LANGUAGES),
  })
  .superRefine((input, ctx) => {
    if (input.endTime <= input.startTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'error.time.endBeforeStart' });
    if (!input.remote && !input.place) ctx.addIssue({ code: 'custom', path: ['place'], message: 'consultations.error.place' });
    if (input.topics.length === 0) ctx.addIssue({ code: 'custom', path: ['topics'], message: 'consultations.error.topics' });
    if (input.languages.length === 0) ctx.addIssue({ code: 'custom', path: ['languages'], message: 'consultations.error.languages' });
  });
export type HourInput = z.output<typeof hourInput>;

export const bookInput = z.object({
  slotId: idField(),
  /** The person the slot is for, when a Kümmerer or coordinator books on their behalf; absent
   * or empty: the signed-in person themselves. */
  forUserId: z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), idField().optional()),
  topic: z.enum(CONSULTATION_TOPICS, { error: 'consultations.error.topic' }),
  language: z.enum(SPOKEN_LANGUAGES, { error: 'consultations.error.language' }),
  note: optionalText(500, 'consultations.error.noteTooLong'),
  /** Art. 9 GDPR: the topic "health" tells the office the visit is about health; only with
   * the person's explicit consent (on behalf: the booker confirms the person agreed). */
  healthConsent: checkboxField(),
});
export type BookInput = z.output<typeof bookInput>;

export const bookingIdInput = z.object({ bookingId: idField() });

export const attendanceInput = z.object({
  bookingId: idField(),
  attendance: z.enum(['present', 'no_show'], { error: 'error.choices.invalid' }),
});

/** What booking needs; on behalf and the health consent are optional for callers. */
export type BookRequest = Pick<BookInput, 'slotId' | 'topic' | 'language' | 'note'> & { forUserId?: number | undefined; healthConsent?: boolean };

export const walkInInput = z.object({
  hourId: idField(),
  name: requiredLine(100, 'consultations.error.nameTooLong'),
  topic: z.enum(CONSULTATION_TOPICS, { error: 'consultations.error.topic' }),
  language: z.enum(SPOKEN_LANGUAGES, { error: 'consultations.error.language' }),
  note: optionalText(500, 'consultations.error.noteTooLong'),
});
export type WalkInInput = z.output<typeof walkInInput>;

export const walkInAttendanceInput = z.object({
  walkInId: idField(),
  attendance: z.enum(['present', 'no_show'], { error: 'error.choices.invalid' }),
});

export const hourIdInput = z.object({ hourId: idField() });

/** Staff change a coming hour's place, remote, topics and languages; its times stay. */
export const hourChangeInput = z
  .object({
    hourId: idField(),
    remote: checkboxField(),
    place: optionalLine(200, 'consultations.error.placeTooLong'),
    topics: choiceList(CONSULTATION_TOPICS),
    languages: choiceList(SPOKEN_LANGUAGES),
  })
  .superRefine((input, ctx) => {
    if (!input.remote && !input.place) ctx.addIssue({ code: 'custom', path: ['place'], message: 'consultations.error.place' });
    if (input.topics.length === 0) ctx.addIssue({ code: 'custom', path: ['topics'], message: 'consultations.error.topics' });
    if (input.languages.length === 0) ctx.addIssue({ code: 'custom', path: ['languages'], message: 'consultations.error.languages' });
  });
export type HourChangeInput = z.output<typeof hourChangeInput>;
