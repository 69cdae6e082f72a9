import { describe, expect, it } from 'vitest';
import { incidentFromRow } from './alerting-rows.js';

const stored = (impact: unknown) => ({ data: JSON.stringify({ id: 'inc-1', impact }) });
const base = {
  customerImpact: true,
  maxBurnRate: 2,
  customersAffected: 3,
  failuresPerHour: 4,
  tier: null,
  criticalStage: false,
  assessedAt: 5,
};

describe('incidentFromRow', () => {
  it('reads an impact stored before value at risk was kept per currency as a list of one amount', () => {
    expect(incidentFromRow(stored({ ...base, valueAtRiskPerHour: 38_025.456, currency: 'EUR' })).impact).toStrictEqual({
      ...base,
      valueAtRiskPerHour: [{ amount: 38_025.46, currency: 'EUR' }],
    });
    expect(incidentFromRow(stored({ ...base, valueAtRiskPerHour: 0, currency: null })).impact).toStrictEqual({
      ...base,
      valueAtRiskPerHour: [],
    });
  });

  it('leaves the current shape and a missing impact as they are', () => {
    const current = { ...base, valueAtRiskPerHour: [{ amount: 1, currency: 'GBP' }] };
    expect(incidentFromRow(stored(current)).impact).toStrictEqual(current);
    expect(incidentFromRow(stored(null)).impact).toBeNull();
  });

  it('reads an incident stored before the key list was bounded with its alerts counted and its first 200 keys', () => {
    const keys = Array.from({ length: 450 }, (_, n) => `alertmanager:${n}`);
    const old = incidentFromRow({ data: JSON.stringify({ id: 'inc-1', impact: null, alertKeys: keys }) });
    expect(old.alertCount).toBe(450);
    expect(old.alertKeys).toEqual(keys.slice(0, 200));
    const current = incidentFromRow({ data: JSON.stringify({ id: 'inc-1', impact: null, alertKeys: ['a'], alertCount: 3 }) });
    expect([current.alertCount, current.alertKeys]).toEqual([3, ['a']]);
  });

  it('reads an incident stored with no impact field at all as impact null, the wire shape', () => {
    expect(incidentFromRow({ data: JSON.stringify({ id: 'inc-1' }) }).impact).toBeNull();
  });
});

describe('incidents stored before figures were kept', () => {
  it('read back without figures (the wire shows them as null)', () => {
    const stored = {
      id: 'inc-old',
      status: 'resolved',
      priority: 'P2',
      reason: 'r',
      title: 't',
      journeys: [],
      stages: [],
      services: [],
      alertKeys: [],
      lastAlertAt: 0,
      openedAt: 0,
      acknowledgedAt: null,
      resolvedAt: 1,
      paged: true,
      impact: null,
      mergedFrom: [],
      mergedInto: null,
      timeline: [],
    };
    const incident = incidentFromRow({ data: JSON.stringify(stored) });
    expect(incident.figures).toBeUndefined();
    expect(incident.impact).toBeNull();
  });
});
