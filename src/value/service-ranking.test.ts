/** Where to invest, hand-computed (docs/value.md ("Where to invest")): equal sharing, incidents that pin, currencies and tiers. */
import { describe, expect, it } from 'vitest';
import { attribution, type RankingIncident, type RankingJourney, rankServices } from './service-ranking.js';

const minutes = (entries: Record<number, number>) => new Map(Object.entries(entries).map(([m, n]) => [Number(m), n]));

/** pay: one step `send` on api and ledger; 6 failures in minute 10, 4 in minute 11, €2 an attempt. */
function pay(): RankingJourney {
  return {
    name: 'pay',
    tier: 'critical',
    steps: [{ name: 'send', services: ['api', 'ledger', 'api'] }],
    failures: new Map([['send', minutes({ 10: 6, 11: 4 })]]),
    // send-ok also counts 2 slow successes in minute 12; the whole-journey SLO has 3 bad in minute 10, 5 in minute 12.
    slos: [
      { name: 'send-ok', step: 'send', bad: minutes({ 10: 6, 11: 4, 12: 2 }), allowed: 40 },
      { name: 'journey', step: null, bad: minutes({ 10: 3, 12: 5 }), allowed: 10 },
    ],
    unit: [{ currency: 'EUR', amount: 2 }],
  };
}

const TIERS = ['critical', 'core', 'standard'];

