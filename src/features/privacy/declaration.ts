// The one declaration of the personal data the portal holds: for every table and every column,
// what it is, why it is kept and on which legal basis, who sees it, how long it is kept, how it
// is exported and what erasing a person does to it. Export, erasure, retention, the privacy
// notice and the records of processing (Art. 30 GDPR) are all read from here, and a test
// compares it with the live schema, so that a new table or column cannot be forgotten.
//
// Words used below:
// - A "person column" holds an app_user id. Its `rows` says whose the row is: 'own' rows are
//   that person's data (in their export, and erased with them); 'about' rows are someone
//   else's but name the person (a mail to a Kümmerer about their newcomer): not in the
//   person's export, erased with them; 'actor' rows only record that the person did something
//   (registered someone, decided an application): erasing them removes the link, and the row
//   stays with whoever it is about.
// - `erase` is what happens to a value when its row is kept but made anonymous.
import type { Database } from '../../db/schema.ts';
import type { RetentionKey } from './retention-periods.ts';

export type TableName = keyof Database;

/** Who can see the data, besides the site's technical operators. */
export type Viewer = 'the_person' | 'their_kuemmerer' | 'their_helper' | 'their_newcomers' | 'coordinators' | 'organisers' | 'site_admins' | 'everyone';

/** Art. 6 (and 9) GDPR. */
export type LegalBasis =
  /** Art. 6(1)(b): what the person asked the portal to do (an account, an RSVP, a shift). */
  | 'contract'
  /** Art. 6(1)(a) with 9(2)(a): the person's explicit consent (recorded in `consent`). */
  | 'explicit_consent'
  /** Art. 6(1)(f): the security of the portal and its users (audit log, rate limits). */
  | 'legitimate_interests';

/** The groups the privacy notice and the export speak of. */
export type DataCategory =
  | 'account'
  | 'sign_in'
  | 'calendar'
  | 'rsvps'
  | 'volunteering'
  | 'kuemmerer'
  | 'mentoring'
  | 'meeting_notes'
  | 'consultations'
  | 'help_requests'
  | 'consents'
  | 'messages'
  | 'organisations'
  | 'activities'
  | 'security_log';

/** How long rows are kept. */
export type Kept =
  /** Until the person deletes the account (or retention deletes an inactive one). */
  | { while: 'account' }
  /** A period a site admin sets (src/features/privacy/retention-periods.ts). */
  | { period: RetentionKey }
  /** Until the row's own expiry time passes (sessions, links, codes, rate-limit windows). */
  | { until: 'expiry' }
  /** As long as the organisation or activity it belongs to. */
  | { while: 'organisation' };

export type ColumnKind =
  /** A row number or technical value that names nobody by itself. */
  | 'technical'
  /** Not about a person: an activity's title, an organisation's name, a status. */
  | 'not_personal'
  /** An app_user id (see PersonColumn). */
  | 'person'
  /** A name, sign-in name or pseudonym. */
  | 'identity'
  /** An e-mail address, phone number or messenger name. */
  | 'contact'
  /** Text typed by or about a person. */
  | 'free_text'
  /** May reveal special-category data (Art. 9): needs, topics of a mentoring, notes of it. */
  | 'special'
  /** A hash of a secret (password, token, code): never exported, never shown. */
  | 'secret'
  /** Another fact about a person: a time, a party size, languages, a status of theirs. */
  | 'fact';

/** What a value becomes when its row is kept but made anonymous. */
export type ColumnErasure = 'keep' | 'blank' | 'null' | 'pseudonym';

export interface ColumnDeclaration {
  kind: ColumnKind;
  /** What it holds, in the words of the records of processing (English). */
  holds: string;
  /** In the export of the person the row belongs to: the value, only whether it is set, or not at all. */
  export: 'value' | 'existence' | 'omit';
  erase: ColumnErasure;
  /** A value kept for less time than its row (an RSVP's note goes long before the RSVP is
   * made anonymous): the period it follows instead of the table's `kept`. */
  kept?: Kept;
  /** For a column that holds a person's id in some rows only (an audit event's object): the
   * column and value that mark those rows. Erasing the person gives them the pseudonym. */
  personWhen?: { column: string; equals: string };
  /** Only in the export of a person the row reaches through one of these person columns (of
   * this table or of its `through` table): the Kümmerer's working notes are in the Kümmerer's
   * export, not in the newcomer's own. A coordinator's export for a formal access request
   * holds them all the same. */
  exportedVia?: readonly string[];
  /** Context exported with the value, so that the export reads on its own: columns of the row
   * the value points to (an RSVP's activity and its time, the other person's name). */
  label?: ExportLabel;
}

export interface ExportLabel {
  /** The context's key beside the column in the export (stable, documented with the export). */
  key: string;
  /** The table the value points to, by its `id`. */
  table: TableName;
  /** The columns shown; one with a label of its own brings that along too. */
  columns: readonly string[];
}

