// Matching over HTTP, without JavaScript: the volunteer profile's help offer (a refusal next to
// its field, saved and shown back), a fitting helper told by mail, the coordinator's list of
// fitting helpers and the "ask directly" button with its access matrix (helper, asker, an
// organiser, a visitor: 404; coordinator: asked), the woman wish at taking, and the filters
// of the requests on /help-wanted — which never show the name, the address or the note.
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { as, fieldError, form, mailsTo, page, stripTags, Visitor } from '../helpers/visitor.ts';

const ADDRESS = 'Am Drahtzug 3, 58762 Altena';
const NOTE = 'Zweiter Stock, bitte klingeln bei Kovalenko';
const state = { carrying: '', doctor: '' };

/** A day ahead by `days`, as the date field sends it. */
function ahead(days: number): string {
  return new Date(Date.now() + days * 24 * 3600_000).toISOString().slice(0, 10);
}

function newestId(html: string): string {
  const ids = [...html.matchAll(/\/help-requests\/(\d+)"/g)].map((m) => Number(m[1]));
  if (ids.length === 0) throw new Error('no request link');
  return String(Math.max(...ids));
}

describe('the volunteer profile\'s help offer', () => {
  it('refuses a child seat without a car next to the field, keeping what was ticked, and saves nothing', async () => {
    const resident = await as('resident');
    const refused = await resident.submit('/account/volunteer-profile', 'volunteering.saveProfile', form({ helpKinds: ['carrying', 'lift'], helpDays: ['sat'], hasChildSeat: 'on' }));
    expect(refused.status).toBe(400);
    expect(fieldError(refused.html, 'hasChildSeat')).toContain('Ein Kindersitz geht nur mit Auto.');
    expect(refused.html).toMatch(/name="helpKinds" value="carrying" checked/);
    const shown = await page(resident, '/account/volunteer-profile');
    expect(shown.html).not.toMatch(/name="helpKinds" value="carrying" checked/);
  });

  it('saves the offer and shows it back', async () => {
    const resident = await as('resident');
    const saved = await resident.submit('/account/volunteer-profile', 'volunteering.saveProfile', form({ languages: ['uk', 'de'], helpKinds: ['carrying'], hasCar: 'on', hasChildSeat: 'on' }));
    expect(saved.status).toBe(200);
    expect(stripTags(saved.html)).toContain('Hilfe, die ich anbiete');
    expect(saved.html).toMatch(/name="helpKinds" value="carrying" checked/);
    expect(saved.html).toMatch(/name="hasCar" checked/);
    expect(saved.html).toMatch(/name="hasChildSeat" checked/);
    expect(saved.html).not.toMatch(/name="helpsAsWoman" checked/);
  });
});

describe('a fitting helper is told, a coordinator asks one directly', () => {
  it('a new request mails the helper whose offer fits, without the name, address or note', async () => {
    const newcomer = await as('newcomer');
    const posted = await newcomer.submit('/help-requests/new', 'helpRequests.post', form({ kind: 'carrying', when: 'time', date: ahead(9), time: '10:00', district: 'Nette', address: ADDRESS, languages: ['uk'], needsCar: 'on', note: NOTE }));
    expect(posted.status).toBe(200);
    state.carrying = newestId(posted.html);
    const mails = await mailsTo(TEST_ACCOUNTS.resident.email, { about: 'Eine Anfrage passt zu Ihrem Angebot' });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Umzug oder Tragen');
    expect(mails[0]!.text).toContain('Nette');
    expect(mails[0]!.text).toContain(`/help-wanted#help-request-${state.carrying}`);
    for (const secret of [ADDRESS, NOTE, TEST_ACCOUNTS.newcomer.displayName]) expect(mails[0]!.text).not.toContain(secret);
  });

  it('the coordinator sees the fitting helpers with reasons and who was told; others see no such part', async () => {
    const coordinator = await as('coordinator');
    const seen = await page(coordinator, `/help-requests/${state.carrying}`);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('Passende Helferinnen und Helfer');
    expect(seen.text).toContain(TEST_ACCOUNTS.resident.displayName);
    expect(seen.text).toContain('spricht Ukrainisch · bietet „Umzug oder Tragen“ an · hat ein Auto');
    expect(seen.text).toContain('Benachrichtigt am');
    const asker = await page(await as('newcomer'), `/help-requests/${state.carrying}`);
    expect(asker.status).toBe(200);
    expect(asker.text).not.toContain('Passende Helferinnen und Helfer');
    expect(asker.text).not.toContain(TEST_ACCOUNTS.resident.displayName);
  });

  it('the ask button: a helper, the asker, an organiser and a visitor get 404 and nobody is asked', async () => {
    const helperId = await residentId();
    for (const who of [await as('volunteer2'), await as('newcomer'), await as('organiser'), new Visitor()]) {
      const response = await who.post(`/help-requests/${state.carrying}?_action=helpRequests.askHelper`, { requestId: state.carrying, helperId });
      expect(response.status).toBe(404);
    }
    expect(await mailsTo(TEST_ACCOUNTS.resident.email, { about: 'Können Sie bei einer Anfrage helfen?', atLeast: 0, timeoutMs: 500 })).toHaveLength(0);
  });

  it('the coordinator asks: the helper gets a mail naming the coordinator by first name, and the list says so', async () => {
    const coordinator = await as('coordinator');
    const helperId = await residentId();
    const asked = await coordinator.submit(`/help-requests/${state.carrying}`, 'helpRequests.askHelper', { requestId: state.carrying, helperId });
    expect(asked.status).toBe(200);
    expect(stripTags(asked.html)).toContain('Gefragt. Die Person bekommt eine Nachricht in ihrer Sprache.');
    expect(stripTags(asked.html)).toContain('Direkt gefragt am');
    const mails = await mailsTo(TEST_ACCOUNTS.resident.email, { about: 'Können Sie bei einer Anfrage helfen?' });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Test aus der Koordination fragt Sie direkt');
    expect(mails[0]!.text).not.toContain('Coordinator');
    for (const secret of [ADDRESS, NOTE]) expect(mails[0]!.text).not.toContain(secret);
    // Asked once is enough: a second press is refused with a message.
    const again = await coordinator.submit(`/help-requests/${state.carrying}`, 'helpRequests.askHelper', { requestId: state.carrying, helperId });
    expect(stripTags(again.html)).toContain('Diese Person wurde schon direkt gefragt.');
  });
});

/** The resident's id, from the coordinator's list of fitting helpers. */
async function residentId(): Promise<string> {
  const { html } = await page(await as('coordinator'), `/help-requests/${state.carrying}`);
  const match = /name="helperId" value="(\d+)"/.exec(html);
  if (!match) throw new Error('no ask button');
  return match[1]!;
}

describe('the woman wish at taking', () => {
  it('a helper who does not help as a woman is told why; the list shows the wish', async () => {
    const newcomer = await as('newcomer');
    const posted = await newcomer.submit('/help-requests/new', 'helpRequests.post', form({ kind: 'doctor', when: 'week', date: '', time: '', district: 'Evingsen', address: ADDRESS, languages: ['uk'], wantsWoman: 'on', healthConsent: 'on', note: NOTE }));
    state.doctor = newestId(posted.html);
    const list = await page(await as('volunteer2'), '/help-wanted');
    expect(list.text).toContain('Eine Frau soll helfen');
    const refused = await (await as('volunteer2')).submit('/help-wanted', 'helpRequests.take', { requestId: state.doctor });
    expect(stripTags(refused.html)).toContain('Die Person wünscht sich eine Frau als Helferin.');
    expect(refused.url).not.toContain(`/help-requests/${state.doctor}`);
    expect((await page(await as('volunteer2'), `/help-requests/${state.doctor}`)).status).toBe(404);
  });
});

describe('the filters of the requests on /help-wanted', () => {
  const cardOf = (html: string, id: string) => html.includes(`id="help-request-${id}"`);

  it('by kind, by language, this week or a day; never the name, the address or the note', async () => {
    for (const who of [new Visitor(), await as('volunteer2')]) {
      const carrying = await page(who, '/help-wanted?rkind=carrying');
      expect(carrying.status).toBe(200);
      expect(cardOf(carrying.html, state.carrying)).toBe(true);
      expect(cardOf(carrying.html, state.doctor)).toBe(false);
      const ukrainian = await page(who, '/help-wanted?rlang=uk');
      expect(cardOf(ukrainian.html, state.carrying) && cardOf(ukrainian.html, state.doctor)).toBe(true);
      expect(cardOf((await page(who, '/help-wanted?rlang=ti')).html, state.carrying)).toBe(false);
      // The carrying is nine days ahead: not this week; the doctor's visit is "any time this week".
      const week = await page(who, '/help-wanted?rday=week');
      expect(cardOf(week.html, state.doctor)).toBe(true);
      expect(cardOf(week.html, state.carrying)).toBe(false);
      const day = await page(who, `/help-wanted?rday=date&rdate=${ahead(9)}`);
      expect(cardOf(day.html, state.carrying)).toBe(true);
      for (const { html } of [carrying, ukrainian, week, day]) {
        expect(html).not.toContain(ADDRESS);
        expect(html).not.toContain(NOTE);
        expect(html).not.toContain(TEST_ACCOUNTS.newcomer.displayName);
      }
      // Nonsense is ignored, not an error.
      expect((await page(who, '/help-wanted?rkind=flying&rday=date&rdate=2030-13-45&rlang=xx')).status).toBe(200);
    }
  });

  it('"fits my profile": none without an offer (said so), the fitting ones with one; visitors are not offered it', async () => {
    const viktor = await as('volunteer2');
    const none = await page(viktor, '/help-wanted?fits=1');
    expect(none.text).toContain('In Ihrem Helfer-Profil haben Sie noch keine Hilfe angeboten');
    expect(cardOf(none.html, state.carrying)).toBe(false);
    const resident = await as('resident');
    const fits = await page(resident, '/help-wanted?fits=1');
    expect(cardOf(fits.html, state.carrying)).toBe(true);
    expect(cardOf(fits.html, state.doctor)).toBe(false);
    expect(fits.html).not.toContain(ADDRESS);
    expect((await page(new Visitor(), '/help-wanted')).html).not.toContain('name="fits"');
  });
});
