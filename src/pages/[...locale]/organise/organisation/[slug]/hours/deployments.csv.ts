// An organisation's deployment list of a month (?month=YYYY-MM) as CSV, for its members only
// (404 otherwise, as for an address that does not exist).
import { TOWN_TIMEZONE } from 'astro:env/server';
import { deploymentListRoute } from '../../../../../../features/hours/deployment-list.ts';
import { TOWN_SCOPE } from '../../../../../../features/hours/hours.access.ts';

// The coordinators' scope has an address of its own, never an organisation's.
export const GET = deploymentListRoute((params) => (params.slug && params.slug !== TOWN_SCOPE ? params.slug : null), TOWN_TIMEZONE);
