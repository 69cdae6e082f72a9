import { describe, expect, it } from 'vitest';
import { buildJourneyMap } from './journey-map.js';
import { formatBurn, formatCount, impactReason, leadStage, listNames, noImpactReason } from './reason.js';
import { impact, stormConfig } from './test-kit.test-suite.js';
import { money } from '../model/money.js';

const map = buildJourneyMap(stormConfig());

describe('formatCount, formatBurn, listNames', () => {
  it('writes counts with thousands separators', () => {
    expect([0, 7, 2140, 1_234_567].map(formatCount)).toEqual(['0', '7', '2,140', '1,234,567']);
  });
  it('writes burn whole from 10, one decimal below', () => {
    expect([22.4, 14.4, 6, 0.25, 9.96].map(formatBurn)).toEqual(['22', '14', '6', '0.3', '10']);
  });
  it('lists names in prose', () => {
    expect(listNames([])).toBe('');
    expect(listNames(['a'])).toBe('a');
    expect(listNames(['a', 'b'])).toBe('a and b');
    expect(listNames(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});

describe('impactReason', () => {
  const both = {
    journeys: ['card-payment', 'sepa-instant'],
    stages: [
      { journey: 'sepa-instant', step: 'confirm' },
      { journey: 'card-payment', step: 'screen' },
      { journey: 'card-payment', step: 'authorise' },
    ],
  };

  it('names the most important stage, how many others, customers, money, tier and burn', () => {
    expect(
      impactReason(
        both,
        impact({ customersAffected: 2140, valueAtRiskPerHour: [money(38_000, 'GBP')], maxBurnRate: 22, criticalStage: true }),
        map,
      ),
    ).toBe(
      'card-payment authorise step (+2 more stages) failing for 2,140 customers, £38k/h at risk (critical tier, burn 22× the sustainable rate)',
    );
  });

  it('names a non-critical stage when the impact says no critical step is hurt', () => {
    expect(impactReason(both, impact({ customersAffected: 1, valueAtRiskPerHour: [], maxBurnRate: 1.5, criticalStage: false }), map)).toBe(
      'card-payment screen step (+2 more stages) failing for 1 customer (critical tier, burn 1.5× the sustainable rate)',
    );
  });

  it('falls back to failures per hour, then to "degraded", and leaves out what is unknown', () => {
    const login = { journeys: ['login'], stages: [{ journey: 'login', step: null }] };
    expect(
      impactReason(
        login,
        impact({ customersAffected: 0, failuresPerHour: 1234.4, valueAtRiskPerHour: [], maxBurnRate: null, tier: 'core' }),
        map,
      ),
    ).toBe('login failing 1,234 times an hour (core tier)');
    expect(
      impactReason(login, impact({ customersAffected: 0, failuresPerHour: 0, valueAtRiskPerHour: [], maxBurnRate: 3, tier: null }), map),
    ).toBe('login degraded (core tier, burn 3× the sustainable rate)');
  });
});

describe('noImpactReason', () => {
  it.each([
    [{ journeys: [], services: ['hr-portal'] }, null, 'no journey depends on hr-portal'],
    [{ journeys: [], services: [] }, null, 'no journey depends on these alerts: none names a service'],
    [
      { journeys: ['card-payment'], services: ['card-gateway'] },
      impact({ customerImpact: false }),
      'no customer impact: card-gateway alerts while card-payment succeeds normally',
    ],
    [
      { journeys: ['card-payment', 'sepa-instant'], services: ['core-ledger'] },
      impact({ customerImpact: false }),
      'no customer impact: core-ledger alerts while card-payment and sepa-instant succeed normally',
    ],
    [{ journeys: ['login'], services: [] }, impact({ customerImpact: false }), 'no customer impact: alerts while login succeeds normally'],
    [{ journeys: ['login'], services: ['identity'] }, null, 'customer impact not assessed yet: identity alerts on login'],
  ])('%j', (incident, assessed, reason) => {
    expect(noImpactReason(incident, assessed)).toBe(reason);
  });
});

describe('leadStage', () => {
  it('ignores stages the configuration does not know', () => {
    expect(
      leadStage(
        [
          { journey: 'gone', step: 'x' },
          { journey: 'login', step: 'mfa' },
        ],
        map,
      ),
    ).toMatchObject({ lead: { journey: 'login', step: 'mfa' }, others: 1 });
    expect(leadStage([{ journey: 'gone', step: 'x' }], map)).toEqual({ lead: null, others: 0 });
  });
});
