// The filters of /help-wanted as plain GET parameters (shareable links, no JavaScript): the
// same date choices as the browse page, plus a skill and a language the role asks for. Values
// that make no sense are dropped rather than failing the page.
import { browseWindow, parseBrowseFilters, type WhenChoice } from '../activities/browse-filters.ts';
import { SPOKEN_LANGUAGES } from '../activities/activities.schema.ts';
import { VOLUNTEER_SKILLS, type VolunteerSkill } from './volunteering.schema.ts';
import type { HelpWantedFilters } from './volunteering.queries.ts';

export interface HelpWantedChoice {
  when?: WhenChoice;
  from?: string;
  to?: string;
  skill?: VolunteerSkill;
  language?: (typeof SPOKEN_LANGUAGES)[number];
}

export function parseHelpWantedFilters(params: URLSearchParams): HelpWantedChoice {
  const dates = parseBrowseFilters(new URLSearchParams([...params].filter(([k]) => k === 'when' || k === 'from' || k === 'to')));
  const choice: HelpWantedChoice = {};
  if (dates.when) choice.when = dates.when;
  if (dates.from) choice.from = dates.from;
  if (dates.to) choice.to = dates.to;
  const skill = params.get('skill');
  if (skill && (VOLUNTEER_SKILLS as readonly string[]).includes(skill)) choice.skill = skill as VolunteerSkill;
  const language = params.get('language');
  if (language && (SPOKEN_LANGUAGES as readonly string[]).includes(language)) choice.language = language as HelpWantedChoice['language'];
  return choice;
}

/** The choice as the query's conditions: shifts starting in the window (never before now). */
export function helpWantedQuery(choice: HelpWantedChoice, now: Date, timeZone: string): HelpWantedFilters {
  const window = browseWindow({ ...(choice.when ? { when: choice.when } : {}), ...(choice.from ? { from: choice.from } : {}), ...(choice.to ? { to: choice.to } : {}) }, now, timeZone);
  return { ...window, ...(choice.skill ? { skill: choice.skill } : {}), ...(choice.language ? { language: choice.language } : {}) };
}
