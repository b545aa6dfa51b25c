// What site admins do with retention: read the periods and the latest runs, and change the
// periods (audited). The job itself is retention.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { assertAdmin } from '../access/access.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { latestRetentionRuns, type RetentionRun } from './retention.ts';
import { loadRetentionPeriods, RETENTION_BOUNDS, RETENTION_UNITS, saveRetentionPeriods, type RetentionKey, type RetentionPeriods } from './retention-periods.ts';

export interface RetentionPeriodView {
  key: RetentionKey;
  value: number;
  unit: 'days' | 'months';
  min: number;
  max: number;
}

export interface RetentionPage {
  periods: RetentionPeriodView[];
  runs: RetentionRun[];
}

/** The admin page: every period with its unit and bounds, and the latest runs. Site admins only. */
export async function loadRetentionPage(db: Kysely<Database>, actor: SessionUser | null): Promise<RetentionPage> {
  assertAdmin(actor);
  const [periods, runs] = await Promise.all([loadRetentionPeriods(db), latestRetentionRuns(db)]);
  return {
    periods: (Object.keys(RETENTION_BOUNDS) as RetentionKey[]).map((key) => ({ key, value: periods[key], unit: RETENTION_UNITS[key], ...RETENTION_BOUNDS[key] })),
    runs,
  };
}

/** Saves new periods (already checked against their bounds by the form) and audits the change. */
export async function changeRetentionPeriods(db: Kysely<Database>, actor: SessionUser | null, periods: RetentionPeriods, ip: string | null): Promise<void> {
  const admin = assertAdmin(actor);
  await db.transaction().execute(async (trx) => {
    const before = await loadRetentionPeriods(trx);
    await saveRetentionPeriods(trx, periods);
    const changed = (Object.keys(periods) as RetentionKey[]).filter((key) => before[key] !== periods[key]);
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'privacy.retention_changed',
      objectType: 'setting',
      objectId: 'privacy.retention',
      ip,
      details: Object.fromEntries(changed.map((key) => [key, `${before[key]} → ${periods[key]}`])),
    });
  });
}
