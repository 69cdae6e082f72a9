import { describe, expect, it } from 'vitest';
import { formatPercent } from './format.js';
import { byCustomerImpact, journeyRows, openImpact, outcomeEvents, overviewTotals, paradoxMessage, successFromBurn } from './overview.js';
import { incident, journey, NO_OUTCOMES, service, sloStatus } from './fixtures.test-data.js';

const burning = sloStatus({
  journey: 'card-payment',
  slo: 'success',
  objective: 99.99,
  sli: 0.9981,
  burnRates: { '5m': 2900, '30m': 2000, '1h': 2900, '2h': 1000, '6h': 300, '1d': 80, '3d': 30 },
  errorBudget: { allowed: 1, consumed: 19, remaining: -18 },
  alerts: { page: true, ticket: false, pairs: [] },
});
const quiet = sloStatus({ journey: 'login', slo: 'success', objective: 99.9, errorBudget: { allowed: 10, consumed: 2, remaining: 0.8 } });
const slowLogin = sloStatus({ journey: 'login', slo: 'fast', objective: 99, errorBudget: { allowed: 100, consumed: 40, remaining: 0.6 } });
const ticketing = sloStatus({
  journey: 'statements',
  slo: 'success',
  objective: 99.5,
  burnRates: { '5m': 1, '30m': 3, '1h': 4, '2h': 4, '6h': 4, '1d': 4, '3d': 1 },
  alerts: { page: false, ticket: true, pairs: [] },
});

const journeys = [
  journey('login', 'core', [quiet, slowLogin], [['auth-gateway'], ['identity', 'auth-gateway']]),
  journey('statements', 'informational', [ticketing], [['pdf-renderer']]),
  journey('card-payment', 'critical', [burning], [['card-gateway'], ['card-gateway', 'core-ledger']]),
];
const services = [
  service('auth-gateway', ['HighLatency']),
  service('identity'),
  service('card-gateway'),
  service('core-ledger'),
  service('pdf-renderer', ['DiskFull']),
];

describe('successFromBurn', () => {
  it('turns a burn rate back into a success ratio', () => {
    expect(successFromBurn(2, 99.9)).toBeCloseTo(0.998, 12);
    expect(successFromBurn(0, 99.9)).toBe(1);
    expect(successFromBurn(null, 99.9)).toBeNull();
    // A burn past 1/(1−o) would mean more failures than events; it is clamped at 0.
    expect(successFromBurn(20_000, 99.99)).toBe(0);
  });
});

describe('journeyRows', () => {
  const rows = journeyRows(journeys, services, [
    incident({ id: 'i1', journeys: ['card-payment'] }),
    incident({ id: 'i2', journeys: ['card-payment'], status: 'resolved' }),
  ]);
  const card = rows.find((r) => r.name === 'card-payment')!;
  const login = rows.find((r) => r.name === 'login')!;

  it('takes customer success now, over 1 h and over the window from the first SLO', () => {
    expect(card.primarySlo).toBe('success');
    expect(card.successNow).toBeCloseTo(1 - 2900 * 0.0001, 9);
    expect(card.success1h).toBeCloseTo(0.71, 9);
    expect(card.successWindow).toBe(0.9981);
  });
  it('prefers the whole-journey outcomes when the server reports them', () => {
    const withOutcomes = journeys.map((j) =>
      j.name === 'card-payment'
        ? {
            ...j,
            outcomes: {
              '5m': { ...NO_OUTCOMES, success: 1, failure: 1, successRate: 0.5 },
              '1h': { ...NO_OUTCOMES, success: 4, failure: 1, successRate: 0.8 },
            },
          }
        : j,
    );
    const row = journeyRows(withOutcomes, services, []).find((r) => r.name === 'card-payment')!;
    expect([row.successNow, row.success1h]).toEqual([0.5, 0.8]);
    // No whole-journey events in the window: back to the first SLO's burn.
    const empty = journeys.map((j) => (j.name === 'card-payment' ? { ...j, outcomes: { '5m': NO_OUTCOMES, '1h': NO_OUTCOMES } } : j));
    expect(journeyRows(empty, services, []).find((r) => r.name === 'card-payment')!.success1h).toBeCloseTo(0.71, 9);
  });
  it('reports the SLO with the least budget left', () => {
    expect(login.tightestSlo).toBe('fast');
    expect(login.budgetRemaining).toBe(0.6);
  });
  it('counts the share of a journey’s distinct services with no firing alert', () => {
    expect(login.infrastructure).toMatchObject({ services: 2, green: 1, share: 0.5 });
    expect(login.infrastructure!.firing.map((f) => f.service)).toEqual(['auth-gateway']);
    expect(card.infrastructure).toMatchObject({ services: 2, green: 2, share: 1 });
  });
  it('flags the paradox only where infrastructure is all green and an SLO alert fires', () => {
    expect(rows.filter((r) => r.paradox).map((r) => r.name)).toEqual(['card-payment']);
  });
  it('counts unresolved incidents per journey', () => {
    expect(card.openIncidents).toBe(1);
    expect(login.openIncidents).toBe(0);
  });
  it('claims no paradox without infrastructure data', () => {
    expect(journeyRows(journeys, null).some((r) => r.paradox || r.infrastructure !== null)).toBe(false);
  });
});

