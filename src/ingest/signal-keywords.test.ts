/** Keyword mapping of signals to journeys (docs/signals.md ("Keywords")): a table of texts and the journey each maps to. */
import { describe, expect, it } from 'vitest';
import { createKeywordMatcher, keywordPattern } from './signal-keywords.js';

const match = createKeywordMatcher({
  keywords: [
    { journey: 'statements', phrases: ['statement', 'pdf', 'download'] },
    { journey: 'card-payment', phrases: ['card declined', 'card', 'contactless'] },
    { journey: 'wire-transfer', phrases: ['transfer', 'download'] },
  ],
});

describe('createKeywordMatcher', () => {
  const cases: [string, string | null, string | null][] = [
    ['Cannot open my statement', 'statements', 'statement'],
    ['THE PDF IS BLANK', 'statements', 'pdf'],
    ['statements are late', null, null], // whole words: "statements" is not "statement"
    ['my pdfs', null, null],
    ['e-statement.pdf broken', 'statements', 'statement'], // '-' and '.' are not word characters
    ['card\n  declined again', 'card-payment', 'card declined'],
    ['cardholder support', null, null],
    ['download failed', 'statements', 'download'], // one keyword each: statements is listed first
    ['transfer download stuck', 'wire-transfer', 'transfer'], // wire-transfer: 2 keywords, statements: 1
    ['statement download of my transfer', 'statements', 'statement'], // 2 against 2: listed first wins
    ['pdf statement download card declined contactless', 'statements', 'statement'], // 3 against 3
    ['card declined, contactless broken, card', 'card-payment', 'card declined'],
    ['my_pdf', null, null],
    ['Ünïcode PDF ✓', 'statements', 'pdf'],
    ['', null, null],
  ];
  it.each(cases)('%j → %s (%s)', (text, journey, keyword) => {
    expect(match(text)).toEqual(journey === null ? null : { journey, keyword });
  });

  it('matches nothing without keywords', () => {
    expect(createKeywordMatcher({ keywords: [] })('statement')).toBeNull();
  });
});

describe('keywordPattern', () => {
  it('takes the keyword literally, regular-expression characters included', () => {
    expect(keywordPattern('c++').test('learning c++ now')).toBe(true);
    expect(keywordPattern('c++').test('learning cxx now')).toBe(false);
    expect(keywordPattern('a.b').test('axb')).toBe(false);
    expect(keywordPattern('a.b').test('see a.b here')).toBe(true);
    expect(keywordPattern('(card)').test('x (card) y')).toBe(true);
  });
});
