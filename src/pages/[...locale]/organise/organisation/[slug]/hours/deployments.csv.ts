// An organisation's deployment list of a month (?month=YYYY-MM) as CSV, for its members only
// (404 otherwise, as for an address that does not exist).
import type { APIRoute } from 'astro';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { NotFoundError } from '../../../../../../features/access/access.ts';
import { csvResponse, exportDeploymentList } from '../../../../../../features/hours/deployment-list.ts';
import { requestedMonth } from '../../../../../../features/hours/keeping.ts';
import { TOWN_SCOPE } from '../../../../../../features/hours/keeping.schema.ts';
import { requireSignIn } from '../../../../../../lib/page.ts';

export const GET: APIRoute = async (context) => {
  const gate = requireSignIn(context);
  if (gate) return gate;
  const { params, locals, url } = context;
  const slug = params.slug ?? '';
  // The coordinators' scope has an address of its own, never an organisation's.
  if (slug === TOWN_SCOPE) return new Response(null, { status: 404 });
  try {
    const month = requestedMonth(url.searchParams.get('month'), TOWN_TIMEZONE, new Date());
    return csvResponse(await exportDeploymentList(locals.db, locals.user, slug, month, locals.t, TOWN_TIMEZONE));
  } catch (error) {
    if (error instanceof NotFoundError) return new Response(null, { status: 404 });
    throw error;
  }
};
