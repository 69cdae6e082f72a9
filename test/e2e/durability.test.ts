/**
 * Durability (docs/storage.md ("Durability")): a `kill -9` right after acknowledged batches loses none of them, and after a
 * restart every event is counted exactly once.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, postEvents, startVigil, tempDir } from '../helpers/vigil-process.js';

const MINUTE = 60_000;

describe('durability', () => {
  const temp = tempDir();
  afterEach(() => temp.cleanup());

  it('keeps every acknowledged event through kill -9, and counts each once after a restart', async () => {
    const database = join(temp.dir, 'vigil.db');
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
    const batch = (b: number) =>
      Array.from({ length: 500 }, (_, i) => ({
        id: `b${b}-e${i}`,
        journey: 'wire-transfer',
        outcome: i % 50 === 0 ? 'failure' : 'success',
        latencyMs: 500,
        timestamp: new Date(base + b * 1000 + i).toISOString(),
      }))
        .map((e) => JSON.stringify(e))
        .join('\n');

    const first = await startVigil(['--config', E2E_CONFIG, '--database', database]);
    // Ten batches in flight at once; kill -9 the moment the fifth acknowledgement arrives.
    let acknowledged = 0;
    const ackedBatches: number[] = [];
    const killed = new Promise<void>((resolve) => {
      for (let b = 0; b < 10; b++) {
        postEvents(first.url, batch(b), 'application/x-ndjson').then(
          (res) => {
            if (res.status === 200 && res.body.accepted === 500) ackedBatches.push(b);
            acknowledged++;
            if (acknowledged === 5) {
              first.child.kill('SIGKILL');
              resolve();
            }
          },
          () => {
            // in flight when the process died: not acknowledged
          },
        );
      }
    });
    await killed;
    await first.stop();
    expect(ackedBatches.length).toBeGreaterThanOrEqual(5);

    const second = await startVigil(['--config', E2E_CONFIG, '--database', database]);
    try {
      const at = new Date(base + 20 * MINUTE).toISOString();
      const before = await getJson(`${second.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`);
      // Every acknowledged batch survived; batches that were in flight are all-or-nothing.
      expect(before.body.total).toBeGreaterThanOrEqual(ackedBatches.length * 500);
      expect(before.body.total % 500).toBe(0);
      expect(before.body.good).toBe((before.body.total / 500) * 490);

      // Sending everything again stores only what was missing: each event counts once.
      let accepted = 0;
      let duplicates = 0;
      for (let b = 0; b < 10; b++) {
        const res = await postEvents(second.url, batch(b), 'application/x-ndjson');
        accepted += res.body.accepted;
        duplicates += res.body.duplicates;
      }
      expect(duplicates).toBe(before.body.total);
      expect(accepted + duplicates).toBe(5000);
      const after = await getJson(`${second.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`);
      expect(after.body).toMatchObject({ total: 5000, good: 4900 });
    } finally {
      await second.stop();
    }
  });
});
