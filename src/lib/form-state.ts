// What a form shows after it was posted: the messages per field, a message for the whole form,
// and the values the person typed (never passwords or tokens), carried across the
// post/redirect/get step in a short-lived cookie so that a refresh does not post again.
import type { Params, TextKey } from '../i18n/index.ts';

export interface FormMessage {
  key: string;
  /** For plural messages, e.g. the minutes to wait. */
  count?: number;
  params?: Params;
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
  flash?: { key: TextKey; params?: Params };
}

/** The JSON carried in an ActionError's message when a service refuses named fields. */
export function fieldErrorMessage(fields: Record<string, string | undefined>): string {
  return JSON.stringify({ fields });
}

export function parseFieldErrorMessage(message: string): Record<string, string> | null {
  try {
    const parsed = JSON.parse(message) as { fields?: Record<string, string> };
    return parsed && typeof parsed.fields === 'object' ? parsed.fields : null;
  } catch {
    return null;
  }
}

const SECRET_FIELD = /password|token|secret/i;

export function keptValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value === 'string' && !name.startsWith('_') && !SECRET_FIELD.test(name)) values[name] = value.slice(0, 500);
  }
  return values;
}

/**
 * Only paths on this site: an outcome or a ?next= must never send a person elsewhere.
 * Browsers drop tabs and newlines from a Location and read "\\" as "/", so "/\t/evil.example"
 * would leave the site: such characters are refused outright, then the path must resolve to
 * this origin.
 */
export function safeRedirectPath(path: unknown, fallback = '/'): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(path)) return fallback;
  const base = 'http://portal.invalid';
  const url = new URL(path, base);
  if (url.origin !== base) return fallback;
  return url.pathname + url.search + url.hash;
}
