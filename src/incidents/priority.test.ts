import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../model/incident.js';
import { buildJourneyMap } from './journey-map.js';
import { breaksTie, defaultRouting, impactScore, prioritise, priorityRank } from './priority.js';
import { impact, stormConfig } from './test-kit.test-suite.js';
import { money, sumByCurrency } from '../model/money.js';

const map = buildJourneyMap(stormConfig());
type Subject = Pick<Incident, 'journeys' | 'stages' | 'services'>;
const sepaConfirm: Subject = {
  journeys: ['sepa-instant'],
  stages: [{ journey: 'sepa-instant', step: 'confirm' }],
  services: ['sepa-gateway'],
};
const statements: Subject = { journeys: ['statements'], stages: [{ journey: 'statements', step: 'download' }], services: ['pdf-renderer'] };
const quiet = { maxBurnRate: 0.5, customersAffected: 0, failuresPerHour: 0, valueAtRiskPerHour: [], criticalStage: false };

describe('impactScore', () => {
  it.each([
    ['nothing but the tier', { ...quiet }, 'informational', 0],
    ['critical tier and stage', { ...quiet, criticalStage: true }, 'critical', 4],
    ['burn 1 / 6 / 14.4 give 1 / 2 / 3', { ...quiet, maxBurnRate: 14.4 }, 'standard', 1 + 3],
    ['burn just under 6', { ...quiet, maxBurnRate: 5.99 }, 'standard', 1 + 1],
    ['no events: no burn points', { ...quiet, maxBurnRate: null }, 'core', 2],
    ['customers 10 / 100 / 1,000', { ...quiet, customersAffected: 999 }, 'informational', 2],
    ['value 100 / 1k / 10k per hour', { ...quiet, valueAtRiskPerHour: [money(10_000, 'EUR')] }, 'informational', 3],
    [
      'everything at the top',
      { maxBurnRate: 22, customersAffected: 2140, failuresPerHour: 3000, valueAtRiskPerHour: [money(38_000, 'EUR')], criticalStage: true },
      'critical',
      13,
    ],
  ])('%s', (_name, overrides, tier, total) => {
    expect(impactScore(impact(overrides), map.tierRank(tier)).total).toBe(total);
  });
});

