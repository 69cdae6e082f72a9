/** Shared by the incident tests: the storm bank's configuration, an alert builder and deterministic ids. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfigFromString } from '../config/load.js';
import type { IncomingAlert } from '../model/alert.js';
import type { VigilConfig } from '../model/config.js';
import type { Impact } from '../model/incident.js';
import { money } from '../model/money.js';

export const STORM_CONFIG_PATH = fileURLToPath(new URL('../../test/fixtures/storm/storm.yaml', import.meta.url));

/** The configuration of test/fixtures/storm/storm.yaml, optionally with YAML appended (e.g. a different window). */
export function stormConfig(): VigilConfig {
  const result = loadConfigFromString(readFileSync(STORM_CONFIG_PATH, 'utf8'), 'storm.yaml');
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.config;
}

export const T0 = Date.parse('2026-11-26T10:00:00Z');
export const MIN = 60_000;

/** A firing Alertmanager alert on `service` at T0 + `minute` minutes; `key` defaults to name@service. */
export function firing(service: string | null, minute: number, overrides: Partial<IncomingAlert> = {}): IncomingAlert {
  const name = overrides.name ?? 'HighErrorRate';
  return {
    source: 'alertmanager',
    sourceKey: `${name}@${service ?? 'none'}`,
    status: 'firing',
    name,
    summary: `${name} on ${service ?? 'nothing'}`,
    severity: 'warning',
    labels: service === null ? { alertname: name } : { alertname: name, service },
    annotations: {},
    startsAt: T0 + minute * MIN,
    endsAt: null,
    ...overrides,
  };
}

/** The resolved message of an alert built by `firing`, ending at T0 + `minute`. */
export function resolvedAt(alert: IncomingAlert, minute: number): IncomingAlert {
  return { ...alert, status: 'resolved', endsAt: T0 + minute * MIN };
}

/** Ids inc-1, inc-2, … */
export function sequentialIds(): () => string {
  let n = 0;
  return () => `inc-${++n}`;
}

export function impact(overrides: Partial<Impact> = {}): Impact {
  return {
    customerImpact: true,
    maxBurnRate: 2,
    customersAffected: 20,
    failuresPerHour: 40,
    valueAtRiskPerHour: [money(300, 'EUR')],
    tier: 'critical',
    criticalStage: true,
    assessedAt: T0,
    ...overrides,
  };
}
