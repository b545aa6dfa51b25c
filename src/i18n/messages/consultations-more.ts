// Messages for booking consultation slots on someone's behalf, interpreters for bookings,
// reminders, walk-ins, and changing or cancelling consultation hours.
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
