// What the privacy notice (/privacy) and the records of processing say, read from the
// declaration of personal data, the retention periods in force and the town's details: per
// category of data, the tables it covers, the legal bases, who sees it and how long it is
// kept. Pages and the records put this into words; nothing here is written twice.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { personalTables, type DataCategory, type LegalBasis, type PersonalTable, type Viewer } from './declaration.ts';
import { loadRetentionPeriods, RETENTION_UNITS, type RetentionKey, type RetentionPeriods } from './retention-periods.ts';
import { loadTownDetails, type TownDetails } from './town-details.ts';

/**
 * Which category each retention period concerns. A period with no table whose `kept` names it
 * (a sign-up never confirmed, an account nobody uses, RSVP notes) still shortens how long that
 * category is kept, and the notice says so there.
 */
export const PERIOD_CATEGORY: Readonly<Record<RetentionKey, DataCategory>> = {
  unconfirmedSignUpDays: 'account',
  inactiveAccountMonths: 'account',
  meetingNotesMonths: 'meeting_notes',
  requestDetailsMonths: 'mentoring',
  helpRequestDetailsMonths: 'help_requests',
  rsvpNotesDays: 'rsvps',
  consultationDetailsDays: 'consultations',
  attendanceMonths: 'rsvps',
  sentMessageDays: 'messages',
  auditLogMonths: 'security_log',
};

/** One rule of how long a category's data is kept. */
export type KeptRule =
  | { kind: 'account' | 'expiry' | 'organisation' }
  | { kind: 'period'; key: RetentionKey; count: number; unit: 'days' | 'months' };

export interface NoticeCategory {
  category: DataCategory;
  tables: PersonalTable[];
  legalBases: LegalBasis[];
  /** Who sees it besides the portal's technical operators; empty: nobody. */
  viewers: Viewer[];
  kept: KeptRule[];
  /** Whether it can reveal special-category data (Art. 9 GDPR: health, religion, residence status). */
  special: boolean;
  /** Columns of the category that describe a person, for the records ("name", "e-mail address"). */
  holds: string[];
}

export interface PrivacyNotice {
  town: TownDetails;
  periods: RetentionPeriods;
  categories: NoticeCategory[];
}

const VIEWER_ORDER: readonly Viewer[] = ['the_person', 'their_kuemmerer', 'their_newcomers', 'organisers', 'coordinators', 'site_admins', 'everyone'];
const LEGAL_BASIS_ORDER: readonly LegalBasis[] = ['contract', 'explicit_consent', 'legitimate_interests'];

/** The categories in the order the declaration first names them, each with what it covers. */
export function noticeCategories(periods: RetentionPeriods): NoticeCategory[] {
  const byCategory = new Map<DataCategory, NoticeCategory>();
  for (const [table, declaration] of personalTables()) {
    let entry = byCategory.get(declaration.category);
    if (!entry) {
      entry = { category: declaration.category, tables: [], legalBases: [], viewers: [], kept: [], special: false, holds: [] };
      byCategory.set(declaration.category, entry);
    }
    entry.tables.push(table);
    if (!entry.legalBases.includes(declaration.legalBasis)) entry.legalBases.push(declaration.legalBasis);
    for (const viewer of declaration.seenBy) if (!entry.viewers.includes(viewer)) entry.viewers.push(viewer);
    const kept = declaration.kept;
    const rule: KeptRule =
      'period' in kept ? periodRule(kept.period, periods) : 'until' in kept ? { kind: 'expiry' } : { kind: kept.while };
    addRule(entry.kept, rule);
    for (const column of Object.values(declaration.columns)) {
      if (column.kind === 'special') entry.special = true;
      if (column.kind !== 'technical' && column.kind !== 'not_personal' && column.kind !== 'person' && !entry.holds.includes(column.holds)) entry.holds.push(column.holds);
    }
  }
  for (const [key, category] of Object.entries(PERIOD_CATEGORY) as Array<[RetentionKey, DataCategory]>) {
    const entry = byCategory.get(category);
    if (entry) addRule(entry.kept, periodRule(key, periods));
  }
  for (const entry of byCategory.values()) {
    entry.viewers.sort((a, b) => VIEWER_ORDER.indexOf(a) - VIEWER_ORDER.indexOf(b));
    entry.legalBases.sort((a, b) => LEGAL_BASIS_ORDER.indexOf(a) - LEGAL_BASIS_ORDER.indexOf(b));
  }
  return [...byCategory.values()];
}

function periodRule(key: RetentionKey, periods: RetentionPeriods): KeptRule {
  return { kind: 'period', key, count: periods[key], unit: RETENTION_UNITS[key] };
}

function addRule(rules: KeptRule[], rule: KeptRule): void {
  const same = (r: KeptRule) => r.kind === rule.kind && (r.kind !== 'period' || rule.kind !== 'period' || r.key === rule.key);
  if (!rules.some(same)) rules.push(rule);
}

/** Everything the privacy notice shows, as it stands now. */
export async function loadPrivacyNotice(db: Kysely<Database> | Transaction<Database>): Promise<PrivacyNotice> {
  const periods = await loadRetentionPeriods(db);
  const town = await loadTownDetails(db);
  return { town, periods, categories: noticeCategories(periods) };
}
