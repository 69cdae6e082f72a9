/**
 * What `/metrics` says (docs/prometheus.md ("Metrics")) for hand-counted traffic on a real runtime: counters since start
 * (SLO events by result, amounts for a value-weighted SLI, journey and step outcomes, ingest, alerts received) and the
 * engine's figures as gauges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../config/load.js';
import { yaml } from '../config/test-yaml.js';
import type { IncomingAlert } from '../model/alert.js';
import { openStore } from '../store/open.js';
import type { IncidentService } from './incident-service.js';
import { countingIncidents, VigilMetrics } from './metrics.js';
import { VigilRuntime } from './runtime.js';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 30);
const CONFIG = yaml`
  version: vigil/v1
  journeys:
    - name: pay
      tier: critical
      value: { currency: EUR }
      steps: [{ name: confirm, services: [ledger] }]
      slos:
        - name: success
          objective: 99
          window: 28d
          sli: { kind: success }
        - name: money
          objective: 99
          window: 28d
          sli: { kind: success, weight: amount }
`;

let runtime: VigilRuntime;
let metrics: VigilMetrics;

beforeAll(async () => {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  runtime = await VigilRuntime.start({ config: loaded.config, store: await openStore(':memory:'), clock: () => NOW });
  metrics = new VigilMetrics(runtime, '9.9.9');
  const events = [
    { journey: 'pay', outcome: 'success', amount: 100.5 },
    { journey: 'pay', outcome: 'success', amount: 20 },
    { journey: 'pay', outcome: 'failure', amount: 1000.25 },
    { journey: 'pay', outcome: 'rejected', amount: 5 },
    { journey: 'pay', step: 'confirm', outcome: 'abandoned' },
    { id: 'dup', journey: 'pay', step: 'confirm', outcome: 'success' },
  ];
  metrics.countIngest(await runtime.ingestor.ingest(JSON.stringify(events), 'application/json'));
  // The same id again (a duplicate) and an unknown journey (rejected).
  const again = [
    { id: 'dup', journey: 'pay', step: 'confirm', outcome: 'success' },
    { journey: 'nope', outcome: 'success' },
  ];
  metrics.countIngest(await runtime.ingestor.ingest(JSON.stringify(again), 'application/json'));
});

afterAll(async () => {
  await runtime?.close();
});

/** The sample lines of a family, `name{labels} value`. */
const lines = (name: string) =>
  metrics
    .text(NOW)
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('VigilMetrics', () => {
  it('counts SLO events by result since start: events, and amounts for a value-weighted SLI', () => {
    expect(lines('vigil_slo_events_total')).toEqual([
      'vigil_slo_events_total{journey="pay",slo="success",result="good"} 2',
      'vigil_slo_events_total{journey="pay",slo="success",result="bad"} 1',
      'vigil_slo_events_total{journey="pay",slo="money",result="good"} 120.5',
      'vigil_slo_events_total{journey="pay",slo="money",result="bad"} 1000.25',
    ]);
  });

  it('gives the engine figures: window counts, objective, SLI, budget, burn rates, alerts and state', () => {
    const status = runtime.registry.status('pay', 'success', NOW)!;
    expect(status.good).toBe(2);
    expect(lines('vigil_slo_window_good')).toContain('vigil_slo_window_good{journey="pay",slo="success"} 2');
    expect(lines('vigil_slo_window_total')).toContain('vigil_slo_window_total{journey="pay",slo="success"} 3');
    expect(lines('vigil_slo_objective_ratio')).toContain('vigil_slo_objective_ratio{journey="pay",slo="success"} 0.99');
    expect(lines('vigil_slo_sli_ratio')).toContain(`vigil_slo_sli_ratio{journey="pay",slo="success"} ${2 / 3}`);
    // remaining = 1 − bad / (0.01 × 3) = 1 − 1 / 0.03
    expect(lines('vigil_slo_error_budget_remaining_ratio')).toContain(
      `vigil_slo_error_budget_remaining_ratio{journey="pay",slo="success"} ${status.errorBudget.remaining}`,
    );
    expect(status.errorBudget.remaining).toBeCloseTo(1 - 1 / 0.03, 12);
    // burn = (1/3) / 0.01 over every window: all events are in the last minute.
    const burns = lines('vigil_slo_burn_rate').filter((l) => l.includes('slo="success"'));
    expect(burns.map((l) => l.replace(/.*window="([^"]+)"} /, '$1 '))).toEqual(
      ['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `${w} ${status.burnRates[w]}`),
    );
    expect(status.burnRates['5m']).toBeCloseTo(100 / 3, 10);
    expect(lines('vigil_slo_alert_firing').filter((l) => l.includes('slo="success"'))).toEqual([
      'vigil_slo_alert_firing{journey="pay",slo="success",severity="page"} 1',
      'vigil_slo_alert_firing{journey="pay",slo="success",severity="ticket"} 1',
    ]);
    expect(lines('vigil_slo_state').filter((l) => l.includes('slo="success"') && l.endsWith(' 1'))).toEqual([
      'vigil_slo_state{journey="pay",slo="success",state="exhausted"} 1',
    ]);
  });

  it('counts journey and step outcomes, and the ingest', () => {
    expect(lines('vigil_journey_outcomes_total')).toEqual([
      'vigil_journey_outcomes_total{journey="pay",outcome="success"} 2',
      'vigil_journey_outcomes_total{journey="pay",outcome="failure"} 1',
      'vigil_journey_outcomes_total{journey="pay",outcome="rejected"} 1',
      'vigil_journey_outcomes_total{journey="pay",outcome="abandoned"} 0',
    ]);
    expect(lines('vigil_step_outcomes_total')).toEqual([
      'vigil_step_outcomes_total{journey="pay",step="confirm",outcome="success"} 1',
      'vigil_step_outcomes_total{journey="pay",step="confirm",outcome="failure"} 0',
      'vigil_step_outcomes_total{journey="pay",step="confirm",outcome="rejected"} 0',
      'vigil_step_outcomes_total{journey="pay",step="confirm",outcome="abandoned"} 1',
    ]);
    expect(lines('vigil_ingest_requests_total')).toEqual(['vigil_ingest_requests_total 2']);
    expect(lines('vigil_ingest_events_total')).toEqual([
      'vigil_ingest_events_total{result="accepted"} 6',
      'vigil_ingest_events_total{result="duplicate"} 1',
      'vigil_ingest_events_total{result="rejected"} 1',
    ]);
    expect(lines('vigil_build_info')).toEqual(['vigil_build_info{version="9.9.9"} 1']);
  });

  it('counts the alerts the incident service receives, by source, and passes every call through', async () => {
    const calls: string[] = [];
    const inner: IncidentService = {
      receiveAlerts: async (alerts) => {
        calls.push(`receive ${alerts.length}`);
        return { received: alerts.length, created: alerts.length, updated: 0, incidents: [] };
      },
      listIncidents: async () => {
        calls.push('list');
        return [];
      },
      countIncidents: async () => {
        calls.push('count');
        return 0;
      },
      incident: async () => {
        calls.push('incident');
        return null;
      },
      acknowledge: async () => {
        throw new Error('ack');
      },
      resolve: async () => {
        throw new Error('resolve');
      },
      stats: async () => {
        throw new Error('stats');
      },
    };
    const wrapped = countingIncidents(inner, metrics);
    const alert = (source: IncomingAlert['source']): IncomingAlert => ({
      source,
      sourceKey: `${source}-1`,
      status: 'firing',
      name: 'X',
      summary: '',
      severity: null,
      labels: {},
      annotations: {},
      startsAt: null,
      endsAt: null,
    });
    await wrapped.receiveAlerts([alert('alertmanager'), alert('alertmanager'), alert('grafana')], NOW);
    await wrapped.listIncidents({});
    expect(await wrapped.incident('x')).toBeNull();
    await expect(wrapped.acknowledge('x', NOW)).rejects.toThrow('ack');
    expect(calls).toEqual(['receive 3', 'list', 'incident']);
    expect(wrapped.firingTechnicalAlerts).toBeUndefined();
    expect(lines('vigil_alerts_received_total')).toEqual([
      'vigil_alerts_received_total{source="alertmanager"} 2',
      'vigil_alerts_received_total{source="grafana"} 1',
    ]);
  });

  it('exports the queue families only with --queue, pending absent until first read (docs/nats.md ("Watching it"))', () => {
    expect(lines('vigil_queue_pending')).toEqual([]);
    expect(metrics.text(NOW)).not.toContain('vigil_queue_');
    const progress = { published: 4, consumed: 5, eventsStored: 90, eventsDuplicate: 10, retried: 1, connected: false };
    const queued = new VigilMetrics(runtime, '9.9.9', () => ({ ...progress, pending: undefined }));
    const queueLines = (m: VigilMetrics) =>
      m
        .text(NOW)
        .split('\n')
        .filter((l) => l.startsWith('vigil_queue_'));
    expect(queueLines(queued)).toEqual([
      'vigil_queue_connected 0',
      'vigil_queue_batches_total{result="published"} 4',
      'vigil_queue_batches_total{result="consumed"} 5',
      'vigil_queue_batches_total{result="retried"} 1',
      'vigil_queue_events_total{result="stored"} 90',
      'vigil_queue_events_total{result="duplicate"} 10',
    ]);
    const read = new VigilMetrics(runtime, '9.9.9', () => ({ ...progress, connected: true, pending: 7 }));
    expect(queueLines(read).slice(0, 2)).toEqual(['vigil_queue_connected 1', 'vigil_queue_pending 7']);
  });
});
