/**
 * The technical alerts of the demo bank: when a scripted incident hits, dozens of alerts fire across
 * the services beneath the affected steps (error rates, latency, saturation, restarts, database
 * connections), the blamed services' first, re-sent and sometimes flapping as Alertmanager would deliver them; and background noise
 * on services no journey depends on, or that hurts no customer. Pure and deterministic.
 */
import type { IncomingAlert } from '../model/alert.js';
import type { VigilConfig } from '../model/config.js';
import { mixSeed, mulberry32, type Rng } from './random.js';
import type { ScriptedIncident } from './scenario.js';
import { affectedSteps } from './traffic.js';

/** An alert message and the moment it is delivered. */
export interface TimedAlert {
  at: number;
  alert: IncomingAlert;
}

interface AlertKind {
  name: string;
  severity: 'critical' | 'warning';
  summary: string;
  /** Fires per instance (pod) rather than once per service. */
  perInstance: boolean;
}

const STORM_KINDS: readonly AlertKind[] = [
  { name: 'HighErrorRate', severity: 'critical', summary: '5xx responses above 5% for 2 minutes', perInstance: false },
  { name: 'HighLatencyP99', severity: 'warning', summary: 'p99 latency above 2 s for 5 minutes', perInstance: false },
  { name: 'CPUSaturation', severity: 'warning', summary: 'CPU above 90% of the limit', perInstance: true },
  { name: 'PodRestarting', severity: 'warning', summary: 'container restarted 3 times in 10 minutes', perInstance: true },
  { name: 'DBConnectionPoolExhausted', severity: 'critical', summary: 'no free database connections for 1 minute', perInstance: false },
  { name: 'UpstreamTimeouts', severity: 'warning', summary: 'calls to upstream dependencies timing out', perInstance: false },
  { name: 'ProbeFailing', severity: 'critical', summary: 'readiness probe failing', perInstance: true },
];

const NOISE_KINDS: readonly AlertKind[] = [
  { name: 'DiskSpaceLow', severity: 'warning', summary: 'volume above 85% full', perInstance: true },
  { name: 'CertificateExpiringSoon', severity: 'warning', summary: 'TLS certificate expires in 14 days', perInstance: false },
  { name: 'BackupJobFailed', severity: 'critical', summary: 'nightly backup job failed', perInstance: false },
  { name: 'HighMemoryUsage', severity: 'warning', summary: 'memory above 80% of the limit', perInstance: true },
  { name: 'NodeClockSkew', severity: 'warning', summary: 'node clock drifting by more than 50 ms', perInstance: true },
];

const MINUTE = 60_000;
/** Alertmanager repeats a firing alert to its receiver (repeat_interval; shorter than its 4 h default, to keep the demo lively). */
const RESEND_MS = 15 * MINUTE;

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function message(
  kind: AlertKind,
  service: string,
  instance: string | null,
  fingerprint: string,
  status: 'firing' | 'resolved',
  startsAt: number,
  endsAt: number | null,
): IncomingAlert {
  const labels: Record<string, string> = { alertname: kind.name, service, severity: kind.severity };
  if (instance) labels.instance = instance;
  return {
    source: 'alertmanager',
    sourceKey: fingerprint,
    status,
    name: kind.name,
    summary: `${service}: ${kind.summary}`,
    severity: kind.severity,
    labels,
    annotations: { summary: `${service}: ${kind.summary}` },
    startsAt,
    endsAt,
  };
}

/** One alert's life: fires, is re-sent while firing, maybe flaps, resolves. */
function life(
  out: TimedAlert[],
  rng: Rng,
  kind: AlertKind,
  service: string,
  instance: string | null,
  fingerprint: string,
  start: number,
  end: number,
  flap: boolean,
): void {
  out.push({ at: start, alert: message(kind, service, instance, fingerprint, 'firing', start, null) });
  for (let t = start + RESEND_MS; t < end; t += RESEND_MS)
    out.push({ at: t, alert: message(kind, service, instance, fingerprint, 'firing', start, null) });
  if (flap && end - start > 3 * MINUTE) {
    const dip = start + Math.floor((end - start) * (0.3 + 0.3 * rng()));
    out.push({ at: dip, alert: message(kind, service, instance, fingerprint, 'resolved', start, dip) });
    out.push({ at: dip + MINUTE, alert: message(kind, service, instance, fingerprint, 'firing', dip + MINUTE, null) });
  }
  out.push({ at: end, alert: message(kind, service, instance, fingerprint, 'resolved', start, end) });
}

