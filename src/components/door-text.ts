// The words of the door's island: the page picks them from the reader's catalogue (only these
// travel to the browser), and the island writes them with the same placeholder and plural rules
// as the server (i18n/fill.ts), for the rows and counters it renders on both sides.
import type { DoorCounts } from '../features/attendance/attendance.counting.ts';
import type { DoorRow } from '../features/attendance/attendance.service.ts';
import type { Catalogue } from '../i18n/index.ts';
import { fillMessage, fillPlural, type Params, type PluralForms } from '../i18n/fill.ts';
import { formatShortDateTime } from '../i18n/format.ts';
import type { Locale } from '../i18n/locales.ts';
import type { FormMessage } from '../lib/form-state.ts';

const TEXTS = [
  'attendees.checkIn',
  'attendees.checkInLabel',
  'attendees.undo',
  'attendees.undoLabel',
  'attendees.noShow',
  'attendees.noShowLabel',
  'attendees.walkIn',
  'erasure.anonymous',
  'door.state.expected',
  'door.state.checkedIn',
  'door.state.noShow',
  'door.undoNoShowLabel',
  'door.remove',
  'door.removeLabel',
  'door.partial.open',
  'door.partial.change',
  'door.partial.label',
  'door.partial.save',
  'door.announce',
  'door.announceRemoved',
  'door.error.checkedInAlready',
  'door.error.walkInNoShow',
  'door.error.gone',
  'door.error.offline',
  'error.unavailable',
  'error.generic',
  'answers.confirmedMark',
] as const;
const PLURALS = ['attendees.party', 'door.summary', 'door.expected', 'door.away', 'door.state.checkedInOf', 'door.error.moreThanParty', 'rsvp.error.noRoomForMore'] as const;

type DoorText = (typeof TEXTS)[number];
type DoorPlural = (typeof PLURALS)[number];
export type DoorMessages = { [K in DoorText]: string } & { [K in DoorPlural]: PluralForms };

/** The door's messages out of a whole catalogue (on the server). */
export function doorMessages(catalogue: Catalogue): DoorMessages {
  const picked: Record<string, string | PluralForms> = {};
  for (const key of [...TEXTS, ...PLURALS]) picked[key] = catalogue[key];
  return picked as DoorMessages;
}

/** A name inside a sentence, kept apart from the sentence's direction (U+2068 … U+2069). */
const isolate = (name: string) => `\u2068${name}\u2069`;

export function doorWords(locale: Locale, messages: DoorMessages, timeZone: string) {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const text = (key: DoorText, params?: Params) => fillMessage(messages[key], params);
  const plural = (key: DoorPlural, count: number, params?: Params) => fillPlural(messages[key], rules, numbers, count, params);
  const isText = (key: string): key is DoorText => (TEXTS as readonly string[]).includes(key);
  const isPlural = (key: string): key is DoorPlural => (PLURALS as readonly string[]).includes(key);
  return {
    text,
    plural,
    number: (n: number) => numbers.format(n),
    /** Who a row is: the name, or "Anonymous" for a row that names nobody. */
    who: (row: Pick<DoorRow, 'name' | 'anonymous'>) => (row.anonymous ? text('erasure.anonymous') : row.name),
    /** An accessible name with the person's name in it ("Amal einchecken"). */
    label: (key: DoorText, name: string) => text(key, { name }),
    /** A visible sentence with the person's name in it, the name isolated. */
    sentence: (key: DoorText, name: string) => text(key, { name: isolate(name) }),
    party: (n: number) => plural('attendees.party', n),
    state(row: Pick<DoorRow, 'state' | 'partySize' | 'arrived'>): string {
      if (row.state === 'checkedIn') {
        return row.partySize > 1 ? plural('door.state.checkedInOf', row.partySize, { arrived: numbers.format(row.arrived ?? 0) }) : text('door.state.checkedIn');
      }
      return text(row.state === 'noShow' ? 'door.state.noShow' : 'door.state.expected');
    },
    /** When the party answered "I'm coming", in the town's time (a row from a 409 carries it as text). */
    confirmedWhen: (confirmedAt: Date | string) => formatShortDateTime(locale, timeZone, confirmedAt),
    summary: (counts: DoorCounts) => plural('door.summary', counts.registered, { here: numbers.format(counts.here) }),
    expected: (counts: DoorCounts) => plural('door.expected', counts.expected),
    away: (counts: DoorCounts) => plural('door.away', counts.away),
    /** A refusal carried from the server (a 409, or the no-JavaScript round trip). */
    refusal(message: FormMessage): string {
      // A refusal about an anonymous row carries an empty name.
      const params = message.params && typeof message.params.name === 'string' ? { ...message.params, name: isolate(message.params.name || text('erasure.anonymous')) } : message.params;
      if (isPlural(message.key)) return plural(message.key, message.count ?? 1, params);
      return isText(message.key) ? text(message.key, params) : text('error.generic');
    },
  };
}
