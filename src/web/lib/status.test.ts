import { describe, expect, it } from 'vitest';
import { sloStatus } from './fixtures.test-data.js';
import type { SloStatus } from './api-types.js';
import { LEVELS, type Level, sloLevel, successLevel, worstLevel } from './status.js';

describe('sloLevel', () => {
  const base = sloStatus({ journey: 'j', slo: 's' });
  const cases: [Level, Partial<SloStatus>][] = [
    ['page', { alerts: { page: true, ticket: true, pairs: [] } }],
    ['ticket', { alerts: { page: false, ticket: true, pairs: [] } }],
    ['nodata', { total: 0 }],
    ['warn', { burnRates: { ...base.burnRates, '1h': 1.5 } }],
    ['warn', { errorBudget: { allowed: 10, consumed: 12, remaining: -0.2 } }],
    ['ok', { burnRates: { ...base.burnRates, '1h': 1 } }],
    ['ok', { burnRates: { ...base.burnRates, '1h': null } }],
  ];
  it.each(cases)('%s', (level, over) => expect(sloLevel({ ...base, ...over })).toBe(level));
});

describe('worstLevel and successLevel', () => {
  it('picks the most urgent', () => {
    expect(worstLevel(['ok', 'ticket', 'warn'])).toBe('ticket');
    expect(worstLevel([])).toBe('nodata');
  });
  it('rates a success ratio against an objective', () => {
    expect(successLevel(null, 99.9)).toBe('nodata');
    expect(successLevel(0.9995, 99.9)).toBe('ok');
    expect(successLevel(0.998, 99.9)).toBe('warn');
    expect(successLevel(0.71, 99.9)).toBe('page');
  });
  it('gives every level an icon and a word, never colour alone', () => {
    for (const style of Object.values(LEVELS)) {
      expect(style.icon).not.toBe('');
      expect(style.label).not.toBe('');
    }
  });
});
