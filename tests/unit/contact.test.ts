// How visitors reach an organiser: phone numbers in the forms people really type them, links a
// phone can dial, and which contact an activity shows (its own, or its organisation's).
import { describe, expect, it } from 'vitest';
import { effectiveContact, mailtoHref, parsePhone } from '../../src/features/organisations/contact.ts';
import { contactInput } from '../../src/features/organisations/organisations.schema.ts';

describe('phone numbers', () => {
  it.each([
    ['+49 2352 123456', '+49 2352 123456', 'tel:+492352123456'],
    ['+49 (0) 2352 12 34-56', '+49 (0) 2352 12 34-56', 'tel:+492352123456'],
    ['+49(0)2352/123456', '+49(0)2352/123456', 'tel:+492352123456'],
    ['0049 2352 123456', '0049 2352 123456', 'tel:+492352123456'],
    ['02352 123456', '02352 123456', 'tel:02352123456'],
    ['  +380   44 123 4567 ', '+380 44 123 4567', 'tel:+380441234567'],
    ['(02352) 92 78-0', '(02352) 92 78-0', 'tel:0235292780'],
    ['+90.212.555.01.23', '+90.212.555.01.23', 'tel:+902125550123'],
  ])('takes %j, shows %j and dials %j', (typed, shown, href) => {
    expect(parsePhone(typed)).toEqual({ display: shown, href });
  });

  it.each(['ruf mich an', '12345', '+49 2352 1234567890123', '+49 +2352 123456', '2352 123456 ext. 12', '+', '', '0049'])('refuses %j', (typed) => {
    expect(parsePhone(typed)).toBeNull();
  });
});

describe('the contact form fields', () => {
  it('keeps what was typed (tidied), lower-cases the address, and makes empty fields null', () => {
    expect(contactInput.parse({ contactPhone: ' +49 2352  123456 ', contactEmail: 'Info@Stellwerk.Example' })).toEqual({
      contactPhone: '+49 2352 123456',
      contactEmail: 'info@stellwerk.example',
    });
    expect(contactInput.parse({ contactPhone: null, contactEmail: '  ' })).toEqual({ contactPhone: null, contactEmail: null });
  });

  it('says which field is wrong, in message keys the pages translate', () => {
    const result = contactInput.safeParse({ contactPhone: 'abends', contactEmail: 'kein-at-zeichen' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['contactPhone', 'error.phone.invalid'],
      ['contactEmail', 'error.email.invalid'],
    ]);
  });
});

describe('which contact an activity shows', () => {
  const organisation = { contact_phone: '+49 2352 100', contact_email: 'info@verein.example' };
  const none = { contact_phone: null, contact_email: null };

  it("shows the activity's own phone and address when it has one, never mixed with the organisation's", () => {
    expect(effectiveContact({ contact_name: 'Jana', contact_phone: null, contact_email: 'jana@verein.example' }, organisation)).toEqual({
      name: 'Jana',
      phone: null,
      email: 'jana@verein.example',
      fromOrganisation: false,
    });
  });

  it("falls back to the organisation's, with the activity's contact person", () => {
    expect(effectiveContact({ contact_name: 'Jana', contact_phone: null, contact_email: null }, organisation)).toEqual({
      name: 'Jana',
      phone: '+49 2352 100',
      email: 'info@verein.example',
      fromOrganisation: true,
    });
    expect(effectiveContact({ contact_name: null, contact_phone: null, contact_email: null }, organisation)).toMatchObject({ name: null, fromOrganisation: true });
  });

  it('is a name alone, or nothing at all, when nobody gave a phone or address', () => {
    expect(effectiveContact({ contact_name: 'Jana', contact_phone: null, contact_email: null }, none)).toEqual({ name: 'Jana', phone: null, email: null, fromOrganisation: false });
    expect(effectiveContact({ contact_name: null, contact_phone: null, contact_email: null }, none)).toBeNull();
  });

  it('writes mailto links that survive any address', () => {
    expect(mailtoHref('info+kurs@verein.example')).toBe('mailto:info%2Bkurs@verein.example');
  });
});
