import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidate } from '../cli/commands/validate.js';
import { loadConfig } from './load.js';

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

  it('states the summary that vigil validate prints for the example', async () => {
    const path = join(dir, 'vigil.yaml');
    copyFileSync(fixture, path);
    const summary = (await runValidate(path)).stdout.replace(path, 'vigil.yaml').trim();
    expect(doc).toContain(`\`${summary}\``);
  });

  it('prints exactly the problems it shows for broken.yaml', async () => {
    const broken = blocks('yaml')[1];
    const shown = blocks('text')[0];
    expect(broken).toBeDefined();
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, broken ?? '');
    const outcome = await runValidate(path);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout.replaceAll(path, 'broken.yaml')).toBe(shown);
  });
});
