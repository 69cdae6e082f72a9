import { describe, expect, it } from 'vitest';
import type { SourceSli } from './api-types.js';
import { sourceHealthy, sourceOf, sourceText } from './sources.js';

const base: SourceSli = {
  key: 'login|prometheus:x',
  journey: 'login',
  slos: ['availability'],
  queries: { bad: 'sum(increase(e_total[1m]))', total: 'sum(increase(t_total[1m]))' },
  state: 'following',
  since: '2026-11-27T10:00:00.000Z',
  message: null,
  progress: null,
  watermark: '2026-11-27T10:40:00.000Z',
  lastDataAt: '2026-11-27T10:41:00.000Z',
  gapMinutes: 0,
  recentGaps: [],
  clampedMinutes: 0,
};

describe('the source line of an SLO card', () => {
  it.each([
    [{ state: 'waiting' as const }, 'Prometheus: not read yet'],
    [
      { state: 'backfilling' as const, progress: { from: base.since, to: base.since, readTo: base.since, percent: 42.5 } },
      'Prometheus: backfilling history, 42.5%',
    ],
    [{ state: 'following' as const }, 'Prometheus: following'],
    [{ state: 'lagging' as const }, 'Prometheus: lagging, the latest minutes have no data yet (last data 2026-11-27 10:41 UTC)'],
    [
      { state: 'no_data' as const },
      'Prometheus: no data for the latest minutes, figures are unknown since then (last data 2026-11-27 10:41 UTC)',
    ],
    [
      { state: 'prometheus_unreachable' as const, message: 'http://prom:9090: fetch failed: connect ECONNREFUSED' },
      'Prometheus unreachable: http://prom:9090: fetch failed: connect ECONNREFUSED',
    ],
    [{ state: 'prometheus_error' as const, message: 'bad_data: parse error' }, 'Prometheus refused the query: bad_data: parse error'],
  ])('%o', (change, text) => {
    const source = { ...base, ...change };
    expect(sourceText(source)).toBe(text);
    expect(sourceHealthy(source)).toBe(source.state === 'following');
  });

  it('finds the source of a journey’s SLO, and none for an SLO counted from events', () => {
    expect(sourceOf([base], 'login', 'availability')).toBe(base);
    expect(sourceOf([base], 'login', 'latency')).toBeNull();
    expect(sourceOf([base], 'pay', 'availability')).toBeNull();
    expect(sourceOf(null, 'login', 'availability')).toBeNull();
  });
});
