// The deployment list (Einsatzliste): who served when and where in a month, the record the
// statutory accident insurance asks an organisation for. One row per entry of the ledger, as
// the month page shows them, for the same keepers (hours.access.ts). Written for German
// Excel, which is what insurers and offices open it with: semicolons, a byte-order mark,
// dates as 2026-11-24 and hours with a decimal comma; the words in the reader's language.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { toCsv } from '../attendance/attendance.service.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import { zonedDateInput, zonedTimeInput } from '../../i18n/format.ts';
import { describeHours } from './describe.ts';
import { listEntriesOfMonth, resolveKeeperScope, scopeKey, type KeptEntry } from './keeping.ts';
import type { MonthKey } from './ledger.ts';

/** Hours with two decimals and a decimal comma ("2,5", "0,75"), as German Excel reads a number. */
export function decimalHours(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100).replace('.', ',');
}

/** The rows of the list: name, date, from, to, what, where, activity, minutes, hours, status. */
export function deploymentRows(t: Translator, timeZone: string, entries: readonly KeptEntry[]): string[][] {
  const header = ['name', 'date', 'from', 'to', 'what', 'where', 'activity', 'minutes', 'hours', 'status'].map((column) => t(`hoursOrganise.csv.${column}` as TextKey));
  return [
    header,
    ...entries.map((e) => [
      e.name,
      zonedDateInput(timeZone, e.startsAt),
      zonedTimeInput(timeZone, e.startsAt),
      zonedTimeInput(timeZone, e.endsAt),
      describeHours(t, e),
      e.place,
      e.activityTitle ?? '',
      String(e.minutes),
      decimalHours(e.minutes),
      t(`hours.status.${e.status}`),
    ]),
  ];
}

/** The month's list as CSV for a keeper of the scope (NotFoundError for anyone else); the
 * download is an export of personal data, so it goes to the audit log. */
export async function exportDeploymentList(
  db: Kysely<Database>,
  actor: SessionUser | null | undefined,
  scope: string,
  month: MonthKey,
  t: Translator,
  timeZone: string,
): Promise<{ filename: string; csv: string }> {
  const kept = await resolveKeeperScope(db, actor, scope);
  const entries = await listEntriesOfMonth(db, kept, month, timeZone);
  await recordAudit(db, { actorUserId: actor!.id, action: 'hours.deployments_exported', objectType: kept.kind === 'town' ? 'town' : 'organisation', objectId: kept.kind === 'town' ? scopeKey(kept) : kept.organisationId, details: { month, rows: entries.length } });
  const name = kept.kind === 'town' ? 'stadt' : kept.slug;
  return { filename: `einsatzliste-${name}-${month}.csv`, csv: toCsv(deploymentRows(t, timeZone, entries), ';') };
}

/** The download: UTF-8 CSV as an attachment, never kept by a cache (it names people). */
export function csvResponse({ filename, csv }: { filename: string; csv: string }): Response {
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
