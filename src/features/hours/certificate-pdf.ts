// The certificate as a PDF, made on the server with pdfkit: A4, German first, then (when the
// reader's language is another) the same in that language on a second page. Real text (it can
// be selected and searched), in embedded and subset fonts: Noto Sans for Latin, Turkish and
// Cyrillic, Vazirmatn for Arabic and Persian, chosen per run of text. Not Noto Naskh or Noto
// Sans Arabic: they draw a dotted letter as a shared skeleton plus dots, so the PDF's map from
// glyphs back to text cannot tell ج from ح or ي from ت (pdftotext read "ترجمة" as "ترحمة");
// Vazirmatn has a glyph of its own for each form of each letter.
//
// pdfkit hands each string to fontkit, which shapes Arabic (joining forms, lam-alef) and puts
// an Arabic run in visual order — but it runs no bidi algorithm: in one string with Arabic and
// digits or Latin, the whole string would be reversed, digits and all, and a space inside an
// Arabic string loses its width. So the lines are laid out here: the Unicode bidi algorithm
// (bidi-js) gives each character its level; a line is cut into words and, inside a word, into
// runs of one level and one font; the runs are put in visual order (rule L2) and each is drawn
// on its own at its place, so fontkit only ever sees a run of one direction, and a reader
// (pdftotext, a screen reader) finds the words with real gaps between them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import bidiFactory from 'bidi-js';
import PDFDocument from 'pdfkit';
import { isolate } from '../../i18n/bidi.ts';
import { translator } from '../../i18n/index.ts';
import { textDirection, type Locale } from '../../i18n/locales.ts';
import {
  certificateLines,
  certificateLocales,
  formatCertificateDay,
  formatCertificateMonths,
  formatHours,
  issuerName,
  type CertificateData,
} from './certificate.ts';

const bidi = bidiFactory();

type FontKind = 'latin' | 'arabic';
type Weight = 'regular' | 'bold';

const require = createRequire(import.meta.url);

/** The font files, from npm (see the README on why these): read once per process. */
const FONT_FILES: Record<FontKind, Record<Weight, string>> = {
  latin: {
    regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  },
  arabic: {
    regular: '@expo-google-fonts/vazirmatn/400Regular/Vazirmatn_400Regular.ttf',
    bold: '@expo-google-fonts/vazirmatn/700Bold/Vazirmatn_700Bold.ttf',
  },
};

let fontData: Record<string, Buffer> | null = null;

/**
 * The font files' bytes, read once per process. pdfkit parses them again for each document;
 * handing it one parsed fontkit font for all documents was three times faster but wrong:
 * fontkit keeps each glyph with the letters of its first use, in whichever document, so a
 * later certificate's Persian read back with letters missing.
 */
function fonts(): Record<string, Buffer> {
  fontData ??= Object.fromEntries(
    (Object.keys(FONT_FILES) as FontKind[]).flatMap((kind) => (['regular', 'bold'] as Weight[]).map((weight) => [fontName(kind, weight), readFileSync(require.resolve(FONT_FILES[kind][weight]))])),
  );
  return fontData;
}

function fontName(kind: FontKind, weight: Weight): string {
  return `${kind}-${weight}`;
}

/** Arabic script (Arabic, Supplement, Extended-A, Presentation Forms A and B) and the joiners
 * that Persian writes inside words (ZWNJ, ZWJ). */
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF\u200C\u200D]/u;
/** Directional marks and isolates: they steer the bidi algorithm and are never drawn. */
const INVISIBLE = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const SPACE = /\s/u;

/** A piece of a line drawn at once: one font, one level, no spaces (or only spaces). */
interface Run {
  text: string;
  font: FontKind;
  level: number;
  space: boolean;
  width: number;
}

/** What the layout needs from the page: how wide a run is. */
type Measure = (text: string, font: FontKind) => number;

/**
 * A paragraph cut into runs in logical order, each with its bidi level. Exported for the tests
 * (the order and direction of a mixed line is where PDFs go wrong).
 */
