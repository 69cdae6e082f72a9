/**
 * Benchmark: alert correlation throughput on a synthetic storm of 10,000 alerts over 500 services and
 * 50 journeys, against a plain group-by-labels baseline timed in the same run (target: the storm in ≤ 1 s).
 */
import { performance } from 'node:perf_hooks';
import { mulberry32, type Rng } from '../demo/random.js';
import { Correlator } from '../incidents/correlate.js';
import { buildJourneyMap, type JourneyMap } from '../incidents/journey-map.js';
import type { IncomingAlert } from '../model/alert.js';
import { type AlertingSpec, DEFAULT_SERVICE_LABELS, DEFAULT_TIERS, type JourneySpec, type VigilConfig } from '../model/config.js';

export interface CorrelationBench {
  alerts: number;
  /** Median time to replay the whole storm through a fresh Correlator. */
  ms: number;
  /** Median time to group the same alerts by alertname + service in a Map. */
  baselineMs: number;
  /** ms / baselineMs: what correlating by journey stage costs over grouping by labels. */
  ratio: number;
  /** Incidents left after the replay (merged-away ones not counted). */
  incidents: number;
  /** The same storm replayed in a scrambled order: its median time, and its incidents (the same grouping gives the same count). */
  scrambledMs: number;
  scrambledIncidents: number;
}

const ALERTS = 10_000;
const SERVICES = 500;
const JOURNEYS = 50;
const STEPS_PER_JOURNEY = 5;
/** Services shared by many steps (gateways, ledgers); the rest belong to one step, and 50 to no journey at all. */
const PLATFORM_SERVICES = 60;
const NOISE_SERVICES = 50;
const STORM_MINUTES = 120;
const ROUNDS = 7;
const T0 = Date.parse('2026-11-26T10:00:00Z');
const TIERS = ['critical', 'core', 'standard', 'informational'];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

/** 50 journeys of 5 steps; each step depends on one or two services of its own and maybe a platform service. */
function benchConfig(rng: Rng): Pick<VigilConfig, 'journeys' | 'tiers'> {
  const own = SERVICES - PLATFORM_SERVICES - NOISE_SERVICES;
  let next = 0;
  const journeys: JourneySpec[] = [];
  for (let j = 0; j < JOURNEYS; j++) {
    const steps = Array.from({ length: STEPS_PER_JOURNEY }, (_, s) => {
      const services = [`svc-${next++ % own}`];
      if (rng() < 0.5) services.push(`svc-${next++ % own}`);
      if (rng() < 0.4) services.push(`platform-${Math.floor(rng() * PLATFORM_SERVICES)}`);
      return { name: `step-${s}`, services, critical: s === STEPS_PER_JOURNEY - 1 };
    });
    journeys.push({ name: `journey-${j}`, displayName: `Journey ${j}`, tier: TIERS[j % TIERS.length]!, steps, slos: [] });
  }
  return { journeys, tiers: DEFAULT_TIERS };
}

/**
 * Faults of 10–40 alerts over a few minutes on one journey service (sometimes a platform one), with
 * an SLO burn alert for some; 10% noise on services no journey depends on; 2% alerts naming no service.
 */
