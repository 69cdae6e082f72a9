/**
 * Benchmark: evaluate the status of every SLO at one instant, for N SLOs with 28 days of minute data
 * each. Runs in its own process per N so that peak memory is that case's alone.
 */
import { readFileSync } from 'node:fs';
import { SloRegistry } from '../engine/slo-registry.js';
import { MINUTES_PER_DAY } from '../engine/minute-series.js';
import { sliDefinition } from '../engine/sli.js';
import type { JourneySpec, SloSpec, VigilConfig } from '../model/config.js';

export interface EvaluateCaseResult {
  slos: number;
  /** Per-minute counts are multiplied by this: the event volume, which must not change the time. */
  volume: number;
  minutesPerSlo: number;
  loadMs: number;
  /** Median time of one evaluation of all SLOs. */
  evaluateMs: number;
  peakRssBytes: number;
}

const SLOS_PER_JOURNEY = 10;
const DAYS = 28 + 3; // the window plus the longest burn window

function benchConfig(slos: number): VigilConfig {
  const journeys: JourneySpec[] = [];
  for (let j = 0; j * SLOS_PER_JOURNEY < slos; j++) {
    const list: SloSpec[] = [];
    for (let s = 0; s < SLOS_PER_JOURNEY && j * SLOS_PER_JOURNEY + s < slos; s++) {
      const timeslices = s === 9; // one SLO in ten budgets by timeslices
      list.push({
        name: `slo-${s}`,
        objective: 99.9,
        window: { kind: 'rolling', minutes: 28 * MINUTES_PER_DAY, text: '28d' },
        budgeting: timeslices ? 'timeslices' : 'occurrences',
        timeSliceTarget: 99,
        // A distinct latency threshold per SLO gives every SLO its own series: no sharing flatters the figures.
        sli: { kind: 'latency', thresholdMs: 1000 + s, abandonedIsBad: false },
        alerting: { minEvents: 0 },
      });
    }
    journeys.push({
      name: `journey-${j}`,
      displayName: `Journey ${j}`,
      tier: 'critical',
      steps: [{ name: 'step', services: ['svc'], critical: false }],
      slos: list,
    });
  }
  return {
    version: 'vigil/v1',
    defaults: { timezone: 'Europe/London' },
    tiers: { critical: { name: 'critical', objective: 99.9 } },
    services: [],
    journeys,
    alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
    retention: { rawEventsDays: 35 },
    ingest: { maxBodyBytes: 10_485_760 },
  };
}

/** Peak resident memory of this process (VmHWM on Linux). */
export function peakRss(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall back to the current RSS
  }
  return process.memoryUsage().rss;
}

/** Build the registry for `slos` SLOs, fill 31 days of minutes, and time evaluations at one instant. */
export function runEvaluateCase(slos: number, volume: number, rounds = 7): EvaluateCaseResult {
  const config = benchConfig(slos);
  const registry = new SloRegistry(config);
  const at = Date.UTC(2026, 10, 26, 10, 17, 30);
  const lastDay = Math.floor(at / 60_000 / MINUTES_PER_DAY);
  const loadStart = performance.now();
  const day = new Uint32Array(MINUTES_PER_DAY * 2);
  let k = 0;
  for (const journey of config.journeys) {
    for (const slo of journey.slos) {
      const series = registry.sliSeriesOf(sliDefinition(journey, slo).key)!;
      for (let d = lastDay - DAYS + 1; d <= lastDay; d++) {
        for (let m = 0; m < MINUTES_PER_DAY; m++) {
          const total = (40 + ((m * 7 + d * 13 + k) % 31)) * volume;
          const bad = (m + k) % 97 === 0 ? volume : 0;
          day[m * 2] = total - bad;
          day[m * 2 + 1] = total;
        }
        series.loadDay(d, day);
      }
      k++;
    }
  }
  const loadMs = performance.now() - loadStart;
  const times: number[] = [];
  let checksum = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const statuses = registry.statuses(at);
    times.push(performance.now() - t0);
    checksum += statuses.length;
  }
  if (checksum !== slos * rounds) throw new Error('evaluated the wrong number of SLOs');
  times.sort((a, b) => a - b);
  return {
    slos,
    volume,
    minutesPerSlo: DAYS * MINUTES_PER_DAY,
    loadMs,
    evaluateMs: times[Math.floor(times.length / 2)]!,
    peakRssBytes: peakRss(),
  };
}