describe('byCustomerImpact', () => {
  it('puts paging journeys first, then ticketing, then healthy; ties by tier', () => {
    const extra = journey('view-balance', 'standard', [sloStatus({ journey: 'view-balance', slo: 'success' })], [['accounts-api']]);
    const rows = journeyRows([...journeys, extra], services).sort(byCustomerImpact);
    expect(rows.map((r) => r.name)).toEqual(['card-payment', 'statements', 'login', 'view-balance']);
  });
});

describe('overviewTotals and paradoxMessage', () => {
  const rows = journeyRows(journeys, services);
  it('totals levels and the share of green services across journeys', () => {
    expect(overviewTotals(rows, services, journeys)).toEqual({
      journeys: 3,
      paging: 1,
      ticketing: 1,
      healthy: 1,
      infrastructureGreen: 3 / 5,
    });
    expect(overviewTotals(rows, null, journeys).infrastructureGreen).toBeNull();
  });
  it('says the paradox in a sentence, or nothing', () => {
    expect(paradoxMessage(rows, (r) => formatPercent(r, 1))).toBe(
      'Infrastructure 100% green — customers failing: card payment success 71.0% in the last hour',
    );
    expect(
      paradoxMessage(
        rows.filter((r) => !r.paradox),
        (r) => formatPercent(r, 1),
      ),
    ).toBeNull();
  });
});

describe('what each journey has at stake', () => {
  it('sums customers and value per currency over the open incidents touching the journey, resolved ones aside', () => {
    const withImpact = (id: string, journeys: string[], customers: number, value: { amount: number; currency: string }[], over = {}) =>
      incident({
        id,
        journeys,
        impact: {
          customerImpact: true,
          maxBurnRate: 2,
          customersAffected: customers,
          failuresPerHour: 10,
          valueAtRiskPerHour: value,
          tier: 'critical',
          criticalStage: true,
          assessedAt: '2026-11-26T10:00:00.000Z',
        },
        ...over,
      });
    const incidents = [
      withImpact('a', ['card-payment'], 90, [{ amount: 100, currency: 'GBP' }]),
      withImpact('b', ['card-payment', 'login'], 10, [
        { amount: 500, currency: 'EUR' },
        { amount: 50, currency: 'GBP' },
      ]),
      withImpact('c', ['card-payment'], 1000, [{ amount: 9999, currency: 'GBP' }], { status: 'resolved' }),
    ];
    expect(openImpact(incidents, 'card-payment')).toEqual({
      customersAffected: 100,
      valueAtRiskPerHour: [
        { amount: 500, currency: 'EUR' },
        { amount: 150, currency: 'GBP' },
      ],
    });
    expect(openImpact(incidents, 'statements')).toEqual({ customersAffected: 0, valueAtRiskPerHour: [] });
  });

  it('counts the events behind success now', () => {
    expect(outcomeEvents({ success: 7, failure: 2, rejected: 1, abandoned: 3, successRate: 0.7 })).toBe(13);
  });
});

describe('the budget-policy state on each row', () => {
  it('comes from the journeys API, null when the server does not say', () => {
    const rows = journeyRows([{ ...journeys[2]!, policyState: 'frozen' }, journeys[0]!], null);
    expect(rows.map((r) => [r.name, r.policyState])).toEqual([
      ['card-payment', 'frozen'],
      ['login', null],
    ]);
  });
});
