// The form of the retention periods (/admin/retention): one whole number per period, within
// its bounds; a wrong one gets a message naming the bounds, next to its field.
import { z } from 'astro/zod';
import { RETENTION_BOUNDS, type RetentionKey } from './retention-periods.ts';

const periodField = (key: RetentionKey) => {
  const { min, max } = RETENTION_BOUNDS[key];
  const error = `retention.error.${key}`;
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z
      .string()
      .regex(/^\d{1,4}$/, { error })
      .transform(Number)
      .refine((n) => n >= min && n <= max, { error }),
  );
};

const keys = Object.keys(RETENTION_BOUNDS) as RetentionKey[];

export const retentionPeriodsInput = z.object(Object.fromEntries(keys.map((key) => [key, periodField(key)])) as { [K in RetentionKey]: ReturnType<typeof periodField> });
