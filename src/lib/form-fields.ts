// Which fields a form has, as its components render them: name → element id and label. The
// error summary reads it to name each wrong field and link to it, whatever id the field was
// given (two forms on one page give their fields ids of their own). Kept per PageForm object,
// which lives for one request.
import type { PageForm } from './page.ts';

export interface RenderedField {
  id: string;
  /** The label or legend, in the reader's language. */
  label: string;
}

const fieldsByForm = new WeakMap<PageForm, Map<string, RenderedField>>();

/** Called by Field, ChoiceGroup and the like while they render. */
export function registerField(form: PageForm, name: string, field: RenderedField): void {
  let fields = fieldsByForm.get(form);
  if (!fields) fieldsByForm.set(form, (fields = new Map()));
  if (!fields.has(name)) fields.set(name, field);
}

export function renderedField(form: PageForm, name: string): RenderedField | undefined {
  return fieldsByForm.get(form)?.get(name);
}
