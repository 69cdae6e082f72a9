import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIERS, type VigilConfig } from '../model/config.js';
import { formatProblem, type LoadResult, loadConfig, loadConfigFromString } from './load.js';
import { yaml } from './test-yaml.js';

function loaded(result: LoadResult): VigilConfig {
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.errors.map(formatProblem).join('\n')}`);
  return result.config;
}

describe('defaults', () => {
  it('fills every section of a minimal file', () => {
    expect(loaded(loadConfigFromString('version: vigil/v1\n', 'vigil.yaml'))).toEqual({
      version: 'vigil/v1',
      defaults: { timezone: 'UTC' },
      tiers: DEFAULT_TIERS,
      services: [],
      journeys: [],
      alerting: { serviceLabels: ['service', 'service_name', 'app', 'job'], correlationWindowMinutes: 10, serviceRules: [] },
      retention: { rawEventsDays: 35 },
      ingest: { maxBodyBytes: DEFAULT_MAX_BODY_BYTES },
    });
  });

  it('defaults journeys, steps and SLOs from their tier', () => {
    const config = loaded(
      loadConfigFromString(
        yaml`
          version: vigil/v1
          journeys:
            - name: login
              steps: [{ name: password }]
              slos:
                - name: ok
                  sli: { kind: success }
                - name: fast
                  budgeting: timeslices
                  sli: { kind: latency, thresholdMs: 2000, step: password, abandonedIsBad: true }
            - name: pay
              tier: critical
              steps: [{ name: confirm, services: [ledger], critical: true }]
              slos:
                - name: ok
                  window: month
                  budgeting: timeslices
                  timeSliceTarget: 95
                  sli: { kind: success }
                  alerting: { minEvents: 20 }
        `,
        'vigil.yaml',
      ),
    );
    expect(config.journeys[0]).toEqual({
      name: 'login',
      displayName: 'login',
      tier: 'standard',
      steps: [{ name: 'password', services: [], critical: false }],
      slos: [
        {
          name: 'ok',
          objective: 99.9,
          window: { kind: 'rolling', minutes: 28 * 1440, text: '28d' },
          budgeting: 'occurrences',
          timeSliceTarget: 99.9,
          sli: { source: 'events', kind: 'success', abandonedIsBad: false },
          alerting: { minEvents: 0 },
        },
        {
          name: 'fast',
          objective: 99.9,
          window: { kind: 'rolling', minutes: 28 * 1440, text: '28d' },
          budgeting: 'timeslices',
          timeSliceTarget: 99.9,
          sli: { source: 'events', kind: 'latency', thresholdMs: 2000, step: 'password', abandonedIsBad: true },
          alerting: { minEvents: 0 },
        },
      ],
    });
    const pay = config.journeys[1]!;
    expect(pay.steps).toEqual([{ name: 'confirm', services: ['ledger'], critical: true }]);
    expect(pay.slos[0]).toMatchObject({
      objective: 99.99,
      window: { kind: 'calendar', unit: 'month', text: 'month' },
      timeSliceTarget: 95,
      alerting: { minEvents: 20 },
    });
  });

  it('merges configured tiers over the built-in ones', () => {
    const config = loaded(
      loadConfigFromString(
        yaml`
          version: vigil/v1
          tiers:
            standard: { objective: 99.8 }
            gold: { objective: 99.97 }
          journeys:
            - { name: a, steps: [{ name: s }], slos: [{ name: ok, sli: { kind: success } }] }
            - { name: b, tier: gold, steps: [{ name: s }], slos: [{ name: ok, sli: { kind: success } }] }
        `,
        'vigil.yaml',
      ),
    );
    expect(config.tiers).toEqual({
      ...DEFAULT_TIERS,
      standard: { name: 'standard', objective: 99.8 },
      gold: { name: 'gold', objective: 99.97 },
    });
    expect(config.journeys.map((j) => j.slos[0]?.objective)).toEqual([99.8, 99.97]);
  });

  it('converts durations: retention in hours becomes fractional days', () => {
    const config = loaded(
      loadConfigFromString(
        yaml`
          version: vigil/v1
          defaults: { timezone: Europe/London }
          alerting:
            serviceLabels: [app]
            correlationWindow: 1h
            serviceRules:
              - { match: { job: "/pay.*/", port: 8080 }, service: payments-api }
          retention: { rawEvents: 36h }
          ingest: { maxBodyBytes: 1048576 }
        `,
        'vigil.yaml',
      ),
    );
    expect(config.defaults.timezone).toBe('Europe/London');
    expect(config.alerting).toEqual({
      serviceLabels: ['app'],
      correlationWindowMinutes: 60,
      serviceRules: [{ match: { job: '/pay.*/', port: '8080' }, service: 'payments-api' }],
    });
    expect(config.retention.rawEventsDays).toBe(1.5);
    expect(config.ingest.maxBodyBytes).toBe(1048576);
  });

  it('supports anchors and merge keys for shared SLO blocks', () => {
    const config = loaded(
      loadConfigFromString(
        yaml`
          version: vigil/v1
          journeys:
            - name: a
              steps: [{ name: s }]
              slos:
                - &fast { name: fast, window: 7d, sli: { kind: latency, thresholdMs: 800 } }
            - name: b
              steps: [{ name: s }]
              slos:
                - { <<: *fast, objective: 99 }
        `,
        'vigil.yaml',
      ),
    );
    expect(config.journeys[1]?.slos[0]).toMatchObject({ name: 'fast', objective: 99, window: { text: '7d' }, sli: { thresholdMs: 800 } });
  });

  it('loads the README journey example, cut down, as written', () => {
    const config = loaded(
      loadConfigFromString(
        yaml`
          version: vigil/v1
          defaults:
            timezone: Europe/London
          journeys:
            - name: wire-transfer
              displayName: Wire transfer
              tier: critical
              owner: payments
              value: { currency: EUR, revenuePerSuccess: 4.50 }
              steps:
                - { name: login,    services: [auth-gateway, identity] }
                - { name: confirm,  services: [payments-api, core-ledger], critical: true }
              slos:
                - name: within-regulatory-limit
                  objective: 99.9
                  window: 28d
                  sli: { kind: latency, thresholdMs: 10000 }
        `,
        'vigil.yaml',
      ),
    );
    const journey = config.journeys[0]!;
    expect(journey).toMatchObject({
      displayName: 'Wire transfer',
      tier: 'critical',
      owner: 'payments',
      value: { currency: 'EUR', revenuePerSuccess: 4.5 },
    });
    expect(journey.slos[0]?.sli).toEqual({ source: 'events', kind: 'latency', thresholdMs: 10000, abandonedIsBad: false });
  });
});

describe('loadConfig from the file system', () => {
  const dirs: string[] = [];
  const tempDir = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const base = yaml`
    version: vigil/v1
    defaults: { timezone: Europe/Paris }
    tiers:
      gold: { objective: 99.97 }
    services:
      - { name: ledger, tier: gold }
  `;
  const payments = yaml`
    version: vigil/v1
    services:
      - { name: payments-api, owner: payments }
    journeys:
      - name: pay
        tier: gold
        steps: [{ name: confirm, services: [payments-api, ledger] }]
        slos: [{ name: ok, sli: { kind: success } }]
  `;

  it('loads a single file and names it', async () => {
    const dir = tempDir({ 'vigil.yaml': payments.replace('tier: gold', 'tier: core') });
    const result = await loadConfig(join(dir, 'vigil.yaml'));
    expect(result.ok && result.files).toEqual([join(dir, 'vigil.yaml')]);
    expect(loaded(result).journeys[0]?.slos[0]?.objective).toBe(99.95);
  });

  it('merges a directory: YAML files by name, journeys and services concatenated, tiers shared', async () => {
    const dir = tempDir({ '20-payments.yml': payments, '10-base.yaml': base, 'README.md': '# not config', '.draft.yaml': 'not: valid' });
    mkdirSync(join(dir, 'old.yaml'));
    const result = await loadConfig(dir);
    expect(result.ok && result.files).toEqual([join(dir, '10-base.yaml'), join(dir, '20-payments.yml')]);
    const config = loaded(result);
    expect(config.defaults.timezone).toBe('Europe/Paris');
    expect(config.services.map((s) => s.name)).toEqual(['ledger', 'payments-api']);
    expect(config.journeys.map((j) => [j.name, j.slos[0]?.objective])).toEqual([['pay', 99.97]]);
  });

  it('rejects the same tier in two files, pointing at the second and citing the first', async () => {
    const dir = tempDir({ 'a.yaml': base, 'b.yaml': 'version: vigil/v1\ntiers:\n  gold: { objective: 99 }\n' });
    const result = await loadConfig(dir);
    expect(!result.ok && result.errors.map(formatProblem)).toEqual([
      `${join(dir, 'b.yaml')}:3:3: tiers.gold: tier 'gold' is already defined in another file (first at ${join(dir, 'a.yaml')}:4:3)`,
    ]);
  });

  it('allows defaults, alerting, retention and ingest in one file only', async () => {
    const dir = tempDir({
      'a.yaml': 'version: vigil/v1\nalerting: { correlationWindow: 5m }\nretention: { rawEvents: 30d }\n',
      'b.yaml': 'version: vigil/v1\nretention: { rawEvents: 60d }\ningest: {}\nalerting: {}\n',
    });
    const result = await loadConfig(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((p) => `${p.line}:${p.column} ${p.message.split(';')[0]}`)).toEqual([
      "2:1 retention: 'retention' is already set in another file",
      "4:1 alerting: 'alerting' is already set in another file",
    ]);
    expect(result.errors.every((p) => p.file === join(dir, 'b.yaml'))).toBe(true);
  });

  it('requires version in every file and reports problems of all files together', async () => {
    const dir = tempDir({
      'a.yaml': base,
      'b.yaml': payments.replace('version: vigil/v1\n', ''),
      'c.yaml': 'version: vigil/v1\njourneys: [ {\n',
      'd.yaml': payments,
    });
    const result = await loadConfig(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.errors.map(formatProblem);
    expect(lines[0]).toBe(`${join(dir, 'b.yaml')}:1:1: version: missing; expected 'vigil/v1'`);
    expect(lines.some((l) => l.startsWith(`${join(dir, 'c.yaml')}:`) && l.includes('YAML syntax'))).toBe(true);
    expect(lines).toContain(
      `${join(dir, 'd.yaml')}:3:13: services[0].name: duplicate service 'payments-api' (first at ${join(dir, 'b.yaml')}:2:13)`,
    );
    expect(lines).toContain(
      `${join(dir, 'd.yaml')}:5:11: journeys[0].name: duplicate journey name 'pay' (first at ${join(dir, 'b.yaml')}:4:11)`,
    );
  });

  it('reports a missing path as config_not_found', async () => {
    const dir = tempDir({});
    const missing = join(dir, 'nope.yaml');
    expect(await loadConfig(missing)).toEqual({
      ok: false,
      code: 'config_not_found',
      errors: [{ file: missing, line: 0, column: 0, message: 'no such file or directory' }],
    });
    const empty = await loadConfig(dir);
    expect(!empty.ok && [empty.code, empty.errors[0]?.message]).toEqual([
      'config_not_found',
      'the directory holds no *.yaml or *.yml file',
    ]);
  });
});
