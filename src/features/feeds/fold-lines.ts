// RFC 5545 §3.1 line folding, by exactly ical-generator's rule (a line breaks before the
// character that would take it past 74 octets of UTF-8, and goes on after CRLF and a space).
// ical-generator's own foldLines adds the line up one character at a time, which took a third
// of the time a 10,000-event feed took to build (descriptions are long lines, and umlauts and
// Arabic take them off its ASCII fast path); this one cuts slices at the same places.
// tests/unit/fold-lines.test.ts holds it to the library's output.

const MAX_OCTETS = 74;

function foldLine(line: string): string {
  // No line of 18 characters or fewer can pass 74 octets (at most 4 octets a character).
  if (line.length <= MAX_OCTETS / 4) return line;
  let folded = '';
  let start = 0;
  let octets = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    let size: number;
    let units = 1;
    if (code < 0x80) size = 1;
    else if (code < 0x800) size = 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair is one character of four octets.
      size = 4;
      units = 2;
    } else size = 3;
    octets += size;
    if (octets > MAX_OCTETS) {
      folded += `${line.slice(start, i)}\r\n `;
      start = i;
      octets = size;
    }
    i += units - 1;
  }
  return start === 0 ? line : folded + line.slice(start);
}

/** Folds every CRLF-separated line of iCalendar text. */
export function foldLines(text: string): string {
  return text.split('\r\n').map(foldLine).join('\r\n');
}