export function paragraphRuns(text: string, direction: 'ltr' | 'rtl', measure: Measure): Run[] {
  const { levels } = bidi.getEmbeddingLevels(text, direction);
  const runs: Run[] = [];
  let index = 0;
  for (const char of text) {
    const level = levels[index]!;
    index += char.length;
    if (INVISIBLE.test(char)) continue;
    const space = SPACE.test(char);
    const font: FontKind = ARABIC.test(char) ? 'arabic' : 'latin';
    const last = runs.at(-1);
    // A joiner belongs to the word it is in, whatever its own level.
    if (last && !last.space && !space && (last.font === font || /[\u200C\u200D]/u.test(char)) && (last.level === level || /[\u200C\u200D]/u.test(char))) {
      last.text += char;
      continue;
    }
    if (last && last.space && space) {
      last.text += char;
      continue;
    }
    runs.push({ text: char, font, level, space, width: 0 });
  }
  for (const run of runs) run.width = run.space ? measure(' ', 'latin') * run.text.length : measure(run.text, run.font);
  return runs;
}

/** Lines of at most `width`, cut at spaces; a word longer than a line stands alone on one. */
export function breakLines(runs: Run[], width: number): Run[][] {
  const lines: Run[][] = [];
  let line: Run[] = [];
  let lineWidth = 0;
  // A word is the runs between two spaces (a name with an Arabic and a Latin part is one).
  const words: Run[][] = [];
  let word: Run[] = [];
  for (const run of runs) {
    if (run.space) {
      if (word.length > 0) words.push(word);
      words.push([run]);
      word = [];
    } else {
      word.push(run);
    }
  }
  if (word.length > 0) words.push(word);
  for (const piece of words) {
    const pieceWidth = piece.reduce((sum, run) => sum + run.width, 0);
    const isSpace = piece[0]!.space;
    if (!isSpace && line.length > 0 && lineWidth + pieceWidth > width) {
      while (line.at(-1)?.space) line.pop();
      lines.push(line);
      line = [];
      lineWidth = 0;
    }
    if (isSpace && line.length === 0) continue;
    line.push(...piece);
    lineWidth += pieceWidth;
  }
  while (line.at(-1)?.space) line.pop();
  if (line.length > 0) lines.push(line);
  return lines;
}

/** The runs of one line in the order they are drawn from left to right (rule L2: from the
 * highest level down to the lowest odd one, reverse every sequence at that level or above). */
export function visualOrder(line: Run[]): Run[] {
  const ordered = [...line];
  const highest = Math.max(0, ...ordered.map((run) => run.level));
  const lowestOdd = Math.min(...ordered.map((run) => (run.level % 2 === 1 ? run.level : Infinity)));
  for (let level = highest; level >= lowestOdd && level > 0; level--) {
    let start = -1;
    for (let i = 0; i <= ordered.length; i++) {
      const inside = i < ordered.length && ordered[i]!.level >= level;
      if (inside && start < 0) start = i;
      if (!inside && start >= 0) {
        ordered.splice(start, i - start, ...ordered.slice(start, i).reverse());
        start = -1;
      }
    }
  }
  return ordered;
}

interface TextStyle {
  size: number;
  weight?: Weight;
  /** Where the line sits in its box: the start side of the paragraph's direction, or the end. */
  align?: 'start' | 'end' | 'center';
  lineHeight?: number;
}

/** Draws on one PDF page with the page's direction. */
class Writer {
  readonly doc: PDFKit.PDFDocument;
  readonly direction: 'ltr' | 'rtl';

  constructor(doc: PDFKit.PDFDocument, direction: 'ltr' | 'rtl') {
    this.doc = doc;
    this.direction = direction;
  }

  readonly left = 56;
  get right(): number {
    return this.doc.page.width - 56;
  }
  get width(): number {
    return this.right - this.left;
  }

  /** A box given from the start side (as on the page in its own direction) in PDF coordinates. */
  box(start: number, width: number): { x: number; width: number } {
    return this.direction === 'ltr' ? { x: this.left + start, width } : { x: this.right - start - width, width };
  }

  private measure(style: TextStyle): Measure {
    return (text, font) => this.doc.font(fontName(font, style.weight ?? 'regular')).fontSize(style.size).widthOfString(text);
  }