export interface PersonColumn extends ColumnDeclaration {
  kind: 'person';
  /** 'own': the row is that person's data; 'about': someone else's row that names them;
   * 'actor': the person only did something to it. */
  rows: 'own' | 'about' | 'actor';
  /** Whether the rows that name the person here are in their export; by default their 'own'
   * rows are. The security log's events are in the export of whoever did them. */
  exportRows?: boolean;
  /** When the person this column names is erased: the row goes, it stays anonymous (the
   * other columns get their `erase`), the link is cut, or it is replaced with a pseudonym. */
  onErasure: 'delete_row' | 'anonymise_row' | 'set_null' | 'pseudonym';
}

export interface TableDeclaration {
  category: DataCategory;
  /** What the rows are, for the records (English). */
  what: string;
  /** Why the portal keeps them (English, for the records; the notice has its own words). */
  purpose: string;
  legalBasis: LegalBasis;
  seenBy: readonly Viewer[];
  kept: Kept;
  /** Rows that belong to a person through another table's person column (a meeting through
   * its mentorship): the column here and the table it points to. */
  through?: { column: string; table: TableName };
  /** The key of these rows in a person's JSON export (stable: documented in the README). */
  exportKey: string | null;
  columns: Readonly<Record<string, ColumnDeclaration | PersonColumn>>;
}

export interface NotPersonalTable {
  personal: false;
  /** Why nothing in it is about a person. */
  why: string;
  columns: readonly string[];
}

// Short constructors, so that each column reads as one line.
const technical = (holds: string): ColumnDeclaration => ({ kind: 'technical', holds, export: 'value', erase: 'keep' });
const hidden = (holds: string): ColumnDeclaration => ({ kind: 'technical', holds, export: 'omit', erase: 'keep' });
const notPersonal = (holds: string): ColumnDeclaration => ({ kind: 'not_personal', holds, export: 'value', erase: 'keep' });
const fact = (holds: string, erase: ColumnErasure = 'keep'): ColumnDeclaration => ({ kind: 'fact', holds, export: 'value', erase });
const identity = (holds: string, erase: ColumnErasure = 'null'): ColumnDeclaration => ({ kind: 'identity', holds, export: 'value', erase });
const contact = (holds: string, erase: ColumnErasure = 'blank'): ColumnDeclaration => ({ kind: 'contact', holds, export: 'value', erase });
const freeText = (holds: string, erase: ColumnErasure = 'blank'): ColumnDeclaration => ({ kind: 'free_text', holds, export: 'value', erase });
const special = (holds: string, erase: ColumnErasure = 'blank'): ColumnDeclaration => ({ kind: 'special', holds, export: 'value', erase });
const secret = (holds: string): ColumnDeclaration => ({ kind: 'secret', holds, export: 'existence', erase: 'null' });
const own = (holds: string, onErasure: PersonColumn['onErasure']): PersonColumn => ({ kind: 'person', holds, export: 'value', erase: 'null', rows: 'own', onErasure });
const actor = (holds: string, onErasure: 'set_null' | 'pseudonym' = 'set_null'): PersonColumn => ({
  kind: 'person',
  holds,
  export: 'omit',
  erase: onErasure === 'pseudonym' ? 'pseudonym' : 'null',
  rows: 'actor',
  onErasure,
});
const created = technical('When the row was made');
const updated = technical('When the row was last changed');

