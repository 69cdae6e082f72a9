/** Maps a signal's text to a journey by the keywords of `signals.keywords` (docs/signals.md ("Keywords")). */
import type { SignalsSpec } from '../model/signal.js';

export interface KeywordMatch {
  journey: string;
  /** The journey's first listed keyword found in the text. */
  keyword: string;
}

/** Builds the matcher of one configuration; its regular expressions are compiled once. */
export type KeywordMatcher = (text: string) => KeywordMatch | null;

const escapeLiteral = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The regular expression of one keyword: case-insensitive, whole words only (no letter, digit or `_`
 * either side), the words of a phrase separated by any run of white space.
 * @example keywordPattern('card declined').test('My CARD\n declined!') === true
 * @example keywordPattern('pdf').test('pdfs') === false
 */
export function keywordPattern(keyword: string): RegExp {
  const words = keyword.trim().split(/\s+/u).map(escapeLiteral);
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'iu');
}

/**
 * The matcher: the journey with the most distinct keywords found in the text wins; between journeys with
 * as many, the one listed first under `signals.keywords`. No keyword found: null.
 * @example createKeywordMatcher({ minSpike: 10, keywords: [{ journey: 'statements', phrases: ['pdf'] }] })('PDF broken')
 * // { journey: 'statements', keyword: 'pdf' }
 */
export function createKeywordMatcher(spec: Pick<SignalsSpec, 'keywords'>): KeywordMatcher {
  const journeys = spec.keywords.map(({ journey, phrases }) => ({
    journey,
    patterns: phrases.map((phrase) => ({ phrase, pattern: keywordPattern(phrase) })),
  }));
  return (text) => {
    let best: KeywordMatch | null = null;
    let bestHits = 0;
    for (const { journey, patterns } of journeys) {
      const found = new Set<string>();
      let first: string | null = null;
      for (const { phrase, pattern } of patterns) {
        if (found.has(phrase) || !pattern.test(text)) continue;
        found.add(phrase);
        first ??= phrase;
      }
      if (first !== null && found.size > bestHits) {
        best = { journey, keyword: first };
        bestHits = found.size;
      }
    }
    return best;
  };
}
