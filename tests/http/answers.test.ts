// One-tap answers over HTTP, as a phone without JavaScript and without a session uses them:
// the day-before reminder in the log carries both links; a link opens a page in the person's
// language with the activity and one button, changing nothing; the button (a form post with
// Origin) answers, and the page says what happened; "I can't come" moves the waitlist up at
// once and the family that moves up gets links of its own; an answer again changes nothing;
// after the start it is too late; a forged token is 404 (and many from one address, 429); a
// volunteer's "I can't make it" tells the organiser; the door and tasks pages show who
// confirmed; and once sent, no link rests in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerLinksIn, ORGANISER, startAnswerTown, type AnswerTown } from '../helpers/answers.ts';
import type { LoggedMail } from '../helpers/portal.ts';
import { stripTags, Visitor } from '../helpers/visitor.ts';
import { hashToken } from '../../src/lib/tokens.ts';

/** A visitor of the answer town's own portal. */
class TownVisitor extends Visitor {
  override readonly baseUrl: string;
  constructor(baseUrl: string) {
    super();
    this.baseUrl = baseUrl;
  }
}

let town: AnswerTown;
const visitor = () => new TownVisitor(town.url);

beforeAll(async () => {
  town = await startAnswerTown();
}, 180_000);
afterAll(async () => {
  await town?.close();
});

async function reminderOf(email: string, subject: string): Promise<LoggedMail> {
  const [mail] = await town.waitForMails(email, 1, subject);
  if (!mail) throw new Error(`no "${subject}" mail to ${email}`);
  return mail;
}

async function open(who: Visitor, url: URL): Promise<{ status: number; html: string; text: string; response: Response }> {
  const response = await who.get(url.pathname);
  const html = await response.text();
  return { status: response.status, html, text: stripTags(html), response };
}

/** The forms of the page's content that answer (the header's forms choose a language). */
const answerForms = (html: string) => html.match(/<form[^>]*_action=answers\.answer[\s\S]*?<\/form>/g) ?? [];

describe('the reminder and its links', () => {
  it('comes with "I’m coming" and "I can’t come", each address on a line of its own, in the person’s language', async () => {
    const mail = await reminderOf(town.people.arabic.email, 'تذكير');
    const { coming, notComing } = answerLinksIn(mail);
    expect(coming.origin).toBe(town.url);
    expect(coming.pathname).toMatch(/^\/ar\/answer\/[a-z2-7]{32}\/coming$/);
    expect(notComing.pathname).toBe(coming.pathname.replace(/coming$/, 'not-coming'));
    expect(mail.text).toContain(`سأحضر:\n${coming.href}\n`);
    expect(mail.text).toContain(`لا أستطيع الحضور (يذهب مكاني إلى قائمة الانتظار):\n${notComing.href}\n`);
  });

  it('opens a page in the person’s language without signing in: the activity, the party, one button — and changes nothing', async () => {
    const { coming } = answerLinksIn(await reminderOf(town.people.arabic.email, 'تذكير'));
    const stranger = visitor();
    const page = await open(stranger, coming);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page.response.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain('حفلة الجيران');
    expect(page.text).toContain('Lennestraße 12, 58762 Altena');
    expect(page.html).toMatch(/<time datetime="[^"]+Z">/);
    expect(page.text).toContain('هل ستحضر');
    const forms = answerForms(page.html);
    expect(forms).toHaveLength(1);
    expect(forms[0]).toContain('name="answer" value="coming"');
    expect(forms[0]!.match(/<button/g)).toHaveLength(1);
    expect(stripTags(forms[0]!)).toBe('نعم، سأحضر');
    // Opened twice, it still asks: the first GET recorded nothing.
    expect(answerForms((await open(stranger, coming)).html)).toHaveLength(1);
  });

  it('answers with the button (a form post with Origin), then says so; pressed again, nothing changes', async () => {
    const { coming } = answerLinksIn(await reminderOf(town.people.arabic.email, 'تذكير'));
    const phone = visitor();
    const token = coming.pathname.split('/').at(-2)!;
    // Without Origin, as another site's form would post: refused.
    const forged = await phone.post(`${coming.pathname}?_action=answers.answer`, { token, answer: 'coming' }, { origin: null });
    expect(forged.status).toBe(403);
    expect(answerForms((await open(phone, coming)).html)).toHaveLength(1);

    const done = await phone.submitFrom(coming.pathname, 'answers.answer', { token, answer: 'coming' });
    expect(done.posted.status).toBe(303);
    expect(done.url).toBe(coming.pathname);
    expect(done.status).toBe(200);
    expect(stripTags(done.html)).toContain('شكرًا! لقد أكّدت حضورك');
    expect(answerForms(done.html)).toHaveLength(0);
    // Opened again: it says when, and offers nothing to press.
    const again = await open(phone, coming);
    expect(again.text).toContain('لقد أكّدت حضورك');
    expect(again.text).toContain('أكّدت في');
    expect(answerForms(again.html)).toHaveLength(0);
    const twice = await phone.submitFrom(coming.pathname, 'answers.answer', { token, answer: 'coming' });
    expect(twice.status).toBe(200);
    expect(stripTags(twice.html)).not.toContain('شكرًا!');
  });
});

