// The privacy notice, the town's legal details and the records of processing: every category,
// legal basis, viewer and period of the declaration has words in every language; the notice
// shows the periods in force; the details are validated, saved by site admins only, section by
// section, and audited; the records name every declared table and category.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { demoTownDetails } from '../../src/features/demo/demo-town.ts';
import { personalTables } from '../../src/features/privacy/declaration.ts';
import { loadPrivacyNotice, noticeCategories, PERIOD_CATEGORY } from '../../src/features/privacy/privacy-notice.ts';
import { processingRecords, recordsAsMarkdown } from '../../src/features/privacy/records.ts';
import { DEFAULT_RETENTION, loadRetentionPeriods, saveRetentionPeriods, type RetentionKey } from '../../src/features/privacy/retention-periods.ts';
import {
  accessibilityInput, controllerInput, legalNoticeInput, loadTownDetails, missingSections, saveTownDetails, storeTownDetails, TOWN_DETAILS_SETTING,
} from '../../src/features/privacy/town-details.ts';
import { LOCALES, translator } from '../../src/i18n/index.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makePerson } from '../helpers/fixtures.ts';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let admin: SessionUser;
let resident: SessionUser;

const NOW = new Date('2026-12-07T10:00:00Z');

const controller = {
  controllerName: 'Stadt Lennetal, Der Bürgermeister',
  controllerAddress: 'Rathausplatz 1\n58762 Lennetal',
  controllerEmail: 'Rathaus@Lennetal.example',
  controllerPhone: '02352 1234',
  dpoName: 'Dora Datenschutz',
  dpoEmail: '',
  dpoAddress: 'Rathausplatz 1, 58762 Lennetal',
  supervisoryAuthority: '',
  supervisoryUrl: '',
  processors: '',
};
const legalNotice = {
  noticeProvider: 'Stadt Lennetal',
  noticeRepresentative: 'Bürgermeisterin Berta Beispiel',
  noticeAddress: 'Rathausplatz 1\n58762 Lennetal',
  noticeEmail: 'rathaus@lennetal.example',
  noticePhone: '',
  noticeRegister: '',
  noticeVatId: '',
  contentResponsible: 'Berta Beispiel, Rathausplatz 1, 58762 Lennetal',
};
const accessibility = {
  accessibilityStatus: 'partial',
  knownIssues: 'PDFs sind nicht barrierefrei.',
  feedbackEmail: 'barrierefrei@lennetal.example',
  feedbackPhone: '',
  enforcementName: 'Schlichtungsstelle',
  enforcementAddress: 'Musterweg 1\n40000 Beispielstadt',
  enforcementUrl: 'https://schlichtung.example',
};

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  admin = { ...(await makePerson(db, { name: 'Ada Admin' })), is_admin: true };
  await db.updateTable('app_user').set({ is_admin: true }).where('id', '=', admin.id).execute();
  resident = await makePerson(db, { name: 'Rita Resident' });
});
afterAll(() => handle?.close());

