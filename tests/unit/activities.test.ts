// Organisers' activities: only members manage them; drafts stay hidden until published; a
// change of time or place or a cancellation raises the revision and tells everyone who RSVPed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/features/access/access.ts';
import { getPublicActivity } from '../../src/features/activities/activities.queries.ts';
import { activityInput } from '../../src/features/activities/activities.schema.ts';
import {
  cancelActivity,
  createActivity,
  duplicateActivity,
  getManagedActivity,
  listManagedActivities,
  publishActivity,
  updateActivity,
} from '../../src/features/activities/activities.service.ts';
import { createRsvp } from '../../src/features/rsvps/rsvps.service.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { makeOrganisation, makePerson, createdId } from '../helpers/fixtures.ts';

const TZ = 'Europe/Berlin';
const CONTEXT = { baseUrl: 'https://ankommen.example' };
const NOW = new Date('2030-01-10T10:00:00Z');
const schema = activityInput(TZ);

let handle: DatabaseHandle;
let db: Kysely<Database>;
let organisationId: number;
let organiser: SessionUser;
let otherOrganiser: SessionUser;
let resident: SessionUser;

function form(overrides: Record<string, unknown> = {}) {
  return {
    organisationId: String(organisationId),
    title: 'Sprachcafé',
    description: 'Deutsch üben bei Tee.',
    sourceLocale: 'de',
    category: 'language',
    date: '2030-03-14',
    startTime: '18:00',
    endTime: '20:00',
    placeName: 'Stellwerk',
    address: 'Lennestraße 12, 58762 Altena',
    onlineUrl: null,
    capacity: '2',
    deadlineDate: null,
    deadlineTime: null,
    languages: ['de', 'ar'],
    germanLevel: null,
    audience: [],
    childcare: null,
    wheelchairAccessible: 'on',
    cost: null,
    contactName: null,
    ...overrides,
  };
}
const input = (overrides: Record<string, unknown> = {}) => schema.parse(form(overrides));

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  organisationId = await makeOrganisation(db);
  const otherOrganisation = await makeOrganisation(db);
  [organiser, otherOrganiser, resident] = await Promise.all([makePerson(db), makePerson(db), makePerson(db)]) as [SessionUser, SessionUser, SessionUser];
  await db.insertInto('membership').values([
    { organisation_id: organisationId, user_id: organiser.id, role: 'organiser' },
    { organisation_id: otherOrganisation, user_id: otherOrganiser.id, role: 'organiser' },
  ]).execute();
});
afterAll(() => handle?.close());

async function mails(activityKind: string) {
  return db.selectFrom('outbox').select(['recipient_user_id', 'payload']).where('kind', '=', activityKind).execute();
}

describe('the form', () => {
  it('keeps 18:00 in Berlin on both sides of the clock change', () => {
    expect(input({ date: '2030-10-26' }).startsAt.toISOString()).toBe('2030-10-26T16:00:00.000Z');
    expect(input({ date: '2030-10-28' }).startsAt.toISOString()).toBe('2030-10-28T17:00:00.000Z');
  });

  it.each([
    [{ title: '' }, 'title', 'error.required'],
    [{ category: '' }, 'category', 'error.category.required'],
    [{ date: '14.03.2030' }, 'date', 'error.date.invalid'],
    [{ startTime: '25:00' }, 'startTime', 'error.time.invalid'],
    [{ endTime: '17:00' }, 'endTime', 'error.time.endBeforeStart'],
    [{ placeName: '', address: '' }, 'placeName', 'error.place.required'],
    [{ onlineUrl: 'javascript:alert(1)' }, 'onlineUrl', 'error.url.invalid'],
    [{ capacity: '0' }, 'capacity', 'error.capacity.invalid'],
    [{ capacity: 'viele' }, 'capacity', 'error.capacity.invalid'],
    [{ deadlineDate: '2030-03-13' }, 'deadlineTime', 'error.deadline.incomplete'],
    [{ deadlineDate: '2030-03-15', deadlineTime: '10:00' }, 'deadlineDate', 'error.deadline.afterStart'],
  ])('refuses %j at %s', (overrides, field, message) => {
    const result = schema.safeParse(form(overrides));
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((i) => i.path[0] === field)?.message).toBe(message);
  });

  it('keeps translations only for other languages than the original, and only when given', () => {
    const parsed = input({ title_ar: 'مقهى اللغة', description_ar: 'تدرّب على الألمانية', title_de: 'ignoriert', title_en: '' });
    expect(parsed.translations).toEqual({ ar: { title: 'مقهى اللغة', description: 'تدرّب على الألمانية' } });
  });
});

