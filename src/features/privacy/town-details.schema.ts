// The forms of the town's legal details (/admin/town, see town-details.ts): one schema per
// section, each field with its message.
import { z } from 'astro/zod';
import { emailField, optionalLine, optionalText, optionalWebAddress, requiredLine, requiredText, requiredWebAddress } from '../../lib/form-schema.ts';
import { contactEmailField, contactPhoneField } from '../organisations/organisations.schema.ts';

export const ACCESSIBILITY_STATUSES = ['full', 'partial', 'none'] as const;
export type AccessibilityStatus = (typeof ACCESSIBILITY_STATUSES)[number];

/** A postal address over a few lines. */
const address = () => requiredText(500, 'town.error.tooLong500');

/** Who is responsible for the portal's data (Art. 4(7) GDPR), its data-protection officer,
 * the supervisory authority a person can complain to, and who processes data for it. */
export const controllerInput = z
  .object({
    controllerName: requiredLine(120),
    controllerAddress: address(),
    controllerEmail: emailField(),
    controllerPhone: contactPhoneField(),
    dpoName: requiredLine(120),
    dpoEmail: contactEmailField(),
    dpoAddress: optionalText(500, 'town.error.tooLong500'),
    supervisoryAuthority: optionalLine(120),
    supervisoryUrl: optionalWebAddress(),
    processors: optionalText(2000, 'town.error.tooLong2000'),
  })
  .superRefine((input, ctx) => {
    // Art. 37(7) GDPR: the officer's contact is published; an address or a mailbox will do.
    if (!input.dpoEmail && !input.dpoAddress) ctx.addIssue({ code: 'custom', path: ['dpoEmail'], message: 'town.error.dpoContact' });
  });

/** The legal notice (Impressum): § 5 DDG for the provider, § 18(2) MStV for the content. */
export const legalNoticeInput = z.object({
  noticeProvider: requiredLine(120),
  noticeRepresentative: optionalLine(120),
  noticeAddress: address(),
  noticeEmail: emailField(),
  noticePhone: contactPhoneField(),
  noticeRegister: optionalLine(120),
  noticeVatId: optionalLine(120),
  contentResponsible: requiredText(500, 'town.error.tooLong500'),
});

/** The accessibility statement (Erklärung zur Barrierefreiheit). */
export const accessibilityInput = z
  .object({
    accessibilityStatus: z.preprocess((v) => v ?? '', z.enum(ACCESSIBILITY_STATUSES, { error: 'town.error.status' })),
    knownIssues: optionalText(4000, 'town.error.tooLong4000'),
    feedbackEmail: emailField(),
    feedbackPhone: contactPhoneField(),
    enforcementName: requiredLine(120),
    enforcementAddress: address(),
    enforcementUrl: requiredWebAddress(),
  })
  .superRefine((input, ctx) => {
    // A site that is not fully accessible must say what is not, and why.
    if (input.accessibilityStatus !== 'full' && !input.knownIssues) ctx.addIssue({ code: 'custom', path: ['knownIssues'], message: 'town.error.knownIssues' });
  });
