import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type GateException } from '../model/release.js';
import {
  activeException,
  attributionInterval,
  deploymentSpend,
  type GateSlo,
  gateDecision,
  margin,
  marginText,
  policyState,
  worstState,
} from './release.js';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 26, 10, 0, 0);
const M = T / MIN;

describe('attributionInterval', () => {
  it('runs from the minute of startedAt to the minute of the earliest end, at least one minute', () => {
    expect(attributionInterval(T + 30_000, null, T + 10 * 86_400_000, 1440)).toEqual({ fromMinute: M, toMinute: M + 1440 });
    // The next deployment at 12:30:10 ends it in the minute 12:30 (excluded): 150 minutes.
    expect(attributionInterval(T + 30_000, T + 150 * MIN + 10_000, T + 86_400_000, 1440)).toEqual({ fromMinute: M, toMinute: M + 150 });
    // Now, 15 seconds later, is in the same minute: still one minute.
    expect(attributionInterval(T + 30_000, null, T + 45_000, 1440)).toEqual({ fromMinute: M, toMinute: M + 1 });
    // A shorter attribution window.
    expect(attributionInterval(T, null, T + 86_400_000, 60)).toEqual({ fromMinute: M, toMinute: M + 60 });
  });
});

describe('deploymentSpend', () => {
  it('computes consumed, baseline and excess by hand', () => {
    // allowed = 1% × 10,000 = 100; consumed = 30 / 100; baseline = (10 / 2,000) × 1,000 / 100 = 0.05.
    const spend = deploymentSpend({ objective: 99, bad: 30, total: 1000, windowTotal: 10_000, beforeBad: 10, beforeTotal: 2000 });
    expect(spend.consumed).toBeCloseTo(0.3, 12);
    expect(spend.baseline).toBeCloseTo(0.05, 12);
    expect(spend.excess).toBeCloseTo(0.25, 12);
  });
  it('a deploy that fixed things has a negative excess', () => {
    // allowed = 0.1% × 200,000 = 200; consumed = 20 / 200 = 0.1; baseline = (50 / 5,000) × 4,000 / 200 = 0.2.
    const spend = deploymentSpend({ objective: 99.9, bad: 20, total: 4000, windowTotal: 200_000, beforeBad: 50, beforeTotal: 5000 });
    expect(spend.consumed).toBeCloseTo(0.1, 12);
    expect(spend.baseline).toBeCloseTo(0.2, 12);
    expect(spend.excess).toBeCloseTo(-0.1, 12);
  });
  it('answers null where a divisor is zero', () => {
    expect(deploymentSpend({ objective: 99, bad: 0, total: 0, windowTotal: 0, beforeBad: 0, beforeTotal: 0 })).toEqual({
      consumed: null,
      baseline: null,
      excess: null,
    });
    expect(deploymentSpend({ objective: 99, bad: 5, total: 100, windowTotal: 1000, beforeBad: 0, beforeTotal: 0 })).toEqual({
      consumed: 0.5,
      baseline: null,
      excess: null,
    });
  });
});

describe('policyState and worstState', () => {
  it.each([
    [1, 'healthy'],
    [0.25, 'healthy'],
    [0.2499, 'caution'],
    [0, 'caution'],
    [-0.0001, 'frozen'],
    [-3, 'frozen'],
  ])('remaining %s is %s under the default policy', (remaining, state) => {
    expect(policyState(remaining, DEFAULT_POLICY.states)).toBe(state);
  });
  it('falls to the last state when none matches, and the worst is the lowest in the list', () => {
    expect(
      policyState(-1, [
        { name: 'a', minRemaining: 0.5 },
        { name: 'b', minRemaining: 0 },
      ]),
    ).toBe('b');
    expect(worstState(['healthy', 'frozen', 'caution'], DEFAULT_POLICY.states)).toBe('frozen');
    expect(worstState([], DEFAULT_POLICY.states)).toBeNull();
  });
});

describe('margin', () => {
  it('is allowed − bad, and that over the events per minute of the window', () => {
    // 500 allowed, 88 spent: 412 more; 500,000 events over 40,320 minutes = 12.4007… a minute → 33.2237 minutes.
    const m = margin(500, 88, 500_000, 40_320);
    expect(m.failures).toBe(412);
    expect(m.fullOutageMinutes).toBeCloseTo((412 * 40_320) / 500_000, 12);
    // The docs' example: 6 overspent at 6 ÷ 3.5 events a minute.
    expect(margin(10, 16, 120, 70)).toEqual({ failures: -6, fullOutageMinutes: -3.5 });
    expect(margin(0, 0, 0, 40_320)).toEqual({ failures: 0, fullOutageMinutes: null });
  });
  it('reads as the sentence the gate prints', () => {
    expect(marginText({ failures: 412.4, fullOutageMinutes: 9 })).toBe(
      "the budget absorbs 412 more failed attempts, or 9 minutes of full outage, at today's volume",
    );
    expect(marginText({ failures: 1, fullOutageMinutes: 33.2237 })).toBe(
      "the budget absorbs 1 more failed attempt, or 33 minutes of full outage, at today's volume",
    );
    expect(marginText({ failures: -6, fullOutageMinutes: -3.5 })).toBe(
      'the budget is overspent by 6 failed attempts, or 3.5 minutes of full outage',
    );
    expect(marginText({ failures: 0, fullOutageMinutes: null })).toBe('no events in the window: no margin to measure');
  });
});

