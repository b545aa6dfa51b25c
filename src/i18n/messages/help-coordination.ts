// Messages for help requests on someone's behalf, shared contact details, thanks, the
// coordinators' overview and the day-before escalation, and help requests in calendar feeds.
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
