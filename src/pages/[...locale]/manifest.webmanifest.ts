// The web app manifest of the address's language (src/offline/web-app-manifest.ts), linked from
// every page's head. The same for everyone, so shared caches may keep it for an hour.
import type { APIRoute } from 'astro';
import { TOWN_NAME } from 'astro:env/server';
import { webAppManifest } from '../../offline/web-app-manifest.ts';

export const GET: APIRoute = ({ locals }) =>
  new Response(JSON.stringify(webAppManifest(locals.locale, TOWN_NAME)), {
    headers: { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
