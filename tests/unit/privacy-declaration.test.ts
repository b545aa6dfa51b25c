// The declaration of personal data (src/features/privacy/declaration.ts) against the live
// schema after all migrations: every table and column is declared, nothing declared is gone,
// every reference to a person is a person column, and free text in a personal table is not
// waved through as "technical" without a reason written down here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NOT_PERSONAL, PERSONAL_DATA, personalTables, personColumns, type TableDeclaration } from '../../src/features/privacy/declaration.ts';
import { DEFAULT_RETENTION } from '../../src/features/privacy/retention-periods.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * Columns that can hold text (text, varchar, jsonb, arrays) and are declared 'technical' or
 * 'not_personal' anyway, each with the reason it names nobody. A new one fails the test until
 * someone decides here, in writing, that it is not about a person.
 */
const TEXT_NOT_ABOUT_A_PERSON: Record<string, string> = {
  // Consultation hours: what an organisation publishes about its own advice hours.
  'consultation_hour.place': 'Where the organisation advises (an office, a room)',
  'consultation_hour.topics': 'Codes of the topics offered',
  'consultation_hour.languages': 'Codes of the languages spoken on duty, not naming who',
  // Published activities: what organisers write for the public about the activity itself.
  'activity.status': 'One of draft, published, cancelled',
  'activity.title': 'Published title of the activity',
  'activity.description': 'Published description of the activity',
  'activity.source_locale': 'A language code',
  'activity.translations': 'Published translations of title and description',
  'activity.category': 'One of a fixed list of categories',
  'activity.place_name': 'A public place (a hall, a library), published',
  'activity.address': 'The address of that public place, published',
  'activity.online_url': 'The public link of an online activity',
  'activity.languages': 'Language codes spoken at the activity',
  'activity.german_level': 'A level code (A1 … C2)',
  'activity.audience': 'Codes of the groups the activity is for',
  'activity.cost': 'What it costs, as published',
  'activity.cancel_reason': 'Published reason for a cancellation, about the activity',
  'volunteer_role.name': 'Published name of a shift',
  'volunteer_role.what_to_bring': 'Published note on what helpers bring',
  'volunteer_role.skills': 'Codes of skills the shift wants',
  'volunteer_role.languages': 'Language codes the shift wants',
  'organisation.slug': "Part of the organisation's public address",
  'organisation.name': "The organisation's public name",
  'organisation.description': "The organisation's public description",
  'session.id': 'A random number (half of the cookie); only its owner holds the rest',
  // Tables with nothing about a person in them (NOT_PERSONAL).
  'answer_token.token_hash': 'SHA-256 of a one-tap link secret; the link answers an RSVP or shift, declared there',
  'activity_series.frequency': 'One of weekly, fortnightly, monthly',
  'app_setting.key': 'The name of a setting',
  'app_setting.value':
    "The installation's settings: retention periods, the demo marker, and the town's details as it publishes them by law (the official controller, data-protection officer and legal-notice contact), nothing of the portal's users",
  'kysely_migration.name': 'The name of a schema migration',
  'kysely_migration.timestamp': 'When the migration ran',
  'kysely_migration_lock.id': 'The name of the migrator lock',
  'privacy_run.started_by': 'One of schedule, command',
  'privacy_run.counts': 'How many rows of each kind a retention run removed: numbers by kind, no ids',
};

/** Person columns without a foreign key to app_user, each with the reason. */
const PERSON_COLUMNS_WITHOUT_REFERENCE: Record<string, string> = {};

const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED']);

interface LiveColumn {
  table: string;
  column: string;
  dataType: string;
}

