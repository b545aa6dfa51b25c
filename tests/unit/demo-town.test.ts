// The demo town loader: what a person trying out a fresh installation relies on.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { ACTIVITY_CATEGORIES } from '../../src/db/schema.ts';
import { LOCALES, translator } from '../../src/i18n/index.ts';
import { verifyPassword, checkNewPassword } from '../../src/features/accounts/password.ts';
import { hasDemoTown, loadDemoTown, type DemoSummary } from '../../src/features/demo/demo-town.ts';
import { listHelpWanted } from '../../src/features/volunteering/volunteering.queries.ts';
import { listOpenRequests } from '../../src/features/mentoring/mentoring.queries.ts';

const TIME_ZONE = 'Europe/Berlin';
// A Friday ten days before the change to summer time (29 March 2026).
const NOW = new Date('2026-03-20T12:00:00Z');
const EIGHT_WEEKS_MS = 56 * 24 * 60 * 60 * 1000;

const berlinTime = new Intl.DateTimeFormat('de', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });
const berlinDate = new Intl.DateTimeFormat('en', { timeZone: TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric' });

/** The Berlin calendar date as a day number, to count wall-clock days between two instants. */
function berlinDayNumber(instant: Date): number {
  const parts = berlinDate.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day')) / 86_400_000;
}

let handle: DatabaseHandle;
let summary: DemoSummary;

async function counts() {
  const one = async (table: 'activity' | 'app_user' | 'organisation' | 'membership' | 'app_setting') =>
    Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    activities: await one('activity'),
    users: await one('app_user'),
    organisations: await one('organisation'),
    memberships: await one('membership'),
    settings: await one('app_setting'),
  };
}

beforeAll(async () => {
  handle = await createTestDatabase();
  expect(await hasDemoTown(handle.db)).toBe(false);
  summary = await loadDemoTown(handle.db, { now: NOW, timeZone: TIME_ZONE });
}, 60_000);

afterAll(async () => {
  await handle?.close();
});

describe('loadDemoTown', () => {
  it('marks the installation as holding the demo town', async () => {
    expect(await hasDemoTown(handle.db)).toBe(true);
    const setting = await handle.db.selectFrom('app_setting').select('value').where('key', '=', 'demo_town').executeTakeFirstOrThrow();
    expect(setting.value).toEqual({ loadedAt: NOW.toISOString(), signIns: summary.signIns });
  });

  it('holds help requests: open ones (one posted by a Kümmerer for his newcomer, one for this week), one taken with both contacts, one done and thanked', async () => {
    // Besides the interpreting request of a consultation booking (see the consultation hours).
    const rows = await handle.db
      .selectFrom('help_request')
      .select(['kind', 'status', 'posted_by_user_id', 'week_of', 'asker_contact', 'helper_contact', 'thanked_at', 'needs_child_seat', 'health_consent_at'])
      .where('consultation_booking_id', 'is', null)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['interpreting', 'open'], ['lift', 'open'], ['authority', 'open'], ['carrying', 'open'], ['school', 'taken'], ['doctor', 'done']]);
    expect(rows[1]!.needs_child_seat).toBe(true);
    expect(rows[2]!.posted_by_user_id).not.toBeNull();
    expect(rows[3]!.week_of).not.toBeNull();
    expect(rows[4]!.asker_contact && rows[4]!.helper_contact).toBeTruthy();
    expect(rows[5]!.thanked_at).not.toBeNull();
    // A doctor's visit is only there with the consent it needs.
    expect(rows[5]!.health_consent_at).not.toBeNull();
  });

  it('names the role of every demo sign-in in each of the six languages (the home pages show them)', () => {
    expect(summary.signIns.length).toBeGreaterThanOrEqual(10);
    for (const locale of LOCALES) {
      const t = translator(locale);
      for (const signIn of summary.signIns) expect(t.has(`demo.role.${signIn.key}`), `${locale}: demo.role.${signIn.key}`).toBe(true);
    }
  });

  it('creates the four organisations and about forty activities', async () => {
    const orgs = await handle.db.selectFrom('organisation').select('slug').orderBy('slug').execute();
    expect(orgs.map((o) => o.slug)).toEqual(['integrationsbuero', 'stadtbibliothek', 'stellwerk', 'tus-sport']);
    expect(summary.organisations).toBe(4);
    const published = await handle.db.selectFrom('activity').selectAll().where('status', '=', 'published').execute();
    expect(published.length).toBeGreaterThanOrEqual(38);
    expect(summary.activities).toBe((await counts()).activities);
  });

  it('has a few RSVPs at the next language café, none from the newcomers', async () => {
    const rsvps = await handle.db
      .selectFrom('rsvp')
      .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
      .innerJoin('app_user', 'app_user.id', 'rsvp.user_id')
      .select(['activity.title', 'activity.capacity', 'app_user.email', 'rsvp.party_size', 'rsvp.status'])
      .execute();
    expect(rsvps.map((r) => r.email).sort()).toEqual(['kuemmerer@example.org', 'resident@example.org']);
    expect(rsvps.every((r) => r.title.startsWith('Sprachcafé') && r.status === 'going')).toBe(true);
  });

  it('asks for volunteers on upcoming activities, with shifts near their activity, and the resident already helps once', async () => {
    const wanted = await listHelpWanted(handle.db, 'de', { from: NOW });
    expect(wanted.length).toBeGreaterThanOrEqual(8);
    expect(wanted.some((r) => r.skills.includes('driving'))).toBe(true);
    expect(wanted.some((r) => r.languages.includes('ar'))).toBe(true);
    const roles = await handle.db
      .selectFrom('volunteer_role')
      .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
      .select(['volunteer_role.starts_at', 'volunteer_role.ends_at', 'activity.starts_at as activity_start', 'activity.ends_at as activity_end'])
      .where('volunteer_role.starts_at', 'is not', null)
      .execute();
    for (const r of roles) {
      expect(r.ends_at!.getTime()).toBeGreaterThan(r.starts_at!.getTime());
      // The same rule the organiser's form applies: within six hours around the activity.
      expect(r.starts_at!.getTime()).toBeGreaterThanOrEqual(r.activity_start.getTime() - 6 * 3600_000);
      expect(r.ends_at!.getTime()).toBeLessThanOrEqual(r.activity_end.getTime() + 6 * 3600_000);
    }
    const signups = await handle.db
      .selectFrom('volunteer_signup')
      .innerJoin('app_user', 'app_user.id', 'volunteer_signup.user_id')
      .innerJoin('volunteer_role', 'volunteer_role.id', 'volunteer_signup.role_id')
      .innerJoin('activity', 'activity.id', 'volunteer_role.activity_id')
      .select(['app_user.email', 'volunteer_signup.status'])
      .where('activity.starts_at', '>', NOW)
      .execute();
    expect(signups).toEqual([{ email: 'resident@example.org', status: 'active' }]);
  });

  it('has Kümmerer at work: one mentorship with meetings, and an open request from a person without an account, Hans suggested first', async () => {
    const coordinator = await handle.db.selectFrom('app_user').selectAll().where('email', '=', 'coordinator@example.org').executeTakeFirstOrThrow();
    const open = await listOpenRequests(handle.db, { id: coordinator.id });
    expect(open.map((r) => [r.newcomerName, r.withoutAccount])).toEqual([['Ahmad Karimi', true]]);
    expect(open[0]!.suggestions.map((s) => s.candidate.displayName)).toEqual(['Hans Berger', 'Aylin Demir']);
    expect(open[0]!.suggestions[0]).toMatchObject({ sharedLanguages: ['en'], coveredTopics: ['housing', 'jobs'], freePlaces: 2 });
    const mentorships = await handle.db
      .selectFrom('mentorship')
      .innerJoin('app_user as k', 'k.id', 'mentorship.kuemmerer_user_id')
      .innerJoin('app_user as n', 'n.id', 'mentorship.newcomer_user_id')
      .select(['k.email as kuemmerer', 'n.email as newcomer', 'mentorship.status', 'mentorship.id'])
      .execute();
    expect(mentorships).toEqual([{ kuemmerer: 'mentor@example.org', newcomer: 'newcomer-uk@example.org', status: 'active', id: expect.any(Number) }]);
    const meetings = await handle.db.selectFrom('mentoring_meeting').select(['starts_at', 'ends_at']).where('mentorship_id', '=', mentorships[0]!.id).orderBy('starts_at').execute();
    expect(meetings).toHaveLength(2);
    expect(meetings[0]!.ends_at.getTime()).toBeLessThan(NOW.getTime());
    expect(meetings[1]!.starts_at.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it('has weekly consultation hours at the Integration Office and Stellwerk, with three bookings, one waiting for an interpreter', async () => {
    const db = handle.db;
    const { listComingHours, listMyBookings } = await import('../../src/features/consultations/consultations.queries.ts');
    const hours = await listComingHours(db, NOW, 'fa');
    expect(new Set(hours.map((h) => h.organisationName)).size).toBe(2);
    expect(hours).toHaveLength(8);
    expect(hours.every((h) => h.startsAt.getTime() > NOW.getTime() && h.freeSlots.length > 0 && h.speaksChosen === false)).toBe(true);
    const bookings = await db.selectFrom('consultation_booking').innerJoin('app_user', 'app_user.id', 'consultation_booking.user_id').select(['app_user.display_name', 'consultation_booking.language', 'consultation_booking.interpreter_needed', 'consultation_booking.booked_by_user_id', 'consultation_booking.id']).orderBy('consultation_booking.id').execute();
    expect(bookings.map((b) => [b.display_name, b.language, b.interpreter_needed, b.booked_by_user_id !== null])).toEqual([
      ['Олена Коваленко', 'uk', false, true],
      ['سمير الأحمد', 'ar', false, false],
      ['Ahmad Karimi', 'fa', true, true],
    ]);
    const request = await db.selectFrom('help_request').selectAll().where('consultation_booking_id', '=', bookings[2]!.id).executeTakeFirstOrThrow();
    expect(request).toMatchObject({ kind: 'interpreting', status: 'open', languages: ['fa'] });
    const ahmad = await db.selectFrom('app_user').select('id').where('sign_in_name', '=', 'ahmad').executeTakeFirstOrThrow();
    expect((await listMyBookings(db, ahmad.id, NOW))[0]!.interpreter).toEqual({ state: 'looking' });
  });

  it('has published activities in every category', async () => {
    const rows = await handle.db.selectFrom('activity').select('category').distinct().where('status', '=', 'published').execute();
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(ACTIVITY_CATEGORIES));
  });

  it('schedules everything ahead within the next eight weeks, and the past within the last year', async () => {
    const past = await handle.db.selectFrom('activity').select(['title', 'ends_at']).where('starts_at', '<=', NOW).execute();
    for (const row of past) {
      expect(row.ends_at.getTime(), row.title).toBeLessThan(NOW.getTime());
      expect(row.ends_at.getTime(), row.title).toBeGreaterThan(NOW.getTime() - 366 * 24 * 3600_000);
    }
    const rows = await handle.db.selectFrom('activity').select(['title', 'starts_at', 'ends_at', 'rsvp_deadline']).where('starts_at', '>', NOW).execute();
    for (const row of rows) {
      expect(row.starts_at.getTime(), row.title).toBeGreaterThan(NOW.getTime());
      expect(row.starts_at.getTime(), row.title).toBeLessThanOrEqual(NOW.getTime() + EIGHT_WEEKS_MS);
      expect(row.ends_at.getTime(), row.title).toBeGreaterThan(row.starts_at.getTime());
      if (row.rsvp_deadline) {
        expect(row.rsvp_deadline.getTime(), row.title).toBeGreaterThan(NOW.getTime());
        expect(row.rsvp_deadline.getTime(), row.title).toBeLessThan(row.starts_at.getTime());
      }
    }
  });

  it('holds the language café weekly at the same Berlin time, across the DST change', async () => {
    const rows = await handle.db
      .selectFrom('activity')
      .select(['starts_at', 'ends_at', 'category', 'capacity', 'languages'])
      .where('title', '=', 'Sprachcafé / Language café')
      .where('starts_at', '>', NOW)
      .orderBy('starts_at')
      .execute();
    expect(rows).toHaveLength(8);
    const startTimes = new Set(rows.map((r) => berlinTime.format(r.starts_at)));
    const endTimes = new Set(rows.map((r) => berlinTime.format(r.ends_at)));
    expect(startTimes.size).toBe(1);
    expect(endTimes.size).toBe(1);
    for (let i = 1; i < rows.length; i++) {
      expect(berlinDayNumber(rows[i]!.starts_at) - berlinDayNumber(rows[i - 1]!.starts_at)).toBe(7);
    }
    // The fixture spans the switch to summer time, so one week is an hour short in UTC.
    const gapsInHours = rows.slice(1).map((r, i) => (r.starts_at.getTime() - rows[i]!.starts_at.getTime()) / 3_600_000);
    expect(gapsInHours).toContain(167);
    for (const row of rows) {
      expect(row.category).toBe('language');
      expect(row.languages).toEqual(expect.arrayContaining(['de', 'ar', 'uk']));
    }
  });

  it('offers a German course at level A1', async () => {
    const course = await handle.db
      .selectFrom('activity')
      .select(['title', 'category', 'capacity'])
      .where('german_level', '=', 'A1')
      .where('status', '=', 'published')
      .execute();
    expect(course.length).toBeGreaterThanOrEqual(8);
    for (const row of course) expect(row.category).toBe('language');
  });

  it('stores translations as objects and text arrays as arrays', async () => {
    const rows = await handle.db.selectFrom('activity').select(['translations', 'languages', 'audience']).execute();
    const translated = rows.filter((r) => r.translations.en);
    expect(translated.length).toBeGreaterThanOrEqual(rows.length / 3);
    expect(rows.some((r) => r.translations.ar && r.translations.uk)).toBe(true);
    for (const r of translated) expect(r.translations.en!.title.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.audience.includes('women'))).toBe(true);
    expect(rows.every((r) => Array.isArray(r.languages) && r.languages.length > 0)).toBe(true);
  });

  it('gives every demo sign-in a working password', async () => {
    expect(summary.signIns).toHaveLength(10);
    for (const signIn of summary.signIns) {
      expect(await checkNewPassword(signIn.password)).toBeNull();
      const user = await handle.db
        .selectFrom('app_user')
        .select(['password_hash', 'email_verified_at', 'display_name'])
        .where('email', '=', signIn.email)
        .executeTakeFirstOrThrow();
      expect(user.display_name).toBe(signIn.displayName);
      expect(user.email_verified_at).not.toBeNull();
      expect(await verifyPassword(user.password_hash, signIn.password), signIn.email).toBe(true);
    }
  });

  it('makes the admin an administrator and nobody else', async () => {
    const admins = await handle.db.selectFrom('app_user').select('email').where('is_admin', '=', true).execute();
    const admin = summary.signIns.find((s) => s.role === 'admin')!;
    expect(admins.map((a) => a.email)).toEqual([admin.email]);
  });

  it('gives the coordinator a coordinator membership at the Integration Office', async () => {
    const coordinator = summary.signIns.find((s) => s.role.startsWith('coordinator'))!;
    const memberships = await handle.db
      .selectFrom('membership')
      .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['organisation.slug', 'membership.role'])
      .where('app_user.email', '=', coordinator.email)
      .execute();
    expect(memberships).toContainEqual({ slug: 'integrationsbuero', role: 'coordinator' });
  });

  it('refuses to load twice and changes nothing', async () => {
    const before = await counts();
    await expect(loadDemoTown(handle.db, { now: NOW, timeZone: TIME_ZONE })).rejects.toThrow(/already loaded/);
    expect(await counts()).toEqual(before);
  });
});

