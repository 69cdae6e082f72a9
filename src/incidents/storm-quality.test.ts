import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../model/alert.js';
import { makeStorm, type Storm, type StormRecord, stormJson } from '../../test/fixtures/storm/make-storm.js';
import { Correlator } from './correlate.js';
import { compressionRatio, groupingMetrics } from './grouping-metrics.js';
import { buildJourneyMap } from './journey-map.js';
import { sequentialIds, stormConfig } from './test-kit.test-suite.js';

const STORM_PATH = new URL('../../test/fixtures/storm/storm.json', import.meta.url);
const text = readFileSync(STORM_PATH, 'utf8');
const storm = JSON.parse(text) as Storm;
const config = stormConfig();
const journeyMap = buildJourneyMap(config);
const keyOf = (record: StormRecord) => `${record.alert.source}:${record.alert.sourceKey}`;

function replay(records: readonly StormRecord[]): Correlator {
  const correlator = new Correlator({ journeyMap, alerting: config.alerting, newId: sequentialIds() });
  for (const record of records) correlator.receive(record.alert, record.at);
  return correlator;
}

const truthOf = new Map<string, string>();
for (const record of storm.records) truthOf.set(keyOf(record), record.truth);

function partition(alerts: readonly Alert[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const alert of alerts)
    if (alert.incidentId !== null) groups.set(alert.incidentId, [...(groups.get(alert.incidentId) ?? []), alert.key]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

describe('the labelled storm fixture', () => {
  it('is what make-storm.ts generates', () => {
    expect(text).toBe(stormJson(makeStorm()));
  });

  it('labels each alert with one true incident', () => {
    for (const record of storm.records) expect(record.truth).toBe(truthOf.get(keyOf(record)));
  });

  it('holds what it promises: simultaneous incidents, noise, flaps, re-sends, a shared service, late deliveries', () => {
    const at = (minute: number) => Date.parse('2026-11-26T10:00:00Z') + minute * 60_000;
    const firingAt = (t: number) =>
      new Set(
        storm.records.filter((r) => r.alert.status === 'firing' && r.alert.startsAt! <= t && r.at >= t - 15 * 60_000).map((r) => r.truth),
      );
    const busy = [...firingAt(at(12))].filter((truth) => !truth.startsWith('noise-'));
    expect(busy.length).toBeGreaterThanOrEqual(4);
    expect([...truthOf.values()].filter((t) => t.startsWith('noise-')).length).toBeGreaterThan(20);
    const firstSeen = new Map<string, StormRecord>();
    let resent = 0;
    let flapping = 0;
    let late = 0;
    let newest = 0;
    for (const record of storm.records) {
      const first = firstSeen.get(keyOf(record));
      if (!first) {
        firstSeen.set(keyOf(record), record);
        if (record.alert.startsAt! < newest - 60_000) late++;
        newest = Math.max(newest, record.alert.startsAt!);
      } else if (record.alert.status === 'firing' && record.alert.startsAt === first.alert.startsAt) resent++;
      else if (record.alert.status === 'firing') flapping++;
    }
    expect(resent).toBeGreaterThan(20);
    expect(flapping).toBeGreaterThanOrEqual(4);
    expect(late).toBeGreaterThan(5);
    expect(storm.records.some((r) => r.alert.labels['service'] === 'core-ledger' && r.truth === 'ledger-degradation')).toBe(true);
  });
});

describe('correlation quality on the storm', () => {
  const correlator = replay(storm.records);
  const alerts = correlator.alerts();
  const incidents = new Set(alerts.map((a) => a.incidentId));

  it('groups alerts as the truth does: pairwise precision ≥ 0.9, recall ≥ 0.9, compression ≥ 90%', () => {
    expect(alerts).toHaveLength(truthOf.size);
    expect(incidents.has(null)).toBe(false);
    const metrics = groupingMetrics(alerts.map((a) => ({ predicted: a.incidentId!, truth: truthOf.get(a.key)! })));
    const compression = compressionRatio(incidents.size, alerts.length)!;
    const opened = correlator.incidents().length;
    console.log(
      `storm: ${storm.records.length} deliveries, ${alerts.length} alerts, ${new Set(truthOf.values()).size} true incidents → ` +
        `${incidents.size} incidents (${opened} opened, ${opened - incidents.size} merged); precision ${metrics.precision.toFixed(3)}, ` +
        `recall ${metrics.recall.toFixed(3)}, compression ${(compression * 100).toFixed(1)}%`,
    );
    expect(metrics.precision).toBeGreaterThanOrEqual(0.9);
    expect(metrics.recall).toBeGreaterThanOrEqual(0.9);
    expect(compression).toBeGreaterThanOrEqual(0.9);
  });

  it('puts the shared-service alerts and both journeys’ burn alerts in one incident', () => {
    const ledger = alerts.filter((a) => a.service === 'core-ledger');
    const ids = new Set(ledger.map((a) => a.incidentId));
    expect(ids.size).toBe(1);
    const incident = correlator.incident([...ids][0]!)!;
    expect(incident.journeys.sort()).toEqual(['card-payment', 'sepa-instant']);
    expect(
      alerts
        .filter((a) => a.source === 'slo' && a.incidentId === incident.id)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['card-payment authorise-step page', 'sepa-instant confirm-step page']);
    expect(incident.title).toMatch(/^card-payment · authorise \+1 stage: \d+ alerts on core-ledger/);
  });

  it('keeps a flapping alert as one alert, and noise in unpaged P4 incidents', () => {
    const backlog = alerts.find((a) => a.name === 'SmsQueueBacklog')!;
    expect(backlog.flaps).toBe(3);
    const noise = [...incidents].map((id) => correlator.incident(id!)!).filter((i) => i.journeys.length === 0);
    expect(noise.length).toBeGreaterThanOrEqual(6);
    for (const incident of noise) expect(incident).toMatchObject({ priority: 'P4', paged: false });
  });

  it('groups the storm in event-time order exactly as in delivery order', () => {
    const eventTime = (r: StormRecord) => (r.alert.status === 'firing' ? r.alert.startsAt! : r.alert.endsAt!);
    const live = replay([...storm.records].sort((a, b) => eventTime(a) - eventTime(b)));
    expect(partition(live.alerts())).toEqual(partition(alerts));
  });
});
