// The weekly programme: which week is due when (Sunday 17:00 in the town's zone, across clock
// changes), what each subscriber gets (their interests, their language, the marks and links),
// that a week goes out once — run twice, or by two servers at the same moment — and that a
// week with nothing for a person sends them nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Insertable, Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { ActivityTable, Database, Locale } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';
import type { OutboxMessage } from '../../src/features/outbox/outbox.ts';
import { setTelegramAvailable } from '../../src/features/notifications/channels-available.ts';
import type { ProgrammeItem } from '../../src/features/notifications/notifications.mails.ts';
import { dueWeek, PROGRAMME_MAX_ITEMS, writeWeeklyProgrammes } from '../../src/features/notifications/weekly-programme.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation, makePerson } from '../helpers/fixtures.ts';

const ZONE = 'Europe/Berlin';
const CONTEXT = { baseUrl: 'https://ankommen.example', townName: 'Altena', timeZone: ZONE };
const SETTINGS = { townName: 'Altena', timeZone: ZONE };
/** Sunday 2 June 2030, 17:30 in Altena (summer time, UTC+2): the week of 3–9 June is due. */
const SUNDAY_EVENING = new Date('2030-06-02T15:30:00Z');
/** Berlin wall-clock time in that week: day of June, hour. */
const june = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2030, 5, day, hour - 2, minute));

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
});
afterAll(() => handle?.close());

