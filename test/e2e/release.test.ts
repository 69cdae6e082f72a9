/**
 * The release end to end with a real `vigil serve` (docs/release.md): `vigil deploy` from a pipeline and
 * what the deployment spent, hand-computed; `vigil gate` exit codes for allow, warn (and --strict), deny
 * and cannot decide; exceptions by the token's name that expire.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postEvents, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const CONFIG = `version: vigil/v1
journeys:
  - name: pay
    steps: [{ name: send, services: [pay-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: cards
    steps: [{ name: auth, services: [cards-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: loans
    steps: [{ name: apply, services: [loans-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
`;

const MIN = 60_000;

function events(journey: string, at: number, total: number, failures: number): object[] {
  return Array.from({ length: total }, (_, i) => ({
    journey,
    outcome: i < failures ? 'failure' : 'success',
    timestamp: new Date(at).toISOString(),
  }));
}

/** Each case runs the CLI several times; a busy 2-core CI machine can take seconds per process start. */
const CLI_TEST_MS = 120_000;

describe('deployments and the release gate against a real server', () => {
  let temp: { dir: string; cleanup: () => void };
  let vigil: VigilProcess;
  let token: string;
  let auth: Record<string, string>;
  // Whole minutes, so that the figures below do not depend on where in its minute the test runs.
  const now = Math.floor(Date.now() / MIN) * MIN;

  beforeAll(async () => {
    temp = tempDir('vigil-release-');
    const config = join(temp.dir, 'vigil.yaml');
    const database = join(temp.dir, 'v.db');
    writeFileSync(config, CONFIG);
    const created = await runVigil([
      'token',
      'create',
      '--name',
      'ana',
      '--scope',
      'read',
      '--scope',
      'ingest',
      '--scope',
      'operate',
      '--database',
      database,
    ]);
    token = /^(vigil_\S+)$/m.exec(created.stdout)![1]!;
    auth = { authorization: `Bearer ${token}` };
    vigil = await startVigil(['--config', config, '--database', database]);
    // pay: 1 failure in 100 two hours ago, 5 in 100 five minutes ago. cards: none in 1,000. loans: 8 in 1,000.
    const posted = await postEvents(
      vigil.url,
      [
        ...events('pay', now - 120 * MIN, 100, 1),
        ...events('pay', now - 5 * MIN, 100, 5),
        ...events('cards', now - 5 * MIN, 1000, 0),
        ...events('loans', now - 5 * MIN, 1000, 8),
      ],
      'application/json',
      auth,
    );
    expect(posted.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await vigil?.stop();
    temp?.cleanup();
  });

  it(
    'vigil deploy records a deployment; the list shows what it spent of each SLO, as computed by hand',
    async () => {
      const startedAt = new Date(now - 60 * MIN).toISOString();
      const deployed = await runVigil(
        [
          'deploy',
          '--server',
          vigil.url,
          '--service',
          'pay-api',
          '--version',
          '2.14.0',
          '--started-at',
          startedAt,
          '--author',
          'ci',
          '--url',
          'https://ci.example/run/1',
        ],
        { VIGIL_TOKEN: token },
      );
      expect(deployed.stderr).toBe('');
      expect(deployed.code).toBe(0);
      expect(deployed.stdout).toContain('affecting pay');
      // The same post again (a retried pipeline step) is the same deployment.
      await runVigil(['deploy', '--server', vigil.url, '--service', 'pay-api', '--version', '2.14.0', '--started-at', startedAt], {
        VIGIL_TOKEN: token,
      });
      const list = await getJson(`${vigil.url}/api/v1/deployments?service=pay-api`, auth);
      expect(list.status).toBe(200);
      expect(list.body.deployments).toHaveLength(1);
      const [d] = list.body.deployments;
      expect(d).toMatchObject({ service: 'pay-api', version: '2.14.0', journeys: ['pay'] });
      // Interval [now − 60 min, now): 5 bad of 100. Window ending in its last minute: 200 events → allowed 2.
      // consumed = 5 / 2; baseline = (1 / 100 over the day before) × 100 / 2 = 0.5; excess = 2.
      const spend = d.slos[0];
      expect(spend.journey).toBe('pay');
      expect(spend.consumed).toBeCloseTo(2.5, 9);
      expect(spend.baseline).toBeCloseTo(0.5, 9);
      expect(spend.excess).toBeCloseTo(2, 9);
      // vigil deployments prints the same figures, and names the release that spent the most (server from VIGIL_SERVER).
      const printed = await runVigil(['deployments', '--journey', 'pay'], { VIGIL_TOKEN: token, VIGIL_SERVER: vigil.url });
      expect(printed.stderr).toBe('');
      expect(printed.code).toBe(0);
      expect(printed.stdout).toMatch(/pay-api\s+2\.14\.0\s+\S+\s+pay\/\S+\s+250\.0%\s+50\.0%\s+200\.0%/);
      expect(printed.stdout).toContain('Spent the most: pay-api 2.14.0 — 250.0% of pay/');
      // Without a token: refused; a malformed deployment: a coded 400.
      expect(
        (await fetch(`${vigil.url}/api/v1/deployments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
          .status,
      ).toBe(401);
      const bad = await fetch(`${vigil.url}/api/v1/deployments`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'x', service: 'pay-api', version: '1', startedAt: 'yesterday' }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'invalid_deployment',
        message: expect.stringContaining('startedAt'),
      });
    },
    CLI_TEST_MS,
  );

  it(
    'vigil gate exits 0 to allow with the margin, 0 or 1 (--strict) to warn, 1 to deny, 2 when it cannot decide',
    async () => {
      const env = { VIGIL_TOKEN: token };
      const allow = await runVigil(['gate', '--server', vigil.url, '--service', 'cards-api'], env);
      expect(allow.code).toBe(0);
      // 1,000 events in the 28-day window: allowed 10, none spent; 10 ÷ (1,000 ÷ 40,320) = 403.2 minutes.
      expect(allow.stdout).toContain('ALLOW release of service cards-api');
      expect(allow.stdout).toContain("the budget absorbs 10 more failed attempts, or 403 minutes of full outage, at today's volume");

      const warn = await runVigil(['gate', '--server', vigil.url, '--journey', 'loans'], env);
      expect(warn.code).toBe(0);
      expect(warn.stdout).toContain('loans/success is caution: 20% of the budget left');
      expect((await runVigil(['gate', '--server', vigil.url, '--journey', 'loans', '--strict'], env)).code).toBe(1);

      const deny = await runVigil(['gate', '--server', vigil.url, '--service', 'pay-api'], env);
      expect(deny.code).toBe(1);
      // 6 bad of 200, allowed 2: remaining −2; margin 2 − 6 = −4 attempts, −4 ÷ (200 ÷ 40,320) = −806.4 minutes.
      expect(deny.stdout).toContain('pay/success is frozen: budget 200% overspent');
      expect(deny.stdout).toContain('the budget is overspent by 4 failed attempts, or 806 minutes of full outage');
      const json = await getJson(`${vigil.url}/api/v1/gate?journey=pay`, auth);
      expect(json.body.journeys[0].slos[0].margin).toMatchObject({ failures: -4 });
      expect(json.body.journeys[0].slos[0].margin.fullOutageMinutes).toBeCloseTo(-806.4, 9);

      const unknown = await runVigil(['gate', '--server', vigil.url, '--service', 'nobody-api'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stdout).toContain('CANNOT DECIDE');
      expect((await runVigil(['gate', '--server', vigil.url, '--journey', 'nope'], env)).code).toBe(2);
      expect((await runVigil(['gate', '--server', 'http://127.0.0.1:9', '--journey', 'pay'], env)).code).toBe(2);
      expect((await runVigil(['gate', '--server', vigil.url, '--journey', 'pay'])).code).toBe(2);
    },
    CLI_TEST_MS,
  );

  it(
    'an exception by the token holder turns deny into allow until it expires, and every one is kept',
    async () => {
      const env = { VIGIL_TOKEN: token };
      const post = (body: object) =>
        fetch(`${vigil.url}/api/v1/gate/exceptions`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      // The body's author is ignored when a token speaks: the author is the token's name.
      const short = await post({
        journey: 'pay',
        until: new Date(Date.now() + 3000).toISOString(),
        reason: 'brief',
        author: 'someone-else',
      });
      expect(short.status).toBe(201);
      expect(((await short.json()) as { author: string }).author).toBe('ana');
      const during = await getJson(`${vigil.url}/api/v1/gate?service=pay-api`, auth);
      expect(during.body).toMatchObject({ decision: 'allow', exception: { reason: 'brief', author: 'ana', active: true } });
      await new Promise((r) => setTimeout(r, 3500));
      expect((await getJson(`${vigil.url}/api/v1/gate?service=pay-api`, auth)).body).toMatchObject({ decision: 'deny', exception: null });
      expect((await post({ journey: 'pay', until: new Date(Date.now() - 1000).toISOString(), reason: 'late' })).status).toBe(400);

      const made = await runVigil(
        ['gate', 'exception', '--server', vigil.url, '--journey', 'pay', '--until', '2h', '--reason', 'Ledger hotfix'],
        env,
      );
      expect(made.code).toBe(0);
      expect(made.stdout).toContain('by ana for pay');
      const allowed = await runVigil(['gate', '--server', vigil.url, '--service', 'pay-api'], env);
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toContain('exception by ana until');
      expect(allowed.stdout).toContain('Ledger hotfix');
      const listed = await getJson(`${vigil.url}/api/v1/gate/exceptions`, auth);
      expect(listed.body.exceptions.map((e: { reason: string; active: boolean }) => [e.reason, e.active])).toEqual([
        ['brief', false],
        ['Ledger hotfix', true],
      ]);
    },
    CLI_TEST_MS,
  );
});
