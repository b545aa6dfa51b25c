// The browse filters a newcomer uses: each one narrows the list as its label promises, shared
// links with junk in them still work, and "today" / "this week" end at midnight in the town.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { browseChoices, countPublishedActivities, listPublishedActivities, needsNoGerman } from '../../src/features/activities/activities.queries.ts';
import { browseFilterParams, browseWindow, parseBrowseFilters, type BrowseFilters } from '../../src/features/activities/browse-filters.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeActivity, makeOrganisation } from '../helpers/fixtures.ts';

const TZ = 'Europe/Berlin';
// Wednesday 21 October 2026, 21:30 in Berlin (19:30Z).
const NOW = new Date('2026-10-21T19:30:00Z');

let handle: DatabaseHandle;
let db: Kysely<Database>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  const stellwerk = await makeOrganisation(db);
  const library = await db.insertInto('organisation').values({ slug: 'bibliothek', name: 'Bibliothek' }).returning('id').executeTakeFirstOrThrow();
  const at = (iso: string) => new Date(iso);
  ids.cafe = await makeActivity(db, stellwerk, {
    title: 'Sprachcafé',
    startsAt: at('2026-10-21T20:00:00Z'), // 22:00 today in Berlin
    extra: { languages: ['de', 'ar', 'uk'], childcare: true, category: 'language' },
  });
  ids.course = await makeActivity(db, stellwerk, {
    title: 'Deutschkurs A1',
    startsAt: at('2026-10-22T07:00:00Z'), // tomorrow 09:00
    extra: { languages: ['de'], german_level: 'A1', category: 'language' },
  });
  ids.swim = await makeActivity(db, library.id, {
    title: 'Frauen-Schwimmen',
    startsAt: at('2026-10-27T16:00:00Z'), // next Tuesday
    extra: { languages: ['de', 'fa'], audience: ['women'], wheelchair_accessible: true, category: 'sports', cost: '2 €' },
  });
  ids.tour = await makeActivity(db, library.id, {
    title: 'Stadtführung',
    startsAt: at('2026-11-20T13:00:00Z'), // in a month
    translations: { ar: { title: 'جولة في المدينة', description: 'نزهة 50% أقل' } },
    extra: { languages: ['de', 'ar'], audience: ['families'], category: 'culture' },
  });
  ids.draft = await makeActivity(db, stellwerk, { title: 'Entwurf', status: 'draft', startsAt: at('2026-10-23T10:00:00Z') });
  ids.past = await makeActivity(db, stellwerk, { title: 'Gestern', startsAt: at('2026-10-20T10:00:00Z') });
});
afterAll(() => handle?.close());

async function titles(query: string): Promise<string[]> {
  const filters = parseBrowseFilters(new URLSearchParams(query));
  const rows = await listPublishedActivities(db, { locale: 'de', ...browseWindow(filters, NOW, TZ), filters, limit: 50 });
  return rows.map((r) => r.title);
}

