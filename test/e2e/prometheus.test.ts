/**
 * End to end with a real Prometheus (docs/prometheus.md): it scrapes a running `vigil serve`'s `/metrics` every second
 * with a `read` token sent by its scrape configuration's `authorization` (a job without the token is refused with
 * 401), and evaluates the rules `vigil rules prometheus` wrote for the same configuration. The figures it scraped,
 * read back through Prometheus's HTTP API, are the API's figures, and the alerts its rules fire are the alerts the API
 * says fire.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/alertmanager.js';
import { type PrometheusProcess, promQuery, startPrometheus } from '../helpers/prometheus.js';
import { PROMETHEUS, prometheusBinariesPresent } from '../helpers/rule-files.js';
import { E2E_CONFIG, getJson, postEvents, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const present = prometheusBinariesPresent();
if (!present) process.stderr.write(`test/e2e/prometheus.test.ts skipped: ${PROMETHEUS} is missing (apt-get install prometheus)\n`);

/** What the test posts: whole-journey and step events of wire-transfer, and login attempts. */
const EVENTS = [
  ...Array.from({ length: 40 }, () => ({ journey: 'wire-transfer', outcome: 'success', latencyMs: 500 })),
  ...Array.from({ length: 3 }, () => ({ journey: 'wire-transfer', outcome: 'failure' })),
  ...Array.from({ length: 2 }, () => ({ journey: 'wire-transfer', outcome: 'rejected' })),
  { journey: 'wire-transfer', outcome: 'abandoned' },
  ...Array.from({ length: 25 }, () => ({ journey: 'wire-transfer', step: 'confirm', outcome: 'success' })),
  { journey: 'wire-transfer', step: 'confirm', outcome: 'failure' },
  ...Array.from({ length: 10 }, () => ({ journey: 'login', outcome: 'success' })),
  ...Array.from({ length: 2 }, () => ({ journey: 'login', outcome: 'abandoned' })),
];

/** Each SLO's good and bad events among EVENTS, counted by hand (test/fixtures/e2e.yaml). */
const COUNTED: Record<string, { good: number; bad: number }> = {
  'wire-transfer/success': { good: 40, bad: 3 },
  'wire-transfer/within-regulatory-limit': { good: 40, bad: 3 },
  'wire-transfer/confirm-step': { good: 25, bad: 1 },
  // abandonedIsBad: the two abandoned attempts are bad.
  'login/success': { good: 10, bad: 2 },
};

