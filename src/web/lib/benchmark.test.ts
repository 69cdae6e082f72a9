import { describe, expect, it } from 'vitest';
import type { BenchmarkJourney, BenchmarkRow } from './api-types.js';
import { competitionRows, percent } from './benchmark.js';

const row = (over: Partial<BenchmarkRow>): BenchmarkRow => ({
  owner: 'self',
  rank: 1,
  probes: { runs: 100, ok: 100, availability: 1, interval: { low: 0.963, high: 1 }, p50Ms: 84.4, p95Ms: 210 },
  statusPage: null,
  customers: { success: 991, failure: 9, rate: 0.991 },
  ...over,
});
const journey = (owners: BenchmarkRow[]): BenchmarkJourney => ({ journey: 'login', displayName: 'Log in', owners });

describe('competitionRows', () => {
  it('highlights our customers below our green probe, and shares a rank between overlapping owners', () => {
    const rows = competitionRows(
      journey([
        row({}),
        row({
          owner: 'rival-bank',
          rank: 1,
          probes: { runs: 100, ok: 95, availability: 0.95, interval: { low: 0.8882, high: 0.9785 }, p50Ms: 20, p95Ms: 35 },
          statusPage: { downMinutes: 12, degradedMinutes: 30 },
          customers: null,
        }),
        row({
          owner: 'other-bank',
          rank: null,
          probes: { runs: 0, ok: 0, availability: null, interval: null, p50Ms: null, p95Ms: null },
          customers: null,
        }),
      ]),
    );
    expect(rows[0]).toEqual({
      owner: 'self',
      label: 'Us',
      self: true,
      rank: '1',
      sharedRank: true,
      availability: '100%',
      interval: '96.3%–100%',
      bar: { width: 100, whiskerLeft: 96.3, whiskerWidth: expect.closeTo(3.7, 9) },
      runs: '100 of 100 ok',
      latency: '84 ms · p95 210 ms',
      statusPage: '—',
      gap: { text: 'customers: 99.1% vs probe 100%', highlighted: true },
    });
    expect(rows[1]).toMatchObject({ label: 'rival-bank', rank: '1', sharedRank: true, availability: '95.0%', interval: '88.8%–97.8%' });
    expect(rows[1]!.statusPage).toBe('12 min down · 30 min degraded');
    expect(rows[1]!.gap).toBeNull();
    expect(rows[2]).toMatchObject({ rank: '—', sharedRank: false, availability: '—', bar: null, runs: 'no runs', latency: '—' });
  });

  it('does not highlight a gap under 0.1 point, and has none without customers', () => {
    expect(competitionRows(journey([row({ customers: { success: 9995, failure: 5, rate: 0.9995 } })]))[0]!.gap).toEqual({
      text: 'customers: 99.9% vs probe 100%',
      highlighted: false,
    });
    expect(competitionRows(journey([row({ customers: null })]))[0]!.gap).toBeNull();
    expect(competitionRows(journey([row({ rank: 2 })]))[0]!.sharedRank).toBe(false);
  });

  it('writes percentages truncated to a tenth, 100% plainly', () => {
    expect([percent(1), percent(0.99999), percent(0.991), percent(null)]).toEqual(['100%', '99.9%', '99.1%', '—']);
  });
});