/**
 * The technical alerts a scripted incident sets off: for each blamed service and the other services of
 * the affected steps, several kinds of alert (per pod for saturation and restarts), firing within a
 * minute or two of the incident's start (the blamed services' in the first minute) and resolving a few minutes after its end. Announced maintenance and silent
 * incidents (a fault the bank's monitoring does not see) set off none.
 * @example stormFor(incident, config, 7).length // dozens
 */
export function stormFor(incident: ScriptedIncident, config: VigilConfig, seed: number): TimedAlert[] {
  if (incident.maintenance || incident.silent) return [];
  const rng = mulberry32(mixSeed(seed, Math.floor(incident.startMs / MINUTE), 0x5707));
  const services = new Set(incident.services);
  for (const journey of config.journeys) {
    const steps = new Set(affectedSteps(journey, incident));
    for (const step of journey.steps) if (steps.has(step.name)) for (const s of step.services) if (rng() < 0.5) services.add(s);
  }
  const out: TimedAlert[] = [];
  let flapped = false;
  for (const service of services) {
    const blamed = incident.services.includes(service);
    const kinds = STORM_KINDS.filter(() => rng() < (blamed ? 0.75 : 0.35));
    for (const kind of kinds.length > 0 ? kinds : [STORM_KINDS[0]!]) {
      const instances = kind.perInstance
        ? Array.from({ length: 2 + Math.floor(rng() * 3) }, (_, i) => `${service}-${(i + 1).toString().padStart(2, '0')}`)
        : [null];
      for (const instance of instances) {
        // The blamed services alert within the first minute, the others after them (so the incident opens on its cause).
        const start = incident.startMs + (blamed ? 0 : MINUTE) + Math.floor(rng() * MINUTE);
        const end = incident.endMs + MINUTE + Math.floor(rng() * 3 * MINUTE);
        const flap: boolean = !flapped && kind.perInstance && rng() < 0.5;
        flapped ||= flap;
        life(out, rng, kind, service, instance, `${incident.id}:${service}:${kind.name}:${instance ?? '-'}`, start, end, flap);
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Background noise starting in [fromMs, toMs) — each alert with its whole life, resolve included, even
 * past toMs: alerts on services no journey depends on (every ~40 minutes) and short warnings on
 * journey services that hurt no customer (every ~3 hours).
 */
export function noiseAlerts(config: VigilConfig, fromMs: number, toMs: number, seed: number): TimedAlert[] {
  const journeyServices = new Set(config.journeys.flatMap((j) => j.steps.flatMap((s) => s.services)));
  const unrelated = config.services.map((s) => s.name).filter((s) => !journeyServices.has(s));
  const related = [...journeyServices];
  const out: TimedAlert[] = [];
  const startMinute = Math.ceil(fromMs / MINUTE);
  for (let minute = startMinute; minute * MINUTE < toMs; minute++) {
    const rng = mulberry32(mixSeed(seed, minute, 0x4015e));
    const roll = rng();
    let service: string | undefined;
    if (roll < 1 / 40 && unrelated.length > 0) service = pick(rng, unrelated);
    else if (roll > 1 - 1 / 180 && related.length > 0) service = pick(rng, related);
    if (!service) continue;
    const kind = pick(rng, NOISE_KINDS);
    const instance = kind.perInstance ? `${service}-0${1 + Math.floor(rng() * 3)}` : null;
    const start = minute * MINUTE + Math.floor(rng() * MINUTE);
    const lasting = journeyServices.has(service) ? 2 + Math.floor(rng() * 3) : 5 + Math.floor(rng() * 25);
    life(out, rng, kind, service, instance, `noise:${minute}:${service}:${kind.name}`, start, start + lasting * MINUTE, false);
  }
  return out.sort((a, b) => a.at - b.at);
}
