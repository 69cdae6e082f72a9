// Runs the examples of the "Mapping alerts to journeys", "Correlation" and "Priority" sections of docs/alerting.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../config/load.js';
import type { IncomingAlert } from '../model/alert.js';
import type { Impact } from '../model/incident.js';
import { Correlator } from './correlate.js';
import { buildJourneyMap } from './journey-map.js';
import {
  BURN_RATE_STEPS,
  CUSTOMER_STEPS,
  defaultRouting,
  PRIORITY_THRESHOLDS,
  prioritise,
  TIE_BREAKING_SEVERITIES,
  VALUE_PER_HOUR_STEPS,
} from './priority.js';
import { createServiceResolver, stagesFor } from './service-mapping.js';
import { compressionRatio, groupingMetrics } from './grouping-metrics.js';
import { impact, sequentialIds, stormConfig } from './test-kit.test-suite.js';
import { money } from '../model/money.js';

const doc = readFileSync(new URL('../../docs/alerting.md', import.meta.url), 'utf8');

function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/alerting.md has no "## ${heading}" section`);
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next === -1 ? undefined : next);
}

/** The text after `<!-- example: name -->` up to the next blank line (a table) or the code block's end. */
function example(name: string): string {
  const marker = `<!-- example: ${name} -->\n`;
  const start = doc.indexOf(marker);
  if (start === -1) throw new Error(`docs/alerting.md has no example "${name}"`);
  const body = doc.slice(start + marker.length);
  const fence = /^```\w+\n([\s\S]*?)\n```/.exec(body);
  return fence ? fence[1]! : body.slice(0, body.indexOf('\n\n'));
}

/** Rows of a markdown table (header and separator dropped), cells trimmed. */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

const loaded = loadConfigFromString(example('mapping config'), 'vigil.yaml');
if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
const config = loaded.config;
const journeyMap = buildJourneyMap(config);

describe('docs/alerting.md: Mapping alerts to journeys', () => {
  it('the example configuration loads', () => {
    expect(config.alerting.serviceRules).toHaveLength(2);
    expect(section('Mapping alerts to journeys')).toContain('alerting.serviceRules');
  });

  it.each(rows(example('service mapping')))('%s → %s', (labelsCell, service, stages) => {
    const generic = /^generic `service: ([^`]+)`, labels `([^`]*)`$/.exec(labelsCell);
    const labelText = generic ? generic[2]! : labelsCell.replace(/`/g, '');
    const labels = Object.fromEntries(labelText.split(', ').map((pair) => pair.split('=') as [string, string]));
    const resolved = createServiceResolver(config.alerting)({ labels, service: generic ? generic[1]! : null });
    expect(resolved ?? '—').toBe(service);
    const mapped = stagesFor({ source: generic ? 'generic' : 'alertmanager', service: resolved }, journeyMap);
    expect(mapped.length === 0 ? '—' : mapped.map((s) => `${s.journey} · ${s.step}`).join(', ')).toBe(stages);
  });
});

describe('docs/alerting.md: Correlation', () => {
  it('the worked example gives the incidents shown', () => {
    const correlator = new Correlator({ journeyMap, alerting: config.alerting, newId: sequentialIds() });
    rows(example('correlation')).forEach(([time, name, service], i) => {
      const startsAt = Date.parse(`2026-11-26T${time}:00Z`);
      const alert: IncomingAlert = {
        source: 'alertmanager',
        sourceKey: `row-${i}`,
        status: 'firing',
        name: name!,
        summary: name!,
        severity: 'warning',
        labels: { alertname: name!, service: service! },
        annotations: {},
        startsAt,
        endsAt: null,
      };
      correlator.receive(alert, startsAt + 5000);
    });
    const shown = /gives three open incidents:\n\n```text\n([\s\S]*?)\n```/.exec(section('Correlation'))![1]!.split('\n');
    expect(correlator.openIncidents().map((i) => i.title)).toEqual(shown);
  });

  it('quotes the storm figures the storm replay gives', () => {
    const storm = JSON.parse(readFileSync(new URL('../../test/fixtures/storm/storm.json', import.meta.url), 'utf8')) as {
      records: { at: number; truth: string; alert: IncomingAlert }[];
    };
    const bank = stormConfig();
    const correlator = new Correlator({ journeyMap: buildJourneyMap(bank), alerting: bank.alerting, newId: sequentialIds() });
    const truth = new Map<string, string>();
    for (const record of storm.records) {
      correlator.receive(record.alert, record.at);
      truth.set(`${record.alert.source}:${record.alert.sourceKey}`, record.truth);
    }
    const alerts = correlator.alerts();
    const metrics = groupingMetrics(alerts.map((a) => ({ predicted: a.incidentId!, truth: truth.get(a.key)! })));
    const incidents = new Set(alerts.map((a) => a.incidentId)).size;
    const text = section('Correlation').replace(/\s+/g, ' ');
    expect(text).toContain(`${alerts.length} alerts in ${storm.records.length} deliveries`);
    expect(text).toContain(`precision ${metrics.precision.toFixed(3)}, recall ${metrics.recall.toFixed(3)}`);
    expect(text).toContain(
      `${(compressionRatio(incidents, alerts.length)! * 100).toFixed(1)}%: ${incidents} incidents for ${new Set(truth.values()).size} true ones`,
    );
  });

  it('states the configured default window and inclusive edges', () => {
    expect(section('Correlation')).toMatch(/default 10 minutes/);
    expect(config.alerting.correlationWindowMinutes).toBe(10);
  });
});

