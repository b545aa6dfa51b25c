// The export of everything the portal holds about one person (GDPR Art. 15 and 20), read from
// the declaration (declaration.ts) and nothing else: a table declared with an exportKey is in
// the export with no change here, its rows found by its person columns (or through the table
// it belongs to), each column as its `export` says, with the context its `label` names.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../access/access.ts';
import { PERSONAL_DATA, personColumns, personalTables, type ExportLabel, type PersonalTable, type TableDeclaration } from './declaration.ts';

/**
 * The name and version of the JSON format. The version changes only when a key changes its
 * meaning or goes away; new sections and columns may be added within a version.
 *
 * The JSON a person downloads from "My data" (and a coordinator for a formal access request):
 *
 * - `format`: "ankommen.personal-data/1".
 * - `exported_at`: when the export was made (ISO 8601, UTC, like every time in it).
 * - `access_request`: true when a coordinator made it for a formal access request; it then
 *   also holds the Kümmerer's private meeting notes about the person.
 * - `person`: `{ "id", "display_name" }` of the person it is about.
 * - One key per kind of data, each a list of records (an empty list when there is none). The
 *   records' keys are the database's column names; a secret (password, link, code) is only
 *   `true`/`false` (whether one is set), never its value; a column beside an `<x>_id` names
 *   what it points to (`activity`, `role`, `organisation`, `kuemmerer`, `newcomer`,
 *   `mentorship`) so that the record reads on its own.
 *   - `account`: the account (name, e-mail address, sign-in name, language, whether a password
 *     is set, last sign-in).
 *   - `sessions`: sign-ins that are still open (times only).
 *   - `email_links`: links mailed to confirm an address or reset the password (not the link).
 *   - `claim_codes`: the code a coordinator printed for signing in (not the code).
 *   - `calendar_address`: whether the personal calendar address exists (not the address).
 *   - `rsvps`: places at activities, with party size, note, status and check-in.
 *   - `volunteer_profile`, `shifts`: the volunteer profile and the shifts signed up for.
 *   - `kuemmerer_application`: the application as a Kümmerer and its decision.
 *   - `mentoring_requests`: requests for a Kümmerer (needs, languages, note, contact).
 *   - `mentorships`: who mentors whom, with both display names, since when, how it ended.
 *   - `mentoring_meetings`: meetings of those mentorships; `private_note` (the Kümmerer's
 *     working notes) only in the Kümmerer's export and in an `access_request` export.
 *   - `consents`: consents given and withdrawn.
 *   - `memberships`, `invitations`: roles in organisations, invitations to them.
 *   - `messages`: messages to the person (e-mail or Telegram), queued or recently sent.
 *   - `notification_settings`: which kinds of message come by e-mail or Telegram.
 *   - `weekly_programme`: the weekly programme's interests and the week last sent.
 *   - `telegram`, `telegram_link_codes`: the linked Telegram chat; one-time link codes (not the code).
 *   - `consultations`: bookings of consultation hours (slot, topic, language, note, check-in).
 *   - `help_requests`: help asked for, and help taken as a helper (with the minutes spent).
 *   - `help_request_asks`: help requests the person was told of as a fitting helper, or asked to take.
 *   - `security_log`: what the person did that the security log records (action and time).
 */
export const EXPORT_FORMAT = 'ankommen.personal-data/1';

/** A record of a section: column values as read (times as Date), labels as nested records. */
export type ExportRecord = { [column: string]: unknown };

export interface ExportSection {
  /** The key in the JSON (the table's exportKey). */
  key: string;
  table: PersonalTable;
  records: ExportRecord[];
}

export interface PersonalData {
  format: typeof EXPORT_FORMAT;
  exportedAt: Date;
  accessRequest: boolean;
  person: { id: number; display_name: string };
  /** In the declaration's order. */
  sections: ExportSection[];
}

