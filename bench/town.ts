// A large town for the benchmark, loaded in a few seconds: each table is filled by one
// INSERT … SELECT over generate_series on the server, not row by row from Node. Everything is
// derived from the row number, so two runs load the same town (only "now" moves).
//
//   10,000 activities over the year ahead in 10 organisations (1,000 each), mixed categories,
//   languages, German levels and audiences; 1,000 of them in 100 weekly series of ten (ten
//   of those series are courses booked as a whole); 1 % cancelled, 1 % drafts.
//   2,000 people, 200 of them approved Kümmerer; 50,000 RSVPs, going while the seats last and
//   waitlisted after; 300 volunteer roles with a few sign-ups; a session for every person.
//
// Two sets of activities are kept free of RSVPs for the write benchmarks: one 20-seat activity
// that everybody tries to get into, and a pool of single activities to spread RSVPs over.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import { hashPassword } from '../src/features/accounts/password.ts';
import { createSession } from '../src/features/accounts/sessions.ts';
import { createCalendarToken } from '../src/features/feeds/personal-feed.ts';
import { createAnswerLinks } from '../src/features/answers/answer-links.ts';

export const TOWN_SIZE = { activities: 10_000, people: 2_000, rsvps: 50_000, kuemmerer: 200, volunteerRoles: 300, organisations: 10 } as const;

export interface LoadedTown {
  /** Session tokens ("<id>.<secret>"), one per person, index = person number - 1. */
  sessions: string[];
  /** Whose session each one is. */
  sessionUserIds: number[];
  /** The 20-seat activity everybody tries to get into. */
  contendedActivityId: number;
  /** Published single activities without RSVPs, for RSVPs spread over many activities. */
  spreadActivityIds: number[];
  /** A published activity with RSVPs and volunteer roles, for the activity page. */
  sampleActivityId: number;
  /** Paths of one-tap "I can't come" pages (valid tokens of going RSVPs), as mailed. */
  answerPaths: string[];
  /** A free consultation slot in the coming weeks, for its booking page. */
  sampleSlotId: number;
  /** Slug of one organisation: its feed holds about 1,000 events. */
  organisationSlug: string;
  /** A personal feed token of a person with RSVPs, and how many they have. */
  calendarToken: string;
  calendarTokenRsvps: number;
  counts: Record<string, number>;
}

const PASSWORD = 'bench-town-password';

