// Whom a person holding a claim sheet can ask: the coordination office. The portal has no
// field of its own for it; the coordination is the organisations in which the coordinator who
// prints the sheet holds the coordinator role (the Integration Office, Stellwerk), and their
// public contact (phone, e-mail, set on the organisation's page) is the office's. Where none of
// them has one, the town's own contact from the legal notice (/admin/town) stands in, so the
// sheet never sends anyone nowhere; where neither exists, there is nothing to print.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { loadTownDetails } from '../privacy/town-details.ts';

export interface OfficeContact {
  name: string;
  phone: string | null;
  email: string | null;
  /** A postal address over lines (only the town's has one). */
  address: string | null;
}

export async function loadCoordinationContact(db: Kysely<Database>, coordinatorId: number): Promise<OfficeContact[]> {
  const offices = await db
    .selectFrom('membership')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .select(['organisation.name', 'organisation.contact_phone', 'organisation.contact_email'])
    .where('membership.user_id', '=', coordinatorId)
    .where('membership.role', '=', 'coordinator')
    .where((eb) => eb.or([eb('organisation.contact_phone', 'is not', null), eb('organisation.contact_email', 'is not', null)]))
    .orderBy('organisation.name')
    .execute();
  if (offices.length > 0) return offices.map((o) => ({ name: o.name, phone: o.contact_phone || null, email: o.contact_email || null, address: null }));
  const town = (await loadTownDetails(db)).legalNotice;
  if (!town) return [];
  return [{ name: town.noticeProvider, phone: town.noticePhone || null, email: town.noticeEmail || null, address: town.noticeAddress || null }];
}
