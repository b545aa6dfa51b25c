// Which Kümmerer to suggest for a request, best first — a pure function, so the rule can be
// read and tested on its own. Only approved Kümmerer with a free place are suggested. Order:
// more shared languages (talking at all comes first), then more of the asked topics covered,
// then more free places, then fewer current mentees, then the lower id (a stable order, so
// two coordinators see the same list).
import { languageName } from '../../i18n/format.ts';

export interface MatchCandidate {
  userId: number;
  displayName: string;
  status: 'pending' | 'approved' | 'declined' | 'paused';
  languages: readonly string[];
  topics: readonly string[];
  maxMentees: number;
  activeMentees: number;
}

export interface MatchRequest {
  newcomerUserId: number;
  languages: readonly string[];
  topics: readonly string[];
}

export interface Suggestion {
  candidate: MatchCandidate;
  sharedLanguages: string[];
  coveredTopics: string[];
  freePlaces: number;
  /** The reason in parts, rendered in the reader's language by describeSuggestion. */
  reason: ReasonPart[];
}

export type ReasonPart =
  | { kind: 'speaks'; languages: string[] }
  | { kind: 'noSharedLanguage' }
  | { kind: 'covers'; covered: number; total: number }
  | { kind: 'places'; taken: number; max: number };

export function canTakeMentee(candidate: Pick<MatchCandidate, 'status' | 'maxMentees' | 'activeMentees'>): boolean {
  return candidate.status === 'approved' && candidate.activeMentees < candidate.maxMentees;
}

export function rankKuemmerer(request: MatchRequest, candidates: readonly MatchCandidate[]): Suggestion[] {
  return candidates
    .filter((c) => canTakeMentee(c) && c.userId !== request.newcomerUserId)
    .map((candidate) => {
      const sharedLanguages = request.languages.filter((l) => candidate.languages.includes(l));
      const coveredTopics = request.topics.filter((t) => candidate.topics.includes(t));
      const freePlaces = candidate.maxMentees - candidate.activeMentees;
      const reason: ReasonPart[] = [
        sharedLanguages.length > 0 ? { kind: 'speaks', languages: sharedLanguages } : { kind: 'noSharedLanguage' },
        { kind: 'covers', covered: coveredTopics.length, total: request.topics.length },
        { kind: 'places', taken: candidate.activeMentees, max: candidate.maxMentees },
      ];
      return { candidate, sharedLanguages, coveredTopics, freePlaces, reason };
    })
    .sort(
      (a, b) =>
        b.sharedLanguages.length - a.sharedLanguages.length ||
        b.coveredTopics.length - a.coveredTopics.length ||
        b.freePlaces - a.freePlaces ||
        a.candidate.activeMentees - b.candidate.activeMentees ||
        a.candidate.userId - b.candidate.userId,
    );
}

/** Just what a reason needs from a translator (the page's or a test's). */
export interface ReasonWords {
  (key: 'mentoring.reason.speaks' | 'mentoring.reason.noSharedLanguage' | 'mentoring.reason.covers' | 'mentoring.reason.places', params?: Record<string, string | number>): string;
  locale: string;
}

/** "spricht Arabisch · deckt 2 von 3 Themen ab · 1 von 3 Plätzen belegt", in the reader's language. */
export function describeSuggestion(t: ReasonWords, reason: readonly ReasonPart[]): string {
  const list = new Intl.ListFormat(t.locale, { type: 'conjunction' });
  return reason
    .map((part) => {
      switch (part.kind) {
        case 'speaks':
          return t('mentoring.reason.speaks', { languages: list.format(part.languages.map((l) => languageName(t.locale, l))) });
        case 'noSharedLanguage':
          return t('mentoring.reason.noSharedLanguage');
        case 'covers':
          return t('mentoring.reason.covers', { covered: part.covered, total: part.total });
        case 'places':
          return t('mentoring.reason.places', { taken: part.taken, max: part.max });
      }
    })
    .join(' · ');
}
