/** The blind-spot sentence and the signals stream's wording (docs/signals.md ("Blind spots")). */
import { describe, expect, it } from 'vitest';
import type { SignalStatus } from './api-types.js';
import { blindSpotMessage, signalOrigin, signalStatusText } from './signals.js';

const status = (overrides: Partial<SignalStatus> = {}): SignalStatus => ({
  lastHour: 12,
  baseline: 3,
  minSpike: 10,
  spiking: true,
  blindSpot: true,
  ...overrides,
});

describe('blindSpotMessage', () => {
  it('names the journeys with a blind spot, or says nothing', () => {
    expect(blindSpotMessage([])).toBeNull();
    expect(blindSpotMessage([{ displayName: 'Login' }, { displayName: 'Cards', signals: status({ blindSpot: false }) }])).toBeNull();
    expect(blindSpotMessage([{ displayName: 'Statements', signals: status() }])).toBe(
      'Customers complain about Statements; no SLI shows it',
    );
    expect(
      blindSpotMessage([
        { displayName: 'Statements', signals: status() },
        { displayName: 'Login', signals: status({ blindSpot: false }) },
        { displayName: 'Card payment', signals: status() },
      ]),
    ).toBe('Customers complain about Statements and Card payment; no SLI shows them');
    const five = ['A', 'B', 'C', 'D', 'E'].map((displayName) => ({ displayName, signals: status() }));
    expect(blindSpotMessage(five)).toBe('Customers complain about A, B, C and 2 more; no SLI shows them');
    expect(blindSpotMessage(five.slice(0, 3))).toBe('Customers complain about A, B and C; no SLI shows them');
  });
});

describe('signalStatusText', () => {
  it('reads the last hour against the baseline, and what it means', () => {
    expect(signalStatusText(status())).toBe(
      '12 in the last hour against a usual 3 (same hour, last 4 weeks): spiking, and no SLI shows it',
    );
    expect(signalStatusText(status({ blindSpot: false, baseline: 3.25 }))).toBe(
      '12 in the last hour against a usual 3.25 (same hour, last 4 weeks): spiking, and the SLOs or infrastructure show it too',
    );
    expect(signalStatusText(status({ lastHour: 8, baseline: 0, spiking: false, blindSpot: false }))).toBe(
      '8 in the last hour against a usual 0 (same hour, last 4 weeks): no spike (a spike is at least 3 × the usual and at least 10)',
    );
  });
});

describe('signalOrigin', () => {
  it('says the source, the count when above 1, and the keyword that mapped it', () => {
    expect(signalOrigin({ source: 'app-store', keyword: 'pdf', count: 1 })).toBe('app-store · matched “pdf”');
    expect(signalOrigin({ source: 'call-centre', keyword: null, count: 14 })).toBe('call-centre × 14');
  });
});
