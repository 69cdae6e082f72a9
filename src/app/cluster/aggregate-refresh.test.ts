/**
 * AggregateRefresh (docs/scale-out.md ("Same figures on every node")): rows read are set as totals, so re-reads
 * change nothing; the watermark moves on with each read; a caller arriving while a read runs waits for the next one.
 * The change source is a scripted list of reads (the PostgreSQL reader is tested in src/store/cluster).
 */
import { describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../../config/load.js';
import { SloRegistry } from '../../engine/slo-registry.js';
import type { AggregateChanges } from '../../store/cluster/postgres-cluster.js';
import { AggregateRefresh } from './aggregate-refresh.js';

const YAML = `
version: vigil/v1
journeys:
  - name: pay
    steps: [{ name: confirm }]
    slos:
      - { name: success, objective: 99, window: 1d, sli: { kind: success } }
`;
const MINUTE = 29_000_000;
const silent = { info: () => {}, warn: () => {} };

function registry(): SloRegistry {
  const loaded = loadConfigFromString(YAML, 'vigil.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return new SloRegistry(loaded.config);
}

/** Answers reads from a script, recording each watermark asked for; `gate` holds a read until released. */
class ScriptedSource {
  readonly asked: string[] = [];
  gate: Promise<void> | undefined;
  constructor(private readonly script: AggregateChanges[]) {}
  async changedSince(watermark: string): Promise<AggregateChanges> {
    this.asked.push(watermark);
    if (this.gate) await this.gate;
    const next = this.script.shift();
    if (!next) throw new Error('no more reads scripted');
    return next;
  }
}

describe('AggregateRefresh', () => {
  it('sets minutes to the totals read, so reading a row again changes nothing, and reads on from each watermark', async () => {
    const reg = registry();
    const key = reg.slis[0]!.key;
    const row = (good: number, total: number) => ({ key, minute: MINUTE, good, total });
    const scope = (success: number, failure: number) => ({
      journey: 'pay',
      step: null,
      minute: MINUTE,
      success,
      failure,
      rejected: 1,
      abandoned: 0,
    });
    const source = new ScriptedSource([
      { watermark: '10', sli: [row(3, 4)], scope: [scope(3, 1)] },
      { watermark: '10', sli: [row(3, 4)], scope: [scope(3, 1)] },
      { watermark: '12', sli: [row(5, 7)], scope: [scope(5, 2)] },
    ]);
    const refresh = new AggregateRefresh({ source, registry: () => reg, watermark: '7', log: silent });
    const series = () => [reg.sliSeriesOf(key)!.get(MINUTE, 0), reg.sliSeriesOf(key)!.get(MINUTE, 1)];
    // [after read n: good, total], hand-computed: totals replace, never add.
    const expected = [
      [3, 4],
      [3, 4],
      [5, 7],
    ];
    for (const want of expected) {
      await refresh.refreshNow();
      expect(series()).toEqual(want);
    }
    expect(source.asked).toEqual(['7', '10', '10']);
    const day = reg.outcomes('pay', null, MINUTE, MINUTE + 1);
    expect(day).toMatchObject({ success: 5, failure: 2, rejected: 1, abandoned: 0 });
  });

  it('makes a caller arriving during a read wait for the next read, and shares that read among all such callers', async () => {
    const reg = registry();
    const empty = (watermark: string) => ({ watermark, sli: [], scope: [] });
    const source = new ScriptedSource([empty('1'), empty('2'), empty('3')]);
    let release!: () => void;
    source.gate = new Promise((resolve) => {
      release = resolve;
    });
    const refresh = new AggregateRefresh({ source, registry: () => reg, watermark: '0', log: silent });
    const first = refresh.refreshNow();
    await Promise.resolve();
    const second = refresh.refreshNow();
    const third = refresh.refreshNow();
    expect(third).toBe(second);
    expect(source.asked).toEqual(['0']);
    release();
    await Promise.all([first, second, third]);
    // Two reads: the one running, then one for both late callers.
    expect(source.asked).toEqual(['0', '1']);
    await refresh.refreshNow();
    expect(source.asked).toEqual(['0', '1', '2']);
  });
});
