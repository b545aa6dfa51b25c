// What the organiser's pages about one activity show and offer (/organise/<id> and its edit
// form): the activity, the dates of its series with their state, and which forms make sense —
// the scopes a change, a cancellation or a deletion may reach, publishing the whole series,
// reinstating a cancelled date. Pages only lay it out.
import type { Kysely } from 'kysely';
import type { Activity, ActivityStatus, Database } from '../../db/schema.ts';
import type { SessionUser } from '../accounts/sessions.ts';
import { getManagedActivity } from './activities.service.ts';
import { movedAloneTest, scopeChoices, type ScopeChoice } from './series-edit.ts';

export type { ScopeChoice };

export interface SeriesDateView {
  id: number;
  startsAt: Date;
  endsAt: Date;
  status: ActivityStatus;
  /** Moved or lengthened on its own: keeps its time when the series' time changes. */
  movedAlone: boolean;
  /** Begun or over: changes to the series leave it as it was. */
  started: boolean;
  /** The date this page is about. */
  current: boolean;
  /** Cancelled and still ahead: it can be reinstated. */
  reinstatable: boolean;
}

export interface OrganiserActivityView {
  activity: Activity & { organisationName: string; seatsTaken: number };
  /** The series this date belongs to, all its dates in the rule's order; null for a single activity. */
  series: { wholeSeries: boolean; dates: SeriesDateView[] } | null;
  /** Which dates an edit may reach (null: the activity stands alone, nothing to ask). */
  editScopes: ScopeChoice[] | null;
  /** Other dates that have begun: no change of the series reaches them. */
  startedKept: number;
  /** Drafts: publishing publishes every draft date of the series. */
  publish: { dates: number } | null;
  /** Published dates: which dates a cancellation may reach. */
  cancelScopes: ScopeChoice[] | null;
  /** Drafts: which drafts a deletion may reach. */
  deleteScopes: ScopeChoice[] | null;
  canEdit: boolean;
  canReinstate: boolean;
}

const ids = (dates: Activity[]) => dates.map((d) => d.id);

export async function loadOrganiserActivity(db: Kysely<Database>, actor: SessionUser | null, activityId: number, now = new Date()): Promise<OrganiserActivityView> {
  const activity = await getManagedActivity(db, actor, activityId);
  const dates =
    activity.series_id === null
      ? [activity]
      : await db.selectFrom('activity').selectAll().where('series_id', '=', activity.series_id).orderBy('series_slot').orderBy('id').execute();
  const chosen = dates.find((d) => d.id === activity.id) ?? activity;
  const begun = (d: Activity) => d.starts_at.getTime() <= now.getTime();
  const movedAlone = movedAloneTest(dates, chosen.ends_at.getTime() - chosen.starts_at.getTime());
  const wholeSeries =
    activity.series_id === null
      ? false
      : Boolean((await db.selectFrom('activity_series').select('whole_series').where('id', '=', activity.series_id).executeTakeFirst())?.whole_series);
  const inSeries = activity.series_id !== null && dates.length > 1;
  return {
    activity,
    series: inSeries
      ? {
          wholeSeries,
          dates: dates.map((d) => ({
            id: d.id,
            startsAt: d.starts_at,
            endsAt: d.ends_at,
            status: d.status,
            movedAlone: movedAlone(d),
            started: begun(d),
            current: d.id === activity.id,
            reinstatable: d.status === 'cancelled' && !begun(d),
          })),
        }
      : null,
    editScopes: activity.status === 'cancelled' ? null : scopeChoices(dates, chosen, now, ids),
    startedKept: inSeries ? dates.filter((d) => d.id !== activity.id && begun(d)).length : 0,
    publish: activity.status === 'draft' ? { dates: dates.filter((d) => d.status === 'draft').length } : null,
    cancelScopes: activity.status === 'published' ? scopeChoices(dates, chosen, now, (reached) => ids(reached.filter((d) => d.status !== 'cancelled'))) : null,
    deleteScopes: activity.status === 'draft' ? scopeChoices(dates, chosen, now, (reached) => ids(reached.filter((d) => d.status === 'draft')), { includeStarted: true }) : null,
    canEdit: activity.status !== 'cancelled',
    canReinstate: activity.status === 'cancelled' && !begun(activity),
  };
}
