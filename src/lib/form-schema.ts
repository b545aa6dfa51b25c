// Zod building blocks for HTML forms. Messages are message keys (see src/i18n), translated
// next to the field by the page. Empty form fields arrive as null; we treat them as ''.
// Every field is bounded (a maximum length, a maximum count) and clean: what no keyboard types
// (a NUL, other control characters, bidi embeddings and overrides) is dropped, and single-line
// fields keep no line break. Forms use requiredLine/optionalLine for an <input>,
// requiredText/optionalText for a <textarea>, idField for every id.
import { z } from 'astro/zod';
import { LOCALES } from '../db/schema.ts';
import { MAX_ID, parseId } from './ids.ts';

/** C0 and C1 control characters but tab, line feed and carriage return: no keyboard types
 * them, and PostgreSQL refuses a NUL in text. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): one in a name turns
 * the text after it around ("\u202Egnp.exe" shows as "exe.png"). The marks U+200E and U+200F,
 * which phones put into right-to-left text, stay. Names are shown inside an isolate anyway. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** What ends a line, with the spaces and tabs around it. */
const LINE_BREAK = /[ \t]*[\n\v\f\r\u0085\u2028\u2029]+[ \t]*/g;

/** Text of a <textarea>: line breaks and tabs stay; control characters and bidi embeddings go. */
export function cleanText(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '').replace(BIDI_CONTROLS, '');
}

/** Text of a single-line field (a title, a place, a name): what ends a line becomes a space
 * (an address pasted from two lines), tabs too; control characters and bidi embeddings go. */
export function cleanLine(value: string): string {
  return cleanText(value.replace(LINE_BREAK, ' ')).replace(/\t/g, ' ');
}

/** The message of an id that names nothing: the form middleware answers 404, as it does when
 * the service finds the object belongs to someone else. */
export const NOT_FOUND = 'error.notFound';

const text = (clean: (value: string) => string) =>
  z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? clean(v) : v), z.string());

/** A single line (an <input>): a title, a place, a name. */
export const requiredLine = (max: number, tooLong: string = 'error.name.tooLong') =>
  text(cleanLine).pipe(z.string().trim().min(1, { error: 'error.required' }).max(max, { error: tooLong }));

export const optionalLine = (max: number, tooLong: string = 'error.name.tooLong') => text(cleanLine).pipe(z.string().trim().max(max, { error: tooLong }));

/** Text that may run over several lines (a <textarea>): a description, a note, a message. */
export const requiredText = (max: number, tooLong: string = 'error.name.tooLong') =>
  text(cleanText).pipe(z.string().trim().min(1, { error: 'error.required' }).max(max, { error: tooLong }));

export const optionalText = (max: number, tooLong: string = 'error.name.tooLong') => text(cleanText).pipe(z.string().trim().max(max, { error: tooLong }));

/**
 * The id of a row, from a hidden field or a choice: digits that PostgreSQL's integer can hold.
 * Anything else ("2147483648", "1e3", "abc") names nothing and gets NOT_FOUND, which the form
 * middleware answers with 404 — never a database error.
 */
export const idField = () =>
  z.preprocess(
    (v) => (typeof v === 'number' ? v : typeof v === 'string' ? (parseId(v.trim()) ?? Number.NaN) : Number.NaN),
    z.number({ error: NOT_FOUND }).int({ error: NOT_FOUND }).positive({ error: NOT_FOUND }).max(MAX_ID, { error: NOT_FOUND }),
  );

/**
 * Several checkboxes with one name; none ticked gives []. Astro collects them when the field's
 * schema is a plain array (a default keeps it recognisable). A browser sends each value once,
 * so a list longer than the choices is refused.
 */
export const choiceList = <T extends string>(allowed: readonly T[]) =>
  z.array(z.enum(allowed as unknown as [T, ...T[]], { error: 'error.choices.invalid' })).max(allowed.length, { error: 'error.choices.invalid' }).default([]);

/** One checkbox: ticked, a browser sends its value ("on" unless the form sets one); unticked,
 * nothing at all. */
export const checkboxField = () => z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean());

/** E-mail addresses are compared and stored in lower case. */
export const emailField = () =>
  text(cleanLine).pipe(
    z
      .string()
      .trim()
      .min(1, { error: 'error.required' })
      .max(254, { error: 'error.email.invalid' })
      .pipe(z.email({ error: 'error.email.invalid' }))
      .transform((v) => v.toLowerCase()),
  );

/** Passwords are taken as typed (no trimming: a space can be part of one), up to the 256
 * characters a new one may have: no account has a longer one. */
export const passwordField = () =>
  z.preprocess((v) => v ?? '', z.string().min(1, { error: 'error.required' }).max(256, { error: 'error.password.tooLong' }));

/** Whether a typed web address is one a link can point to: http or https, and nothing a
 * browser would change (a space left inside would become %20, another link than meant). */
function isWebAddress(value: string): boolean {
  if (/\s/.test(value) || !URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
}

/** A web address, up to 500 characters; empty is null. What no keyboard types goes first, as
 * in any line. */
export const optionalWebAddress = () =>
  text(cleanLine).pipe(
    z
      .string()
      .trim()
      .max(500, { error: 'error.url.invalid' })
      .refine((v) => v === '' || isWebAddress(v), { error: 'error.url.invalid' })
      .transform((v) => (v === '' ? null : v)),
  );

/** A web address that must be given. */
export const requiredWebAddress = () =>
  text(cleanLine).pipe(
    z
      .string()
      .trim()
      .min(1, { error: 'error.required' })
      .max(500, { error: 'error.url.invalid' })
      // Empty is said once, by min.
      .refine((v) => v === '' || isWebAddress(v), { error: 'error.url.invalid' }),
  );

export const localeField = () => text(cleanLine).pipe(z.enum(LOCALES, { error: 'error.locale.invalid' }));
