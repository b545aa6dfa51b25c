// A person's own calendar (their RSVPs) at the secret address from /account/calendar.
import type { APIRoute } from 'astro';
import { personalFeedResponse } from '../../../lib/calendar-feed.ts';

export const GET: APIRoute = (context) => personalFeedResponse(context, context.params.token ?? '');
