// One activity as a .ics file to open in any calendar app (a repeating one as its series), in
// the page's language. Drafts and unknown ids are 404, like their pages.
import type { APIRoute } from 'astro';
import { activityDownloadResponse } from '../../../../lib/calendar-feed.ts';
import { activityIdParam } from '../../../../lib/page.ts';

export const GET: APIRoute = async (context) => {
  const id = activityIdParam(context.params.id);
  const response = id === null ? null : await activityDownloadResponse(context, id);
  return response ?? context.rewrite('/404');
};
