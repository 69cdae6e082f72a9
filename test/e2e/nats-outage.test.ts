/**
 * `vigil serve --queue` on SQLite when NATS is not there (docs/nats.md ("Failure modes")): at start it stops with
 * queue_unavailable; while running, a NATS that goes away turns ingest and /readyz into 503 queue_unavailable, and
 * when NATS comes back (same JetStream folder) everything acknowledged before is counted once and ingest resumes.
 * Runs a private nats-server (Debian's package), which CI installs; elsewhere the test skips without it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_NATS_SERVER, startNats } from '../helpers/nats.js';
import { freePort } from '../helpers/alertmanager.js';
import { E2E_CONFIG, getJson, postEvents, runVigil, startVigil, tempDir } from '../helpers/vigil-process.js';

if (!HAVE_NATS_SERVER && process.env.CI === 'true') throw new Error('CI must install nats-server for the NATS outage test');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const { dir, cleanup } = tempDir('vigil-nats-outage-');
afterAll(cleanup);

function batch(prefix: string, n: number, now: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    journey: 'wire-transfer',
    outcome: i % 5 === 0 ? 'failure' : 'success',
    timestamp: new Date(now - 30_000 + i).toISOString(),
  }));
}

describe.skipIf(!HAVE_NATS_SERVER)('vigil serve --queue when NATS is away', () => {
  it('refuses to start without NATS, with queue_unavailable', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const run = await runVigil([
      'serve',
      '--port',
      '0',
      '--config',
      E2E_CONFIG,
      '--database',
      `${dir}/refused.db`,
      '--queue',
      `nats://127.0.0.1:${port}`,
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('queue_unavailable');
    expect(run.stderr).toContain(`nats://127.0.0.1:${port}`);
  });

  it('answers 503 queue_unavailable while NATS is down, loses nothing acknowledged, and resumes', { timeout: 180_000 }, async () => {
    const natsDir = `${dir}/jetstream`;
    let nats = await startNats(natsDir);
    const vigil = await startVigil([
      '--config',
      E2E_CONFIG,
      '--database',
      `${dir}/vigil.db`,
      '--queue',
      nats.url,
      '--queue-stream',
      'OUTAGE',
    ]);
    const at = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 + 59_000).toISOString();
    const status = async () => (await getJson(`${vigil.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at()}`)).body;
    try {
      const now = Date.now();
      expect((await postEvents(vigil.url, batch('before', 50, now))).body).toMatchObject({ accepted: 50, duplicates: 0 });
      for (let i = 0; (await status()).total < 50; i++) {
        if (i > 200) throw new Error(`not consumed: ${JSON.stringify(await status())}`);
        await sleep(100);
      }
      expect(await status()).toMatchObject({ good: 40, total: 50 });

      // Acknowledged while the node could still store them, or not: either way they must survive the outage.
      expect((await postEvents(vigil.url, batch('edge', 10, now))).status).toBe(200);
      await nats.stop('SIGKILL');
      const down = await postEvents(vigil.url, batch('down', 10, now));
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ error: { code: 'queue_unavailable' } });
      const ready = await getJson(`${vigil.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ error: { code: 'queue_unavailable' } });

      nats = await startNats(natsDir, nats.port);
      for (let i = 0; (await getJson(`${vigil.url}/readyz`)).status !== 200; i++) {
        if (i > 300) throw new Error(`not ready again:\n${vigil.output()}`);
        await sleep(100);
      }
      expect((await postEvents(vigil.url, batch('after', 20, now))).body).toMatchObject({ accepted: 20 });
      for (let i = 0; (await status()).total < 80; i++) {
        if (i > 300) throw new Error(`not consumed after the outage: ${JSON.stringify(await status())}`);
        await sleep(100);
      }
      await sleep(1_000);
      // 50 + 10 + 20 acknowledged, each once; the refused 10 are not there.
      expect(await status()).toMatchObject({ good: 64, total: 80 });

      // Stopping while NATS is away still ends cleanly (it does not wait for NATS forever).
      await nats.stop('SIGKILL');
      expect(await vigil.stop('SIGTERM')).toBe(0);
    } finally {
      await vigil.stop();
      await nats.stop();
    }
  });
});