describe('prioritise', () => {
  it('P1 for the first docs/alerting.md ("Priority") reason, paged, with the reason in words', () => {
    const decision = prioritise(
      { journeys: ['sepa-instant'], stages: [{ journey: 'sepa-instant', step: 'confirm' }], services: ['core-ledger'] },
      impact({
        maxBurnRate: 22,
        customersAffected: 2140,
        valueAtRiskPerHour: [money(38_400, 'EUR')],
        tier: 'critical',
        criticalStage: true,
      }),
      ['warning'],
      map,
    );
    expect(decision).toMatchObject({
      priority: 'P1',
      paged: true,
      severityTieBreak: false,
      reason: 'sepa-instant confirm step failing for 2,140 customers, €38k/h at risk (critical tier, burn 22× the sustainable rate)',
    });
  });

  it.each([
    ['P2: a fast burn on a critical journey alone', sepaConfirm, { ...quiet, maxBurnRate: 15 }, 'P2'],
    [
      'P3: a slow burn on a standard journey',
      { journeys: ['view-balance'], stages: [{ journey: 'view-balance', step: 'balance' }], services: [] },
      { ...quiet, tier: 'standard', maxBurnRate: 2, customersAffected: 5 },
      'P3',
    ],
    ['P3: informational, even burning fast', statements, { ...quiet, tier: 'informational', maxBurnRate: 20 }, 'P3'],
    [
      'P2: informational with a thousand customers and money',
      statements,
      { ...quiet, tier: 'informational', maxBurnRate: 20, customersAffected: 1000 },
      'P2',
    ],
  ])('%s', (_name, subject, overrides, priority) => {
    expect(prioritise(subject, impact(overrides), [], map).priority).toBe(priority);
  });

  it('P4 and never paged without customer impact, without an assessment, or without a journey', () => {
    const card: Subject = { journeys: ['card-payment'], stages: [{ journey: 'card-payment', step: 'screen' }], services: ['card-gateway'] };
    expect(prioritise(card, impact({ customerImpact: false, maxBurnRate: 30 }), ['critical'], map)).toMatchObject({
      priority: 'P4',
      paged: false,
      score: null,
      reason: 'no customer impact: card-gateway alerts while card-payment succeeds normally',
    });
    expect(prioritise(card, null, ['critical'], map)).toMatchObject({
      priority: 'P4',
      paged: false,
      reason: 'customer impact not assessed yet: card-gateway alerts on card-payment',
    });
    expect(
      prioritise({ journeys: [], stages: [], services: ['hr-portal'] }, impact({ customersAffected: 5000 }), ['critical'], map),
    ).toMatchObject({
      priority: 'P4',
      paged: false,
      reason: 'no journey depends on hr-portal',
    });
    expect(prioritise({ journeys: [], stages: [], services: ['hr-portal', 'build-runners'] }, null, [], map).reason).toBe(
      'no journey depends on hr-portal and build-runners',
    );
  });

  it('uses the journeys’ best tier when the impact names none', () => {
    expect(prioritise(sepaConfirm, impact({ ...quiet, tier: null, maxBurnRate: 15 }), [], map).score?.tier).toBe(3);
  });

  it('technical severity lifts only a score exactly one below a boundary, by one level', () => {
    // critical tier 3 + critical stage 1 + burn ≥ 1 (1) + 10 customers (1) + value ≥ 100 (1) = 7 … 8 with burn ≥ 6.
    const at8 = impact({ maxBurnRate: 6, customersAffected: 10, valueAtRiskPerHour: [money(100, 'EUR')], criticalStage: true });
    expect(impactScore(at8, 3).total).toBe(8);
    expect(prioritise(sepaConfirm, at8, ['warning'], map).priority).toBe('P2');
    expect(prioritise(sepaConfirm, at8, ['warning', 'CRITICAL'], map)).toMatchObject({ priority: 'P1', severityTieBreak: true });
    // 7 is two below P1: severity does nothing.
    const at7 = impact({ maxBurnRate: 1, customersAffected: 10, valueAtRiskPerHour: [money(100, 'GBP')], criticalStage: true });
    expect(prioritise(sepaConfirm, at7, ['critical'], map)).toMatchObject({ priority: 'P2', severityTieBreak: false });
    // 4 is one below P2.
    const at4 = impact({ ...quiet, criticalStage: true });
    expect(prioritise(sepaConfirm, at4, ['info'], map).priority).toBe('P3');
    expect(prioritise(sepaConfirm, at4, ['page'], map).priority).toBe('P2');
  });

  it('routes P1–P2 to a page, P3 to a ticket, P4 nowhere, and follows a given routing', () => {
    expect(defaultRouting).toEqual({ P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' });
    const p2 = impact({ ...quiet, maxBurnRate: 15 });
    expect(prioritise(sepaConfirm, p2, [], map, { ...defaultRouting, P2: 'ticket' })).toMatchObject({ priority: 'P2', paged: false });
  });

  it('breaksTie knows the usual spellings of a critical severity', () => {
    expect(breaksTie([null, 'warning', 'info'])).toBe(false);
    expect(breaksTie(['High'])).toBe(true);
    expect(breaksTie(['page'])).toBe(true);
  });
});

describe('prioritise: monotonic in impact', () => {
  const anImpact = fc.record({
    customerImpact: fc.boolean(),
    maxBurnRate: fc.option(fc.double({ min: 0, max: 100, noNaN: true })),
    customersAffected: fc.integer({ min: 0, max: 20_000 }),
    failuresPerHour: fc.integer({ min: 0, max: 50_000 }),
    valueAtRiskPerHour: fc
      .array(
        fc.record({ amount: fc.integer({ min: 0, max: 20_000_000 }).map((c) => c / 100), currency: fc.constantFrom('EUR', 'GBP', 'JPY') }),
        { maxLength: 3 },
      )
      .map(sumByCurrency),
    criticalStage: fc.boolean(),
    tier: fc.constantFrom('critical', 'core', 'standard', 'informational'),
  });
  const more = fc.record({
    burn: fc.double({ min: 0, max: 50, noNaN: true }),
    customers: fc.integer({ min: 0, max: 5000 }),
    value: fc.record({
      amount: fc.integer({ min: 0, max: 5_000_000 }).map((c) => c / 100),
      currency: fc.constantFrom('EUR', 'GBP', 'JPY'),
    }),
  });
  const severities = fc.array(fc.constantFrom<string | null>('critical', 'warning', 'info', null), { maxLength: 3 });

  it('more customers, more value at risk or a higher burn never lowers the priority', () => {
    fc.assert(
      fc.property(anImpact, more, severities, (base, extra, sev) => {
        const before = prioritise(sepaConfirm, impact(base), sev, map);
        const after = prioritise(
          sepaConfirm,
          impact({
            ...base,
            maxBurnRate: base.maxBurnRate === null ? extra.burn : base.maxBurnRate + extra.burn,
            customersAffected: base.customersAffected + extra.customers,
            valueAtRiskPerHour: sumByCurrency([...base.valueAtRiskPerHour, money(extra.value.amount, extra.value.currency)]),
          }),
          sev,
          map,
        );
        expect(priorityRank(after.priority)).toBeLessThanOrEqual(priorityRank(before.priority));
      }),
      { numRuns: 500 },
    );
  });

  it('customer impact, a critical stage, a higher tier or a critical severity never lowers it either', () => {
    fc.assert(
      fc.property(anImpact, severities, (base, sev) => {
        const before = priorityRank(prioritise(sepaConfirm, impact(base), sev, map).priority);
        const raised = [
          prioritise(sepaConfirm, impact({ ...base, customerImpact: true }), sev, map),
          prioritise(sepaConfirm, impact({ ...base, criticalStage: true }), sev, map),
          prioritise(sepaConfirm, impact({ ...base, tier: 'critical' }), sev, map),
          prioritise(sepaConfirm, impact(base), [...sev, 'critical'], map),
        ];
        for (const decision of raised) expect(priorityRank(decision.priority)).toBeLessThanOrEqual(before);
      }),
      { numRuns: 500 },
    );
  });
});
