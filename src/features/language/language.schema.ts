import { z } from 'astro/zod';
import { localeField } from '../../lib/form-schema.ts';

/** A language chosen from the menu or the offer, and the page (without its language prefix,
 * query included) to show in it. Anything but a path of this site means the start page. */
export const chooseLanguageInput = z.object({
  locale: localeField(),
  path: z.preprocess(
    (v) => (typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && v.length <= 2000 ? v : '/'),
    z.string(),
  ),
});
