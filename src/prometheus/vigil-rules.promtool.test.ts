/**
 * The rules of `vigil rules prometheus` page and ticket exactly when Vigil's engine does
 * (docs/prometheus.md ("Rules over Vigil's counters")): for per-minute series of four SLOs — 28 d, 30 d with `minEvents`, a calendar month and
 * a 7 d SLO with its own single page pair — the engine is evaluated at the end of every minute, and `promtool test
 * rules` checks at every minute that Prometheus, fed the same counters scraped once a minute, fires exactly those
 * alerts. `promtool check rules` also accepts the demo bank's rules and every Sloth golden reproduction.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../config/load.js';
import { yaml } from '../config/test-yaml.js';
import { evaluateSlo } from '../engine/evaluate.js';
import { MinuteSeries } from '../engine/minute-series.js';
import type { VigilConfig } from '../model/config.js';
import { prometheusBinariesPresent, promtool } from '../../test/helpers/rule-files.js';
import { ruleFileText } from './rules-yaml.js';
import { DEFAULT_SLOTH_WINDOWS, slothRuleDocuments } from './sloth-rules.js';
import { loadSlothSpecs, parseAlertWindows } from './sloth-spec.js';
import { SLO_EVENTS_METRIC, VIGIL_ALERT_NAME, vigilRuleDocument } from './vigil-rules.js';

const present = prometheusBinariesPresent();
const MINUTES = 1600;

const CONFIG = yaml`
  version: vigil/v1
  defaults: { timezone: UTC }
  journeys:
    - name: pay
      displayName: Pay
      tier: critical
      steps: [{ name: confirm, services: [ledger] }]
      slos:
        - name: success
          objective: 99.9
          window: 28d
          sli: { kind: success }
        - name: quiet
          objective: 99
          window: 30d
          sli: { kind: success }
          alerting: { minEvents: 300 }
        - name: monthly
          objective: 99.5
          window: month
          sli: { kind: success }
        - name: custom
          objective: 99.9
          window: 7d
          sli: { kind: success }
          alerting:
            windows:
              - { severity: page, short: 10m, long: 2h, budgetPercent: 5 }
`;

/** Per-minute (total, bad) of each SLO, minute 0 at the Unix epoch (January 1970: a 31-day month). */
const TRAFFIC: Record<string, (m: number) => [total: number, bad: number]> = {
  // A fast burst (page), a long burn at 4× (ticket, both pairs), then a slow burn at 0.5× while the windows drain.
  // 997 events a minute keep every burn rate off the factors (no ratio of whole counts lands on one).
  success: (m) => [997, m < 200 ? 0 : m < 320 ? 21 : m < 1200 ? 4 : m % 2],
  // Three events a minute: the 1 h window never holds the 300 events minEvents asks for, so the fast page pair stays
  // quiet through a burst of 2 bad in 3 that the 6 h pair does page on (and the 1 d pair tickets on).
  quiet: (m) => [3, m >= 600 && m < 700 ? 2 : 0],
  // Burn 16 for an hour: above January's 14.88 only from the 56th minute (a 30-day factor, 14.4, would fire at the 55th).
  monthly: (m) => [500, m >= 900 && m < 960 ? 40 : 0],
  // Burn 6 over its own 10m/2h pair, factor 4.2 for 7 days; no ticket pair at all.
  custom: (m) => [997, m >= 1300 && m < 1500 ? 6 : 0],
};

interface Firing {
  slo: string;
  severity: 'page' | 'ticket';
}

let config: VigilConfig;
const expected: Firing[][] = [];
let dir: string;

