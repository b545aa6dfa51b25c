// The export of a person's data on the engine under test: every declared section with each
// column as the declaration says (a secret only as "is set", omitted columns absent, times as
// ISO strings), context labels, the Kümmerer's private notes in the Kümmerer's export and a
// coordinator's access-request export but never in the newcomer's own, nobody else's rows in
// anyone's export (a canary planted in every declared column), the readable page's words in
// every language, and who may export whom.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { createSession, type SessionUser } from '../../src/features/accounts/sessions.ts';
import { recordAudit } from '../../src/features/audit/audit.ts';
import { PERSONAL_DATA, personalTables } from '../../src/features/privacy/declaration.ts';
import { fieldKey, labelKey, readableExport, sectionAboutKey, sectionHeadingKey, shownOnPage } from '../../src/features/privacy/export-view.ts';
import { collectPersonalData, countPersonalData, declarationOf, EXPORT_FORMAT, exportJson, rowSelectingColumns } from '../../src/features/privacy/export.ts';
import { exportFileName, exportForAccessRequest, exportOwnData } from '../../src/features/privacy/export.service.ts';
import { catalogues, LOCALES, translator } from '../../src/i18n/index.ts';
import { plantPerson, type PlantedPerson } from '../helpers/canaries.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';
import { makeCoordinator, makeKuemmerer, makeRequest } from '../helpers/mentoring.ts';

const TIME_ZONE = 'Europe/Berlin';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let handle: DatabaseHandle;
let db: Kysely<Database>;
let coordinator: SessionUser;
let kuemmerer: SessionUser;
let newcomer: SessionUser;
let neighbour: SessionUser;
let activityId: number;

