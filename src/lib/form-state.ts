// What a form shows after it was posted: the messages per field, a message for the whole form,
// and the values the person typed (never passwords or tokens), carried across the
// post/redirect/get step in a short-lived cookie so that a refresh does not post again.
import type { Params, PluralKey, TextKey } from '../i18n/index.ts';

export interface FormMessage {
  key: string;
  /** For plural messages, e.g. the minutes to wait. */
  count?: number;
  params?: Params;
  /** The id of the part of the page the form came back at (`_anchor`), where the page may show
   * the message instead of at the top. */
  anchor?: string;
}

export interface FormState {
  action: string;
  ok: boolean;
  fields: Record<string, string>;
  form: FormMessage | null;
  values: Record<string, string>;
}

/** What a successful form action returns: where to go next and what to say there. */
export interface ActionOutcome {
  redirect?: string;
  flash?: { key: TextKey | PluralKey; params?: Params; count?: number };
}

/** What a service refused: messages for named fields and/or one for the whole form. */
export interface Refusal {
  fields?: Record<string, string | undefined>;
  form?: FormMessage;
}

/** The JSON carried in an ActionError's message when a service refuses. */
export function refusalMessage(refusal: Refusal): string {
  return JSON.stringify(refusal);
}

export function parseRefusalMessage(message: string): { fields: Record<string, string>; form: FormMessage | null } | null {
  try {
    const parsed = JSON.parse(message) as Refusal;
    if (!parsed || (typeof parsed.fields !== 'object' && typeof parsed.form !== 'object')) return null;
    const fields = Object.fromEntries(Object.entries(parsed.fields ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return { fields, form: parsed.form && typeof parsed.form.key === 'string' ? parsed.form : null };
  } catch {
    return null;
  }
}

const SECRET_FIELD = /password|token|secret/i;

/** Checkboxes sharing a name (e.g. languages) come back comma-separated. */
export function keptValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value !== 'string' || name.startsWith('_') || SECRET_FIELD.test(name)) continue;
    const kept = value.slice(0, 500);
    values[name] = name in values ? `${values[name]},${kept}` : kept;
  }
  return values;
}

/**
 * Only paths on this site: an outcome or a ?next= must never send a person elsewhere.
 * Browsers drop tabs and newlines from a Location and read "\\" as "/", so "/\t/evil.example"
 * would leave the site: such characters are refused outright, then the path must resolve to
 * this origin — and stay a path once resolved: "/.//evil.example" resolves to
 * "//evil.example", which a browser reads as another site.
 */
export function safeRedirectPath(path: unknown, fallback = '/'): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(path)) return fallback;
  const base = 'http://portal.invalid';
  const url = new URL(path, base);
  if (url.origin !== base || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}