describe('"I can’t come"', () => {
  it('asks first, then gives the seats to the waitlist at once; the family that moves up is told, with links of its own', async () => {
    const { coming, notComing } = answerLinksIn(await reminderOf(town.people.guest.email, 'Erinnerung'));
    const phone = visitor();
    const page = await open(phone, notComing);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sie können nicht zu „Sprachcafé“ kommen?');
    expect(page.text).toContain('Sie kommen zu 3.');
    expect(page.text).toContain('Ihre 3 Plätze gehen an die Nächsten auf der Warteliste.');
    const token = notComing.pathname.split('/').at(-2)!;
    const done = await phone.submitFrom(notComing.pathname, 'answers.answer', { token, answer: 'not_coming' });
    expect(done.status).toBe(200);
    expect(stripTags(done.html)).toContain('Ihr Platz ist schon an die Nächsten auf der Warteliste gegangen');

    // Olena's family (two, waiting) has the seats now, and a mail in Ukrainian with links.
    const [promotion] = await town.waitForMails(town.people.waiting.email, 1, 'Звільнилося місце');
    expect(promotion, 'the promotion mail').toBeDefined();
    const theirs = answerLinksIn(promotion!);
    expect(theirs.coming.pathname).toMatch(/^\/uk\/answer\//);
    const theirPage = await open(visitor(), theirs.coming);
    expect(theirPage.html).toMatch(/<html lang="uk"/);
    expect(theirPage.text).toContain('Ви прийдете на «Sprachcafé»?');
    expect(answerForms(theirPage.html)).toHaveLength(1);

    // The same link again: it says what happened, and nobody moves up twice.
    const again = await phone.submitFrom(notComing.pathname, 'answers.answer', { token, answer: 'not_coming' });
    expect(stripTags(again.html)).toContain('Ihre Anmeldung ist abgesagt');
    expect(answerForms(again.html)).toHaveLength(0);
    // "I'm coming" after cancelling books nothing again: it says the place was cancelled.
    const back = await open(phone, coming);
    expect(back.text).toContain('Ihre Anmeldung ist abgesagt');
    expect(back.text).toContain('Melden Sie sich auf der Seite des Angebots neu an');
    expect(answerForms(back.html)).toHaveLength(0);
    expect(await town.mails(town.people.waiting.email).then((m) => m.filter((x) => x.subject.includes('Звільнилося місце')))).toHaveLength(1);
  });
});

describe('links that cannot answer', () => {
  it('after the start: a clear "too late", and the button changes nothing', async () => {
    const { coming, notComing } = answerLinksIn(await reminderOf(town.people.late.email, 'Erinnerung'));
    const phone = visitor();
    for (const link of [coming, notComing]) {
      const page = await open(phone, link);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Zu spät für eine Antwort');
      expect(answerForms(page.html)).toHaveLength(0);
    }
    const token = notComing.pathname.split('/').at(-2)!;
    const pressed = await phone.submitFrom(notComing.pathname, 'answers.answer', { token, answer: 'not_coming' });
    expect(stripTags(pressed.html)).toContain('Zu spät für eine Antwort');
  });

  it('a forged token, a wrong answer or a missing token: 404, for the page and the button', async () => {
    const { coming } = answerLinksIn(await reminderOf(town.people.late.email, 'Erinnerung'));
    const token = coming.pathname.split('/').at(-2)!;
    const forged = token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const phone = visitor();
    expect((await phone.get(`/answer/${forged}/coming`)).status).toBe(404);
    expect((await phone.get(`/answer/${token}/maybe`)).status).toBe(404);
    expect((await phone.get(`/answer/${token}`)).status).toBe(404);
    expect((await phone.get(`/de/answer/${token}/coming`)).status).toBe(404);
    expect((await phone.post(`/answer/${forged}/not-coming?_action=answers.answer`, { token: forged, answer: 'not_coming' })).status).toBe(404);
    expect((await phone.post(`/answer/${token}/not-coming?_action=answers.answer`, { token, answer: 'perhaps' })).status).toBe(404);
  });

  it('guessing from one address is slowed down (429), while real links still open', async () => {
    const { coming } = answerLinksIn(await reminderOf(town.people.late.email, 'Erinnerung'));
    const guesser = visitor();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await guesser.get(`/answer/guess${String(i).padStart(27, 'a')}/coming`)).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
    expect(statuses[20]).toBe(429);
    expect((await guesser.get(coming.pathname)).status).toBe(200);
  });
});