export const PERSONAL_DATA = {
  app_user: {
    category: 'account',
    what: 'The account: name, e-mail address or sign-in name, language, password hash',
    purpose: 'Let the person sign in, be addressed by name and receive mails in their language',
    legalBasis: 'contract',
    seenBy: ['the_person', 'coordinators', 'organisers', 'site_admins'],
    kept: { while: 'account' },
    exportKey: 'account',
    columns: {
      id: { ...own('The account itself', 'delete_row'), export: 'value' },
      email: contact('E-mail address (null for a person without one)', 'null'),
      email_verified_at: fact('When the address was confirmed'),
      password_hash: secret('Argon2id hash of the password'),
      display_name: identity('The name others see', 'keep'),
      sign_in_name: identity('Sign-in name of a person without an e-mail address'),
      registered_by_coordination: fact('Whether a coordinator registered the person'),
      locale: fact('Language of pages and mails'),
      is_admin: fact('Whether the person is a site admin'),
      last_signed_in_at: fact('Last sign-in, for deleting accounts nobody uses'),
      inactivity_warned_at: fact('When the person was warned that an unused account will be deleted'),
      created_at: created,
      updated_at: updated,
    },
  },
  session: {
    category: 'sign_in',
    what: 'Signed-in sessions (one per device)',
    purpose: 'Keep the person signed in',
    legalBasis: 'contract',
    seenBy: ['the_person'],
    kept: { until: 'expiry' },
    exportKey: 'sessions',
    columns: {
      id: hidden('Session id (half of the cookie)'),
      user_id: own('Whose session', 'delete_row'),
      secret_hash: secret('SHA-256 of the cookie secret'),
      created_at: fact('When the person signed in'),
      last_verified_at: fact('When the session was last used'),
    },
  },
  email_token: {
    category: 'sign_in',
    what: 'Links mailed to confirm an address, reset a password or change the address',
    purpose: 'Confirm that the person owns the address',
    legalBasis: 'contract',
    seenBy: ['the_person'],
    kept: { until: 'expiry' },
    exportKey: 'email_links',
    columns: {
      token_hash: secret('SHA-256 of the link secret'),
      user_id: own('Whose link', 'delete_row'),
      purpose: fact('What the link is for'),
      new_email: contact('The address asked for, until confirmed', 'null'),
      expires_at: fact('When the link stops working'),
      used_at: fact('When the link was used'),
      created_at: created,
    },
  },
  claim_code: {
    category: 'sign_in',
    what: 'Codes a coordinator prints for a person without an e-mail address',
    purpose: 'Let a person registered by a coordinator take over the account, or choose a new password',
    legalBasis: 'contract',
    seenBy: ['the_person', 'coordinators'],
    kept: { until: 'expiry' },
    exportKey: 'claim_codes',
    columns: {
      user_id: own('Whose code', 'delete_row'),
      code_hash: secret('SHA-256 of the code'),
      created_by: actor('The coordinator who made the code'),
      created_at: fact('When the code was made'),
      expires_at: fact('When the code stops working'),
      used_at: fact('When the code was used'),
    },
  },
  calendar_token: {
    category: 'calendar',
    what: 'The secret address of the personal calendar feed',
    purpose: "Let the person's calendar app show their RSVPs, shifts and meetings",
    legalBasis: 'contract',
    seenBy: ['the_person'],
    kept: { while: 'account' },
    exportKey: 'calendar_address',
    columns: {
      user_id: own('Whose calendar address', 'delete_row'),
      token_hash: secret('SHA-256 of the address secret'),
      created_at: fact('When the address was made'),
      last_used_at: fact('When a calendar app last read it'),
    },
  },
  rsvp: {
    category: 'rsvps',
    what: 'RSVPs: who comes to which activity, with how many, a note, and whether they came',
    purpose: 'Keep a seat, run the waitlist, check people in at the door, count who came',
    legalBasis: 'contract',
    seenBy: ['the_person', 'organisers', 'coordinators'],
    kept: { period: 'attendanceMonths' },
    exportKey: 'rsvps',
    columns: {
      id: technical('Row number'),
      activity_id: { ...notPersonal('The activity'), label: { key: 'activity', table: 'activity', columns: ['title', 'starts_at', 'ends_at'] } },
      user_id: own('Who comes (null for a walk-in or an anonymised row)', 'anonymise_row'),
      walk_in_name: { ...identity('Name of someone who came without an account'), kept: { period: 'rsvpNotesDays' } },
      party_size: fact('How many come'),
      note: { ...freeText('A note to the organisers (e.g. needs a wheelchair space)'), kept: { period: 'rsvpNotesDays' } },
      status: fact('Going, waitlisted or cancelled'),
      checked_in_at: fact('When the party was checked in at the door'),
      checked_in_count: fact('How many of the party came'),
      no_show: fact('Marked as not come'),
      reminded_at: fact('When the reminder was queued'),
      confirmed_at: fact('When the person answered “I’m coming” to a reminder'),
      anonymised_at: technical('When the row was made anonymous'),
      created_by: actor('The coordinator or organiser who made the RSVP on the person’s behalf'),
      created_at: created,
      updated_at: updated,
    },
  },
  volunteer_profile: {
    category: 'volunteering',
    what: 'Volunteer profile: languages, skills, when the person can help, and the help offered for help requests',
    // Coordinators see the help offer (with the name and languages) beside a request it fits,
    // to ask a helper directly (help-requests/matching.service.ts).
    purpose: 'Let organisers find volunteers for shifts, and match helpers to help requests',
    legalBasis: 'contract',
    seenBy: ['the_person', 'organisers', 'coordinators'],
    kept: { while: 'account' },
    exportKey: 'volunteer_profile',
    columns: {
      user_id: own('Whose profile', 'delete_row'),
      languages: fact('Languages spoken'),
      skills: fact('Skills offered'),
      availability: freeText('When the person can help'),
      help_kinds: fact('Kinds of help offered (accompaniment, interpreting, a lift, carrying)'),
      help_days: fact('Weekdays the person can usually help'),
      has_car: fact('Whether the person can drive with their car'),
      has_child_seat: fact('Whether the car has a child seat'),
      helps_as_woman: fact('Whether the person helps as a woman (for requests asking for a woman helper)'),
      updated_at: updated,
    },
  },
  volunteer_signup: {
    category: 'volunteering',
    what: 'Volunteer shifts the person signed up for',
    purpose: 'Fill shifts and tell the organisers who comes',
    legalBasis: 'contract',
    seenBy: ['the_person', 'organisers'],
    kept: { while: 'account' },
    exportKey: 'shifts',
    columns: {
      id: technical('Row number'),
      role_id: { ...notPersonal('The shift'), label: { key: 'role', table: 'volunteer_role', columns: ['name', 'starts_at', 'ends_at', 'activity_id'] } },
      user_id: own('Who helps', 'delete_row'),
      status: fact('Signed up or withdrawn'),
      reminded_at: fact('When the reminder was queued'),
      confirmed_at: fact('When the volunteer answered “I’ll be there” to a reminder'),
      checked_in_at: fact('When an organiser marked the volunteer as having served'),
      checked_in_by: actor('The organiser who marked it'),
      created_at: created,
      updated_at: updated,
    },
  },
  volunteer_hours: {
    category: 'volunteering',
    what: 'Volunteer hours: when, how long, what and for which organisation; whether the organisation confirmed them',
    purpose: 'Show volunteers their hours, let organisations confirm them, issue certificates (Ehrenamtskarte, Engagementnachweis) and the deployment list insurers ask for',
    legalBasis: 'contract',
    seenBy: ['the_person', 'organisers', 'coordinators'],
    kept: { while: 'account' },
    exportKey: 'volunteer_hours',
    columns: {
      id: technical('Row number'),
      user_id: own('Whose hours', 'delete_row'),
      organisation_id: { ...notPersonal('The organisation that confirms them (none: the town’s own schemes)'), label: { key: 'organisation', table: 'organisation', columns: ['name'] } },
      source: fact('What made them: a shift, a Kümmerer meeting, a help request or an entry by hand'),
      volunteer_signup_id: technical('The shift they came from'),
      mentoring_meeting_id: technical('The Kümmerer meeting they came from'),
      help_request_id: technical('The help request they came from'),
      activity_id: technical('The activity they belong to'),
      starts_at: fact('When'),
      minutes: fact('How many minutes'),
      description: freeText('What it was', 'keep'),
      place: freeText('Where', 'keep'),
      status: fact('Pending or confirmed'),
      confirmed_at: fact('When the organisation confirmed them'),
      confirmed_by: actor('Who confirmed them'),
      corrected_at: fact('When the volunteer corrected the entry'),
      created_by: actor('Who entered them by hand'),
      created_at: created,
      updated_at: updated,
    },
  },
  kuemmerer: {
    category: 'kuemmerer',
    what: 'Application as a Kümmerer (one-to-one mentor): topics, languages, how many people, a note, contact',
    purpose: 'Let coordinators approve Kümmerer and match them with newcomers',
    legalBasis: 'contract',
    seenBy: ['the_person', 'coordinators', 'their_newcomers'],
    kept: { while: 'account' },
    exportKey: 'kuemmerer_application',
    columns: {
      user_id: own('The applicant', 'delete_row'),
      status: fact('Pending, approved, declined or paused'),
      topics: fact('Topics the person can help with'),
      languages: fact('Languages spoken'),
      max_mentees: fact('How many people at once'),
      note: freeText('What the applicant wrote about themselves'),
      contact_details: contact('How mentees reach the Kümmerer'),
      code_of_conduct_accepted_at: fact('When the rules for Kümmerer were accepted'),
      decided_by: actor('The coordinator who decided'),
      decided_at: fact('When it was decided'),
      decision_message: freeText('What the coordinator wrote with the decision', 'null'),
      created_at: created,
      updated_at: updated,
    },
  },
  mentoring_request: {
    category: 'mentoring',
    what: 'Requests for a Kümmerer: needs (topics), languages, a note, how to be contacted',
    purpose: 'Find a Kümmerer for the newcomer; needs can reveal health, religion or residence status',
    legalBasis: 'explicit_consent',
    seenBy: ['the_person', 'coordinators', 'their_kuemmerer'],
    kept: { period: 'requestDetailsMonths' },
    exportKey: 'mentoring_requests',
    columns: {
      id: technical('Row number'),
      newcomer_user_id: own('Who asks for a Kümmerer', 'delete_row'),
      // Kept while the request is: the schema asks every request for at least one need.
      topics: special('What the person needs help with', 'keep'),
      languages: fact('Languages the person speaks'),
      note: special('What else the coordinators and the Kümmerer should know'),
      contact_preference: fact('How the person wants to be contacted'),
      contact_detail: contact('Phone number or messenger name'),
      status: fact('Open, matched, withdrawn or closed'),
      created_by: actor('The coordinator who registered the request'),
      created_at: created,
      updated_at: updated,
    },
  },
  help_request: {
    category: 'help_requests',
    what: 'Requests for help (accompaniment, interpreting, a lift, carrying): when, district and address, languages, wishes, a note; who took it and how long it took',
    purpose: 'Find a volunteer who helps the person; the minutes spent count as volunteer hours',
    legalBasis: 'contract',
    seenBy: ['the_person', 'their_helper', 'coordinators'],
    kept: { while: 'account' },
    exportKey: 'help_requests',
    columns: {
      id: technical('Row number'),
      asker_user_id: own('Who asks for help', 'delete_row'),
      kind: fact('What kind of help'),
      starts_at: fact('When the help is needed'),
      week_of: fact('The week in which help is needed, when no time is set'),
      district: fact('The district (shown to every helper)'),
      address: { ...contact('The exact address (only the helper and coordinators)'), kept: { period: 'helpRequestDetailsMonths' } },
      languages: fact('Languages the helper should speak'),
      wants_woman: fact('Whether a woman should help'),
      needs_car: fact('Whether a car is needed'),
      needs_child_seat: fact('Whether a child seat is needed'),
      note: { ...freeText('What the helper should know'), kept: { period: 'helpRequestDetailsMonths' } },
      status: fact('Open, taken, done, did not happen, withdrawn or expired'),
      helper_user_id: { ...own('Who took the request', 'set_null'), exportRows: true },
      taken_at: fact('When it was taken'),
      minutes_spent: fact('Minutes the helper spent (volunteer hours)'),
      finished_at: fact('When the helper reported how it went'),
      posted_by_user_id: actor("The Kümmerer or coordinator who posted it on the person's behalf"),
      consultation_booking_id: technical('The consultation booking it finds an interpreter for'),
      asker_contact: { ...contact('Contact details the asker shares with the helper who takes it'), kept: { period: 'helpRequestDetailsMonths' } },
      helper_contact: { ...contact('Contact details the helper shares with the asker'), kept: { period: 'helpRequestDetailsMonths' } },
      thanked_at: fact('When the asker said thanks'),
      thanks_message: { ...freeText('The thanks, in the asker\'s words'), kept: { period: 'helpRequestDetailsMonths' } },
      escalated_at: fact('When the coordinators were told that nobody took it'),
      health_consent_at: fact('When the person gave explicit consent to a request that reveals health'),
      created_at: created,
      updated_at: updated,
    },
  },
  mentorship: {
    category: 'mentoring',
    what: 'Who mentors whom, since when, and why it ended',
    purpose: 'Run the one-to-one mentoring',
    legalBasis: 'explicit_consent',
    seenBy: ['the_person', 'their_kuemmerer', 'coordinators'],
    kept: { period: 'requestDetailsMonths' },
    exportKey: 'mentorships',
    columns: {
      id: technical('Row number'),
      request_id: technical('The request it answers'),
      kuemmerer_user_id: { ...own('The Kümmerer', 'delete_row'), label: { key: 'kuemmerer', table: 'app_user', columns: ['display_name'] } },
      newcomer_user_id: { ...own('The newcomer', 'delete_row'), label: { key: 'newcomer', table: 'app_user', columns: ['display_name'] } },
      status: fact('Active or ended'),
      started_at: fact('When it began'),
      ended_at: fact('When it ended'),
      ended_by: actor('Who ended it'),
      end_reason: freeText('Why it ended', 'null'),
      assigned_by: actor('The coordinator who matched them'),
      updated_at: updated,
    },
  },
  mentoring_meeting: {
    category: 'meeting_notes',
    what: "Meetings of a mentorship, with the Kümmerer's private working notes",
    purpose: 'Let the Kümmerer plan meetings and keep notes of them',
    legalBasis: 'explicit_consent',
    seenBy: ['their_kuemmerer', 'the_person', 'coordinators'],
    kept: { period: 'meetingNotesMonths' },
    through: { column: 'mentorship_id', table: 'mentorship' },
    exportKey: 'mentoring_meetings',
    columns: {
      id: technical('Row number'),
      mentorship_id: { ...technical('The mentorship'), label: { key: 'mentorship', table: 'mentorship', columns: ['kuemmerer_user_id', 'newcomer_user_id'] } },
      starts_at: fact('When the meeting begins'),
      ends_at: fact('When it ends'),
      place: freeText('Where they meet'),
      topics: special('What the meeting is about'),
      // The Kümmerer's working notes: in the Kümmerer's export, and in a coordinator's
      // export of the newcomer for a formal access request; not shown to the newcomer.
      private_note: { ...special('The Kümmerer’s private notes'), exportedVia: ['kuemmerer_user_id'] },
      created_by: actor('Who put the meeting in'),
      revision: technical('Edit counter (calendar SEQUENCE)'),
      created_at: created,
      updated_at: updated,
    },
  },
  consent: {
    category: 'consents',
    what: 'Consents: to what, to which text, when, and whether online or on paper',
    purpose: 'Prove and honour consent, and its withdrawal',
    legalBasis: 'explicit_consent',
    seenBy: ['the_person', 'coordinators'],
    kept: { while: 'account' },
    exportKey: 'consents',
    columns: {
      id: technical('Row number'),
      user_id: own('Who consented', 'delete_row'),
      purpose: fact('To what'),
      text_version: fact('Which version of the text'),
      given_at: fact('When'),
      given_how: fact('Online, or on paper recorded by a coordinator'),
      recorded_by: actor('The coordinator who recorded a paper consent'),
      withdrawn_at: fact('When it was withdrawn'),
      created_at: created,
    },
  },
  membership: {
    category: 'organisations',
    what: 'Memberships: who organises or coordinates for which organisation',
    purpose: 'Decide who may run activities, the door and coordination',
    legalBasis: 'contract',
    seenBy: ['the_person', 'organisers', 'site_admins'],
    kept: { while: 'account' },
    exportKey: 'memberships',
    columns: {
      organisation_id: { ...notPersonal('The organisation'), label: { key: 'organisation', table: 'organisation', columns: ['name'] } },
      user_id: own('The member', 'delete_row'),
      role: fact('Organiser or coordinator'),
      created_at: created,
    },
  },
  invitation: {
    category: 'organisations',
    what: 'Invitations by e-mail to join an organisation',
    purpose: 'Let an organisation add organisers and coordinators',
    legalBasis: 'contract',
    seenBy: ['the_person', 'organisers', 'site_admins'],
    kept: { until: 'expiry' },
    exportKey: 'invitations',
    columns: {
      id: technical('Row number'),
      organisation_id: { ...notPersonal('The organisation'), label: { key: 'organisation', table: 'organisation', columns: ['name'] } },
      user_id: own('Who is invited', 'delete_row'),
      role: fact('Organiser or coordinator'),
      token_hash: secret('SHA-256 of the link secret'),
      expires_at: fact('When the link stops working'),
      invited_by: actor('Who invited'),
      sent_at: fact('When the invitation was (re)sent'),
      created_at: created,
    },
  },
  outbox: {
    category: 'messages',
    what: 'Mails to the person: queued, and sent ones for a short time',
    purpose: 'Deliver mails reliably, and resend one that failed',
    legalBasis: 'contract',
    seenBy: ['the_person', 'site_admins'],
    kept: { period: 'sentMessageDays' },
    exportKey: 'messages',
    columns: {
      id: technical('Row number'),
      kind: fact('Which mail'),
      recipient_user_id: own('To whom', 'delete_row'),
      about_user_id: { ...own('Whom else the mail names (a Kümmerer told about a newcomer)', 'delete_row'), rows: 'about', export: 'omit' },
      recipient_email: contact('The address it goes to (none for a Telegram message)', 'keep'),
      channel: fact('E-mail or Telegram'),
      locale: fact('Language of the mail'),
      payload: { ...freeText('What the mail says (names, titles, times)', 'keep') },
      secrets: secret('A link’s secret until the mail is sent'),
      status: fact('Pending, sending, sent or set aside'),
      attempts: technical('Delivery attempts'),
      next_attempt_at: technical('When to try again'),
      locked_until: technical('Claim of a delivering server'),
      last_error: { ...hidden('Why the last attempt failed (may quote the address)'), kind: 'free_text' },
      created_at: created,
      sent_at: fact('When it was sent'),
    },
  },
  notification_setting: {
    category: 'messages',
    what: 'Which kinds of messages the person gets, and on which channel',
    purpose: 'Send each message where the person chose',
    legalBasis: 'contract',
    seenBy: ['the_person'],
    kept: { while: 'account' },
    exportKey: 'notification_settings',
    columns: {
      user_id: own('Whose settings', 'delete_row'),
      topic: fact('Which kind of message'),
      email: fact('Whether it comes by e-mail'),
      telegram: fact('Whether it comes by Telegram'),
      updated_at: updated,
    },
  },
  programme_subscription: {
    category: 'messages',
    what: 'What the person wants in the weekly programme',
    purpose: 'Send the coming week’s activities that interest the person',
    legalBasis: 'contract',
    seenBy: ['the_person'],
    kept: { while: 'account' },
    exportKey: 'weekly_programme',
    columns: {
      user_id: own('Whose programme', 'delete_row'),
      categories: fact('Which categories of activities'),
      no_german_needed: fact('Only activities that need no German'),
      childcare: fact('Only activities with childcare'),
      last_sent_week: fact('The week last sent'),
      updated_at: updated,
    },
  },
  telegram_chat: {
    category: 'messages',
    what: 'The Telegram chat the person linked to the account',
    purpose: 'Send messages by Telegram, and take the answers given with its buttons',
    legalBasis: 'contract',
    seenBy: ['the_person'],
    kept: { while: 'account' },
    exportKey: 'telegram',
    columns: {
      user_id: own('Whose chat', 'delete_row'),
      chat_id: contact('Telegram’s number of the chat'),
      linked_at: fact('When the chat was linked'),
    },
  },
  telegram_link_code: {
    category: 'messages',
    what: 'One-time codes that link a Telegram chat to the account',
    purpose: 'Make sure the chat that links is the person’s own',
    legalBasis: 'contract',
    seenBy: ['the_person'],
    kept: { until: 'expiry' },
    exportKey: 'telegram_link_codes',
    columns: {
      code_hash: secret('SHA-256 of the code'),
      user_id: own('Whose code', 'delete_row'),
      expires_at: fact('When the code stops working'),
      created_at: created,
    },
  },
  audit_event: {
    category: 'security_log',
    what: 'Security log: sign-ins, refused access, role changes, exports, deletions',
    purpose: 'Detect and investigate misuse of the portal',
    legalBasis: 'legitimate_interests',
    seenBy: ['site_admins'],
    kept: { period: 'auditLogMonths' },
    exportKey: 'security_log',
    columns: {
      id: technical('Row number'),
      at: fact('When'),
      actor_user_id: { ...actor('Who did it', 'pseudonym'), exportRows: true },
      actor_pseudonym: identity('Pseudonym of an actor whose account was deleted', 'keep'),
      action: fact('What was done'),
      object_type: fact('To what kind of thing'),
      object_id: { ...fact('To which one (may be a person’s id)'), erase: 'pseudonym', personWhen: { column: 'object_type', equals: 'user' } },
      // Not in the export: an event recorded for an account may come from someone else (a
      // failed sign-in with its name), and their address is not the account holder's data.
      ip: { ...fact('The network address it came from', 'null'), export: 'omit' },
      details: { ...fact('Details (never a password, token or private note)'), export: 'value', erase: 'blank' },
    },
  },
  activity: {
    category: 'activities',
    what: "Activities an organisation offers, with the organisers' contact",
    purpose: 'Publish what the town offers',
    legalBasis: 'contract',
    seenBy: ['everyone'],
    kept: { while: 'organisation' },
    exportKey: null,
    columns: {
      id: technical('Row number'),
      organisation_id: notPersonal('The organisation'),
      status: notPersonal('Draft, published or cancelled'),
      title: notPersonal('Title'),
      description: notPersonal('Description'),
      source_locale: notPersonal('Language it was written in'),
      translations: notPersonal('Translations of title and description'),
      category: notPersonal('Category'),
      starts_at: notPersonal('Start'),
      ends_at: notPersonal('End'),
      place_name: notPersonal('Place'),
      address: notPersonal('Address of the place'),
      online_url: notPersonal('Link for an online activity'),
      capacity: notPersonal('Seats'),
      rsvp_deadline: notPersonal('Last time to RSVP'),
      languages: notPersonal('Languages spoken there'),
      german_level: notPersonal('German level'),
      audience: notPersonal('Who it is for'),
      childcare: notPersonal('Childcare offered'),
      wheelchair_accessible: notPersonal('Wheelchair accessible'),
      cost: notPersonal('Cost'),
      contact_name: identity('Name of the contact person shown to visitors', 'keep'),
      contact_phone: contact('Phone shown to visitors', 'keep'),
      contact_email: contact('E-mail shown to visitors', 'keep'),
      revision: technical('Edit counter (calendar SEQUENCE)'),
      cancel_reason: notPersonal('Why it was cancelled'),
      series_id: technical('The series it belongs to'),
      series_slot: technical('Its place in the series'),
      created_by: actor('The organiser who created it (the activity stays with the organisation)'),
      created_at: created,
      updated_at: updated,
    },
  },
  consultation_booking: {
    category: 'consultations',
    what: 'Booked consultation slots: topic, language, a short note, whether an interpreter is needed, whether the person came',
    purpose: 'Hold the appointment the person booked and let the office prepare it; a topic or note can reveal health or residence status',
    legalBasis: 'contract',
    seenBy: ['the_person', 'organisers'],
    kept: { while: 'account' },
    exportKey: 'consultations',
    columns: {
      id: technical('Row number'),
      slot_id: technical('The slot booked'),
      user_id: own('Who booked', 'delete_row'),
      topic: special('What the consultation is about', 'keep'),
      language: fact('The language the person wants to speak'),
      note: { ...special('What the office should know'), kept: { period: 'consultationDetailsDays' } },
      interpreter_needed: fact('Whether nobody on duty speaks that language'),
      status: fact('Booked or cancelled'),
      attendance: fact('Came or did not come'),
      booked_by_user_id: actor("The Kümmerer or coordinator who booked on the person's behalf"),
      reminder_sent_at: fact('When the reminder was sent'),
      confirmed_at: fact('When the person confirmed they are coming'),
      health_consent_at: fact('When the person gave explicit consent to the topic "health"'),
      created_at: created,
      updated_at: updated,
    },
  },
  consultation_hour: {
    category: 'activities',
    what: 'Consultation hours of an organisation',
    purpose: 'Publish when and where an organisation advises, on what and in which languages',
    legalBasis: 'contract',
    seenBy: ['everyone'],
    kept: { while: 'organisation' },
    exportKey: null,
    columns: {
      id: technical('Row number'),
      organisation_id: notPersonal('The organisation'),
      starts_at: notPersonal('Start'),
      ends_at: notPersonal('End'),
      slot_minutes: notPersonal('Length of a slot'),
      remote: notPersonal('By phone or video'),
      place: notPersonal('Where'),
      topics: notPersonal('Topics offered'),
      languages: notPersonal('Languages the staff on duty speak'),
      created_by: actor('The organiser who published it'),
      created_at: created,
      cancelled_at: notPersonal('When the office cancelled it'),
      updated_at: updated,
    },
  },
  consultation_walk_in: {
    category: 'consultations',
    what: 'People who came to a consultation hour without a booking: a name, topic, language, a short note, whether they were seen',
    purpose: "Keep the office's queue on the day; a topic or note can reveal health or residence status",
    legalBasis: 'contract',
    seenBy: ['organisers'],
    kept: { period: 'consultationDetailsDays' },
    exportKey: null,
    columns: {
      id: technical('Row number'),
      hour_id: technical('The consultation hour'),
      name: identity('Name given at the door', 'blank'),
      topic: special('What the consultation is about', 'keep'),
      language: fact('The language the person wants to speak'),
      note: special('What the office noted'),
      attendance: fact('Seen or left'),
      created_by: actor('The staff member who added them'),
      created_at: created,
    },
  },
  help_request_ask: {
    category: 'help_requests',
    what: 'Helpers told of a help request because their profile fits, or asked directly by a coordinator',
    purpose: 'Tell each fitting helper once, and show coordinators whom they asked',
    legalBasis: 'contract',
    seenBy: ['the_person', 'coordinators'],
    kept: { while: 'account' },
    exportKey: 'help_request_asks',
    columns: {
      request_id: technical('The help request'),
      helper_user_id: own('The helper told or asked', 'delete_row'),
      asked_by_user_id: actor('The coordinator who asked directly'),
      direct: fact('Asked directly by a coordinator, or told by matching'),
      created_at: created,
    },
  },
  volunteer_role: {
    category: 'activities',
    what: 'Volunteer shifts of an activity',
    purpose: 'Publish what help an activity needs',
    legalBasis: 'contract',
    seenBy: ['everyone'],
    kept: { while: 'organisation' },
    exportKey: null,
    columns: {
      id: technical('Row number'),
      activity_id: { ...notPersonal('The activity'), label: { key: 'activity', table: 'activity', columns: ['title', 'starts_at', 'ends_at'] } },
      name: notPersonal('Name of the shift'),
      people_needed: notPersonal('How many helpers'),
      starts_at: notPersonal('Start'),
      ends_at: notPersonal('End'),
      what_to_bring: notPersonal('What to bring'),
      skills: notPersonal('Skills wanted'),
      languages: notPersonal('Languages wanted'),
      revision: technical('Edit counter (calendar SEQUENCE)'),
      created_by: actor('The organiser who created it'),
      created_at: created,
      updated_at: updated,
    },
  },
  rate_limit: {
    category: 'security_log',
    what: 'Counters against password guessing, per network address or account',
    purpose: 'Slow down password guessing without locking the owner out',
    legalBasis: 'legitimate_interests',
    seenBy: [],
    // At most an hour; no person column: a counter names an address or account id only in its key.
    kept: { until: 'expiry' },
    exportKey: null,
    columns: {
      key: fact('What is counted: a rule and a network address or account id'),
      hits: technical('How many tries'),
      window_ends_at: technical('When the counter is dropped'),
    },
  },
  organisation: {
    category: 'organisations',
    what: "Organisations and their public contact",
    purpose: 'Show who offers an activity and how to reach them',
    legalBasis: 'contract',
    seenBy: ['everyone'],
    kept: { while: 'organisation' },
    exportKey: null,
    columns: {
      id: technical('Row number'),
      slug: notPersonal('Address part'),
      name: notPersonal('Name'),
      description: notPersonal('Description'),
      contact_phone: contact('Public phone (may be a person’s)', 'keep'),
      contact_email: contact('Public e-mail (may be a person’s)', 'keep'),
      created_at: created,
      updated_at: updated,
    },
  },
} as const satisfies Partial<Record<TableName, TableDeclaration>>;