describe('the demo town in a calendar', () => {
  it('sends the weekly language café as one repeating event, at 18:00 in Berlin across the clock change', async () => {
    const { publicCalendar } = await import('../../src/features/feeds/calendar.ts');
    const { loadPublicFeed } = await import('../../src/features/feeds/feeds.queries.ts');
    const { translator } = await import('../../src/i18n/index.ts');
    const { parseBoth } = await import('../helpers/calendars.ts');
    const rows = await loadPublicFeed(handle.db, { filters: { organisation: 'stellwerk' }, from: NOW });
    const body = publicCalendar(rows, {
      baseUrl: 'https://demo.example',
      timeZone: TIME_ZONE,
      t: translator('de'),
      name: 'Stellwerk',
      organizerEmail: 'no-reply@demo.example',
      refreshSeconds: 3600,
    });
    const { icalJs, nodeIcal } = parseBoth(body);
    expect(nodeIcal.occurrences).toEqual(icalJs.occurrences);
    const cafe = icalJs.occurrences.filter((o) => o.uid.startsWith('series-'));
    expect(cafe).toHaveLength(8);
    expect(new Set(cafe.map((o) => o.uid)).size).toBe(1);
    // The rule ends at the last date's own instant (UNTIL in UTC).
    expect(icalJs.rules.get(cafe[0]!.uid)).toBe(`FREQ=WEEKLY;UNTIL=${cafe[7]!.start.replace(/[-:]|\.000/g, '')}`);
    expect(cafe.map((o) => berlinTime.format(new Date(o.start)))).toEqual(Array(8).fill('18:00'));
  });
});