describe('docs/alerting.md: Priority', () => {
  it('the score table is the one the code uses', () => {
    const table = rows(example('impact score'));
    const thresholds = (row: string[] | undefined) => row!.slice(2).map((cell) => Number(cell.replace(/[≥,\s]/g, '')));
    expect(thresholds(table.find((r) => r[0]!.startsWith('burn rate')))).toEqual([...BURN_RATE_STEPS]);
    expect(thresholds(table.find((r) => r[0]!.startsWith('customers')))).toEqual([...CUSTOMER_STEPS]);
    expect(thresholds(table.find((r) => r[0]!.startsWith('value at risk')))).toEqual([...VALUE_PER_HOUR_STEPS]);
    expect(table.find((r) => r[0]!.startsWith('journey tier'))!.slice(1)).toEqual(['informational', 'standard', 'core', 'critical']);
    const levels = section('Priority');
    expect(levels).toContain(`| ${PRIORITY_THRESHOLDS.P1} or more | P1 | ${defaultRouting.P1} |`);
    expect(levels).toContain(`| ${PRIORITY_THRESHOLDS.P2} to ${PRIORITY_THRESHOLDS.P1 - 1} | P2 | ${defaultRouting.P2} |`);
    expect(levels).toContain(`| 0 to ${PRIORITY_THRESHOLDS.P2 - 1} | P3 | ${defaultRouting.P3} |`);
    expect(levels).toContain(`| no customer impact | P4 | ${defaultRouting.P4} |`);
    for (const severity of TIE_BREAKING_SEVERITIES) expect(levels).toContain(`\`${severity}\``);
  });

  // The inputs of each row of the reasons table, in order.
  const cases: {
    incident: { journeys: string[]; stages: { journey: string; step: string }[]; services: string[] };
    impact: Impact | null;
    severities: string[];
  }[] = [
    {
      incident: { journeys: ['sepa-instant'], stages: [{ journey: 'sepa-instant', step: 'confirm' }], services: ['core-ledger'] },
      impact: impact({
        customersAffected: 2140,
        valueAtRiskPerHour: [money(38_400, 'EUR')],
        maxBurnRate: 22,
        tier: 'critical',
        criticalStage: true,
      }),
      severities: [],
    },
    {
      incident: { journeys: ['login'], stages: [{ journey: 'login', step: 'mfa' }], services: ['sms-provider'] },
      impact: impact({ customersAffected: 240, valueAtRiskPerHour: [], maxBurnRate: 15, tier: 'core', criticalStage: true }),
      severities: ['warning'],
    },
    {
      incident: { journeys: ['login'], stages: [{ journey: 'login', step: 'mfa' }], services: ['sms-provider'] },
      impact: impact({ customersAffected: 240, valueAtRiskPerHour: [], maxBurnRate: 15, tier: 'core', criticalStage: true }),
      severities: ['warning', 'critical'],
    },
    {
      incident: { journeys: ['card-payment'], stages: [{ journey: 'card-payment', step: 'screen' }], services: ['fraud-check'] },
      impact: impact({
        customersAffected: 12,
        valueAtRiskPerHour: [money(150, 'GBP')],
        maxBurnRate: 2.5,
        tier: 'critical',
        criticalStage: false,
      }),
      severities: [],
    },
    {
      incident: { journeys: ['card-payment'], stages: [{ journey: 'card-payment', step: 'screen' }], services: ['card-gateway'] },
      impact: impact({ customerImpact: false }),
      severities: ['critical'],
    },
    { incident: { journeys: [], stages: [], services: ['hr-portal'] }, impact: null, severities: [] },
    {
      incident: {
        journeys: ['sepa-instant', 'card-payment'],
        stages: [
          { journey: 'sepa-instant', step: 'confirm' },
          { journey: 'card-payment', step: 'authorise' },
        ],
        services: ['core-ledger'],
      },
      impact: impact({
        customersAffected: 100,
        valueAtRiskPerHour: [money(600, 'EUR'), money(500, 'GBP')],
        maxBurnRate: 6,
        tier: 'core',
        criticalStage: true,
      }),
      severities: [],
    },
  ];

  it('the reasons table is what prioritise says', () => {
    // login is not in the example configuration; the reasons table is about the storm bank's journeys too.
    const login = '  - name: login\n    tier: core\n    steps:\n      - { name: mfa, services: [sms-provider], critical: true }\n';
    const bank = loadConfigFromString(example('mapping config').replace('journeys:\n', `journeys:\n${login}`), 'vigil.yaml');
    if (!bank.ok) throw new Error(bank.errors.map((e) => e.message).join('\n'));
    const map = buildJourneyMap(bank.config);
    const table = rows(example('reasons'));
    expect(table).toHaveLength(cases.length);
    table.forEach(([, priority, reason], i) => {
      const c = cases[i]!;
      expect(prioritise(c.incident, c.impact, c.severities, map)).toMatchObject({ priority, reason });
    });
  });
});
