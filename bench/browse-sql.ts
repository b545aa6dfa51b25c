// The SQL the browse page runs, taken from the portal's own query functions rather than copied:
// they run once against a Kysely that records each compiled query instead of sending it (a
// dummy driver answers with no rows). The ceiling then sends exactly these statements with pg.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import { browseChoices, listPublishedActivities } from '../src/features/activities/activities.queries.ts';

/** One recorded statement; `nowAt` are the positions of parameters that hold "now". */
export interface RecordedQuery {
  sql: string;
  parameters: unknown[];
  nowAt: number[];
}

function recorder(into: CompiledQuery[]): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === 'query') into.push(event.query);
    },
  });
}

function withNow(query: CompiledQuery, now: Date): RecordedQuery {
  const nowAt = query.parameters.flatMap((p, i) => (p instanceof Date && p.getTime() === now.getTime() ? [i] : []));
  return { sql: query.sql, parameters: [...query.parameters], nowAt };
}

/**
 * The first page of /activities for a visitor in German, as src/pages/[...locale]/activities.astro
 * asks for it (20 rows and one more to know whether there is a next page), and the two queries
 * of its filter choices.
 */
export async function recordBrowsePageQueries(pageSize = 20): Promise<{ list: RecordedQuery; choices: RecordedQuery[] }> {
  const now = new Date();
  const listed: CompiledQuery[] = [];
  await listPublishedActivities(recorder(listed), { locale: 'de', from: now, filters: {}, limit: pageSize + 1, offset: 0 });
  const chosen: CompiledQuery[] = [];
  await browseChoices(recorder(chosen), now);
  if (listed.length !== 1 || chosen.length !== 2) throw new Error(`expected 1 + 2 browse queries, recorded ${listed.length} + ${chosen.length}`);
  return { list: withNow(listed[0]!, now), choices: chosen.map((q) => withNow(q, now)) };
}

/** The parameters for a run at `now`. */
export function parametersAt(query: RecordedQuery, now: Date): unknown[] {
  const parameters = [...query.parameters];
  for (const i of query.nowAt) parameters[i] = now;
  return parameters;
}
