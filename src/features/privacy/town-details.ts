// The town's legal details, as a site admin enters them on /admin/town: who is responsible for
// the data (the controller) and its data-protection officer, the legal notice (Impressum,
// § 5 DDG and § 18 MStV) and the accessibility statement (BITV 2.0 and the Länder's laws). The
// privacy notice, the legal notice, the accessibility statement and the records of processing
// are generated from them. Three sections, each saved on its own, in one app_setting row; a
// section nobody has filled in yet is null, and the pages then say so instead of inventing one.
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'astro/zod';
import type { Database } from '../../db/schema.ts';
import { emailField, optionalLine, optionalText, requiredLine, requiredText } from '../../lib/form-schema.ts';
import { assertAdmin } from '../access/access.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { contactEmailField, contactPhoneField } from '../organisations/organisations.schema.ts';

export const TOWN_DETAILS_SETTING = 'privacy.town_details';

export const ACCESSIBILITY_STATUSES = ['full', 'partial', 'none'] as const;
export type AccessibilityStatus = (typeof ACCESSIBILITY_STATUSES)[number];

const blankToUndefined = (v: unknown) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v);
/** A web address that starts with https:// (or http://), up to 500 characters. */
const webAddress = () => z.url({ protocol: /^https?$/, error: 'error.url.invalid' }).max(500, { error: 'error.url.invalid' });
const optionalWebAddress = () => z.preprocess(blankToUndefined, webAddress().optional()).transform((v) => v ?? null);
const requiredWebAddress = () => z.preprocess(blankToUndefined, z.string({ error: 'error.required' }).pipe(webAddress()));
/** A postal address over a few lines. */
const address = () => requiredText(500, 'town.error.tooLong500');

/** Who is responsible for the portal's data (Art. 4(7) GDPR), its data-protection officer,
 * the supervisory authority a person can complain to, and who processes data for it. */
export const controllerInput = z
  .object({
    controllerName: requiredLine(120),
    controllerAddress: address(),
    controllerEmail: emailField(),
    controllerPhone: contactPhoneField(),
    dpoName: requiredLine(120),
    dpoEmail: contactEmailField(),
    dpoAddress: optionalText(500, 'town.error.tooLong500'),
    supervisoryAuthority: optionalLine(120),
    supervisoryUrl: optionalWebAddress(),
    processors: optionalText(2000, 'town.error.tooLong2000'),
  })
  .superRefine((input, ctx) => {
    // Art. 37(7) GDPR: the officer's contact is published; an address or a mailbox will do.
    if (!input.dpoEmail && !input.dpoAddress) ctx.addIssue({ code: 'custom', path: ['dpoEmail'], message: 'town.error.dpoContact' });
  });

/** The legal notice (Impressum): § 5 DDG for the provider, § 18(2) MStV for the content. */
export const legalNoticeInput = z.object({
  noticeProvider: requiredLine(120),
  noticeRepresentative: optionalLine(120),
  noticeAddress: address(),
  noticeEmail: emailField(),
  noticePhone: contactPhoneField(),
  noticeRegister: optionalLine(120),
  noticeVatId: optionalLine(120),
  contentResponsible: requiredText(500, 'town.error.tooLong500'),
});

/** The accessibility statement (Erklärung zur Barrierefreiheit). */
export const accessibilityInput = z
  .object({
    accessibilityStatus: z.preprocess((v) => v ?? '', z.enum(ACCESSIBILITY_STATUSES, { error: 'town.error.status' })),
    knownIssues: optionalText(4000, 'town.error.tooLong4000'),
    feedbackEmail: emailField(),
    feedbackPhone: contactPhoneField(),
    enforcementName: requiredLine(120),
    enforcementAddress: address(),
    enforcementUrl: requiredWebAddress(),
  })
  .superRefine((input, ctx) => {
    // A site that is not fully accessible must say what is not, and why.
    if (input.accessibilityStatus !== 'full' && !input.knownIssues) ctx.addIssue({ code: 'custom', path: ['knownIssues'], message: 'town.error.knownIssues' });
  });

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
