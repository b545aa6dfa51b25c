// Whom the coordination looks after, as far as privacy goes: someone a coordinator registered
// (who may have no e-mail address), or a newcomer who asked for a Kümmerer. Coordinators see and
// record these people's consents, produce their export for a formal access request and delete
// their account on their behalf; the three rules (consent.access.ts, export.access.ts,
// erasure.access.ts) share this one condition.
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';

export function isLookedAfterByCoordination(eb: ExpressionBuilder<Database, 'app_user'>) {
  return eb.or([
    eb('app_user.registered_by_coordination', '=', true),
    eb.exists(eb.selectFrom('mentoring_request').select('mentoring_request.id').whereRef('mentoring_request.newcomer_user_id', '=', 'app_user.id')),
  ]);
}
