// The deployment list of the town's own schemes (Kümmerer, neighbourly help) of a month
// (?month=YYYY-MM) as CSV, for coordinators only (404 otherwise).
import type { APIRoute } from 'astro';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { NotFoundError } from '../../../../features/access/access.ts';
import { csvResponse, exportDeploymentList } from '../../../../features/hours/deployment-list.ts';
import { requestedMonth } from '../../../../features/hours/keeping.ts';
import { TOWN_SCOPE } from '../../../../features/hours/keeping.schema.ts';
import { requireSignIn } from '../../../../lib/page.ts';

export const GET: APIRoute = async (context) => {
  const gate = requireSignIn(context);
  if (gate) return gate;
  const { locals, url } = context;
  try {
    const month = requestedMonth(url.searchParams.get('month'), TOWN_TIMEZONE, new Date());
    return csvResponse(await exportDeploymentList(locals.db, locals.user, TOWN_SCOPE, month, locals.t, TOWN_TIMEZONE));
  } catch (error) {
    if (error instanceof NotFoundError) return new Response(null, { status: 404 });
    throw error;
  }
};