describe('the week due', () => {
  const berlin = (iso: string) => new Date(iso);
  it('from Sunday 17:00 is the coming Monday to Sunday; before it, the current week', () => {
    const after = dueWeek(berlin('2030-06-02T15:00:00Z'), ZONE); // Sunday 17:00 exactly
    expect(after.monday).toBe('2030-06-03');
    expect(after.from.toISOString()).toBe('2030-06-02T22:00:00.000Z'); // Monday 00:00 Berlin
    expect(after.to.toISOString()).toBe('2030-06-09T22:00:00.000Z');
    expect(after.over).toBe(false);
    const before = dueWeek(berlin('2030-06-02T14:59:00Z'), ZONE); // Sunday 16:59
    expect(before.monday).toBe('2030-05-27');
    expect(before.over, 'its last day has begun: too late for it').toBe(true);
  });

  it('in the middle of a week is that week, from now on', () => {
    const now = berlin('2030-06-05T10:00:00Z'); // Wednesday
    const week = dueWeek(now, ZONE);
    expect(week.monday).toBe('2030-06-03');
    expect(week.from).toEqual(now);
    expect(week.over).toBe(false);
    expect(week.firstDay.toISOString()).toBe('2030-06-05T10:00:00.000Z'); // Wednesday noon Berlin
    expect(week.lastDay.toISOString()).toBe('2030-06-09T10:00:00.000Z'); // Sunday noon
  });

  it('across the clock changes and the turn of a month and year', () => {
    // 25 October 2026 the clocks go back: Sunday 17:00 is 16:00 UTC.
    expect(dueWeek(berlin('2026-10-25T15:59:00Z'), ZONE).monday).toBe('2026-10-19');
    const autumn = dueWeek(berlin('2026-10-25T16:00:00Z'), ZONE);
    expect(autumn.monday).toBe('2026-10-26');
    expect(autumn.from.toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // 29 March 2026 they go forward: Sunday 17:00 is 15:00 UTC; the week before began in winter time.
    const spring = dueWeek(berlin('2026-03-29T15:00:00Z'), ZONE);
    expect(spring.monday).toBe('2026-03-30');
    expect(spring.from.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(dueWeek(berlin('2026-03-29T14:59:00Z'), ZONE).monday).toBe('2026-03-23');
    // Sunday 31 December 2028 → Monday 1 January 2029.
    expect(dueWeek(berlin('2028-12-31T16:30:00Z'), ZONE).monday).toBe('2029-01-01');
    // Monday 00:30 Berlin is still Sunday 22:30 UTC: the town's calendar counts.
    expect(dueWeek(berlin('2030-06-02T22:30:00Z'), ZONE).monday).toBe('2030-06-03');
  });
});

// ——— Writing the programmes ———

async function activity(title: string, startsAt: Date, extra: Partial<Insertable<ActivityTable>> = {}, translations: Record<string, { title: string; description: string }> = {}): Promise<number> {
  return makeActivity(db, organisationId, { title, startsAt, translations, extra });
}

async function subscribe(person: { id: number }, interests: { categories?: string[]; noGermanNeeded?: boolean; childcare?: boolean } = {}, channels = { email: true, telegram: false }): Promise<void> {
  await db
    .insertInto('notification_setting')
    .values({ user_id: person.id, topic: 'weekly_programme', ...channels })
    .onConflict((oc) => oc.columns(['user_id', 'topic']).doUpdateSet(channels))
    .execute();
  await db
    .insertInto('programme_subscription')
    .values({ user_id: person.id, categories: interests.categories ?? [], no_german_needed: interests.noGermanNeeded ?? false, childcare: interests.childcare ?? false })
    .execute();
}

async function programmesTo(person: { id: number }) {
  return db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', person.id).where('kind', '=', 'weekly_programme').orderBy('id').execute();
}

const titles = (row: { payload: Record<string, unknown> }) => (row.payload.activities as ProgrammeItem[]).map((a) => a.title);

function rendered(row: { id: number; kind: string; recipient_user_id: number | null; recipient_email: string | null; channel: 'email' | 'telegram'; locale: Locale; payload: Record<string, unknown> }) {
  const message: OutboxMessage = { id: row.id, kind: 'weekly_programme', recipientUserId: row.recipient_user_id, recipientEmail: row.recipient_email, channel: row.channel, locale: row.locale, payload: row.payload, attempts: 0 };
  return renderMail(message, SETTINGS);
}

async function person(locale: Locale = 'de', name?: string): Promise<SessionUser> {
  return makePerson(db, { locale, ...(name ? { name } : {}) });
}

describe('writing the programmes', () => {
  let ids: Record<string, number>;

  beforeAll(async () => {
    ids = {
      // The coming week, Monday 3 to Sunday 9 June 2030.
      languageCafe: await activity('Sprachcafé', june(3, 15), { category: 'language', languages: ['de', 'ar'], german_level: 'A1' }, { ar: { title: 'مقهى اللغة', description: '' } }),
      football: await activity('Fußball im Park', june(4, 18), { category: 'sports', languages: ['de', 'ar', 'uk'], german_level: null, childcare: true, place_name: 'Sportplatz Nette' }, { ar: { title: 'كرة القدم في الحديقة', description: '' }, uk: { title: 'Футбол у парку', description: '' } }),
      museum: await activity('Museumsbesuch', june(6, 10), { category: 'culture', languages: ['de'], german_level: null }),
      online: await activity('Bewerbungstraining online', june(9, 19), { category: 'integration', languages: ['de', 'en'], german_level: null, online_url: 'https://meet.example.org/b', place_name: null }),
      // Not in it: a draft, a cancelled one, one of the week after, one of the week before.
      draft: await activity('Entwurf', june(5, 12), { status: 'draft', category: 'sports' }),
      cancelled: await activity('Abgesagtes Turnier', june(5, 14), { status: 'cancelled', category: 'sports' }),
      nextWeek: await activity('Nächste Woche', june(10, 9), { category: 'sports' }),
      lastWeek: await activity('Letzte Woche', june(1, 9), { category: 'sports' }),
    };
  });

  beforeEach(async () => {
    await db.deleteFrom('outbox').execute();
    await db.deleteFrom('programme_subscription').execute();
    await db.deleteFrom('notification_setting').execute();
  });

  it('gives everyone who switched it on the coming week’s published activities, in order, with date, place, marks and links', async () => {
    const amal = await person('de', 'Amal');
    await subscribe(amal);
    expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING)).toBe(1);
    const [row] = await programmesTo(amal);
    expect(row).toMatchObject({ channel: 'email', recipient_email: amal.email, locale: 'de' });
    expect(titles(row!)).toEqual(['Sprachcafé', 'Fußball im Park', 'Museumsbesuch', 'Bewerbungstraining online']);
    const mail = rendered(row!);
    expect(mail.subject).toBe('Diese Woche in Altena');
    expect(mail.text).toContain('Hallo Amal,');
    expect(mail.text).toContain('Das ist los in Altena von Montag, 3. Juni bis Sonntag, 9. Juni:');
    expect(mail.text).toMatch(/Fußball im Park\n {2}Dienstag, 4\. Juni, 18:00–20:00 Uhr\n {2}Sportplatz Nette\n {2}Sport · Ohne Deutschkenntnisse · Mit Kinderbetreuung\n {2}https:\/\/ankommen\.example\/activities\/\d+\n/);
    expect(mail.text).toContain(`https://ankommen.example/activities/${ids.football}`);
    // A German course asks for German; an online one has no place but says so.
    expect(mail.text).toMatch(/Sprachcafé\n[^\n]+\n {2}Stellwerk\n {2}Sprache\n/);
    expect(mail.text).toMatch(/Bewerbungstraining online\n[^\n]+\n {2}Online\n/);
    expect(mail.text).toContain('Alle Angebote der Woche:\nhttps://ankommen.example/activities?when=dates&from=2030-06-03&to=2030-06-09');
    expect(mail.text).toContain('Interessen ändern oder das Wochenprogramm abbestellen:\n\nhttps://ankommen.example/account/notifications\n');
    for (const absent of ['Entwurf', 'Abgesagtes Turnier', 'Nächste Woche', 'Letzte Woche']) expect(mail.text).not.toContain(absent);
  });

  it('follows each person’s interests: categories, no German needed, childcare', async () => {
    const sporty = await person();
    const culture = await person();
    const noGerman = await person();
    const withChildren = await person();
    const both = await person();
    await subscribe(sporty, { categories: ['sports'] });
    await subscribe(culture, { categories: ['culture', 'language'] });
    await subscribe(noGerman, { noGermanNeeded: true });
    await subscribe(withChildren, { childcare: true });
    await subscribe(both, { categories: ['sports', 'integration'], noGermanNeeded: true });
    expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING)).toBe(5);
    expect(titles((await programmesTo(sporty))[0]!)).toEqual(['Fußball im Park']);
    expect(titles((await programmesTo(culture))[0]!)).toEqual(['Sprachcafé', 'Museumsbesuch']);
    expect(titles((await programmesTo(noGerman))[0]!)).toEqual(['Fußball im Park', 'Bewerbungstraining online']);
    expect(titles((await programmesTo(withChildren))[0]!)).toEqual(['Fußball im Park']);
    expect(titles((await programmesTo(both))[0]!)).toEqual(['Fußball im Park', 'Bewerbungstraining online']);
    const mail = rendered((await programmesTo(both))[0]!);
    expect(mail.text).toContain('Ausgewählt nach Ihren Interessen: Sport, Integration und Beratung · Ohne Deutschkenntnisse.');
    // The week's list link carries what the browse page can filter by.
    expect(mail.text).toContain('https://ankommen.example/activities?when=dates&from=2030-06-03&to=2030-06-09&noGerman=1\n');
    expect(rendered((await programmesTo(sporty))[0]!).text).toContain('https://ankommen.example/activities?category=sports&when=dates&from=2030-06-03&to=2030-06-09\n');
  });

  it('is written in each person’s language, with the organisers’ translations of the titles', async () => {
    const arabic = await person('ar', 'أمل');
    const ukrainian = await person('uk', 'Олена');
    await subscribe(arabic, { categories: ['sports', 'language'] });
    await subscribe(ukrainian, { categories: ['sports', 'culture'] });
    await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING);
    const ar = (await programmesTo(arabic))[0]!;
    expect(ar.locale).toBe('ar');
    expect(titles(ar)).toEqual(['مقهى اللغة', 'كرة القدم في الحديقة']);
    const arMail = rendered(ar);
    expect(arMail.subject).toContain('هذا الأسبوع في');
    expect(arMail.text).toContain('مع رعاية للأطفال');
    expect(arMail.text).toContain('https://ankommen.example/ar/activities/');
    expect(arMail.text).toContain('https://ankommen.example/ar/account/notifications');
    const uk = (await programmesTo(ukrainian))[0]!;
    // No Ukrainian title for the museum: it keeps its German one.
    expect(titles(uk)).toEqual(['Футбол у парку', 'Museumsbesuch']);
    const ukMail = rendered(uk);
    expect(ukMail.subject).toBe('Цього тижня в Altena');
    expect(ukMail.text).toContain('червня');
  });

  it('sends nothing to a person with nothing matching, and counts their week as sent', async () => {
    const picky = await person();
    await subscribe(picky, { categories: ['volunteering'] });
    expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING)).toBe(0);
    expect(await programmesTo(picky)).toEqual([]);
    const row = await db.selectFrom('programme_subscription').select('last_sent_week').where('user_id', '=', picky.id).executeTakeFirstOrThrow();
    expect(row.last_sent_week).not.toBeNull();
  });

  it('sends nothing to people who keep interests but switched the programme off', async () => {
    const off = await person();
    await subscribe(off, {}, { email: false, telegram: false });
    const never = await person();
    await db.insertInto('programme_subscription').values({ user_id: never.id, categories: [] }).execute();
    expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING)).toBe(0);
    expect(await programmesTo(off)).toEqual([]);
    expect(await programmesTo(never)).toEqual([]);
  });

  it('goes where the person chose it: on Telegram too when chosen and linked, on Telegram alone without an address', async () => {
    setTelegramAvailable(true);
    try {
      const both = await person();
      await subscribe(both, {}, { email: true, telegram: true });
      await db.insertInto('telegram_chat').values({ user_id: both.id, chat_id: '7001' }).execute();
      const noAddress = await person();
      await db.updateTable('app_user').set({ email: null }).where('id', '=', noAddress.id).execute();
      await subscribe(noAddress, {}, { email: true, telegram: false });
      await db.insertInto('telegram_chat').values({ user_id: noAddress.id, chat_id: '7002' }).execute();
      expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING)).toBe(2);
      expect((await programmesTo(both)).map((r) => r.channel)).toEqual(['email', 'telegram']);
      expect((await programmesTo(noAddress)).map((r) => [r.channel, r.recipient_email])).toEqual([['telegram', null]]);
    } finally {
      setTelegramAvailable(false);
    }
  });

  it('sends a week once, however often it runs, and the next week again', async () => {
    const amal = await person();
    await subscribe(amal);
    expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING)).toBe(1);
    expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING)).toBe(0);
    expect(await writeWeeklyProgrammes(db, CONTEXT, june(6, 9))).toBe(0);
    expect(await programmesTo(amal)).toHaveLength(1);
    // Changing one's interests does not send the week again.
    await db.updateTable('programme_subscription').set({ categories: ['sports'] }).where('user_id', '=', amal.id).execute();
    expect(await writeWeeklyProgrammes(db, CONTEXT, june(6, 9))).toBe(0);
    // The next Sunday evening: the week of 10 June.
    expect(await writeWeeklyProgrammes(db, CONTEXT, june(9, 17, 5))).toBe(1);
    const rows = await programmesTo(amal);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.payload.week).toBe('2030-06-10');
    expect(titles(rows[1]!)).toEqual(['Nächste Woche']);
  });

  it('sends a week once when two servers run it at the same moment', async () => {
    const people = await Promise.all(Array.from({ length: 24 }, () => person()));
    for (const p of people) await subscribe(p);
    // Small batches, so that the two runs take turns and meet each other's claims.
    const [a, b] = await Promise.all([writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING, 3), writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING, 3)]);
    expect(a + b).toBe(24);
    for (const p of people) expect(await programmesTo(p), `person ${p.id}`).toHaveLength(1);
    expect(await writeWeeklyProgrammes(db, CONTEXT, SUNDAY_EVENING, 3)).toBe(0);
  });

  it('a person who switches it on mid-week gets what is left of the week at once; on its Sunday it waits for the next', async () => {
    const late = await person();
    await subscribe(late);
    expect(await writeWeeklyProgrammes(db, CONTEXT, june(5, 11))).toBe(1); // Wednesday 11:00
    expect(titles((await programmesTo(late))[0]!)).toEqual(['Museumsbesuch', 'Bewerbungstraining online']);
    expect(rendered((await programmesTo(late))[0]!).text).toContain('von Mittwoch, 5. Juni bis Sonntag, 9. Juni');

    const sunday = await person();
    await subscribe(sunday);
    expect(await writeWeeklyProgrammes(db, CONTEXT, june(9, 12))).toBe(0); // Sunday noon
    expect(await programmesTo(sunday)).toEqual([]);
    // Sunday 17:00: the next week, for both of them.
    expect(await writeWeeklyProgrammes(db, CONTEXT, june(9, 17))).toBe(2);
    expect((await programmesTo(sunday)).map((r) => r.payload.week)).toEqual(['2030-06-10']);
    expect((await programmesTo(late)).map((r) => r.payload.week)).toEqual(['2030-06-03', '2030-06-10']);
  });

  it('lists at most 25 activities and counts the rest', async () => {
    const start = june(20, 8);
    for (let i = 0; i < PROGRAMME_MAX_ITEMS + 3; i++) await activity(`Kurs ${i + 1}`, new Date(start.getTime() + i * 3_600_000), { category: 'leisure' });
    const busy = await person();
    await subscribe(busy, { categories: ['leisure'] });
    expect(await writeWeeklyProgrammes(db, CONTEXT, june(16, 18))).toBe(1);
    const row = (await programmesTo(busy))[0]!;
    expect(titles(row)).toHaveLength(PROGRAMME_MAX_ITEMS);
    expect(row.payload.more).toBe(3);
    expect(rendered(row).text).toContain('Dazu kommen 3 weitere passende Angebote. Alle Angebote der Woche:');
  });
});
