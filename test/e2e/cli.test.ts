/**
 * The CLI as a user runs it: help, validate, demo, status (server and database, with SLOs read from Prometheus),
 * ingest (server and database).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minuteOf } from '../../src/model/minutes.js';
import { openStore } from '../../src/store/open.js';
import { freePort, waitFor } from '../helpers/alertmanager.js';
import { E2E_CONFIG, getJson, runVigil, startCommand, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

describe('help', () => {
  it.each(['serve', 'demo', 'status', 'ingest', 'validate'])('vigil %s --help describes the command', async (command) => {
    const { code, stdout } = await runVigil([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: vigil ${command}`);
  });

  it('vigil --help lists every command', async () => {
    const { stdout } = await runVigil(['--help']);
    for (const command of ['serve', 'demo', 'status', 'ingest', 'validate']) expect(stdout).toContain(command);
  });

  it('a bad configuration path is a coded error, not a stack trace', async () => {
    const { code, stderr } = await runVigil(['serve', '--config', join(temp.dir, 'missing.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('[config_not_found]');
    expect(stderr).not.toContain('    at ');
  });
});

describe('serve', () => {
  it('a taken port is a coded error, and the database is left closed', async () => {
    const holder = await startVigil(['--config', E2E_CONFIG, '--database', join(temp.dir, 'port.db')]);
    try {
      const port = new URL(holder.url).port;
      const { code, stderr } = await runVigil(['serve', '--config', E2E_CONFIG, '--database', join(temp.dir, 'port2.db'), '--port', port]);
      expect(code).toBe(3);
      expect(stderr).toContain('[address_in_use]');
      expect(stderr).not.toContain('    at ');
    } finally {
      await holder.stop();
    }
  });
});

describe('ingest and status', () => {
  let vigil: VigilProcess;
  const database = join(temp.dir, 'cli.db');
  const file = join(temp.dir, 'events.ndjson');
  const now = Date.now();

  beforeAll(async () => {
    const lines = Array.from({ length: 2500 }, (_, i) =>
      JSON.stringify({
        id: `e${i}`,
        journey: 'wire-transfer',
        outcome: i % 100 === 0 ? 'failure' : 'success',
        latencyMs: 300,
        timestamp: new Date(now - 3_600_000 + i * 1000).toISOString(),
      }),
    );
    lines.splice(10, 0, '{"journey":"wire-transfer","outcome":"maybe"}');
    writeFileSync(file, `${lines.join('\n')}\n`);
    vigil = await startVigil(['--config', E2E_CONFIG, '--database', database]);
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  it('vigil ingest sends a file to a server in batches and reports the counts', async () => {
    const { code, stdout, stderr } = await runVigil(['ingest', file, '--server', vigil.url, '--batch', '1000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2500 accepted, 0 duplicates, 1 rejected/);
    expect(stderr).toContain('line 11: invalid_event: outcome');
    const again = await runVigil(['ingest', file, '--server', vigil.url]);
    expect(again.stdout).toMatch(/0 accepted, 2500 duplicates, 1 rejected/);
  });

  it('vigil status reads the server: one row per SLO with attainment and budget', async () => {
    const { code, stdout } = await runVigil(['status', '--server', vigil.url]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wire-transfer\s+critical\s+success\s+99\.9%\s+28d\s+99\.000%/);
    expect(stdout).toContain('within-regulatory-limit');
    const json = JSON.parse((await runVigil(['status', '--server', vigil.url, '--json'])).stdout);
    expect(json[0].slos[0]).toMatchObject({ slo: 'success', good: 2475, total: 2500 });
  });

  it('vigil status --fail-on exits 1 when an SLO is in that state or worse, so scripts can gate on it', async () => {
    // 25 failures of 2,500 at 99.9% allow 2.5: the budget is spent ten times over (remaining −9): exhausted, never ok.
    const table = await runVigil(['status', '--server', vigil.url]);
    expect(table.stdout).toMatch(/wire-transfer\s+critical\s+success\s+99\.9%\s+28d\s+99\.000%\s+-900\.0%\s+\S+\s+■ EXHAUSTED/);
    expect(table.stdout).toMatch(/budgets? exhausted/);
    for (const state of ['exhausted', 'page', 'ticket']) {
      const run = await runVigil(['status', '--server', vigil.url, '--fail-on', state, '--json']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`--fail-on ${state}: wire-transfer/success exhausted`);
      expect(JSON.parse(run.stdout)[0].slos[0].state).toBe('exhausted');
    }
    // Two months on the windows are empty: every SLO is insufficient_data, which fails no threshold.
    const later = new Date(now + 60 * 86_400_000).toISOString();
    const quiet = await runVigil(['status', '--server', vigil.url, '--at', later, '--fail-on', 'ticket']);
    expect(quiet.stderr).toBe('');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('not enough data');
    const wrong = await runVigil(['status', '--server', vigil.url, '--fail-on', 'ok']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Allowed choices are ticket, page, exhausted');
  });

  it('vigil status and ingest also work on a database file with no server', async () => {
    await vigil.stop();
    const more = join(temp.dir, 'more.ndjson');
    writeFileSync(
      more,
      `${JSON.stringify({ id: 'x1', journey: 'login', outcome: 'success', timestamp: new Date(now - 60_000).toISOString() })}\n`,
    );
    const ingest = await runVigil(['ingest', more, '--database', database]);
    expect(ingest.stdout).toMatch(/1 accepted/);
    const { stdout } = await runVigil(['status', '--database', database, '--json']);
    const journeys = JSON.parse(stdout);
    expect(journeys[0].slos[0]).toMatchObject({ good: 2475, total: 2500 });
    expect(journeys[1].slos[0]).toMatchObject({ good: 1, total: 1 });
  });

  it('vigil status --database reads without writing, even with a configuration the server never ran', async () => {
    // Another threshold: an SLI the database has not materialised, which a reconciling start would rebuild and write.
    const other = join(temp.dir, 'other.yaml');
    writeFileSync(other, readFileSync(E2E_CONFIG, 'utf8').replace('thresholdMs: 10000', 'thresholdMs: 100'));
    const sha = () => createHash('sha256').update(readFileSync(database)).digest('hex');
    // The last writer closed cleanly: everything is in the file (a reader leaves at most an empty -wal behind).
    expect(existsSync(`${database}-wal`) ? statSync(`${database}-wal`).size : 0).toBe(0);
    const before = sha();
    const { code, stdout, stderr } = await runVigil(['status', '--database', database, '--config', other, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const latency = JSON.parse(stdout)[0].slos.find((s: { slo: string }) => s.slo === 'within-regulatory-limit');
    expect(latency).toMatchObject({ good: 0, total: 2500 }); // every event took 300 ms: none within 100 ms
    expect(sha()).toBe(before);
  });
});

describe('status with an SLO read from Prometheus (docs/cli.md ("vigil status"))', () => {
  let vigil: VigilProcess | undefined;
  let port: number;
  const database = join(temp.dir, 'prometheus-read.db');
  const config = join(temp.dir, 'prometheus-read.yaml');

  beforeAll(async () => {
    // A port nothing listens on: the reader's real requests are refused, so its state is known without a Prometheus.
    port = await freePort();
    writeFileSync(
      config,
      `version: vigil/v1
sources:
  prometheus:
    url: http://127.0.0.1:${port}
    timeout: 2s
journeys:
  - name: login
    tier: core
    steps: [{ name: api }]
    slos:
      - name: success
        window: 30d
        sli: { kind: success }
      - name: availability
        objective: 99
        window: 1d
        sli: { kind: prometheus, bad: demo_errors_total, total: demo_requests_total }
`,
    );
    vigil = await startVigil(['--config', config, '--database', database]);
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  it('against a server: the SOURCE column and the JSON give the reader’s state, and an unreachable Prometheus says why', async () => {
    const url = `http://127.0.0.1:${port}`;
    await waitFor('the reader refused by the closed port', async () => {
      const { body } = await getJson(`${vigil!.url}/api/v1/sources`);
      return body.slis[0]?.state === 'prometheus_unreachable' ? body : undefined;
    });
    const { code, stdout, stderr } = await runVigil(['status', '--server', vigil!.url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/STATE\s+SOURCE\n/);
    expect(stdout).toMatch(/login\s+core\s+success\s.*\sevents\n/);
    // The short reason in the cell, without the URL the lines under the table name.
    expect(stdout).toMatch(/\savailability\s.*\s✗ unreachable: fetch failed: connect ECONNREFUSED/);
    expect(stdout).toContain(`Prometheus ${url}: 0 of 1 SLI following`);
    expect(stdout).toMatch(/login\/availability: ✗ unreachable since \S+Z, nothing read for good yet, no figure yet\n/);
    expect(stdout).toContain(`    ${url}: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);

    const json = JSON.parse((await runVigil(['status', '--server', vigil!.url, '--json'])).stdout);
    const [events, availability] = json[0].slos;
    expect(events.slo).toBe('success');
    expect(events.source).toBeUndefined();
    expect(availability.source).toMatchObject({
      kind: 'prometheus',
      state: 'prometheus_unreachable',
      message: `${url}: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`,
      watermark: null,
      lastDataAt: null,
    });
  });

  it('on a database: what the store holds (watermark, newest figure), no state — that is in the reading server’s memory', async () => {
    const { body } = await getJson(`${vigil!.url}/api/v1/sources`);
    const key: string = body.slis[0].key;
    await vigil!.stop();
    // What a reader that got answers would have stored: a read of [now − 60 min, now − 10 min), one minute with a figure.
    const now = minuteOf(Date.now());
    const store = await openStore(database);
    try {
      await store.sources.saveSourceRead({
        key,
        fromMinute: now - 60,
        toMinute: now - 10,
        minutes: [{ minute: now - 30, good: 97, total: 100 }],
        startMinute: now - 60,
        watermark: now - 10,
      });
    } finally {
      await store.close();
    }
    const iso = (minute: number) => new Date(minute * 60_000).toISOString();
    const short = (minute: number) => `${iso(minute).slice(0, 16).replace('T', ' ')}Z`;
    const { code, stdout } = await runVigil(['status', '--database', database]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`\\savailability\\s.*\\sread to ${short(now - 10)}\\n`));
    expect(stdout).toContain(`login/availability: read for good to ${short(now - 10)}, newest figure ${short(now - 30)}`);
    expect(stdout).toContain('lives in the memory of the server that reads');
    expect(stdout).not.toContain('✗'); // no state is shown as if it were live
    const json = JSON.parse((await runVigil(['status', '--database', database, '--json'])).stdout);
    const availability = json[0].slos[1];
    expect(availability).toMatchObject({ good: 97, total: 100 });
    expect(availability.source).toEqual({
      kind: 'prometheus',
      key,
      state: null,
      since: null,
      message: null,
      progress: null,
      watermark: iso(now - 10),
      lastDataAt: iso(now - 30),
    });
  });
});

describe('vigil demo', () => {
  it('backfills a seeded history, serves it and prints where to look', async () => {
    const { dir, cleanup } = tempDir();
    const demo = await startCommand(['demo', '--days', '1', '--no-live', '--port', '0', '--database', join(dir, 'demo.db')]);
    try {
      expect(demo.output()).toMatch(
        /events, \d+ deployments, [\d,]+ customer complaints and [\d,]+ alert messages replayed in [\d.]+ s: \d+ alerts → \d+ paged incidents \(\d+ recorded/,
      );
      const posted = Number(/events, (\d+) deployments/.exec(demo.output())![1]);
      const { body: deployed } = await getJson(`${demo.url}/api/v1/deployments`);
      expect(deployed.deployments).toHaveLength(posted);
      for (const d of deployed.deployments) expect(d.url).toMatch(/^https:\/\/ci\.demo-bank\.example\/run\/\d+$/);
      const value = await runVigil(['value', '--journey', 'card-payment', '--days', '1', '--server', demo.url]);
      expect(value.code, value.stderr).toBe(0);
      expect(value.stdout).toMatch(/^Card payment {2}\S+ → \S+/);
      const both = await runVigil(['value', '--journey', 'card-payment', '--days', '1', '--month', '2026-11', '--server', demo.url]);
      expect(both.code).not.toBe(0);
      expect(both.stderr).toContain('give --month or --days, not both');
      const { body } = await getJson(`${demo.url}/api/v1/journeys`);
      expect(body.journeys.length).toBeGreaterThanOrEqual(5);
      const sepa = body.journeys.find((j: any) => j.name === 'sepa-instant');
      const limit = sepa.slos.find((s: any) => s.slo === 'within-regulatory-limit');
      expect(limit.total).toBeGreaterThan(100);
      const tiers = new Set(body.journeys.map((j: any) => j.tier));
      expect(tiers.size).toBeGreaterThanOrEqual(3);
    } finally {
      await demo.stop();
      cleanup();
    }
    // A day of backfill and its alert replay take a few seconds on an idle machine, far longer on a busy 2-core CI runner:
    // the test allows what startCommand allows for the start (90 s) and the calls after it.
  }, 120_000);
});
