// The records of processing activities (Art. 30(1) GDPR), as a town's register wants them:
// the controller and data-protection officer from the town's details, and per category of
// data (src/features/privacy/declaration.ts) its purposes, legal basis, data subjects, kinds
// of data, recipients and erasure periods (the ones in force), then the technical measures.
// `npm run privacy:records` prints them as Markdown or JSON. English: the register's language
// is the town's to choose, and the declaration's own words are English.
import type { DataCategory, LegalBasis, Viewer } from './declaration.ts';
import { PERSONAL_DATA } from './declaration.ts';
import type { KeptRule, PrivacyNotice } from './privacy-notice.ts';
import { INACTIVITY_WARNING_DAYS, type RetentionKey } from './retention-periods.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../accounts/sessions.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Each category's name in the register and whose data it is. */
const CATEGORY: Readonly<Record<DataCategory, { title: string; subjects: string }>> = {
  account: { title: 'User accounts', subjects: 'Everyone with an account: newcomers, residents and volunteers, Kümmerer, organisers, coordinators, site admins' },
  sign_in: { title: 'Sign-in: sessions, e-mailed links, claim codes', subjects: 'People with an account' },
  calendar: { title: 'Personal calendar addresses', subjects: 'People with an account who made a calendar address' },
  rsvps: { title: 'RSVPs and attendance', subjects: 'People who take part in activities; guests without an account registered at the door' },
  volunteering: { title: 'Volunteering: profiles and shifts', subjects: 'Volunteers' },
  kuemmerer: { title: 'Kümmerer (mentor) applications', subjects: 'People who apply to be a Kümmerer' },
  mentoring: { title: 'Mentoring requests and mentorships', subjects: 'Newcomers who ask for a Kümmerer; their Kümmerer' },
  help_requests: { title: 'Help requests (accompaniment, interpreting, lifts)', subjects: 'Newcomers who ask for help; the volunteers who take it' },
  meeting_notes: { title: "Mentoring meetings and the Kümmerer's notes", subjects: 'Newcomers and their Kümmerer' },
  consultations: { title: 'Consultation bookings', subjects: 'People who book a slot at an organisation\'s consultation hour' },
  consents: { title: 'Consent records', subjects: 'People who gave consent, online or on paper' },
  messages: { title: 'E-mails sent by the portal', subjects: 'Recipients of mails; people a mail names' },
  organisations: { title: 'Organisations, memberships and invitations', subjects: 'Organisers and coordinators; contact persons of organisations' },
  activities: { title: 'Published activities', subjects: 'Contact persons of activities; the organisers who create them' },
  security_log: { title: 'Security log and rate limits', subjects: 'Everyone who uses the portal, including visitors who try to sign in' },
};

const LEGAL_BASIS: Readonly<Record<LegalBasis, string>> = {
  contract: 'Art. 6(1)(b) GDPR: what the person asked the portal to do',
  explicit_consent: 'Art. 6(1)(a) and Art. 9(2)(a) GDPR: explicit consent, recorded and withdrawable',
  legitimate_interests: 'Art. 6(1)(f) GDPR: the security of the portal and its users',
};

const RECIPIENT: Readonly<Record<Viewer, string>> = {
  the_person: 'The data subject',
  their_kuemmerer: "The newcomer's Kümmerer",
  their_newcomers: "The Kümmerer's newcomers",
  their_helper: 'The volunteer who took the request',
  organisers: 'Organisers of the activity or organisation',
  coordinators: 'Coordinators',
  site_admins: 'Site admins',
  everyone: 'The public (published on the portal)',
};

const PERIOD: Readonly<Record<RetentionKey, (period: string) => string>> = {
  unconfirmedSignUpDays: (p) => `Sign-ups never confirmed: deleted after ${p}`,
  inactiveAccountMonths: (p) => `Accounts nobody signed in to for ${p}: deleted (the owner is warned by mail ${INACTIVITY_WARNING_DAYS} days before)`,
  meetingNotesMonths: (p) => `Meetings and notes of an ended mentorship: deleted ${p} after its end`,
  helpRequestDetailsMonths: (p) => `Details of a finished help request (address, note, shared contacts, thanks): removed ${p} after it finished`,
  requestDetailsMonths: (p) => `Details of an ended request or mentorship (note, contact): removed ${p} after its end`,
  rsvpNotesDays: (p) => `RSVP notes and walk-in names: removed ${p} after the activity`,
  consultationDetailsDays: (p) => `Consultation walk-ins: deleted ${p} after their hour; notes of bookings: removed ${p} after the slot`,
  attendanceMonths: (p) => `Attendance: anonymised ${p} after the activity (the counts stay)`,
  sentMessageDays: (p) => `Sent mails: deleted ${p} after sending`,
  auditLogMonths: (p) => `Security log events: deleted after ${p}`,
};

const KEPT: Readonly<Record<Exclude<KeptRule['kind'], 'period'>, string>> = {
  account: 'Until the account is deleted, by its owner or by the inactivity rule',
  expiry: 'Until it expires; expired rows are deleted',
  organisation: 'As long as the organisation or activity is on the portal',
};

function keptText(rule: KeptRule): string {
  if (rule.kind !== 'period') return KEPT[rule.kind];
  const unit = rule.count === 1 ? rule.unit.slice(0, -1) : rule.unit;
  return PERIOD[rule.key](`${rule.count} ${unit}`);
}

