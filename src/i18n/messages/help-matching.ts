// Messages for matching helpers to help requests: the volunteer profile's help offer, the reasons a
// helper fits, the mail telling a fitting helper, a coordinator asking one directly.
// German defines the keys; FeatureCatalogue makes every other language supply each of them.
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
} as const;

export const en: FeatureCatalogue<typeof de> = {
};

export const ar: FeatureCatalogue<typeof de> = {
};

export const uk: FeatureCatalogue<typeof de> = {
};

export const tr: FeatureCatalogue<typeof de> = {
};

export const fa: FeatureCatalogue<typeof de> = {
};