const issues = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('words for everything the declaration names', () => {
  const categories = noticeCategories(DEFAULT_RETENTION);

  it.each(LOCALES)('%s has a title, "what" and "why" for every category, a text for every legal basis, viewer and period', (locale) => {
    const t = translator(locale);
    const missing: string[] = [];
    for (const c of categories) {
      for (const key of [`notice.category.${c.category}`, `notice.category.${c.category}.what`, `notice.category.${c.category}.why`]) if (!t.has(key)) missing.push(key);
      for (const basis of c.legalBases) if (!t.has(`notice.basis.${basis}`)) missing.push(`notice.basis.${basis}`);
      for (const viewer of c.viewers) if (!t.has(`notice.viewer.${viewer}`)) missing.push(`notice.viewer.${viewer}`);
      for (const rule of c.kept) {
        const key = rule.kind === 'period' ? `notice.period.${rule.key}` : `notice.kept.${rule.kind}`;
        if (!(rule.kind === 'period' ? t.isPlural(key) : t.has(key))) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  it('groups every personal table under exactly one category, and every period under a category that exists', () => {
    const grouped = categories.flatMap((c) => c.tables).sort();
    expect(grouped).toEqual(personalTables().map(([table]) => table).sort());
    const names = categories.map((c) => c.category);
    for (const category of Object.values(PERIOD_CATEGORY)) expect(names).toContain(category);
    const periods = categories.flatMap((c) => c.kept).filter((r) => r.kind === 'period').map((r) => (r.kind === 'period' ? r.key : null));
    expect(periods.sort()).toEqual((Object.keys(DEFAULT_RETENTION) as RetentionKey[]).sort());
  });

  it('marks the categories that can reveal special-category data', () => {
    const special = categories.filter((c) => c.special).map((c) => c.category);
    // A consultation's topic (health, residence) and note can reveal them too.
    expect(special).toEqual(['mentoring', 'meeting_notes', 'consultations']);
  });
});

describe('the privacy notice', () => {
  it('shows the periods in force: a changed period is what the notice says', async () => {
    const before = await loadPrivacyNotice(db);
    const rsvps = before.categories.find((c) => c.category === 'rsvps')!;
    expect(rsvps.kept).toContainEqual({ kind: 'period', key: 'rsvpNotesDays', count: 30, unit: 'days' });
    await saveRetentionPeriods(db, { ...(await loadRetentionPeriods(db)), rsvpNotesDays: 45, attendanceMonths: 1 });
    const after = await loadPrivacyNotice(db);
    const changed = after.categories.find((c) => c.category === 'rsvps')!;
    expect(changed.kept).toContainEqual({ kind: 'period', key: 'rsvpNotesDays', count: 45, unit: 'days' });
    expect(changed.kept).toContainEqual({ kind: 'period', key: 'attendanceMonths', count: 1, unit: 'months' });
    const de = translator('de');
    expect(de.plural('notice.period.rsvpNotesDays', 45)).toBe('Notizen zu Anmeldungen und Namen von Gästen ohne Konto löschen wir 45 Tage nach dem Angebot.');
    expect(de.plural('notice.period.attendanceMonths', 1)).toBe('Wer bei einem Angebot war, machen wir 1 Monat danach anonym; nur die Zahl bleibt.');
    await saveRetentionPeriods(db, DEFAULT_RETENTION);
  });
});

describe('the town details form', () => {
  it('accepts complete sections and tidies them (addresses in lower case, empty fields as nothing)', () => {
    const parsed = controllerInput.parse(controller);
    expect(parsed.controllerEmail).toBe('rathaus@lennetal.example');
    expect(parsed.dpoEmail).toBeNull();
    expect(parsed.supervisoryUrl).toBeNull();
    expect(legalNoticeInput.parse(legalNotice).noticePhone).toBeNull();
    expect(accessibilityInput.parse(accessibility).accessibilityStatus).toBe('partial');
  });

  it('refuses what a legal page cannot use, with a message per field', () => {
    expect(issues(controllerInput.safeParse({ ...controller, controllerEmail: 'rathaus-at-lennetal', controllerName: '' }))).toEqual({
      controllerEmail: 'error.email.invalid',
      controllerName: 'error.required',
    });
    // The data-protection officer must be reachable somehow.
    expect(issues(controllerInput.safeParse({ ...controller, dpoEmail: '', dpoAddress: '' }))).toEqual({ dpoEmail: 'town.error.dpoContact' });
    expect(issues(controllerInput.safeParse({ ...controller, supervisoryUrl: 'javascript:alert(1)' }))).toEqual({ supervisoryUrl: 'error.url.invalid' });
    expect(issues(legalNoticeInput.safeParse({ ...legalNotice, contentResponsible: ' ', noticePhone: 'call me' }))).toEqual({
      contentResponsible: 'error.required',
      noticePhone: 'error.phone.invalid',
    });
    // A site that is not fully accessible must say what is not.
    expect(issues(accessibilityInput.safeParse({ ...accessibility, knownIssues: '' }))).toEqual({ knownIssues: 'town.error.knownIssues' });
    expect(accessibilityInput.safeParse({ ...accessibility, accessibilityStatus: 'full', knownIssues: '' }).success).toBe(true);
    expect(issues(accessibilityInput.safeParse({ ...accessibility, accessibilityStatus: 'mostly', enforcementUrl: '' }))).toEqual({
      accessibilityStatus: 'town.error.status',
      enforcementUrl: 'error.required',
    });
  });

  it('is saved by a site admin only, section by section, each save in the audit log', async () => {
    expect(missingSections(await loadTownDetails(db))).toEqual(['controller', 'legalNotice', 'accessibility']);

    await expect(saveTownDetails(db, resident, { section: 'controller', input: controllerInput.parse(controller) }, NOW)).rejects.toThrow(NotFoundError);
    await expect(saveTownDetails(db, null, { section: 'controller', input: controllerInput.parse(controller) }, NOW)).rejects.toThrow(NotFoundError);
    expect(await db.selectFrom('app_setting').select('key').where('key', '=', TOWN_DETAILS_SETTING).executeTakeFirst()).toBeUndefined();

    await saveTownDetails(db, admin, { section: 'controller', input: controllerInput.parse(controller) }, NOW);
    await saveTownDetails(db, admin, { section: 'accessibility', input: accessibilityInput.parse(accessibility) }, NOW);
    const saved = await loadTownDetails(db);
    expect(saved.controller?.controllerName).toBe('Stadt Lennetal, Der Bürgermeister');
    expect(saved.accessibility?.statedAt).toBe(NOW.toISOString());
    expect(missingSections(saved)).toEqual(['legalNotice']);

    // Saving one section leaves the others as they were.
    await saveTownDetails(db, admin, { section: 'controller', input: controllerInput.parse({ ...controller, dpoName: 'Dirk Datenschutz' }) }, NOW);
    const again = await loadTownDetails(db);
    expect(again.controller?.dpoName).toBe('Dirk Datenschutz');
    expect(again.accessibility?.knownIssues).toBe('PDFs sind nicht barrierefrei.');

    const audit = await db.selectFrom('audit_event').select(['actor_user_id', 'details']).where('action', '=', 'privacy.town_details_changed').orderBy('id').execute();
    expect(audit).toEqual([
      { actor_user_id: admin.id, details: { section: 'controller' } },
      { actor_user_id: admin.id, details: { section: 'accessibility' } },
      { actor_user_id: admin.id, details: { section: 'controller' } },
    ]);
  });
});

describe('the records of processing', () => {
  it('name every declared table and category, the controller and the periods in force', async () => {
    const records = processingRecords(await loadPrivacyNotice(db), NOW);
    expect(records.controller?.name).toBe('Stadt Lennetal, Der Bürgermeister');
    expect(records.dataProtectionOfficer).toMatchObject({ name: 'Dirk Datenschutz', email: null, address: 'Rathausplatz 1, 58762 Lennetal' });
    const tables = records.activities.flatMap((a) => a.tables).sort();
    expect(tables).toEqual(personalTables().map(([table]) => table).sort());
    const markdown = recordsAsMarkdown(records, 'Ankommen Lennetal');
    for (const table of tables) expect(markdown).toContain(`\`${table}\``);
    for (const activity of records.activities) expect(markdown).toContain(`. ${activity.name}\n`);
    expect(markdown).toContain('Sign-ups never confirmed: deleted after 7 days');
    expect(markdown).toContain('Security log events: deleted after 12 months');
    expect(markdown).toContain('## Technical and organisational measures (Art. 32 GDPR)');
  });
});

describe("the demo town's details", () => {
  it('are complete, say they are invented, and never replace what a town entered', async () => {
    await storeTownDetails(db, demoTownDetails(NOW));
    const details = await loadTownDetails(db);
    expect(missingSections(details)).toEqual([]);
    expect(details.controller?.controllerName).toContain('erfundene Angaben');
    expect(details.legalNotice?.noticeEmail).toMatch(/\.example\.org$/);
    await storeTownDetails(db, { controller: null, legalNotice: null, accessibility: null }, { keepExisting: true });
    expect(missingSections(await loadTownDetails(db))).toEqual([]);
  });
});
