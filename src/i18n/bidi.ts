// Keeping left-to-right pieces whole inside right-to-left text (Unicode's bidi algorithm, UAX #9).
//
// In an Arabic or Persian sentence, a Latin fragment that begins or ends with punctuation is torn
// apart: "(.ics)" shows as "(ics.)", "https://" as "//:https", a phone number's groups swap, and a
// Latin name at the start of a line turns a plain-text mail's paragraph left to right. An isolate
// (LRI or FSI … PDI) makes the fragment one neutral piece for the sentence around it and lays it
// out on its own. Pages isolate the data they show with markup (<bdi>, dir="ltr"); messages,
// which also end up in titles, attributes and plain-text mails, carry these characters.
//
// Mail clients: the isolates are Unicode 6.3 (2013) and implemented wherever text goes through
// a current engine (Blink, WebKit, Gecko, Android's and Apple's text stacks: Gmail, Apple Mail,
// Outlook on the web, Thunderbird, K-9). They are default-ignorable code points, so a client that
// does not know them must not draw them and shows the text as it would have without.

/** LEFT-TO-RIGHT ISOLATE: what follows, up to PDI, is laid out left to right. */
export const LRI = '\u2066';
/** FIRST STRONG ISOLATE: what follows, up to PDI, takes the direction of its first letter. */
export const FSI = '\u2068';
/** POP DIRECTIONAL ISOLATE: ends the isolate. */
export const PDI = '\u2069';

/** A text of unknown direction (a name, a title, an address) as one piece of the sentence. */
export function isolate(text: string): string {
  return text === '' ? text : `${FSI}${text}${PDI}`;
}

/** Isolated on a right-to-left page, where it matters, and left as it is elsewhere: for text
 * that cannot carry markup, such as an <option>'s. */
export function isolateOn(direction: 'ltr' | 'rtl', text: string): string {
  return direction === 'rtl' ? isolate(text) : text;
}

// A Latin run: words of Latin letters and digits, held together by the joiners of addresses,
// file names and codes (. @ _ + - – / ' &) and by single spaces between Latin words ("Language
// café"); ".ics" keeps its dot, "https://" its "://". Punctuation at the end (a colon, a comma,
// a closing bracket) belongs to the sentence and stays outside. Placeholders are skipped: the
// translator isolates what it puts there.
const LATIN_RUN =
  /\{\w+\}|(?:\.(?=\p{Script=Latin}))?[\p{Script=Latin}0-9]+(?:(?:[.@_+\-–/'’&]|:(?=\/)| (?=[\p{Script=Latin}0-9]))+[\p{Script=Latin}0-9]+)*(?::\/\/)?/gu;
const HAS_LATIN = /\p{Script=Latin}/u;

/**
 * A right-to-left message with each Latin run in its own left-to-right isolate. Runs of digits
 * alone are left to the bidi algorithm, which already keeps a number whole.
 */
export function isolateLatinRuns(text: string): string {
  return text.replace(LATIN_RUN, (run) => (run.startsWith('{') || !HAS_LATIN.test(run) ? run : `${LRI}${run}${PDI}`));
}
