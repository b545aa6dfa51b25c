// One activity as a .ics file to open in any calendar app (a repeating one as its series), in
// the page's language. Drafts and unknown ids are 404, like their pages.
import type { APIRoute } from 'astro';
import { activityDownloadResponse } from '../../../../lib/calendar-feed.ts';

export const GET: APIRoute = async (context) => {
  const id = /^(\d{1,9})(?:-[\p{L}\p{N}-]*)?$/u.exec(context.params.id ?? '')?.[1];
  const response = id ? await activityDownloadResponse(context, Number(id)) : null;
  return response ?? context.rewrite('/404');
};
