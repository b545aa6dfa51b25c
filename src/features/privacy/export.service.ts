// Exports as the pages hand them out: the person's own, and a coordinator's for a formal access
// request. Each is recorded in the security log (who, whose, as a file or a page), never with
// anything from the export itself.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { zonedDateInput } from '../../i18n/format.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { assertMayExportForAccessRequest, type AccessRequestPerson } from './export.access.ts';
import { collectPersonalData, exportJson, type PersonalData } from './export.ts';

/** How the export leaves the portal: the JSON file, or the readable page. */
export type ExportHow = 'json' | 'page';

interface Context {
  ip: string | null;
  how: ExportHow;
  now?: Date;
}

/** The signed-in person's own export. */
export async function exportOwnData(db: Kysely<Database>, user: Pick<SessionUser, 'id'>, context: Context): Promise<PersonalData> {
  const data = await collectPersonalData(db, user.id, { now: context.now });
  await recordAudit(db, { actorUserId: user.id, action: 'privacy.exported', objectType: 'user', objectId: user.id, ip: context.ip, details: { how: context.how } });
  return data;
}

/** A newcomer's complete export (the Kümmerer's notes about them included) for a coordinator
 * answering a formal access request; anyone else is refused (NotFoundError). */
export async function exportForAccessRequest(
  db: Kysely<Database>,
  actor: Pick<SessionUser, 'id'> | null | undefined,
  personId: number,
  context: Context,
): Promise<{ person: AccessRequestPerson; data: PersonalData }> {
  const person = await assertMayExportForAccessRequest(db, actor, personId);
  const data = await collectPersonalData(db, person.id, { accessRequest: true, now: context.now });
  await recordAudit(db, {
    actorUserId: actor!.id,
    action: 'privacy.exported_for_access_request',
    objectType: 'user',
    objectId: person.id,
    ip: context.ip,
    details: { how: context.how },
  });
  return { person, data };
}

/** "ankommen-data-2026-12-07.json" (the town's date); a coordinator's names the person's id. */
export function exportFileName(data: PersonalData, timeZone: string, options: { forAccessRequest?: boolean } = {}): string {
  const day = zonedDateInput(timeZone, data.exportedAt);
  return options.forAccessRequest ? `ankommen-data-person-${data.person.id}-${day}.json` : `ankommen-data-${day}.json`;
}

/** The export as the file a browser saves: JSON, never kept by a cache, under exportFileName. */
export function exportDownload(data: PersonalData, timeZone: string, options: { forAccessRequest?: boolean } = {}): Response {
  return new Response(exportJson(data), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName(data, timeZone, options)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
