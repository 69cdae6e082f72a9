/** Alert windows and SLI sources in vigil.yaml: how they resolve, and every problem with file:line:col (docs/configuration.md). */
import { describe, expect, it } from 'vitest';
import { alertWindowsFor } from '../engine/alert-pairs.js';
import { formatProblem, loadConfigFromString } from './load.js';

const head = (alerting = '') => `version: vigil/v1\n${alerting}journeys:\n  - name: pay\n    steps: [{ name: go }]\n    slos:\n`;

function load(text: string) {
  const result = loadConfigFromString(text, 'vigil.yaml');
  if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
  return result.config;
}

function problems(text: string): string[] {
  const result = loadConfigFromString(text, 'vigil.yaml');
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors.map(formatProblem);
}

const POLICY = `alerting:
  windows:
    - period: 4w
      pairs:
        - { severity: page, short: 10m, long: 60m, budgetPercent: 3 }
    - period: month
      pairs:
        - { severity: ticket, short: 1h, long: 1w, budgetPercent: 20 }
`;

describe('alert windows: resolution', () => {
  it('without any setting an SLO keeps the built-in windows and resolves as before', () => {
    const config = load(`${head()}      - { name: ok, sli: { kind: success } }\n`);
    const slo = config.journeys[0]!.slos[0]!;
    expect(slo.alerting).toEqual({ minEvents: 0 });
    expect(config.alerting.windows).toBeUndefined();
    expect(alertWindowsFor(slo).map((p) => [p.severity, p.short, p.long, p.budgetPercent])).toEqual([
      ['page', '5m', '1h', 2],
      ['page', '30m', '6h', 5],
      ['ticket', '2h', '1d', 10],
      ['ticket', '6h', '3d', 10],
    ]);
  });

  it('a policy applies to the SLOs of its period (4w is 28d), an SLO’s own windows win, other periods keep the built-in', () => {
    const config = load(
      `${head(POLICY)}      - { name: rolling, window: 28d, sli: { kind: success } }
      - { name: calendar, window: month, sli: { kind: success } }
      - { name: other, window: 7d, sli: { kind: success } }
      - name: own
        window: 28d
        sli: { kind: success }
        alerting: { minEvents: 5, windows: [{ severity: page, short: 2m, long: 90m, budgetPercent: 1.5 }] }
`,
    );
    const [rolling, calendar, other, own] = config.journeys[0]!.slos;
    expect(rolling!.alerting.windows).toEqual([
      { severity: 'page', short: '10m', long: '1h', shortMinutes: 10, longMinutes: 60, budgetPercent: 3 },
    ]);
    expect(calendar!.alerting.windows).toEqual([
      { severity: 'ticket', short: '1h', long: '7d', shortMinutes: 60, longMinutes: 10_080, budgetPercent: 20 },
    ]);
    expect(other!.alerting.windows).toBeUndefined();
    expect(alertWindowsFor(other!)).toHaveLength(4);
    expect(own!.alerting).toEqual({
      minEvents: 5,
      windows: [{ severity: 'page', short: '2m', long: '90m', shortMinutes: 2, longMinutes: 90, budgetPercent: 1.5 }],
    });
    expect(config.alerting.windows?.map((p) => p.period.text)).toEqual(['4w', 'month']);
  });

  it('an SLI source defaults to events', () => {
    const config = load(
      `${head()}      - { name: ok, sli: { kind: success } }\n      - { name: explicit, sli: { source: events, kind: success } }\n`,
    );
    expect(config.journeys[0]!.slos.map((s) => s.sli.source)).toEqual(['events', 'events']);
  });
});

describe('alert windows and sources: problems at file:line:col', () => {
  const slo = (alerting: string) => `${head()}      - name: ok\n        sli: { kind: success }\n        alerting: ${alerting}\n`;
  it.each([
    [
      'an unknown SLI source',
      `${head()}      - { name: ok, sli: { source: prometheus, kind: success } }\n`,
      "vigil.yaml:6:36: journeys[0].slos[0].sli.source: source 'prometheus' needs kind: prometheus with good (or bad) and total",
    ],
    [
      'a short window not shorter than the long one',
      slo('{ windows: [{ severity: page, short: 1h, long: 60m, budgetPercent: 2 }] }'),
      'vigil.yaml:8:56: journeys[0].slos[0].alerting.windows[0].short: the short window 1h must be shorter than the long window 60m',
    ],
    [
      'an unknown severity',
      slo('{ windows: [{ severity: urgent, short: 5m, long: 1h, budgetPercent: 2 }] }'),
      "vigil.yaml:8:43: journeys[0].slos[0].alerting.windows[0].severity: expected 'page' or 'ticket', got 'urgent'",
    ],
    [
      'a budget share of 0',
      slo('{ windows: [{ severity: page, short: 5m, long: 1h, budgetPercent: 0 }] }'),
      'vigil.yaml:8:85: journeys[0].slos[0].alerting.windows[0].budgetPercent: expected a percentage of the error budget greater than 0 and at most 100, got 0',
    ],
    [
      'a long window beyond 400 days',
      slo('{ windows: [{ severity: ticket, short: 1d, long: 500d, budgetPercent: 50 }] }'),
      "vigil.yaml:8:68: journeys[0].slos[0].alerting.windows[0].long: expected a window of at most 400 days, got '500d'",
    ],
    [
      'no pair',
      slo('{ windows: [] }'),
      'vigil.yaml:8:30: journeys[0].slos[0].alerting.windows: expected a list of at least one alert window pair, got an empty list',
    ],
    [
      'a bad duration',
      slo('{ windows: [{ severity: page, short: 5 minutes, long: 1h, budgetPercent: 2 }] }'),
      "vigil.yaml:8:56: journeys[0].slos[0].alerting.windows[0].short: expected a duration such as 10m, 2h, 35d or 4w, got '5 minutes'",
    ],
    [
      'an unknown pair key',
      slo('{ windows: [{ severity: page, short: 5m, long: 1h, budget: 2 }] }'),
      "vigil.yaml:8:70: journeys[0].slos[0].alerting.windows[0].budget: unknown key 'budget'; expected one of: severity, short, long, budgetPercent",
    ],
    [
      'two policies for one period (4w is 28d)',
      head(`alerting:
  windows:
    - { period: 28d, pairs: [{ severity: page, short: 5m, long: 1h, budgetPercent: 2 }] }
    - { period: 4w, pairs: [{ severity: page, short: 5m, long: 1h, budgetPercent: 2 }] }
`) + '      - { name: ok, sli: { kind: success } }\n',
      "vigil.yaml:5:17: alerting.windows[1].period: a policy for the period '4w' is already set; each SLO period may have one policy (first at line 4)",
    ],
    [
      'a policy for an unknown period',
      head(`alerting:
  windows:
    - { period: fortnight, pairs: [{ severity: page, short: 5m, long: 1h, budgetPercent: 2 }] }
`) + '      - { name: ok, sli: { kind: success } }\n',
      "vigil.yaml:4:17: alerting.windows[0].period: expected a rolling window (Nm, Nh, Nd or Nw, e.g. 28d) or week, month or quarter, got 'fortnight'",
    ],
  ])('%s', (_name, text, message) => {
    const lines = problems(text);
    expect(
      lines.filter((line) => line.includes(message)),
      lines.join('\n'),
    ).toHaveLength(1);
    expect(lines).toHaveLength(message.includes("unknown key 'budget'") ? 2 : 1);
  });
});
