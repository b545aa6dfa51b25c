// Erasing a person: "Delete my account", a coordinator deleting on someone's behalf, or
// retention deleting an account nobody uses. One transaction does all of it, or none:
//
// 1. What the person still takes part in is ended by the features' own rules, with their usual
//    mails: future RSVPs are cancelled and the seats go to the waitlist, future shifts are
//    withdrawn and the organisers told, running mentorships end (the other side is told the
//    person has left), open requests are withdrawn. Their one-tap answer links go (an RSVP is
//    kept, anonymous, so its links would otherwise outlive the person).
// 2. Then every table and column of src/features/privacy/declaration.ts is walked: for each
//    person column naming them, its `onErasure` — the row is deleted, kept without anything
//    that names them (the other columns get their `erase`), the link is cut, or replaced with a
//    pseudonym. Nothing here lists tables: a table added to the declaration is erased too.
// 3. The audit log records the deletion under the pseudonym, and the account row goes last,
//    so that the same address can sign up again as a new person.
//
// The pseudonym ("deleted-" and 8 random hex digits) is made once per erasure: the person's
// audit events stay together under it, and it reveals nothing about them.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { forgetRateLimitsOf, passwordMatches, type RequestOrigin } from '../accounts/accounts.service.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { NotFoundError } from '../access/access.ts';
import { recordAudit } from '../audit/audit.ts';
import { deleteAnswerTokensOf } from '../answers/answer-links.ts';
import { leaveMentoring, runningMentorshipsOf } from '../mentoring/mentoring.service.ts';
import { cancelFutureRsvps, changeableRsvpsOf } from '../rsvps/rsvps.service.ts';
import { withdrawableShiftsOf, withdrawFromFutureShifts } from '../volunteering/volunteering.service.ts';
import { reopenRequestsHeldBy } from '../help-requests/help-requests.service.ts';
import { personColumns, personalTables, type ColumnDeclaration, type PersonalTable, type TableDeclaration } from './declaration.ts';
import { assertMayEraseOnBehalf } from './erasure.access.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Who asks for the erasure: the person themself, a coordinator on their behalf, or retention. */
export type ErasureRequester = { by: 'self' } | { by: 'coordinator'; coordinatorId: number } | { by: 'retention' };

export interface ErasureOptions {
  requester: ErasureRequester;
  /** The network address the request came from (none for retention). */
  ip: string | null;
  /** Where links in the mails it causes point, e.g. https://ankommen.altena.de */
  baseUrl: string;
  now?: Date;
}

/** What happened to one table's rows. */
export interface TableErasure {
  deleted: number;
  /** Kept without anything that names the person (an RSVP that still counts, an audit event). */
  anonymised: number;
  /** Rows of others where only the link to the person was cut (an activity they created). */
  unlinked: number;
}

export interface ErasureResult {
  pseudonym: string;
  /** What the features' own rules ended first. */
  steps: {
    rsvpsCancelled: number;
    shiftsWithdrawn: number;
    mentorshipsEnded: number;
    requestsReopened: number;
    requestsWithdrawn: number;
    rateLimitsForgotten: number;
    /** One-tap answer links of the person's RSVPs and shifts (an RSVP stays, anonymous: its
     * links must not). */
    answerLinksDeleted: number;
  };
  /** Per declared table, the rows the declaration pass touched (tables it left alone are absent). */
  tables: Partial<Record<PersonalTable, TableErasure>>;
}

/** A pseudonym that reveals nothing about the person: 32 random bits, made once per erasure. */
export function newPseudonym(): string {
  return `deleted-${randomBytes(4).toString('hex')}`;
}

/**
 * Erases the person (see the top of this file), in one transaction. Throws NotFoundError when
 * there is no such person. Who may ask is decided before (deleteOwnAccount, deleteOnBehalf,
 * retention): this only carries it out.
 */
