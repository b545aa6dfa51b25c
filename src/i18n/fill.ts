// Filling a message's placeholders and picking its plural form: shared by the server's
// translator (index.ts) and islands, which receive only the messages they need and must not
// import the catalogues.
export type Params = Record<string, string | number>;
/** A plural message: one form per Intl.PluralRules category; 'other' is always there. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
/** How a value goes into a message (the translator writes numbers in the language's digits
 * and isolates text in right-to-left languages). */
export type Put = (value: string | number) => string;

export function fillMessage(template: string, params: Params | undefined, put: Put = String): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? put(params[name]!) : whole,
  );
}

/** The form of `forms` for `count`, filled, with numbers written in the language's digits. */
export function fillPlural(
  forms: PluralForms,
  rules: Intl.PluralRules,
  numbers: Intl.NumberFormat,
  count: number,
  params?: Params,
  put: Put = (value) => (typeof value === 'number' ? numbers.format(value) : value),
): string {
  const form = forms[rules.select(count)] ?? forms.other;
  return fillMessage(form, { ...params, count }, put);
}