export async function loadLargeTown(db: Kysely<Database>, now: Date): Promise<LoadedTown> {
  const { activities, people, rsvps, kuemmerer, volunteerRoles, organisations } = TOWN_SIZE;
  // Hashing 2,000 passwords would take minutes of Argon2; one hash shared by all is the same row.
  const passwordHash = await hashPassword(PASSWORD);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

  await sql`
    insert into organisation (slug, name, description)
    select 'verein-' || n, 'Verein ' || n || ' – Ehrenamt in Altena', 'Ein Verein aus Altena, der Menschen zusammenbringt.'
    from generate_series(1, ${organisations}) n`.execute(db);

  await sql`
    insert into app_user (email, email_verified_at, password_hash, display_name, locale)
    select 'person-' || n || '@bench.example', ${now}, ${passwordHash}, 'Person ' || n,
           (array['de', 'ar', 'uk', 'tr', 'fa', 'en'])[1 + n % 6]
    from generate_series(1, ${people}) n`.execute(db);
  // Person n organises for organisation n (the first ten people); person 11 coordinates.
  await sql`
    insert into membership (organisation_id, user_id, role)
    select o.id, u.id, 'organiser' from organisation o join app_user u on u.email = 'person-' || o.id || '@bench.example'`.execute(db);
  await sql`insert into membership (organisation_id, user_id, role) values (1, 11, 'coordinator')`.execute(db);

  // 100 weekly series of ten; the first ten are courses (one RSVP books every date).
  await sql`
    insert into activity_series (organisation_id, frequency, whole_series)
    select 1 + s % ${organisations}, 'weekly', s <= 10 from generate_series(1, 100) s`.execute(db);

  // Activity i: in series (i <= 1,000) it is occurrence (i-1) % 10 of series (i-1)/10 + 1, weekly
  // at 18:00 from a day that depends on the series; otherwise a day spread over the year.
  await sql`
    insert into activity (organisation_id, status, title, description, source_locale, translations, category,
                          starts_at, ends_at, place_name, address, capacity, languages, german_level, audience,
                          childcare, wheelchair_accessible, cost, cancel_reason, series_id, series_slot, created_by)
    select org, status,
           (array['Sprachcafé', 'Fahrradwerkstatt', 'Frauenfrühstück', 'Hausaufgabenhilfe', 'Spaziergang an der Lenne', 'Kochabend'])[1 + key % 6] || ' ' || i,
           'Wir treffen uns in gemütlicher Runde, reden, lachen und lernen voneinander. Menschen aus Altena und aus aller Welt '
             || 'sind willkommen; niemand muss schon gut Deutsch sprechen. Kinder dürfen mitkommen, für Getränke ist gesorgt.'
             || E'\n\nBitte vorher anmelden, damit wir genug Plätze und Tee haben.',
           'de',
           case when i % 3 = 0 then jsonb_build_object(
             'ar', jsonb_build_object('title', 'لقاء ' || i, 'description', 'نلتقي في جو مريح ونتحدث ونتعلم من بعضنا البعض.'),
             'en', jsonb_build_object('title', 'Meet-up ' || i, 'description', 'We meet, talk, laugh and learn from each other.'))
           else '{}'::jsonb end,
           (array['leisure', 'culture', 'sports', 'language', 'integration', 'volunteering'])[1 + key % 6],
           starts, starts + interval '2 hours',
           'Stellwerk ' || (1 + i % 20), 'Lennestraße ' || (1 + i % 80) || ', 58762 Altena',
           case when i % 4 = 0 then null else 20 + (i % 3) * 10 end,
           array['de', (array['ar', 'uk', 'tr', 'fa', 'en'])[1 + i % 5]],
           case when key % 6 = 3 then (array['A1', 'A2', 'B1', 'B2', 'C1'])[1 + i % 5] end,
           case i % 7 when 0 then array['families'] when 1 then array['women'] when 2 then array['youth', 'children'] when 3 then array['seniors'] else '{}'::text[] end,
           i % 6 = 0, i % 2 = 0,
           case when i % 5 = 0 then '3 € für Material' end,
           case when status = 'cancelled' then 'Die Leiterin ist krank.' end,
           series, case when series is not null then starts end,
           org
    from (
      select i, series, coalesce(series, i) as key,
             1 + coalesce(series, i) % ${organisations} as org,
             case when series is null and i % 100 = 99 then 'cancelled' when series is null and i % 100 = 98 then 'draft' else 'published' end as status,
             case when series is not null
               then ${today}::timestamptz + make_interval(days => 1 + (series * 3) % 280 + ((i - 1) % 10) * 7, hours => 17)
               else ${today}::timestamptz + make_interval(days => 1 + (i * 37) % 365, hours => 7 + i % 12)
             end as starts
      from (select i, case when i <= 1000 then (i - 1) / 10 + 1 end as series from generate_series(1, ${activities}) i) numbered
    ) a
    order by i`.execute(db);

  const contended = await db
    .insertInto('activity')
    .values({
      organisation_id: 1,
      status: 'published',
      title: 'Deutschkurs A1 – Anmeldung (nur 20 Plätze)',
      description: 'Der neue Deutschkurs beginnt. Die Plätze werden in der Reihenfolge der Anmeldung vergeben.',
      source_locale: 'de',
      category: 'language',
      starts_at: new Date(today.getTime() + 14 * 86_400_000 + 9 * 3_600_000),
      ends_at: new Date(today.getTime() + 14 * 86_400_000 + 12 * 3_600_000),
      place_name: 'VHS Altena',
      capacity: 20,
      languages: ['de'],
      german_level: 'A1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // RSVPs: candidates (person, activity) with popularity skewed towards a few activities,
  // duplicates dropped, then going while the party fits and waitlisted after, in order.
  // Courses (whole series), the contended activity and the spread pool get none.
  await sql`
    with targets as (
      select a.id, a.capacity, row_number() over (order by a.id) as rn
      from activity a left join activity_series s on s.id = a.series_id
      where a.status = 'published' and coalesce(s.whole_series, false) = false
        and a.id <> ${contended.id} and not (a.id % 10 = 0 and a.series_id is null)
    ),
    target_count as (select count(*) as n from targets),
    candidates as (
      select distinct on (activity_id, user_id)
             k, t.id as activity_id, t.capacity, 1 + (k * 7919) % ${people} as user_id,
             1 + (k % 4 = 0)::int + (k % 10 = 0)::int as party_size
      from generate_series(1, ${Math.round(rsvps * 1.2)}) k
      cross join target_count
      join targets t on t.rn = 1 + floor(target_count.n * power(((k * 2654435761::bigint) % 1000003) / 1000003.0, 1.6))::int
      order by activity_id, user_id, k
    ),
    chosen as (select * from candidates order by k limit ${rsvps}),
    ordered as (
      select *, sum(party_size) over (partition by activity_id order by k) as seats_so_far from chosen
    )
    insert into rsvp (activity_id, user_id, party_size, status, created_by, created_at, updated_at)
    select activity_id, user_id, party_size,
           case when capacity is null or seats_so_far <= capacity then 'going' else 'waitlisted' end,
           user_id, ${now}, ${now}
    from ordered order by k`.execute(db);

  // The last 200 people are approved Kümmerer.
  await sql`
    insert into kuemmerer (user_id, status, topics, languages, max_mentees, note, code_of_conduct_accepted_at, decided_by, decided_at)
    select n,
           'approved',
           array[(array['german', 'qualifications', 'jobs', 'paperwork', 'school', 'housing', 'health', 'everyday'])[1 + n % 8],
                 (array['german', 'qualifications', 'jobs', 'paperwork', 'school', 'housing', 'health', 'everyday'])[1 + (n / 8) % 8]],
           array['de', (array['ar', 'uk', 'tr', 'fa', 'en'])[1 + n % 5]],
           1 + n % 5, 'Ich helfe gern beim Ankommen.', ${now}, 11, ${now}
    from generate_series(${sql.lit(people - kuemmerer + 1)}, ${sql.lit(people)}) n`.execute(db);

  await sql`
    insert into volunteer_role (activity_id, name, people_needed, what_to_bring, skills, languages, created_by)
    select a.id, (array['Aufbau', 'Kuchen backen', 'Übersetzen', 'Kinderbetreuung'])[1 + r % 4], 2 + r % 4,
           'Gute Laune', array['cooking'], array['de'], 1
    from generate_series(1, ${volunteerRoles}) r
    join activity a on a.id = 1 + (r * 31) % ${activities}
    where a.status = 'published'`.execute(db);
  await sql`
    insert into volunteer_signup (role_id, user_id, status)
    select id, 1 + (id * 13) % ${people}, 'active' from volunteer_role where id % 2 = 0`.execute(db);

  await sql`analyze`.execute(db);

  // Sessions through the sessions module (a random id and a hashed secret each), ten at a time.
  const sessions: string[] = [];
  const sessionUserIds: number[] = [];
  const userIds = (await db.selectFrom('app_user').select('id').orderBy('id').execute()).map((u) => u.id);
  for (let first = 0; first < userIds.length; first += 10) {
    const batch = await Promise.all(userIds.slice(first, first + 10).map((id) => createSession(db, id, now)));
    sessions.push(...batch.map((s) => s.token));
    sessionUserIds.push(...batch.map((s) => s.session.userId));
  }

  const spread = await db
    .selectFrom('activity')
    .select('id')
    .where('status', '=', 'published')
    .where('series_id', 'is', null)
    .where(sql<boolean>`id % 10 = 0`)
    .where('id', '<>', contended.id)
    .orderBy('id')
    .execute();
  // A busy activity page: the activity with the most RSVPs that also has volunteer roles.
  const sample = await sql<{ id: number }>`
    select a.id from activity a join volunteer_role v on v.activity_id = a.id
    where a.status = 'published' and a.series_id is null
    order by (select count(*) from rsvp r where r.activity_id = a.id) desc, a.id limit 1`.execute(db);
  // The personal feed of the person with the most RSVPs.
  const busiest = await sql<{ user_id: number; n: number }>`
    select user_id, count(*)::int as n from rsvp where status <> 'cancelled' group by user_id order by n desc, user_id limit 1`.execute(db);
  const person = busiest.rows[0]!;
  const calendarToken = await createCalendarToken(db, person.user_id, null, now);
  // One-tap answer links as reminders carry them: 200 going RSVPs of coming activities, each
  // opened by "I can't come" (the page only asks; opening it changes nothing).
  const reminded = await db
    .selectFrom('rsvp')
    .innerJoin('activity', 'activity.id', 'rsvp.activity_id')
    .select(['rsvp.id', 'activity.starts_at'])
    .where('rsvp.status', '=', 'going')
    .where('activity.status', '=', 'published')
    .where('activity.starts_at', '>', now)
    .orderBy('rsvp.id')
    .limit(200)
    .execute();
  const answerPaths: string[] = [];
  for (const r of reminded) answerPaths.push(new URL((await createAnswerLinks(db, 'http://bench', { rsvpId: r.id }, r.starts_at, 'de', now)).notComingUrl).pathname);

  // Consultation hours: every organisation weekly for the eight weeks the public list shows,
  // three hours of 20-minute slots each, a third of the slots booked (every fifth booking in a
  // language nobody on duty speaks).
  await sql`
    insert into consultation_hour (organisation_id, starts_at, ends_at, slot_minutes, place, topics, languages, created_by)
    select o, date_trunc('day', ${now}::timestamptz) + (w * 7 + o % 5 + 1) * interval '1 day' + interval '8 hours',
           date_trunc('day', ${now}::timestamptz) + (w * 7 + o % 5 + 1) * interval '1 day' + interval '11 hours',
           20, 'Beratungsraum ' || o, array['housing', 'residence', 'work'], array['de', 'ar', 'uk'], null
      from generate_series(1, ${organisations}) o, generate_series(0, 7) w`.execute(db);
  await sql`
    insert into consultation_slot (hour_id, starts_at, ends_at)
    select h.id, h.starts_at + s * interval '20 minutes', h.starts_at + (s + 1) * interval '20 minutes'
      from consultation_hour h, generate_series(0, 8) s`.execute(db);
  await sql`
    insert into consultation_booking (slot_id, user_id, topic, language, note, interpreter_needed, status)
    select id, 1 + id % ${people}, 'housing', case when id % 5 = 0 then 'fa' else 'ar' end, '', id % 5 = 0, 'booked'
      from consultation_slot where id % 3 = 0`.execute(db);
  const freeSlot = await sql<{ id: number }>`select min(id)::int as id from consultation_slot where id % 3 <> 0 and starts_at > ${now}`.execute(db);

  // Volunteer hours: a year of them for every person, ten entries each with the organisation
  // 1 + id % 10 (so that each person has one organisation's certificate to ask for), the last
  // two months pending, the rest confirmed: about 20,000 rows, 2,000 a month per organisation
  // page of ~200.
  await sql`
    insert into volunteer_hours (user_id, organisation_id, source, starts_at, minutes, description, place, status, confirmed_at, confirmed_by)
    select u.id, 1 + u.id % ${organisations}, 'manual', ${now}::timestamptz - (k * 36 + u.id % 30) * interval '1 day',
           60 + (u.id + k) % 4 * 30, (array['Sprachcafé – Ausschank', 'Kleiderkammer sortieren', 'Hausaufgabenhilfe'])[1 + k % 3], 'Stadtteilzentrum',
           case when k < 2 then 'pending' else 'confirmed' end, case when k < 2 then null else ${now}::timestamptz end, case when k < 2 then null else 1 end
      from app_user u, generate_series(0, 9) k
     where u.email like '%@bench.example'`.execute(db);

  const counts: Record<string, number> = {};
  for (const table of ['organisation', 'app_user', 'session', 'activity', 'activity_series', 'rsvp', 'kuemmerer', 'volunteer_role', 'volunteer_signup', 'consultation_hour', 'consultation_slot', 'consultation_booking', 'volunteer_hours'] as const) {
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    counts[table] = row.rows[0]!.n;
  }
  return {
    sessions,
    sessionUserIds,
    contendedActivityId: contended.id,
    spreadActivityIds: spread.map((r) => r.id),
    sampleActivityId: sample.rows[0]!.id,
    sampleSlotId: freeSlot.rows[0]!.id,
    organisationSlug: 'verein-1',
    calendarToken,
    calendarTokenRsvps: person.n,
    answerPaths,
    counts,
  };
}
