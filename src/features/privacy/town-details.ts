// The town's legal details, as a site admin enters them on /admin/town: who is responsible for
// the data (the controller) and its data-protection officer, the legal notice (Impressum,
// § 5 DDG and § 18 MStV) and the accessibility statement (BITV 2.0 and the Länder's laws). The
// privacy notice, the legal notice, the accessibility statement and the records of processing
// are generated from them. Three sections, each saved on its own, in one app_setting row; a
// section nobody has filled in yet is null, and the pages then say so instead of inventing one.
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'astro/zod';
import type { Database } from '../../db/schema.ts';
import { assertAdmin } from '../access/access.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';

export const TOWN_DETAILS_SETTING = 'privacy.town_details';

export { ACCESSIBILITY_STATUSES, accessibilityInput, controllerInput, legalNoticeInput, type AccessibilityStatus } from './town-details.schema.ts';
import { accessibilityInput, controllerInput, legalNoticeInput } from './town-details.schema.ts';

export type ControllerDetails = z.output<typeof controllerInput>;
export type LegalNoticeDetails = z.output<typeof legalNoticeInput>;
export type AccessibilityDetails = z.output<typeof accessibilityInput> & {
  /** When the statement was last saved: the date the statement gives. */
  statedAt: string;
};

export interface TownDetails {
  controller: ControllerDetails | null;
  legalNotice: LegalNoticeDetails | null;
  accessibility: AccessibilityDetails | null;
}

export type TownSection = keyof TownDetails;
export const TOWN_SECTIONS: readonly TownSection[] = ['controller', 'legalNotice', 'accessibility'];

type Db = Kysely<Database> | Transaction<Database>;

const stored = {
  controller: controllerInput,
  legalNotice: legalNoticeInput,
  accessibility: accessibilityInput.and(z.object({ statedAt: z.iso.datetime() })),
} as const;

/** The details in force; a section never saved, or one a later version cannot read, is null. */
export async function loadTownDetails(db: Db): Promise<TownDetails> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', TOWN_DETAILS_SETTING).executeTakeFirst();
  const value = (row?.value ?? {}) as Partial<Record<TownSection, unknown>>;
  const read = <S extends TownSection>(section: S) => {
    const parsed = stored[section].safeParse(value[section]);
    return (parsed.success ? parsed.data : null) as TownDetails[S];
  };
  return { controller: read('controller'), legalNotice: read('legalNotice'), accessibility: read('accessibility') };
}

/** The sections nobody has filled in yet (the admin pages warn about them). */
export function missingSections(details: TownDetails): TownSection[] {
  return TOWN_SECTIONS.filter((section) => details[section] === null);
}

/** The details for the admin's form: admins only, everyone else gets the missing page. */
export async function getTownDetailsForEditing(db: Kysely<Database>, actor: SessionUser | null): Promise<TownDetails> {
  assertAdmin(actor);
  return loadTownDetails(db);
}

export type TownSectionInput = { section: 'controller'; input: ControllerDetails } | { section: 'legalNotice'; input: LegalNoticeDetails } | { section: 'accessibility'; input: z.output<typeof accessibilityInput> };

/**
 * Saves one section (already validated by its schema) and leaves the others as they are, in
 * one statement, so that two admins saving different sections at once both keep theirs.
 */
export async function saveTownDetails(db: Kysely<Database>, actor: SessionUser | null, change: TownSectionInput, now: Date): Promise<void> {
  const admin = assertAdmin(actor);
  const section = change.section === 'accessibility' ? { ...change.input, statedAt: now.toISOString() } : change.input;
  const value = JSON.stringify({ [change.section]: section });
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('app_setting')
      .values({ key: TOWN_DETAILS_SETTING, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`app_setting.value || excluded.value` }))
      .execute();
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'privacy.town_details_changed',
      objectType: 'setting',
      objectId: TOWN_DETAILS_SETTING,
      details: { section: change.section },
    });
  });
}

/** Writes all three sections at once without an actor, for the demo town and tests; with
 * `keepExisting`, details a town entered already stay as they are. */
export async function storeTownDetails(db: Db, details: TownDetails, options: { keepExisting?: boolean } = {}): Promise<void> {
  const value = JSON.stringify(details);
  await db
    .insertInto('app_setting')
    .values({ key: TOWN_DETAILS_SETTING, value })
    .onConflict((oc) => (options.keepExisting ? oc.column('key').doNothing() : oc.column('key').doUpdateSet({ value })))
    .execute();
}
