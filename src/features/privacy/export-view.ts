// The export as a person reads it: every section with a heading in their language, each record
// a list of named fields, times in the town's zone written the language's way, codes (a status,
// a language, a topic) in words where the portal has words for them. Driven by the declaration
// like the export itself: a new section or column needs only its words (privacy-export.ts),
// which a test demands.
import { formatDateTime, formatNumber, formatWhen, languageName, whenSeparator } from '../../i18n/format.ts';
import type { TextKey, Translator } from '../../i18n/index.ts';
import { PERSONAL_DATA, type ColumnDeclaration, type ExportLabel, type TableDeclaration } from './declaration.ts';
import { declarationOf, type ExportRecord, type PersonalData } from './export.ts';

/** One piece of a value: text the portal wrote (a date, a status) or text from a person or a
 * code (isolated on the page, in its own direction). */
export interface ReadablePiece {
  text: string;
  typed: boolean;
  /** What the piece is, when a value has several kinds of them ("Kümmerer: Karl"). */
  caption?: string;
}

export interface ReadableField {
  column: string;
  label: string;
  pieces: ReadablePiece[];
}

export interface ReadableSection {
  key: string;
  heading: string;
  about: string;
  records: ReadableField[][];
}

/** Value words that belong to a feature's own vocabulary, by column name. */
const VOCABULARY: Readonly<Record<string, string>> = {
  topics: 'mentoring.topic.',
  skills: 'volunteer.skill.',
  contact_preference: 'mentoring.contact.',
};
/** Columns that hold language codes. */
const LANGUAGE_COLUMNS = new Set(['languages', 'locale']);

export const sectionHeadingKey = (exportKey: string) => `privacyData.section.${exportKey}`;
export const sectionAboutKey = (exportKey: string) => `privacyData.about.${exportKey}`;
export const fieldKey = (column: string) => `privacyData.field.${column}`;
export const labelKey = (key: string) => `privacyData.label.${key}`;

/** Whether the readable page shows a column: a person's id says nothing to a reader (the
 * person is the reader, or is named by a label), and a column with a label shows the label. */
export function shownOnPage(column: ColumnDeclaration): boolean {
  return column.kind !== 'person' && !column.label;
}

/** A message for a key computed from the declaration (a test demands each in every language). */
const wordsOf = (t: Translator) => (key: string) => (t.has(key) ? t(key as TextKey) : key);

/** The sections of My data's overview: heading, what it is, how many records. */
export function readableCounts(counts: ReadonlyArray<{ key: string; count: number }>, t: Translator): Array<{ key: string; heading: string; about: string; count: number }> {
  const words = wordsOf(t);
  return counts.map(({ key, count }) => ({ key, heading: words(sectionHeadingKey(key)), about: words(sectionAboutKey(key)), count }));
}

export function readableExport(data: PersonalData, t: Translator, timeZone: string): ReadableSection[] {
  const words = wordsOf(t);
  const format = formatter(t, timeZone);
  return data.sections.map((section) => {
    const declaration: TableDeclaration = PERSONAL_DATA[section.table];
    return {
      key: section.key,
      heading: words(sectionHeadingKey(section.key)),
      about: words(sectionAboutKey(section.key)),
      records: section.records.map((record) => {
        const fields: ReadableField[] = [];
        for (const [column, declared] of Object.entries(declaration.columns)) {
          if (!(column in record)) continue;
          if (declared.label) {
            const context = record[declared.label.key];
            if (context) fields.push({ column: declared.label.key, label: words(labelKey(declared.label.key)), pieces: format.label(declared.label, context as ExportRecord) });
            continue;
          }
          if (!shownOnPage(declared)) continue;
          fields.push({ column, label: words(fieldKey(column)), pieces: format.value(column, declared, record[column]) });
        }
        return fields;
      }),
    };
  });
}

function formatter(t: Translator, timeZone: string) {
  const locale = t.locale;
  const words = (key: string) => (t.has(key) ? t(key as TextKey) : null);
  const plain = (text: string): ReadablePiece => ({ text, typed: false });
  const typed = (text: string): ReadablePiece => ({ text, typed: true });

  const code = (column: string, value: string): ReadablePiece => {
    if (LANGUAGE_COLUMNS.has(column)) return plain(languageName(locale, value));
    const prefix = VOCABULARY[column];
    const said = (prefix && words(prefix + value)) || words(`privacyData.value.${value}`);
    return said ? plain(said) : typed(value);
  };

  const value = (column: string, declared: ColumnDeclaration, raw: unknown): ReadablePiece[] => {
    if (raw === null || raw === undefined || raw === '') return [plain('–')];
    if (declared.export === 'existence') return [plain(t(raw ? 'privacyData.isSet' : 'privacyData.notSet'))];
    if (raw instanceof Date) return [plain(formatDateTime(locale, timeZone, raw))];
    if (typeof raw === 'boolean') return [plain(t(raw ? 'privacyData.yes' : 'privacyData.no'))];
    if (typeof raw === 'number') return [plain(formatNumber(locale, raw))];
    if (Array.isArray(raw)) return raw.length === 0 ? [plain('–')] : raw.map((item) => (typeof item === 'string' ? code(column, item) : typed(JSON.stringify(item))));
    if (typeof raw === 'object') {
      const entries = Object.entries(raw as Record<string, unknown>);
      return entries.length === 0 ? [plain('–')] : entries.map(([key, inner]) => ({ caption: key, text: typeof inner === 'string' ? inner : JSON.stringify(inner), typed: true }));
    }
    const text = String(raw);
    // Statuses and the like are codes with words; what people wrote stays as they wrote it.
    return declared.kind === 'fact' || declared.kind === 'technical' ? [code(column, text)] : [typed(text)];
  };

  /** A label's record: its names and titles, its time (a start and an end as one range), and
   * nested labels with their caption. */
  const label = (declared: ExportLabel, record: ExportRecord): ReadablePiece[] => {
    const target = declarationOf(declared.table);
    const pieces: ReadablePiece[] = [];
    const start = record.starts_at;
    const end = record.ends_at;
    if (start instanceof Date) {
      const when = end instanceof Date ? formatWhen(locale, timeZone, start, end) : null;
      pieces.push(plain(when ? [when.date, when.time].filter(Boolean).join(whenSeparator(locale)) : formatDateTime(locale, timeZone, start)));
    }
    for (const column of declared.columns) {
      if (column === 'starts_at' || column === 'ends_at') continue;
      const inner = target.columns[column]?.label;
      if (inner) {
        const nested = record[inner.key];
        // The caption once, before the first piece: "Activity: Sprachcafé · Thursday, …".
        if (nested) pieces.push(...label(inner, nested as ExportRecord).map((piece, i) => (i === 0 ? { ...piece, caption: t(labelKey(inner.key) as TextKey) } : piece)));
        continue;
      }
      const raw = record[column];
      if (raw === null || raw === undefined || raw === '') continue;
      pieces.push(raw instanceof Date ? plain(formatDateTime(locale, timeZone, raw)) : typed(String(raw)));
    }
    // The time last: "Sprachcafé · Thursday, 10 December, 18:00–20:00".
    return start instanceof Date ? [...pieces.slice(1), pieces[0]!] : pieces;
  };

  return { value, label };
}
