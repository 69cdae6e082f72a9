import { describe, expect, it } from 'vitest';
import type { GateResponse, SeriesDeployment } from './api-types.js';
import { correctionBands, deploymentMarkers, gateLine, labelRows, policyStyle, safeUrl, spentText } from './release.js';

const T = Date.UTC(2026, 10, 26, 10);
const iso = (ms: number) => new Date(ms).toISOString();

function deployment(over: Partial<SeriesDeployment> & { id: string; startedAt: string }): SeriesDeployment {
  return {
    service: 'payments-api',
    version: '2.14.0',
    author: 'ci',
    url: 'https://ci.example/run/2211',
    description: 'New fraud rules',
    attribution: { from: over.startedAt, to: iso(Date.parse(over.startedAt) + 3_600_000) },
    consumed: 0.3312,
    baseline: 0.04,
    excess: 0.2912,
    ...over,
  };
}

describe('deployment markers', () => {
  it('label each with its version and what it spent, oldest first, pinned to the range’s start when older', () => {
    const markers = deploymentMarkers(
      [
        deployment({ id: 'b', startedAt: iso(T + 60_000), version: '2.15.0', consumed: 0.004 }),
        deployment({ id: 'a', startedAt: iso(T - 600_000), consumed: null }),
        deployment({ id: 'c', startedAt: iso(T + 7_200_000) }),
      ],
      T,
      T + 3_600_000,
    );
    expect(markers.map((m) => [m.id, m.at, m.label])).toEqual([
      ['a', T / 1000, '2.14.0 · spend unknown: no events'],
      ['b', T / 1000 + 60, '2.15.0 · 0.4% of budget'],
    ]);
    expect(markers[1]).toMatchObject({ service: 'payments-api', author: 'ci', url: 'https://ci.example/run/2211', consumed: 0.004 });
  });

  it('spent: whole percent from 10% up, one decimal below, budgets beyond 100%', () => {
    expect(spentText(0.3312)).toBe('33% of budget');
    expect(spentText(2.5)).toBe('250% of budget');
    expect(spentText(0.0456)).toBe('4.5% of budget');
    expect(spentText(0)).toBe('0% of budget');
  });

  it('link only http and https', () => {
    expect(safeUrl('http://ci.example/1')).toBe('http://ci.example/1');
    for (const bad of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'JaVaScRiPt:alert(1)', 'ftp://x', 'not a url', '', null])
      expect(safeUrl(bad)).toBeNull();
    expect(deploymentMarkers([deployment({ id: 'x', startedAt: iso(T), url: 'javascript:alert(1)' })], T, T + 1)[0]!.url).toBeNull();
  });
});

describe('correction bands', () => {
  it('clamp to the range, keep the name and the reason, drop those outside', () => {
    const bands = correctionBands(
      [
        { name: 'ledger-upgrade', from: iso(T - 3_600_000), to: iso(T + 1_800_000), reason: 'Announced core-ledger upgrade' },
        { name: 'old', from: iso(T - 7_200_000), to: iso(T - 3_600_001), reason: null },
        { name: 'sunday-batch', from: iso(T + 2_400_000), to: iso(T + 9_000_000), reason: null },
      ],
      T,
      T + 3_600_000,
    );
    expect(bands).toEqual([
      {
        from: T / 1000,
        to: T / 1000 + 1800,
        label: 'ledger-upgrade',
        title: 'ledger-upgrade: events left out of every figure (Announced core-ledger upgrade)',
      },
      { from: T / 1000 + 2400, to: T / 1000 + 3600, label: 'sunday-batch', title: 'sunday-batch: events left out of every figure' },
    ]);
  });
});

describe('labelRows', () => {
  it('first fit: a label overlapping the previous goes a row down; beyond the rows it is left out', () => {
    expect(
      labelRows([
        { x: 0, width: 100 },
        { x: 50, width: 100 },
        { x: 120, width: 40 },
      ]),
    ).toEqual([0, 1, 0]);
    // A third overlapping label with two rows: no room.
    expect(
      labelRows([
        { x: 0, width: 100 },
        { x: 10, width: 100 },
        { x: 20, width: 100 },
      ]),
    ).toEqual([0, 1, null]);
    // The gap counts: after a label ending at 100, one at 102 needs a new row (gap 4), one at 104 does not; input order does not matter.
    expect(
      labelRows([
        { x: 104, width: 10 },
        { x: 0, width: 100 },
        { x: 102, width: 10 },
      ]),
    ).toEqual([0, 0, 1]);
  });
});

describe('policy states', () => {
  it('have an icon and a word each; a custom state reads neutral', () => {
    expect(['healthy', 'caution', 'frozen'].map((s) => policyStyle(s))).toEqual([
      { icon: '✓', label: 'Healthy', className: 'lvl-ok' },
      { icon: '▲', label: 'Caution', className: 'lvl-ticket' },
      { icon: '■', label: 'Frozen', className: 'lvl-exhausted' },
    ]);
    expect(policyStyle('hold')).toEqual({ icon: '◆', label: 'Hold', className: 'lvl-nodata' });
  });
});

describe('gateLine', () => {
  const margin = (text: string) => ({ failures: 412, fullOutageMinutes: 9, text });
  const gate = (decision: GateResponse['decision'], state: string, text: string): GateResponse => ({
    at: iso(T),
    decision,
    reasons: decision === 'allow' ? [] : [`wire-transfer/success is ${state}`],
    journeys: [
      {
        journey: 'wire-transfer',
        state,
        slos: [
          { slo: 'latency', state: 'healthy', remaining: 0.9, page: false, ticket: false, margin: margin('the latency margin') },
          { slo: 'success', state, remaining: 0.5, page: false, ticket: false, margin: margin(text) },
        ],
      },
    ],
    exception: null,
  });

  it('says the decision, this SLO’s margin and its state', () => {
    const text = "the budget absorbs 412 more failed attempts, or 9 minutes of full outage, at today's volume";
    expect(gateLine(gate('allow', 'healthy', text), 'wire-transfer', 'success')).toBe(
      "Release: allowed — the budget absorbs 412 more failed attempts, or 9 minutes of full outage, at today's volume (healthy).",
    );
    expect(gateLine(gate('deny', 'frozen', 'the budget is overspent by 6 failed attempts'), 'wire-transfer', 'success')).toBe(
      'Release: denied — the budget is overspent by 6 failed attempts (frozen).',
    );
    expect(gateLine(gate('warn', 'caution', 'x'), 'wire-transfer', 'latency')).toBe(
      'Release: allowed with a warning — the latency margin (healthy).',
    );
  });

  it('names an exception, and falls back to the first reason for an SLO the answer lacks', () => {
    const g = {
      ...gate('allow', 'frozen', 'overspent'),
      exception: {
        id: 'gx-1',
        journey: 'wire-transfer',
        service: null,
        until: iso(T + 3_600_000),
        reason: 'Fix for INC-2291',
        author: 'alice',
        createdAt: iso(T),
        active: true,
      },
    };
    expect(gateLine(g, 'wire-transfer', 'success')).toBe('Release: allowed by exception (alice: Fix for INC-2291) — overspent (frozen).');
    expect(gateLine(gate('cannot_decide', 'x', 'y'), 'other', 'success')).toBe('Release: cannot be decided — wire-transfer/success is x.');
  });
});
