// A newcomer's complete export as a JSON file, for a coordinator answering a formal access
// request (src/features/privacy/export.access.ts says for whom); 404 to anyone else. Recorded.
import type { APIRoute } from 'astro';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { exportDownload, exportForAccessRequest } from '../../../../../features/privacy/export.service.ts';
import { parseId } from '../../../../../lib/ids.ts';
import { loadOrNotFound, requireSignIn } from '../../../../../lib/page.ts';
import { requestOrigin } from '../../../../../lib/request-origin.ts';

export const GET: APIRoute = async (context) => {
  const gate = requireSignIn(context);
  if (gate) return gate;
  const id = parseId(context.params.id);
  if (id === null) return context.rewrite('/404');
  const { db, user } = context.locals;
  const found = await loadOrNotFound(context, () => exportForAccessRequest(db, user, id, { ip: requestOrigin(context).ip, how: 'json' }));
  if (found instanceof Response) return found;
  return exportDownload(found.data, TOWN_TIMEZONE, { forAccessRequest: true });
};
