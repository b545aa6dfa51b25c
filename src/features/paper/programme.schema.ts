// The printable programme's own choices, as GET parameters beside the browse filters: the first
// day, a week or a month, the sheet's language and whether German stands beside it. Only the
// first day is typed, so only it can be wrong, and it says so next to the field; a span or a
// language nobody offers (an edited link) falls back to the default, as the browse filters do.
import { z } from 'astro/zod';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { PROGRAMME_SPANS, type ProgrammeSpan } from './period.ts';

/** "2026-12-14" as <input type="date"> sends it, or "14.12.2026" as people write it. */
const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const WRITTEN_DAY = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$/;

/** The day as "YYYY-MM-DD" when it exists in the calendar, else null. */
export function parseDayInput(typed: string): string | null {
  const iso = ISO_DAY.exec(typed);
  const written = iso ? null : WRITTEN_DAY.exec(typed);
  const parts = iso ? [iso[1], iso[2], iso[3]] : written ? [written[3], written[2], written[1]] : null;
  if (!parts) return null;
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1000 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export interface ProgrammeChoice {
  /** The first day, "YYYY-MM-DD". */
  start: string;
  span: ProgrammeSpan;
  /** The sheet's language; with `bilingual`, German stands beside it. */
  language: Locale;
  bilingual: boolean;
}

const flag = z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean());

/**
 * The choices from the query string. `today` is the town's calendar day: the programme shows
 * what is still to come, so it starts today at the earliest. An empty first day means today.
 */
export function programmeInput(context: { today: string; pageLocale: Locale }) {
  return z.object({
    start: z
      .preprocess((v) => (typeof v === 'string' ? v.trim().slice(0, 40) : ''), z.string())
      .transform((typed, ctx) => {
        if (typed === '') return context.today;
        const day = parseDayInput(typed);
        if (day === null) {
          ctx.addIssue({ code: 'custom', message: 'paper.error.startInvalid' });
          return z.NEVER;
        }
        if (day < context.today) {
          ctx.addIssue({ code: 'custom', message: 'paper.error.startPast' });
          return z.NEVER;
        }
        return day;
      }),
    span: z.preprocess((v) => ((PROGRAMME_SPANS as readonly unknown[]).includes(v) ? v : 'week'), z.enum(PROGRAMME_SPANS)),
    language: z.preprocess((v) => (isLocale(v) ? v : context.pageLocale), z.custom<Locale>(isLocale)),
    bilingual: flag,
  });
}

/** The query string's choices, or the message key of what is wrong by field. */
export function parseProgrammeChoice(params: URLSearchParams, context: { today: string; pageLocale: Locale }): { ok: true; choice: ProgrammeChoice } | { ok: false; errors: Record<string, string> } {
  const parsed = programmeInput(context).safeParse({ start: params.get('start'), span: params.get('span'), language: params.get('lang'), bilingual: params.get('bilingual') });
  if (parsed.success) return { ok: true, choice: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'start');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
