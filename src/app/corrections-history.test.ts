/**
 * Corrections recomputed over history on both stores (docs/slo-maths.md ("Corrections")): exact good and total before
 * and after a correction is added by a configuration reload and through the API, the events staying stored.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { CorrectionSpec, VigilConfig } from '../model/config.js';
import { sloSpec, TWO_JOURNEYS } from '../../test/helpers/configs.js';
import { minuteOf } from '../model/minutes.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { VigilRuntime } from './runtime.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const at = (time: string): number => Date.parse(`2026-11-26T${time}Z`);
const url = process.env.VIGIL_TEST_DATABASE_URL;
const inCi = process.env.CI === 'true';

const config = TWO_JOURNEYS;

/** Ten wire-transfer events and two of statements; six wire-transfer ones inside 09:00–09:30Z. */
const EVENTS = [
  { journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T08:10:00Z', latencyMs: 100 },
  { journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T08:10:10Z', latencyMs: 900 },
  { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T08:10:20Z' },
  { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T08:59:59.999Z' },
  { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:00:00Z' },
  { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:05:00Z' },
  { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:05:30Z' },
  { journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T09:20:00Z', latencyMs: 100 },
  { journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T09:30:00Z', latencyMs: 100 },
  { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:45:00Z' },
  { journey: 'statements', outcome: 'failure', timestamp: '2026-11-26T09:10:00Z' },
  { journey: 'statements', outcome: 'success', timestamp: '2026-11-26T09:40:00Z' },
];

const upgrade: CorrectionSpec = {
  name: 'ledger-upgrade',
  journeys: ['wire-transfer'],
  reason: 'Announced core-ledger upgrade',
  source: 'config',
  kind: 'once',
  from: at('09:00:00'),
  to: at('09:30:00'),
};

/** good/total of each SLO, in configuration order, with the budget consumed and the 1h burn rate of wire-transfer/success. */
function figures(runtime: VigilRuntime) {
  const statuses = runtime.registry.statuses(NOW);
  const success = statuses[0]!;
  return {
    counts: statuses.map((s) => `${s.journey}/${s.slo} ${s.good}/${s.total}`),
    budget: success.errorBudget,
    burn1h: success.burnRates['1h'],
  };
}

type Opened = { store: Store; reopen: () => Promise<Store>; cleanup: () => Promise<void> };
const backends: [string, () => Promise<Opened>][] = [
  [
    'sqlite',
    async () => {
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const dir = mkdtempSync(join(tmpdir(), 'vigil-corr-'));
      const file = join(dir, 'vigil.db');
      const opened = [await openStore(file)];
      return {
        store: opened[0]!,
        reopen: async () => {
          opened.push(await openStore(file));
          return opened.at(-1)!;
        },
        cleanup: async () => {
          for (const s of opened) await s.close().catch(() => {});
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];
let admin: pg.Pool | undefined;
if (url) {
  admin = new pg.Pool({ connectionString: url, max: 2 });
  backends.push([
    'postgres',
    async () => {
      const schema = `vigil_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin!.query(`CREATE SCHEMA ${schema}`);
      const opened = [await openStore(url, { schema, maxConnections: 4 })];
      return {
        store: opened[0]!,
        reopen: async () => {
          opened.push(await openStore(url, { schema, maxConnections: 4 }));
          return opened.at(-1)!;
        },
        cleanup: async () => {
          for (const s of opened) await s.close().catch(() => {});
          await admin!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        },
      };
    },
  ]);
}
afterAll(async () => {
  await admin?.end();
});

if (!url && inCi) {
  it('has a PostgreSQL database to test against', () => {
    throw new Error('CI must provide VIGIL_TEST_DATABASE_URL');
  });
}

describe.each(backends)('corrections over history: %s', (_name, open) => {
  const BEFORE = ['wire-transfer/success 4/10', 'wire-transfer/fast 3/10', 'statements/success 1/2'];
  const AFTER = ['wire-transfer/success 3/6', 'wire-transfer/fast 2/6', 'statements/success 1/2'];

  it('a correction added by a reload recomputes its journey from raw events; the events stay stored; a restart agrees', async () => {
    const { store, reopen, cleanup } = await open();
    try {
      const runtime = await VigilRuntime.start({ config, store, clock: () => NOW });
      expect((await runtime.ingestor.ingest(JSON.stringify(EVENTS), 'application/json')).accepted).toBe(12);
      const before = figures(runtime);
      expect(before.counts).toEqual(BEFORE);
      // Objective 90 %: allowed = 0.1 × total bad events, consumed = the bad ones.
      expect(before.budget.consumed).toBe(6);
      expect(before.budget.allowed).toBeCloseTo(1, 9);
      // The last hour is the minutes 09:01–10:00: 09:05:00, 09:05:30 and 09:45 bad, 09:20 and 09:30 good: (3/5) ÷ 0.1.
      expect(before.burn1h).toBeCloseTo(3 / 5 / 0.1, 9);
      const changed = await runtime.reconfigure({ ...config, corrections: [upgrade] });
      expect(changed.recomputed).toHaveLength(2);
      expect(changed.recomputed.every((key) => key.startsWith('wire-transfer|') && key.includes('|corrections:'))).toBe(true);
      expect(changed.dropped.sort()).toEqual(['wire-transfer|*|latency:500|abandoned:ok', 'wire-transfer|*|success|abandoned:ok']);
      const after = figures(runtime);
      expect(after.counts).toEqual(AFTER);
      expect(after.budget.consumed).toBe(3);
      expect(after.budget.allowed).toBeCloseTo(0.6, 9);
      // The last hour holds two wire-transfer events outside the correction (09:30 good, 09:45 bad): (1/2) ÷ 0.1.
      expect(after.burn1h).toBeCloseTo(1 / 2 / 0.1, 9);
      expect(await store.events.countEvents()).toBe(12);
      // New events inside the correction count for nothing; outside, as usual.
      const late = [
        { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:10:00Z' },
        { journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T09:59:00Z' },
      ];
      expect((await runtime.ingestor.ingest(JSON.stringify(late), 'application/json')).accepted).toBe(2);
      expect(figures(runtime).counts[0]).toBe('wire-transfer/success 4/7');
      const restarted = await VigilRuntime.start({ config: runtime.config, store: await reopen(), clock: () => NOW });
      expect(restarted.registry.statuses(NOW)).toEqual(runtime.registry.statuses(NOW));
      // Removing it recomputes the figures as they were, with the late events.
      await runtime.reconfigure(config);
      expect(figures(runtime).counts).toEqual(['wire-transfer/success 5/12', 'wire-transfer/fast 3/12', 'statements/success 1/2']);
      await runtime.close();
      await restarted.close();
    } finally {
      await cleanup();
    }
  });

  it('a weekly correction follows the wall clock of defaults.timezone across the autumn DST change', async () => {
    const { store, cleanup } = await open();
    try {
      const now = Date.parse('2026-10-26T12:00:00Z');
      const fortnight: VigilConfig = {
        ...config,
        journeys: [
          {
            ...config.journeys[1]!,
            slos: [sloSpec('success', { objective: 90, window: { kind: 'rolling', minutes: 14 * 1440, text: '14d' } })],
          },
        ],
      };
      const runtime = await VigilRuntime.start({ config: fortnight, store, clock: () => now });
      // Sun 02:00–04:00 Europe/London: 01:00–03:00Z on 18 October (BST), 02:00–04:00Z on 25 October (GMT).
      const events = [
        { journey: 'statements', outcome: 'failure', timestamp: '2026-10-18T01:30:00Z' }, // 02:30 BST: inside
        { journey: 'statements', outcome: 'success', timestamp: '2026-10-18T03:30:00Z' }, // 04:30 BST: outside
        { journey: 'statements', outcome: 'failure', timestamp: '2026-10-25T01:30:00Z' }, // 01:30 GMT: outside
        { journey: 'statements', outcome: 'failure', timestamp: '2026-10-25T02:30:00Z' }, // 02:30 GMT: inside
        { journey: 'statements', outcome: 'success', timestamp: '2026-10-25T04:00:00Z' }, // 04:00 GMT: outside
      ];
      expect((await runtime.ingestor.ingest(JSON.stringify(events), 'application/json')).accepted).toBe(5);
      const counts = () => runtime.registry.statuses(now).map((s) => `${s.good}/${s.total} consumed ${s.errorBudget.consumed}`);
      expect(counts()).toEqual(['2/5 consumed 3']);
      const batch: CorrectionSpec = {
        name: 'sunday-batch',
        journeys: ['statements'],
        source: 'config',
        kind: 'weekly',
        weekly: { text: 'Sun 02:00-04:00', startMinuteOfWeek: 6 * 1440 + 120, minutes: 120 },
      };
      await runtime.reconfigure({ ...fortnight, corrections: [batch] });
      expect(counts()).toEqual(['2/3 consumed 1']);
      expect(await store.events.countEvents()).toBe(5);
      await runtime.close();
    } finally {
      await cleanup();
    }
  });

  it('a correction added through the API is stored, recomputed over history, and survives a reload and a restart', async () => {
    const { store, reopen, cleanup } = await open();
    try {
      const runtime = await VigilRuntime.start({ config, store, clock: () => NOW });
      await runtime.ingestor.ingest(JSON.stringify(EVENTS), 'application/json');
      expect(figures(runtime).counts).toEqual(BEFORE);
      const stored = {
        name: 'ledger-upgrade',
        journeys: ['wire-transfer'],
        from: upgrade.from,
        to: upgrade.to,
        reason: null,
        author: 'ana',
        createdAt: NOW,
      };
      const added = await runtime.addCorrection(stored);
      expect(added.added).toBe(true);
      expect(added.recomputed).toHaveLength(2);
      expect(figures(runtime).counts).toEqual(AFTER);
      expect(runtime.config.corrections?.map((c) => `${c.name}:${c.source}`)).toEqual(['ledger-upgrade:api']);
      expect(await runtime.addCorrection({ ...stored, reason: 'again' })).toEqual({ added: false, recomputed: [] });
      // A reload of a vigil.yaml without corrections keeps the API's.
      await runtime.reconfigure(config);
      expect(figures(runtime).counts).toEqual(AFTER);
      const restarted = await VigilRuntime.start({ config, store: await reopen(), clock: () => NOW });
      expect(restarted.registry.statuses(NOW)).toEqual(runtime.registry.statuses(NOW));
      expect(await store.events.countEvents()).toBe(12);
      await runtime.close();
      await restarted.close();
    } finally {
      await cleanup();
    }
  });
});

describe('a correction changes no minute outside it (property)', () => {
  it('per-minute good and total outside the correction are those without it; inside, none', async () => {
    const event = fc.record({
      minute: fc.integer({ min: 0, max: 179 }),
      second: fc.integer({ min: 0, max: 59 }),
      outcome: fc.constantFrom('success', 'failure', 'abandoned', 'rejected'),
      latencyMs: fc.integer({ min: 0, max: 1000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 179 }),
        fc.integer({ min: 1, max: 120 }),
        async (events, startMinute, length) => {
          const t0 = at('07:00:00');
          const body = JSON.stringify(
            events.map((e) => ({
              journey: 'wire-transfer',
              outcome: e.outcome,
              latencyMs: e.latencyMs,
              timestamp: new Date(t0 + e.minute * 60_000 + e.second * 1000).toISOString(),
            })),
          );
          const from = t0 + startMinute * 60_000;
          const correction: CorrectionSpec = { ...upgrade, from, to: from + length * 60_000 };
          const minutes = async (cfg: VigilConfig) => {
            const store = await openStore(':memory:');
            const runtime = await VigilRuntime.start({ config: cfg, store, clock: () => NOW });
            await runtime.ingestor.ingest(body, 'application/json');
            const rows = new Map<string, string>();
            for (const def of runtime.registry.slis) {
              for (const row of await store.events.sliMinutes(def.key, 0, minuteOf(NOW) + 1)) {
                rows.set(`${def.journey}|${def.kind}|${row.minute}`, `${row.good}/${row.total}`);
              }
            }
            await runtime.close();
            return rows;
          };
          const without = await minutes(config);
          const withIt = await minutes({ ...config, corrections: [correction] });
          const inside = (key: string) => {
            const minute = Number(key.split('|')[2]);
            return minute >= minuteOf(correction.from) && minute < minuteOf(correction.to);
          };
          for (const [key, value] of without) if (!inside(key)) expect(withIt.get(key)).toBe(value);
          for (const key of withIt.keys()) expect(inside(key)).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });
});