export interface ExportOptions {
  /** A coordinator's export for a formal access request: columns kept to some of the
   * people a row reaches (`exportedVia`) are in it too. */
  accessRequest?: boolean;
  now?: Date;
}

type Db = Kysely<Database> | Transaction<Database>;
type Row = Record<string, unknown>;

/** Labels lead to labels (a shift to its activity); the declaration needs two steps, and a
 * mistaken cycle in it must not recurse for ever. */
const LABEL_DEPTH = 3;
/** Aliases of the "reached through this column" flags, beside the table's own columns. */
const VIA = '__via__';

/** Everything the portal holds about the person, section by section. */
export async function collectPersonalData(db: Kysely<Database>, personId: number, options: ExportOptions = {}): Promise<PersonalData> {
  const exportedAt = options.now ?? new Date();
  const accessRequest = options.accessRequest === true;
  // One snapshot, so that a meeting cannot show up without the mentorship it belongs to.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const person = await trx.selectFrom('app_user').select(['id', 'display_name']).where('id', '=', personId).executeTakeFirst();
      if (!person) throw new NotFoundError('person');
      const sections: ExportSection[] = [];
      for (const [table, declaration] of personalTables()) {
        if (declaration.exportKey === null) continue;
        sections.push({ key: declaration.exportKey, table, records: await sectionRecords(trx, table, declaration, personId, accessRequest) });
      }
      return { format: EXPORT_FORMAT, exportedAt, accessRequest, person, sections };
    });
}

