// Notification settings over HTTP, without JavaScript: the page (signed in only, linked from the
// account page, in Arabic right to left), saving, the refusal to switch changes and
// cancellations off entirely (the message at that row, nothing saved), the settings honoured by
// the mails that follow, and a person without an e-mail address told what that means.
import { describe, expect, inject, it } from 'vitest';
import { zonedDateInput } from '../../src/i18n/format.ts';
import { translator, type TextKey } from '../../src/i18n/index.ts';
import { TOPICS } from '../../src/features/notifications/topics.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
import { as, form, mailsTo, page, stripTags, Visitor } from '../helpers/visitor.ts';

const de = translator('de');
const ar = translator('ar');
const PASSWORD = 'Briefe kommen mit der Post';
let counter = 0;
const uniqueEmail = (label: string) => `notify-${label}-${Date.now().toString(36)}-${++counter}@test.example`;

/** A new person who signed up and is signed in. */
async function newPerson(label: string): Promise<{ visitor: Visitor; email: string }> {
  const email = uniqueEmail(label);
  const visitor = new Visitor();
  const signedUp = await visitor.submit('/sign-up', 'accounts.signUp', { email, password: PASSWORD, displayName: 'Dilara', locale: 'de' });
  expect(signedUp.status).toBe(200);
  await visitor.signIn(email, PASSWORD);
  return { visitor, email };
}

