// A feature's share of the catalogue in one language: the same keys as its German part, each a
// string or plural forms like the German one.
import type { PluralForms } from '../index.ts';

export type FeatureCatalogue<Source> = { [K in keyof Source]: Source[K] extends string ? string : PluralForms };
