// The feed endpoints' shared opening: the feed's language, the town's settings, the version
// check and the response. The rules (what a feed holds, how it is written, what its version
// counts) live in src/features/feeds/; this file only ties them to the request.
import type { APIContext } from 'astro';
import { TOWN_NAME, TOWN_TIMEZONE } from 'astro:env/server';
import { publicBaseUrl, requestOrigin } from './request-origin.ts';
import type { Locale } from '../db/schema.ts';
import { browseFilterParams, parseBrowseFilters, type BrowseFilters } from '../features/activities/browse-filters.ts';
import { personalCalendar, publicCalendar, publicCalendarName, type CalendarContext } from '../features/feeds/calendar.ts';
import { calendarResponse } from '../features/feeds/feed-response.ts';
import { downloadVersion, personalFeedVersion, publicFeedVersion, type FeedAsked } from '../features/feeds/feed-versions.ts';
import { feedHistoryStart, loadActivityForDownload, loadPersonalFeed, loadPublicFeed, publicFeedQuery } from '../features/feeds/feeds.queries.ts';
import { lookUpCalendarToken } from '../features/feeds/personal-feed.ts';
import { inReaderLanguage } from '../features/activities/activities.queries.ts';
import { zonedDateInput } from '../i18n/format.ts';
import { translator, type Translator } from '../i18n/index.ts';
import { DEFAULT_LOCALE, LOCALES, localePath } from '../i18n/locales.ts';

const PUBLIC_CACHE = 'public, max-age=300';
/** Shared caches never keep a personal feed; the app asks again each time (and gets 304). */
const PERSONAL_CACHE = 'private, no-cache';
const HOUR = 3600;

/** `?lang=ar` when it is one of ours, else the fallback (the page's or the person's language). */
export function feedLanguage(url: URL, fallback: Locale): Locale {
  const asked = url.searchParams.get('lang');
  return (LOCALES as readonly string[]).includes(asked ?? '') ? (asked as Locale) : fallback;
}

/** The organizer address: the portal's own sender (MAIL_FROM), which organisations do not have. */
function organizerEmail(): string {
  const from = process.env.MAIL_FROM || 'Ankommen <no-reply@localhost>';
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

function calendarContext(context: APIContext, t: Translator, name: string, refreshSeconds: number): CalendarContext {
  return { baseUrl: publicBaseUrl(context.url), timeZone: TOWN_TIMEZONE, t, name, organizerEmail: organizerEmail(), refreshSeconds };
}

/** How a feed was asked for, as its version counts it. */
function asked(locale: Locale, calendar: CalendarContext): FeedAsked {
  return [locale, calendar.baseUrl, calendar.timeZone, calendar.name];
}

/** All published activities, or those the browse filters pick (an organisation's, for one). */
export async function publicFeedResponse(context: APIContext, organisation?: { slug: string; name: string }): Promise<Response> {
  const { db } = context.locals;
  const filters = parseBrowseFilters(context.url.searchParams);
  if (organisation) filters.organisation = organisation.slug;
  const locale = feedLanguage(context.url, DEFAULT_LOCALE);
  const t = translator(locale);
  const query = publicFeedQuery(filters, new Date(), TOWN_TIMEZONE);
  const calendar = calendarContext(context, t, publicCalendarName(t, TOWN_NAME, filters, organisation?.name), HOUR);
  const version = await publicFeedVersion(db, query, asked(locale, calendar), context.locals.contentVersion);
  return calendarResponse(context.request, version, async () => publicCalendar(await loadPublicFeed(db, query), calendar), {
    cacheControl: PUBLIC_CACHE,
    keepBuilt: true,
  });
}

/** One activity as a file to open in a calendar app; a series as the whole series. */
export async function activityDownloadResponse(context: APIContext, activityId: number): Promise<Response | null> {
  const rows = await loadActivityForDownload(context.locals.db, activityId);
  const chosen = rows.find((r) => r.id === activityId);
  if (!chosen) return null;
  const locale = feedLanguage(context.url, context.locals.locale);
  const t = translator(locale);
  const title = inReaderLanguage(chosen, locale).title;
  const calendar = calendarContext(context, t, title, HOUR);
  const body = publicCalendar(rows, calendar);
  // The date people know it by: the town's, not UTC's (00:30 in Berlin is yesterday in UTC).
  const day = zonedDateInput(TOWN_TIMEZONE, chosen.starts_at);
  const slug = title.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().replace(/\s+/g, '-').slice(0, 60);
  return calendarResponse(context.request, downloadVersion(body, rows), () => body, {
    cacheControl: PUBLIC_CACHE,
    filename: { utf8: `${slug || `activity-${activityId}`}-${day}.ics`, ascii: `activity-${activityId}-${day}.ics` },
  });
}

/** A person's own calendar at its secret address: 404 for an address that opens nothing. */
export async function personalFeedResponse(context: APIContext, token: string): Promise<Response> {
  const { db } = context.locals;
  const found = await lookUpCalendarToken(db, token, requestOrigin(context).ip);
  const secretHeaders = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
  if (found.kind === 'rate-limited') {
    return new Response(null, { status: 429, headers: { ...secretHeaders, 'Retry-After': String(Math.ceil(found.retryAfterMs / 1000)) } });
  }
  if (found.kind === 'unknown') return new Response(null, { status: 404, headers: secretHeaders });
  const locale = feedLanguage(context.url, found.locale);
  const t = translator(locale);
  const from = feedHistoryStart(new Date());
  const calendar = calendarContext(context, t, t('feeds.personalName', { town: TOWN_NAME }), HOUR / 4);
  const version = await personalFeedVersion(db, found, from, asked(locale, calendar), context.locals.contentVersion);
  return calendarResponse(context.request, version, async () => personalCalendar(await loadPersonalFeed(db, found.userId, from), calendar), {
    cacheControl: PERSONAL_CACHE,
    referrerPolicy: 'no-referrer',
  });
}

export interface FeedLinks {
  https: string;
  webcal: string;
}

/** A feed's address both ways: https for downloading, webcal:// to subscribe in one tap. */
export function feedLinks(base: string, path: string, params?: URLSearchParams): FeedLinks {
  const query = params && params.toString() ? `?${params.toString()}` : '';
  const https = `${base}${path}${query}`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

/** The public feed for a browse page's filters, in the page's language. */
export function browseFeedLinks(base: string, filters: BrowseFilters, locale: Locale): FeedLinks {
  const params = browseFilterParams(filters);
  if (locale !== DEFAULT_LOCALE) params.set('lang', locale);
  return feedLinks(base, '/feeds/activities.ics', params);
}

export function organisationFeedLinks(base: string, slug: string, locale: Locale): FeedLinks {
  const params = new URLSearchParams();
  if (locale !== DEFAULT_LOCALE) params.set('lang', locale);
  return feedLinks(base, `/feeds/organisations/${encodeURIComponent(slug)}.ics`, params);
}

export function activityDownloadPath(locale: Locale, activityId: number): string {
  return localePath(locale, `/activities/${activityId}/calendar.ics`);
}