export async function erasePerson(db: Kysely<Database>, personId: number, options: ErasureOptions): Promise<ErasureResult> {
  const now = options.now ?? new Date();
  const pseudonym = newPseudonym();
  return db.transaction().execute(async (trx) => {
    // The person's row is the lock: a second erasure of the same person waits, then finds nobody.
    const person = await trx.selectFrom('app_user').select(['id', 'email', 'sign_in_name']).where('id', '=', personId).forUpdate().executeTakeFirst();
    if (!person) throw new NotFoundError('person');
    const context = { baseUrl: options.baseUrl };
    const rsvpsCancelled = await cancelFutureRsvps(trx, personId, context, now);
    const shiftsWithdrawn = await withdrawFromFutureShifts(trx, personId, context, now);
    await reopenRequestsHeldBy(trx, personId, now);
    const mentoring = await leaveMentoring(trx, personId, { ip: options.ip ?? '', baseUrl: options.baseUrl }, now);
    const rateLimitsForgotten = await forgetRateLimitsOf(trx, person);
    const answerLinksDeleted = await deleteAnswerTokensOf(trx, personId);
    const tables = await eraseDeclaredData(trx, personId, pseudonym, now);
    const { requester } = options;
    await recordAudit(trx, {
      // A person deleting their own account is already gone: the event stands under the pseudonym.
      actorUserId: requester.by === 'coordinator' ? requester.coordinatorId : null,
      actorPseudonym: requester.by === 'self' ? pseudonym : null,
      action: 'account.deleted',
      objectType: 'user',
      objectId: pseudonym,
      // Only a coordinator's address is kept: the person's own goes with the rest of their data.
      ip: requester.by === 'coordinator' ? options.ip : null,
      details: { by: requester.by },
    });
    return { pseudonym, steps: { rsvpsCancelled, shiftsWithdrawn, ...mentoring, rateLimitsForgotten, answerLinksDeleted }, tables };
  });
}

// ——— The declaration pass ———

/** How a column's SQL type takes an erased value. */
type ColumnShape = 'text' | 'array' | 'jsonb' | 'other';

