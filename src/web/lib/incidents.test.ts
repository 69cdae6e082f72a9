import { describe, expect, it } from 'vitest';
import type { Alert } from './api-types.js';
import { alert, at, incident } from './fixtures.test-data.js';
import { alertTimeline, byUrgency, groupByStage, incidentActions, noiseSentence } from './incidents.js';

const MIN = 60_000;

describe('groupByStage', () => {
  const incidents = [
    incident({ id: 'a', priority: 'P3', openedAt: at(5), stages: [{ journey: 'login', step: 'mfa' }], journeys: ['login'] }),
    incident({
      id: 'b',
      priority: 'P1',
      openedAt: at(1),
      stages: [{ journey: 'card-payment', step: 'authorise' }],
      journeys: ['card-payment'],
    }),
    incident({
      id: 'c',
      priority: 'P1',
      openedAt: at(9),
      status: 'resolved',
      stages: [{ journey: 'card-payment', step: 'authorise' }],
      journeys: ['card-payment'],
    }),
    incident({ id: 'd', priority: 'P1', openedAt: at(3) }),
    incident({ id: 'e', priority: 'P2', openedAt: at(4), stages: [{ journey: 'login', step: null }], journeys: ['login'] }),
  ];
  const groups = groupByStage(incidents, new Map([['card-payment', 'Card payment']]));

  it('groups under the first stage, most urgent group first, what touches no journey last', () => {
    expect(groups.map((g) => [g.key, g.incidents.map((i) => i.id)])).toEqual([
      ['card-payment/authorise', ['b', 'c']],
      ['login', ['e']],
      ['login/mfa', ['a']],
      ['', ['d']],
    ]);
  });
  it('labels groups with the journey’s display name and step', () => {
    expect(groups.map((g) => g.label)).toEqual(['Card payment › authorise', 'login', 'login › mfa', 'No customer journey']);
  });
  it('orders unresolved before resolved, then by priority, then newest', () => {
    const sorted = [
      incident({ id: 'x', status: 'resolved', priority: 'P1' }),
      incident({ id: 'y', priority: 'P2', openedAt: at(1) }),
      incident({ id: 'z', priority: 'P2', openedAt: at(2) }),
    ].sort(byUrgency);
    expect(sorted.map((i) => i.id)).toEqual(['z', 'y', 'x']);
  });
});

describe('alertTimeline', () => {
  it('places each alert from its start to its end (or now) across the incident’s span', () => {
    const alerts: Alert[] = [
      alert({ key: 'b', startsAt: at(10 * MIN), endsAt: at(20 * MIN), status: 'resolved' }),
      alert({ key: 'a', startsAt: at(0), service: 'card-gateway' }),
    ];
    const timeline = alertTimeline(alerts, 40 * MIN);
    expect(timeline.from).toBe(0);
    expect(timeline.to).toBe(40 * MIN);
    expect(timeline.bars.map((b) => [b.key, b.left, b.width, b.firing])).toEqual([
      ['a', 0, 100, true],
      ['b', 25, 25, false],
    ]);
  });
  it('keeps a one-off alert visible and inside the track', () => {
    const timeline = alertTimeline(
      [
        alert({ key: 'x', startsAt: at(0), endsAt: at(0), status: 'resolved' }),
        alert({ key: 'y', startsAt: at(100 * MIN), endsAt: at(100 * MIN), status: 'resolved' }),
      ],
      100 * MIN,
    );
    expect(timeline.bars[0]!.width).toBe(0.5);
    expect(timeline.bars[1]!.left + timeline.bars[1]!.width).toBeLessThanOrEqual(100);
  });
  it('is empty without alerts', () => {
    expect(alertTimeline([], 5).bars).toEqual([]);
  });
});

describe('noiseSentence and actions', () => {
  it('states alerts received → incidents → paged, with the share folded away', () => {
    const stats = {
      from: '',
      to: '',
      alertsReceived: 1204,
      incidentsOpened: 9,
      incidentsPaged: 3,
      compressionRatio: 1 - 9 / 1204,
      alertsPerPage: 1204 / 3,
    };
    expect(noiseSentence(stats, (n) => n.toLocaleString('en-GB'))).toBe(
      '1,204 alerts received → 9 incidents → 3 paged (99.2% folded away) · 1,204 alerts → 3 pages',
    );
    expect(noiseSentence({ ...stats, alertsReceived: 0, incidentsOpened: 0, incidentsPaged: 0, compressionRatio: null }, String)).toBe(
      '0 alerts received → 0 incidents → 0 paged · 0 alerts → 0 pages',
    );
  });
  it('offers acknowledge only when open, resolve until resolved', () => {
    expect(incidentActions({ status: 'open' })).toEqual({ acknowledge: true, resolve: true });
    expect(incidentActions({ status: 'acknowledged' })).toEqual({ acknowledge: false, resolve: true });
    expect(incidentActions({ status: 'resolved' })).toEqual({ acknowledge: false, resolve: false });
  });
});