/** Which boxes of a topic are ticked on the page. */
function ticked(html: string, name: string): string[] {
  return [...html.matchAll(/<input[^>]*type="checkbox"[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => tag.includes(`name="${name}"`) && /\schecked(?:[\s>=]|$)/.test(tag))
    .map((tag) => /value="([^"]*)"/.exec(tag)?.[1] ?? 'on');
}

/** The settings form as the page would post it: every topic by e-mail, nothing else. */
const EVERYTHING_BY_EMAIL = { reminders: ['email'], changes: ['email'], waitlist: ['email'], shifts: ['email'], mentoring: ['email'], help_requests: ['email'] };

describe('the notification settings page', () => {
  it('is for signed-in people only: a visitor is sent to sign in, the form’s action answers 404', async () => {
    const visitor = new Visitor();
    const response = await visitor.get('/account/notifications');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/account/notifications')}`);
    const posted = await visitor.post('/account/notifications?_action=notifications.save', form({ ...EVERYTHING_BY_EMAIL, changes: [] }));
    expect([303, 404]).toContain(posted.status);
    const after = posted.status === 303 ? await visitor.get(posted.headers.get('location')!) : posted;
    expect(after.status).toBe(404);
  });

  it('is linked from the account page and shows every topic with its e-mail box, the defaults ticked', async () => {
    const { visitor } = await newPerson('page');
    const account = await page(visitor, '/account');
    expect(account.html).toContain('href="/account/notifications"');
    const settings = await page(visitor, '/account/notifications');
    expect(settings.status).toBe(200);
    expect(settings.html).toContain('<h1>Benachrichtigungen</h1>');
    for (const topic of TOPICS) {
      expect(settings.html, topic).toContain(`id="field-${topic}"`);
      expect(settings.text).toContain(de(`notifications.topic.${topic}` as TextKey));
      expect(ticked(settings.html, topic), topic).toEqual(topic === 'weekly_programme' ? [] : ['email']);
    }
    // Without a Telegram bot the channel is not offered at all.
    expect(settings.html).not.toContain('value="telegram"');
    expect(settings.html).not.toContain('/account/telegram');
    // Why changes and cancellations cannot be switched off, at their row.
    const row = settings.html.slice(settings.html.indexOf('id="field-changes"'), settings.html.indexOf('id="field-waitlist"'));
    expect(stripTags(row)).toContain(de('notifications.required'));
    expect(stripTags(row)).toContain('sonst stehen Sie vielleicht umsonst vor der Tür');
    expect(settings.text).toContain('Jeden Sonntag um 17:00: die Angebote der kommenden Woche');
    expect(settings.text).toContain(de('notifications.accountMessages'));
  });

  it('saves what was ticked, says so, and shows it again', async () => {
    const { visitor } = await newPerson('save');
    const saved = await visitor.submit(
      '/account/notifications',
      'notifications.save',
      form({ ...EVERYTHING_BY_EMAIL, reminders: [], weekly_programme: ['email'], categories: ['sports', 'language'], childcare: 'on' }),
    );
    expect(saved.status).toBe(200);
    expect(saved.url).toBe('/account/notifications');
    expect(stripTags(saved.html)).toContain(de('notifications.saved'));
    const again = await page(visitor, '/account/notifications');
    expect(ticked(again.html, 'reminders')).toEqual([]);
    expect(ticked(again.html, 'changes')).toEqual(['email']);
    expect(ticked(again.html, 'weekly_programme')).toEqual(['email']);
    expect(ticked(again.html, 'categories').sort()).toEqual(['language', 'sports']);
    expect(ticked(again.html, 'childcare')).toEqual(['on']);
    expect(ticked(again.html, 'noGermanNeeded')).toEqual([]);
  });

  it('refuses to switch changes and cancellations off entirely: the message at that row and in the summary, nothing saved', async () => {
    const { visitor } = await newPerson('refuse');
    const refused = await visitor.submit('/account/notifications', 'notifications.save', form({ ...EVERYTHING_BY_EMAIL, changes: [], reminders: [], weekly_programme: ['email'] }));
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(/<title>Fehler: /);
    const row = refused.html.slice(refused.html.indexOf('id="field-changes"'), refused.html.indexOf('id="field-waitlist"'));
    expect(row).toContain('id="field-changes-error"');
    expect(stripTags(row)).toContain(de('notifications.error.required'));
    expect(row).toContain('aria-invalid="true"');
    expect(refused.html).toMatch(/class="error-summary"[\s\S]*href="#field-changes"/);
    // Only that row has a message; what was ticked elsewhere is shown as posted.
    expect(refused.html.match(/class="field__error"/g)).toHaveLength(1);
    expect(ticked(refused.html, 'reminders')).toEqual([]);
    expect(ticked(refused.html, 'weekly_programme')).toEqual(['email']);
    // Nothing was saved.
    const fresh = await page(visitor, '/account/notifications');
    expect(fresh.status).toBe(200);
    expect(ticked(fresh.html, 'changes')).toEqual(['email']);
    expect(ticked(fresh.html, 'reminders')).toEqual(['email']);
    expect(ticked(fresh.html, 'weekly_programme')).toEqual([]);
  });

  it('in Arabic, right to left, with the refusal in Arabic', async () => {
    const { visitor } = await newPerson('arabic');
    const arabic = await page(visitor, '/ar/account/notifications');
    expect(arabic.status).toBe(200);
    expect(arabic.html).toMatch(/<html[^>]*lang="ar"[^>]*dir="rtl"/);
    expect(arabic.text).toContain(ar('notifications.topic.changes'));
    const refused = await visitor.submit('/ar/account/notifications', 'notifications.save', form({ ...EVERYTHING_BY_EMAIL, changes: [] }));
    expect(refused.status).toBe(400);
    expect(stripTags(refused.html)).toContain(ar('notifications.error.required'));
  });
});

describe('settings honoured by the mails that follow', () => {
  const activities = () => inject('activities');

  it('a person who switched reminders and confirmations off gets no confirmation of a place; one who did not, does', async () => {
    const quiet = await newPerson('quiet');
    const told = await newPerson('told');
    const off = await quiet.visitor.submit('/account/notifications', 'notifications.save', form({ ...EVERYTHING_BY_EMAIL, reminders: [] }));
    expect(off.status).toBe(200);
    const activityPage = `/activities/${activities().roomy}`;
    for (const person of [quiet, told]) {
      const rsvp = await person.visitor.submit(activityPage, 'rsvps.create', { activityId: String(activities().roomy), partySize: '1', note: '' });
      expect(rsvp.status).toBe(200);
      // An account mail after it: the outbox sends in order, so once it is there, a
      // confirmation written before it would be there too.
      await person.visitor.submit('/forgot-password', 'accounts.forgotPassword', { login: person.email });
    }
    const quietMails = await mailsTo(quiet.email, { about: de('email.reset.subject') });
    expect(quietMails).toHaveLength(1);
    expect((await mailsTo(quiet.email, { atLeast: 0, timeoutMs: 0 })).map((m) => m.subject)).not.toContain(de('email.rsvpGoing.subject', { title: 'Großes Fest' }));
    await mailsTo(told.email, { about: de('email.reset.subject') });
    expect((await mailsTo(told.email, { atLeast: 0, timeoutMs: 0 })).map((m) => m.subject)).toContain(de('email.rsvpGoing.subject', { title: 'Großes Fest' }));
  });
});

describe('settings honoured: the waiting list switched off, a cancellation still told', () => {
  it('one who switched the waiting list off is not told of their place on it, but is told the activity is cancelled', async () => {
    const organiser = await as('organiser');
    const title = `Kleiner Kreis ${Date.now().toString(36)}`;
    const id = await createPublishedActivity(organiser, inject('activities').organisation!, { title, capacity: '1' });
    const first = await newPerson('first');
    const quiet = await newPerson('waitquiet');
    const told = await newPerson('waittold');
    await quiet.visitor.submit('/account/notifications', 'notifications.save', form({ ...EVERYTHING_BY_EMAIL, waitlist: [] }));
    for (const person of [first, quiet, told]) {
      const rsvp = await person.visitor.submit(`/activities/${id}`, 'rsvps.create', { activityId: id, partySize: '1', note: '' });
      expect(rsvp.status).toBe(200);
    }
    const cancelled = await organiser.submit(`/organise/${id}`, 'organise.cancelActivity', { activityId: id, reason: 'Die Leiterin ist krank.', scope: 'this' });
    expect(cancelled.status).toBe(200);
    const cancellation = de('email.activityCancelled.subject', { title });
    const waitlisted = de('email.rsvpWaitlisted.subject', { title });
    // The cancellation comes after the waiting-list mail would have: once it is there, so is that.
    expect(await mailsTo(quiet.email, { about: cancellation })).toHaveLength(1);
    expect(await mailsTo(told.email, { about: cancellation })).toHaveLength(1);
    expect((await mailsTo(quiet.email, { atLeast: 0, timeoutMs: 0 })).map((m) => m.subject)).not.toContain(waitlisted);
    expect((await mailsTo(told.email, { atLeast: 0, timeoutMs: 0 })).map((m) => m.subject)).toContain(waitlisted);
  });
});

describe('a person without an e-mail address', () => {
  it('is told that e-mail cannot reach them, with the way to add an address', async () => {
    const coordinator = await as('coordinator');
    const created = await coordinator.submit(
      '/coordinate/new-request',
      'mentoring.requestForPerson',
      form({ name: 'Nour Ohnepost', locale: 'de', topics: ['german'], languages: ['de'], note: '', contactPreference: 'coordinator', contactDetail: '', paperConsent: 'on', consentSignedOn: zonedDateInput('Europe/Berlin', new Date()) }),
    );
    const code = /data-claim-code[^>]*>([A-Z2-9-]{14})</.exec(created.html)?.[1];
    expect(code).toBeTruthy();
    const nour = new Visitor();
    await nour.submit('/claim', 'mentoring.checkClaimCode', { code: code! });
    const claimed = await nour.submit('/claim', 'mentoring.claim', { signInName: 'nourohnepost', email: '', password: 'Ein Brief ohne Marke' });
    expect(nour.cookies.has('session'), `claim answered ${claimed.status}`).toBe(true);
    const settings = await page(nour, '/account/notifications');
    expect(settings.status).toBe(200);
    expect(settings.text).toContain(de('notifications.noEmail.none'));
    expect(settings.html).toContain('href="/account#email-title"');
    // The e-mail boxes point at the explanation for screen readers too.
    expect(settings.html).toMatch(/name="changes" value="email"[^>]*aria-describedby="no-email-note"/);
    // Their choices are kept for when they add an address.
    const saved = await nour.submit('/account/notifications', 'notifications.save', form({ ...EVERYTHING_BY_EMAIL, mentoring: [] }));
    expect(saved.status).toBe(200);
    expect(ticked((await page(nour, '/account/notifications')).html, 'mentoring')).toEqual([]);
  });
});