/** Art. 32 GDPR, in short: what the portal itself does (see DESIGN.md, Security). */
function technicalMeasures(notice: PrivacyNotice): string[] {
  return [
    'Passwords stored only as Argon2id hashes; sign-in, sign-up and password-reset attempts rate-limited per network address and account.',
    `Sessions: random tokens in HttpOnly, SameSite=Lax cookies (Secure behind HTTPS), only a SHA-256 hash stored; they end after ${SESSION_IDLE_MS / DAY_MS} days without use and ${SESSION_MAX_MS / DAY_MS} days at most, on sign-out and on a password change.`,
    'Links and codes that grant access (address confirmation, password reset, invitations, claim codes, calendar addresses) are random, stored only as hashes, and single-use or revocable; no secret rests in the database in clear.',
    'Every page and action checks on the server who may see or do it; what belongs to someone else answers as missing (404), and the refusal is logged.',
    'Origin check on every state-changing request; Content-Security-Policy without inline script; no third-party requests, trackers or advertising; signed-in pages are not cached.',
    'No HTML written by users reaches a page, mail or calendar feed; spreadsheet exports neutralise formulas.',
    `Security log of sign-ins, refused access, role changes, exports and deletions, never with a password, token or private note; kept ${notice.periods.auditLogMonths} months.`,
    'Retention periods applied automatically every day; each person can download everything held about them and delete their account.',
    'Transport encryption (HTTPS) and backups are provided by the installation; see the processors above.',
  ];
}

interface Contact {
  name: string;
  address: string | null;
  email: string | null;
  phone: string | null;
}

export interface ProcessingActivity {
  category: DataCategory;
  name: string;
  purposes: string[];
  legalBasis: string[];
  dataSubjects: string;
  personalData: string[];
  specialCategories: boolean;
  recipients: string[];
  thirdCountryTransfers: string;
  erasure: string[];
  tables: string[];
}

export interface ProcessingRecords {
  generatedAt: string;
  controller: Contact | null;
  dataProtectionOfficer: Contact | null;
  supervisoryAuthority: string | null;
  processors: string | null;
  activities: ProcessingActivity[];
  technicalMeasures: string[];
}

const NOT_ENTERED = 'Not entered yet: a site admin enters it on /admin/town.';

export function processingRecords(notice: PrivacyNotice, now: Date): ProcessingRecords {
  const controller = notice.town.controller;
  return {
    generatedAt: now.toISOString(),
    controller: controller && { name: controller.controllerName, address: controller.controllerAddress, email: controller.controllerEmail, phone: controller.controllerPhone },
    dataProtectionOfficer: controller && { name: controller.dpoName, address: controller.dpoAddress || null, email: controller.dpoEmail, phone: null },
    supervisoryAuthority: controller?.supervisoryAuthority ? [controller.supervisoryAuthority, controller.supervisoryUrl].filter(Boolean).join(', ') : null,
    processors: controller?.processors || null,
    activities: notice.categories.map((c) => ({
      category: c.category,
      name: CATEGORY[c.category].title,
      purposes: [...new Set(c.tables.map((table) => PERSONAL_DATA[table].purpose))],
      legalBasis: c.legalBases.map((basis) => LEGAL_BASIS[basis]),
      dataSubjects: CATEGORY[c.category].subjects,
      personalData: c.holds,
      specialCategories: c.special,
      recipients: [...c.viewers.map((viewer) => RECIPIENT[viewer]), 'The technical operators of the installation, as far as running it requires'],
      thirdCountryTransfers: 'None by the portal',
      erasure: c.kept.map(keptText),
      tables: c.tables,
    })),
    technicalMeasures: technicalMeasures(notice),
  };
}

function contactLines(contact: Contact | null): string[] {
  if (!contact) return [`_${NOT_ENTERED}_`];
  return [
    `- Name: ${contact.name}`,
    ...(contact.address ? [`- Address: ${contact.address.split('\n').map((l) => l.trim()).filter(Boolean).join(', ')}`] : []),
    ...(contact.email ? [`- E-mail: ${contact.email}`] : []),
    ...(contact.phone ? [`- Phone: ${contact.phone}`] : []),
  ];
}

export function recordsAsMarkdown(records: ProcessingRecords, portalName: string): string {
  const lines = [
    '# Records of processing activities (Art. 30(1) GDPR)',
    '',
    `${portalName}. Generated ${records.generatedAt} from the portal's declaration of personal data and the settings in force.`,
    '',
    '## Controller',
    '',
    ...contactLines(records.controller),
    '',
    '## Data-protection officer',
    '',
    ...contactLines(records.dataProtectionOfficer),
    '',
    '## Supervisory authority',
    '',
    records.supervisoryAuthority ?? `_${NOT_ENTERED}_`,
    '',
    '## Processors (Art. 28 GDPR)',
    '',
    records.processors?.split('\n').map((l) => l.trim()).filter(Boolean).join('; ') ?? 'None entered.',
    '',
    '## Processing activities',
  ];
  records.activities.forEach((activity, i) => {
    lines.push(
      '',
      `### ${i + 1}. ${activity.name}`,
      '',
      `- Purposes: ${activity.purposes.join('; ')}`,
      `- Legal basis: ${activity.legalBasis.join('; ')}`,
      `- Data subjects: ${activity.dataSubjects}`,
      `- Personal data: ${activity.personalData.join('; ')}`,
      `- Special categories (Art. 9 GDPR): ${activity.specialCategories ? 'yes, may reveal health, religion or residence status' : 'no'}`,
      `- Recipients: ${activity.recipients.join('; ')}`,
      `- Transfers to third countries: ${activity.thirdCountryTransfers}`,
      `- Time limits for erasure: ${activity.erasure.join('; ')}`,
      `- Tables: ${activity.tables.map((t) => `\`${t}\``).join(', ')}`,
    );
  });
  lines.push('', '## Technical and organisational measures (Art. 32 GDPR)', '', ...records.technicalMeasures.map((m) => `- ${m}`), '');
  return lines.join('\n');
}