describe.skipIf(!present)('a real Prometheus scraping vigil serve', () => {
  let temp: ReturnType<typeof tempDir>;
  let vigil: VigilProcess;
  let prometheus: PrometheusProcess;
  let auth: Record<string, string>;
  const logs = () => `--- vigil ---\n${vigil?.output() ?? ''}\n--- prometheus ---\n${prometheus?.output().slice(-4000) ?? ''}`;

  beforeAll(async () => {
    temp = tempDir('vigil-prom-');
    const database = join(temp.dir, 'vigil.db');
    const token = async (name: string, scopes: string[]) => {
      const { code, stdout, stderr } = await runVigil([
        'token',
        'create',
        '--name',
        name,
        ...scopes.flatMap((s) => ['--scope', s]),
        '--database',
        database,
      ]);
      expect(code, stderr).toBe(0);
      return /^(vigil_\S+)$/m.exec(stdout)![1]!;
    };
    writeFileSync(join(temp.dir, 'vigil-token'), await token('prometheus', ['read']), { mode: 0o600 });
    auth = { authorization: `Bearer ${await token('e2e', ['read', 'ingest'])}` };
    const rules = await runVigil(['rules', 'prometheus', '--config', E2E_CONFIG, '--out', join(temp.dir, 'vigil-rules.yaml')]);
    expect(rules.code, rules.stderr).toBe(0);
    vigil = await startVigil(['--config', E2E_CONFIG, '--database', database]);
    const target = new URL(vigil.url).host;
    // The scrape configuration docs/prometheus.md shows, with a one-second interval for the test.
    prometheus = await startPrometheus(
      temp.dir,
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
        'rule_files: [vigil-rules.yaml]',
        'scrape_configs:',
        '  - job_name: vigil',
        '    metrics_path: /metrics',
        '    authorization:',
        '      type: Bearer',
        `      credentials_file: ${join(temp.dir, 'vigil-token')}`,
        `    static_configs: [{ targets: ['${target}'] }]`,
        '  - job_name: vigil-without-token',
        '    metrics_path: /metrics',
        `    static_configs: [{ targets: ['${target}'] }]`,
        '',
      ].join('\n'),
    );
    // A scrape before any event: every counter starts from a sample at 0, as a counter of a fresh process does.
    await waitFor(
      'a first scrape with the counters at 0',
      async () => {
        const samples = await promQuery(prometheus.url, 'vigil_slo_events_total{job="vigil"}');
        return samples.length === 8 && samples.every((s) => s.value === 0) ? true : undefined;
      },
      60_000,
      logs,
    );
    const posted = await postEvents(vigil.url, EVENTS, 'application/json', auth);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body.accepted).toBe(EVENTS.length);
    await waitFor(
      'a scrape after the events',
      async () => {
        const [accepted] = await promQuery(prometheus.url, 'vigil_ingest_events_total{job="vigil",result="accepted"}');
        return accepted?.value === EVENTS.length ? true : undefined;
      },
      60_000,
      logs,
    );
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await vigil?.stop();
    temp?.cleanup();
  });

  it('scrapes with the read token, and a scrape without it is refused with 401', async () => {
    const targets = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
    };
    const byJob = Object.fromEntries(targets.data.activeTargets.map((t) => [t.labels.job, t]));
    expect(byJob.vigil).toMatchObject({ health: 'up', lastError: '' });
    expect(byJob['vigil-without-token']!.health).toBe('down');
    expect(byJob['vigil-without-token']!.lastError).toMatch(/401/);
  });

  it.each(Object.entries(COUNTED))('%s: the scraped figures are the API figures', async (key, counted) => {
    const [journey, slo] = key.split('/') as [string, string];
    const { status, body } = await getJson(`${vigil.url}/api/v1/journeys/${journey}/slos/${slo}/status`, auth);
    expect(status).toBe(200);
    const one = async (query: string): Promise<number> => {
      const samples = await promQuery(prometheus.url, query);
      expect(samples, query).toHaveLength(1);
      return samples[0]!.value;
    };
    const sel = `job="vigil",journey="${journey}",slo="${slo}"`;
    expect(await one(`vigil_slo_events_total{${sel},result="good"}`)).toBe(counted.good);
    expect(await one(`vigil_slo_events_total{${sel},result="bad"}`)).toBe(counted.bad);
    expect(await one(`vigil_slo_window_good{${sel}}`)).toBe(body.good);
    expect(await one(`vigil_slo_window_total{${sel}}`)).toBe(body.total);
    expect(await one(`vigil_slo_objective_ratio{${sel}}`)).toBe(body.objective / 100);
    expect(await one(`vigil_slo_sli_ratio{${sel}}`)).toBe(body.sli);
    expect(await one(`vigil_slo_error_budget_remaining_ratio{${sel}}`)).toBe(body.errorBudget.remaining);
    for (const [window, rate] of Object.entries(body.burnRates as Record<string, number | null>)) {
      if (rate === null) expect(await promQuery(prometheus.url, `vigil_slo_burn_rate{${sel},window="${window}"}`)).toEqual([]);
      else expect(await one(`vigil_slo_burn_rate{${sel},window="${window}"}`), window).toBe(rate);
    }
    expect(await one(`vigil_slo_alert_firing{${sel},severity="page"}`)).toBe(body.alerts.page ? 1 : 0);
    expect(await one(`vigil_slo_alert_firing{${sel},severity="ticket"}`)).toBe(body.alerts.ticket ? 1 : 0);
    expect(await one(`vigil_slo_state{${sel},state="${body.state}"}`)).toBe(1);
    // The rules over the counters: the 5 m error ratio recorded from the scraped counters is the bad share posted.
    const [ratio] = await waitFor('the 5m error ratio recorded', async () => {
      const samples = await promQuery(prometheus.url, `slo:sli_error:ratio_rate5m{sloth_id="${journey}-${slo}"}`);
      return samples.length === 1 && samples[0]!.value > 0 ? samples : undefined;
    });
    expect(ratio!.value).toBeCloseTo(counted.bad / (counted.good + counted.bad), 12);
  });

  it("the rules' alerts in Prometheus are the alerts the API says fire", async () => {
    const { body } = await getJson(`${vigil.url}/api/v1/journeys`, auth);
    const expected = (body.journeys as { name: string; slos: { slo: string; alerts: { page: boolean; ticket: boolean } }[] }[])
      .flatMap((j) =>
        j.slos.flatMap((s) => (['page', 'ticket'] as const).filter((sev) => s.alerts[sev]).map((sev) => `${j.name}/${s.slo}/${sev}`)),
      )
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const firing = await waitFor(
      'the rules to fire what the API says',
      async () => {
        const samples = await promQuery(prometheus.url, 'ALERTS{alertname="VigilErrorBudgetBurn",alertstate="firing"}');
        const got = samples.map((s) => `${s.metric.journey}/${s.metric.slo}/${s.metric.severity}`).sort();
        return JSON.stringify(got) === JSON.stringify(expected) ? got : undefined;
      },
      30_000,
      logs,
    );
    expect(firing).toEqual(expected);
  });

  it('counts journey and step outcomes, and the ingest', async () => {
    const outcomes = await promQuery(prometheus.url, 'vigil_journey_outcomes_total{job="vigil",journey="wire-transfer"}');
    expect(Object.fromEntries(outcomes.map((s) => [s.metric.outcome, s.value]))).toEqual({
      success: 40,
      failure: 3,
      rejected: 2,
      abandoned: 1,
    });
    const confirm = await promQuery(prometheus.url, 'vigil_step_outcomes_total{job="vigil",journey="wire-transfer",step="confirm"}');
    expect(Object.fromEntries(confirm.map((s) => [s.metric.outcome, s.value]))).toEqual({
      success: 25,
      failure: 1,
      rejected: 0,
      abandoned: 0,
    });
    const ingest = await promQuery(prometheus.url, 'vigil_ingest_events_total{job="vigil"}');
    expect(Object.fromEntries(ingest.map((s) => [s.metric.result, s.value]))).toEqual({
      accepted: EVENTS.length,
      duplicate: 0,
      rejected: 0,
    });
  });
});
