import { nameSimilarity } from './name-matching';
import type { WatchListEntry } from './watch-list';

/**
 * Screens a name against a watch list: the most similar listed name or alias, and what that
 * similarity means. Thresholds are on `nameSimilarity` (Jaro-Winkler, 0–1); see the README for
 * examples of names on each side of them.
 */

export interface ScreeningThresholds {
  /** At or above: the applicant is taken to be the listed person. */
  match: number;
  /** At or above (and below `match`): a person has to look. */
  possibleMatch: number;
}

export const DEFAULT_SCREENING_THRESHOLDS: ScreeningThresholds = {
  match: 0.98,
  possibleMatch: 0.93,
};

export type ScreeningResult =
  | { verdict: 'clear'; bestScore: number }
  | {
      verdict: 'match' | 'possible_match';
      entry: WatchListEntry;
      matchedName: string;
      score: number;
    };

export function screenName(
  name: string,
  watchList: readonly WatchListEntry[],
  thresholds: ScreeningThresholds = DEFAULT_SCREENING_THRESHOLDS,
): ScreeningResult {
  let best: { entry: WatchListEntry; matchedName: string; score: number } | undefined;
  for (const entry of watchList) {
    for (const listedName of [entry.name, ...entry.aliases]) {
      const score = nameSimilarity(name, listedName);
      if (!best || score > best.score) best = { entry, matchedName: listedName, score };
    }
  }
  if (best && best.score >= thresholds.match) return { verdict: 'match', ...best };
  if (best && best.score >= thresholds.possibleMatch) return { verdict: 'possible_match', ...best };
  return { verdict: 'clear', bestScore: best?.score ?? 0 };
}