describe('who may manage', () => {
  it('refuses everyone who is not a member, with "not found"', async () => {
    const id = createdId(await createActivity(db, organiser, input(), NOW));
    for (const stranger of [otherOrganiser, resident, null]) {
      await expect(createActivity(db, stranger, input(), NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(getManagedActivity(db, stranger, id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(updateActivity(db, stranger, id, input({ title: 'Hijacked' }), CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(publishActivity(db, stranger, id, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(duplicateActivity(db, stranger, id, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await expect(cancelActivity(db, stranger, id, 'Nein', CONTEXT, NOW)).rejects.toBeInstanceOf(NotFoundError);
    }
    const row = await db.selectFrom('activity').select(['title', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: 'Sprachcafé', status: 'draft' });
  });
});

describe('the life of an activity', () => {
  it('is a hidden draft until published, then open for RSVPs', async () => {
    const id = createdId(await createActivity(db, organiser, input(), NOW));
    await expect(getPublicActivity(db, id, 'de')).rejects.toBeInstanceOf(NotFoundError);
    await publishActivity(db, organiser, id, NOW);
    expect((await getPublicActivity(db, id, 'de')).status).toBe('published');
    const dashboard = await listManagedActivities(db, organiser, NOW);
    expect(dashboard.find((o) => o.organisationId === organisationId)?.activities.map((a) => a.id)).toContain(id);
  });

  it('raises the revision and tells people when time or place change, not for a new title', async () => {
    const id = createdId(await createActivity(db, organiser, input(), NOW));
    await publishActivity(db, organiser, id, NOW);
    const guest = await makePerson(db);
    await createRsvp(db, guest, { activityId: id, partySize: 1, note: '' }, CONTEXT, NOW);
    await updateActivity(db, organiser, id, input({ title: 'Sprachcafé am Abend' }), CONTEXT, NOW);
    expect((await getManagedActivity(db, organiser, id)).revision).toBe(0);
    await updateActivity(db, organiser, id, input({ title: 'Sprachcafé am Abend', startTime: '18:30' }), CONTEXT, NOW);
    expect((await getManagedActivity(db, organiser, id)).revision).toBe(1);
    expect((await mails('activity_changed')).filter((m) => m.recipient_user_id === guest.id)).toHaveLength(1);
  });

  it('will not shrink below the seats taken, and promotes the waitlist when it grows', async () => {
    const id = createdId(await createActivity(db, organiser, input({ capacity: '2' }), NOW));
    await publishActivity(db, organiser, id, NOW);
    const [a, b] = await Promise.all([makePerson(db), makePerson(db)]);
    await createRsvp(db, a!, { activityId: id, partySize: 2, note: '' }, CONTEXT, NOW);
    await createRsvp(db, b!, { activityId: id, partySize: 2, note: '' }, CONTEXT, NOW);
    expect(await updateActivity(db, organiser, id, input({ capacity: '1' }), CONTEXT, NOW)).toEqual({ ok: false, fields: { capacity: 'error.capacity.belowTaken' }, count: 2 });
    expect(await updateActivity(db, organiser, id, input({ capacity: '4' }), CONTEXT, NOW)).toEqual({ ok: true, changed: 1 });
    const statuses = await db.selectFrom('rsvp').select(['user_id', 'status']).where('activity_id', '=', id).execute();
    expect(statuses.find((s) => s.user_id === b!.id)?.status).toBe('going');
  });

  it('is cancelled with a reason for everyone who RSVPed, and takes no more RSVPs', async () => {
    const id = createdId(await createActivity(db, organiser, input(), NOW));
    await publishActivity(db, organiser, id, NOW);
    const guest = await makePerson(db, { locale: 'ar' });
    await createRsvp(db, guest, { activityId: id, partySize: 1, note: '' }, CONTEXT, NOW);
    await cancelActivity(db, organiser, id, 'Der Raum ist wegen Wasserschaden gesperrt.', CONTEXT, NOW);
    const cancelled = await getPublicActivity(db, id, 'de');
    expect(cancelled).toMatchObject({ status: 'cancelled', cancel_reason: 'Der Raum ist wegen Wasserschaden gesperrt.', revision: 1 });
    const sent = (await mails('activity_cancelled')).filter((m) => m.recipient_user_id === guest.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload).toMatchObject({ reason: 'Der Raum ist wegen Wasserschaden gesperrt.', url: `https://ankommen.example/ar/activities/${id}` });
    const late = await makePerson(db);
    expect(await createRsvp(db, late, { activityId: id, partySize: 1, note: '' }, CONTEXT, NOW)).toEqual({ ok: false, refusal: { key: 'rsvp.error.cancelled' } });
  });

  it('duplicates into a new draft without the RSVPs', async () => {
    const id = createdId(await createActivity(db, organiser, input({ title_en: 'Language café' }), NOW));
    await publishActivity(db, organiser, id, NOW);
    await createRsvp(db, await makePerson(db), { activityId: id, partySize: 1, note: '' }, CONTEXT, NOW);
    const copy = await duplicateActivity(db, organiser, id, NOW);
    const duplicated = await getManagedActivity(db, organiser, copy);
    expect(duplicated).toMatchObject({ status: 'draft', title: 'Sprachcafé', seatsTaken: 0, revision: 0, capacity: 2, translations: { en: { title: 'Language café', description: '' } } });
  });
});

describe('the preview of a draft', () => {
  it('is shown to members of the organisation and to nobody else', async () => {
    const id = createdId(await createActivity(db, organiser, input({ title: 'Geheimer Entwurf' }), NOW));
    expect((await getPublicActivity(db, id, 'de', organiser)).status).toBe('draft');
    await expect(getPublicActivity(db, id, 'de', otherOrganiser)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getPublicActivity(db, id, 'de', resident)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getPublicActivity(db, id, 'de')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('dates in the past', () => {
  // NOW is 10 January 2030; the form's date is 14 March 2030 unless a test says otherwise.
  it('are not saved without the organiser confirming them, naming each one', async () => {
    const refused = await createActivity(db, organiser, input({ date: '2030-01-09', title: 'Gestern' }), NOW);
    expect(refused).toEqual({ ok: false, pastDates: [new Date('2030-01-09T17:00:00Z')] });
    expect(await db.selectFrom('activity').select('id').where('title', '=', 'Gestern').execute()).toEqual([]);
    const confirmed = await createActivity(db, organiser, input({ date: '2030-01-09', title: 'Gestern', confirmPast: 'on' }), NOW);
    expect(confirmed).toMatchObject({ ok: true, dates: 1 });
    // A weekly series that began last week: only the dates already past are named.
    const series = await createActivity(db, organiser, input({ date: '2030-01-02', repeat: 'weekly', repeatCount: '3' }), NOW);
    expect(series).toEqual({ ok: false, pastDates: [new Date('2030-01-02T17:00:00Z'), new Date('2030-01-09T17:00:00Z')] });
  });

  it('are not published without the organiser confirming them', async () => {
    const id = createdId(await createActivity(db, organiser, input({ date: '2030-02-01' }), NOW));
    const later = new Date('2030-02-02T10:00:00Z');
    expect(await publishActivity(db, organiser, id, later)).toEqual({ ok: false, pastDates: [new Date('2030-02-01T17:00:00Z')] });
    expect((await getManagedActivity(db, organiser, id)).status).toBe('draft');
    expect(await publishActivity(db, organiser, id, later, { confirmPast: true })).toEqual({ ok: true, published: 1 });
    expect((await getManagedActivity(db, organiser, id)).status).toBe('published');
  });

  it('an edit that moves a date into the past asks too; other edits of a past date do not', async () => {
    const id = createdId(await createActivity(db, organiser, input(), NOW));
    expect(await updateActivity(db, organiser, id, input({ date: '2030-01-03' }), CONTEXT, NOW)).toEqual({ ok: false, pastDates: [new Date('2030-01-03T17:00:00Z')] });
    expect((await getManagedActivity(db, organiser, id)).starts_at.toISOString()).toBe('2030-03-14T17:00:00.000Z');
    expect(await updateActivity(db, organiser, id, input({ date: '2030-01-03', confirmPast: 'on' }), CONTEXT, NOW)).toEqual({ ok: true, changed: 1 });
    // Correcting a typo after the event is no news.
    expect(await updateActivity(db, organiser, id, input({ date: '2030-01-03', description: 'Danke fürs Kommen!' }), CONTEXT, NOW)).toEqual({ ok: true, changed: 1 });
  });
});

describe('how visitors reach the organiser', () => {
  it('keeps the contact person, phone and e-mail the organiser gives, through creating, editing and duplicating', async () => {
    const id = createdId(await createActivity(db, organiser, input({ contactName: 'Jana Becker', contactPhone: '+49 (0) 2352 92 78-12', contactEmail: 'Jana@Stellwerk.Example' }), NOW));
    const saved = () => db.selectFrom('activity').select(['contact_name', 'contact_phone', 'contact_email']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await saved()).toEqual({ contact_name: 'Jana Becker', contact_phone: '+49 (0) 2352 92 78-12', contact_email: 'jana@stellwerk.example' });
    await updateActivity(db, organiser, id, input({ contactName: 'Jana Becker', contactPhone: '', contactEmail: 'jana@stellwerk.example' }), CONTEXT, NOW);
    expect(await saved()).toEqual({ contact_name: 'Jana Becker', contact_phone: null, contact_email: 'jana@stellwerk.example' });
    const copy = await duplicateActivity(db, organiser, id, NOW);
    expect(await db.selectFrom('activity').select(['contact_phone', 'contact_email']).where('id', '=', copy).executeTakeFirstOrThrow()).toEqual({ contact_phone: null, contact_email: 'jana@stellwerk.example' });
  });

  it.each([
    [{ contactPhone: 'nur vormittags' }, 'contactPhone', 'error.phone.invalid'],
    [{ contactEmail: 'jana(at)stellwerk' }, 'contactEmail', 'error.email.invalid'],
  ])('the form refuses %j at %s', (overrides, field, message) => {
    const result = schema.safeParse(form(overrides));
    expect(result.error?.issues.find((i) => i.path[0] === field)?.message).toBe(message);
  });

  it("shows visitors the activity's own contact, or else the organisation's", async () => {
    await db.updateTable('organisation').set({ contact_phone: '02352 100', contact_email: 'info@verein.example' }).where('id', '=', organisationId).execute();
    const own = createdId(await createActivity(db, organiser, input({ contactName: 'Jana', contactEmail: 'jana@verein.example' }), NOW));
    const fallback = createdId(await createActivity(db, organiser, input({ contactName: 'Jana' }), NOW));
    for (const id of [own, fallback]) await publishActivity(db, organiser, id, NOW);
    expect((await getPublicActivity(db, own, 'de')).contact).toEqual({ name: 'Jana', phone: null, email: 'jana@verein.example', fromOrganisation: false });
    expect((await getPublicActivity(db, fallback, 'de')).contact).toEqual({ name: 'Jana', phone: '02352 100', email: 'info@verein.example', fromOrganisation: true });
  });
});
