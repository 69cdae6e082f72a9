/** loadReadModel: the statuses VigilRuntime.start would give, from a read-only store, without changing a byte of the file. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SloSpec, VigilConfig } from '../model/config.js';
import { openStore } from '../store/open.js';
import { loadReadModel } from './read-model.js';
import { VigilRuntime } from './runtime.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-read-model-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const slo = (name: string, extra: Partial<SloSpec> & Pick<SloSpec, 'sli'>): SloSpec => ({
  name,
  objective: 99,
  window: { kind: 'rolling', minutes: 1440, text: '1d' },
  budgeting: 'occurrences',
  timeSliceTarget: 90,
  alerting: { minEvents: 0 },
  ...extra,
});
const configWith = (slos: SloSpec[]): VigilConfig => ({
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: { critical: { name: 'critical', objective: 99.9 } },
  services: [],
  journeys: [
    {
      name: 'wire-transfer',
      displayName: 'Wire transfer',
      tier: 'critical',
      steps: [{ name: 'confirm', services: [], critical: true }],
      slos,
    },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 10_000_000 },
});
/** What a server ran with. */
const served = configWith([slo('success', { sli: { kind: 'success', abandonedIsBad: false } })]);
/** What a later `vigil status --config` gives: one SLI changed, two new ones. */
const asked = configWith([
  slo('success', { sli: { kind: 'success', abandonedIsBad: true } }),
  slo('fast', { sli: { kind: 'latency', thresholdMs: 1000, abandonedIsBad: false } }),
  slo('confirm', { sli: { kind: 'success', step: 'confirm', abandonedIsBad: false } }),
]);

const events = Array.from({ length: 400 }, (_, i) => ({
  id: `e${i}`,
  journey: 'wire-transfer',
  ...(i % 3 === 0 ? { step: 'confirm' } : {}),
  outcome: i % 17 === 0 ? 'failure' : i % 23 === 0 ? 'abandoned' : 'success',
  latencyMs: (i * 37) % 2000,
  timestamp: new Date(NOW - 20 * 3_600_000 + i * 120_000).toISOString(),
}));

describe('loadReadModel', () => {
  it('gives the statuses a reconciling start would give for a different configuration, writing nothing', async () => {
    const file = path.join(dir, 'served.db');
    const runtime = await VigilRuntime.start({ config: served, store: await openStore(file), clock: () => NOW });
    expect((await runtime.ingestor.ingest(JSON.stringify(events), 'application/json')).accepted).toBe(events.length);
    await runtime.close();
    const before = sha256(file);

    const reader = await openStore(file, { readOnly: true });
    expect(await reader.events.materialisedSliKeys()).toEqual(['wire-transfer|*|success|abandoned:ok']);
    const registry = await loadReadModel({ config: asked, store: reader, clock: () => NOW });
    await reader.close();
    expect(sha256(file)).toBe(before);

    // The reference: a copy of the file, reconciled (rebuilt, written) by a full start.
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(file, copy);
    const reconciled = await VigilRuntime.start({ config: asked, store: await openStore(copy), clock: () => NOW });
    const expected = reconciled.registry.statuses(NOW);
    await reconciled.close();
    expect(registry.statuses(NOW)).toEqual(expected);
    // Each SLO counted events, though only the served SLI was materialised: the others came from raw events.
    expect(expected.map((s) => s.total)).toEqual([266, 255, 129]);
  });
});
