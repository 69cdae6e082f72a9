import { describe, expect, it } from 'vitest';
import { sloStatus } from './fixtures.test-data.js';
import type { SloStatus } from './api-types.js';
import { budgetText, LEVELS, type Level, sloLevel, successLevel, worstLevel } from './status.js';

describe('sloLevel', () => {
  const base = sloStatus({ journey: 'j', slo: 's' });
  const overspent = { errorBudget: { allowed: 10, consumed: 12, remaining: -0.2 } };
  const cases: [Level, Partial<SloStatus>][] = [
    ['exhausted', { ...overspent, state: 'exhausted' }],
    ['exhausted', { ...overspent, state: 'exhausted', alerts: { page: true, ticket: true, pairs: [] } }],
    ['page', { alerts: { page: true, ticket: true, pairs: [] }, state: 'page' }],
    ['ticket', { alerts: { page: false, ticket: true, pairs: [] }, state: 'ticket' }],
    ['nodata', { total: 0, state: 'insufficient_data' }],
    ['insufficient', { total: 400, state: 'insufficient_data' }],
    ['warn', { burnRates: { ...base.burnRates, '1h': 1.5 }, state: 'at_risk' }],
    ['ok', { burnRates: { ...base.burnRates, '1h': 1 }, state: 'ok' }],
  ];
  it.each(cases)('%s', (level, over) => expect(sloLevel({ ...base, ...over })).toBe(level));

  it('never renders an exhausted budget as OK: badge, rank and figure', () => {
    const status = sloStatus({ journey: 'j', slo: 's', ...overspent, state: 'exhausted' });
    const level = sloLevel(status);
    expect(LEVELS[level].label).toBe('Budget exhausted');
    expect(LEVELS[level].className).not.toBe(LEVELS.ok.className);
    expect(worstLevel(['page', level, 'ok'])).toBe('exhausted');
    expect(budgetText(status)).toBe('−20.0%');
  });

  it('shows "not enough data yet" instead of a −150% swing', () => {
    const early = sloStatus({ journey: 'j', slo: 's', total: 400, good: 399, errorBudget: { allowed: 0.4, consumed: 1, remaining: -1.5 } });
    expect(budgetText({ ...early, state: 'insufficient_data' })).toBe('not enough data yet');
    expect(LEVELS[sloLevel({ ...early, state: 'insufficient_data' })].label).toBe('Not enough data yet');
  });
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
