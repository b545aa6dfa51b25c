// Progress toward a state's volunteer card (Ehrenamtskarte): the threshold a site admin sets
// for the town's state, and how far a volunteer's confirmed hours of the last 12 months go
// toward it. One app_setting row ('hours.recognition'); without one, NRW's rule holds, since
// the portal started in Altena: 250 hours a year or on average 5 hours a week.
// Either path is enough for the card, so the hours a year that satisfy the rule are the
// smaller of the two (5 hours × 52 weeks = 260 > 250: in NRW the 250 decide).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { assertAdmin } from '../access/access.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The 16 Länder by their official abbreviations, with the names the cards are issued under
 * (proper names, shown in German on every page, marked lang="de"). */
export const GERMAN_STATES = {
  BW: 'Baden-Württemberg',
  BY: 'Bayern',
  BE: 'Berlin',
  BB: 'Brandenburg',
  HB: 'Bremen',
  HH: 'Hamburg',
  HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern',
  NI: 'Niedersachsen',
  NW: 'Nordrhein-Westfalen',
  RP: 'Rheinland-Pfalz',
  SL: 'Saarland',
  SN: 'Sachsen',
  ST: 'Sachsen-Anhalt',
  SH: 'Schleswig-Holstein',
  TH: 'Thüringen',
} as const;
export type GermanState = keyof typeof GERMAN_STATES;
export const STATE_CODES = Object.keys(GERMAN_STATES) as GermanState[];

export interface RecognitionRule {
  /** Off: "My hours" shows no progress (a state without a card, or a town that does not want it). */
  enabled: boolean;
  state: GermanState;
  /** The card's name as volunteers know it ("Ehrenamtskarte NRW"). */
  cardName: string;
  /** Hours within a year that earn the card; null when the state asks only a weekly average. */
  hoursPerYear: number | null;
  /** Average hours a week over the year that earn the card; null when only a yearly sum counts. */
  hoursPerWeek: number | null;
}

export const RECOGNITION_SETTING = 'hours.recognition';

export const DEFAULT_RECOGNITION: Readonly<RecognitionRule> = { enabled: true, state: 'NW', cardName: 'Ehrenamtskarte NRW', hoursPerYear: 250, hoursPerWeek: 5 };

/** The bounds a site admin chooses within (the form's messages name them). */
export const RECOGNITION_BOUNDS = { hoursPerYear: { min: 1, max: 2000 }, hoursPerWeek: { min: 1, max: 60 }, cardName: { max: 80 } } as const;

const WEEKS_A_YEAR = 52;

function inBounds(value: unknown, { min, max }: { min: number; max: number }): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The rule in force: the stored one, each part checked, over the default. */
export async function loadRecognitionRule(db: Db): Promise<RecognitionRule> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', RECOGNITION_SETTING).executeTakeFirst();
  if (!row) return { ...DEFAULT_RECOGNITION };
  const stored = (row.value ?? {}) as Partial<Record<keyof RecognitionRule, unknown>>;
  const hoursPerYear = inBounds(stored.hoursPerYear, RECOGNITION_BOUNDS.hoursPerYear) ? stored.hoursPerYear : null;
  const hoursPerWeek = inBounds(stored.hoursPerWeek, RECOGNITION_BOUNDS.hoursPerWeek) ? stored.hoursPerWeek : null;
  const rule: RecognitionRule = {
    enabled: stored.enabled === true,
    state: typeof stored.state === 'string' && stored.state in GERMAN_STATES ? (stored.state as GermanState) : DEFAULT_RECOGNITION.state,
    cardName: typeof stored.cardName === 'string' && stored.cardName.trim() !== '' ? stored.cardName : DEFAULT_RECOGNITION.cardName,
    hoursPerYear,
    hoursPerWeek,
  };
  // A rule without any threshold cannot be shown; the form never saves one.
  if (hoursPerYear === null && hoursPerWeek === null) return { ...rule, enabled: false };
  return rule;
}

/** The admin page: the rule in force. Site admins only. */
export async function loadRecognitionPage(db: Db, actor: SessionUser | null | undefined): Promise<RecognitionRule> {
  assertAdmin(actor);
  return loadRecognitionRule(db);
}

/** Saves a rule (checked by the form's schema) and audits what changed. */
export async function changeRecognitionRule(db: Kysely<Database>, actor: SessionUser | null | undefined, rule: RecognitionRule, ip: string | null): Promise<void> {
  const admin = assertAdmin(actor);
  await db.transaction().execute(async (trx) => {
    const before = await loadRecognitionRule(trx);
    const value = JSON.stringify(rule);
    await trx
      .insertInto('app_setting')
      .values({ key: RECOGNITION_SETTING, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    const changed = (Object.keys(rule) as Array<keyof RecognitionRule>).filter((key) => before[key] !== rule[key]);
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'hours.recognition_changed',
      objectType: 'setting',
      objectId: RECOGNITION_SETTING,
      ip,
      details: Object.fromEntries(changed.map((key) => [key, `${before[key] ?? '–'} → ${rule[key] ?? '–'}`])),
    });
  });
}

/** The hours a year that satisfy the rule: the yearly sum or the weekly average over a year,
 * whichever asks less. */
export function targetHours(rule: Pick<RecognitionRule, 'hoursPerYear' | 'hoursPerWeek'>): number {
  const paths = [rule.hoursPerYear, rule.hoursPerWeek === null ? null : rule.hoursPerWeek * WEEKS_A_YEAR].filter((h): h is number => h !== null);
  return Math.min(...paths);
}

export interface RecognitionProgress {
  targetHours: number;
  /** Whole confirmed hours (a started hour is not yet an hour). */
  confirmedHours: number;
  /** Whole hours still to go, so that confirmed + still to go = target (183 of 250, 67 to go):
   * a started hour counts as still to go. 0 once reached. */
  stillToGo: number;
  /** Minutes not yet confirmed, shown apart: they count once the organisation confirms them. */
  pendingMinutes: number;
  reached: boolean;
  /** For the progress bar: 0–100. */
  percent: number;
}

/** How far confirmed minutes go toward the rule's target; pending minutes only told apart. */
export function recognitionProgress(rule: Pick<RecognitionRule, 'hoursPerYear' | 'hoursPerWeek'>, confirmedMinutes: number, pendingMinutes: number): RecognitionProgress {
  const target = targetHours(rule);
  const targetMinutes = target * 60;
  const reached = confirmedMinutes >= targetMinutes;
  return {
    targetHours: target,
    confirmedHours: Math.floor(confirmedMinutes / 60),
    stillToGo: reached ? 0 : target - Math.floor(confirmedMinutes / 60),
    pendingMinutes,
    reached,
    percent: Math.min(100, Math.floor((confirmedMinutes / targetMinutes) * 100)),
  };
}