type Json = Record<string, unknown> & { [key: string]: unknown };
async function exported(personId: number, options: { accessRequest?: boolean } = {}): Promise<{ json: Json; text: string }> {
  const text = exportJson(await collectPersonalData(db, personId, options));
  return { json: JSON.parse(text) as Json, text };
}
const section = (json: Json, key: string) => json[key] as Json[];

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  coordinator = await makeCoordinator(db, 'Clara Koordination');
  kuemmerer = await makeKuemmerer(db, { name: 'Karl Kümmerer', contactDetails: 'Karls Telefon 0170 999' });
  newcomer = await makePerson(db, { name: 'Amal Neu', locale: 'ar' });
  neighbour = await makePerson(db, { name: 'Nora Nachbarin' });

  const organisationId = await makeOrganisation(db);
  activityId = await makeActivity(db, organisationId, { title: 'Sprachcafé am Markt', startsAt: new Date('2030-06-01T16:00:00Z') });
  // Two people at the same activity, each with their own note.
  await db
    .insertInto('rsvp')
    .values([
      { activity_id: activityId, user_id: newcomer.id, party_size: 3, note: 'Amals Notiz: Kinderwagen', status: 'going' },
      { activity_id: activityId, user_id: neighbour.id, party_size: 1, note: 'Noras Notiz: vegetarisch', status: 'going' },
    ])
    .execute();
  const role = await db
    .insertInto('volunteer_role')
    .values({ activity_id: activityId, name: 'Kuchen schneiden', people_needed: 2, skills: [], languages: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('volunteer_signup').values({ role_id: role.id, user_id: neighbour.id, status: 'active' }).execute();

  const requestId = await makeRequest(db, newcomer, { note: 'Amals Bedarf: Termin beim Jobcenter' });
  const mentorship = await db
    .insertInto('mentorship')
    .values({ request_id: requestId, kuemmerer_user_id: kuemmerer.id, newcomer_user_id: newcomer.id, status: 'active', assigned_by: coordinator.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('mentoring_meeting')
    .values({
      mentorship_id: mentorship.id,
      starts_at: new Date('2030-06-03T08:00:00Z'),
      ends_at: new Date('2030-06-03T09:00:00Z'),
      place: 'Rathaus, Zimmer 12',
      topics: ['paperwork'],
      private_note: 'Karls private Notiz: wirkt müde',
      created_by: kuemmerer.id,
    })
    .execute();

  // A mail to the Kümmerer that names the newcomer, and one to the newcomer.
  await db
    .insertInto('outbox')
    .values([
      { kind: 'mentoring.assigned', recipient_user_id: kuemmerer.id, about_user_id: newcomer.id, recipient_email: kuemmerer.email!, locale: 'de', payload: JSON.stringify({ newcomer: 'Amal Neu' }) },
      { kind: 'mentoring.matched', recipient_user_id: newcomer.id, recipient_email: newcomer.email!, locale: 'ar', payload: JSON.stringify({ kuemmerer: 'Karl Kümmerer' }) },
    ])
    .execute();
  await createSession(db, newcomer.id, new Date('2030-05-01T10:00:00Z'));
  await recordAudit(db, { actorUserId: newcomer.id, action: 'account.signed_in', objectType: 'session', ip: '198.51.100.7' });
  // Someone else guessing the newcomer's password: recorded for the account, from their address.
  await recordAudit(db, { actorUserId: newcomer.id, action: 'account.sign_in_failed', ip: '203.0.113.66' });
  await recordAudit(db, { actorUserId: neighbour.id, action: 'account.signed_in', objectType: 'session', ip: '198.51.100.8' });
});
afterAll(() => handle?.close());

describe('the declaration the export reads', () => {
  it('gives every exported table a way to find whose its rows are, and unique keys', () => {
    const keys = personalTables().flatMap(([, d]) => (d.exportKey === null ? [] : [d.exportKey]));
    expect(new Set(keys).size).toBe(keys.length);
    for (const [table, declaration] of personalTables()) {
      if (declaration.exportKey === null) continue;
      const through = declaration.through ? rowSelectingColumns(declarationOf(declaration.through.table)) : [];
      expect(rowSelectingColumns(declaration).length + through.length, table).toBeGreaterThan(0);
    }
  });

  it('has labels that point to declared rows by id and show only names, titles and times', () => {
    for (const [table, declaration] of Object.entries(PERSONAL_DATA)) {
      for (const [column, declared] of Object.entries(declaration.columns)) {
        const label = 'label' in declared ? declared.label : undefined;
        if (!label) continue;
        const target = declarationOf(label.table);
        expect(target.columns, `${table}.${column} → ${label.table}`).toHaveProperty('id');
        expect(Object.keys(declaration.columns), `${table}.${column}: ${label.key} is also a column`).not.toContain(label.key);
        for (const shown of label.columns) {
          const kind = target.columns[shown]?.kind;
          expect(['not_personal', 'technical', 'identity', 'person'], `${label.table}.${shown}`).toContain(kind);
          // A person's id is shown only with their name beside it.
          if (kind === 'person') expect(target.columns[shown]!.label?.columns, `${label.table}.${shown}`).toEqual(['display_name']);
        }
      }
    }
  });

  it('keeps a column to some people only through person columns that reach the rows', () => {
    for (const [table, declaration] of personalTables()) {
      const reaching = [...rowSelectingColumns(declaration), ...(declaration.through ? rowSelectingColumns(declarationOf(declaration.through.table)) : [])];
      for (const [column, declared] of Object.entries(declaration.columns)) {
        for (const via of declared.exportedVia ?? []) expect(reaching, `${table}.${column}`).toContain(via);
      }
    }
  });
});

describe('a person’s export', () => {
  it('has the documented keys, every declared section in order, and ISO times', async () => {
    const { json } = await exported(newcomer.id);
    const sectionKeys = personalTables().flatMap(([, d]) => (d.exportKey === null ? [] : [d.exportKey]));
    expect(Object.keys(json)).toEqual(['format', 'exported_at', 'access_request', 'person', ...sectionKeys]);
    expect(json.format).toBe(EXPORT_FORMAT);
    expect(json.exported_at).toMatch(ISO);
    expect(json.access_request).toBe(false);
    expect(json.person).toEqual({ id: newcomer.id, display_name: 'Amal Neu' });
    for (const key of sectionKeys) expect(Array.isArray(json[key]), key).toBe(true);
    const [account] = section(json, 'account');
    expect(account!.created_at).toMatch(ISO);
    expect(account!.email).toBe(newcomer.email);
    expect(account!.locale).toBe('ar');
  });

  it('exports each column as declared: values, only whether a secret is set, never an omitted column', async () => {
    const { json } = await exported(newcomer.id);
    for (const [table, declaration] of personalTables()) {
      if (declaration.exportKey === null) continue;
      for (const record of section(json, declaration.exportKey)) {
        for (const [column, declared] of Object.entries(declaration.columns)) {
          if (declared.export === 'omit') expect(record, `${table}.${column}`).not.toHaveProperty(column);
          if (declared.export === 'existence') expect(typeof record[column], `${table}.${column}`).toBe('boolean');
        }
      }
    }
    expect(section(json, 'account')[0]!.password_hash).toBe(true);
    const [session] = section(json, 'sessions');
    expect(session).toEqual({ user_id: newcomer.id, secret_hash: true, created_at: '2030-05-01T10:00:00.000Z', last_verified_at: '2030-05-01T10:00:00.000Z' });
  });

  it('names what an RSVP, a mentorship and a meeting are about', async () => {
    const { json } = await exported(newcomer.id);
    const [rsvp] = section(json, 'rsvps');
    expect(rsvp!.activity).toEqual({ title: 'Sprachcafé am Markt', starts_at: '2030-06-01T16:00:00.000Z', ends_at: '2030-06-01T18:00:00.000Z' });
    const [mentorship] = section(json, 'mentorships');
    expect(mentorship!.kuemmerer).toEqual({ display_name: 'Karl Kümmerer' });
    expect(mentorship!.newcomer).toEqual({ display_name: 'Amal Neu' });
    const [meeting] = section(json, 'mentoring_meetings');
    expect(meeting!.mentorship).toEqual({ kuemmerer_user_id: kuemmerer.id, kuemmerer: { display_name: 'Karl Kümmerer' }, newcomer_user_id: newcomer.id, newcomer: { display_name: 'Amal Neu' } });
  });

  it('names a shift’s role and its activity', async () => {
    const { json } = await exported(neighbour.id);
    const [shift] = section(json, 'shifts');
    expect(shift!.role).toEqual({
      name: 'Kuchen schneiden',
      starts_at: null,
      ends_at: null,
      activity_id: activityId,
      activity: { title: 'Sprachcafé am Markt', starts_at: '2030-06-01T16:00:00.000Z', ends_at: '2030-06-01T18:00:00.000Z' },
    });
  });

  it('holds the person’s own security events without any network address, and mails to them only', async () => {
    const { json, text } = await exported(newcomer.id);
    const log = section(json, 'security_log');
    expect(log.map((e) => e.action)).toEqual(['account.signed_in', 'account.sign_in_failed']);
    for (const event of log) {
      expect(event).not.toHaveProperty('ip');
      expect(event.at).toMatch(ISO);
    }
    expect(text).not.toContain('203.0.113.66');
    expect(text).not.toContain('198.51.100.');
    expect(section(json, 'messages').map((m) => m.kind)).toEqual(['mentoring.matched']);
  });
});

describe('the Kümmerer’s private meeting notes', () => {
  it('are in the Kümmerer’s export', async () => {
    const { json } = await exported(kuemmerer.id);
    const [meeting] = section(json, 'mentoring_meetings');
    expect(meeting!.private_note).toBe('Karls private Notiz: wirkt müde');
  });

  it('are not in the newcomer’s own export, though the meeting is', async () => {
    const { json, text } = await exported(newcomer.id);
    const [meeting] = section(json, 'mentoring_meetings');
    expect(meeting!.place).toBe('Rathaus, Zimmer 12');
    expect(meeting).not.toHaveProperty('private_note');
    expect(text).not.toContain('Karls private Notiz');
  });

  it('are in a coordinator’s export of the newcomer for a formal access request', async () => {
    const { json } = await exported(newcomer.id, { accessRequest: true });
    expect(json.access_request).toBe(true);
    expect(section(json, 'mentoring_meetings')[0]!.private_note).toBe('Karls private Notiz: wirkt müde');
  });
});

describe('nobody else’s data', () => {
  it('a person sees their own RSVP at an activity, not another’s at the same one', async () => {
    const amal = await exported(newcomer.id);
    const nora = await exported(neighbour.id);
    expect(section(amal.json, 'rsvps').map((r) => r.note)).toEqual(['Amals Notiz: Kinderwagen']);
    expect(section(nora.json, 'rsvps').map((r) => r.note)).toEqual(['Noras Notiz: vegetarisch']);
    expect(amal.text).not.toContain('Noras Notiz');
    expect(nora.text).not.toContain('Amals Notiz');
    expect(amal.text).not.toContain(neighbour.email!);
    expect(nora.text).not.toContain('Amal Neu');
  });

  it('the Kümmerer’s export names the mentee only as the mentorship’s context', async () => {
    const { json, text } = await exported(kuemmerer.id);
    expect(text).not.toContain(newcomer.email!);
    expect(text).not.toContain('Amals Bedarf');
    expect(text).not.toContain('Amals Notiz');
    expect(section(json, 'mentoring_requests')).toEqual([]);
    expect(section(json, 'rsvps')).toEqual([]);
    // Where the name appears: the mentorship, the meeting's mentorship, and the mail the
    // Kümmerer was sent about the match (to them, so theirs).
    const places: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (value === 'Amal Neu') places.push(path);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    };
    walk(json, '');
    expect(places).toEqual(['.mentorships.0.newcomer.display_name', '.mentoring_meetings.0.mentorship.newcomer.display_name', '.messages.0.payload.newcomer']);
  });

  it('the newcomer’s export leaves out the Kümmerer’s contact and the mail about them', async () => {
    const { text } = await exported(newcomer.id);
    expect(text).not.toContain('Karls Telefon');
    expect(text).not.toContain(kuemmerer.email!);
  });
});

describe('the readable page', () => {
  const shownColumns = () =>
    personalTables().flatMap(([, d]) => (d.exportKey === null ? [] : Object.entries(d.columns).filter(([, c]) => c.export !== 'omit' && shownOnPage(c)).map(([name]) => name)));
  const labelKeys = () => Object.values(PERSONAL_DATA).flatMap((d) => Object.values(d.columns).flatMap((c) => ('label' in c && c.label ? [c.label.key] : [])));

  it.each(LOCALES)('has words in %s for every section, shown column and label', (locale) => {
    const catalogue = catalogues[locale] as Record<string, unknown>;
    const missing = [
      ...personalTables().flatMap(([, d]) => (d.exportKey === null ? [] : [sectionHeadingKey(d.exportKey), sectionAboutKey(d.exportKey)])),
      ...shownColumns().map(fieldKey),
      ...labelKeys().map(labelKey),
    ].filter((key) => typeof catalogue[key] !== 'string');
    expect(missing).toEqual([]);
  });

  it('shows every section in the reader’s language, times in the town’s zone, and the context', async () => {
    const data = await collectPersonalData(db, newcomer.id);
    const sections = readableExport(data, translator('ar'), TIME_ZONE);
    expect(sections.map((s) => s.key)).toEqual(data.sections.map((s) => s.key));
    const rsvps = sections.find((s) => s.key === 'rsvps')!;
    expect(rsvps.heading).toBe(translator('ar')('privacyData.section.rsvps'));
    const [fields] = rsvps.records;
    const activity = fields!.find((f) => f.column === 'activity')!;
    expect(activity.label).toBe('النشاط');
    expect(activity.pieces[0]).toEqual({ text: 'Sprachcafé am Markt', typed: true });
    // 16:00 UTC is 18:00 in Berlin: 6 in the evening, as Arabic writes it.
    expect(activity.pieces[1]).toEqual({ text: 'السبت، 1 يونيو، 6:00–8:00 م', typed: false });
    const status = fields!.find((f) => f.column === 'status')!;
    expect(status.pieces).toEqual([{ text: 'مسجَّل', typed: false }]);
    // A person's id says nothing to the reader; their activity's title does.
    expect(fields!.map((f) => f.column)).not.toContain('user_id');
    expect(fields!.map((f) => f.column)).not.toContain('activity_id');
  });

  it('says a secret is set without showing it, and names languages', async () => {
    const data = await collectPersonalData(db, newcomer.id);
    const [account] = readableExport(data, translator('de'), TIME_ZONE).find((s) => s.key === 'account')!.records;
    expect(account!.find((f) => f.column === 'password_hash')!.pieces).toEqual([{ text: 'vorhanden (wird nie gezeigt)', typed: false }]);
    expect(account!.find((f) => f.column === 'locale')!.pieces).toEqual([{ text: 'Arabisch', typed: false }]);
  });
});

describe('exporting, recorded in the security log', () => {
  const auditOf = (action: string, actor: number) =>
    db.selectFrom('audit_event').select(['actor_user_id', 'object_type', 'object_id', 'details']).where('action', '=', action).where('actor_user_id', '=', actor).execute();

  it('a person’s own export', async () => {
    const data = await exportOwnData(db, neighbour, { ip: '192.0.2.4', how: 'json', now: new Date('2030-06-01T22:30:00Z') });
    expect(data.person.id).toBe(neighbour.id);
    expect(await auditOf('privacy.exported', neighbour.id)).toEqual([{ actor_user_id: neighbour.id, object_type: 'user', object_id: String(neighbour.id), details: { how: 'json' } }]);
    // The town's date: 22:30 UTC on 1 June is already 2 June in Berlin.
    expect(exportFileName(data, TIME_ZONE)).toBe('ankommen-data-2030-06-02.json');
  });

  it('a coordinator’s export of a newcomer for an access request, with the notes', async () => {
    const { person, data } = await exportForAccessRequest(db, coordinator, newcomer.id, { ip: '192.0.2.5', how: 'page' });
    expect(person).toEqual({ id: newcomer.id, displayName: 'Amal Neu', locale: 'ar' });
    expect(data.accessRequest).toBe(true);
    expect(data.sections.find((s) => s.key === 'mentoring_meetings')!.records[0]!.private_note).toBe('Karls private Notiz: wirkt müde');
    expect(await auditOf('privacy.exported_for_access_request', coordinator.id)).toEqual([
      { actor_user_id: coordinator.id, object_type: 'user', object_id: String(newcomer.id), details: { how: 'page' } },
    ]);
  });

  it('refuses anyone but a coordinator, and a person the coordination does not know as a newcomer', async () => {
    const refused = async (actor: SessionUser | null, personId: number) => {
      await expect(exportForAccessRequest(db, actor, personId, { ip: null, how: 'json' })).rejects.toBeInstanceOf(NotFoundError);
    };
    await refused(null, newcomer.id);
    await refused(neighbour, newcomer.id);
    await refused(kuemmerer, newcomer.id);
    // A resident who never asked for a Kümmerer, and an id nobody has.
    await refused(coordinator, neighbour.id);
    await refused(coordinator, 2_000_000_000);
    for (const actor of [neighbour, kuemmerer]) expect(await auditOf('privacy.exported_for_access_request', actor.id)).toEqual([]);
    expect(await db.selectFrom('audit_event').select('id').where('action', '=', 'privacy.exported_for_access_request').where('object_id', '=', String(neighbour.id)).execute()).toEqual([]);
  });

  it('a person registered by the coordination, without a request, may be exported', async () => {
    const registered = await makePerson(db, { name: 'Yusuf Registriert' });
    await db.updateTable('app_user').set({ registered_by_coordination: true }).where('id', '=', registered.id).execute();
    const { data } = await exportForAccessRequest(db, coordinator, registered.id, { ip: null, how: 'json' });
    expect(data.person.display_name).toBe('Yusuf Registriert');
  });
});


describe('canaries planted in every declared column', () => {
  let alpha: PlantedPerson;
  let bravo: PlantedPerson;
  let exports: Map<number, { json: Json; text: string }>;

  beforeAll(async () => {
    alpha = await plantPerson(db, 'alpha');
    bravo = await plantPerson(db, 'bravo');
    exports = new Map([
      [alpha.id, await exported(alpha.id)],
      [bravo.id, await exported(bravo.id)],
    ]);
  });

  it('every canary of person A appears in A’s export and in no other person’s export', () => {
    for (const [person, other] of [[alpha, bravo], [bravo, alpha]] as const) {
      const own = exports.get(person.id)!.text;
      const others = exports.get(other.id)!.text;
      for (const canary of person.canaries) {
        const where = `${canary.table}.${canary.column}`;
        // A secret, a column the declaration leaves out, or a mail to someone else that names
        // the person: in nobody's export.
        if (canary.exported) expect(own, where).toContain(canary.value);
        else expect(own, where).not.toContain(canary.value);
        expect(others, where).not.toContain(canary.value);
      }
    }
  });

  it('My data counts, in one query, exactly the records each section of the export holds', async () => {
    for (const person of [alpha, bravo]) {
      const counts = await countPersonalData(db, person.id);
      const data = await collectPersonalData(db, person.id);
      expect(counts.map(({ key, count }) => [key, count])).toEqual(data.sections.map((s) => [s.key, s.records.length]));
      // Every section of the planted person has something to count (the sums are not all zeros).
      expect(counts.filter((c) => c.count === 0).map((c) => c.key)).toEqual([]);
    }
  });

  it('ids and times: A’s rows are in A’s export, and no other person’s export has a row of A’s', () => {
    const { json } = exports.get(alpha.id)!;
    expect((json.person as Json).id).toBe(alpha.id);
    expect(section(json, 'account')[0]).toMatchObject({ id: alpha.id, email_verified_at: '2026-01-02T10:00:00.000Z', last_signed_in_at: '2026-11-30T09:00:00.000Z' });
    expect(section(json, 'sessions')).toHaveLength(1);
    expect(section(json, 'rsvps').map((r) => [r.activity_id, r.party_size])).toEqual([[alpha.activityId, 3]]);
    expect(section(json, 'memberships').map((m) => m.organisation_id)).toEqual([alpha.organisationId]);
    expect(section(json, 'invitations').map((i) => i.organisation_id)).toEqual([alpha.organisationId]);
    expect(section(json, 'kuemmerer_application')[0]).toMatchObject({ code_of_conduct_accepted_at: '2026-02-01T10:00:00.000Z', decided_at: '2026-02-02T10:00:00.000Z', max_mentees: 2 });
    expect(section(json, 'consents')[0]).toMatchObject({ given_at: '2026-01-03T10:00:00.000Z', given_how: 'online' });
    expect(section(json, 'mentorships').map((m) => [m.kuemmerer_user_id, m.newcomer_user_id, m.ended_at])).toEqual([
      [alpha.id, alpha.menteeId, null],
      [alpha.mentorId, alpha.id, '2026-06-01T10:00:00.000Z'],
    ]);
    expect(section(json, 'mentoring_meetings').map((m) => m.starts_at)).toEqual(['2030-03-01T10:00:00.000Z']);
    expect(section(json, 'security_log').map((e) => e.action)).toEqual(['account.signed_in']);

    // Whoever's export it is, every row in it names that person in the column that made it
    // theirs, and none names the other planted person or the people and places only A has.
    for (const [person, other] of [[alpha, bravo], [bravo, alpha]] as const) {
      const { json: theirs } = exports.get(person.id)!;
      for (const [table, declaration] of personalTables()) {
        if (declaration.exportKey === null) continue;
        for (const record of section(theirs, declaration.exportKey)) {
          const named = rowSelectingColumns(declaration).filter((column) => column in record).map((column) => record[column]);
          if (named.length > 0) expect(named, `${table} of ${person.id}`).toContain(person.id);
          for (const value of named) expect([other.id, other.mentorId, other.menteeId], table).not.toContain(value);
          if ('activity_id' in record) expect(record.activity_id, table).not.toBe(other.activityId);
          if ('organisation_id' in record) expect(record.organisation_id, table).not.toBe(other.organisationId);
        }
      }
    }
  });
});
