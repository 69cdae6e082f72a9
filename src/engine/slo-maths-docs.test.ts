/** Runs every example table of docs/slo-maths.md against the engine's own functions. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWindow } from '../config/duration.js';
import { loadConfigFromString } from '../config/load.js';
import type { VigilConfig } from '../model/config.js';
import { minuteOf } from '../model/minutes.js';
import { alertFactor, BURN_WINDOW_MINUTES, WORKBOOK_PAIRS } from './alert-pairs.js';
import { allowedBad, burnRate, errorBudgetRemaining } from './error-budget.js';
import { evaluateSlo, GOOD, TOTAL } from './evaluate.js';
import { MinuteSeries, SLICE_TARGET_SCALE, sliceIsGood } from './minute-series.js';
import { type SliDefinition, sliContribution } from './sli.js';
import { periodMinutes, windowRange } from './windows.js';

const doc = readFileSync(new URL('../../docs/slo-maths.md', import.meta.url), 'utf8');

/** The table or fenced block right after `<!-- example: name -->`. */
function example(name: string): string {
  const marker = `<!-- example: ${name} -->\n`;
  const start = doc.indexOf(marker);
  if (start === -1) throw new Error(`docs/slo-maths.md has no example "${name}"`);
  const body = doc.slice(start + marker.length);
  const fence = /^```\w+\n([\s\S]*?)\n```/.exec(body);
  return fence ? fence[1]! : body.slice(0, body.indexOf('\n\n'));
}

/** Header and body rows of a markdown table, cells trimmed. */
function table(name: string): { header: string[]; rows: string[][] } {
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const lines = example(name).split('\n');
  const rows = lines.slice(2).map(cells);
  if (rows.length === 0) throw new Error(`example "${name}" has no rows`);
  return { header: cells(lines[0]!), rows };
}

/** A number as the docs write it: thousands separators, a typographic minus, `null`. */
function num(text: string): number | null {
  if (text === 'null') return null;
  const value = Number(text.replace(/,/g, '').replace('−', '-').replace('%', ''));
  if (Number.isNaN(value)) throw new Error(`not a number: ${text}`);
  return value;
}

/** `actual` rounded to as many decimals as the docs show for `shown`. */
function asShown(actual: number, shown: string): number {
  const decimals = shown.split('.')[1]?.length ?? 0;
  return Number(actual.toFixed(decimals));
}