  /** Writes a paragraph into a box from the top `y`; returns the y below it. */
  paragraph(text: string, y: number, style: TextStyle, box = { x: this.left, width: this.width }): number {
    const lineHeight = style.size * (style.lineHeight ?? 1.45);
    const runs = paragraphRuns(text, this.direction, this.measure(style));
    let baseline = y + style.size;
    for (const line of breakLines(runs, box.width)) {
      const visual = visualOrder(line);
      const lineWidth = visual.reduce((sum, run) => sum + run.width, 0);
      const align = style.align ?? 'start';
      const fromLeft = align === 'center' ? 'center' : (align === 'start') === (this.direction === 'ltr') ? 'left' : 'right';
      let x = fromLeft === 'left' ? box.x : fromLeft === 'right' ? box.x + box.width - lineWidth : box.x + (box.width - lineWidth) / 2;
      for (const run of visual) {
        if (!run.space) this.drawRun(run, x, baseline, style);
        x += run.width;
      }
      baseline += lineHeight;
    }
    return baseline - lineHeight + style.size * 0.5;
  }

  private drawRun(run: Run, x: number, baseline: number, style: TextStyle): void {
    const doc = this.doc.font(fontName(run.font, style.weight ?? 'regular')).fontSize(style.size).fillColor('#000');
    const rtl = run.level % 2 === 1;
    if (run.font === 'arabic' && !rtl) {
      // Arabic-Indic digits stand left to right, but fontkit would turn any Arabic-script
      // string around: drawn one by one, they keep their order.
      let at = x;
      for (const char of run.text) {
        doc.text(char, at, baseline, { lineBreak: false, baseline: 'alphabetic' });
        at += doc.widthOfString(char);
      }
      return;
    }
    // Latin punctuation inside right-to-left text is read from the right: reverse it and
    // mirror the brackets. fontkit turns Arabic-script runs around by itself.
    const text = rtl && run.font === 'latin' ? [...run.text].reverse().map((c) => bidi.getMirroredCharacter(c) ?? c).join('') : run.text;
    doc.text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
  }

  rule(y: number, start: number, width: number): void {
    const { x } = this.box(start, width);
    this.doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.6).strokeColor('#000').stroke();
  }
}

/** The text of one page of the certificate in one language. */
function drawCertificatePage(doc: PDFKit.PDFDocument, data: CertificateData, locale: Locale, timeZone: string, translation: boolean): void {
  const t = translator(locale);
  const w = new Writer(doc, textDirection(locale));
  const issuer = issuerName(t, data.issuer, data.place);
  let y = 56;

  // The issuer at the head, as on a letter.
  // Names and addresses keep their own direction inside the page's (as <bdi> does on screen).
  y = w.paragraph(isolate(issuer), y, { size: 12, weight: 'bold' });
  const contact = [data.issuer.phone, data.issuer.email].filter(Boolean).map((part) => isolate(part!)).join(' · ');
  if (contact) y = w.paragraph(t('hoursCertificate.contact', { contact }), y, { size: 9.5 });
  y += 28;

  if (translation) y = w.paragraph(t('hoursCertificate.translationNote'), y, { size: 9.5 }) + 6;
  y = w.paragraph(t('hoursCertificate.title'), y, { size: 18, weight: 'bold', lineHeight: 1.3 }) + 12;

  const period = formatCertificateMonths(locale, timeZone, data.from, data.to);
  y = w.paragraph(t('hoursCertificate.statement', { name: data.volunteerName, period, organisation: issuer }), y, { size: 11 }) + 14;

  // The table: what, how often, hours, first to last date.
  const columns = { what: [0, 0.42], times: [0.44, 0.12], hours: [0.58, 0.12], dates: [0.72, 0.28] } as const;
  const cell = (key: keyof typeof columns) => w.box(columns[key][0] * w.width, columns[key][1] * w.width);
  const head = { size: 9.5, weight: 'bold' as const };
  const headY = y;
  const bottoms = [
    w.paragraph(t('hoursCertificate.what'), headY, head, cell('what')),
    w.paragraph(t('hoursCertificate.times'), headY, { ...head, align: 'end' }, cell('times')),
    w.paragraph(t('hoursCertificate.hours'), headY, { ...head, align: 'end' }, cell('hours')),
    w.paragraph(t('hoursCertificate.dates'), headY, head, cell('dates')),
  ];
  y = Math.max(...bottoms) + 2;
  w.rule(y, 0, w.width);
  y += 6;
  const lines = certificateLines(t, data.entries);
  for (const line of lines) {
    const body = { size: 10 };
    const first = formatCertificateDay(locale, timeZone, line.first);
    const last = formatCertificateDay(locale, timeZone, line.last);
    const rowBottoms = [
      w.paragraph(isolate(line.what), y, body, cell('what')),
      w.paragraph(formatCount(locale, line.times), y, { ...body, align: 'end' }, cell('times')),
      w.paragraph(formatHours(locale, line.minutes), y, { ...body, align: 'end' }, cell('hours')),
      w.paragraph(first === last ? first : t('hoursCertificate.dateRange', { first, last }), y, body, cell('dates')),
    ];
    y = Math.max(...rowBottoms) + 4;
    if (y > doc.page.height - 230) {
      doc.addPage();
      y = 56;
    }
  }
  w.rule(y, 0, w.width);
  y += 6;
  const totalMinutes = data.entries.reduce((sum, entry) => sum + entry.minutes, 0);
  const totalTimes = data.entries.length;
  const total = { size: 10, weight: 'bold' as const };
  y =
    Math.max(
      w.paragraph(t('hoursCertificate.total'), y, total, cell('what')),
      w.paragraph(formatCount(locale, totalTimes), y, { ...total, align: 'end' }, cell('times')),
      w.paragraph(formatHours(locale, totalMinutes), y, { ...total, align: 'end' }, cell('hours')),
    ) + 14;

  y = w.paragraph(t('hoursCertificate.totalSentence', { hours: formatHours(locale, totalMinutes) }), y, { size: 11 }) + 4;
  y = w.paragraph(t('hoursCertificate.confirmedOnly', { organisation: issuer }), y, { size: 9.5 }) + 28;

  // Place and date of issue, then the signature block, signed by hand.
  y = w.paragraph(t('hoursCertificate.placeDate', { place: data.place, date: formatCertificateDay(locale, timeZone, data.issuedAt) }), y, { size: 11 }) + 10;
  y = w.paragraph(t('hoursCertificate.signFor', { organisation: issuer }), y, { size: 11 }) + 42;
  const signatureWidth = w.width * 0.55;
  w.rule(y, 0, signatureWidth);
  y = w.paragraph(t('hoursCertificate.signature'), y + 3, { size: 9 }, w.box(0, signatureWidth)) + 34;
  w.rule(y, 0, signatureWidth);
  w.paragraph(t('hoursCertificate.nameRole'), y + 3, { size: 9 }, w.box(0, signatureWidth));
}