let handle: DatabaseHandle;
let db: Kysely<Database>;
let columns: LiveColumn[];
/** 'table.column' → the table it refers to. */
let references: Map<string, string>;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  const live = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  columns = live.rows.map((r) => ({ table: r.table_name, column: r.column_name, dataType: r.data_type }));
  const keys = await sql<{ table_name: string; column_name: string; referenced_table: string }>`
    select kcu.table_name, kcu.column_name, ccu.table_name as referenced_table
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name
    join information_schema.constraint_column_usage ccu on ccu.constraint_schema = tc.constraint_schema and ccu.constraint_name = tc.constraint_name
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db);
  references = new Map(keys.rows.map((r) => [`${r.table_name}.${r.column_name}`, r.referenced_table]));
});
afterAll(() => handle?.close());

const personal = PERSONAL_DATA as unknown as Record<string, TableDeclaration>;
const notPersonal = NOT_PERSONAL as unknown as Record<string, { columns: readonly string[] }>;
const declaredColumns = (table: string): readonly string[] | undefined =>
  personal[table] ? Object.keys(personal[table].columns) : notPersonal[table]?.columns;

describe('the declaration covers the live schema', () => {
  it('reads a schema (the query itself works on this engine)', () => {
    expect(columns.length).toBeGreaterThan(100);
    expect(references.get('session.user_id')).toBe('app_user');
  });

  it('declares every table exactly once, as personal or not', () => {
    const tables = [...new Set(columns.map((c) => c.table))];
    const undeclared = tables.filter((t) => !(t in personal) && !(t in notPersonal));
    expect(undeclared, 'tables in neither PERSONAL_DATA nor NOT_PERSONAL').toEqual([]);
    const both = Object.keys(personal).filter((t) => t in notPersonal);
    expect(both, 'tables declared both ways').toEqual([]);
  });

  it('declares every column of every table', () => {
    const undeclared = columns.filter((c) => !declaredColumns(c.table)?.includes(c.column)).map((c) => `${c.table}.${c.column}`);
    expect(undeclared, 'columns missing from the declaration').toEqual([]);
  });

  it('declares no table or column that does not exist (any more)', () => {
    const live = new Set(columns.map((c) => `${c.table}.${c.column}`));
    const liveTables = new Set(columns.map((c) => c.table));
    const gone = [...Object.keys(personal), ...Object.keys(notPersonal)].flatMap((table) =>
      liveTables.has(table) ? declaredColumns(table)!.filter((c) => !live.has(`${table}.${c}`)).map((c) => `${table}.${c}`) : [table],
    );
    expect(gone, 'declared but not in the schema').toEqual([]);
  });

  it("declares every column that refers to an account as a person column, in a personal table", () => {
    const wrong = [...references]
      .filter(([, target]) => target === 'app_user')
      .map(([column]) => column)
      .filter((column) => {
        const [table, name] = column.split('.') as [string, string];
        return personal[table]?.columns[name]?.kind !== 'person';
      });
    expect(wrong, "references to app_user not declared kind 'person'").toEqual([]);
  });

  it('declares as a person column only what refers to an account (or says why not)', () => {
    const unreferenced = personalTables()
      .flatMap(([table, declaration]) => personColumns(declaration).map(([column]) => `${table}.${column}`))
      .filter((column) => column !== 'app_user.id' && references.get(column) !== 'app_user' && !(column in PERSON_COLUMNS_WITHOUT_REFERENCE));
    expect(unreferenced, 'person columns without a foreign key to app_user').toEqual([]);
  });

  it('lets no text of a table be called technical or not personal without a reason written here', () => {
    const waved = columns
      .filter((c) => TEXT_TYPES.has(c.dataType))
      .filter((c) => {
        const kind = personal[c.table]?.columns[c.column]?.kind;
        // A NOT_PERSONAL table's columns count as 'not_personal'.
        return kind === 'technical' || kind === 'not_personal' || (c.table in notPersonal);
      })
      .map((c) => `${c.table}.${c.column}`)
      .filter((column) => !(column in TEXT_NOT_ABOUT_A_PERSON));
    expect(waved, 'text columns declared technical/not_personal without a reason in TEXT_NOT_ABOUT_A_PERSON').toEqual([]);
  });

  it('keeps no stale reasons: each allowed column exists and is still declared that way', () => {
    const live = new Map(columns.map((c) => [`${c.table}.${c.column}`, c]));
    const stale = [...Object.keys(TEXT_NOT_ABOUT_A_PERSON), ...Object.keys(PERSON_COLUMNS_WITHOUT_REFERENCE)].filter((key) => {
      const column = live.get(key);
      if (!column) return true;
      if (key in PERSON_COLUMNS_WITHOUT_REFERENCE) return personal[column.table]?.columns[column.column]?.kind !== 'person';
      const kind = personal[column.table]?.columns[column.column]?.kind;
      return !TEXT_TYPES.has(column.dataType) || !(kind === 'technical' || kind === 'not_personal' || column.table in notPersonal);
    });
    expect(stale, 'reasons for columns that no longer need one').toEqual([]);
  });
});

describe('the declaration is consistent in itself', () => {
  const retentionKeys = Object.keys(DEFAULT_RETENTION);

  it("exports only rows that belong to someone: an 'own' person column, one that puts its rows in an export, or `through` one", () => {
    const orphans = personalTables()
      .filter(([, d]) => d.exportKey !== null)
      .filter(([, d]) => !personColumns(d).some(([, c]) => c.exportRows ?? c.rows === 'own') && !d.through)
      .map(([table]) => table);
    expect(orphans).toEqual([]);
  });

  it('points `through` at a column of its own table and a personal table with an own person column', () => {
    for (const [table, d] of personalTables()) {
      if (!d.through) continue;
      expect(Object.keys(d.columns), `${table}.through.column`).toContain(d.through.column);
      const target = personal[d.through.table];
      expect(target, `${table}.through.table`).toBeDefined();
      expect(personColumns(target!).some(([, c]) => c.exportRows ?? c.rows === 'own'), `${table}.through.table has an own person column`).toBe(true);
    }
  });

  it('counts every `{ period }` in a retention period a site admin can set', () => {
    const unknown = personalTables()
      .map(([table, d]) => [table, d.kept] as const)
      .filter(([, kept]) => 'period' in kept && !retentionKeys.includes(kept.period))
      .map(([table]) => table);
    expect(unknown).toEqual([]);
  });

  it('gives every exported table its own export key', () => {
    const keys = personalTables().map(([, d]) => d.exportKey).filter((k) => k !== null);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('shows no secret and exports it at most as "is set"', () => {
    const shown = personalTables().flatMap(([table, d]) =>
      Object.entries(d.columns)
        .filter(([, c]) => c.kind === 'secret' && c.export === 'value')
        .map(([column]) => `${table}.${column}`),
    );
    expect(shown).toEqual([]);
  });
});