describe('how visitors reach the demo organisations', () => {
  it('gives every organisation a public contact that the edit form would accept as it is', async () => {
    const { contactInput } = await import('../../src/features/organisations/organisations.schema.ts');
    const rows = await handle.db.selectFrom('organisation').select(['slug', 'contact_phone', 'contact_email']).orderBy('slug').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.contact_phone || row.contact_email, row.slug).toBeTruthy();
      expect(contactInput.parse({ contactPhone: row.contact_phone, contactEmail: row.contact_email }), row.slug).toEqual({ contactPhone: row.contact_phone, contactEmail: row.contact_email });
    }
  });
});

describe('the demo town’s past year', () => {
  const hoursOf = (email: string) =>
    handle.db
      .selectFrom('volunteer_hours')
      .innerJoin('app_user', 'app_user.id', 'volunteer_hours.user_id')
      .selectAll('volunteer_hours')
      .where('app_user.email', '=', email)
      .execute();

  it('comes after the coming activities: the first activity is still the next language café', async () => {
    const first = await handle.db.selectFrom('activity').select(['title', 'starts_at']).orderBy('id').executeTakeFirstOrThrow();
    expect(first.title).toBe('Sprachcafé / Language café');
    expect(first.starts_at.getTime()).toBeGreaterThan(NOW.getTime());
    const latestUpcoming = await handle.db.selectFrom('activity').select((eb) => eb.fn.max('id').as('id')).where('starts_at', '>', NOW).executeTakeFirstOrThrow();
    const firstPast = await handle.db.selectFrom('activity').select((eb) => eb.fn.min('id').as('id')).where('starts_at', '<=', NOW).executeTakeFirstOrThrow();
    expect(Number(firstPast.id)).toBeGreaterThan(Number(latestUpcoming.id));
  });

  it('held a language café every week for a year, with people checked in at each (by name only in the last 30 days)', async () => {
    const cafes = await handle.db.selectFrom('activity').select(['id', 'ends_at']).where('title', '=', 'Sprachcafé / Language café').where('starts_at', '<=', NOW).execute();
    expect(cafes).toHaveLength(52);
    const rsvps = await handle.db
      .selectFrom('rsvp')
      .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
      .select(['rsvp.walk_in_name', 'rsvp.anonymised_at', 'rsvp.checked_in_count', 'activity.ends_at'])
      .where('activity.starts_at', '<=', NOW)
      .execute();
    expect(rsvps.length).toBeGreaterThan(3 * 100);
    for (const r of rsvps) {
      expect(r.checked_in_count).toBeGreaterThan(0);
      const recent = r.ends_at.getTime() > NOW.getTime() - 30 * 24 * 3600_000;
      expect(r.walk_in_name !== null).toBe(recent);
      expect(r.anonymised_at !== null).toBe(!recent);
    }
  });

  it('gives the resident and the Kümmerer hours both confirmed and pending, and the organiser a month to confirm', async () => {
    for (const email of ['resident@example.org', 'mentor@example.org']) {
      const hours = await hoursOf(email);
      expect(hours.some((h) => h.status === 'confirmed'), email).toBe(true);
      expect(hours.some((h) => h.status === 'pending'), email).toBe(true);
      expect(new Set(hours.map((h) => h.source)), email).toContain('shift');
      expect(hours.some((h) => h.source === 'manual' && h.description === 'Schulung Erste Hilfe'), email).toBe(true);
    }
    const mentor = await hoursOf('mentor@example.org');
    const meeting = mentor.find((h) => h.source === 'meeting')!;
    expect(meeting).toMatchObject({ organisation_id: null, description: 'kuemmerer', place: '', minutes: 90 });
    const resident = await hoursOf('resident@example.org');
    expect(resident.find((h) => h.source === 'help')).toMatchObject({ description: 'doctor', minutes: 90, organisation_id: null });

    // Confirmed up to the month before last (February is pending on 20 March), with who did it.
    const firstOfFebruary = new Date('2026-01-31T23:00:00Z');
    const all = await handle.db.selectFrom('volunteer_hours').selectAll().execute();
    for (const h of all) {
      expect(h.status, h.description).toBe(h.starts_at < firstOfFebruary ? 'confirmed' : 'pending');
      if (h.status === 'confirmed') expect(h.confirmed_by).not.toBeNull();
    }
    const stellwerk = await handle.db.selectFrom('organisation').select('id').where('slug', '=', 'stellwerk').executeTakeFirstOrThrow();
    const february = all.filter((h) => h.organisation_id === stellwerk.id && h.status === 'pending' && h.starts_at >= firstOfFebruary && h.starts_at < new Date('2026-02-28T23:00:00Z'));
    expect(february.length).toBeGreaterThanOrEqual(4);
    // Shifts read as "<title> – <role>" at the activity's place.
    expect(all.some((h) => h.source === 'shift' && h.description === 'Sprachcafé / Language café – Ausschank und Kuchen' && h.place === 'Stellwerk')).toBe(true);
  });
});
