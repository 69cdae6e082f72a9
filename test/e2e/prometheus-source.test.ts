/**
 * End to end: a real Prometheus feeds SLOs of kind `prometheus` (docs/prometheus.md ("Prometheus as an SLI source")).
 * Prometheus is loaded with known counters through `promtool tsdb create-blocks-from openmetrics` — a request counter
 * with a reset, an error counter, and five minutes without any sample — and also scrapes itself every second (live
 * data). `vigil serve` backfills the SLO's window and its figures are the ones the planted data implies, computed by
 * hand below; killed and restarted while Prometheus is down it shows the same figures from its store, resumes from its
 * watermark and says `prometheus_unreachable`; once Prometheus is back it recovers. A bad query is `prometheus_error`.
 *
 * Exact figures: samples are every 15 s on whole minutes, so each minute's `increase(x[1m])` window (closed at both
 * ends in Prometheus 2) holds samples at both its edges and Prometheus extrapolates nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, freePort, startReadyDaemon, waitFor } from '../helpers/alertmanager.js';
import { PROMETHEUS, prometheusBinariesPresent, promtool } from '../helpers/rule-files.js';
import { getJson, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const present = prometheusBinariesPresent();
if (!present) process.stderr.write(`test/e2e/prometheus-source.test.ts skipped: ${PROMETHEUS} is missing (apt-get install prometheus)\n`);

/** The planted hour: minutes [0, 60) after B, samples every 15 s, none strictly between 45:00 and 50:00. */
const MINUTES = 60;
const GAP = { from: 45, to: 50 };
/** Requests per minute, all minutes; the counter resets to 0 at 20:00 (the sample at 20:15 reads 25). */
const REQUESTS_PER_MINUTE = 100;
const RESET_AT_MINUTE = 20;
/** Errors per minute: 1 in minutes 0–29, 5 in 30–39, none after. */
const errorsIn = (minute: number) => (minute < 30 ? 1 : minute < 40 ? 5 : 0);

/** Counter values at second s after B (s a multiple of 15). */
function requestsAt(s: number): number {
  const counted = (s / 60) * REQUESTS_PER_MINUTE;
  return s > RESET_AT_MINUTE * 60 ? counted - RESET_AT_MINUTE * REQUESTS_PER_MINUTE : counted;
}
function errorsAt(s: number): number {
  let n = 0;
  // Each minute's errors are counted at its first sample after the minute starts (m:15).
  for (let m = 0; m * 60 + 15 <= s; m++) n += errorsIn(m);
  return n;
}

/** The OpenMetrics text of the planted hour, starting at epoch second `b`. */
function openMetrics(b: number): string {
  const times: number[] = [];
  for (let s = 0; s <= MINUTES * 60; s += 15) if (!(s > GAP.from * 60 && s < GAP.to * 60)) times.push(s);
  const lines = ['# HELP demo_requests Requests.', '# TYPE demo_requests counter'];
  for (const s of times) lines.push(`demo_requests_total ${requestsAt(s)} ${b + s}`);
  lines.push('# HELP demo_errors Failed requests.', '# TYPE demo_errors counter');
  for (const s of times) lines.push(`demo_errors_total ${errorsAt(s)} ${b + s}`);
  lines.push('# EOF', '');
  return lines.join('\n');
}

/**
 * What the planted data implies, by hand: minutes with a figure are 0–44 and 50–59 (the windows of minutes 45–49 hold
 * one sample or none). Each has 100 requests (the reset minute too: 2000 → 25 → … → 100 is an increase of 100).
 * Errors: 30 × 1 + 10 × 5 = 80, all in minutes with figures.
 */
const COUNTED_MINUTES = 55;
const TOTAL = COUNTED_MINUTES * REQUESTS_PER_MINUTE; // 5,500
const BAD = 30 * 1 + 10 * 5; // 80
const GOOD = TOTAL - BAD; // 5,420
/** Objective 99 %: the budget allows 55 bad requests of 5,500; 80 were bad. */
const ALLOWED = TOTAL * 0.01;
const REMAINING = 1 - BAD / ALLOWED; // −0.4545…