const slo = (state: string, remaining: number, page = false, ticket = false): GateSlo => ({
  journey: 'pay',
  slo: 'success',
  state,
  remaining,
  page,
  ticket,
});
const exception: GateException = {
  id: 'x1',
  journey: 'pay',
  service: null,
  until: T + 3_600_000,
  reason: 'hotfix',
  author: 'ana',
  createdAt: T,
};

describe('gateDecision over every policy state', () => {
  it.each([
    ['healthy', 0.5, false, false, 'allow', []],
    ['healthy', 0.5, false, true, 'warn', ['pay/success has a ticket alert firing']],
    ['healthy', 0.5, true, false, 'deny', ['pay/success is paging: a page alert is firing']],
    ['caution', 0.1, false, false, 'warn', ['pay/success is caution: 10% of the budget left']],
    ['caution', 0.1, false, true, 'warn', ['pay/success is caution: 10% of the budget left', 'pay/success has a ticket alert firing']],
    [
      'caution',
      0,
      true,
      true,
      'deny',
      [
        'pay/success is paging: a page alert is firing',
        'pay/success is caution: 0% of the budget left',
        'pay/success has a ticket alert firing',
      ],
    ],
    ['frozen', -0.12, false, false, 'deny', ['pay/success is frozen: budget 12% overspent']],
    ['frozen', -0.12, false, true, 'deny', ['pay/success is frozen: budget 12% overspent', 'pay/success has a ticket alert firing']],
  ] as const)('%s (remaining %s, page %s, ticket %s) → %s', (state, remaining, page, ticket, decision, reasons) => {
    expect(gateDecision([slo(state, remaining, page, ticket)], DEFAULT_POLICY.gate, null)).toEqual({ decision, reasons });
  });

  it('the worst SLO decides, an exception turns deny (only) into allow and is named', () => {
    const both = [slo('healthy', 0.9), { ...slo('frozen', -1), slo: 'latency' }];
    expect(gateDecision(both, DEFAULT_POLICY.gate, null).decision).toBe('deny');
    expect(gateDecision(both, DEFAULT_POLICY.gate, exception)).toEqual({
      decision: 'allow',
      reasons: ['exception by ana until 2026-11-26T11:00:00.000Z: hotfix', 'pay/latency is frozen: budget 100% overspent'],
    });
    expect(gateDecision([slo('caution', 0.1)], DEFAULT_POLICY.gate, exception).decision).toBe('warn');
    expect(gateDecision([], DEFAULT_POLICY.gate, null).decision).toBe('cannot_decide');
  });

  it('follows a custom policy', () => {
    const gate = { deny: ['red'], warn: [] };
    expect(gateDecision([slo('red', -0.5, true)], gate, null).reasons).toEqual(['pay/success is red: budget 50% overspent']);
    expect(gateDecision([slo('amber', 0.1, true, true)], gate, null).decision).toBe('allow');
  });
});

describe('activeException', () => {
  it('is the latest unexpired one for the journey, or for a service concerning only that journey', () => {
    const later = { ...exception, id: 'x2', createdAt: T + 1, until: T + 60_000 };
    const forService = { ...exception, id: 'x3', journey: null, service: 'ledger' };
    const all = [exception, later, forService];
    expect(activeException(all, { journey: 'pay' }, T + 1000)?.id).toBe('x2');
    expect(activeException(all, { journey: 'pay' }, T + 60_000)?.id).toBe('x1');
    expect(activeException(all, { journey: 'pay' }, T + 3_600_000)).toBeNull();
    expect(activeException(all, { service: 'ledger' }, T + 1000)?.id).toBe('x3');
    expect(activeException([exception], { service: 'ledger' }, T + 1000, ['pay'])?.id).toBe('x1');
    expect(activeException([exception], { service: 'ledger' }, T + 1000, ['pay', 'cards'])).toBeNull();
    expect(activeException(all, { journey: 'cards' }, T + 1000)).toBeNull();
  });
});