describe('volunteers', () => {
  it('"I can’t make it" takes the volunteer off the task and tells the organiser who it was', async () => {
    const mail = await reminderOf(town.people.volunteer.email, 'Morgen helfen Sie mit');
    const { notComing } = answerLinksIn(mail);
    expect(mail.text).toContain(`Ich kann nicht (das Team bekommt Bescheid):\n${notComing.href}`);
    const phone = visitor();
    const page = await open(phone, notComing);
    expect(page.text).toContain('Sie können bei der Aufgabe „Aufbau“ nicht helfen?');
    const token = notComing.pathname.split('/').at(-2)!;
    const done = await phone.submitFrom(notComing.pathname, 'answers.answer', { token, answer: 'not_coming' });
    expect(stripTags(done.html)).toContain('Sie sind ausgetragen. Das Team weiß Bescheid');
    const [told] = await town.waitForMails(ORGANISER.email, 1, 'Absage für „Aufbau“');
    expect(told?.text).toContain('Vera Volunteer kann bei der Aufgabe „Aufbau“ nicht helfen und hat sich ausgetragen.');
    expect(told?.text).toContain(`${town.url}/organise/${town.activities.fest}/roles`);
  });
});

describe('what organisers see', () => {
  it('the door page marks who confirmed, with the time, in words; without JavaScript too', async () => {
    const organiser = visitor();
    await organiser.signIn(ORGANISER.email, ORGANISER.password);
    const door = await organiser.get(`/organise/${town.activities.fest}/attendees`);
    const html = await door.text();
    expect(door.status).toBe(200);
    const row = (html.match(/<li[^>]*class="attendee[^"]*"[\s\S]*?<\/li>/g) ?? []).find((r) => r.includes('Samir Arabi'));
    expect(row, 'Samir’s row').toBeDefined();
    expect(row).toMatch(/class="confirmed-mark[^"]*"/);
    expect(stripTags(row!)).toMatch(/Zugesagt \d{1,2}\. [^\s,]+,? \d{2}:\d{2}/);
    expect(row).toMatch(/<time datetime="[^"]+Z">/);
    expect(stripTags(html)).toContain('Haben zugesagt: 1 von 1 Anmeldungen');
    // Nobody else is marked.
    const cafe = await (await organiser.get(`/organise/${town.activities.cafe}/attendees`)).text();
    expect(cafe).not.toContain('confirmed-mark');
  });
});

describe('at rest', () => {
  it('once the mails are sent, no link rests in the database: the outbox holds none, the tokens only as hashes', async () => {
    const links = [town.people.guest, town.people.arabic, town.people.late, town.people.volunteer].map((p) => p.email);
    const tokens: string[] = [];
    for (const email of links) for (const mail of await town.mails(email)) if (mail.text.includes('/answer/')) tokens.push(answerLinksIn(mail).coming.pathname.split('/').at(-2)!);
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    const db = await town.stopAndOpen();
    const reminders = await db.selectFrom('outbox').select(['kind', 'status', 'secrets', 'payload']).where('kind', 'in', ['rsvp_reminder', 'volunteer_reminder', 'rsvp_promoted']).execute();
    expect(reminders.length).toBeGreaterThanOrEqual(5);
    for (const row of reminders) {
      expect(row.status).toBe('sent');
      expect(row.secrets).toBeNull();
      expect(JSON.stringify(row.payload)).not.toContain('/answer/');
    }
    expect(reminders.find((r) => r.kind === 'volunteer_reminder')?.payload).toMatchObject({ signupId: town.signupId });
    expect(reminders.find((r) => r.kind === 'rsvp_reminder' && r.payload.rsvpId === town.rsvps.arabic)).toBeDefined();
    const stored = await db.selectFrom('answer_token').select('token_hash').execute();
    for (const token of tokens) {
      expect(stored.map((s) => s.token_hash)).toContain(hashToken(token));
      expect(JSON.stringify(await db.selectFrom('outbox').selectAll().execute())).not.toContain(token);
    }
    // The answers are there: confirmed, cancelled, promoted, withdrawn.
    const rsvps = await db.selectFrom('rsvp').select(['id', 'status', 'confirmed_at']).where('id', 'in', Object.values(town.rsvps)).execute();
    const byId = new Map(rsvps.map((r) => [r.id, r]));
    expect(byId.get(town.rsvps.arabic)?.confirmed_at).toBeInstanceOf(Date);
    expect(byId.get(town.rsvps.guest)?.status).toBe('cancelled');
    expect(byId.get(town.rsvps.waiting)?.status).toBe('going');
    expect(byId.get(town.rsvps.late)).toMatchObject({ status: 'going', confirmed_at: null });
    expect((await db.selectFrom('volunteer_signup').select('status').where('id', '=', town.signupId).executeTakeFirstOrThrow()).status).toBe('withdrawn');
  });
});