describe.skipIf(!present)('a real Prometheus as an SLI source', () => {
  let temp: ReturnType<typeof tempDir>;
  let vigil: VigilProcess | undefined;
  let prometheus: DaemonProcess | undefined;
  let port: number;
  let startPrometheus: () => Promise<DaemonProcess>;
  let serve: () => Promise<VigilProcess>;
  const logs = () => `--- vigil ---\n${vigil?.output() ?? ''}\n--- prometheus ---\n${prometheus?.output().slice(-3000) ?? ''}`;
  const sources = async () => (await getJson(`${vigil!.url}/api/v1/sources`)).body;
  const sli = async (journey: string) => (await sources()).slis.find((s: { journey: string }) => s.journey === journey);
  const status = async () => (await getJson(`${vigil!.url}/api/v1/journeys/login/slos/availability/status`)).body;
  let B: number;
  let config: string;

  beforeAll(async () => {
    temp = tempDir('vigil-prom-source-');
    // Two hours ago, on a whole minute: far enough back that the whole hour is settled history.
    B = (Math.floor(Date.now() / 60_000) - 120) * 60;
    const data = join(temp.dir, 'prometheus-data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(temp.dir, 'planted.om'), openMetrics(B));
    const created = promtool(['tsdb', 'create-blocks-from', 'openmetrics', join(temp.dir, 'planted.om'), data]);
    expect(created.status, created.output).toBe(0);
    port = await freePort();
    writeFileSync(
      join(temp.dir, 'prometheus.yml'),
      'global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n' +
        `  - job_name: self\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
    );
    startPrometheus = () =>
      startReadyDaemon(
        'prometheus',
        PROMETHEUS,
        [
          `--config.file=${join(temp.dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${data}`,
          '--storage.tsdb.retention.time=30d',
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        port,
        60_000,
      );
    prometheus = await startPrometheus();
    config = join(temp.dir, 'vigil.yaml');
    writeFileSync(
      config,
      `version: vigil/v1
sources:
  prometheus:
    url: http://127.0.0.1:${port}
    timeout: 5s
    settle: 1m
journeys:
  - name: login
    steps: [{ name: api }]
    slos:
      - name: availability
        objective: 99
        window: 1d
        sli: { kind: prometheus, bad: demo_errors_total, total: demo_requests_total }
  - name: prometheus-api
    steps: [{ name: api }]
    slos:
      - name: answers
        objective: 90
        window: 1d
        sli: { kind: prometheus, good: 'prometheus_http_requests_total{code=~"2.."}', total: prometheus_http_requests_total }
  - name: broken
    steps: [{ name: api }]
    slos:
      - name: typo
        objective: 99
        window: 1d
        sli: { kind: prometheus, good: 'demo_requests_total{', total: demo_requests_total }
`,
    );
    const database = join(temp.dir, 'vigil.db');
    serve = () => startVigil(['--config', config, '--database', database]);
    vigil = await serve();
  }, 180_000);

  afterAll(async () => {
    await vigil?.stop('SIGKILL');
    await prometheus?.stop();
    temp?.cleanup();
  });

  it('backfills the window: the SLI and budget are what the planted data implies', async () => {
    const login = await waitFor(
      'login read through the planted hour',
      async () => {
        const s = await sli('login');
        return s && s.watermark !== null && Date.parse(s.watermark) >= (B + MINUTES * 60) * 1000 && s.state !== 'backfilling'
          ? s
          : undefined;
      },
      120_000,
      logs,
    );
    expect(login.queries).toEqual({ bad: 'sum(increase(demo_errors_total[1m]))', total: 'sum(increase(demo_requests_total[1m]))' });
    // The planted hour ended an hour ago: no sample since, so the recent minutes are unknown, not zero.
    expect(login.state).toBe('no_data');
    expect(login.lastDataAt).toBe(new Date((B + (MINUTES - 1) * 60) * 1000).toISOString());
    // The five minutes without samples are a gap.
    expect(login.recentGaps).toContainEqual({
      from: new Date((B + GAP.from * 60) * 1000).toISOString(),
      to: new Date((B + GAP.to * 60) * 1000).toISOString(),
    });
    const s = await status();
    expect([s.good, s.total]).toEqual([GOOD, TOTAL]);
    expect(s.sli).toBeCloseTo(GOOD / TOTAL, 12);
    expect(s.errorBudget.allowed).toBeCloseTo(ALLOWED, 9);
    expect(s.errorBudget.consumed).toBeCloseTo(BAD, 9);
    expect(s.errorBudget.remaining).toBeCloseTo(REMAINING, 9);
    expect(s.state).not.toBe('ok');
  }, 180_000);

  it('follows live data minute by minute, and names a bad query with Prometheus’ own error', async () => {
    const live = await waitFor(
      'the self-scrape SLI following',
      async () => {
        const s = await sli('prometheus-api');
        return s?.state === 'following' ? s : undefined;
      },
      240_000,
      logs,
    );
    expect(live.lastDataAt).not.toBeNull();
    const answers = (await getJson(`${vigil!.url}/api/v1/journeys/prometheus-api/slos/answers/status`)).body;
    expect(answers.total).toBeGreaterThan(0);
    const broken = await waitFor('the bad query refused', async () => {
      const s = await sli('broken');
      return s?.state === 'prometheus_error' ? s : undefined;
    });
    expect(broken.message).toMatch(/bad_data: .*parse error/);
    expect(broken.watermark).toBeNull();
    // vigil validate --check-queries runs the same queries once: the bad one fails the command with the same text.
    const checked = await runVigil(['validate', '--check-queries', '--json', config]);
    expect(checked.code, checked.stderr).toBe(1);
    const queries = JSON.parse(checked.stdout).queries as { journey: string; side: string; ok: boolean; message?: string }[];
    expect(queries.map((q) => `${q.journey} ${q.side} ${q.ok}`)).toEqual([
      'login bad true',
      'login total true',
      'prometheus-api good true',
      'prometheus-api total true',
      'broken good false',
      'broken total true',
    ]);
    expect(queries[4]!.message).toBe(broken.message);
  }, 300_000);

  it('killed and restarted while Prometheus is down: same figures from the store, resumes from its watermark, recovers', async () => {
    const before = await status();
    const watermark = (await sli('login')).watermark;
    await vigil!.stop('SIGKILL');
    await prometheus!.stop();
    vigil = await serve();
    const down = await waitFor(
      'prometheus_unreachable',
      async () => {
        const s = await sli('login');
        return s?.state === 'prometheus_unreachable' ? s : undefined;
      },
      60_000,
      logs,
    );
    expect(down.message).toContain(`127.0.0.1:${port}`);
    // Resumed from the stored watermark (not from the start of the window), and the figures are the stored ones.
    expect(Date.parse(down.watermark)).toBeGreaterThanOrEqual(Date.parse(watermark));
    const after = await status();
    expect([after.good, after.total, after.errorBudget.remaining]).toEqual([before.good, before.total, before.errorBudget.remaining]);
    prometheus = await startPrometheus();
    const back = await waitFor(
      'recovery',
      async () => {
        const s = await sli('login');
        return s && s.state !== 'prometheus_unreachable' && s.state !== 'waiting' ? s : undefined;
      },
      90_000,
      logs,
    );
    expect(back.state).toBe('no_data');
    expect(back.message).toBeNull();
    const recovered = await status();
    expect([recovered.good, recovered.total]).toEqual([GOOD, TOTAL]);
  }, 300_000);
});
