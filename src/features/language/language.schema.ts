import { z } from 'astro/zod';
import { localeField } from '../../lib/form-schema.ts';
import { safeRedirectPath } from '../../lib/form-state.ts';

/** The longest page address kept; a longer one means the start page. */
const MAX_PATH = 2000;

/** A language chosen from the menu or the offer, and the page (without its language prefix,
 * query included) to show in it. Anything but a path of this site means the start page; a
 * path keeps no control character, and whatever is not ASCII is percent-encoded. */
export const chooseLanguageInput = z.object({
  locale: localeField(),
  path: z.preprocess((v) => {
    const path = typeof v === 'string' && v.length <= MAX_PATH ? safeRedirectPath(v) : '/';
    return path.length <= MAX_PATH ? path : '/';
  }, z.string()),
});
