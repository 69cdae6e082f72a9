/**
 * Where to invest end to end with a real `vigil serve` (docs/value.md ("Where to invest")): events and alerts posted over
 * HTTP, a real incident pinning a step's failures on the one service its alert names, and `vigil services --ranking`
 * (table and --json) with a token from VIGIL_TOKEN; hand-computed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceRankingResponse } from '../../src/api/services.js';
import { postEvents, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { WORKED_EXAMPLE_CONFIG as CONFIG } from '../../src/server/routes/services.test-data.js';

const MIN = 60_000;

describe('vigil services --ranking against a real server', () => {
  let temp: { dir: string; cleanup: () => void };
  let vigil: VigilProcess;
  let token: string;
  const now = Math.floor(Date.now() / MIN) * MIN;

  beforeAll(async () => {
    temp = tempDir('vigil-ranking-');
    const config = join(temp.dir, 'vigil.yaml');
    const database = join(temp.dir, 'v.db');
    writeFileSync(config, CONFIG);
    const created = await runVigil(['token', 'create', '--name', 'ana', '--scope', 'read', '--scope', 'ingest', '--database', database]);
    token = /^(vigil_\S+)$/m.exec(created.stdout)![1]!;
    const auth = { authorization: `Bearer ${token}` };
    vigil = await startVigil(['--config', config, '--database', database]);
    // pay/send: 6 failures 10 minutes ago, 4 nine minutes ago, 990 successes eight minutes ago (1 % of 1,000 allowed: 10).
    // cards/auth: 3 failures of £100 at a 1 % fee: £1 an attempt.
    const at = (minutesAgo: number) => new Date(now - minutesAgo * MIN).toISOString();
    const events = [
      ...Array.from({ length: 6 }, () => ({ journey: 'pay', step: 'send', outcome: 'failure', timestamp: at(10) })),
      ...Array.from({ length: 4 }, () => ({ journey: 'pay', step: 'send', outcome: 'failure', timestamp: at(9) })),
      ...Array.from({ length: 990 }, () => ({ journey: 'pay', step: 'send', outcome: 'success', timestamp: at(8) })),
      ...Array.from({ length: 3 }, () => ({
        journey: 'cards',
        step: 'auth',
        outcome: 'failure',
        timestamp: at(10),
        amount: 100,
        currency: 'GBP',
      })),
    ];
    expect((await postEvents(vigil.url, events, 'application/json', auth)).status).toBe(200);
    // A ledger alert firing since 10 minutes ago opens an incident on pay/send naming ledger alone; noisy raises 3 alerts.
    const alerts = [
      { source: 'nagios', key: 'ledger-db', status: 'firing', service: 'ledger', summary: 'ledger db slow', startsAt: at(10) },
      ...[1, 2, 3].map((i) => ({
        source: 'nagios',
        key: `noisy-${i}`,
        status: 'firing',
        service: 'noisy',
        summary: 'cpu',
        startsAt: at(10),
      })),
    ];
    const posted = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(alerts),
    });
    expect(posted.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await vigil?.stop();
    temp?.cleanup();
  });

  it('--json: the incident pins pay/send’s 10 failures on ledger; noisy is loud and harmless', async () => {
    const out = await runVigil(['services', '--ranking', '--server', vigil.url, '--json'], { VIGIL_TOKEN: token });
    expect(out.stderr).toBe('');
    const body = ServiceRankingResponse.parse(JSON.parse(out.stdout));
    expect(body.currencies).toEqual(['EUR', 'GBP']);
    const rows = body.services.map((s) => [
      s.rank,
      s.name,
      s.tier,
      s.failedAttempts,
      s.valueLost,
      s.alerts,
      s.incidents.length,
      s.pinnedAt,
    ]);
    expect(rows).toEqual([
      [1, 'ledger', 'critical', 10, [{ amount: 20, currency: 'EUR' }], 1, 1, ['pay/send']],
      // Equal harm (none): the louder first.
      [2, 'noisy', 'critical', 0, [], 3, 1, []],
      [3, 'api', 'critical', 0, [], 0, 0, []],
      [4, 'cards-api', 'standard', 3, [{ amount: 3, currency: 'GBP' }], 0, 0, []],
    ]);
    // 10 bad of the 10 the window allows: the whole budget.
    expect(body.services[0]!.slos).toEqual([{ journey: 'pay', slo: 'send-ok', bad: 10, spent: 1 }]);
  });

  it('prints a table by default, and says why without a token', async () => {
    const out = await runVigil(['services', '--ranking', '--server', vigil.url], { VIGIL_TOKEN: token });
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('1 '))).toMatch(/^1\s+ledger\s+critical\s+10\s+€20\s+100\.0% pay\/send-ok\s+1\s+1$/);
    expect(lines.find((l) => l.startsWith('2 '))).toMatch(/^2\s+noisy\s+critical\s+0\s+0\s+—\s+1\s+3$/);
    expect(lines.find((l) => l.startsWith('4 '))).toMatch(/^4\s+cards-api\s+standard\s+3\s+£3\s+—\s+0\s+0$/);

    const refused = await runVigil(['services', '--ranking', '--server', vigil.url], { VIGIL_TOKEN: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[unauthorized]');
  });

  it('takes --from and --to, and refuses a malformed one before calling the server', async () => {
    const from = new Date(now - 9 * MIN).toISOString();
    const out = await runVigil(['services', '--ranking', '--server', vigil.url, '--from', from, '--json'], { VIGIL_TOKEN: token });
    const body = ServiceRankingResponse.parse(JSON.parse(out.stdout));
    expect(body.from).toBe(from);
    // Only the 4 failures of nine minutes ago, still pinned on ledger while its incident is open.
    expect(body.services[0]).toMatchObject({ name: 'ledger', failedAttempts: 4, valueLost: [{ amount: 8, currency: 'EUR' }] });

    const bad = await runVigil(['services', '--ranking', '--server', vigil.url, '--from', 'last week'], { VIGIL_TOKEN: token });
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('[invalid_query] --from')]);
  });

  it('without --ranking prints the infrastructure view', async () => {
    const out = await runVigil(['services', '--server', vigil.url], { VIGIL_TOKEN: token });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/ledger\s+—\s+core-banking\s+pay\/send\s+1/);
  });
});