/** The JSON of the export, with the documented keys (see EXPORT_FORMAT); times as ISO 8601. */
export function exportJson(data: PersonalData): string {
  const document: Record<string, unknown> = {
    format: data.format,
    exported_at: data.exportedAt,
    access_request: data.accessRequest,
    person: data.person,
  };
  for (const section of data.sections) document[section.key] = section.records;
  // Date's toJSON is toISOString: every time comes out as "2026-12-07T10:00:00.000Z".
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The person columns whose person's export holds the rows they name. */
export function rowSelectingColumns(declaration: TableDeclaration): string[] {
  return personColumns(declaration)
    .filter(([, column]) => column.exportRows ?? column.rows === 'own')
    .map(([name]) => name);
}

/** The declaration of a table a label or `through` names; it must be declared. */
export function declarationOf(table: string): TableDeclaration {
  const declaration = (PERSONAL_DATA as Partial<Record<string, TableDeclaration>>)[table];
  if (!declaration) throw new Error(`${table} is not declared in PERSONAL_DATA`);
  return declaration;
}

/** How many records each section of the person's export has, in one query (the My data page
 * shows these; reading the whole export for them was the slowest thing it did). */
export async function countPersonalData(db: Db, personId: number): Promise<Array<{ key: string; table: PersonalTable; count: number }>> {
  const sections = personalTables().filter(([, declaration]) => declaration.exportKey !== null);
  const counts = sections.map(([table, declaration], i) => {
    const { join, reached } = sectionRows(table, declaration);
    return sql`(select count(*) from ${sql.table(table)} as t ${join} where ${sql.join(reached.map((column) => sql`${column} = ${personId}`), sql` or `)})::int as ${sql.id(`s${i}`)}`;
  });
  const { rows } = await sql<Record<string, number>>`select ${sql.join(counts)}`.execute(db);
  return sections.map(([table, declaration], i) => ({ key: declaration.exportKey!, table, count: rows[0]![`s${i}`]! }));
}

/** Which rows of a table are the person's: the person columns that select rows, here or in the
 * table the rows are reached through (joined as p). */
function sectionRows(table: PersonalTable, declaration: TableDeclaration) {
  const own = rowSelectingColumns(declaration);
  const through = declaration.through ? { ...declaration.through, selecting: rowSelectingColumns(declarationOf(declaration.through.table)) } : null;
  if (own.length === 0 && (through?.selecting.length ?? 0) === 0) throw new Error(`${table} has an exportKey but no column that says whose its rows are`);
  const reached = [...own.map((name) => sql.ref(`t.${name}`)), ...(through?.selecting ?? []).map((name) => sql.ref(`p.${name}`))];
  const join = through ? sql`join ${sql.table(through.table)} as p on p.id = ${sql.ref(`t.${through.column}`)}` : sql``;
  return { reached, join, viaNames: [...own, ...(through?.selecting ?? [])] };
}

async function sectionRecords(db: Db, table: PersonalTable, declaration: TableDeclaration, personId: number, accessRequest: boolean): Promise<ExportRecord[]> {
  const { reached, join, viaNames } = sectionRows(table, declaration);
  const columns = Object.entries(declaration.columns).filter(([, column]) => column.export !== 'omit');
  const selected: RawBuilder<unknown>[] = columns.map(([name, column]) =>
    column.export === 'existence' ? sql`(${sql.ref(`t.${name}`)} is not null) as ${sql.id(name)}` : sql`${sql.ref(`t.${name}`)} as ${sql.id(name)}`,
  );
  viaNames.forEach((name, i) => selected.push(sql`(${reached[i]} is not distinct from ${personId}) as ${sql.id(VIA + name)}`));
  const order = 'id' in declaration.columns ? sql`order by t.id` : 'created_at' in declaration.columns ? sql`order by t.created_at` : sql``;
  const { rows } = await sql<Row>`
    select ${sql.join(selected)}
    from ${sql.table(table)} as t ${join}
    where ${sql.join(reached.map((column) => sql`${column} = ${personId}`), sql` or `)}
    ${order}`.execute(db);

  const labels = await resolveLabels(db, declaration, rows, 0);
  return rows.map((row) => {
    const via = new Set(viaNames.filter((name) => row[VIA + name] === true));
    const record: ExportRecord = {};
    for (const [name, column] of columns) {
      if (column.exportedVia && !accessRequest && !column.exportedVia.some((c) => via.has(c))) continue;
      record[name] = row[name];
      if (column.label) record[column.label.key] = labels.get(name)?.get(row[name]) ?? null;
    }
    return record;
  });
}

/** For each labelled column of the rows, its context by the value it points to. */
async function resolveLabels(db: Db, declaration: TableDeclaration, rows: readonly Row[], depth: number): Promise<Map<string, Map<unknown, ExportRecord>>> {
  const found = new Map<string, Map<unknown, ExportRecord>>();
  if (depth >= LABEL_DEPTH) return found;
  for (const [name, column] of Object.entries(declaration.columns)) {
    if (!column.label) continue;
    const ids = [...new Set(rows.map((row) => row[name]).filter((id): id is number => typeof id === 'number'))];
    found.set(name, await labelRecords(db, column.label, ids, depth + 1));
  }
  return found;
}

async function labelRecords(db: Db, label: ExportLabel, ids: readonly number[], depth: number): Promise<Map<unknown, ExportRecord>> {
  if (ids.length === 0) return new Map();
  const target = declarationOf(label.table);
  const { rows } = await sql<Row>`
    select t.id as ${sql.id(VIA + 'id')}, ${sql.join(label.columns.map((name) => sql`${sql.ref(`t.${name}`)} as ${sql.id(name)}`))}
    from ${sql.table(label.table)} as t
    where t.id in (${sql.join(ids)})`.execute(db);
  // Only the labels of the columns shown: a shift's activity, not everything the activity has.
  const shown = { ...target, columns: Object.fromEntries(label.columns.map((name) => [name, target.columns[name]!])) };
  const nested = await resolveLabels(db, shown, rows, depth);
  return new Map(
    rows.map((row) => {
      const record: ExportRecord = {};
      for (const name of label.columns) {
        record[name] = row[name];
        const inner = target.columns[name]?.label;
        if (inner && nested.has(name)) record[inner.key] = nested.get(name)!.get(row[name]) ?? null;
      }
      return [row[VIA + 'id'], record];
    }),
  );
}