function benchStorm(rng: Rng, config: Pick<VigilConfig, 'journeys'>): IncomingAlert[] {
  const journeyServices = [...new Set(config.journeys.flatMap((j) => j.steps.flatMap((s) => s.services)))];
  const alerts: IncomingAlert[] = [];
  const add = (name: string, labels: Record<string, string>, minute: number, extra: Partial<IncomingAlert> = {}) =>
    alerts.push({
      source: 'alertmanager',
      sourceKey: `a${alerts.length}`,
      status: 'firing',
      name,
      summary: name,
      severity: rng() < 0.2 ? 'critical' : 'warning',
      labels: { alertname: name, ...labels },
      annotations: {},
      startsAt: T0 + Math.round(minute * 60_000),
      endsAt: null,
      ...extra,
    });
  while (alerts.length < ALERTS * 0.88) {
    const service = pick(rng, journeyServices);
    const start = rng() * STORM_MINUTES;
    const size = 10 + Math.floor(rng() * 30);
    for (let i = 0; i < size; i++)
      add(
        pick(rng, ['HighLatency', 'HTTP5xxRate', 'PodCrashLooping', 'Timeouts']),
        { service, instance: `${service}-${i}` },
        start + rng() * 6,
      );
    if (rng() < 0.3) {
      const journey = pick(rng, config.journeys);
      add(`${journey.name} burn`, {}, start + rng() * 4, {
        source: 'slo',
        stages: [{ journey: journey.name, step: pick(rng, journey.steps).name }],
        labels: {},
      });
    }
  }
  while (alerts.length < ALERTS * 0.98) add('DiskFull', { job: `noise-${Math.floor(rng() * NOISE_SERVICES)}` }, rng() * STORM_MINUTES);
  while (alerts.length < ALERTS)
    add(pick(rng, ['NodeClockSkew', 'Watchdog', 'NodeDiskPressure']), { instance: `node-${alerts.length}` }, rng() * STORM_MINUTES);
  // Delivered roughly in time order, with up to a minute of jitter.
  return alerts
    .map((alert) => ({ alert, at: alert.startsAt! + rng() * 60_000 }))
    .sort((a, b) => a.at - b.at)
    .map(({ alert }) => alert);
}

/** Replays the storm through a fresh Correlator; returns the time taken and the incidents left. */
function replay(storm: readonly IncomingAlert[], journeyMap: JourneyMap, alerting: AlertingSpec): { ms: number; incidents: number } {
  let id = 0;
  const started = performance.now();
  const correlator = new Correlator({ journeyMap, alerting, newId: () => `inc-${++id}` });
  for (const alert of storm) correlator.receive(alert, alert.startsAt!);
  return { ms: performance.now() - started, incidents: correlator.openIncidents().length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Replays the synthetic storm through a fresh Correlator several times and times a group-by-labels
 * baseline over the same alerts in the same run; medians of both.
 * @example const { ms, ratio } = benchCorrelation(); // ms ≤ 1000 is the target
 */
export function benchCorrelation(): CorrelationBench {
  const rng = mulberry32(7);
  const config = benchConfig(rng);
  const storm = benchStorm(rng, config);
  const journeyMap = buildJourneyMap(config);
  const alerting: AlertingSpec = { serviceLabels: [...DEFAULT_SERVICE_LABELS], correlationWindowMinutes: 10, serviceRules: [] };

  // A fixed scramble: position i takes alert (i × 7919) mod n, a permutation since 7919 is prime and does not divide n.
  const scrambled = storm.map((_, i) => storm[(i * 7919) % storm.length]!);

  const correlatorTimes: number[] = [];
  const scrambledTimes: number[] = [];
  const baselineTimes: number[] = [];
  let incidents = 0;
  let scrambledIncidents = 0;
  let groups = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const live = replay(storm, journeyMap, alerting);
    const mixed = replay(scrambled, journeyMap, alerting);
    incidents = live.incidents;
    scrambledIncidents = mixed.incidents;

    const baselineStarted = performance.now();
    const byLabels = new Map<string, string[]>();
    for (const alert of storm) {
      const key = `${alert.labels['alertname'] ?? alert.name}\u0000${alert.labels['service'] ?? alert.labels['job'] ?? ''}`;
      const group = byLabels.get(key);
      if (group) group.push(alert.sourceKey);
      else byLabels.set(key, [alert.sourceKey]);
    }
    const baselineElapsed = performance.now() - baselineStarted;
    groups = byLabels.size;
    // Round 0 warms the JIT up and is not counted.
    if (round > 0) {
      correlatorTimes.push(live.ms);
      scrambledTimes.push(mixed.ms);
      baselineTimes.push(baselineElapsed);
    }
  }
  if (groups === 0) throw new Error('the baseline grouped nothing');
  const ms = median(correlatorTimes);
  const baselineMs = median(baselineTimes);
  return {
    alerts: storm.length,
    ms,
    baselineMs,
    ratio: ms / baselineMs,
    incidents,
    scrambledMs: median(scrambledTimes),
    scrambledIncidents,
  };
}
