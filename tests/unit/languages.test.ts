// Reading right to left and in one's own digits: Latin fragments (file names, addresses, codes,
// product names) and inserted texts keep their order inside Arabic and Persian sentences, in
// pages and mails alike; numbers come in the page's digits; Persian dates read the Persian way,
// with the Gregorian date beside them where a date stands alone.
import { describe, expect, it } from 'vitest';
import { catalogues, LOCALES, translator, type PluralForms } from '../../src/i18n/index.ts';
import { FSI, LRI, PDI, isolateLatinRuns } from '../../src/i18n/bidi.ts';
import { formatDate, formatDateTime, formatNumber, formatWhen } from '../../src/i18n/format.ts';
import { renderMail } from '../../src/features/outbox/templates.ts';

const ZONE = 'Europe/Berlin';
// Thursday 10 December 2026, 18:00 in Berlin; 19 Azar 1405 in the Solar Hijri calendar.
const START = new Date('2026-12-10T17:00:00Z');
const END = new Date('2026-12-10T19:00:00Z');
const LATIN = /\p{Script=Latin}/u;
const LATIN_DIGIT = /[0-9]/;

/** The text with every isolated stretch (LRI/FSI … PDI, nested or not) taken out. */
function outsideIsolates(text: string): string {
  let depth = 0;
  let out = '';
  for (const ch of text) {
    if (ch === LRI || ch === FSI || ch === '\u2067') depth++;
    else if (ch === PDI) depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

describe('Latin fragments in Arabic and Persian messages', () => {
  it.each(['ar', 'fa'] as const)('%s: every Latin word of a message stands in its own left-to-right isolate', (locale) => {
    const t = translator(locale);
    const catalogue = catalogues[locale] as Record<string, string | PluralForms>;
    let checked = 0;
    for (const [key, value] of Object.entries(catalogue)) {
      const forms = typeof value === 'string' ? [value] : Object.values(value);
      for (const form of forms) {
        const shown = form.replace(/\{\w+\}/g, '');
        expect(outsideIsolates(shown), `${locale} ${key}`).not.toMatch(LATIN);
        if (LATIN.test(shown)) checked++;
      }
      if (typeof value === 'string') expect(t(key as never), key).toBe(value);
    }
    // The calendar download, the example address, the URL scheme, the code, the map service …
    expect(checked).toBeGreaterThan(20);
  });

  it('isolates ".ics", "https://", an e-mail address and a code as whole pieces', () => {
    expect(translator('fa')('feeds.download')).toContain(`(${LRI}.ics${PDI})`);
    expect(translator('ar')('feeds.download')).toContain(`(${LRI}.ics${PDI})`);
    expect(translator('fa')('error.url.invalid')).toContain(`${LRI}https://${PDI}`);
    expect(translator('ar')('error.email.invalid')).toContain(`${LRI}name@example.com${PDI}`);
    expect(translator('fa')('claim.codeHint')).toContain(`${LRI}ABCD-EFGH-JKLM${PDI}`);
    // A colon after a product name belongs to the sentence, not to the name.
    expect(isolateLatinRuns('تقويم Google: اضغط')).toBe(`تقويم ${LRI}Google${PDI}: اضغط`);
    expect(isolateLatinRuns('Google، Outlook و calendar.google.com')).toBe(`${LRI}Google${PDI}، ${LRI}Outlook${PDI} و ${LRI}calendar.google.com${PDI}`);
    // Placeholders are left for the translator, which isolates what it puts there.
    expect(isolateLatinRuns('{title} – Ankommen {town}')).toBe(`{title} – ${LRI}Ankommen${PDI} {town}`);
  });

  it('leaves left-to-right languages alone', () => {
    for (const locale of ['de', 'en', 'uk', 'tr'] as const) {
      expect(translator(locale)('feeds.download')).not.toMatch(/[\u2066-\u2069]/);
      expect(translator(locale)('rsvp.onBehalfGoing', { email: 'amal@example.org' })).not.toMatch(/[\u2066-\u2069]/);
    }
  });
});

describe('texts put into Arabic and Persian messages', () => {
  it('are isolated, so that an address or a Latin name keeps its order and does not take the punctuation along', () => {
    const going = translator('ar')('rsvp.onBehalfGoing', { email: 'amal@example.org' });
    expect(going).toBe(`تم تسجيل ${FSI}amal@example.org${PDI}.`);
    const title = translator('fa')('email.reminder.subject', { title: 'Deutschkurs A1 (Teil 2)' });
    expect(title).toContain(`${FSI}Deutschkurs A1 (Teil 2)${PDI}`);
    expect(translator('de')('email.reminder.subject', { title: 'Deutschkurs A1 (Teil 2)' })).toBe('Erinnerung: Deutschkurs A1 (Teil 2)');
  });

  it('are written in the language’s digits when they are numbers', () => {
    expect(translator('fa')('kuemmerer.places', { taken: 1, max: 3 })).toBe('۱ از ۳ جا پر است');
    expect(translator('fa').plural('activity.seatsLeft', 12)).toContain('۱۲');
    expect(translator('fa').plural('activity.seatsLeft', 12)).not.toMatch(LATIN_DIGIT);
    expect(translator('de')('organise.seats', { taken: 1200, capacity: 10000 })).toBe('1.200 von 10.000 Plätzen vergeben');
    expect(formatNumber('fa', 12)).toBe('۱۲');
    expect(formatNumber('de', 7)).toBe('7');
  });

  it('Arabic pages use the digits Intl gives Arabic (0–9), Persian pages Persian digits: lists follow in the stylesheet', () => {
    // base.css numbers Persian <ol> with list-style-type: persian and leaves Arabic ones decimal;
    // if Intl ever switches Arabic to Arabic-Indic digits, the stylesheet must follow.
    expect(new Intl.NumberFormat('ar').resolvedOptions().numberingSystem).toBe('latn');
    expect(new Intl.NumberFormat('fa').resolvedOptions().numberingSystem).toBe('arabext');
  });
});

describe('Persian dates', () => {
  it('read weekday, day, month, year with the Persian comma before the time', () => {
    const text = formatDateTime('fa', ZONE, START);
    expect(text).toBe('پنجشنبه ۱۹ آذر ۱۴۰۵، ساعت ۱۸:۰۰');
    expect(text).not.toContain(',');
    expect(text).not.toMatch(LATIN_DIGIT);
  });

  it('show the Gregorian date beside a date that stands alone (a deadline, an activity’s page, a claim sheet)', () => {
    expect(formatDateTime('fa', ZONE, START, { standalone: true })).toBe('پنجشنبه ۱۹ آذر ۱۴۰۵ (۱۰ دسامبر ۲۰۲۶)، ساعت ۱۸:۰۰');
    expect(formatDate('fa', ZONE, START, { year: true, standalone: true })).toBe('پنجشنبه ۱۹ آذر ۱۴۰۵ (۱۰ دسامبر ۲۰۲۶)');
    expect(formatWhen('fa', ZONE, START, END, { standalone: true })).toEqual({ date: 'پنجشنبه ۱۹ آذر (۱۰ دسامبر)', time: '۱۸:۰۰ تا ۲۰:۰۰' });
    const twoDays = formatWhen('fa', ZONE, START, new Date('2026-12-12T19:00:00Z'), { standalone: true });
    expect(twoDays.date).toMatch(/^پنجشنبه ۱۹ آذر .* شنبه ۲۱ آذر .*\(۱۰ دسامبر تا ۱۲ دسامبر\)$/);
  });

  it('stay short in lists and on cards', () => {
    expect(formatDate('fa', ZONE, START)).toBe('پنجشنبه ۱۹ آذر');
    expect(formatWhen('fa', ZONE, START, END)).toEqual({ date: 'پنجشنبه ۱۹ آذر', time: '۱۸:۰۰ تا ۲۰:۰۰' });
  });

  it('other languages keep what Intl writes, with the year where asked and never a second calendar', () => {
    expect(formatDateTime('de', ZONE, START, { standalone: true })).toBe('Donnerstag, 10. Dezember 2026 um 18:00');
    expect(formatDate('de', ZONE, START, { year: true, standalone: true })).toBe('Donnerstag, 10. Dezember 2026');
    expect(formatWhen('de', ZONE, START, END, { standalone: true })).toEqual({ date: 'Donnerstag, 10. Dezember', time: '18:00–20:00 Uhr' });
    expect(formatDateTime('ar', ZONE, START)).toBe('الخميس، 10 ديسمبر 2026 في 6:00 م');
    for (const locale of LOCALES) expect(formatDate(locale, ZONE, START, { year: true })).toMatch(/2026|۲۰۲۶|۱۴۰۵/);
  });

  it('are remembered per kind: the short and the standalone form of one activity are both kept', () => {
    const short = formatWhen('fa', ZONE, START, END);
    const alone = formatWhen('fa', ZONE, START, END, { standalone: true });
    expect(formatWhen('fa', ZONE, START, END)).toEqual(short);
    expect(formatWhen('fa', ZONE, START, END, { standalone: true })).toEqual(alone);
    expect(short).not.toEqual(alone);
  });
});

describe('plain-text mails in Arabic and Persian', () => {
  const mail = (locale: 'ar' | 'fa' | 'de') =>
    renderMail(
      {
        id: 1,
        kind: 'rsvp_going',
        recipientUserId: 1,
        recipientEmail: 'x@example.org',
        channel: 'email',
        locale,
        payload: { name: 'Hans', url: 'https://ankommen.example/activities/7', activityTitle: 'Deutschkurs A1 (Teil 2)', startsAt: START.toISOString(), endsAt: END.toISOString(), place: 'Stellwerk, Lennestraße 12', partySize: 3 },
        attempts: 0,
      },
      { townName: 'Altena', timeZone: ZONE },
    );

  it('isolate the Latin name, title and brand inside the sentences (U+2068/U+2066 … U+2069), so that a line keeps the reader’s direction', () => {
    const fa = mail('fa');
    expect(fa.subject).toContain(`${FSI}Deutschkurs A1 (Teil 2)${PDI}`);
    const [greeting] = fa.text.split('\n');
    expect(greeting).toBe(`سلام ${FSI}Hans${PDI} عزیز،`);
    expect(fa.text).toContain(`${LRI}Ankommen${PDI}`);
    // Lines that are the person's own data stand alone and are left as they are; so is the link.
    expect(fa.text).toContain('\n  Deutschkurs A1 (Teil 2)\n');
    expect(fa.text).toContain('\nhttps://ankommen.example/activities/7\n');
    expect(mail('ar').subject).toContain(`${FSI}Deutschkurs A1 (Teil 2)${PDI}`);
    expect(mail('de').text).not.toMatch(/[\u2066-\u2069]/);
  });

  it('give the Persian date of an activity with the Gregorian one beside it, like a letter', () => {
    expect(mail('fa').text).toContain('  پنجشنبه ۱۹ آذر (۱۰ دسامبر)، ۱۸:۰۰ تا ۲۰:۰۰');
    expect(mail('fa').text).toContain('۳');
  });
});
