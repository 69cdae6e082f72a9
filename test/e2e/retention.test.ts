/**
 * `vigil retention` against a real `vigil serve` (docs/retention.md, docs/cli.md ("vigil retention")): two ISO weeks
 * before this one, in UTC, with customers counted by hand; the table, the reading, and --json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionResponse } from '../../src/api/retention.js';
import { postEvents, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const CONFIG = `version: vigil/v1
defaults: { timezone: UTC }
journeys:
  - name: pay
    steps: [{ name: send, services: [pay-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: login
    steps: [{ name: form, services: [auth-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
`;
const DAY = 86_400_000;

describe('vigil retention against a real server', () => {
  let temp: { dir: string; cleanup: () => void };
  let vigil: VigilProcess;
  // Monday 00:00 UTC of the week two before this one (N) and of the next (N+1): both ended.
  const today = Math.floor(Date.now() / DAY) * DAY;
  const thisMonday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const n = thisMonday - 14 * DAY;
  const next = thisMonday - 7 * DAY;

  beforeAll(async () => {
    temp = tempDir('vigil-retention-');
    const config = join(temp.dir, 'vigil.yaml');
    writeFileSync(config, CONFIG);
    vigil = await startVigil(['--config', config, '--database', join(temp.dir, 'v.db')]);
    const at = (ms: number) => new Date(ms).toISOString();
    const e = (journey: string, outcome: string, customerId: string, ms: number) => ({ journey, outcome, customerId, timestamp: at(ms) });
    // Week N: 4 customers without a pay failure (3 back in N+1, one of them on login), 2 with one (1 back).
    const events = [
      ...['u1', 'u2', 'u3', 'u4'].map((c) => e('pay', 'success', c, n + DAY)),
      e('pay', 'success', 'u1', next + DAY),
      e('pay', 'success', 'u2', next + DAY),
      e('login', 'success', 'u3', next + 2 * DAY),
      e('pay', 'failure', 'x1', n + 2 * DAY),
      e('pay', 'failure', 'x2', n + 2 * DAY),
      e('login', 'success', 'x1', next + 3 * DAY),
    ];
    expect((await postEvents(vigil.url, events)).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await vigil?.stop();
    temp?.cleanup();
  });

  const args = [
    'retention',
    '--journey',
    'pay',
    '--period',
    'week',
    '--from',
    new Date(n).toISOString(),
    '--to',
    new Date(next).toISOString(),
  ];

  it('prints exposed against unexposed, retention by failures met and the reading', async () => {
    const run = await runVigil([...args, '--server', vigil.url]);
    expect(run.code, run.stderr).toBe(0);
    // Exposed 1 of 2 (50%), unexposed 3 of 4 (75%): −25 points, RR 0.667; pooled 4/6, z = −0.6124, p = 0.54.
    expect(run.stdout).toMatch(/50\.0% of 2 \(9\.5–90\.5%\)\s+75\.0% of 4 \(30\.1–95\.4%\)\s+-25\.0 pts\s+0\.667\s+0\.54/);
    expect(run.stdout).toMatch(/75\.0% of 4\s+50\.0% of 2\s+—\s+—/);
    expect(run.stdout).toContain('were 25.0 points less likely to be active in week');
    expect(run.stdout).toContain('a difference chance alone could explain (p = 0.54).');
  });

  it('prints the API answer with --json', async () => {
    const run = await runVigil([...args, '--server', vigil.url, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = RetentionResponse.parse(JSON.parse(run.stdout));
    expect(r.periods).toHaveLength(1);
    expect(r.periods[0]).toMatchObject({ start: new Date(n).toISOString(), complete: true, partialHistory: false });
    expect(r.periods[0]!.byFailures.map((b) => [b.customers, b.retained])).toEqual([
      [4, 3],
      [2, 1],
      [0, 0],
      [0, 0],
    ]);
  });

  it('fails with the error code for an unknown journey', async () => {
    const run = await runVigil(['retention', '--journey', 'nope', '--server', vigil.url]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('journey_not_found');
  });
});
