// Activities made the way an organiser makes them, for HTTP tests: the form posted, then
// published from the activity's page.
import { expect } from 'vitest';
import type { Visitor } from './visitor.ts';

/** The form's required fields, filled; anything else (or other values) comes as overrides. */
const REQUIRED = {
  title: 'Testangebot',
  sourceLocale: 'de',
  category: 'leisure',
  date: '2031-05-06',
  startTime: '15:00',
  endTime: '17:00',
  placeName: 'Stellwerk',
  capacity: '',
};

/** Creates an activity of the organisation as `organiser` and publishes it; answers its id. */
export async function createPublishedActivity(organiser: Visitor, organisationId: string | number, overrides: Record<string, string> = {}): Promise<string> {
  const created = await organiser.submit(`/organise/new?organisation=${organisationId}`, 'organise.createActivity', {
    ...REQUIRED,
    ...overrides,
    organisationId: String(organisationId),
  });
  const id = /\/organise\/(\d+)$/.exec(created.url)?.[1];
  expect(id, `the activity was created: ${created.url}`).toBeDefined();
  const published = await organiser.submit(`/organise/${id}`, 'organise.publishActivity', { activityId: id! });
  expect(published.status, 'the activity was published').toBe(200);
  return id!;
}
