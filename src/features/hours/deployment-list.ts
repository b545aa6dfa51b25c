// The deployment list (Einsatzliste): who served when and where in a month, the record the
// statutory accident insurance asks an organisation for. One row per entry of the ledger, as
// the month page shows them, for the same keepers (hours.access.ts). Written for German
// Excel, which is what insurers and offices open it with: semicolons, a byte-order mark,
// dates as 2026-11-24 and hours with a decimal comma; the words in the reader's language.
import type { APIRoute } from 'astro';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { toCsv } from '../attendance/attendance.service.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import { zonedDateInput, zonedTimeInput } from '../../i18n/format.ts';
import { describeHours } from './describe.ts';
import { requireSignIn } from '../../lib/page.ts';
import { NotFoundError } from '../access/access.ts';
import { listEntriesOfMonth, requestedMonth, resolveKeeperScope, scopeKey, type KeptEntry } from './keeping.ts';
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

/** The GET of a deployment list's address: the scope from the address (null: an address that
 * names no scope), the month from ?month= (the town's current one by default); a person who
 * keeps no hours there gets 404, as for an address that does not exist. Both addresses (an
 * organisation's, the coordinators') are this one handler. */
export function deploymentListRoute(scopeOf: (params: Record<string, string | undefined>) => string | null, timeZone: string): APIRoute {
  return async (context) => {
    const gate = requireSignIn(context);
    if (gate) return gate;
    const { locals, url } = context;
    const scope = scopeOf(context.params);
    if (scope === null) return new Response(null, { status: 404 });
    try {
      const month = requestedMonth(url.searchParams.get('month'), timeZone, new Date());
      return csvResponse(await exportDeploymentList(locals.db, locals.user, scope, month, locals.t, timeZone));
    } catch (error) {
      if (error instanceof NotFoundError) return new Response(null, { status: 404 });
      throw error;
    }
  };
}
