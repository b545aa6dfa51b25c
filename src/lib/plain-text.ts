// Organisers write plain text. We show it as paragraphs with clickable web addresses, and
// never as HTML: every piece goes through Astro's escaping.
export type TextPiece = { text: string } | { url: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;

export function paragraphs(text: string): TextPiece[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const pieces: TextPiece[] = [];
      let last = 0;
      for (const match of p.matchAll(URL_PATTERN)) {
        if (match.index > last) pieces.push({ text: p.slice(last, match.index) });
        pieces.push({ url: match[0] });
        last = match.index + match[0].length;
      }
      if (last < p.length) pieces.push({ text: p.slice(last) });
      return pieces;
    });
}

/** A search for the address on OpenStreetMap (a link; the page itself loads nothing from there). */
export function openStreetMapUrl(address: string): string {
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;
}