async function columnShapes(trx: Transaction<Database>): Promise<Map<string, ColumnShape>> {
  const rows = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema()`.execute(trx);
  const shapeOf = (type: string): ColumnShape => (type === 'ARRAY' ? 'array' : type === 'jsonb' ? 'jsonb' : type === 'text' || type.startsWith('character') ? 'text' : 'other');
  return new Map(rows.rows.map((r) => [`${r.table_name}.${r.column_name}`, shapeOf(r.data_type)]));
}

/**
 * The order the tables are erased in: rows reached through another table first (a meeting
 * before its mentorship), then the declaration backwards, so that rows pointing at others go
 * before those they point at and the account itself, declared first, goes last.
 */
function erasureOrder(): Array<[PersonalTable, TableDeclaration]> {
  const tables = personalTables().reverse();
  return [...tables.filter(([, d]) => d.through), ...tables.filter(([, d]) => !d.through)];
}

/** The column of a table that keeps the pseudonym for a person column erased by 'pseudonym':
 * actor_user_id → actor_pseudonym. */
function pseudonymColumnOf(table: string, declaration: TableDeclaration, column: string): string {
  const name = column.replace(/(_user)?_id$/, '_pseudonym');
  if (!(name in declaration.columns)) throw new Error(`${table}.${column} is erased by pseudonym, but ${table}.${name} is not declared`);
  return name;
}

async function eraseDeclaredData(trx: Transaction<Database>, personId: number, pseudonym: string, now: Date): Promise<Partial<Record<PersonalTable, TableErasure>>> {
  const shapes = await columnShapes(trx);
  const declarations = new Map(personalTables());
  const counted: Partial<Record<PersonalTable, TableErasure>> = {};
  const count = async (table: PersonalTable, kind: keyof TableErasure, query: RawBuilder<unknown>) => {
    const rows = (await query.execute(trx)).rows.length;
    if (rows === 0) return;
    const entry = (counted[table] ??= { deleted: 0, anonymised: 0, unlinked: 0 });
    entry[kind] += rows;
  };
  const names = (column: string) => sql`${sql.ref(column)} = ${personId}`;

  /** The SET list that makes a kept row name nobody: each column gets its `erase`; the person
   * columns in `cut` become null (or take the pseudonym); anonymised_at records when. */
  const anonymising = (table: PersonalTable, declaration: TableDeclaration, cut: ReadonlyArray<[string, 'null' | 'pseudonym']>) => {
    const set: RawBuilder<unknown>[] = [];
    for (const [column, how] of cut) {
      set.push(sql`${sql.ref(column)} = null`);
      if (how === 'pseudonym') set.push(sql`${sql.ref(pseudonymColumnOf(table, declaration, column))} = ${pseudonym}`);
    }
    for (const [column, declared] of Object.entries(declaration.columns)) {
      if (cut.some(([c]) => c === column)) continue;
      const value = erasedValue(column, declared, shapes.get(`${table}.${column}`) ?? 'other');
      if (value) set.push(sql`${sql.ref(column)} = ${value}`);
    }
    if ('anonymised_at' in declaration.columns) set.push(sql`anonymised_at = ${now}`);
    return sql.join(set);
  };

  for (const [table, declaration] of erasureOrder()) {
    const people = personColumns(declaration);
    const t = sql.table(table);

    // Rows that belong to the person through another table go as that table's rows go.
    if (declaration.through) {
      const parent = declarations.get(declaration.through.table as PersonalTable);
      if (!parent) throw new Error(`${table} goes through ${declaration.through.table}, which is not declared`);
      const via = sql.ref(declaration.through.column);
      const parentRows = (how: 'delete_row' | 'anonymise_row') => {
        const columns = personColumns(parent).filter(([, c]) => c.onErasure === how);
        if (columns.length === 0) return null;
        return sql`select id from ${sql.table(declaration.through!.table)} where ${sql.join(columns.map(([c]) => names(c)), sql` or `)}`;
      };
      const deleted = parentRows('delete_row');
      if (deleted) await count(table, 'deleted', sql`delete from ${t} where ${via} in (${deleted}) returning 1`);
      const anonymised = parentRows('anonymise_row');
      if (anonymised) await count(table, 'anonymised', sql`update ${t} set ${anonymising(table, declaration, [])} where ${via} in (${anonymised}) returning 1`);
    }

    // A row one of whose person columns says "delete" goes wholly, whichever column names them.
    const deleting = people.filter(([, c]) => c.onErasure === 'delete_row');
    if (deleting.length > 0) {
      await count(table, 'deleted', sql`delete from ${t} where ${sql.join(deleting.map(([c]) => names(c)), sql` or `)} returning 1`);
    }
    for (const [column, declared] of people) {
      if (declared.onErasure === 'anonymise_row') {
        await count(table, 'anonymised', sql`update ${t} set ${anonymising(table, declaration, [[column, 'null']])} where ${names(column)} returning 1`);
      } else if (declared.onErasure === 'pseudonym') {
        await count(table, 'anonymised', sql`update ${t} set ${anonymising(table, declaration, [[column, 'pseudonym']])} where ${names(column)} returning 1`);
      } else if (declared.onErasure === 'set_null') {
        await count(table, 'unlinked', sql`update ${t} set ${sql.ref(column)} = null where ${names(column)} returning 1`);
      }
    }

    // Other columns that hold the person's id in some rows (the object of an audit event).
    for (const [column, declared] of Object.entries(declaration.columns)) {
      if (declared.kind === 'person' || declared.erase !== 'pseudonym') continue;
      const marked = declared.personWhen ? sql` and ${sql.ref(declared.personWhen.column)} = ${declared.personWhen.equals}` : sql``;
      await count(table, 'anonymised', sql`update ${t} set ${sql.ref(column)} = ${pseudonym} where ${sql.ref(column)} = ${String(personId)}${marked} returning 1`);
    }
  }
  return counted;
}

/**
 * What a column of a kept row becomes, or null to leave it: 'blank' is the empty value of its
 * type ('' / an empty array / an empty JSON object or array), 'null' is NULL. A 'pseudonym'
 * column keeps its value here: it is replaced only where it names the person (above).
 */
function erasedValue(column: string, declared: ColumnDeclaration, shape: ColumnShape): RawBuilder<unknown> | null {
  if (declared.erase === 'null') return sql`null`;
  if (declared.erase !== 'blank') return null;
  if (shape === 'text') return sql`''`;
  if (shape === 'array') return sql`'{}'`;
  if (shape === 'jsonb') return sql`case when jsonb_typeof(${sql.ref(column)}) = 'array' then '[]'::jsonb else '{}'::jsonb end`;
  throw new Error(`${column} cannot be blanked: it is neither text, an array nor JSON`);
}

// ——— What the pages ask ———

/** What deleting the account will end, in the person's own numbers, for the page before it. */
export interface ErasurePreview {
  /** RSVPs that will be cancelled (each date of a course counts). */
  futureRsvps: number;
  futureShifts: number;
  runningMentorships: number;
  /** Activities the person created that stay with their organisation. */
  activitiesKept: number;
  /** Whether the person can delete the account themself: with an address and a password.
   * Everyone else asks a coordinator. */
  canDeleteThemself: boolean;
}

export async function erasurePreview(db: Db, personId: number, now = new Date()): Promise<ErasurePreview> {
  const person = await db.selectFrom('app_user').select(['email', 'password_hash']).where('id', '=', personId).executeTakeFirst();
  if (!person) throw new NotFoundError('person');
  const created = await db.selectFrom('activity').select(sql<number>`count(*)::int`.as('n')).where('created_by', '=', personId).executeTakeFirstOrThrow();
  return {
    futureRsvps: (await changeableRsvpsOf(db, personId, now)).length,
    futureShifts: (await withdrawableShiftsOf(db, personId, now)).length,
    runningMentorships: (await runningMentorshipsOf(db, personId)).length,
    activitiesKept: created.n,
    canDeleteThemself: person.email !== null && person.password_hash !== null,
  };
}

export type OwnDeletionResult = { ok: true } | { ok: false; fields?: { password: string }; form?: { key: string } };

/**
 * The signed-in person deletes their account after typing their password (checked before the
 * transaction opens: hashing takes a while, and the embedded database has one connection).
 * A wrong password deletes nothing.
 */
export async function deleteOwnAccount(
  db: Kysely<Database>,
  user: Pick<SessionUser, 'id'> | null | undefined,
  input: { password: string },
  origin: RequestOrigin,
  now = new Date(),
): Promise<OwnDeletionResult> {
  if (!user) throw new NotFoundError('signed-in only');
  if (!(await erasurePreview(db, user.id, now)).canDeleteThemself) return { ok: false, form: { key: 'erasure.askCoordinator' } };
  if (!(await passwordMatches(db, user.id, input.password))) return { ok: false, fields: { password: 'error.password.wrong' } };
  await erasePerson(db, user.id, { requester: { by: 'self' }, ip: origin.ip, baseUrl: origin.baseUrl, now });
  return { ok: true };
}

/** The person a coordinator is about to delete, for the page that asks "are you sure?". */
export interface PersonToErase {
  id: number;
  name: string;
  preview: ErasurePreview;
}

export async function personToErase(db: Kysely<Database>, actor: Pick<SessionUser, 'id'> | null | undefined, personId: number, now = new Date()): Promise<PersonToErase> {
  const { person } = await assertMayEraseOnBehalf(db, actor, personId);
  return { id: person.id, name: person.display_name, preview: await erasurePreview(db, person.id, now) };
}

/** A coordinator deletes the account of a person they may (erasure.access.ts), audited with the
 * coordinator as actor; anyone else gets "not found". */
export async function deleteOnBehalf(
  db: Kysely<Database>,
  actor: Pick<SessionUser, 'id'> | null | undefined,
  personId: number,
  origin: RequestOrigin,
  now = new Date(),
): Promise<ErasureResult> {
  const { coordinatorId, person } = await assertMayEraseOnBehalf(db, actor, personId);
  return erasePerson(db, person.id, { requester: { by: 'coordinator', coordinatorId }, ip: origin.ip, baseUrl: origin.baseUrl, now });
}
