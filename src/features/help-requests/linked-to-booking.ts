// The interpreting request that belongs to a consultation booking in a language nobody on duty
// speaks: made in the booking's transaction, read back as "looked for" / "found: <first name>",
// and withdrawn whenever the booking ends (the person or their booker cancels, the office
// cancels the hour, or "I can't come" from the reminder) — the one rule for all of those paths.
// A helper who had taken it is told by mail that they are no longer needed.
import type { Kysely, Transaction } from 'kysely';
import type { Database, Locale } from '../../db/schema.ts';
import type { RequestOrigin } from '../accounts/accounts.service.ts';
import { firstName } from '../accounts/first-name.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { DEFAULT_LOCALE, localePath } from '../../i18n/locales.ts';
import { translator, type TextKey } from '../../i18n/index.ts';
import { createHelpRequest } from './help-requests.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface BookingForInterpreter {
  bookingId: number;
  newcomerId: number;
  /** The Kümmerer or coordinator who booked on the newcomer's behalf, else null. */
  bookedById: number | null;
  startsAt: Date;
  organisationName: string;
  remote: boolean;
  place: string;
  topic: string;
  language: string;
}

/**
 * Opens the interpreting request for a booking (inside the booking's transaction). Helpers read
 * it on /help-wanted in the town's language: the place (or "by phone or video"), and as note
 * the organisation and the topic — never the person's own note, which is for the office only.
 */
export async function openInterpreterRequest(trx: Transaction<Database>, booking: BookingForInterpreter, origin: RequestOrigin, now: Date): Promise<number> {
  const t = translator(DEFAULT_LOCALE);
  const where = booking.remote ? t('consultations.remote') : booking.place;
  return createHelpRequest(
    trx,
    {
      asker_user_id: booking.newcomerId,
      posted_by_user_id: booking.bookedById,
      kind: 'interpreting',
      starts_at: booking.startsAt,
      week_of: null,
      district: where.slice(0, 100),
      address: booking.remote ? '' : booking.place,
      languages: [booking.language],
      note: `${booking.organisationName} · ${t('consultations.topic')}: ${t(`consultations.topic.${booking.topic}` as TextKey)}`,
      consultation_booking_id: booking.bookingId,
      status: 'open',
      created_at: now,
      updated_at: now,
    },
    origin,
    now,
  );
}

/** Where the interpreting for a booking stands, as the booking's pages show it. */
export type InterpreterState = { state: 'looking' } | { state: 'found'; helperName: string } | { state: 'none' };

/** The interpreter state of each booking that needed one, by booking id. */
export async function interpreterStates(db: Db, bookingIds: readonly number[]): Promise<Map<number, InterpreterState>> {
  const states = new Map<number, InterpreterState>();
  if (bookingIds.length === 0) return states;
  const rows = await db
    .selectFrom('help_request')
    .leftJoin('app_user', 'app_user.id', 'help_request.helper_user_id')
    .select(['help_request.consultation_booking_id', 'help_request.status', 'app_user.display_name'])
    .where('help_request.consultation_booking_id', 'in', [...bookingIds])
    .execute();
  for (const row of rows) {
    const id = row.consultation_booking_id!;
    if (row.status === 'open') states.set(id, { state: 'looking' });
    else if ((row.status === 'taken' || row.status === 'done') && row.display_name) states.set(id, { state: 'found', helperName: firstName(row.display_name) });
    else states.set(id, { state: 'none' });
  }
  return states;
}

/**
 * The booking has ended: its interpreting request is withdrawn if it is still open or taken;
 * the helper who had taken it is told, in their language, that they are no longer needed.
 * Call it in the transaction that cancels the booking. Returns whether a request was withdrawn.
 */
export async function withdrawInterpreterRequest(trx: Transaction<Database>, bookingId: number, origin: Pick<RequestOrigin, 'baseUrl'>, now: Date): Promise<boolean> {
  const request = await trx
    .selectFrom('help_request')
    .select(['id', 'kind', 'status', 'asker_user_id', 'helper_user_id', 'starts_at'])
    .where('consultation_booking_id', '=', bookingId)
    .where('status', 'in', ['open', 'taken'])
    .forUpdate()
    .executeTakeFirst();
  if (!request) return false;
  await trx.updateTable('help_request').set({ status: 'withdrawn', updated_at: now }).where('id', '=', request.id).execute();
  if (request.status === 'taken' && request.helper_user_id !== null) {
    const [helper, asker] = await Promise.all([
      trx.selectFrom('app_user').select(['id', 'email', 'display_name', 'locale']).where('id', '=', request.helper_user_id).executeTakeFirstOrThrow(),
      trx.selectFrom('app_user').select(['id', 'display_name']).where('id', '=', request.asker_user_id).executeTakeFirstOrThrow(),
    ]);
    await enqueueMessage(trx, {
      kind: 'help_request_withdrawn_helper',
      recipientUserId: helper.id,
      recipientEmail: helper.email,
      locale: helper.locale as Locale,
      payload: {
        name: firstName(helper.display_name),
        otherName: firstName(asker.display_name),
        kind: request.kind,
        startsAt: request.starts_at?.toISOString() ?? null,
        url: `${origin.baseUrl}${localePath(helper.locale as Locale, '/help-wanted')}`,
      },
      aboutUserId: asker.id,
    });
  }
  return true;
}
