// The consent forms: the box a person ticks, the date a coordinator types for a form signed on
// paper, and the buttons that record or withdraw one. Messages are message keys.
import { z } from 'astro/zod';
import { checkboxField, idField, NOT_FOUND } from '../../lib/form-schema.ts';
import { ALL_CONSENT_PURPOSES } from './consent.records.ts';

/** A box that must be ticked; unticked, the form says `missing` next to it. Its output is
 * true for a ticked box, so a service can ask again. */
export const tickedBox = (missing: string) => checkboxField().refine((ticked) => ticked, { error: missing });

/** The day a paper form was signed, as an <input type="date"> sends it ("2026-12-07"); the
 * service checks it against today and the person's registration. */
export const signedOnField = () => z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'error.date.invalid' }));

const purposeField = () => z.enum(ALL_CONSENT_PURPOSES, { error: NOT_FOUND });

/** A coordinator records a consent a person the coordination looks after signed on paper. */
export const recordPaperConsentInput = z.object({
  personId: idField(),
  purpose: purposeField(),
  consentSignedOn: signedOnField(),
});
export type RecordPaperConsentInput = z.output<typeof recordPaperConsentInput>;

/** The person (or a coordinator they told) withdraws a consent. */
export const withdrawConsentInput = z.object({ consentId: idField() });
