// Messages for mentoring pages and mails, in every language. German defines the keys; the other
// languages must supply each of them (FeatureCatalogue checks that).
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {} as const;

export const en: FeatureCatalogue<typeof de> = {};
export const ar: FeatureCatalogue<typeof de> = {};
export const uk: FeatureCatalogue<typeof de> = {};
export const tr: FeatureCatalogue<typeof de> = {};
export const fa: FeatureCatalogue<typeof de> = {};
