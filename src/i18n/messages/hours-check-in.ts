// Messages for checking volunteers in at a shift (the roles page and the door).
// German defines the keys; FeatureCatalogue makes every other language supply each of them.
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
};

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
