// What the fault tests share: a PostgreSQL server of their own with people, sessions and
// 20-seat activities written straight into it, a stream of RSVP form posts the way browsers
// send them (Origin, session cookie, one new connection each), the answers sorted into what a
// person would see, and the checks that nothing acknowledged was lost.
//
// Nothing here measures time: every wait polls for a condition and only gives up after a
// generous limit, because this runs on a shared, noisy machine.
import http from 'node:http';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import { createSession } from '../../src/features/accounts/sessions.ts';
import { makeActivity, makeOrganisation } from '../helpers/fixtures.ts';
import { parseLoggedMails, type Portal } from '../helpers/portal.ts';

export const CAPACITY = 20;
/** A request with no answer after this long counts as hung: far above the server's own limits
 * (5 s to connect, 20 s in the pool queue, 30 s per query) and a 500-request burst on PGlite. */
export const CLIENT_TIMEOUT_MS = 120_000;

export interface Person {
  id: number;
  /** The session cookie's value. */
  token: string;
}

export interface Town {
  organisationId: number;
  activityIds: number[];
  people: Person[];
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting (${timeoutMs / 1000} s) for: ${what}`);
    await sleep(everyMs);
  }
}

/** Opens the database from the test process and brings it to the latest schema. */
export async function openMigrated(options: { url?: string; dataDir?: string }): Promise<DatabaseHandle> {
  const handle = await openDatabase({ url: options.url, dataDir: options.dataDir, poolSize: 4 });
  await migrateToLatest(handle.db);
  return handle;
}

/** An organisation, `activities` published 20-seat activities in 2030 and `people` signed-in people. */
export async function makeTown(db: Kysely<Database>, counts: { activities: number; people: number }): Promise<Town> {
  const organisationId = await makeOrganisation(db);
  const activityIds: number[] = [];
  for (let i = 1; i <= counts.activities; i++) {
    activityIds.push(await makeActivity(db, organisationId, { capacity: CAPACITY, startsAt: new Date(Date.UTC(2030, 5, i, 16)), title: `Sprachcafé ${i}` }));
  }
  const users = await db
    .insertInto('app_user')
    .values(
      Array.from({ length: counts.people }, (_, i) => ({
        email: `person-${i + 1}@stoerfall.example`,
        // A placeholder: these people never sign in with a password, their sessions are made below.
        password_hash: 'not-a-real-hash',
        display_name: `Person ${i + 1}`,
        locale: 'de',
        email_verified_at: new Date(),
      })),
    )
    .returning('id')
    .execute();
  const people: Person[] = [];
  for (const user of users.sort((a, b) => a.id - b.id)) people.push({ id: user.id, token: (await createSession(db, user.id)).token });
  return { organisationId, activityIds, people };
}

export interface Attempt {
  person: Person;
  activityId: number;
  partySize: number;
}

export type Answer =
  | { kind: 'going' | 'waitlisted'; position: number | null }
  | { kind: 'refused'; key: string }
  | { kind: 'unavailable'; retryAfter: string }
  | { kind: 'unexpected'; status: number; detail: string }
  | { kind: 'no-answer'; error: string }
  | { kind: 'hung' };

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on a connection of its own; rejects on a network error, and on no
 * answer within CLIENT_TIMEOUT_MS with an error whose code is 'HUNG'. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent | false } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('no answer'), { code: 'HUNG' })), CLIENT_TIMEOUT_MS);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

function cookie(headers: http.IncomingHttpHeaders, name: string): string | null {
  for (const line of headers['set-cookie'] ?? []) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() === name) {
      const value = pair.slice(eq + 1).trim();
      return value === '' ? null : decodeURIComponent(value);
    }
  }
  return null;
}

/** Sorts an answer to the RSVP form into what the person sees. Success and refusal are both
 * a 303 back to the activity page (post/redirect/get); success carries the flash cookie, a
 * refusal the form-state cookie. */
export function readAnswer(response: RawResponse, activityId: number): Answer {
  if (response.status === 503) {
    const retryAfter = response.headers['retry-after'];
    if (retryAfter) return { kind: 'unavailable', retryAfter };
    return { kind: 'unexpected', status: 503, detail: 'a 503 without Retry-After' };
  }
  if (response.status !== 303) return { kind: 'unexpected', status: response.status, detail: response.body.slice(0, 300) };
  if (response.headers.location !== `/activities/${activityId}`) {
    return { kind: 'unexpected', status: 303, detail: `redirect to ${response.headers.location}` };
  }
  const flash = cookie(response.headers, 'flash');
  if (flash) {
    const message = JSON.parse(flash) as { key: string; count?: number };
    if (message.key === 'rsvp.going') return { kind: 'going', position: null };
    if (message.key === 'rsvp.waitlisted') return { kind: 'waitlisted', position: message.count ?? null };
    return { kind: 'unexpected', status: 303, detail: `flash ${flash}` };
  }
  const form = cookie(response.headers, 'form-result');
  if (form) {
    const state = JSON.parse(form) as { form: { key: string } | null; fields: Record<string, string> };
    return { kind: 'refused', key: state.form?.key ?? JSON.stringify(state.fields) };
  }
  return { kind: 'unexpected', status: 303, detail: 'neither a flash nor a form result' };
}

/** Posts the RSVP form without JavaScript, the way a browser does. */
export async function postRsvp(baseUrl: string, attempt: Attempt, options: { agent?: http.Agent } = {}): Promise<Answer> {
  const target = new URL(`/activities/${attempt.activityId}?_action=rsvps.create`, baseUrl);
  const body = new URLSearchParams({ activityId: String(attempt.activityId), partySize: String(attempt.partySize), note: '' }).toString();
  try {
    const response = await request(target.toString(), {
      method: 'POST',
      agent: options.agent ?? false,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(body)),
        Origin: target.origin,
        Cookie: `session=${attempt.person.token}`,
        'Accept-Language': 'de',
      },
      body,
    });
    return readAnswer(response, attempt.activityId);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'HUNG') return { kind: 'hung' };
    return { kind: 'no-answer', error: `${code} ${error instanceof Error ? error.message : error}` };
  }
}

export async function healthStatus(baseUrl: string): Promise<number> {
  try {
    return (await request(new URL('/healthz', baseUrl).toString())).status;
  } catch {
    return 0;
  }
}

/** Every person × every activity, in a fixed shuffled order; party sizes 1 to 3. */
export function allAttempts(town: Town): Attempt[] {
  const attempts: Attempt[] = [];
  for (const [p, person] of town.people.entries()) {
    for (const [a, activityId] of town.activityIds.entries()) attempts.push({ person, activityId, partySize: ((p * 7 + a * 3) % 3) + 1 });
  }
  // A small linear congruential generator: the same order on every run.
  let seed = 42;
  for (let i = attempts.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [attempts[i], attempts[j]] = [attempts[j]!, attempts[i]!];
  }
  return attempts;
}

export interface Logged {
  attempt: Attempt;
  answer: Answer;
  /** What the test was doing when the answer came, e.g. 'database down'. */
  phase: string;
}

const key = (attempt: Pick<Attempt, 'activityId'> & { person: Pick<Person, 'id'> }) => `${attempt.person.id}:${attempt.activityId}`;

/**
 * A stream of RSVPs, `concurrency` at a time, like people pressing the button. Someone who got
 * "please try again" (503) or no answer at all tries again a little later, the way people do;
 * everyone else is done after one answer.
 */
export class RsvpStream {
  readonly log: Logged[] = [];
  phase = 'start';
  private readonly fresh: Attempt[];
  private readonly again: Attempt[] = [];
  private noMoreFresh = false;
  private stopped = false;
  private workers: Promise<void>[] = [];

  private readonly baseUrl: () => string;
  private readonly concurrency: number;

  constructor(baseUrl: () => string, attempts: Attempt[], concurrency: number) {
    this.baseUrl = baseUrl;
    this.concurrency = concurrency;
    this.fresh = [...attempts];
  }

  start(): this {
    this.workers = Array.from({ length: this.concurrency }, () => this.work());
    return this;
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      const attempt = this.again.shift() ?? (this.noMoreFresh ? undefined : this.fresh.shift());
      if (!attempt) {
        if (this.noMoreFresh || this.fresh.length === 0) return;
        continue;
      }
      const answer = await postRsvp(this.baseUrl(), attempt);
      this.log.push({ attempt, answer, phase: this.phase });
      if (answer.kind === 'unavailable' || answer.kind === 'no-answer') {
        this.again.push(attempt);
        // Not a hammering loop while the database or the portal is away.
        await sleep(150);
      }
    }
  }

  count(kinds: Answer['kind'][], phase?: string): number {
    return this.log.filter((l) => kinds.includes(l.answer.kind) && (phase === undefined || l.phase === phase)).length;
  }

  /** Stops taking new people and lets everyone who was told to try again finish. */
  async finish(): Promise<void> {
    this.noMoreFresh = true;
    await Promise.all(this.workers);
  }

  /** The final answer of each person and activity, and whether an earlier try left it in doubt. */
  outcomes(): Map<string, { attempt: Attempt; answer: Answer; inDoubtBefore: boolean }> {
    const outcomes = new Map<string, { attempt: Attempt; answer: Answer; inDoubtBefore: boolean }>();
    for (const { attempt, answer } of this.log) {
      const before = outcomes.get(key(attempt));
      const inDoubt = before !== undefined && (before.inDoubtBefore || before.answer.kind === 'unavailable' || before.answer.kind === 'no-answer');
      outcomes.set(key(attempt), { attempt, answer, inDoubtBefore: inDoubt });
    }
    return outcomes;
  }
}

/** Summarises answers by kind, for failure messages and the log. */
export function tally(log: Logged[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { answer, phase } of log) {
    const name = `${phase}: ${answer.kind === 'refused' ? `refused ${answer.key}` : answer.kind}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

interface RsvpRow {
  id: number;
  activity_id: number;
  user_id: number;
  party_size: number;
  status: string;
}

export async function rsvpRows(db: Kysely<Database>): Promise<RsvpRow[]> {
  const rows = await db.selectFrom('rsvp').select(['id', 'activity_id', 'user_id', 'party_size', 'status']).orderBy('id').execute();
  return rows.map((r) => ({ ...r, user_id: r.user_id ?? 0 }));
}

/**
 * The invariants the portal promises after any fault: each activity within capacity, nobody
 * waiting who would fit, one live RSVP per person and activity, and every waiting party told
 * the place it really has (nobody cancels in these tests, so places never move).
 */
export async function expectSeatsConsistent(db: Kysely<Database>, town: Town): Promise<void> {
  const rows = await rsvpRows(db);
  for (const activityId of town.activityIds) {
    const live = rows.filter((r) => r.activity_id === activityId && r.status !== 'cancelled');
    const going = live.filter((r) => r.status === 'going').reduce((sum, r) => sum + r.party_size, 0);
    expect(going, `seats taken in activity ${activityId}`).toBeLessThanOrEqual(CAPACITY);
    const free = CAPACITY - going;
    const fitting = live.filter((r) => r.status === 'waitlisted' && r.party_size <= free);
    expect(fitting, `waiting parties that would fit the ${free} free seats of activity ${activityId}`).toEqual([]);
    expect(new Set(live.map((r) => r.user_id)).size, `live RSVPs per person in activity ${activityId}`).toBe(live.length);
  }
}

/**
 * Everything acknowledged is in the database exactly once, with the status the person was
 * told; everything in the database was asked for by the stream and ended in an answer: a
 * success, or "already signed up" after a try whose answer was lost (committed, then the
 * answer failed).
 */
export async function expectNothingLost(db: Kysely<Database>, stream: RsvpStream): Promise<{ acknowledged: number; afterDoubt: number }> {
  const rows = (await rsvpRows(db)).filter((r) => r.status !== 'cancelled');
  const byKey = new Map(rows.map((r) => [`${r.user_id}:${r.activity_id}`, r]));
  let acknowledged = 0;
  let afterDoubt = 0;
  for (const [k, { answer, inDoubtBefore }] of stream.outcomes()) {
    const row = byKey.get(k);
    if (answer.kind === 'going' || answer.kind === 'waitlisted') {
      acknowledged++;
      expect(row, `acknowledged RSVP ${k} is in the database`).toBeDefined();
      expect(row!.status, `status of acknowledged RSVP ${k}`).toBe(answer.kind);
      if (answer.kind === 'waitlisted') {
        const ahead = rows.filter((r) => r.activity_id === row!.activity_id && r.status === 'waitlisted' && r.id < row!.id).length;
        expect(answer.position, `waitlist place told for ${k}`).toBe(ahead + 1);
      }
    } else if (answer.kind === 'refused' && answer.key === 'rsvp.error.already') {
      expect(inDoubtBefore, `"already signed up" for ${k} comes only after a try whose answer was lost`).toBe(true);
      expect(row, `RSVP ${k} whose first answer was lost`).toBeDefined();
      afterDoubt++;
    } else {
      throw new Error(`RSVP ${k} ended with ${JSON.stringify(answer)}`);
    }
    byKey.delete(k);
  }
  expect([...byKey.keys()], 'RSVPs in the database that no person was answered for').toEqual([]);
  return { acknowledged, afterDoubt };
}

/** Every live RSVP has exactly one confirmation (going or waitlisted) in the outbox, of the right kind. */
export async function expectOneConfirmationEach(db: Kysely<Database>): Promise<void> {
  const rows = (await rsvpRows(db)).filter((r) => r.status !== 'cancelled');
  const messages = await db
    .selectFrom('outbox')
    .select(['id', 'kind', 'recipient_user_id', sql<string>`payload->>'url'`.as('url')])
    .where('kind', 'in', ['rsvp_going', 'rsvp_waitlisted'])
    .execute();
  const confirmations = new Map<string, string[]>();
  for (const m of messages) {
    const activityId = /\/activities\/(\d+)$/.exec(m.url)?.[1];
    const k = `${m.recipient_user_id}:${activityId}`;
    confirmations.set(k, [...(confirmations.get(k) ?? []), m.kind]);
  }
  for (const r of rows) {
    const k = `${r.user_id}:${r.activity_id}`;
    expect(confirmations.get(k), `confirmations for RSVP ${k}`).toEqual([r.status === 'going' ? 'rsvp_going' : 'rsvp_waitlisted']);
    confirmations.delete(k);
  }
  expect([...confirmations.keys()], 'confirmations without an RSVP').toEqual([]);
}

/** Waits until the outbox holds nothing left to send. */
export async function waitForOutboxDrained(db: Kysely<Database>, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    'the outbox to be delivered',
    async () => {
      const row = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'sending'])
        .executeTakeFirstOrThrow();
      return Number(row.n) === 0;
    },
    timeoutMs,
    250,
  );
}