describe('filters on the list', () => {
  it('lists upcoming published activities, soonest first, without drafts or past ones', async () => {
    expect(await titles('')).toEqual(['Sprachcafé', 'Deutschkurs A1', 'Frauen-Schwimmen', 'Stadtführung']);
  });

  it.each([
    ['category=sports', ['Frauen-Schwimmen']],
    ['when=today', ['Sprachcafé']],
    ['when=week', ['Sprachcafé', 'Deutschkurs A1', 'Frauen-Schwimmen']],
    ['from=2026-10-22&to=2026-10-27', ['Deutschkurs A1', 'Frauen-Schwimmen']],
    ['from=2026-10-27&to=2026-10-22', ['Deutschkurs A1', 'Frauen-Schwimmen']],
    ['language=ar', ['Sprachcafé', 'Stadtführung']],
    ['level=A1', ['Deutschkurs A1']],
    ['noGerman=1', ['Sprachcafé', 'Frauen-Schwimmen', 'Stadtführung']],
    ['audience=women', ['Frauen-Schwimmen']],
    ['childcare=1', ['Sprachcafé']],
    ['wheelchair=1', ['Frauen-Schwimmen']],
    ['free=1', ['Sprachcafé', 'Deutschkurs A1', 'Stadtführung']],
    ['organisation=bibliothek', ['Frauen-Schwimmen', 'Stadtführung']],
    ['q=schwimm', ['Frauen-Schwimmen']],
    ['q=جولة', ['Stadtführung']],
    ['q=50%25', ['Stadtführung']],
    // % and _ are searched as themselves, not as wildcards.
    ['q=%25', ['Stadtführung']],
    ['q=_', []],
    ['language=ar&childcare=1', ['Sprachcafé']],
    ['category=sports&when=today', []],
  ])('%s', async (query, expected) => {
    expect(await titles(query)).toEqual(expected);
  });

  it('ignores junk in a shared link instead of failing', async () => {
    expect(parseBrowseFilters(new URLSearchParams('category=bogus&when=yesterday&level=Z9&from=2026-02-30&language=ar;drop&organisation=../x&childcare=maybe'))).toEqual({});
    expect(await titles('category=bogus&page=x')).toHaveLength(4);
  });

  it('round-trips through its own link', () => {
    const filters: BrowseFilters = { category: 'language', when: 'dates', from: '2026-10-22', to: '2026-10-30', language: 'uk', germanLevel: 'B1', noGermanNeeded: true, audience: 'youth', childcare: true, wheelchair: true, free: true, organisation: 'stellwerk', text: 'Tee & Kekse' };
    expect(parseBrowseFilters(browseFilterParams(filters))).toEqual(filters);
  });

  it('ends "today" at midnight in the town, wherever the server is', () => {
    const window = browseWindow({ when: 'today' }, NOW, TZ);
    expect(window.to?.toISOString()).toBe('2026-10-21T22:00:00.000Z');
    // The week crosses the end of summer time (25 October): midnight is then 23:00Z.
    expect(browseWindow({ when: 'week' }, NOW, TZ).to?.toISOString()).toBe('2026-10-27T23:00:00.000Z');
  });

  it('counts what the list shows over all its pages, filters and window included', async () => {
    for (const query of ['', 'when=week', 'language=ar', 'noGerman=1&organisation=bibliothek', 'category=sports&when=today']) {
      const filters = parseBrowseFilters(new URLSearchParams(query));
      const window = browseWindow(filters, NOW, TZ);
      expect(await countPublishedActivities(db, { ...window, filters }), query).toBe((await titles(query)).length);
    }
  });

  it('marks a card "no German needed" exactly when the filter of that name lists it', async () => {
    const all = await listPublishedActivities(db, { locale: 'de', from: NOW, limit: 50 });
    expect(all.filter((a) => needsNoGerman(a)).map((a) => a.title)).toEqual(await titles('noGerman=1'));
    // A course asks for German even where another language helps; German alone asks for it too.
    expect(needsNoGerman({ germanLevel: 'A1', languages: ['de', 'ar'] })).toBe(false);
    expect(needsNoGerman({ germanLevel: null, languages: ['de'] })).toBe(false);
    expect(needsNoGerman({ germanLevel: null, languages: [] })).toBe(false);
    // The card shows the rest of what the filters ask about.
    const cafe = all.find((a) => a.title === 'Sprachcafé')!;
    expect(cafe).toMatchObject({ childcare: true, languages: ['de', 'ar', 'uk'], germanLevel: null });
  });

  it('offers only organisers and languages that have something coming up', async () => {
    const choices = await browseChoices(db, NOW);
    expect(choices.organisations.map((o) => o.slug)).toContain('bibliothek');
    expect(choices.languages).toEqual(['ar', 'de', 'fa', 'uk']);
  });
});
