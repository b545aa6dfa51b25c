// When a shift happens: a rule of its own, because the hours ledger (hours/sources.ts) needs it
// too, and the volunteering service in turn calls the ledger.
import type { Activity } from '../../db/schema.ts';
import type { VolunteerRole } from '../../db/schema-volunteering.ts';

/** When a shift happens: its own window, or the activity's time. */
export function shiftWindow(role: Pick<VolunteerRole, 'starts_at' | 'ends_at'>, activity: Pick<Activity, 'starts_at' | 'ends_at'>): { startsAt: Date; endsAt: Date } {
  return role.starts_at && role.ends_at ? { startsAt: role.starts_at, endsAt: role.ends_at } : { startsAt: activity.starts_at, endsAt: activity.ends_at };
}
