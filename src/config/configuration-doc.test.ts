import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidate } from '../cli/commands/validate.js';
import { alertFactor, alertWindowsFor, WORKBOOK_PAIRS } from '../engine/alert-pairs.js';
import { loadConfig, loadConfigFromString } from './load.js';

/** docs/configuration.md is the user's reference: its examples must be what Vigil actually does. */
const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
const fixture = join(root, 'test', 'fixtures', 'config', 'example.yaml');
const blocks = (lang: string): string[] => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');

const dir = mkdtempSync(join(tmpdir(), 'vigil-doc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/configuration.md', () => {
  it('shows the fixture as its complete example, and the fixture loads', async () => {
    expect(blocks('yaml')[0]).toBe(readFileSync(fixture, 'utf8'));
    const result = await loadConfig(fixture);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result;
    expect(config.defaults.timezone).toBe('Europe/London');
    expect(config.tiers['regulatory']).toEqual({ name: 'regulatory', objective: 99.98 });
    expect(config.journeys.map((j) => `${j.name}:${j.slos.map((s) => `${s.name}@${s.objective}/${s.window.text}`).join(',')}`)).toEqual([
      'wire-transfer:success@99.95/28d,within-regulatory-limit@99.9/28d,confirm-step@99.99/month',
      'view-balance:success@99.9/28d',
    ]);
    expect(config.journeys[0]?.slos[2]).toMatchObject({
      budgeting: 'timeslices',
      timeSliceTarget: 99,
      sli: { step: 'confirm', abandonedIsBad: true },
      alerting: { minEvents: 20 },
    });
    expect(config.alerting).toEqual({
      serviceLabels: ['service', 'service_name', 'app', 'job'],
      correlationWindowMinutes: 10,
      serviceRules: [{ match: { namespace: 'payments', job: '/payments-.*/' }, service: 'payments-api' }],
    });
    expect(config.retention.rawEventsDays).toBe(35);
    expect(config.ingest.maxBodyBytes).toBe(10485760);
  });

  it('alert windows: the example loads and resolves as the text says', () => {
    const example = doc.split('<!-- example: alert windows -->')[1]?.match(/```yaml\n([\s\S]*?)```/)?.[1];
    expect(example).toBeDefined();
    const result = loadConfigFromString(`version: vigil/v1\n${example}`, 'vigil.yaml');
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    const [success, fast] = result.config.journeys[0]!.slos;
    const pairs = (slo: typeof success) => alertWindowsFor(slo!).map((p) => `${p.severity} ${p.short}/${p.long} ${p.budgetPercent}`);
    expect(pairs(success)).toEqual(['page 10m/2h 3', 'ticket 1d/7d 25']);
    expect(pairs(fast)).toEqual(['page 5m/1h 5']);
    expect(pairs({ ...fast!, alerting: { minEvents: 0 } })).toEqual([
      'page 5m/1h 2',
      'page 30m/6h 5',
      'ticket 2h/1d 10',
      'ticket 6h/3d 10',
    ]);
  });

  it('the built-in windows table gives the factors the engine uses', () => {
    const table = doc.split('### Alert windows')[1]!.split('<!-- example')[0]!;
    const rows = [...table.matchAll(/^\| (page|ticket) \| (\S+) \| (\S+) \| (\S+) \| (\S+) \| (\S+) \|$/gm)];
    expect(rows.map((r) => `${r[1]} ${r[2]}/${r[3]} ${r[4]}`)).toEqual(
      WORKBOOK_PAIRS.map((p) => `${p.severity} ${p.short}/${p.long} ${p.budgetPercent}`),
    );
    rows.forEach((r, i) => {
      const pair = WORKBOOK_PAIRS[i]!;
      expect(alertFactor(pair.budgetPercent, 28 * 1440, pair.longMinutes)).toBeCloseTo(Number(r[5]), 2);
      expect(alertFactor(pair.budgetPercent, 30 * 1440, pair.longMinutes)).toBeCloseTo(Number(r[6]), 2);
    });
  });

  it('states the summary that vigil validate prints for the example', async () => {
    const path = join(dir, 'vigil.yaml');
    copyFileSync(fixture, path);
    const summary = (await runValidate(path)).stdout.replace(path, 'vigil.yaml').trim();
    expect(doc).toContain(`\`${summary}\``);
  });

  it('prints exactly the problems it shows for broken.yaml', async () => {
    const broken = blocks('yaml').find((block) => block.includes('critcal'));
    const shown = blocks('text')[0];
    expect(broken).toBeDefined();
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, broken ?? '');
    const outcome = await runValidate(path);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout.replaceAll(path, 'broken.yaml')).toBe(shown);
  });
});
