// The deployment list of the town's own schemes (Kümmerer, neighbourly help) of a month
// (?month=YYYY-MM) as CSV, for coordinators only (404 otherwise).
import { TOWN_TIMEZONE } from 'astro:env/server';
import { deploymentListRoute } from '../../../../features/hours/deployment-list.ts';
import { TOWN_SCOPE } from '../../../../features/hours/hours.access.ts';

export const GET = deploymentListRoute(() => TOWN_SCOPE, TOWN_TIMEZONE);