/** Tables with nothing about a person in them, each with the reason. */
export const NOT_PERSONAL = {
  consultation_slot: { personal: false, why: 'The slots of a consultation hour (who booked one is in consultation_booking)', columns: ['id', 'hour_id', 'starts_at', 'ends_at'] },
  answer_token: {
    personal: false,
    why: 'Hashes of one-tap answer links; each belongs to an RSVP a shift signup or a consultation booking (declared there) and goes with it, when its person is erased, or a week after the activity starts',
    columns: ['token_hash', 'rsvp_id', 'volunteer_signup_id', 'consultation_booking_id', 'expires_at', 'created_at'],
  },
  volunteer_hours_removed: {
    personal: false,
    why: 'Which shifts’, meetings’ and help requests’ hours a keeper removed, so that they are not made again; the rows go with those sources (who removed them is in the security log)',
    columns: ['volunteer_signup_id', 'mentoring_meeting_id', 'help_request_id', 'removed_at'],
  },
  activity_series: { personal: false, why: 'How an activity repeats', columns: ['id', 'organisation_id', 'frequency', 'whole_series', 'created_at'] },
  app_setting: { personal: false, why: 'Settings of the installation (town details, retention periods)', columns: ['key', 'value'] },
  kysely_migration: { personal: false, why: 'Which schema migrations ran', columns: ['name', 'timestamp'] },
  kysely_migration_lock: { personal: false, why: 'Lock of the migrator', columns: ['id', 'is_locked'] },
  privacy_run: {
    personal: false,
    why: 'When the retention job ran and how many rows of each kind it removed (counts only)',
    columns: ['id', 'day', 'started_by', 'started_at', 'finished_at', 'counts'],
  },
} as const satisfies Record<string, NotPersonalTable>;

export type PersonalTable = keyof typeof PERSONAL_DATA;

/** Every personal table with its declaration, in the order above (the export's order). */
export function personalTables(): Array<[PersonalTable, TableDeclaration]> {
  return Object.entries(PERSONAL_DATA) as Array<[PersonalTable, TableDeclaration]>;
}

/** The person columns of a table: the ones that hold an app_user id. */
export function personColumns(declaration: TableDeclaration): Array<[string, PersonColumn]> {
  return Object.entries(declaration.columns).filter((entry): entry is [string, PersonColumn] => entry[1].kind === 'person');
}
