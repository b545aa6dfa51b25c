// Filling a message's placeholders and picking its plural form: shared by the server's
// translator (index.ts) and islands, which receive only the messages they need and must not
// import the catalogues.
export type Params = Record<string, string | number>;
/** A plural message: one form per Intl.PluralRules category; 'other' is always there. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export function fillMessage(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The form of `forms` for `count`, filled, with the count written in the language's digits. */
export function fillPlural(forms: PluralForms, rules: Intl.PluralRules, numbers: Intl.NumberFormat, count: number, params?: Params): string {
  const form = forms[rules.select(count)] ?? forms.other;
  return fillMessage(form, { ...params, count: numbers.format(count) });
}