describe('rankServices', () => {
  it('shares a step’s failures equally between its services when no incident pins one', () => {
    const r = rankServices({ journeys: [pay()], tierOrder: TIERS, catalogue: [], incidents: [], alerts: new Map([['ledger', 3]]) });
    // 10 failures / 2 services = 5 each, × €2 = €10. send-ok: 12 bad / 2 = 6 of 40 allowed = 0.15.
    // journey: minute 10's 3 bad follow that minute's step failures (3 + 3); minute 12 had no step failure: nobody's. 1.5 / 10 = 0.15.
    const expected = (name: string, alerts: number) => ({
      service: name,
      tier: 'critical',
      failedAttempts: 5,
      valueLost: [{ amount: 10, currency: 'EUR' }],
      slos: [
        { journey: 'pay', slo: 'send-ok', bad: 6, spent: 0.15 },
        { journey: 'pay', slo: 'journey', bad: 1.5, spent: 0.15 },
      ],
      incidents: [],
      alerts,
      pinnedAt: [],
    });
    // Equal harm: the louder service first, then by name.
    expect(r).toEqual({ currencies: ['EUR'], services: [expected('ledger', 3), expected('api', 0)] });
  });

  it('gives a minute’s failures to the one service an incident on that stage names', () => {
    const incidents: RankingIncident[] = [
      // Names ledger (and fraud, which send does not use) for minute 10 only: pins ledger.
      { id: 'inc-1', fromMinute: 10, toMinute: 11, stages: [{ journey: 'pay', step: 'send' }], services: ['ledger', 'fraud'] },
      // Names both of send's services: pins nothing.
      { id: 'inc-2', fromMinute: 0, toMinute: 100, stages: [{ journey: 'pay', step: 'send' }], services: ['api', 'ledger'] },
      // Another stage: pins nothing at send.
      { id: 'inc-3', fromMinute: 0, toMinute: 100, stages: [{ journey: 'pay', step: null }], services: ['api'] },
    ];
    const r = rankServices({ journeys: [pay()], tierOrder: TIERS, catalogue: [], incidents, alerts: new Map() });
    // Minute 10: all 6 to ledger; minute 11: 2 + 2. ledger 8 (€16), api 2 (€4).
    // send-ok: ledger 6 + 2 + 1 = 9 / 40 = 0.225; api 0 + 2 + 1 = 3 / 40 = 0.075.
    // journey: minute 10's 3 bad all follow ledger's 6 failures: 3 / 10 = 0.3; api none.
    expect(r.services).toEqual([
      {
        service: 'ledger',
        tier: 'critical',
        failedAttempts: 8,
        valueLost: [{ amount: 16, currency: 'EUR' }],
        slos: [
          { journey: 'pay', slo: 'send-ok', bad: 9, spent: 0.225 },
          { journey: 'pay', slo: 'journey', bad: 3, spent: 0.3 },
        ],
        incidents: ['inc-1', 'inc-2'],
        alerts: 0,
        pinnedAt: ['pay/send'],
      },
      {
        service: 'api',
        tier: 'critical',
        failedAttempts: 2,
        valueLost: [{ amount: 4, currency: 'EUR' }],
        slos: [
          { journey: 'pay', slo: 'send-ok', bad: 3, spent: 0.075 },
          { journey: 'pay', slo: 'journey', bad: 0, spent: 0 },
        ],
        incidents: ['inc-2', 'inc-3'],
        alerts: 0,
        pinnedAt: [],
      },
    ]);
  });

  it('splits between the services two incidents pin at the same minute', () => {
    const stage = [{ journey: 'pay', step: 'send' }];
    const incidents: RankingIncident[] = [
      { id: 'a', fromMinute: 10, toMinute: 11, stages: stage, services: ['api'] },
      { id: 'b', fromMinute: 10, toMinute: 11, stages: stage, services: ['ledger'] },
    ];
    expect(attribution('pay', pay().steps[0]!, 10, incidents)).toEqual(['api', 'ledger']);
    expect(attribution('pay', pay().steps[0]!, 11, incidents)).toEqual(['api', 'ledger']);
    expect(attribution('pay', pay().steps[0]!, 10, incidents.slice(1))).toEqual(['ledger']);
  });

  it('orders by tier, then value lost currency by currency (most failed attempts first), never adding currencies', () => {
    const journey = (name: string, tier: string, step: string, services: string[], failures: number, unit: RankingJourney['unit']) => ({
      name,
      tier,
      steps: [{ name: step, services }],
      failures: new Map([[step, minutes({ 10: failures })]]),
      slos: [],
      unit,
    });
    const r = rankServices({
      journeys: [
        journey('pay', 'critical', 'send', ['api', 'ledger'], 2, [{ currency: 'EUR', amount: 5 }]),
        journey('cards', 'standard', 'auth', ['cards-api', 'ledger'], 8, [{ currency: 'GBP', amount: 1 }]),
        journey('branch', 'standard', 'visit', ['branch-api'], 1, [{ currency: 'EUR', amount: 100 }]),
        journey('faq', 'informational', 'read', ['cms'], 50, null),
      ],
      tierOrder: TIERS,
      catalogue: [{ name: 'noisy', tier: 'critical' }, { name: 'ledger' }],
      incidents: [],
      alerts: new Map([
        ['noisy', 12],
        ['orphan', 2],
      ]),
    });
    // Failed attempts valued: GBP 8, EUR 2 + 1 = 3 (faq has no value): GBP is compared first.
    expect(r.currencies).toEqual(['GBP', 'EUR']);
    const rows = r.services.map((s) => [s.service, s.tier, s.failedAttempts, s.valueLost, s.alerts]);
    expect(rows).toEqual([
      // critical: ledger serves pay (critical) and cards (standard), and has no tier of its own.
      [
        'ledger',
        'critical',
        5,
        [
          { amount: 5, currency: 'EUR' },
          { amount: 4, currency: 'GBP' },
        ],
        0,
      ],
      ['api', 'critical', 1, [{ amount: 5, currency: 'EUR' }], 0],
      ['noisy', 'critical', 0, [], 12],
      // standard: £4 before €100, GBP being compared first.
      ['cards-api', 'standard', 4, [{ amount: 4, currency: 'GBP' }], 0],
      ['branch-api', 'standard', 1, [{ amount: 100, currency: 'EUR' }], 0],
      // A tier not in the order comes after the known ones; no tier at all, last.
      ['cms', 'informational', 50, [], 0],
      ['orphan', null, 0, [], 2],
    ]);
  });

  it('gives a null budget share when the SLO window allows nothing', () => {
    const j = pay();
    const r = rankServices({
      journeys: [{ ...j, slos: [{ ...j.slos[0]!, allowed: 0 }] }],
      tierOrder: TIERS,
      catalogue: [],
      incidents: [],
      alerts: new Map(),
    });
    expect(r.services.map((s) => s.slos[0]?.spent)).toEqual([null, null]);
  });
});
