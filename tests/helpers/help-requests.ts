// Help-request fixtures: a request posted through the service, as the form would.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { SessionUser } from '../../src/features/accounts/sessions.ts';
import type { RequestInput } from '../../src/features/help-requests/help-requests.schema.ts';
import { postRequest } from '../../src/features/help-requests/help-requests.service.ts';

export const HELP_NOTE = 'Termin wegen Aufenthaltstitel, bitte Reisepass mitbringen';
export const HELP_ADDRESS = 'Bismarckstraße 15, 58762 Altena';

export function helpForm(overrides: Partial<RequestInput> = {}): RequestInput {
  return {
    kind: 'interpreting',
    startsAt: new Date('2030-06-03T07:00:00Z'),
    district: 'Altena-Mitte',
    address: HELP_ADDRESS,
    languages: ['fa'],
    wantsWoman: false,
    needsCar: false,
    needsChildSeat: false,
    note: HELP_NOTE,
    forPerson: null,
    askerContact: '',
    healthConsent: false,
    ...overrides,
  };
}

export async function makeHelpRequest(db: Kysely<Database>, asker: SessionUser, overrides: Partial<RequestInput> = {}, now = new Date('2030-05-20T10:00:00Z')): Promise<number> {
  const result = await postRequest(db, asker, helpForm(overrides), 'Europe/Berlin', { ip: '192.0.2.1', baseUrl: 'https://ankommen.example' }, now);
  if (!result.ok) throw new Error(`help request refused: ${JSON.stringify(result)}`);
  return result.requestId;
}
