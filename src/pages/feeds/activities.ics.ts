// All published activities as a calendar feed; the browse page's filters (?category=…) and
// ?lang= apply, so every list a person can see is a list they can subscribe to.
import type { APIRoute } from 'astro';
import { publicFeedResponse } from '../../lib/calendar-feed.ts';

export const GET: APIRoute = (context) => publicFeedResponse(context);
