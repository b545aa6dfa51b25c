// Everything the portal holds about the signed-in person, as a JSON file (the format is
// documented at EXPORT_FORMAT in src/features/privacy/export.ts). Each download is recorded.
import type { APIRoute } from 'astro';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { exportDownload, exportOwnData } from '../../../features/privacy/export.service.ts';
import { requireSignIn } from '../../../lib/page.ts';
import { requestOrigin } from '../../../lib/request-origin.ts';

export const GET: APIRoute = async (context) => {
  const gate = requireSignIn(context);
  if (gate) return gate;
  const data = await exportOwnData(context.locals.db, context.locals.user!, { ip: requestOrigin(context).ip, how: 'json' });
  return exportDownload(data, TOWN_TIMEZONE);
};
