// Messages for what everyone meets on the portal's pages (error summary, language offer,
// activity cards and counts, "My activities", confirmation steps), in every language. German
// defines the keys; the other languages must supply each of them (FeatureCatalogue checks that).
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  // GOV.UK's error summary names the field: "Ihr Name: Bitte füllen Sie dieses Feld aus."
  'form.errorEntry': '{label}: {message}',
  // …and a label that is a question is followed by the message alone.
  'form.errorEntryQuestion': '{label} {message}',
};

export const en: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
};

export const ar: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
};

export const uk: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
};

export const tr: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
};

export const fa: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
};