/**
 * A ligature of right-to-left letters (lam-alef: "لا", "لأ") is one glyph for two letters. Text
 * extractors place the letters of one glyph from left to right inside it and then read a
 * right-to-left word backwards, as drawn; so the glyph's letters are written to the font's map
 * (ToUnicode) in the order they stand on the page, or "الأحمد" would come back as "األحمد".
 * pdfkit keeps that map per embedded font until the document ends (EmbeddedFont#unicode).
 */
function readLigaturesInVisualOrder(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies: Record<string, { unicode?: number[][] }> })._fontFamilies;
  // One font is listed under its registered name and its PostScript name: turn it once.
  for (const font of new Set(Object.values(families))) {
    font.unicode?.forEach((codePoints, gid) => {
      if (codePoints.length > 1 && codePoints.every((c) => ARABIC.test(String.fromCodePoint(c)))) font.unicode![gid] = [...codePoints].reverse();
    });
  }
}

function formatCount(locale: Locale, count: number): string {
  return new Intl.NumberFormat(locale).format(count);
}

/** The certificate as PDF bytes: German first, then the reader's language on its own page. */
export async function renderCertificatePdf(data: CertificateData, options: { pageLocale: Locale; timeZone: string }): Promise<Buffer> {
  const de = translator('de');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    autoFirstPage: true,
    lang: 'de-DE',
    displayTitle: true,
    info: {
      Title: `${de('hoursCertificate.title')} – ${data.volunteerName}`,
      Author: issuerName(de, data.issuer, data.place),
      Subject: de('hoursCertificate.pageTitle'),
      Creator: 'Ankommen',
      // The date of issue: the same certificate asked for again is the same document.
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
  });
  for (const [name, bytes] of Object.entries(fonts())) doc.registerFont(name, bytes);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  certificateLocales(options.pageLocale).forEach((locale, index) => {
    if (index > 0) doc.addPage();
    drawCertificatePage(doc, data, locale, options.timeZone, index > 0);
  });
  readLigaturesInVisualOrder(doc);
  doc.end();
  return done;
}
