import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY, historyQuery, incidentParams, pageLabel, parseHistory } from './history.js';

const NOW = Date.parse('2026-11-26T10:00:00Z');

describe('incident history filters', () => {
  it('round-trips through the URL, defaults left out, unknown values dropped', () => {
    const filters = {
      journey: 'card payment',
      priority: ['P1', 'P2'],
      status: ['resolved'],
      range: '7d' as const,
      q: 'a&b',
      cursor: 'Mx',
      skip: 50,
    };
    expect(parseHistory(new URLSearchParams(historyQuery(filters)))).toEqual(filters);
    expect(historyQuery(DEFAULT_HISTORY)).toBe('');
    expect(parseHistory(new URLSearchParams('priority=P9,P1&status=firing&range=1y&skip=-3'))).toEqual({
      ...DEFAULT_HISTORY,
      priority: ['P1'],
    });
  });

  it('becomes API parameters: range → from, page size and cursor, or the CSV export without a page', () => {
    const filters = { ...DEFAULT_HISTORY, priority: ['P1'], range: '24h' as const, q: ' ledger ', cursor: 'Mx', skip: 50 };
    expect(incidentParams(filters, NOW)).toEqual({
      priority: 'P1',
      from: '2026-11-25T10:00:00.000Z',
      q: 'ledger',
      limit: '50',
      cursor: 'Mx',
    });
    expect(incidentParams(filters, NOW, true)).toEqual({ priority: 'P1', from: '2026-11-25T10:00:00.000Z', q: 'ledger', format: 'csv' });
    expect(incidentParams({ ...DEFAULT_HISTORY, range: 'all' }, NOW)).toEqual({ limit: '50' });
  });

  it('labels the page among the matches', () => {
    expect(pageLabel(0, 50, 212)).toBe('1–50 of 212');
    expect(pageLabel(200, 12, 212)).toBe('201–212 of 212');
    expect(pageLabel(0, 0, 0)).toBe('0 of 0');
  });
});