function config(name: string): VigilConfig {
  const loaded = loadConfigFromString(example(name), 'vigil.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return loaded.config;
}

function at(text: string): number {
  expect(doc).toContain(`\`${text}\``);
  return Date.parse(text);
}

describe('docs/slo-maths.md', () => {
  it('"Minutes and windows": the minutes each window covers and its period', () => {
    const when = at('2026-11-26T10:00:30Z');
    expect(doc).toContain('`defaults.timezone: Europe/London`');
    for (const [window, first, end, hours] of table('windows').rows) {
      const spec = parseWindow(window!.replace(/`/g, ''));
      if (!spec.ok) throw new Error(spec.message);
      const range = windowRange(spec.value, when, 'Europe/London');
      expect(new Date(range.fromMinute * 60_000).toISOString().replace('.000', ''), window).toBe(first);
      expect(new Date(range.toMinute * 60_000).toISOString().replace('.000', ''), window).toBe(end);
      expect(asShown(periodMinutes(spec.value, when, 'Europe/London') / 60, hours!), window).toBe(num(hours!));
    }
  });

  it('"Good and total": what one event adds to each SLI', () => {
    const { header, rows } = table('sli contributions');
    const definitions: SliDefinition[] = header.slice(2).map((cell) => {
      const kind = /kind: (success|latency)/.exec(cell)?.[1] as 'success' | 'latency';
      const threshold = /thresholdMs: (\d+)/.exec(cell)?.[1];
      return {
        source: 'events',
        key: cell,
        journey: 'wire-transfer',
        step: null,
        kind,
        ...(threshold !== undefined ? { thresholdMs: Number(threshold) } : {}),
        abandonedIsBad: cell.includes('abandonedIsBad: true'),
      };
    });
    expect(definitions.map((d) => d.kind)).toEqual(['success', 'latency', 'success']);
    for (const [outcome, latency, ...expected] of rows) {
      const event = {
        journey: 'wire-transfer',
        outcome: outcome!.replace(/`/g, '') as 'success' | 'failure' | 'rejected' | 'abandoned',
        ...(latency === '—' ? {} : { latencyMs: Number(latency) }),
      };
      const got = definitions.map((d) => {
        const c = sliContribution(d, event);
        return c.total === 0 ? 'not counted' : c.good === 1 ? 'good' : 'bad';
      });
      expect(got, `${outcome} ${latency}`).toEqual(expected);
      // Another scope never counts the event.
      expect(sliContribution({ ...definitions[0]!, step: 'confirm' }, event)).toEqual({ good: 0, total: 0 });
    }
  });

  it('"Error budget": allowed, consumed and remaining', () => {
    for (const [objective, good, total, allowed, consumed, remaining] of table('budgets').rows) {
      const o = num(objective!)!;
      const bad = num(total!)! - num(good!)!;
      expect(asShown(allowedBad(num(total!)!, o), allowed!)).toBe(num(allowed!));
      expect(bad).toBe(num(consumed!));
      expect(asShown(errorBudgetRemaining(bad, num(total!)!, o), remaining!)).toBe(num(remaining!));
    }
  });

  it('"Timeslices": slices, attainment and a burn rate that still counts events', () => {
    const slo = config('timeslice config').journeys[0]!.slos[0]!;
    const series = new MinuteSeries(2);
    const when = at('2026-11-26T10:04:30Z');
    for (const [minute, good, total, slice] of table('timeslice minutes').rows) {
      const m = minuteOf(Date.parse(`2026-11-26T${minute}:00Z`));
      series.add(m, GOOD, num(good!)!);
      series.add(m, TOTAL, num(total!)!);
      const expected =
        num(total!) === 0 ? 'none' : sliceIsGood(num(good!)!, num(total!)!, slo.timeSliceTarget * SLICE_TARGET_SCALE) ? 'good' : 'bad';
      expect(slice, minute).toBe(expected);
    }
    const status = evaluateSlo({ journey: { name: 'statements' }, slo, series, atMs: when, timeZone: 'UTC' });
    const fields: Record<string, number | null> = {
      good: status.good,
      total: status.total,
      attainment: status.attainment,
      sli: status.sli,
      'errorBudget.allowed': status.errorBudget.allowed,
      'errorBudget.consumed': status.errorBudget.consumed,
      'errorBudget.remaining': status.errorBudget.remaining,
      'burnRates.1h': status.burnRates['1h'],
    };
    const rows = table('timeslice status').rows;
    expect(rows.map(([field]) => field!.replace(/`/g, ''))).toEqual(Object.keys(fields));
    for (const [field, value] of rows) {
      expect(asShown(fields[field!.replace(/`/g, '')]!, value!), field).toBe(num(value!));
    }
  });

  it('"Burn rate": (bad / total) / (1 − objective)', () => {
    for (const [objective, bad, total, burn] of table('burn rates').rows) {
      const rate = burnRate(num(bad!)!, num(total!)!, num(objective!)!);
      expect(rate === null ? null : asShown(rate, burn!)).toBe(num(burn!));
    }
  });

  it('"Alert pairs": the pairs and their factors scaled to the SLO period', () => {
    const { header, rows } = table('factors');
    const periods = header.slice(4).map((cell) => Number(/factor at (\d+)d/.exec(cell)![1]) * 1440);
    expect(periods).toEqual([30 * 1440, 28 * 1440, 7 * 1440]);
    expect(rows.map(([severity, short, long, budget]) => ({ severity, short, long, budgetPercent: num(budget!) }))).toEqual(
      WORKBOOK_PAIRS.map(({ severity, short, long, budgetPercent }) => ({ severity, short, long, budgetPercent })),
    );
    for (const [, , long, budget, ...factors] of rows) {
      factors.forEach((shown, i) => {
        const factor = alertFactor(num(budget!)!, periods[i]!, BURN_WINDOW_MINUTES[long as keyof typeof BURN_WINDOW_MINUTES]);
        expect(asShown(factor, shown), `${long} at ${periods[i]! / 1440}d`).toBe(num(shown));
      });
    }
  });

  it('"Minimum events": pairs fire only when the long window holds enough events', () => {
    const base = config('min events config').journeys[0]!.slos[0]!;
    expect(base.alerting.minEvents).toBe(20);
    const when = at('2026-11-26T10:00:30Z');
    const series = new MinuteSeries(2);
    series.add(minuteOf(when), GOOD, 14);
    series.add(minuteOf(when), TOTAL, 15);
    for (const [minEvents, page, ticket] of table('min events').rows) {
      const slo = { ...base, alerting: { minEvents: num(minEvents!.replace(/`/g, ''))! } };
      const status = evaluateSlo({ journey: { name: 'private-banking-transfer' }, slo, series, atMs: when, timeZone: 'UTC' });
      expect(status.burnRates['1h']!.toFixed(1)).toBe('66.7');
      expect(status.alerts.pairs.every((p) => p.burnShort! > p.factor && p.burnLong! > p.factor)).toBe(true);
      expect([String(status.alerts.page), String(status.alerts.ticket)], `minEvents ${minEvents}`).toEqual([page, ticket]);
    }
  });
});
