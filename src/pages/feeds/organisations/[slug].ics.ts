// One organisation's activities as a calendar feed; 404 for an organisation we do not have.
import type { APIRoute } from 'astro';
import { organisationBySlug } from '../../../features/feeds/feeds.queries.ts';
import { publicFeedResponse } from '../../../lib/calendar-feed.ts';

export const GET: APIRoute = async (context) => {
  const slug = context.params.slug ?? '';
  const organisation = await organisationBySlug(context.locals.db, slug);
  if (!organisation) return new Response(null, { status: 404 });
  return publicFeedResponse(context, { slug, name: organisation.name });
};
