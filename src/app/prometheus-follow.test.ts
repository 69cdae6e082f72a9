/**
 * With several nodes, SLIs of kind prometheus are read by the leader only; every other node sets in memory what the
 * leader stored (docs/scale-out.md ("Same figures on every node")). Here the "leader" writes the store as the reader
 * does (saveSourceRead) and a runtime that does not lead follows it, on a real SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SloSpec, VigilConfig } from '../model/config.js';
import { minuteOf } from '../model/minutes.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { VigilRuntime } from './runtime.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const M = minuteOf(NOW);
const slo: SloSpec = {
  name: 'availability',
  objective: 99,
  window: { kind: 'rolling', minutes: 1440, text: '1d' },
  budgeting: 'occurrences',
  timeSliceTarget: 90,
  alerting: { minEvents: 0 },
  sli: { source: 'prometheus', kind: 'prometheus', prometheus: { bad: 'errors_total', total: 'requests_total' }, abandonedIsBad: false },
};
const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: {},
  services: [],
  journeys: [{ name: 'api', displayName: 'API', tier: 'critical', steps: [{ name: 'call', services: [], critical: true }], slos: [slo] }],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 10_000_000 },
  sources: { prometheus: { url: 'http://127.0.0.1:1', timeoutMs: 1000, settleMinutes: 2 } },
};

describe('a node that does not lead follows the Prometheus minutes the leader stored', () => {
  let dir: string;
  let store: Store;
  let runtime: VigilRuntime;
  afterEach(async () => {
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets stored minutes, zeroes a minute the leader re-read as a gap, and reports the state from the store', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-follow-'));
    store = await openStore(join(dir, 'vigil.db'));
    let clock = NOW;
    runtime = await VigilRuntime.start({ config, store, clock: () => clock });
    const key = runtime.registry.prometheusSlis[0]!.key;
    const follower = runtime.prometheus;
    const series = () => runtime.registry.sliSeriesOf(key)!;
    const at = (minute: number) => [series().get(minute, 0), series().get(minute, 1)];

    await follower.followTick();
    expect(follower.statuses()[0]).toMatchObject({ state: 'waiting', message: 'read by the leading node; nothing stored yet' });

    // The leader reads minutes M-10 … M-1; M-3 … M-1 are not settled (watermark M-2 with a settle of 2 minutes).
    const minutes = Array.from({ length: 10 }, (_, i) => ({ minute: M - 10 + i, good: 95 + i, total: 100 + i }));
    await store.sources.saveSourceRead({ key, fromMinute: M - 10, toMinute: M, minutes, startMinute: M - 10, watermark: M - 2 });
    await follower.followTick();
    expect(at(M - 10)).toEqual([95, 100]);
    expect(at(M - 1)).toEqual([104, 109]);
    expect(follower.statuses()[0]).toMatchObject({ state: 'following', watermark: M - 2, lastDataMinute: M - 1 });

    // A minute later the leader re-reads [M-2, M+1): M-1 turned out a gap (no total point), M is new.
    clock = NOW + 60_000;
    await store.sources.saveSourceRead({
      key,
      fromMinute: M - 2,
      toMinute: M + 1,
      minutes: [
        { minute: M - 2, good: 103, total: 108 },
        { minute: M, good: 50, total: 50 },
      ],
      startMinute: M - 10,
      watermark: M - 1,
    });
    await follower.followTick();
    expect(at(M - 2)).toEqual([103, 108]);
    expect(at(M - 1)).toEqual([0, 0]);
    expect(at(M)).toEqual([50, 50]);
    // Minutes before the previous watermark are final: untouched.
    expect(at(M - 10)).toEqual([95, 100]);

    // Nothing stored for 20 minutes: lagging is judged from the newest stored minute.
    clock = NOW + 20 * 60_000;
    await follower.followTick();
    expect(follower.statuses()[0]!.state).toBe('no_data');
    expect(follower.statuses()[0]!.message).toBe('read by the leading node');
  });

  it('does not follow while it leads', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-follow-'));
    store = await openStore(join(dir, 'vigil.db'));
    runtime = await VigilRuntime.start({ config, store, clock: () => NOW });
    const key = runtime.registry.prometheusSlis[0]!.key;
    await store.sources.saveSourceRead({
      key,
      fromMinute: M - 5,
      toMinute: M - 4,
      minutes: [{ minute: M - 5, good: 1, total: 2 }],
      startMinute: M - 5,
      watermark: M - 4,
    });
    runtime.prometheus.start();
    await runtime.prometheus.followTick();
    await runtime.prometheus.stop();
    // The leader's own read (Prometheus unreachable here) neither set the stored minute nor followed it.
    expect(runtime.registry.sliSeriesOf(key)!.get(M - 5, 1)).toBe(0);
  });
});