beforeAll(() => {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  config = loaded.config;
  dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
  const journey = config.journeys[0]!;
  const series = new Map<string, MinuteSeries>();
  for (const slo of journey.slos) {
    const s = new MinuteSeries(2);
    for (let m = 0; m < MINUTES; m++) {
      const [total, bad] = TRAFFIC[slo.name]!(m);
      s.add(m, 0, total - bad);
      s.add(m, 1, total);
    }
    series.set(slo.name, s);
  }
  // Prometheus at minute j has scraped the events of minutes before j: the engine at the end of minute j − 1.
  for (let j = 0; j <= MINUTES; j++) {
    const firing: Firing[] = [];
    for (const slo of journey.slos) {
      const status = evaluateSlo({ journey, slo, series: series.get(slo.name)!, atMs: j * 60_000 - 1, timeZone: 'UTC' });
      for (const pair of status.alerts.pairs) {
        // No burn rate sits on a factor: float rounding cannot make the two sides disagree.
        for (const burn of [pair.burnShort, pair.burnLong]) {
          if (burn !== null && Math.abs(burn - pair.factor) <= 1e-6)
            throw new Error(`${slo.name} at ${j}m: a burn rate on its factor ${pair.factor}`);
        }
      }
      if (status.alerts.page) firing.push({ slo: slo.name, severity: 'page' });
      if (status.alerts.ticket) firing.push({ slo: slo.name, severity: 'ticket' });
    }
    expected.push(firing);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Cumulative counter values at minutes 0…MINUTES in promtool's expanding notation (`a+bxn` runs). */
function counterValues(perMinute: (m: number) => number): string {
  const values = [0];
  for (let m = 0; m < MINUTES; m++) values.push(values[m]! + perMinute(m));
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    let k = i;
    const step = (values[i + 1] ?? values[i]!) - values[i]!;
    while (k + 1 < values.length && values[k + 1]! - values[k]! === step) k++;
    parts.push(k === i ? `${values[i]}` : `${values[i]}+${step}x${k - i}`);
    i = k + 1;
  }
  return parts.join(' ');
}

function expAlert(f: Firing) {
  const slo = config.journeys[0]!.slos.find((s) => s.name === f.slo)!;
  const objective = slo.objective;
  return {
    exp_labels: {
      severity: f.severity,
      sloth_severity: f.severity,
      journey: 'pay',
      slo: f.slo,
      sloth_id: `pay-${f.slo}`,
      sloth_service: 'pay',
      sloth_slo: f.slo,
    },
    exp_annotations: {
      description: `Pay: ${f.slo} (${objective}% over ${slo.window.text}) burns its error budget too fast.`,
      summary: `pay ${f.slo} SLO error budget burn rate is over expected.`,
      title: `(${f.severity}) pay ${f.slo} SLO error budget burn rate is too fast.`,
    },
  };
}

describe.skipIf(!present)('promtool', () => {
  it('the engine pages and tickets in this scenario, and does not always', () => {
    const seen = new Set(expected.flat().map((f) => `${f.slo}/${f.severity}`));
    expect([...seen].sort()).toEqual(['custom/page', 'monthly/page', 'quiet/page', 'quiet/ticket', 'success/page', 'success/ticket']);
    expect(expected.filter((e) => e.length === 0).length).toBeGreaterThan(200);
    // minEvents holds the fast pair of `quiet` back (it alone would page 13 minutes into the burst): it pages once the
    // 6 h pair fires, 33 minutes in.
    const firstQuiet = expected.findIndex((e) => e.some((f) => f.slo === 'quiet' && f.severity === 'page'));
    expect(firstQuiet).toBe(600 + 33);
    // January has 31 days: the month's factor is 14.88, first exceeded by the 1 h window 56 minutes into the burst.
    expect(expected.findIndex((e) => e.some((f) => f.slo === 'monthly'))).toBe(900 + 56);
  });

  // promtool evaluates every rule at each of the 1,601 minutes: about 30 s of CPU, more on a busy machine.
  it('promtool test rules: the alerts fire exactly at the minutes the engine says, and at no other', { timeout: 300_000 }, () => {
    const rules = ruleFileText([vigilRuleDocument(config, 'vigil-test')], 'test');
    writeFileSync(join(dir, 'rules.yaml'), rules);
    const inputSeries = config.journeys[0]!.slos.flatMap((slo) => {
      const traffic = TRAFFIC[slo.name]!;
      return [
        {
          series: `${SLO_EVENTS_METRIC}{journey="pay",slo="${slo.name}",result="good"}`,
          values: counterValues((m) => traffic(m)[0] - traffic(m)[1]),
        },
        { series: `${SLO_EVENTS_METRIC}{journey="pay",slo="${slo.name}",result="bad"}`, values: counterValues((m) => traffic(m)[1]) },
      ];
    });
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      // As written: each SLO's recordings, then its alerts, so an alert reads the ratios recorded at the same instant.
      group_eval_order: vigilRuleDocument(config, 'vigil-test').groups.map((g) => g.name),
      tests: [
        {
          interval: '1m',
          input_series: inputSeries,
          alert_rule_test: expected.map((firing, j) => ({
            eval_time: `${j}m`,
            alertname: VIGIL_ALERT_NAME,
            exp_alerts: firing.map(expAlert),
          })),
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yaml'), stringify(tests, { lineWidth: 0 }));
    const run = promtool(['test', 'rules', 'tests.yaml'], dir, 290_000);
    expect(run.output.slice(0, 4000)).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });

  it('promtool check rules accepts the demo bank rules, lint included', () => {
    const demo = loadConfigFromString(readFileSync(new URL('../demo/bank.yaml', import.meta.url), 'utf8'), 'bank.yaml');
    if (!demo.ok) throw new Error(JSON.stringify(demo.errors));
    writeFileSync(join(dir, 'demo.yaml'), ruleFileText([vigilRuleDocument(demo.config, 'vigil-test')], 'test'));
    writeFileSync(join(dir, 'scenario.yaml'), ruleFileText([vigilRuleDocument(config, 'vigil-test')], 'test'));
    const run = promtool(['check', 'rules', '--lint-fatal', 'demo.yaml', 'scenario.yaml'], dir);
    expect(run.output).toMatch(/SUCCESS: \d+ rules found[\s\S]*SUCCESS/);
    expect(run.status).toBe(0);
  });

  const data = new URL('../../test/conformance/sloth/prometheus-testdata/', import.meta.url);
  const windows7d = parseAlertWindows(
    readFileSync(new URL('../../test/conformance/sloth/examples/windows/7d.yaml', import.meta.url), 'utf8'),
    '7d',
  );
  let written = 0;
  /** Sloth's argument table and its other inputs, as the conformance test runs them: [input, days, 7d windows, flags]. */
  const ROWS = [
    ['in-base.yaml', 30, false, {}],
    ['in-base.yaml', 30, false, { disableAlerts: true }],
    ['in-base.yaml', 30, false, { disableRecordings: true }],
    ['in-base.yaml', 30, false, { extraLabels: { exk1: 'exv1', exk2: 'exv2' } }],
    ['in-base.yaml', 28, false, {}],
    ['in-base.yaml', 7, true, {}],
    ['in-multifile.yaml', 30, false, {}],
    ['in-openslo.yaml', 30, false, {}],
    ['in-base-k8s.yaml', 30, false, {}],
    ['in-multifile-k8s.yaml', 30, false, {}],
  ] as const;
  it.each(ROWS)('promtool check rules accepts the rules for Sloth %s (%i days, 7d windows %s, %j)', (input, days, custom, flags) => {
    const windows = custom && windows7d.ok ? new Map([[windows7d.windows.periodMs, windows7d.windows]]) : DEFAULT_SLOTH_WINDOWS;
    const loaded = loadSlothSpecs([{ file: input, text: readFileSync(new URL(input, data), 'utf8') }], {
      defaultPeriodMs: days * 86_400_000,
      windows,
    });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const options = { extraLabels: {}, disableAlerts: false, disableRecordings: false, ...flags };
    // A PrometheusRule's groups are what Prometheus loads: they are checked as a plain rule file.
    const docs = slothRuleDocuments(loaded.documents, { windows, ...options, version: 'v' }).map((doc) => ({
      kind: 'groups' as const,
      groups: doc.groups,
    }));
    // promtool reads one document per file: each document of a multi-document output is checked on its own.
    const files = docs.map((doc, i) => {
      const name = `sloth-${written++}-${i}-${input}`;
      writeFileSync(join(dir, name), ruleFileText([doc], 'test'));
      return name;
    });
    const run = promtool(['check', 'rules', ...files], dir);
    expect(run.output).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });
});
