import { describe, expect, it } from 'vitest';
import type { RankedService } from './api-types.js';
import { rankingRow } from './ranking.js';
import { parseRoute, href } from './route.js';

const service = (over: Partial<RankedService>): RankedService => ({
  rank: 1,
  name: 'ledger',
  tier: 'critical',
  failedAttempts: 0,
  valueLost: [],
  slos: [],
  incidents: [],
  alerts: 0,
  pinnedAt: [],
  ...over,
});

describe('rankingRow', () => {
  it('shows harm: shared failures to a tenth, value per currency never added, the largest budget share with its SLO', () => {
    const row = rankingRow(
      service({
        failedAttempts: 1234.33333,
        valueLost: [
          { amount: 2468.67, currency: 'EUR' },
          { amount: 3, currency: 'GBP' },
        ],
        slos: [
          { journey: 'pay', slo: 'send-ok', bad: 8, spent: 0.8 },
          { journey: 'pay', slo: 'journey', bad: 30, spent: 1.25 },
          { journey: 'cards', slo: 'auth', bad: 0, spent: null },
        ],
        incidents: ['inc-1', 'inc-2'],
        alerts: 1,
      }),
    );
    expect(row).toEqual({
      rank: 1,
      name: 'ledger',
      tier: 'critical',
      failed: '1,234.3',
      lost: '€2.5k + £3',
      budget: '125.0%',
      budgetSlo: 'pay / journey',
      incidents: 2,
      alerts: 1,
      verdict: 'harm',
      summary: '1 alert, 1,234.3 failed attempts',
    });
  });

  it('calls a service loud when it alerted and hurt no one, quiet when neither', () => {
    const loud = rankingRow(service({ name: 'noisy', alerts: 12, tier: null, slos: [{ journey: 'pay', slo: 'ok', bad: 0, spent: 0 }] }));
    expect([loud.verdict, loud.summary, loud.tier, loud.lost, loud.budget, loud.budgetSlo]).toEqual([
      'loud',
      '12 alerts, 0 failed attempts',
      '—',
      '—',
      '—',
      null,
    ]);
    expect(rankingRow(service({})).verdict).toBe('quiet');
  });

  it('has its own route', () => {
    expect(href.services()).toBe('#/services');
    expect(parseRoute(href.services())).toEqual({ page: 'services' });
  });
});
