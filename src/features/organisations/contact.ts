// How visitors reach an organiser. An organisation has a public phone number and/or e-mail
// address; an activity may name its own contact person and give its own phone or address,
// which then stand in for the organisation's. Phone numbers are taken the way people write
// them ("+49 (0) 2352 12 34-56", "0049 …", "02352 …") and shown as typed; the link a phone
// dials keeps only the digits.

/** Long enough for "+49 (0) 2352 / 12 34 56-78" with room to spare. */
export const PHONE_MAX_LENGTH = 40;

/** E.164 allows at most 15 digits; fewer than 6 is no number one could call from outside. */
const MIN_DIGITS = 6;
const MAX_DIGITS = 15;

/**
 * A phone number as shown (whitespace tidied) and as a `tel:` link, or null when it is not
 * one: only digits, spaces and ( ) . / - after an optional leading +; "00" counts as "+";
 * the trunk "(0)" after a country code is not dialled.
 */
export function parsePhone(typed: string): { display: string; href: string } | null {
  const display = typed.trim().replace(/\s+/g, ' ');
  if (display.length === 0 || display.length > PHONE_MAX_LENGTH) return null;
  if (!/^\+?[0-9 ()./-]+$/.test(display)) return null;
  let international = display.startsWith('+');
  const rest = international ? display.slice(1).replace(/\(\s*0\s*\)/, '') : display;
  let digits = rest.replace(/\D/g, '');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return null;
  return { display, href: `tel:${international ? '+' : ''}${digits}` };
}

/** The `tel:` link of a stored number (stored numbers were checked by parsePhone). */
export function telHref(phone: string): string {
  return parsePhone(phone)?.href ?? `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** A `mailto:` link; the local part is encoded, since "+" reads as a space in some clients. */
export function mailtoHref(email: string): string {
  const at = email.lastIndexOf('@');
  return `mailto:${encodeURIComponent(email.slice(0, at))}${email.slice(at)}`;
}

export interface Contact {
  name: string | null;
  phone: string | null;
  email: string | null;
  /** The phone and address are the organisation's, since the activity has none of its own. */
  fromOrganisation: boolean;
}

/**
 * The contact an activity shows: its own phone and address when it has either (never mixed
 * with the organisation's), otherwise the organisation's; the contact person is always the
 * activity's. Null when there is nothing to show.
 */
export function effectiveContact(
  activity: { contact_name: string | null; contact_phone: string | null; contact_email: string | null },
  organisation: { contact_phone: string | null; contact_email: string | null },
): Contact | null {
  const name = activity.contact_name || null;
  if (activity.contact_phone || activity.contact_email) {
    return { name, phone: activity.contact_phone || null, email: activity.contact_email || null, fromOrganisation: false };
  }
  if (organisation.contact_phone || organisation.contact_email) {
    return { name, phone: organisation.contact_phone || null, email: organisation.contact_email || null, fromOrganisation: true };
  }
  return name ? { name, phone: null, email: null, fromOrganisation: false } : null;
}
