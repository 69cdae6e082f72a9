/** `retention` in vigil.yaml (docs/configuration.md ("Retention")): defaults, each key, problems at file:line:col. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNAL_RETENTION_DAYS } from '../ingest/validate-signal.js';
import { DEFAULT_PROBE_RETENTION_DAYS } from '../model/benchmark.js';
import { retentionDays } from '../model/config.js';
import { formatProblem, loadConfigFromString } from './load.js';

async function load(text: string) {
  return loadConfigFromString(`version: vigil/v1\n${text}`, 'vigil.yaml');
}

describe('retention in vigil.yaml', () => {
  it('defaults every kind when the section is absent: 35 days of raw events, 400 of records, 30 of delivered notifications', async () => {
    const result = await load('');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.retention).toEqual({ rawEventsDays: 35 });
    expect(retentionDays(result.config)).toEqual({ rawEvents: 35, signals: 400, probes: 400, alerts: 400, incidents: 400, outbox: 30 });
    // The defaults the signal and probe code used before this section grew stay the same.
    expect(retentionDays(result.config).signals).toBe(DEFAULT_SIGNAL_RETENTION_DAYS);
    expect(retentionDays(result.config).probes).toBe(DEFAULT_PROBE_RETENTION_DAYS);
  });

  const keys: Array<{ yaml: string; resolved: Record<string, number>; days: Partial<ReturnType<typeof retentionDays>> }> = [
    { yaml: 'rawEvents: 62d', resolved: { rawEventsDays: 62 }, days: { rawEvents: 62 } },
    { yaml: 'signals: 90d', resolved: { rawEventsDays: 35, signalsDays: 90 }, days: { signals: 90 } },
    { yaml: 'probes: 4w', resolved: { rawEventsDays: 35, probesDays: 28 }, days: { probes: 28 } },
    { yaml: 'alerts: 180d', resolved: { rawEventsDays: 35, alertsDays: 180 }, days: { alerts: 180 } },
    { yaml: 'incidents: 1825d', resolved: { rawEventsDays: 35, incidentsDays: 1825 }, days: { incidents: 1825 } },
    { yaml: 'outbox: 36h', resolved: { rawEventsDays: 35, outboxDays: 1.5 }, days: { outbox: 1.5 } },
  ];
  for (const { yaml, resolved, days } of keys) {
    it(`resolves retention.${yaml}, leaving the other kinds at their defaults`, async () => {
      const result = await load(`retention: { ${yaml} }\n`);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.config.retention).toEqual(resolved);
      const defaults = { rawEvents: 35, signals: 400, probes: 400, alerts: 400, incidents: 400, outbox: 30 };
      expect(retentionDays(result.config)).toEqual({ ...defaults, ...days });
    });
  }

  const bad: Array<{ text: string; problem: string }> = [
    {
      text: 'retention:\n  alerts: 400 days\n',
      problem: "vigil.yaml:3:11: retention.alerts: expected a duration such as 10m, 2h, 35d or 4w, got '400 days'",
    },
    {
      text: 'retention:\n  incidents: 0d\n',
      problem: "vigil.yaml:3:14: retention.incidents: expected a duration greater than zero, got '0d'",
    },
    {
      text: 'retention:\n  outbox: 1.5d\n',
      problem: "vigil.yaml:3:11: retention.outbox: expected a duration such as 10m, 2h, 35d or 4w, got '1.5d'",
    },
    {
      text: 'retention:\n  outbx: 30d\n',
      problem:
        "vigil.yaml:3:3: retention.outbx: unknown key 'outbx' (did you mean 'outbox'?); expected one of: rawEvents, signals, probes, alerts, incidents, outbox",
    },
  ];
  for (const { text, problem } of bad) {
    it(`reports ${JSON.stringify(text.split('\n')[1]!.trim())} at its file, line and column`, async () => {
      const result = await load(text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const problems = result.errors.map(formatProblem);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toBe(problem);
    });
  }
});
