// The browse page works with plain GET links: filters are kept, an empty result says so and
// offers to clear the filters.
import { describe, expect, it } from 'vitest';
import { stripTags, Visitor } from '../helpers/visitor.ts';

describe('/activities', () => {
  it('filters by GET parameters and keeps them in the form', async () => {
    const html = await (await new Visitor().get('/activities?q=Sprachcaf%C3%A9&category=language')).text();
    expect(stripTags(html)).toContain('Kleines Sprachcafé');
    expect(stripTags(html)).not.toContain('Großes Fest');
    expect(html).toContain('<option value="language" selected>');
    expect(stripTags(html)).toContain('2 Filter aktiv');
    expect(html).toContain('name="q" type="search" value="Sprachcafé"');
  });

  it('says when nothing matches and offers to clear the filters', async () => {
    const response = await new Visitor().get('/en/activities?category=sports&free=1');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(stripTags(html)).toContain('No activities match these filters.');
    expect(html).toContain('<a href="/en/activities">Remove all filters</a>');
    expect(html).toMatch(/<details class="filters" open/);
  });

  it('never shows drafts', async () => {
    expect(stripTags(await (await new Visitor().get('/activities')).text())).not.toContain('Noch geheim');
  });
});
