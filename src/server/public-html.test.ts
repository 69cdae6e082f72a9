/**
 * HTML escaping and the public page's drawing (docs/public-page.md ("What it never shows", "The daily bars")): hostile
 * names and public texts come out as text, every day has its text alternative, percentages are rounded down.
 */
import { describe, expect, it } from 'vitest';
import type { PublicSummary } from '../api/public.js';
import { escapeHtml } from './html.js';
import { dayText, percent, renderPublicPage } from './public-html.js';

const HOSTILE = `"><script>alert(1)</script><svg onload='alert(2)'>&amp;`;

describe('escapeHtml', () => {
  it.each([
    ['plain text', 'plain text'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['<b>', '&lt;b&gt;'],
    [`"double" 'single'`, '&quot;double&quot; &#39;single&#39;'],
    [HOSTILE, '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;svg onload=&#39;alert(2)&#39;&gt;&amp;amp;'],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(escapeHtml(input)).toBe(output);
  });
});

describe('the page', () => {
  const summary: PublicSummary = {
    generatedAt: '2026-11-26T10:00:30.000Z',
    timezone: 'Europe/London',
    journeys: [
      {
        name: HOSTILE,
        state: 'major',
        words: `Major disruption: most ${HOSTILE} are failing. We are working on it.`,
        days: [
          { date: '2026-11-25', successRate: null, class: 'none', kept: false },
          { date: '2026-11-26', successRate: 0.99996, class: 'good', kept: true },
        ],
        incidents: [
          { severity: 'major', startedAt: '2026-11-26T09:58:00.000Z', resolvedAt: null, text: HOSTILE, generic: false, updatedAt: null },
        ],
      },
    ],
  };

  it('writes every text escaped, and no script at all', () => {
    const html = renderPublicPage(summary);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<svg onload');
    // The heading, the words, the bars' label and the incident's text, each escaped.
    expect(html.split(escapeHtml(HOSTILE)).length - 1).toBe(4);
    // The words already say "Major disruption": the label is not repeated before them.
    expect(html).toContain('data-state="major">Major disruption: most &quot;&gt;');
    expect(html).toContain('<title>26 Nov: 99.9% of attempts succeeded</title>');
    expect(html).toContain('aria-label="25 Nov: no data (older than the figures kept)"');
    expect(html).toContain('since 26 Nov 2026, 09:58 – ongoing');
  });

  it('rounds percentages down to a tenth: only a day without failure reads 100%', () => {
    expect([1, 0.99996, 0.992, 0.9925, 0.5, 0].map(percent)).toEqual(['100%', '99.9%', '99.2%', '99.2%', '50.0%', '0.0%']);
    expect(dayText({ date: '2026-11-12', successRate: 0.992, class: 'reduced', kept: true })).toBe('12 Nov: 99.2% of attempts succeeded');
    expect(dayText({ date: '2026-01-03', successRate: null, class: 'none', kept: true })).toBe('3 Jan: no data');
  });
});
