/** Changing SLOs over history (docs/slo-maths.md ("Changing an SLO")): a new or changed SLO's figures cover the retained events at once. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, postEvents, ROOT, startVigil, tempDir } from '../helpers/vigil-process.js';

const DAY = 86_400_000;

describe('SLO changes take effect over history', () => {
  const temp = tempDir();
  afterAll(() => temp.cleanup());

  it('recomputes added and changed SLOs from retained raw events on start', async () => {
    const database = join(temp.dir, 'vigil.db');
    const now = Date.now();
    const at = new Date(Math.floor(now / 60_000) * 60_000).toISOString();
    // 10 days ago: 100 journey events (90 fast successes, 5 slow successes, 5 failures); 2 days ago: the same again.
    // On the confirm step 10 days ago: 40 successes and 10 abandoned.
    const events: Record<string, unknown>[] = [];
    for (const daysAgo of [10, 2]) {
      for (let i = 0; i < 100; i++) {
        events.push({
          journey: 'wire-transfer',
          outcome: i < 5 ? 'failure' : 'success',
          latencyMs: i >= 5 && i < 10 ? 5000 : 200,
          timestamp: new Date(now - daysAgo * DAY + i * 1000).toISOString(),
        });
      }
    }
    for (let i = 0; i < 50; i++)
      events.push({
        journey: 'wire-transfer',
        step: 'confirm',
        outcome: i < 40 ? 'success' : 'abandoned',
        timestamp: new Date(now - 10 * DAY + i).toISOString(),
      });

    const before = await startVigil(['--config', join(ROOT, 'test/fixtures/history-before.yaml'), '--database', database]);
    expect((await postEvents(before.url, events)).body.accepted).toBe(250);
    await before.stop();

    const after = await startVigil(['--config', join(ROOT, 'test/fixtures/history-after.yaml'), '--database', database]);
    try {
      // Changed window (28d → 7d): only the events of 2 days ago count.
      const success = (await getJson(`${after.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`)).body;
      expect(success).toMatchObject({ objective: 99.5, window: '7d', good: 95, total: 100 });
      // Added latency SLO: both days, from history: 180 fast successes of 200.
      const fast = (await getJson(`${after.url}/api/v1/journeys/wire-transfer/slos/fast/status?at=${at}`)).body;
      expect(fast).toMatchObject({ good: 180, total: 200 });
      // Added step SLO with abandonedIsBad: 40 good of 50.
      const confirm = (await getJson(`${after.url}/api/v1/journeys/wire-transfer/slos/confirm-step/status?at=${at}`)).body;
      expect(confirm).toMatchObject({ good: 40, total: 50 });
    } finally {
      await after.stop();
    }
  });
});
