// Every form field the server takes is bounded, clean and safe to store and show: each string
// has a maximum length and each list a maximum count; no field keeps a NUL or another control
// character (PostgreSQL refuses a NUL in text), nor a right-to-left override or any other
// bidi embedding; single-line fields (titles, places, names) keep no line break; ids beyond
// PostgreSQL's integer range name nothing.
import type { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { AUDIENCES, LOCALES } from '../../src/db/schema.ts';
import * as accounts from '../../src/features/accounts/accounts.schema.ts';
import * as activities from '../../src/features/activities/activities.schema.ts';
import * as answers from '../../src/features/answers/answers.schema.ts';
import * as attendance from '../../src/features/attendance/attendance.schema.ts';
import * as helpRequests from '../../src/features/help-requests/help-requests.schema.ts';
import * as language from '../../src/features/language/language.schema.ts';
import * as mentoring from '../../src/features/mentoring/mentoring.schema.ts';
import * as notifications from '../../src/features/notifications/notifications.schema.ts';
import * as organisations from '../../src/features/organisations/organisations.schema.ts';
import * as consent from '../../src/features/privacy/consent.schema.ts';
import * as erasure from '../../src/features/privacy/erasure.schema.ts';
import * as retention from '../../src/features/privacy/retention.schema.ts';
import * as town from '../../src/features/privacy/town-details.schema.ts';
import { DEFAULT_RETENTION } from '../../src/features/privacy/retention-periods.ts';
import * as rsvps from '../../src/features/rsvps/rsvps.schema.ts';
import * as volunteering from '../../src/features/volunteering/volunteering.schema.ts';
import * as consultations from '../../src/features/consultations/consultations.schema.ts';
import * as hoursKeeping from '../../src/features/hours/keeping.schema.ts';
import * as hoursMine from '../../src/features/hours/my-hours.schema.ts';
import { cleanLine, cleanText, NOT_FOUND } from '../../src/lib/form-schema.ts';

type Schema = z.ZodType;
type Sample = Record<string, unknown>;

const activityForm: Sample = {
  organisationId: '1', title: 'Sprachcafé', description: 'Wir sprechen Deutsch.', sourceLocale: 'de', category: 'language',
  date: '2031-05-06', startTime: '15:00', endTime: '17:00', placeName: 'Stellwerk', address: 'Lennestraße 12', onlineUrl: 'https://meet.example.org/sprachcafe',
  capacity: '', deadlineDate: '', deadlineTime: '', languages: ['de'], germanLevel: '', audience: [], cost: '', contactName: '', repeat: 'none',
};
const request: Sample = { topics: ['german'], languages: ['ar'], note: '', contactPreference: 'coordinator', contactDetail: '' };

/** Every form schema, with an input it accepts. */
const FORMS: Array<[string, Schema, Sample]> = [
  ['signUp', accounts.signUpInput, { email: 'a@example.org', password: 'ein Passwort', displayName: 'Amal', locale: 'de' }],
  ['signIn', accounts.signInInput, { login: 'a@example.org', password: 'ein Passwort' }],
  ['changeEmail', accounts.changeEmailInput, { newEmail: 'b@example.org', password: 'ein Passwort' }],
  ['signInName', accounts.signInNameInput, { signInName: 'amal', password: 'ein Passwort' }],
  ['token', accounts.tokenInput, { token: 'abc' }],
  ['forgotPassword', accounts.forgotPasswordInput, { login: 'a@example.org' }],
  ['resetPassword', accounts.resetPasswordInput, { token: 'abc', password: 'ein Passwort' }],
  ['changePassword', accounts.changePasswordInput, { currentPassword: 'ein Passwort', newPassword: 'ein neues Passwort' }],
  ['updateProfile', accounts.updateProfileInput, { displayName: 'Amal', locale: 'ar' }],
  ['activity', activities.activityInput('Europe/Berlin'), activityForm],
  ['activityId', activities.activityIdInput, { activityId: '1' }],
  ['cancelActivity', activities.cancelActivityInput, { activityId: '1', reason: 'Krank', scope: 'this' }],
  ['publishActivity', activities.publishActivityInput, { activityId: '1', confirmPast: 'on' }],
  ['deleteDraft', activities.deleteDraftInput, { activityId: '1', scope: 'following' }],
  ['door', attendance.doorInput, { rsvpId: '1', to: 'checkedIn', arrived: '2' }],
  ['promote', attendance.promoteInput, { rsvpId: '1' }],
  ['walkIn', attendance.walkInInput, { activityId: '1', name: 'Olena', partySize: '2' }],
  ['apply', mentoring.applyInput, { topics: ['german'], languages: ['de'], maxMentees: '2', note: '', contactDetails: '0170 123', codeOfConduct: 'on' }],
  ['decide', mentoring.decideApplicationInput, { kuemmererId: '1', decision: 'approve', message: '' }],
  ['request', mentoring.requestInput, { ...request, consent: 'on' }],
  ['requestForPerson', mentoring.requestForPersonInput, { ...request, name: 'Yusuf', locale: 'ar', paperConsent: 'on', consentSignedOn: '2026-12-07' }],
  ['requestId', mentoring.requestIdInput, { requestId: '1' }],
  ['personId', mentoring.personIdInput, { personId: '1' }],
  ['assign', mentoring.assignInput, { requestId: '1', kuemmererId: '2' }],
  ['reassign', mentoring.reassignInput, { mentorshipId: '1', kuemmererId: '2' }],
  ['endMentorship', mentoring.endMentorshipInput, { mentorshipId: '1', reason: '' }],
  ['claimCode', mentoring.claimCodeInput, { code: 'ABCD-EFGH-JKLM' }],
  ['claim', mentoring.claimInput, { signInName: 'amal', email: '', password: 'ein Passwort' }],
  ['meeting', mentoring.meetingInput('Europe/Berlin'), { mentorshipId: '1', date: '2031-05-06', startTime: '15:00', endTime: '16:00', place: '', topics: [], privateNote: '' }],
  ['meetingId', mentoring.meetingIdInput, { meetingId: '1' }],
  ['helpRequest', helpRequests.requestInput('Europe/Berlin'), { kind: 'interpreting', when: 'time', date: '2031-05-06', time: '09:00', district: 'Altena-Mitte', address: 'Lennestraße 12', languages: ['fa'], wantsWoman: 'on', needsCar: '', needsChildSeat: '', note: '' }],
  ['helpRequestId', helpRequests.requestIdInput, { requestId: '1' }],
  ['finishHelpRequest', helpRequests.finishInput, { requestId: '1', outcome: 'done', minutes: '90' }],
  ['takeHelpRequest', helpRequests.takeInput, { requestId: '1', helperContact: '0170 555' }],
  ['thankHelper', helpRequests.thankInput, { requestId: '1', message: 'Danke!' }],
  ['createOrganisation', organisations.createOrganisationInput, { name: 'Verein', slug: 'verein', description: '' }],
  ['inviteMember', organisations.inviteMemberInput, { organisationId: '1', email: 'a@example.org', role: 'organiser', displayName: '', locale: 'de' }],
  ['updateOrganisation', organisations.updateOrganisationInput, { organisationId: '1', name: 'Verein', description: '', contactPhone: '', contactEmail: '' }],
  ['invitationId', organisations.invitationIdInput, { invitationId: '1' }],
  ['acceptInvitation', organisations.acceptInvitationInput, { token: 'abc', displayName: 'Amal', password: 'ein Passwort' }],
  ['removeMember', organisations.removeMemberInput, { organisationId: '1', userId: '2', role: 'organiser' }],
  ['createRsvp', rsvps.createRsvpInput, { activityId: '1', partySize: '1', note: '' }],
  ['changeRsvp', rsvps.changeRsvpInput, { rsvpId: '1', partySize: '2' }],
  ['cancelRsvp', rsvps.cancelRsvpInput, { rsvpId: '1' }],
  ['rsvpOnBehalf', rsvps.createRsvpOnBehalfInput, { activityId: '1', partySize: '1', note: '', email: 'a@example.org' }],
  ['role', volunteering.roleInput, { activityId: '1', name: 'Aufbau', peopleNeeded: '2', whatToBring: '', skills: [], languages: [] }],
  ['roleId', volunteering.roleIdInput, { roleId: '1' }],
  ['deleteRole', volunteering.deleteRoleInput, { roleId: '1', scope: 'all' }],
  ['signupId', volunteering.signupIdInput, { signupId: '1' }],
  ['message', volunteering.messageInput, { roleId: '1', subject: 'Danke', body: 'Danke fürs Helfen!' }],
  ['profile', volunteering.profileInput, { languages: [], skills: [], availability: '' }],
  ['consultationHour', consultations.hourInput, { organisationId: '1', date: '2030-06-03', startTime: '09:00', endTime: '11:00', slotMinutes: '20', weeks: '1', place: 'Rathaus', topics: ['housing'], languages: ['de'] }],
  ['consultationBook', consultations.bookInput, { slotId: '1', topic: 'housing', language: 'fa', note: '' }],
  ['checkIn', volunteering.checkInInput, { signupId: '1', present: 'yes' }],
  ['hoursCorrection', hoursMine.correctionInput('Europe/Berlin'), { entryId: '1', date: '2030-06-12', time: '09:30', hours: '2', minutes: '30' }],
  ['hoursRecognition', hoursMine.recognitionInput, { enabled: 'on', state: 'NW', cardName: 'Ehrenamtskarte NRW', hoursPerYear: '250', hoursPerWeek: '5' }],
  ['hoursConfirm', hoursKeeping.confirmInput, { scope: 'stellwerk', month: '2030-06', entryIds: ['1', '2'] }],
  ['hoursEntry', hoursKeeping.entryInput, { scope: 'stellwerk', month: '2030-06', entryId: '1' }],
  ['hoursByHand', hoursKeeping.byHandInput, { scope: 'stellwerk', month: '2030-06', userIds: ['1'], date: '2030-06-12', startTime: '09:30', hours: '2', minutes: '30', description: 'Schulung Erste Hilfe', place: 'Rathaus', activityId: '' }],
  ['consultationBooking', consultations.bookingIdInput, { bookingId: '1' }],
  ['consultationAttendance', consultations.attendanceInput, { bookingId: '1', attendance: 'present' }],
  ['consultationWalkIn', consultations.walkInInput, { hourId: '1', name: 'Leyla', topic: 'housing', language: 'tr', note: '' }],
  ['consultationWalkInAttendance', consultations.walkInAttendanceInput, { walkInId: '1', attendance: 'present' }],
  ['consultationHourId', consultations.hourIdInput, { hourId: '1' }],
  ['consultationHourChange', consultations.hourChangeInput, { hourId: '1', place: 'Rathaus', topics: ['housing'], languages: ['de'] }],
  ['recordPaperConsent', consent.recordPaperConsentInput, { personId: '1', purpose: 'mentoring_needs', consentSignedOn: '2026-12-07' }],
  ['withdrawConsent', consent.withdrawConsentInput, { consentId: '1' }],
  ['answer', answers.answerInput, { token: 'a7bq2mx4kp9rt3vw5yz6ce8dfgh', answer: 'not_coming' }],
  [
    'notificationSettings',
    notifications.notificationSettingsInput,
    { reminders: ['email'], changes: ['email', 'telegram'], waitlist: [], shifts: ['telegram'], mentoring: ['email'], weekly_programme: [], categories: ['language'], noGermanNeeded: 'on', childcare: '' },
  ],
  ['chooseLanguage', language.chooseLanguageInput, { locale: 'uk', path: '/activities?category=language' }],
  ['deleteOwnAccount', erasure.deleteOwnAccountInput, { password: 'ein Passwort' }],
  ['deleteOnBehalf', erasure.deleteOnBehalfInput, { personId: '1', confirm: 'on' }],
  ['retentionPeriods', retention.retentionPeriodsInput, Object.fromEntries(Object.entries(DEFAULT_RETENTION).map(([key, value]) => [key, String(value)]))],
  [
    'townController',
    town.controllerInput,
    { controllerName: 'Stadt Altena', controllerAddress: 'Lüdenscheider Straße 22\n58762 Altena', controllerEmail: 'datenschutz@altena.example', controllerPhone: '02352 2090', dpoName: 'Dana Datenschutz', dpoEmail: 'dsb@altena.example', dpoAddress: '', supervisoryAuthority: '', supervisoryUrl: '', processors: '' },
  ],
  [
    'townLegalNotice',
    town.legalNoticeInput,
    { noticeProvider: 'Stadt Altena', noticeRepresentative: '', noticeAddress: 'Lüdenscheider Straße 22\n58762 Altena', noticeEmail: 'info@altena.example', noticePhone: '02352 2090', noticeRegister: '', noticeVatId: '', contentResponsible: 'Die Bürgermeisterin, Anschrift wie oben' },
  ],
  [
    'townAccessibility',
    town.accessibilityInput,
    { accessibilityStatus: 'partial', knownIssues: 'Ältere PDF-Dateien sind nicht barrierefrei.', feedbackEmail: 'barrierefrei@altena.example', feedbackPhone: '', enforcementName: 'Ombudsstelle für barrierefreie Informationstechnik', enforcementAddress: 'Fürstenwall 25\n40219 Düsseldorf', enforcementUrl: 'https://example.org/ombudsstelle' },
  ],
];

/** Every feature's schema module, found by name, so that a new one cannot be forgotten here. */
const schemaModules = import.meta.glob<Record<string, unknown>>('../../src/features/*/*.schema.ts', { eager: true });

/** Fields written in a <textarea>: they may hold line breaks. All others are single lines. */
const MULTI_LINE = /^(?:description(?:_\w+)?|note|contactDetails|message|reason|whatToBring|body|availability|privateNote|\w+Address|processors|knownIssues|contentResponsible)$/;
/** Fields taken exactly as typed (only their hash is kept). */
const AS_TYPED = /password|^token$/i;

/** The field names of a form, also through refinements and transforms. */
function fieldsOf(schema: Schema): string[] {
  let current = schema as unknown as { _zod: { def: { shape?: Record<string, unknown>; in?: unknown } } };
  while (!current._zod.def.shape && current._zod.def.in) current = current._zod.def.in as typeof current;
  return Object.keys(current._zod.def.shape ?? {});
}

/** Every value any list field could take, to try each list with. */
const LIST_VALUES = [...LOCALES, ...activities.SPOKEN_LANGUAGES, ...AUDIENCES, ...mentoring.MENTORING_TOPICS, ...volunteering.VOLUNTEER_SKILLS, ...consultations.CONSULTATION_TOPICS];

function issueAt(result: z.ZodSafeParseResult<unknown>, field: string): boolean {
  return !result.success && result.error.issues.some((issue) => issue.path[0] === field);
}

function outputOf(result: z.ZodSafeParseResult<unknown>, field: string): unknown {
  return result.success ? (result.data as Record<string, unknown>)[field] : undefined;
}

describe('every form', () => {
  it('is in this list: a schema a feature exports cannot be left out of these checks', () => {
    const listed = new Set(FORMS.map(([, schema]) => schema));
    expect(Object.keys(schemaModules), 'the modules are found').toContain('../../src/features/language/language.schema.ts');
    const missing = Object.entries(schemaModules).flatMap(([file, exports]) =>
      Object.entries(exports)
        .filter(([, value]) => typeof value === 'object' && value !== null && '_zod' in value && !listed.has(value as Schema))
        .map(([name]) => `${/([\w-]+)\.schema\.ts$/.exec(file)![1]}.${name}`),
    );
    // Building blocks of other schemas, not forms of their own.
    expect(missing.filter((name) => !['organisations.contactInput'].includes(name))).toEqual([]);
  });

  it.each(FORMS)('%s: accepts its sample', (_name, schema, sample) => {
    const result = schema.safeParse(sample);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it.each(FORMS)('%s: refuses a field of 100,000 characters or a list of 1,000 entries, or keeps little of it', (_name, schema, sample) => {
    for (const field of fieldsOf(schema)) {
      const huge = schema.safeParse({ ...sample, [field]: '1'.repeat(100_000) });
      if (!issueAt(huge, field)) expect(JSON.stringify(outputOf(huge, field) ?? '').length, `${field} took 100,000 characters`).toBeLessThan(10_000);
      for (const value of new Set(LIST_VALUES)) {
        const many = schema.safeParse({ ...sample, [field]: Array.from({ length: 1_000 }, () => value) });
        if (!issueAt(many, field)) expect(JSON.stringify(outputOf(many, field) ?? '').length, `${field} took 1,000 × ${value}`).toBeLessThan(10_000);
      }
    }
  });

  it.each(FORMS)('%s: keeps no NUL, no control character and no bidi embedding; single lines keep no line break', (_name, schema, sample) => {
    for (const field of fieldsOf(schema)) {
      if (typeof sample[field] !== 'string' || AS_TYPED.test(field)) continue;
      for (const [what, value] of [
        ['NUL', 'Amal\u0000 Haddad'],
        ['escape', 'Amal\u001b[31m Haddad'],
        ['right-to-left override', 'Amal \u202Egnp.exe'],
        ['isolate', '\u2067Amal\u2069 Haddad'],
        ['line break', 'Amal\r\nHaddad'],
        ['line separator', 'Amal\u2028Haddad'],
      ] as const) {
        // Alone, and after what the field takes (a path that begins with "/", a code).
        for (const typed of [value, `${sample[field]}${value}`]) {
          const result = schema.safeParse({ ...sample, [field]: typed });
          if (!result.success) continue; // refused: fine (a slug, a date, an e-mail address)
          const kept = String(outputOf(result, field) ?? '');
          expect(kept, `${field} kept the ${what}`).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
          if (!MULTI_LINE.test(field)) expect(kept, `${field} kept the ${what}`).not.toMatch(/[\r\n\u2028\u2029]/);
        }
      }
    }
  });

  it.each(FORMS)('%s: an id beyond PostgreSQL’s integer range names nothing (404, not a database error)', (_name, schema, sample) => {
    // A VAT id (Umsatzsteuer-ID) is the tax office's number, not a row of ours.
    for (const field of fieldsOf(schema).filter((f) => /Id$/.test(f) && f !== 'noticeVatId')) {
      for (const value of ['2147483648', '99999999999999999999', '1e3', '-1', '0', 'abc']) {
        const result = schema.safeParse({ ...sample, [field]: value });
        expect(issueAt(result, field), `${field} = ${value}`).toBe(true);
        const messages = result.success ? [] : result.error.issues.filter((i) => i.path[0] === field).map((i) => i.message);
        expect(new Set(messages), `${field} = ${value}`).toEqual(new Set([NOT_FOUND]));
      }
      expect(issueAt(schema.safeParse({ ...sample, [field]: '2147483647' }), field), field).toBe(false);
    }
  });
});

describe('cleaning text', () => {
  it('keeps what people write: any script, emoji, marks of direction, paragraphs in a text', () => {
    const arabic = 'مقهى اللغة\u200F في المكتبة';
    expect(cleanLine(arabic)).toBe(arabic);
    expect(cleanLine('Olena 👩‍👧 Коваленко')).toBe('Olena 👩‍👧 Коваленко');
    expect(cleanText('Erster Absatz.\r\n\r\nZweiter\tAbsatz.')).toBe('Erster Absatz.\r\n\r\nZweiter\tAbsatz.');
  });

  it('joins the lines of a single-line field with a space and drops what no keyboard types', () => {
    expect(cleanLine('Lennestraße 12\r\n58762 Altena')).toBe('Lennestraße 12 58762 Altena');
    expect(cleanLine('Sprach\u0000café')).toBe('Sprachcafé');
    expect(cleanLine('\u202EAmal')).toBe('Amal');
    expect(cleanText('Zeile\u0000 eins\u202E')).toBe('Zeile eins');
  });
});