/** How often each outbox row's mail appears in the logs of the given portal processes. */
export function loggedMailCounts(portals: Portal[]): Map<number, number[]> {
  const counts = new Map<number, number[]>();
  for (const [index, portal] of portals.entries()) {
    // Standard output only: under load, the parent reads one mail block in two pieces now and
    // then, and a warning from standard error read in between would hide that mail.
    for (const mail of parseLoggedMails(portal.stdout())) {
      const id = Number(/^<outbox-(\d+)@/.exec(mail.messageId)?.[1]);
      const perPortal = counts.get(id) ?? portals.map(() => 0);
      perPortal[index]! += 1;
      counts.set(id, perPortal);
    }
  }
  return counts;
}

/**
 * Waits until the logs show every row marked sent. A mail is logged before its row is marked,
 * but the test reads the child's output asynchronously: the database can report the last row
 * sent a moment before the pipe's last chunk has been read here.
 */
export async function waitForSentMailsLogged(db: Kysely<Database>, portals: Portal[]): Promise<void> {
  const sent = (await outboxRows(db)).filter((r) => r.status === 'sent').map((r) => r.id);
  await waitFor(`the logs to show all ${sent.length} mails marked sent`, () => {
    const logged = loggedMailCounts(portals);
    return sent.every((id) => logged.has(id));
  }, 30_000);
}

export async function outboxRows(db: Kysely<Database>): Promise<Array<{ id: number; status: string }>> {
  return db.selectFrom('outbox').select(['id', 'status']).orderBy('id').execute();
}

/** The end of a portal's log, for failure messages. */
export function tail(portal: Portal, chars = 4000): string {
  return portal.output().slice(-chars);
}
